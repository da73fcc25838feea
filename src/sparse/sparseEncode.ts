/**
 * sparseEncode: MAP inference under a Laplace prior — the lasso, one problem per signal.
 */
import { ValueError } from '../runtime/errors.js';
import { type DType, type FloatArray, type Matrix, type MatrixLike, toMatrix, castData } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { ALGORITHMS, encode, residualObjective, type Algorithm } from './encode.js';
import { cachedLipschitz, stepLipschitz } from './lipschitz.js';
import { makeOps, type EngineName, type Ops } from './ops.js';
import { checkRowNorms, exponentOf, maxAbs, scaleInPlace, scalePow2, scaledCopy } from './scale.js';
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
  /** Receives the warning when signals stop at maxIter above the tolerance; default console.warn. */
  onWarning?: (message: string) => void;
}

const OPTION_KEYS = optionKeys<SparseEncodeOptions>()(['alpha', 'algorithm', 'maxIter', 'tol', 'positive', 'init', 'gram', 'engine', 'onWarning']);

/** What {@link sparseEncode} returns. */
export interface SparseEncodeResult {
  /** The codes H, N × nAtoms, in the element type of X. */
  codes: Matrix;
  /** Iterations per signal. */
  nIter: Int32Array;
  /** Duality gap per signal (≥ 0 up to rounding; ≤ tol·‖x‖² when converged). */
  dualityGap: Float64Array;
  /** ½‖x − hD‖² + α‖h‖₁ per signal, computed from the residual (never negative). */
  objective: Float64Array;
  /** True when every signal met the tolerance within maxIter (and every objective is finite). */
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
 * Any scale works: the solvers run on X and D rescaled by powers of two (exact), so X of 1e100
 * or a dictionary of 1e-100 give the codes and objective of the unscaled problem. The limit is a
 * row whose ‖x‖² itself overflows f64 (‖x‖ ≥ 1.34e154): a ValueError names it. When signals stop
 * at maxIter above the tolerance, `converged` is false and `onWarning` (default console.warn)
 * receives "sparseEncode did not converge in ... iterations for k of N signals ...".
 *
 * @throws ShapeError when X is empty or D's columns differ from X's, or init/gram are misshapen
 * @throws ValueError for α < 0, non-finite values, an all-zero atom, bad options, a `gram` that
 * is not D·Dᵀ (asymmetric, wrong diagonal, or failing random probes uᵀ·gram·u = ‖uᵀD‖²), a row
 * whose ‖x‖² overflows, or codes that overflow
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
  options = checkOptions(options, OPTION_KEYS, 'sparseEncode');
  const o = resolveEncodeOptions(options);
  const x = toMatrix(X, 'X');
  const d = checkDictionary(dictionary, 'dictionary', x.cols);
  const init = options.init === undefined ? null : checkShape(options.init, 'init', x.rows, d.rows, 'rows of X × atoms of the dictionary');
  const gram = options.gram === undefined ? null : checkGram(options.gram, d);
  const { result, unconverged } = encodeMatrices(x, d, init, gram, o);
  if (unconverged > 0 && o.tol > 0) (options.onWarning ?? console.warn)(unconvergedMessage('sparseEncode', unconverged, x.rows, o.maxIter, o.tol));
  return result;
}

/**
 * α in the rescaled problem, capped: any α' ≥ max_a |d'_a·x'| (≤ nFeatures for entries below 1)
 * makes h = 0 the solution, and the cap keeps α'·‖h‖₁ from being ∞·0 = NaN.
 */
const ALPHA_CAP = 1e300;

/** An encode's result and how many signals missed the tolerance. */
export interface EncodeOutcome {
  result: SparseEncodeResult;
  /** Signals whose duality gap is above tol·‖x‖². */
  unconverged: number;
}

/**
 * Runs the encoder on validated matrices (the dtype of X rules), on copies of X and D rescaled
 * by powers of two to max-abs entries in [½, 1) (see scale.ts): the codes, objective and gap are
 * then scaled back exactly. A warm start worse than no warm start (objective above ½‖x‖², or not
 * finite) is replaced by zeros: the optimum is the same, and a wild start (init of 1e200) cannot
 * drive the iterates out of range. The reported objective is computed from the residual.
 *
 * @throws ValueError when a row's ‖x‖² or a code overflows f64 (naming X, or X and dictionary)
 */
export function encodeMatrices(x: Matrix, d: Matrix, init: Matrix | null, gram: Matrix | null, o: ResolvedEncodeOptions): EncodeOutcome {
  const dtype: DType = x.data instanceof Float32Array ? 'f32' : 'f64';
  const N = x.rows, F = x.cols, A = d.rows;
  const ex = exponentOf(maxAbs(x.data)), ed = exponentOf(maxAbs(d.data));
  const xs: Matrix = { data: scaledCopy(x.data, -ex), rows: N, cols: F };
  const x2 = rowSquares(xs);
  checkRowNorms(x2, ex, 'X');
  const ds = scaledIn(d, -ed, dtype);
  const gs = gram ? scaledIn(gram, -2 * ed, dtype) : null;
  const alpha = Math.min(scalePow2(o.alpha, -(ex + ed)), ALPHA_CAP);
  const lipschitz = o.algorithm === 'cd' ? 0
    : stepLipschitz(gram && gs ? cachedLipschitz(gram.data, gs, A, A, true) : cachedLipschitz(d.data, ds, A, F, false));
  const ops = makeOps(o.engine, dtype);
  try {
    const Xh = ops.from(xs.data), dict = ops.from(ds);
    const codes = init ? ops.from(scaledIn(init, ed - ex, dtype)) : ops.alloc(N * A);
    if (init) dropWorseThanZero(ops, Xh, dict, codes, x2, N, F, A, alpha);
    else ops.view(codes, N * A).fill(0);
    const stats = encode(ops, {
      X: Xh, x2, dict, codes, gram: gs ? ops.from(gs) : null,
      N, F, A, alpha, algorithm: o.algorithm, tol: o.tol, maxIter: o.maxIter, positive: o.positive, lipschitz,
    });
    const objective = residualObjective(ops, Xh, dict, codes, N, F, A, alpha);
    // Convergence is judged in the rescaled units, where the gap and tol·‖x‖² are both finite.
    const met = new Uint8Array(N);
    for (let i = 0; i < N; i++) met[i] = stats.gap[i] <= o.tol * x2[i] ? 1 : 0;
    scaleInPlace(objective, 2 * ex);
    scaleInPlace(stats.gap, 2 * ex);
    let unconverged = 0;
    for (let i = 0; i < N; i++) if (!met[i] || !Number.isFinite(objective[i])) unconverged++;
    const out = ops.view(codes, N * A).slice();
    scaleInPlace(out, ex - ed);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) {
        throw new ValueError(
          `the codes overflow ${dtype}: X (max |x| = ${maxAbs(x.data).toPrecision(3)}) is too large for the dictionary (max |d| = ${maxAbs(d.data).toPrecision(3)}); code [${Math.floor(i / A)}][${i % A}] would be ${out[i]}; scale X down or the dictionary up`,
        );
      }
    }
    return {
      result: { codes: { data: out, rows: N, cols: A }, nIter: stats.nIter, dualityGap: stats.gap, objective, converged: unconverged === 0 },
      unconverged,
    };
  } finally {
    ops.release();
  }
}

/** Zeros the warm-start rows whose objective is not below that of h = 0 (½‖x‖²), or not finite. */
function dropWorseThanZero<H>(ops: Ops<H>, X: H, dict: H, codes: H, x2: Float64Array, N: number, F: number, A: number, alpha: number): void {
  const start = residualObjective(ops, X, dict, codes, N, F, A, alpha);
  for (let i = 0; i < N; i++) {
    if (start[i] <= 0.5 * x2[i]) continue;
    ops.view(ops.at(codes, i * A), A).fill(0);
  }
}

/** The warning of an encode that stopped at maxIter with signals above the tolerance. */
export function unconvergedMessage(what: string, unconverged: number, N: number, maxIter: number, tol: number): string {
  return `${what} did not converge in ${maxIter} iterations for ${unconverged} of ${N} signals (duality gap above tol·‖x‖², tol = ${tol}); try a larger maxIter or tol, or another algorithm`;
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

/**
 * m·2^e in the element type of the solve. Scaling comes before the cast to f32: a dictionary of
 * 1e94 is out of f32's range, its rescaled copy is not (and for in-range values the order does not
 * change a bit, since scaling by a power of two is exact).
 */
function scaledIn(m: Matrix, e: number, dtype: DType): FloatArray {
  if (dtype === 'f32' && !(m.data instanceof Float32Array)) return Float32Array.from(scaledCopy(m.data, e));
  return scaledCopy(sameTypeArray(m, dtype), e);
}

function sameTypeArray(m: Matrix, dtype: DType): FloatArray {
  return (dtype === 'f32') === (m.data instanceof Float32Array) ? m.data : castData(m, dtype);
}
