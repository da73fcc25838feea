/**
 * sparseEncode: MAP inference under a Laplace prior — the lasso, one problem per signal.
 */
import { type DType, type Matrix, type MatrixLike, toMatrix, castData } from '../runtime/matrix.js';
import { ALGORITHMS, encode, type Algorithm } from './encode.js';
import { cachedLipschitz, stepLipschitz } from './lipschitz.js';
import { makeOps, type EngineName } from './ops.js';
import { checkBoolean, checkChoice, checkDictionary, checkGram, checkInteger, checkNonNegative, checkShape } from './validate.js';

/** Options of {@link sparseEncode}. */
export interface SparseEncodeOptions {
  /** Weight α of the ℓ1 penalty (default 1). scikit-learn's `alpha` of `sparse_encode`, unscaled. */
  alpha?: number;
  /** 'cd' (coordinate descent, default: fastest for sparse codes), 'fista' or 'ista'. */
  algorithm?: Algorithm;
  /** Iterations at most per signal: coordinate passes (cd) or proximal-gradient steps (default 1000). */
  maxIter?: number;
  /** Stop a signal when its duality gap is ≤ tol·‖x‖² (default 1e-6; scikit-learn's Lasso rule). */
  tol?: number;
  /** Constrain the codes to h ≥ 0 (default false). */
  positive?: boolean;
  /** Warm start: codes N × nAtoms (default zeros). */
  init?: MatrixLike;
  /** The Gram matrix DDᵀ (nAtoms × nAtoms), when the caller has it already. */
  gram?: MatrixLike;
  /** 'wasm' (default) or 'reference': the plain-TypeScript run of the same algorithm. */
  engine?: EngineName;
}

/** What {@link sparseEncode} returns. */
export interface SparseEncodeResult {
  /** The codes H, N × nAtoms, in the element type of X. */
  codes: Matrix;
  /** Iterations per signal. */
  nIter: Int32Array;
  /** Duality gap per signal (≥ 0 up to rounding; ≤ tol·‖x‖² when converged). */
  dualityGap: Float64Array;
  /** ½‖x − hD‖² + α‖h‖₁ per signal. */
  objective: Float64Array;
  /** True when every signal met the tolerance within maxIter. */
  converged: boolean;
}

export interface ResolvedEncodeOptions {
  alpha: number;
  algorithm: Algorithm;
  maxIter: number;
  tol: number;
  positive: boolean;
  engine: EngineName;
}

export function resolveEncodeOptions(o: SparseEncodeOptions, prefix = ''): ResolvedEncodeOptions {
  const n = (s: string) => (prefix ? prefix + s[0].toUpperCase() + s.slice(1) : s);
  return {
    alpha: checkNonNegative(o.alpha ?? 1, n('alpha')),
    algorithm: checkChoice(o.algorithm ?? 'cd', n('algorithm'), ALGORITHMS),
    maxIter: checkInteger(o.maxIter ?? 1000, n('maxIter'), 1),
    tol: checkNonNegative(o.tol ?? 1e-6, n('tol')),
    positive: checkBoolean(o.positive ?? false, prefix ? 'positiveCode' : 'positive'),
    engine: checkChoice(o.engine ?? 'wasm', 'engine', ['wasm', 'reference'] as const),
  };
}

/**
 * Sparse codes of the rows of X over a dictionary D by the lasso, one problem per signal x:
 *
 *     h = argmin ½‖x − hD‖² + α‖h‖₁     (h ≥ 0 with `positive`)
 *
 * D is nAtoms × nFeatures (scikit-learn's orientation; atoms are rows). This is MAP inference
 * under a Laplace prior p(h) ∝ exp(−λ‖h‖₁) and Gaussian noise; the textbook form
 * min ‖v − Wh‖² + λ‖h‖₁ is the same problem with W = Dᵀ and λ = 2α. scikit-learn's
 * `sparse_encode(X, D, alpha=α, algorithm='lasso_cd')` solves the same problem with the same α
 * (it passes α / nFeatures to `Lasso`, whose loss is divided by nFeatures).
 *
 * Every algorithm reaches the same optimum: 'cd' is coordinate descent on G = DDᵀ with active
 * sets (fastest for sparse codes), 'fista' and 'ista' are proximal-gradient methods with step
 * 1/L, L = λ_max(DDᵀ) by power iteration (cached per dictionary), FISTA with adaptive restart.
 * Float32Array input runs f32 kernels and returns f32 codes; their duality gaps bottom out
 * between 1e-7 and 1e-6 of ‖x‖², so keep tol ≥ 1e-6 there (smaller values run to maxIter).
 *
 * @throws ShapeError when X is empty or D's columns differ from X's, or init/gram are misshapen
 * @throws ValueError for α < 0, non-finite values, an all-zero atom, bad options
 * @example
 * ```ts
 * import { init, sparseEncode } from 'elbo-wasm';
 * await init();
 * const D = [[1, 0], [0.6, 0.8], [0, 1]];               // 3 unit-norm atoms in 2 features
 * const { codes, dualityGap } = sparseEncode([[1, 0.1], [0.3, 0.9]], D, { alpha: 0.1 });
 * codes.data; // Float64Array of 2 × 3 codes, mostly zeros
 * ```
 */
export function sparseEncode(X: MatrixLike, dictionary: MatrixLike, options: SparseEncodeOptions = {}): SparseEncodeResult {
  const o = resolveEncodeOptions(options);
  const x = toMatrix(X, 'X');
  const d = checkDictionary(dictionary, 'dictionary', x.cols);
  const init = options.init === undefined ? null : checkShape(options.init, 'init', x.rows, d.rows, 'rows of X × atoms of the dictionary');
  const gram = options.gram === undefined ? null : checkGram(options.gram, d.rows);
  return encodeMatrices(x, d, init, gram, o);
}

/** Runs the encoder on validated matrices (the dtype of X rules). */
export function encodeMatrices(x: Matrix, d: Matrix, init: Matrix | null, gram: Matrix | null, o: ResolvedEncodeOptions): SparseEncodeResult {
  const dtype: DType = x.data instanceof Float32Array ? 'f32' : 'f64';
  const N = x.rows, F = x.cols, A = d.rows;
  const lipschitz = o.algorithm === 'cd' ? 0
    : stepLipschitz(gram ? cachedLipschitz(gram.data, A, A, true) : cachedLipschitz(d.data, A, F, false));
  const x2 = rowSquares(x);
  const ops = makeOps(o.engine, dtype);
  try {
    const codes = init ? ops.from(init.data) : ops.alloc(N * A);
    if (!init) ops.view(codes, N * A).fill(0);
    const stats = encode(ops, {
      X: ops.from(x.data), x2, dict: ops.from(sameType(d, dtype)), codes, gram: gram ? ops.from(sameType(gram, dtype)) : null,
      N, F, A, alpha: o.alpha, algorithm: o.algorithm, tol: o.tol, maxIter: o.maxIter, positive: o.positive, lipschitz,
    });
    let converged = true;
    for (let i = 0; i < N; i++) if (!(stats.gap[i] <= o.tol * x2[i])) converged = false;
    return {
      codes: { data: ops.view(codes, N * A).slice(), rows: N, cols: A },
      nIter: stats.nIter,
      dualityGap: stats.gap,
      objective: stats.objective,
      converged,
    };
  } finally {
    ops.release();
  }
}

/** ‖x_n‖² per row, in f64. */
export function rowSquares(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j] ** 2;
    out[i] = s;
  }
  return out;
}

function sameType(m: Matrix, dtype: DType): ArrayLike<number> {
  return (dtype === 'f32') === (m.data instanceof Float32Array) ? m.data : castData(m, dtype);
}
