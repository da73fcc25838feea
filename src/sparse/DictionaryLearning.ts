/**
 * DictionaryLearning: batch dictionary learning by alternating minimisation of
 * ½‖X − UV‖²_F + α‖U‖₁,₁ subject to ‖V_k‖₂ ≤ 1 (scikit-learn's objective), on wasm kernels.
 */
import { NotFittedError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { initialAtoms } from './atoms.js';
import {
  allocAtoms, atomsFor, dictionaryStep, encodeStep, resolveLearnOptions, transformWith,
  type DictionaryLearningBaseOptions, type ResolvedLearnOptions,
} from './learn.js';
import { makeOps, type Ops } from './ops.js';
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

/**
 * Batch dictionary learning: each alternation encodes all of X for the current atoms (a
 * warm-started lasso, FISTA by default), then updates every atom once by block coordinate
 * descent on A = UᵀU, Bt = UᵀX (each atom's exact minimiser, projected on ‖V_k‖ ≤ 1), then
 * scales atoms back to unit norm (their codes scaled by the old norm, so the product UV is
 * unchanged and the objective cannot rise). The objective never rises beyond the encoder's
 * tolerance; atoms stay unit-norm. `error` holds the objective after each alternation.
 *
 * @example
 * ```ts
 * import { init, DictionaryLearning } from 'elbo-wasm';
 * await init();
 * const dl = new DictionaryLearning({ nComponents: 16, alpha: 0.5, seed: 1 }).fit(X); // X: N × F
 * dl.components;           // 16 × F unit-norm atoms
 * dl.transform(X).data;    // sparse codes, N × 16
 * dl.error;                // objective per alternation
 * ```
 */
export class DictionaryLearning {
  private readonly o: ResolvedLearnOptions;
  private readonly maxIter: number;
  private V: Matrix | null = null;
  private errors: number[] = [];
  private iterations = 0;
  private done = false;

  constructor(options: DictionaryLearningOptions = {}) {
    this.o = resolveLearnOptions(options, { fitAlgorithm: 'fista', tol: 1e-8 });
    this.maxIter = checkInteger(options.maxIter ?? 1000, 'maxIter', 1);
  }

  /** The atoms V, nComponents × nFeatures (unit-norm rows), in the element type of X. */
  get components(): Matrix {
    return this.fitted();
  }
  /** The objective ½‖X − UV‖²_F + α‖U‖₁,₁ after each alternation. */
  get error(): number[] {
    return this.errors.slice();
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
    return transformWith(this.o, this.V, X);
  }

  private fitted(): Matrix {
    if (!this.V) throw new NotFittedError('this DictionaryLearning is not fitted yet: call fit(X) first');
    return { ...this.V, data: this.V.data.slice() };
  }

  private run(X: MatrixLike, keepCodes: boolean): Matrix | null {
    const x = toMatrix(X, 'X');
    const o = this.o;
    const K = atomsFor(o, x.cols);
    const rng = new Random(o.seed);
    const V0 = o.dictInit ? o.dictInit.data : initialAtoms(x, K, rng, o.positiveDict);
    const ops = makeOps(o.engine, x.data instanceof Float32Array ? 'f32' : 'f64');
    try {
      return this.alternate(ops, x, K, V0, rng, keepCodes);
    } finally {
      ops.release();
    }
  }

  private alternate<H>(ops: Ops<H>, x: Matrix, K: number, V0: ArrayLike<number>, rng: Random, keepCodes: boolean): Matrix | null {
    const o = this.o;
    const { rows: N, cols: F } = x;
    const at = allocAtoms(ops, V0, K, F);
    const Xh = ops.from(x.data);
    const U = ops.alloc(N * K);
    ops.view(U, N * K).fill(0);
    const R = ops.alloc(N * F);
    const x2 = rowSquares(x);
    const errors: number[] = [];
    let converged = false;
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
      // ½‖X − UV‖² + α‖U‖₁ with R = UV − X.
      ops.copy(Xh, R, N * F);
      ops.gemmNN(U, at.V, R, N, F, K, -1);
      let l1 = 0;
      for (const u of ops.view(U, N * K)) l1 += Math.abs(u);
      const cost = 0.5 * ops.sumSquares(R, N * F) + o.alpha * l1;
      errors.push(cost);
      if (o.onIteration?.({ iteration: it, error: cost }) === false) break;
      if (it > 1 && errors[it - 2] - cost < o.tol * cost) {
        converged = true;
        break;
      }
    }
    this.V = { data: ops.view(at.V, K * F).slice(), rows: K, cols: F };
    this.errors = errors;
    this.iterations = it;
    this.done = converged;
    return keepCodes ? { data: ops.view(U, N * K).slice(), rows: N, cols: K } : null;
  }
}
