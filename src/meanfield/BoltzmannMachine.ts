/**
 * BoltzmannMachine: binary units with energy E(x) = −bᵀx − ½xᵀWx, any subset of them observed
 * (clamped); mean-field bounds on the log-partition function and exact enumeration beside them.
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { describe, toVector } from '../runtime/matrix.js';
import type { MatrixLike } from '../runtime/matrix.js';
import { boundAt, enumerate, meanField, type BinaryQuadratic } from './quadratic.js';
import { largest, requireFinite, sweepsMessage, warningSink, type WarningSink } from './guards.js';
import type { ConvergenceInfo, MeanFieldOptions } from './types.js';
import { MEAN_FIELD_OPTION_KEYS, checkEnumerable, checkParamMatrix, checkParamVector, resolveMeanField } from './validate.js';

/** Constructor options of {@link BoltzmannMachine}. */
export interface BoltzmannMachineOptions {
  /** n × n weights: symmetric, zero diagonal. */
  W: MatrixLike;
  /** Biases, length n (default 0). */
  b?: Float64Array | number[];
  /** Receives the warning when `meanField` sweeps stop at maxIter (default console.warn). */
  onWarning?: (message: string) => void;
}

const OPTION_KEYS = optionKeys<BoltzmannMachineOptions>()(['W', 'b', 'onWarning']);

/** Result of {@link BoltzmannMachine.meanField}. */
export interface BoltzmannMeanField extends ConvergenceInfo {
  /** q(x_i = 1) for every unit (length n); clamped units hold their observed value. */
  marginals: Float64Array;
  /** L ≤ log Σ_h exp(−E(v, h)) (log Z when nothing is clamped). */
  lowerBound: number;
}

/** The free units of a clamp, the quadratic form over them, and the constant −E(v, 0). */
interface Reduced {
  free: number[];
  q: BinaryQuadratic;
  constant: number;
}

/**
 * A Boltzmann machine over n binary units, p(x) ∝ exp(bᵀx + ½xᵀWx). Clamping the observed
 * units v leaves a model of the same form over the free units h:
 * a = b_h + W_hv v, J = W_hh, plus the constant b_vᵀv + ½vᵀW_vv v.
 *
 * @example
 * ```ts
 * import { init, BoltzmannMachine } from 'elbo-wasm';
 * await init();
 * const bm = new BoltzmannMachine({ W: [[0, 1, -1], [1, 0, 0.5], [-1, 0.5, 0]], b: [0.1, -0.2, 0] });
 * const { marginals, lowerBound } = bm.meanField();      // all units free: a bound on log Z
 * bm.exactLogPartition();                                // ≥ lowerBound
 * bm.meanField(Float64Array.of(1, NaN, NaN));            // unit 0 observed on
 * ```
 */
export class BoltzmannMachine {
  /** Number of units. */
  readonly n: number;
  private readonly Wd: Float64Array;
  private readonly bd: Float64Array;
  private readonly onWarning: WarningSink;

  constructor(options: BoltzmannMachineOptions) {
    options = checkOptions(options, OPTION_KEYS, 'BoltzmannMachine');
    const W = checkParamMatrix(options.W, 'W');
    const n = W.rows;
    if (W.cols !== n) throw new ShapeError(`W must be square; got ${W.rows} × ${W.cols}`);
    let scale = 0;
    for (const v of W.data) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < n; i++) {
      if (W.data[i * n + i] !== 0) throw new ValueError(`W must have a zero diagonal (a unit does not interact with itself; put x_i² = x_i terms in b); W[${i}][${i}] is ${W.data[i * n + i]}`);
      for (let j = 0; j < i; j++) {
        if (Math.abs(W.data[i * n + j] - W.data[j * n + i]) > 1e-12 * scale) {
          throw new ValueError(`W must be symmetric; W[${i}][${j}] = ${W.data[i * n + j]} but W[${j}][${i}] = ${W.data[j * n + i]}`);
        }
      }
    }
    this.n = n;
    this.Wd = W.data;
    this.bd = options.b === undefined ? new Float64Array(n) : checkParamVector(options.b, 'b', n);
    this.onWarning = warningSink(options.onWarning);
  }

  /** The weights (a copy, n × n). */
  get W(): Float64Array { return Float64Array.from(this.Wd); }
  /** The biases (a copy). */
  get b(): Float64Array { return Float64Array.from(this.bd); }

  /** E(x) = −bᵀx − ½xᵀWx for a state x (length n). */
  energy(x: Float64Array | number[]): number {
    const v = toVector(x, 'x', this.n);
    let e = 0;
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let j = 0; j < this.n; j++) s += this.Wd[i * this.n + j] * v[j];
      e -= this.bd[i] * v[i] + 0.5 * v[i] * s;
    }
    return e;
  }

  /**
   * Mean-field inference of the free units: the fixed point q_i = σ(b_i + Σ_j W_ij q_j) (clamped
   * units enter with their values), sequential or damped parallel, started from q = ½.
   *
   * @param clamp length n: 0 or 1 for observed units, NaN for free ones (omitted: all free)
   */
  meanField(clamp?: Float64Array | number[], options: MeanFieldOptions = {}): BoltzmannMeanField {
    options = checkOptions(options, MEAN_FIELD_OPTION_KEYS, 'BoltzmannMachine.meanField');
    const o = resolveMeanField(options);
    const { free, q, constant } = this.reduce(clamp);
    const marginals = this.clampValues(clamp);
    if (free.length === 0) return { marginals, lowerBound: constant, nIter: 0, converged: true, change: 0 };
    const r = meanField(q, new Float64Array(free.length).fill(0.5), o);
    free.forEach((unit, i) => { marginals[unit] = r.h[i]; });
    const lowerBound = constant + r.bound[0];
    requireFinite([lowerBound], () => `the mean-field bound is not finite: W and b (max |w| = ${largest(this.Wd).toPrecision(3)}) are too large for its sums in f64; scale them down`);
    if (!r.converged && o.tol > 0) this.onWarning(sweepsMessage('BoltzmannMachine.meanField', o.maxIter, r.change, o.tol));
    return { marginals, lowerBound, nIter: r.nIter, converged: r.converged, change: r.change };
  }

  /** log Σ_h exp(−E(v, h)) over the free units (log Z with nothing clamped), by enumeration (at most 24 free units). */
  exactLogPartition(clamp?: Float64Array | number[]): number {
    const { free, q, constant } = this.reduce(clamp);
    checkEnumerable(free.length, 'exactLogPartition');
    const logZ = constant + enumerate(q, false).logZ[0];
    requireFinite([logZ], () => `log Z is beyond f64: W and b (max |w| = ${largest(this.Wd).toPrecision(3)}) make a state's −E(x) overflow; scale them down`);
    return logZ;
  }

  /** The exact marginals p(x_i = 1 | v) (clamped units hold their values), by enumeration. */
  exactMarginals(clamp?: Float64Array | number[]): Float64Array {
    const { free, q } = this.reduce(clamp);
    checkEnumerable(free.length, 'exactMarginals');
    const out = this.clampValues(clamp);
    const { marginals } = enumerate(q, true);
    free.forEach((unit, i) => { out[unit] = (marginals as Float64Array)[i]; });
    return out;
  }

  /** The bound L(q) for given marginals of the free units (clamped entries ignored), in closed form. */
  lowerBound(marginals: Float64Array | number[], clamp?: Float64Array | number[]): number {
    const { free, q, constant } = this.reduce(clamp);
    const m = toVector(marginals, 'marginals', this.n);
    const h = Float64Array.from(free, (unit) => m[unit]);
    h.forEach((v, i) => { if (!(v >= 0 && v <= 1)) throw new ValueError(`marginals must lie in [0, 1]; marginals[${free[i]}] is ${v}`); });
    if (free.length === 0) return constant;
    return constant + boundAt(q, h)[0];
  }

  private clampValues(clamp?: Float64Array | number[]): Float64Array {
    const out = new Float64Array(this.n).fill(NaN);
    if (clamp) for (let i = 0; i < this.n; i++) if (!Number.isNaN(clamp[i])) out[i] = clamp[i];
    return out;
  }

  private reduce(clamp?: Float64Array | number[]): Reduced {
    const { n, Wd: W, bd: b } = this;
    const c = new Float64Array(n).fill(NaN);
    if (clamp !== undefined) {
      if (!(clamp instanceof Float64Array || Array.isArray(clamp))) throw new ShapeError(`clamp must be a Float64Array or number[] of length ${n}; got ${describe(clamp)}`);
      if (clamp.length !== n) throw new ShapeError(`clamp must have length ${n} (one entry per unit); got ${clamp.length}`);
      for (let i = 0; i < n; i++) {
        const v = clamp[i];
        if (!(v === 0 || v === 1 || Number.isNaN(v))) throw new ValueError(`clamp must hold 0 or 1 (observed) or NaN (free); clamp[${i}] is ${describe(v)}`);
        c[i] = v;
      }
    }
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isNaN(c[i])) free.push(i);
    const k = free.length;
    const a = new Float64Array(k), J = new Float64Array(k * k);
    free.forEach((u, i) => {
      let s = b[u];
      for (let j = 0; j < n; j++) if (!Number.isNaN(c[j])) s += W[u * n + j] * c[j];
      a[i] = s;
      free.forEach((w, j) => { J[i * k + j] = W[u * n + w]; });
    });
    let constant = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(c[i])) continue;
      let s = 0;
      for (let j = 0; j < n; j++) if (!Number.isNaN(c[j])) s += W[i * n + j] * c[j];
      constant += b[i] * c[i] + 0.5 * c[i] * s;
    }
    return { free, q: { a, J, rows: 1, n: k }, constant };
  }
}
