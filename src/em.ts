/**
 * The EM outer loop, once for every model that alternates an E-step (exact or variational) with
 * an M-step: the mixtures (scikit-learn's BaseMixture.fit_predict) and the mean-field models'
 * variational EM. For each of nInit initialisations, iterate E-step, M-step and the bound of
 * that E-step until the bound changes by less than tol or maxIter is reached; keep the
 * initialisation with the best bound. A model family supplies only `initialize` and `iterate`.
 */

/** What `onIteration` receives after each EM iteration. */
export interface IterationInfo {
  /** 1-based iteration number within the current initialisation. */
  iteration: number;
  /** The bound after this iteration (for EM: the mean log-likelihood per row). */
  lowerBound: number;
  /** lowerBound minus the previous one (Infinity on the first iteration). */
  change: number;
  /** 0-based index of the initialisation (when nInit > 1). */
  init: number;
  /** Seconds this initialisation spent choosing its starting point (k-means for the mixtures; 0 on a warm start). */
  initSeconds: number;
}

export interface EMFamily<P> {
  /** Parameters to start initialisation number `init` from. */
  initialize(init: number): P;
  /** One iteration from `params`: the E-step, the M-step, and the bound computed from that E-step. */
  iterate(params: P): { params: P; lowerBound: number };
}

export interface EMOptions<P> {
  nInit: number;
  maxIter: number;
  tol: number;
  /** Continue from these parameters and bound instead of initialising (warm start: one run). */
  warm?: { params: P; lowerBound: number };
  /** Called after every iteration; returning false stops the whole fit. */
  onIteration?: (info: IterationInfo) => boolean | void;
}

export interface EMResult<P> {
  params: P;
  lowerBound: number;
  lowerBoundHistory: number[];
  nIter: number;
  converged: boolean;
  /** True when onIteration returned false. */
  stopped: boolean;
}

/** What the loop asks its driver for: a starting point, or one iteration from `params`. */
type EMRequest<P> = { kind: 'initialize'; init: number } | { kind: 'iterate'; params: P };

/**
 * The loop itself, as a generator that yields what it needs and receives the answer: the one
 * copy of the bookkeeping (history, change, callback, tol, best run) that `runEM` drives
 * synchronously and `runEMAsync` drives across awaits (a family whose E-step runs elsewhere).
 */
function* emLoop<P>(options: EMOptions<P>): Generator<EMRequest<P>, EMResult<P>, any> {
  const { maxIter, tol, warm, onIteration } = options;
  const nInit = warm ? 1 : options.nInit;
  let best: EMResult<P> | null = null;
  for (let init = 0; init < nInit; init++) {
    const t0 = performance.now();
    let params: P = warm ? warm.params : yield { kind: 'initialize', init };
    const initSeconds = warm ? 0 : (performance.now() - t0) / 1000;
    let lowerBound = warm ? warm.lowerBound : -Infinity;
    const history: number[] = [];
    let converged = false;
    let stopped = false;
    let nIter = 0;
    for (let iteration = 1; iteration <= maxIter; iteration++) {
      const prev = lowerBound;
      ({ params, lowerBound } = (yield { kind: 'iterate', params }) as { params: P; lowerBound: number });
      history.push(lowerBound);
      nIter = iteration;
      const change = lowerBound - prev;
      if (onIteration?.({ iteration, lowerBound, change, init, initSeconds }) === false) stopped = true;
      if (Math.abs(change) < tol) {
        converged = true;
        break;
      }
      if (stopped) break;
    }
    const run = { params, lowerBound, lowerBoundHistory: history, nIter, converged, stopped };
    if (!best || lowerBound > best.lowerBound || best.lowerBound === -Infinity) best = run;
    if (stopped) break;
  }
  return best as EMResult<P>;
}

export function runEM<P>(family: EMFamily<P>, options: EMOptions<P>): EMResult<P> {
  const loop = emLoop(options);
  let step = loop.next();
  while (!step.done) {
    const r = step.value;
    step = loop.next(r.kind === 'initialize' ? family.initialize(r.init) : family.iterate(r.params));
  }
  return step.value;
}

/** An EM family whose steps may be asynchronous (statistics gathered by another engine). */
export interface AsyncEMFamily<P> {
  /** Parameters to start initialisation number `init` from. */
  initialize(init: number): P | Promise<P>;
  /** One iteration from `params`: the E-step, the M-step, and the bound computed from that E-step. */
  iterate(params: P): { params: P; lowerBound: number } | Promise<{ params: P; lowerBound: number }>;
}

/** runEM for a family whose steps are asynchronous: the same loop, awaited step by step. */
export async function runEMAsync<P>(family: AsyncEMFamily<P>, options: EMOptions<P>): Promise<EMResult<P>> {
  const loop = emLoop(options);
  let step = loop.next();
  while (!step.done) {
    const r = step.value;
    step = loop.next(r.kind === 'initialize' ? await family.initialize(r.init) : await family.iterate(r.params));
  }
  return step.value;
}
