/**
 * MiniBatchDictionaryLearning: online dictionary learning (Mairal, Bach, Ponce & Sapiro 2009)
 * on wasm kernels, with scikit-learn's forgetting schedule of the sufficient statistics.
 */
import { NotFittedError, ShapeError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { initialAtoms, normaliseAtoms } from './atoms.js';
import {
  LEARN_OPTION_KEYS, allocAtoms, atomsFor, checkFitFinite, dictionaryStep, encodeStep, resolveLearnOptions, scaledAlpha, transformWith,
  type Atoms, type DictionaryLearningBaseOptions, type ResolvedLearnOptions,
} from './learn.js';
import { makeOps, type Ops } from './ops.js';
import { checkRowNorms, exponentOf, maxAbs, scalePow2, scaledCopy } from './scale.js';
import { rowSquares } from './sparseEncode.js';
import { checkBoolean, checkInteger } from './validate.js';

/**
 * Statistics of one full-batch pass over (a shard of) the data under fixed atoms: what
 * {@link MiniBatchDictionaryLearning.mStep} needs; every field but the frame adds across shards.
 */
export interface DictionaryStats {
  /** Rows N. */
  n: number;
  /** Atoms K. */
  nComponents: number;
  /** Features F. */
  nFeatures: number;
  /** The model's frame: X was rescaled by 2^−exponent before encoding (A, B and objective are in that frame). */
  exponent: number;
  /** Σ h hᵀ over the rows' codes (K × K, row-major). */
  A: Float64Array;
  /** Σ h xᵀ (K × F, row-major). */
  B: Float64Array;
  /** Σ over rows of ½‖x − hV‖² + α‖h‖₁ at encoding time (in the frame: times 4^exponent in X's units). */
  objective: number;
}

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

const OPTION_KEYS = optionKeys<MiniBatchDictionaryLearningOptions>()([...LEARN_OPTION_KEYS, 'maxIter', 'batchSize', 'shuffle']);

/**
 * The learner's state between calls: atoms, statistics, steps taken, and the power-of-two
 * exponent e of X's scale fixed by the first call (every batch is rescaled by the same 2^−e, so
 * the statistics stay consistent across calls).
 */
interface State {
  V: Float64Array | Float32Array;
  A: Float64Array | Float32Array;
  Bt: Float64Array | Float32Array;
  K: number;
  F: number;
  steps: number;
  rng: Random;
  exponent: number;
}

/** A deep copy: a call works on one and commits it only when everything succeeded. */
function copyState(s: State): State {
  return { ...s, V: s.V.slice(), A: s.A.slice(), Bt: s.Bt.slice(), rng: s.rng.clone() };
}

/**
 * Online dictionary learning. Each mini-batch X_b is encoded for the current atoms, the
 * statistics are updated as A ← βA + U_bᵀU_b, Bt ← βBt + U_bᵀX_b (β: scikit-learn's forgetting
 * factor, which weighs early, poor codes down), and every atom is updated once by block
 * coordinate descent on the surrogate ½tr(VᵀAV) − tr(VᵀBt), projected on ‖V_k‖ ≤ 1, then
 * scaled back to unit norm (A, Bt rescaled to match). `fit` runs epochs over X; `partialFit`
 * takes X as one mini-batch. `objectiveHistory` holds, per epoch (or per partialFit call), the
 * mean over its rows of ½‖x − uV‖² + α‖u‖₁ at encoding time.
 *
 * Any scale of X works (the data are rescaled by a power of two fixed on the first call; rows
 * whose ‖x‖² overflows f64 are refused). `fit` and `partialFit` are all-or-nothing: a throw
 * (from `onIteration`, `onWarning` or bad input) leaves every property as it was. A `fit` that
 * runs all maxIter epochs without meeting `tol` > 0 warns through `onWarning`.
 *
 * @example
 * ```ts
 * import { init, MiniBatchDictionaryLearning } from 'elbo-wasm';
 * import { loadDigits } from 'elbo-wasm/datasets';
 * await init();
 * const { X } = await loadDigits();                      // 1797 × 64
 * const mb = new MiniBatchDictionaryLearning({ nComponents: 100, alpha: 1, maxIter: 5, seed: 0 }).fit(X);
 * mb.components;         // 100 × 64 unit-norm atoms (8×8 images)
 * mb.objectiveHistory;   // mean objective per row, per epoch
 * ```
 */
export class MiniBatchDictionaryLearning {
  private readonly o: ResolvedLearnOptions;
  private readonly maxIter: number;
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private state: State | null = null;
  private history: number[] = [];
  private epochs = 0;
  private done = false;

  constructor(options: MiniBatchDictionaryLearningOptions = {}) {
    options = checkOptions(options, OPTION_KEYS, 'MiniBatchDictionaryLearning');
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
  /** The mean over rows of ½‖x − uV‖² + α‖u‖₁ at encoding time, per epoch (fit) or mini-batch (partialFit). */
  get objectiveHistory(): number[] {
    return this.history.slice();
  }
  /** @deprecated use `objectiveHistory` (the same values); removed in the next version. */
  get error(): number[] {
    return this.objectiveHistory;
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
    const st = this.initialState(x);
    const history: number[] = [];
    let epochs = 0, converged = false, stopped = false;
    this.session(st, x, (ops, at, Xh, x2, alpha) => {
      const { o } = this;
      const N = x.rows, F = x.cols;
      const b = Math.min(this.batchSize, N);
      const Xb = ops.alloc(b * F), Ub = ops.alloc(b * at.K);
      const bx2 = new Float64Array(b);
      const rng = st.rng;
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
          total += this.step(st, ops, at, batch, bx2.subarray(0, rows), Ub, rows, alpha);
        }
        epochs = epoch;
        const objective = scalePow2(total / N, 2 * st.exponent);
        history.push(objective);
        const after = ops.view(at.V, at.K * F);
        let dd = 0, vv = 0;
        for (let i = 0; i < after.length; i++) { dd += (after[i] - before[i]) ** 2; vv += after[i] ** 2; }
        before = after.slice();
        if (o.onIteration?.({ iteration: epoch, objective, error: objective }) === false) {
          stopped = true;
          break;
        }
        if (o.tol > 0 && Math.sqrt(dd) <= o.tol * Math.sqrt(vv)) {
          converged = true;
          break;
        }
      }
    });
    checkFitFinite('MiniBatchDictionaryLearning', st.V, history);
    if (!converged && !stopped && this.o.tol > 0) {
      this.o.onWarning(`MiniBatchDictionaryLearning did not converge in ${this.maxIter} epochs (last relative change of the atoms above tol = ${this.o.tol}); try a larger maxIter or tol`);
    }
    this.state = st;
    this.history = history;
    this.epochs = epochs;
    this.done = converged;
    return this;
  }

  /** One online step with X as the mini-batch (initialising the model on the first call); all-or-nothing. */
  partialFit(X: MatrixLike): this {
    const x = toMatrix(X, 'X', this.state ? { cols: this.state.F, colsReason: `the model was fitted on ${this.state.F} features` } : {});
    const st = this.state ? copyState(this.state) : this.initialState(x);
    let objective = 0;
    this.session(st, x, (ops, at, Xh, x2, alpha) => {
      const Ub = ops.alloc(x.rows * at.K);
      objective = scalePow2(this.step(st, ops, at, Xh, x2, Ub, x.rows, alpha) / x.rows, 2 * st.exponent);
    });
    checkFitFinite('MiniBatchDictionaryLearning', st.V, [objective]);
    this.state = st;
    this.history = [...this.history, objective];
    return this;
  }

  /** The sparse codes of X (N × nComponents) for the learned atoms, by `transformAlgorithm`. */
  transform(X: MatrixLike): Matrix {
    return transformWith(this.o, this.state ? { data: this.state.V, rows: this.state.K, cols: this.state.F } : null, X, 'MiniBatchDictionaryLearning');
  }

  /**
   * Statistics of one full-batch pass over a shard X (N × F) under the current atoms (the
   * statistics protocol): the codes h of every row, A = Σ h hᵀ, B = Σ h xᵀ and the summed
   * objective, in the model's frame (X rescaled by the power of two fixed when the model was
   * initialised, so shards add exactly). {@link MiniBatchDictionaryLearning.mergeStats} adds
   * shards; {@link MiniBatchDictionaryLearning.mStep} updates the atoms once from the sum
   * ({@link fitWithStatistics} runs these over shards on any engine).
   *
   * @example
   * ```ts
   * const s = MiniBatchDictionaryLearning.mergeStats(mb.partialStats(shardA), mb.partialStats(shardB));
   * mb.mStep(s);   // one block-coordinate pass over the atoms with A and B of both shards
   * ```
   */
  partialStats(X: MatrixLike): DictionaryStats {
    const st0 = this.state;
    if (!st0) throw new NotFittedError('this MiniBatchDictionaryLearning has no atoms yet: call fit(X) or partialFit(X) first');
    const x = toMatrix(X, 'X', { cols: st0.F, colsReason: `the model was fitted on ${st0.F} features` });
    const st = copyState(st0);
    st.A.fill(0);
    st.Bt.fill(0);
    let objective = 0;
    this.session(st, x, (ops, at, Xh, x2, alpha) => {
      const { K, F } = at;
      const U = ops.alloc(x.rows * K);
      ops.view(U, x.rows * K).fill(0);
      const e = encodeStep(ops, { ...this.o, alpha }, at, Xh, x2, U, x.rows);
      for (let i = 0; i < x.rows; i++) objective += Math.max(0, e.objective[i]);
      ops.gemmTN(U, U, at.A, K, K, x.rows, 0);
      ops.gemmTN(U, Xh, at.Bt, K, F, x.rows, 0);
    });
    return { n: x.rows, nComponents: st.K, nFeatures: st.F, exponent: st.exponent, A: Float64Array.from(st.A), B: Float64Array.from(st.Bt), objective };
  }

  /** Adds the statistics of two shards (taken under the same atoms and frame). */
  static mergeStats(a: DictionaryStats, b: DictionaryStats): DictionaryStats {
    if (a.nComponents !== b.nComponents || a.nFeatures !== b.nFeatures || a.exponent !== b.exponent) {
      throw new ShapeError(`stats must come from the same model; got K=${a.nComponents} F=${a.nFeatures} exponent ${a.exponent} and K=${b.nComponents} F=${b.nFeatures} exponent ${b.exponent}`);
    }
    return {
      ...a, n: a.n + b.n, A: a.A.map((v, i) => v + b.A[i]), B: a.B.map((v, i) => v + b.B[i]), objective: a.objective + b.objective,
    };
  }

  /**
   * One block-coordinate pass over the atoms on the surrogate ½tr(VᵀAV) − tr(VᵀB) of (merged)
   * full-batch statistics, atoms back to unit norm; an atom no row uses keeps its previous value
   * (fit would resample it from X, which an M-step does not see). Returns this.
   */
  mStep(stats: DictionaryStats): this {
    const st0 = this.state;
    if (!st0) throw new NotFittedError('this MiniBatchDictionaryLearning has no atoms yet: call fit(X) or partialFit(X) first');
    if (stats.nComponents !== st0.K || stats.nFeatures !== st0.F || stats.exponent !== st0.exponent) {
      throw new ShapeError(`stats must be for K=${st0.K} F=${st0.F} exponent ${st0.exponent}; got K=${stats.nComponents} F=${stats.nFeatures} exponent ${stats.exponent}`);
    }
    const st = copyState(st0);
    st.A.set(stats.A);
    st.Bt.set(stats.B);
    const { K, F } = st;
    const previous = st.V.slice();
    const ops = makeOps(this.o.engine, st.V instanceof Float32Array ? 'f32' : 'f64');
    try {
      const at = allocAtoms(ops, st.V, K, F);
      ops.view(at.A, K * K).set(st.A);
      ops.view(at.Bt, K * F).set(st.Bt);
      ops.dictionaryUpdate(at.V, at.A, at.Bt, at.norms, at.work, K, F, this.o.positiveDict ? 1 : 0);
      const norms = Float64Array.from(ops.view(at.norms, K));
      st.V.set(ops.view(at.V, K * F));
      for (let k = 0; k < K; k++) {
        if (norms[k] > 0) continue;
        st.V.set(previous.subarray(k * F, (k + 1) * F), k * F);
        norms[k] = 1;
      }
      normaliseAtoms(st.V, norms, K, F, { data: previous, rows: K, cols: F }, st.rng, this.o.positiveDict);
    } finally {
      ops.release();
    }
    checkFitFinite('MiniBatchDictionaryLearning', st.V, []);
    st.steps++;
    this.state = st;
    return this;
  }

  private initialState(x: Matrix): State {
    const K = atomsFor(this.o, x.cols);
    const exponent = exponentOf(maxAbs(x.data));
    const rng = new Random(this.o.seed);
    const xs = { data: scaledCopy(x.data, -exponent), rows: x.rows, cols: x.cols };
    const V = this.o.dictInit ? this.o.dictInit.data : initialAtoms(xs, K, rng, this.o.positiveDict);
    const f32 = x.data instanceof Float32Array;
    const make = (n: number | ArrayLike<number>) => (f32 ? new Float32Array(n as number) : new Float64Array(n as number));
    return { V: f32 ? Float32Array.from(V) : Float64Array.from(V), A: make(K * K), Bt: make(K * x.cols), K, F: x.cols, steps: 0, rng, exponent };
  }

  /**
   * Runs fn on st with X rescaled by 2^−st.exponent (and α with it) in wasm (or reference)
   * buffers, and copies the state back into st afterwards.
   */
  private session(st: State, x: Matrix, fn: <H>(ops: Ops<H>, at: Atoms<H>, Xh: H, x2: Float64Array, alpha: number) => void): void {
    if ((x.data instanceof Float32Array) !== (st.V instanceof Float32Array)) {
      throw new ShapeError(`X must have the element type the model was initialised with (${st.V instanceof Float32Array ? 'Float32Array' : 'Float64Array'})`);
    }
    const xs: Matrix = { data: scaledCopy(x.data, -st.exponent), rows: x.rows, cols: x.cols };
    const x2 = rowSquares(xs);
    checkRowNorms(x2, st.exponent, 'X');
    const ops = makeOps(this.o.engine, st.V instanceof Float32Array ? 'f32' : 'f64');
    try {
      const at = allocAtoms(ops, st.V, st.K, st.F);
      ops.view(at.A, st.K * st.K).set(st.A);
      ops.view(at.Bt, st.K * st.F).set(st.Bt);
      const Xh = ops.from(xs.data);
      this.resampleFrom = xs;
      fn(ops, at, Xh, x2, scaledAlpha(this.o.alpha, st.exponent));
      st.V.set(ops.view(at.V, st.K * st.F));
      st.A.set(ops.view(at.A, st.K * st.K));
      st.Bt.set(ops.view(at.Bt, st.K * st.F));
    } finally {
      this.resampleFrom = null;
      ops.release();
    }
  }

  /** The rescaled rows unused atoms are resampled from, during a session. */
  private resampleFrom: Matrix | null = null;

  /** One mini-batch step on st; returns Σ over its rows of the (rescaled) objective at encoding time. */
  private step<H>(st: State, ops: Ops<H>, at: Atoms<H>, Xb: H, x2: Float64Array, Ub: H, rows: number, alpha: number): number {
    const { K, F } = at;
    const o = { ...this.o, alpha };
    ops.view(Ub, rows * K).fill(0);
    const stats = encodeStep(ops, o, at, Xb, x2, Ub, rows);
    let cost = 0;
    // The solver's Gram-form objective, which rounding can push just below 0 at a perfect fit.
    for (let i = 0; i < rows; i++) cost += Math.max(0, stats.objective[i]);
    // scikit-learn's _update_inner_stats: past statistics weighted by β = (θ + 1 − b)/(θ + 1).
    const theta = st.steps < rows - 1 ? (st.steps + 1) * rows : rows * rows + st.steps + 1 - rows;
    const beta = (theta + 1 - rows) / (theta + 1);
    ops.gemmTN(Ub, Ub, at.A, K, K, rows, beta);
    ops.gemmTN(Ub, Xb, at.Bt, K, F, rows, beta);
    const s = dictionaryStep(ops, o, at, this.resampleFrom as Matrix, st.rng);
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
