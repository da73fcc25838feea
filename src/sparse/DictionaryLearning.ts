/**
 * DictionaryLearning: batch dictionary learning by alternating minimisation of
 * ½‖X − UV‖²_F + α‖U‖₁,₁ subject to ‖V_k‖₂ ≤ 1 (scikit-learn's objective), on wasm kernels.
 */
import { NotFittedError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { initialAtoms } from './atoms.js';
import {
  LEARN_OPTION_KEYS, allocAtoms, atomsFor, checkFitFinite, dictionaryStep, encodeStep, resolveLearnOptions, scaledAlpha, transformWith,
  type DictionaryLearningBaseOptions, type ResolvedLearnOptions,
} from './learn.js';
import { makeOps, type Ops } from './ops.js';
import { checkRowNorms, exponentOf, maxAbs, scaleInPlace, scalePow2, scaledCopy } from './scale.js';
import { rowSquares } from './sparseEncode.js';
import { checkInteger } from './validate.js';

/** Options of {@link DictionaryLearning}. */
export interface DictionaryLearningOptions extends DictionaryLearningBaseOptions {
  /** Alternations at most (default 1000). */
  maxIter?: number;
  /**
   * Stop when an alternation lowers the objective by less than tol times its value
   * (default 1e-8, scikit-learn's). fitAlgorithm defaults to 'fista'.
   */
  tol?: number;
}

const OPTION_KEYS = optionKeys<DictionaryLearningOptions>()([...LEARN_OPTION_KEYS, 'maxIter']);

/**
 * Batch dictionary learning: each alternation encodes all of X for the current atoms (a
 * warm-started lasso, FISTA by default), then updates every atom once by block coordinate
 * descent on A = UᵀU, Bt = UᵀX (each atom's exact minimiser, projected on ‖V_k‖ ≤ 1), then
 * scales atoms back to unit norm (their codes scaled by the old norm, so the product UV is
 * unchanged and the objective cannot rise). The objective never rises beyond the encoder's
 * tolerance; atoms stay unit-norm. `objectiveHistory` holds the per-row mean objective after
 * each alternation.
 *
 * Any scale of X works: the fit runs on X rescaled by a power of two (exact; the atoms do not
 * depend on it, the codes and objective are scaled back). A row whose ‖x‖² overflows f64 is
 * refused with a ValueError. A fit that throws (from `onIteration`, `onWarning` or a bad input)
 * leaves the model as it was; one that stops at maxIter without meeting `tol` warns through
 * `onWarning` (default console.warn).
 *
 * @example
 * ```ts
 * import { init, DictionaryLearning } from 'elbo-wasm';
 * await init();
 * const dl = new DictionaryLearning({ nComponents: 16, alpha: 0.5, seed: 1 }).fit(X); // X: N × F
 * dl.components;           // 16 × F unit-norm atoms
 * dl.transform(X).data;    // sparse codes, N × 16
 * dl.objectiveHistory;     // mean objective per row, per alternation
 * ```
 */
export class DictionaryLearning {
  private readonly o: ResolvedLearnOptions;
  private readonly maxIter: number;
  private V: Matrix | null = null;
  private history: number[] = [];
  private iterations = 0;
  private done = false;

  constructor(options: DictionaryLearningOptions = {}) {
    options = checkOptions(options, OPTION_KEYS, 'DictionaryLearning');
    this.o = resolveLearnOptions(options, { fitAlgorithm: 'fista', tol: 1e-8 });
    this.maxIter = checkInteger(options.maxIter ?? 1000, 'maxIter', 1);
  }

  /** The atoms V, nComponents × nFeatures (unit-norm rows), in the element type of X. */
  get components(): Matrix {
    return this.fitted();
  }
  /** The mean over the rows of X of ½‖x − uV‖² + α‖u‖₁ after each alternation of the last fit. */
  get objectiveHistory(): number[] {
    return this.history.slice();
  }
  /**
   * @deprecated use `objectiveHistory` (the same values). Before version 0.2 this was the total
   * over rows; it is now the per-row mean, as for MiniBatchDictionaryLearning. Removed in the
   * next version.
   */
  get error(): number[] {
    return this.objectiveHistory;
  }
  /** Alternations run. */
  get nIter(): number {
    return this.iterations;
  }
  /** True when the fit stopped on `tol`. */
  get converged(): boolean {
    return this.done;
  }

  /** Learns the atoms from X (N × F). */
  fit(X: MatrixLike): this {
    this.run(X, false);
    return this;
  }

  /** Learns the atoms from X and returns the codes of X found in the last alternation. */
  fitTransform(X: MatrixLike): Matrix {
    return this.run(X, true) as Matrix;
  }

  /** The sparse codes of X (N × nComponents) for the learned atoms, by `transformAlgorithm`. */
  transform(X: MatrixLike): Matrix {
    return transformWith(this.o, this.V, X, 'DictionaryLearning');
  }

  private fitted(): Matrix {
    if (!this.V) throw new NotFittedError('this DictionaryLearning is not fitted yet: call fit(X) first');
    return { ...this.V, data: this.V.data.slice() };
  }

  /** Fits on X rescaled by 2^−e; commits the result only after everything (warnings included) succeeded. */
  private run(X: MatrixLike, keepCodes: boolean): Matrix | null {
    const x = toMatrix(X, 'X');
    const o = this.o;
    const K = atomsFor(o, x.cols);
    const e = exponentOf(maxAbs(x.data));
    const xs: Matrix = { data: scaledCopy(x.data, -e), rows: x.rows, cols: x.cols };
    const x2 = rowSquares(xs);
    checkRowNorms(x2, e, 'X');
    const rng = new Random(o.seed);
    const V0 = o.dictInit ? o.dictInit.data : initialAtoms(xs, K, rng, o.positiveDict);
    const ops = makeOps(o.engine, x.data instanceof Float32Array ? 'f32' : 'f64');
    let fit: Fit;
    try {
      fit = this.alternate(ops, xs, x2, e, K, V0, rng, keepCodes);
    } finally {
      ops.release();
    }
    checkFitFinite('DictionaryLearning', fit.V.data, fit.history);
    if (!fit.converged && !fit.stopped && o.tol > 0) {
      o.onWarning(`DictionaryLearning did not converge in ${this.maxIter} iterations (last relative decrease of the objective above tol = ${o.tol}); try a larger maxIter or tol`);
    }
    this.V = fit.V;
    this.history = fit.history;
    this.iterations = fit.nIter;
    this.done = fit.converged;
    return fit.codes;
  }

  private alternate<H>(ops: Ops<H>, x: Matrix, x2: Float64Array, e: number, K: number, V0: ArrayLike<number>, rng: Random, keepCodes: boolean): Fit {
    const o = { ...this.o, alpha: scaledAlpha(this.o.alpha, e) };
    const { rows: N, cols: F } = x;
    const at = allocAtoms(ops, V0, K, F);
    const Xh = ops.from(x.data);
    const U = ops.alloc(N * K);
    ops.view(U, N * K).fill(0);
    const R = ops.alloc(N * F);
    const costs: number[] = [];
    const history: number[] = [];
    let converged = false, stopped = false;
    let it = 0;
    while (it < this.maxIter) {
      it++;
      encodeStep(ops, o, at, Xh, x2, U, N);
      ops.gemmTN(U, U, at.A, K, K, N, 0);
      ops.gemmTN(U, Xh, at.Bt, K, F, N, 0);
      const s = dictionaryStep(ops, o, at, x, rng);
      if (s) {
        ops.view(at.scale, K).set(s);
        ops.mulCols(U, at.scale, N, K);
      }
      // ½‖X − UV‖² + α‖U‖₁ with R = UV − X, in the rescaled units (decisions on these are exact
      // images of the unscaled ones); reported as the per-row mean in the units of X.
      ops.copy(Xh, R, N * F);
      ops.gemmNN(U, at.V, R, N, F, K, -1);
      let l1 = 0;
      for (const u of ops.view(U, N * K)) l1 += Math.abs(u);
      const cost = 0.5 * ops.sumSquares(R, N * F) + o.alpha * l1;
      costs.push(cost);
      const objective = scalePow2(cost / N, 2 * e);
      history.push(objective);
      if (o.onIteration?.({ iteration: it, objective, error: objective }) === false) {
        stopped = true;
        break;
      }
      if (it > 1 && costs[it - 2] - cost < o.tol * cost) {
        converged = true;
        break;
      }
    }
    let codes: Matrix | null = null;
    if (keepCodes) {
      const data = ops.view(U, N * K).slice();
      scaleInPlace(data, e);
      codes = { data, rows: N, cols: K };
    }
    return { V: { data: ops.view(at.V, K * F).slice(), rows: K, cols: F }, history, nIter: it, converged, stopped, codes };
  }
}

/** The outcome of one fit, before it is committed. */
interface Fit {
  V: Matrix;
  history: number[];
  nIter: number;
  converged: boolean;
  stopped: boolean;
  codes: Matrix | null;
}
