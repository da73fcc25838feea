/**
 * MiniBatchDictionaryLearning: online dictionary learning (Mairal, Bach, Ponce & Sapiro 2009)
 * on wasm kernels, with scikit-learn's forgetting schedule of the sufficient statistics.
 */
import { NotFittedError, ShapeError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { initialAtoms } from './atoms.js';
import {
  allocAtoms, atomsFor, dictionaryStep, encodeStep, resolveLearnOptions, transformWith,
  type Atoms, type DictionaryLearningBaseOptions, type ResolvedLearnOptions,
} from './learn.js';
import { makeOps, type Ops } from './ops.js';
import { rowSquares } from './sparseEncode.js';
import { checkBoolean, checkInteger } from './validate.js';

/** Options of {@link MiniBatchDictionaryLearning}. */
export interface MiniBatchDictionaryLearningOptions extends DictionaryLearningBaseOptions {
  /** Epochs (passes over X) at most in `fit` (default 10). */
  maxIter?: number;
  /** Rows per mini-batch (default 256). */
  batchSize?: number;
  /** Visit the rows in a new random order each epoch (default true). */
  shuffle?: boolean;
  /**
   * Stop `fit` when an epoch moves the atoms by less than tol, relatively: ‖ΔV‖_F ≤ tol·‖V‖_F
   * (default 1e-3; 0 runs every epoch). fitAlgorithm defaults to 'cd'.
   */
  tol?: number;
}

/** The learner's state between calls: atoms, statistics, steps taken. */
interface State {
  V: Float64Array | Float32Array;
  A: Float64Array | Float32Array;
  Bt: Float64Array | Float32Array;
  K: number;
  F: number;
  steps: number;
  rng: Random;
}

/**
 * Online dictionary learning. Each mini-batch X_b is encoded for the current atoms, the
 * statistics are updated as A ← βA + U_bᵀU_b, Bt ← βBt + U_bᵀX_b (β: scikit-learn's forgetting
 * factor, which weighs early, poor codes down), and every atom is updated once by block
 * coordinate descent on the surrogate ½tr(VᵀAV) − tr(VᵀBt), projected on ‖V_k‖ ≤ 1, then
 * scaled back to unit norm (A, Bt rescaled to match). `fit` runs epochs over X; `partialFit`
 * takes X as one mini-batch. `error` holds, per epoch (or per partialFit call), the mean over
 * its rows of ½‖x − uV‖² + α‖u‖₁ at encoding time.
 *
 * @example
 * ```ts
 * import { init, MiniBatchDictionaryLearning } from 'elbo-wasm';
 * import { loadDigits } from 'elbo-wasm/datasets';
 * await init();
 * const { X } = await loadDigits();                      // 1797 × 64
 * const mb = new MiniBatchDictionaryLearning({ nComponents: 100, alpha: 1, maxIter: 5, seed: 0 }).fit(X);
 * mb.components;   // 100 × 64 unit-norm atoms (8×8 images)
 * mb.error;        // mean objective per epoch
 * ```
 */
export class MiniBatchDictionaryLearning {
  private readonly o: ResolvedLearnOptions;
  private readonly maxIter: number;
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private state: State | null = null;
  private errors: number[] = [];
  private epochs = 0;
  private done = false;

  constructor(options: MiniBatchDictionaryLearningOptions = {}) {
    this.o = resolveLearnOptions(options, { fitAlgorithm: 'cd', tol: 1e-3 });
    this.maxIter = checkInteger(options.maxIter ?? 10, 'maxIter', 1);
    this.batchSize = checkInteger(options.batchSize ?? 256, 'batchSize', 1);
    this.shuffle = checkBoolean(options.shuffle ?? true, 'shuffle');
  }

  /** The atoms V, nComponents × nFeatures (unit-norm rows), in the element type of X. */
  get components(): Matrix {
    if (!this.state) throw new NotFittedError('this MiniBatchDictionaryLearning is not fitted yet: call fit(X) or partialFit(X) first');
    return { data: this.state.V.slice(), rows: this.state.K, cols: this.state.F };
  }
  /** Mean per-row objective of each epoch (fit) or mini-batch (partialFit). */
  get error(): number[] {
    return this.errors.slice();
  }
  /** Epochs run by the last fit. */
  get nIter(): number {
    return this.epochs;
  }
  /** Mini-batch steps taken since the model was initialised. */
  get nSteps(): number {
    return this.state?.steps ?? 0;
  }
  /** True when the last fit stopped on `tol`. */
  get converged(): boolean {
    return this.done;
  }

  /** Learns the atoms from X (N × F) from a fresh start, in epochs of mini-batches. */
  fit(X: MatrixLike): this {
    const x = toMatrix(X, 'X');
    this.state = this.initialState(x);
    this.errors = [];
    this.epochs = 0;
    this.done = false;
    this.session(x, (ops, at, Xh, x2) => {
      const { o } = this;
      const N = x.rows, F = x.cols;
      const b = Math.min(this.batchSize, N);
      const Xb = ops.alloc(b * F), Ub = ops.alloc(b * at.K);
      const bx2 = new Float64Array(b);
      const rng = this.state!.rng;
      let before = ops.view(at.V, at.K * F).slice();
      for (let epoch = 1; epoch <= this.maxIter; epoch++) {
        const order = this.shuffle ? rng.permutation(N) : null;
        let total = 0;
        for (let start = 0; start < N; start += b) {
          const rows = Math.min(b, N - start);
          let batch = ops.at(Xh, start * F);
          if (order) {
            for (let i = 0; i < rows; i++) {
              ops.copy(ops.at(Xh, order[start + i] * F), ops.at(Xb, i * F), F);
              bx2[i] = x2[order[start + i]];
            }
            batch = Xb;
          } else bx2.set(x2.subarray(start, start + rows));
          total += this.step(ops, at, batch, bx2.subarray(0, rows), Ub, rows, x);
        }
        this.epochs = epoch;
        this.errors.push(total / N);
        const after = ops.view(at.V, at.K * F);
        let dd = 0, vv = 0;
        for (let i = 0; i < after.length; i++) { dd += (after[i] - before[i]) ** 2; vv += after[i] ** 2; }
        before = after.slice();
        if (o.onIteration?.({ iteration: epoch, error: total / N }) === false) break;
        if (o.tol > 0 && Math.sqrt(dd) <= o.tol * Math.sqrt(vv)) {
          this.done = true;
          break;
        }
      }
    });
    return this;
  }

  /** One online step with X as the mini-batch (initialising the model on the first call). */
  partialFit(X: MatrixLike): this {
    const x = toMatrix(X, 'X', this.state ? { cols: this.state.F, colsReason: `the model was fitted on ${this.state.F} features` } : {});
    if (!this.state) this.state = this.initialState(x);
    this.session(x, (ops, at, Xh, x2) => {
      const Ub = ops.alloc(x.rows * at.K);
      this.errors.push(this.step(ops, at, Xh, x2, Ub, x.rows, x) / x.rows);
    });
    return this;
  }

  /** The sparse codes of X (N × nComponents) for the learned atoms, by `transformAlgorithm`. */
  transform(X: MatrixLike): Matrix {
    return transformWith(this.o, this.state ? { data: this.state.V, rows: this.state.K, cols: this.state.F } : null, X);
  }

  private initialState(x: Matrix): State {
    const K = atomsFor(this.o, x.cols);
    const rng = new Random(this.o.seed);
    const V = this.o.dictInit ? this.o.dictInit.data : initialAtoms(x, K, rng, this.o.positiveDict);
    const f32 = x.data instanceof Float32Array;
    const make = (n: number | ArrayLike<number>) => (f32 ? new Float32Array(n as number) : new Float64Array(n as number));
    return { V: f32 ? Float32Array.from(V) : Float64Array.from(V), A: make(K * K), Bt: make(K * x.cols), K, F: x.cols, steps: 0, rng };
  }

  /** Runs fn with the state in wasm (or reference) buffers and copies it back afterwards. */
  private session(x: Matrix, fn: <H>(ops: Ops<H>, at: Atoms<H>, Xh: H, x2: Float64Array) => void): void {
    const st = this.state!;
    if ((x.data instanceof Float32Array) !== (st.V instanceof Float32Array)) {
      throw new ShapeError(`X must have the element type the model was initialised with (${st.V instanceof Float32Array ? 'Float32Array' : 'Float64Array'})`);
    }
    const ops = makeOps(this.o.engine, st.V instanceof Float32Array ? 'f32' : 'f64');
    try {
      const at = allocAtoms(ops, st.V, st.K, st.F);
      ops.view(at.A, st.K * st.K).set(st.A);
      ops.view(at.Bt, st.K * st.F).set(st.Bt);
      const Xh = ops.from(x.data);
      fn(ops, at, Xh, rowSquares(x));
      st.V.set(ops.view(at.V, st.K * st.F));
      st.A.set(ops.view(at.A, st.K * st.K));
      st.Bt.set(ops.view(at.Bt, st.K * st.F));
    } finally {
      ops.release();
    }
  }

  /** One mini-batch step; returns Σ over its rows of the objective at encoding time. */
  private step<H>(ops: Ops<H>, at: Atoms<H>, Xb: H, x2: Float64Array, Ub: H, rows: number, x: Matrix): number {
    const st = this.state!;
    const { K, F } = at;
    ops.view(Ub, rows * K).fill(0);
    const stats = encodeStep(ops, this.o, at, Xb, x2, Ub, rows);
    let cost = 0;
    for (let i = 0; i < rows; i++) cost += stats.objective[i];
    // scikit-learn's _update_inner_stats: past statistics weighted by β = (θ + 1 − b)/(θ + 1).
    const theta = st.steps < rows - 1 ? (st.steps + 1) * rows : rows * rows + st.steps + 1 - rows;
    const beta = (theta + 1 - rows) / (theta + 1);
    ops.gemmTN(Ub, Ub, at.A, K, K, rows, beta);
    ops.gemmTN(Ub, Xb, at.Bt, K, F, rows, beta);
    const s = dictionaryStep(ops, this.o, at, x, st.rng);
    if (s) {
      // The past codes scale with their atoms: A ← SAS, Bt ← S·Bt.
      const A = ops.view(at.A, K * K), Bt = ops.view(at.Bt, K * F);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) A[i * K + j] *= s[i] * s[j];
        for (let j = 0; j < F; j++) Bt[i * F + j] *= s[i];
      }
    }
    st.steps++;
    return cost;
  }
}
