/**
 * The options and the two steps shared by DictionaryLearning and MiniBatchDictionaryLearning:
 * validation at the door, the encode step (codes for fixed atoms) and the dictionary step
 * (one block-coordinate pass on the statistics A = UᵀU, Bt = UᵀX, then unit-norm atoms).
 */
import { NotFittedError, ShapeError, ValueError } from '../runtime/errors.js';
import { toMatrix, type DType, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';
import { optionKeys } from '../runtime/options.js';
import { checkSeed } from '../runtime/validate.js';
import { normaliseAtoms } from './atoms.js';
import { ALGORITHMS, encode, type Algorithm, type EncodeStats } from './encode.js';
import { dictionaryLipschitz, stepLipschitz } from './lipschitz.js';
import type { EngineName, Ops } from './ops.js';
import { scalePow2 } from './scale.js';
import { encodeMatrices, unconvergedMessage } from './sparseEncode.js';
import { checkBoolean, checkChoice, checkDictionary, checkInteger, checkNonNegative } from './validate.js';

/** Per-iteration progress: the iteration (or epoch) and the objective after it. */
export interface DictionaryIterationInfo {
  /** 1-based iteration (alternation or epoch). */
  iteration: number;
  /** The mean over rows of ½‖x − hV‖² + α‖h‖₁ after it (the entry just added to `objectiveHistory`). */
  objective: number;
  /** @deprecated the same value as `objective`; will be removed in the next version. */
  error: number;
}

/** Options common to both dictionary learners; names and defaults follow scikit-learn, camel-cased. */
export interface DictionaryLearningBaseOptions {
  /** Number of atoms K (default: the number of features of X). */
  nComponents?: number;
  /** Weight α of the ℓ1 penalty on the codes (default 1). */
  alpha?: number;
  /** Stopping tolerance (see each learner). */
  tol?: number;
  /** Lasso solver of the codes during fitting. */
  fitAlgorithm?: Algorithm;
  /** Lasso solver of `transform` (default 'cd'). */
  transformAlgorithm?: Algorithm;
  /** α of `transform` (default: alpha). */
  transformAlpha?: number;
  /** Iterations at most per signal in every encode (default 1000). */
  transformMaxIter?: number;
  /** Duality-gap tolerance of every encode, relative to ‖x‖² (default 1e-6). */
  transformTol?: number;
  /** Constrain the codes to be ≥ 0 (default false). */
  positiveCode?: boolean;
  /** Constrain the atoms to be ≥ 0 (default false). */
  positiveDict?: boolean;
  /** Initial atoms (nComponents × features); default: random rows of X, unit norm. */
  dictInit?: MatrixLike;
  /** Seed of the initial atoms, resampled atoms and shuffling (default 0); any safe integer, all of its bits used. */
  seed?: number;
  /** Called after each iteration (epoch); return false to stop. A throw leaves the model as it was. */
  onIteration?: (info: DictionaryIterationInfo) => boolean | void;
  /**
   * Receives warnings: a fit that stops at maxIter without meeting tol, a `transform` whose
   * signals stop at transformMaxIter above the tolerance; default console.warn. It is called
   * before the fit is committed, so a throw leaves the model as it was.
   */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript run of the same algorithm. */
  engine?: EngineName;
}

/** The names of {@link DictionaryLearningBaseOptions}, which each learner's own list extends. */
export const LEARN_OPTION_KEYS = optionKeys<DictionaryLearningBaseOptions>()([
  'nComponents', 'alpha', 'tol', 'fitAlgorithm', 'transformAlgorithm', 'transformAlpha', 'transformMaxIter',
  'transformTol', 'positiveCode', 'positiveDict', 'dictInit', 'seed', 'onIteration', 'onWarning', 'engine',
]);

export interface ResolvedLearnOptions {
  nComponents: number | undefined;
  alpha: number;
  tol: number;
  fitAlgorithm: Algorithm;
  transformAlgorithm: Algorithm;
  transformAlpha: number;
  transformMaxIter: number;
  transformTol: number;
  positiveCode: boolean;
  positiveDict: boolean;
  dictInit: Matrix | null;
  seed: number;
  onIteration?: (info: DictionaryIterationInfo) => boolean | void;
  onWarning: (message: string) => void;
  engine: EngineName;
}

export function resolveLearnOptions(o: DictionaryLearningBaseOptions, defaults: { fitAlgorithm: Algorithm; tol: number }): ResolvedLearnOptions {
  const alpha = checkNonNegative(o.alpha ?? 1, 'alpha');
  return {
    nComponents: o.nComponents === undefined ? undefined : checkInteger(o.nComponents, 'nComponents', 1),
    alpha,
    tol: checkNonNegative(o.tol ?? defaults.tol, 'tol'),
    fitAlgorithm: checkChoice(o.fitAlgorithm ?? defaults.fitAlgorithm, 'fitAlgorithm', ALGORITHMS),
    transformAlgorithm: checkChoice(o.transformAlgorithm ?? 'cd', 'transformAlgorithm', ALGORITHMS),
    transformAlpha: checkNonNegative(o.transformAlpha ?? alpha, 'transformAlpha'),
    transformMaxIter: checkInteger(o.transformMaxIter ?? 1000, 'transformMaxIter', 1),
    transformTol: checkNonNegative(o.transformTol ?? 1e-6, 'transformTol'),
    positiveCode: checkBoolean(o.positiveCode ?? false, 'positiveCode'),
    positiveDict: checkBoolean(o.positiveDict ?? false, 'positiveDict'),
    dictInit: o.dictInit === undefined ? null : checkDictionary(o.dictInit, 'dictInit'),
    seed: checkSeed(o.seed ?? 0),
    onIteration: o.onIteration,
    onWarning: o.onWarning ?? console.warn,
    engine: checkChoice(o.engine ?? 'wasm', 'engine', ['wasm', 'reference'] as const),
  };
}

/** The number of atoms and the validated initial atoms (f64) for data with F features. */
export function atomsFor(o: ResolvedLearnOptions, F: number): number {
  const K = o.nComponents ?? F;
  if (o.dictInit && (o.dictInit.rows !== K || o.dictInit.cols !== F)) {
    throw new ShapeError(`dictInit must be ${K} × ${F} (nComponents × features of X); got ${o.dictInit.rows} × ${o.dictInit.cols}`);
  }
  return K;
}

/** The codes of the rows of X for fixed atoms (the learners' `transform`). */
export function transformWith(o: ResolvedLearnOptions, components: Matrix | null, X: MatrixLike, what: string): Matrix {
  if (!components) throw new NotFittedError('this model is not fitted yet: call fit(X) first');
  const x = toMatrix(X, 'X', { cols: components.cols, colsReason: `the model was fitted on ${components.cols} features` });
  const { result, unconverged } = encodeMatrices(x, components, null, null, {
    alpha: o.transformAlpha, algorithm: o.transformAlgorithm, maxIter: o.transformMaxIter, tol: o.transformTol,
    positive: o.positiveCode, engine: o.engine,
  });
  if (unconverged > 0 && o.transformTol > 0) o.onWarning(unconvergedMessage(`${what}.transform`, unconverged, x.rows, o.transformMaxIter, o.transformTol));
  return result.codes;
}

/** Buffers of one fit: atoms V (K×F), statistics A (K×K) and Bt (K×F), and scratch. */
export interface Atoms<H> {
  V: H;
  A: H;
  Bt: H;
  norms: H;
  work: H;
  scale: H;
  K: number;
  F: number;
  dtype: DType;
}

export function allocAtoms<H>(ops: Ops<H>, V0: ArrayLike<number>, K: number, F: number): Atoms<H> {
  const A = ops.alloc(K * K), Bt = ops.alloc(K * F);
  ops.view(A, K * K).fill(0);
  ops.view(Bt, K * F).fill(0);
  return { V: ops.from(V0), A, Bt, norms: ops.allocF64(K), work: ops.alloc(F), scale: ops.alloc(K), K, F, dtype: ops.dtype };
}

/** Encodes N rows of X (x2: their squared norms) over the atoms into U (warm start in U). */
export function encodeStep<H>(ops: Ops<H>, o: ResolvedLearnOptions, at: Atoms<H>, X: H, x2: Float64Array, U: H, N: number): EncodeStats {
  const lipschitz = o.fitAlgorithm === 'cd' ? 0 : stepLipschitz(dictionaryLipschitz(ops.view(at.V, at.K * at.F), at.K, at.F));
  return encode(ops, {
    X, x2, dict: at.V, codes: U, gram: null, N, F: at.F, A: at.K, alpha: o.alpha, algorithm: o.fitAlgorithm,
    tol: o.transformTol, maxIter: o.transformMaxIter, positive: o.positiveCode, lipschitz,
  });
}

/**
 * One block-coordinate pass over the atoms with the statistics in at.A, at.Bt, then atoms back
 * to unit norm (normaliseAtoms). Returns the factors for the codes (or null when all are 1).
 */
export function dictionaryStep<H>(ops: Ops<H>, o: ResolvedLearnOptions, at: Atoms<H>, X: Matrix, rng: Random): Float64Array | null {
  const { K, F } = at;
  ops.dictionaryUpdate(at.V, at.A, at.Bt, at.norms, at.work, K, F, o.positiveDict ? 1 : 0);
  const norms = Float64Array.from(ops.view(at.norms, K));
  return normaliseAtoms(ops.view(at.V, K * F), norms, K, F, X, rng, o.positiveDict);
}

/**
 * The learners' α for X rescaled by 2^−e (atoms are unit-norm, so only X's scale moves it),
 * capped as in sparseEncode: any α' beyond every |d·x'| gives zero codes.
 */
export function scaledAlpha(alpha: number, e: number): number {
  return Math.min(scalePow2(alpha, -e), 1e300);
}

/** Throws unless every atom entry and every objective is finite (the last guard before a commit). */
export function checkFitFinite(what: string, V: ArrayLike<number>, objectives: readonly number[]): void {
  for (let i = 0; i < V.length; i++) {
    if (!Number.isFinite(V[i])) throw new ValueError(`${what}.fit produced a non-finite atom entry (${V[i]}); check the magnitudes of X and dictInit`);
  }
  for (const v of objectives) {
    if (!Number.isFinite(v) || v < 0) throw new ValueError(`${what}.fit produced an objective of ${v}; check the magnitudes of X and dictInit`);
  }
}
