/**
 * The caller's side of one fit in a worker, before anything is sent: which kind of model, its
 * constructor options or its file, and the data, all checked so that what cannot cross threads
 * is refused here with an OptionError that says why, instead of failing inside the worker.
 */
import { NotFittedError, OptionError } from '../runtime/errors.js';
import { describe, type MatrixLike } from '../runtime/matrix.js';
import { constructionOptions } from '../runtime/construction.js';
import { KINDS, kindOf, type FitRequest, type Kind, type WorkerModel } from './kinds.js';

/** A checked fit, ready to post. */
export interface PreparedFit {
  kind: Kind;
  request: FitRequest;
  /** Buffers moved (not copied) to the worker. */
  transfer: ArrayBuffer[];
  /** The model's own onWarning, called here with the worker's warnings (default console.warn). */
  onWarning?: (message: string) => void;
  /** The engine option, given back to the rebuilt model. */
  engine?: unknown;
}

const CALLBACK = /^on[A-Z]/;
const WHY = 'a function cannot be sent to another thread, and a fit there cannot wait for its answer between iterations; '
  + "pass fitInWorker's onProgress (it receives the same information) and signal (to stop the fit)";

/**
 * Checks `model`, `X` and the fit options and builds the request.
 * @throws OptionError for a model no worker can fit, or a callback that cannot cross threads
 */
export function prepareFit(
  model: WorkerModel, X: MatrixLike, fitOptions: Record<string, unknown>, transfer: boolean,
  init: FitRequest['init'], progress: boolean,
): PreparedFit {
  const kind = kindOf(model);
  const options = kind && constructionOptions(model);
  if (!kind || !options) {
    throw new OptionError(`fitInWorker: model must be one of ${Object.keys(KINDS).join(', ')}; got ${describe(model)}`);
  }
  const { onWarning, engine, ...rest } = options as Record<string, unknown> & { onWarning?: (m: string) => void; engine?: unknown };
  refuseCallbacks(rest, `${kind.name}'s option`);
  refuseCallbacks(fitOptions, `${kind.name}.fit's option`);
  const state = stateToSend(kind, model, rest);
  const data = dataToSend(X, transfer);
  return {
    kind, onWarning, engine, transfer: data.transfer,
    request: {
      type: 'fit', kind: kind.name, options: { ...rest, ...(engine !== undefined ? { engine } : {}) }, state,
      runtime: engine !== undefined && kind.runtimeKeys.includes('engine') ? { engine } : {},
      X: data.X, fitOptions, progress, init,
    },
  };
}

/** Callbacks other than onWarning (which the caller runs itself) cannot cross threads. */
function refuseCallbacks(options: Record<string, unknown>, what: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'function' || (CALLBACK.test(key) && value !== undefined)) {
      throw new OptionError(`fitInWorker: ${what} ${key} cannot run in a worker: ${WHY}`);
    }
  }
}

/**
 * The model's file when its next fit starts from its fitted state (a warm start, an HMM keeping
 * parameters, mean-field EM continuing), else null. A file holds the options its kind saves;
 * an option it does not hold (an initial value such as meansInit) could not reach the worker
 * with the state, and is refused rather than dropped.
 */
function stateToSend(kind: Kind, model: WorkerModel, options: Record<string, unknown>): unknown {
  if (!kind.continuesFromState(model)) return null;
  let json: Record<string, unknown>;
  try {
    json = model.toJSON() as unknown as Record<string, unknown>;
  } catch (err) {
    if (err instanceof NotFittedError) return null;
    throw err;
  }
  // A file keeps options at its top level (LISTA, BinarySparseCoding: W, b, beta, seed; nHidden
  // is W's columns) or one level down (`options`, the Bayesian mixture's resolved `priors`).
  const groups = Object.values(json).filter((v): v is object => typeof v === 'object' && v !== null && !Array.isArray(v));
  const saved = new Set([...Object.keys(json), ...groups.flatMap((g) => Object.keys(g)), ...kind.runtimeKeys, 'nHidden']);
  const lost = Object.keys(options).filter((k) => options[k] !== undefined && !saved.has(k));
  if (lost.length > 0) {
    throw new OptionError(`fitInWorker: this fitted ${kind.name} continues from its fitted state, which reaches the worker as its file (toJSON), `
      + `and the file does not hold ${lost.join(', ')}; fit ${kind.name}.fromJSON(model.toJSON()) instead, or a model without ${lost.length > 1 ? 'them' : 'it'}`);
  }
  return json;
}

/**
 * X as sent: a typed array's buffer is moved when `transfer` is true (X.data is then detached:
 * length 0), otherwise copied, and only the rows of X when X.data views part of a larger buffer.
 */
function dataToSend(X: MatrixLike, transfer: boolean): { X: MatrixLike; transfer: ArrayBuffer[] } {
  const m = X as { data?: unknown; rows?: unknown; cols?: unknown };
  if (!m || typeof m !== 'object' || !ArrayBuffer.isView(m.data)) return { X, transfer: [] };
  const data = m.data as Float64Array | Float32Array;
  if (transfer && data.buffer instanceof ArrayBuffer) return { X, transfer: [data.buffer] };
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return { X: whole ? X : { ...(X as object), data: data.slice() } as MatrixLike, transfer: [] };
}
