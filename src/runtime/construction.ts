/**
 * The options each model was constructed with, remembered beside the model (not inside it), so
 * that a model can be rebuilt elsewhere: `elbo-wasm/worker` sends them to a worker thread, which
 * constructs the same model there. Kept in a WeakMap: it never keeps a model alive, and models
 * carry no extra field.
 */
const remembered = new WeakMap<object, Readonly<Record<string, unknown>>>();

/**
 * Records the options `model` was constructed with (a shallow copy: replacing an option in the
 * caller's object afterwards does not change what was recorded).
 * @internal
 */
export function rememberOptions(model: object, options: object | undefined): void {
  remembered.set(model, { ...(options ?? {}) });
}

/**
 * The options `model` was constructed with, or undefined for an object no elbo constructor made.
 * @internal
 */
export function constructionOptions(model: object): Readonly<Record<string, unknown>> | undefined {
  return remembered.get(model);
}
