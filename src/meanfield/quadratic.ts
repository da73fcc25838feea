/**
 * The binary quadratic form every binary model of this family is brought to:
 *
 *   log p̃_r(h) = a_rᵀh + ½hᵀJh,  h ∈ {0,1}ⁿ, J symmetric with a zero diagonal, one row r per
 *   signal (binary sparse coding) or clamped configuration (Boltzmann machine).
 *
 * Mean-field inference (the fixed-point loop, run by the wasm kernels or their twins) gives a
 * lower bound on log Z_r = log Σ_h p̃_r(h); enumeration gives log Z_r exactly. A model adds its
 * own per-row constant to both.
 */
import { kernels, typed } from '../runtime/kernels.js';
import type { DType } from '../runtime/matrix.js';
import { Workspace, withWorkspace, type Buffer } from '../runtime/memory.js';
import * as ref from '../reference/index.js';
import { runBlocks } from '../runtime/threads/parallel.js';
import { logPartition } from './enumeration.js';
import type { ConvergenceInfo } from './types.js';
import type { ResolvedMeanField } from './validate.js';

/** Unnormalised log-probabilities log p̃(h) = aᵀh + ½hᵀJh of binary h ∈ {0,1}ⁿ, one a per row. */
export interface BinaryQuadratic {
  /** rows × n, row-major. */
  a: Float64Array;
  /** n × n, symmetric, zero diagonal. */
  J: Float64Array;
  /** Number of rows (problems sharing J). */
  rows: number;
  /** Number of binary units. */
  n: number;
}

export interface MeanFieldResult extends ConvergenceInfo {
  /** rows × n posterior means ĥ = q(h_i = 1). */
  h: Float64Array;
  /** The bound on log Z_r per row (without the model's constant). */
  bound: Float64Array;
}

/**
 * The buffers of one mean-field computation (a, J, Ĥ, the field, the bound per row) and the
 * sweeps over them, behind one interface with two engines: the wasm kernels in one workspace
 * that lives as long as the engine (a fit keeps it across iterations: no copy inside the loop),
 * and the plain-TypeScript twins.
 */
export interface QuadraticEngine {
  readonly rows: number;
  readonly n: number;
  setA(a: Float64Array): void;
  setJ(J: Float64Array): void;
  setH(h: Float64Array): void;
  /** Sweeps from the current Ĥ until max |Δĥ| ≤ tol or maxIter sweeps. */
  run(o: ResolvedMeanField): ConvergenceInfo;
  /** The bound on log Z_r per row at the current Ĥ. */
  bound(): Float64Array;
  /** A copy of Ĥ (rows × n). */
  h(): Float64Array;
  release(): void;
}

/** Rows per block of a sweep: a multiple of the sequential kernel's row group (8 f64 or 16 f32 rows). */
const SWEEP_ROWS = 256;

export class WasmQuadratic implements QuadraticEngine {
  readonly ws = new Workspace();
  readonly a: Buffer;
  readonly J: Buffer;
  readonly hBuf: Buffer;
  readonly field: Buffer;
  readonly out: Buffer;
  /** Per block of SWEEP_ROWS rows: its max |Δĥ| in the last sweep. */
  private readonly maxDelta: Buffer;

  /** a, J, Ĥ and the field are held in `dtype` (f32 runs the f32x4 sweeps); the bound is always f64. */
  constructor(readonly rows: number, readonly n: number, readonly dtype: DType = 'f64') {
    try {
      this.a = this.ws.alloc(dtype, rows * n);
      this.J = this.ws.alloc(dtype, n * n);
      this.hBuf = this.ws.alloc(dtype, rows * n);
      this.field = this.ws.alloc(dtype, rows * n);
      this.out = this.ws.f64(rows);
      this.maxDelta = this.ws.f64(Math.ceil(rows / SWEEP_ROWS));
    } catch (e) {
      this.ws.release();
      throw e;
    }
  }

  setA(a: Float64Array): void { this.a.set(a); }
  setJ(J: Float64Array): void { this.J.set(J); }
  setH(h: Float64Array): void { this.hBuf.set(h); }

  /**
   * Each sweep is a job of blocks of SWEEP_ROWS rows for the thread pool: rows are independent
   * problems sharing J, a multiple of the sequential kernel's row group keeps every row on the
   * path it takes in one call over all rows, and splitting the parallel sweep's GEMM by rows
   * changes no sum, so the bytes are those of a single call whatever the thread count. The
   * sweep's max |Δĥ| is the max over blocks (exact in any order).
   */
  run(o: ResolvedMeanField): ConvergenceInfo {
    const { rows, n, dtype } = this;
    const sfx = dtype === 'f32' ? 'F32' : 'F64';
    const perRow = (b: Buffer) => ({ base: b.ptr, perRow: n * (dtype === 'f32' ? 4 : 8) });
    const step = o.schedule === 'sequential'
      ? { kernel: `meanFieldSequential${sfx}`, args: [perRow(this.a), this.J.ptr, perRow(this.hBuf), { rows: 1 }, n, o.damping], result: this.maxDelta.ptr }
      : { kernel: `meanFieldParallel${sfx}`, args: [perRow(this.a), this.J.ptr, perRow(this.hBuf), perRow(this.field), { rows: 1 }, n, o.damping], result: this.maxDelta.ptr };
    const job = { label: `a mean-field sweep (${o.schedule})`, nRows: rows, blockRows: SWEEP_ROWS, steps: [step] };
    return iterate(o, () => {
      runBlocks(job);
      const d = this.maxDelta.view();
      let max = 0;
      for (let b = 0; b < d.length; b++) max = Math.max(max, d[b]);
      return max;
    });
  }

  bound(): Float64Array {
    // The field of the final Ĥ (the parallel sweep leaves it a sweep stale).
    typed('meanFieldField', this.dtype)(this.a.ptr, this.J.ptr, this.hBuf.ptr, this.field.ptr, this.rows, this.n);
    typed('meanFieldBound', this.dtype)(this.a.ptr, this.field.ptr, this.hBuf.ptr, this.out.ptr, this.rows, this.n);
    return this.out.readF64();
  }

  h(): Float64Array { return this.hBuf.readF64(); }
  release(): void { this.ws.release(); }
}

export class ReferenceQuadratic implements QuadraticEngine {
  readonly a: Float64Array;
  readonly J: Float64Array;
  readonly hArr: Float64Array;
  private readonly field: Float64Array;

  constructor(readonly rows: number, readonly n: number) {
    this.a = new Float64Array(rows * n);
    this.J = new Float64Array(n * n);
    this.hArr = new Float64Array(rows * n);
    this.field = new Float64Array(rows * n);
  }

  setA(a: Float64Array): void { this.a.set(a); }
  setJ(J: Float64Array): void { this.J.set(J); }
  setH(h: Float64Array): void { this.hArr.set(h); }

  run(o: ResolvedMeanField): ConvergenceInfo {
    const { a, J, hArr: h, field, rows, n } = this;
    if (o.schedule === 'sequential') return iterate(o, () => ref.meanFieldSequential(a, J, h, rows, n, o.damping));
    return iterate(o, () => ref.meanFieldParallel(a, J, h, field, rows, n, o.damping));
  }

  bound(): Float64Array {
    const out = new Float64Array(this.rows);
    ref.meanFieldField(this.a, this.J, this.hArr, this.field, this.rows, this.n);
    ref.meanFieldBound(this.a, this.field, this.hArr, out, this.rows, this.n);
    return out;
  }

  h(): Float64Array { return Float64Array.from(this.hArr); }
  release(): void {}
}

export function quadraticEngine(engine: 'wasm' | 'reference', rows: number, n: number): QuadraticEngine {
  return engine === 'reference' ? new ReferenceQuadratic(rows, n) : new WasmQuadratic(rows, n);
}

/**
 * Runs sweeps from h0 (rows × n, values in [0, 1]) until max |Δĥ| ≤ tol or maxIter sweeps, then
 * evaluates the bound at the final ĥ.
 */
export function meanField(q: BinaryQuadratic, h0: Float64Array, o: ResolvedMeanField): MeanFieldResult {
  const e = quadraticEngine(o.engine, q.rows, q.n);
  try {
    e.setA(q.a);
    e.setJ(q.J);
    e.setH(h0);
    const info = e.run(o);
    return { h: e.h(), bound: e.bound(), ...info };
  } finally {
    e.release();
  }
}

/** The fixed-point loop, once for both engines: sweep until the largest change is ≤ tol. */
function iterate(o: ResolvedMeanField, sweep: () => number): ConvergenceInfo {
  let change = Infinity;
  let nIter = 0;
  while (nIter < o.maxIter) {
    change = sweep();
    nIter++;
    if (change <= o.tol) return { nIter, converged: true, change };
  }
  return { nIter, converged: false, change };
}

/** The mean-field bound per row at a given ĥ (no sweeps). */
export function boundAt(q: BinaryQuadratic, h: Float64Array): Float64Array {
  const { a, J, rows, n } = q;
  const k = kernels();
  return withWorkspace((ws) => {
    const pa = ws.copyIn(a), pJ = ws.copyIn(J), ph = ws.copyIn(h), field = ws.f64(rows * n), out = ws.f64(rows);
    k.meanFieldFieldF64(pa.ptr, pJ.ptr, ph.ptr, field.ptr, rows, n);
    k.meanFieldBoundF64(pa.ptr, field.ptr, ph.ptr, out.ptr, rows, n);
    return out.readF64();
  });
}

export interface ExactResult {
  /** log Z_r per row (without the model's constant). */
  logZ: Float64Array;
  /** rows × n exact marginals p(h_i = 1), when asked for. */
  marginals: Float64Array | null;
}

/**
 * log Z_r by Gray-code enumeration of all 2ⁿ states (the caller has checked n): on the wasm
 * kernels over fixed ranges of the sequence, on the thread pool when there is one
 * (enumeration.ts), or by the plain-TypeScript twin over the same ranges.
 */
export function enumerate(q: BinaryQuadratic, withMarginals: boolean, engine: 'wasm' | 'reference' = 'wasm'): ExactResult {
  const { a, J, rows, n } = q;
  const aT = new Float64Array(n * rows);
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) aT[i * rows + r] = a[r * n + i];
  let logZ: Float64Array;
  let margT: Float64Array | null = null;
  if (engine === 'reference') {
    logZ = new Float64Array(rows);
    margT = withMarginals ? new Float64Array(n * rows) : null;
    ref.logPartition(aT, J, n, rows, logZ, margT);
  } else {
    ({ logZ, marg: margT } = logPartition(aT, J, n, rows, 'f64', withMarginals));
  }
  let marginals: Float64Array | null = null;
  if (margT) {
    marginals = new Float64Array(rows * n);
    for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) marginals[r * n + i] = margT[i * rows + r];
  }
  return { logZ, marginals };
}

/** log Σ_h exp(aᵀh + ½hᵀJh) contribution of one state h (binary, length n): used by brute-force checks. */
export function quadraticValue(a: ArrayLike<number>, J: ArrayLike<number>, h: ArrayLike<number>, n: number, offset = 0): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    if (h[i] === 0) continue;
    v += a[offset + i] * h[i];
    let s = 0;
    for (let j = 0; j < n; j++) s += J[i * n + j] * h[j];
    v += 0.5 * h[i] * s;
  }
  return v;
}
