/**
 * The engine for data with missing values: the complete rows go to an ordinary engine (wasm or
 * reference, unchanged), the rows with NaN to IncompleteRows (incomplete.ts); both work in the
 * frame of the whole data set. Log-likelihoods and Σ r log r add, statistics merge by Chan's rule
 * (gaussian.ts mergeStats), responsibilities are reassembled in row order.
 */
import type { Matrix } from '../runtime/matrix.js';
import { mergeStats } from './gaussian.js';
import type { EngineSpec, MixtureEngine } from './engine.js';
import { IncompleteRows } from './incomplete.js';
import type { GaussianParams, SufficientStats } from './types.js';

export class MissingEngine implements MixtureEngine {
  readonly n: number;
  private readonly K: number;
  /** Row indices of the complete rows and of the incomplete ones, in order. */
  private readonly completeRows: Int32Array;
  private readonly incompleteRows: Int32Array;
  private readonly inner: MixtureEngine | null;
  private readonly part: IncompleteRows;

  /**
   * @param spec the data (with NaN) and its frame; `spec.origin` must be given (missing.ts centredIncomplete)
   * @param engineFor opens the ordinary engine on the complete rows
   */
  constructor(spec: EngineSpec & { origin: Float64Array }, engineFor: (spec: EngineSpec) => MixtureEngine) {
    const { X, nComponents: K, covarianceType, origin, sampleWeight } = spec;
    this.n = X.rows;
    this.K = K;
    const complete: number[] = [], incomplete: number[] = [];
    const D = X.cols, data = X.data;
    for (let i = 0; i < X.rows; i++) {
      let full = true;
      for (let d = 0; d < D && full; d++) full = data[i * D + d] === data[i * D + d];
      (full ? complete : incomplete).push(i);
    }
    this.completeRows = Int32Array.from(complete);
    this.incompleteRows = Int32Array.from(incomplete);
    const pick = (rows: Int32Array) => ({ X: gatherRows(X, rows), w: sampleWeight && gather(sampleWeight, rows) });
    const inc = pick(this.incompleteRows);
    this.part = new IncompleteRows(inc.X, origin, covarianceType, K, inc.w);
    if (complete.length === 0) this.inner = null;
    else {
      const c = pick(this.completeRows);
      this.inner = engineFor({ X: c.X, covarianceType, nComponents: K, origin, sampleWeight: c.w });
    }
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    const a = logProbNorm && new Float64Array(this.completeRows.length);
    const b = logProbNorm && new Float64Array(this.incompleteRows.length);
    const total = (this.inner ? this.inner.eStep(params, a) : 0) + this.part.eStep(params, b);
    if (logProbNorm) {
      this.completeRows.forEach((row, i) => (logProbNorm[row] = a![i]));
      this.incompleteRows.forEach((row, i) => (logProbNorm[row] = b![i]));
    }
    return total;
  }

  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const b = this.part.eStepStats(params, withEntropy);
    if (!this.inner) return b;
    const a = this.inner.eStepStats(params, withEntropy);
    return { stats: mergeStats(a.stats, b.stats), sumRespLogResp: a.sumRespLogResp + b.sumRespLogResp };
  }

  stats(logLik: number): SufficientStats {
    const b = this.part.stats(0);
    const merged = this.inner ? mergeStats(this.inner.stats(0), b) : b;
    return { ...merged, logLik };
  }

  sumRespLogResp(): number {
    return (this.inner ? this.inner.sumRespLogResp() : 0) + this.part.sumRespLogResp();
  }

  setResponsibilities(resp: Float64Array): void {
    this.inner?.setResponsibilities(gatherBlocks(resp, this.completeRows, this.K));
    this.part.setResponsibilities(gatherBlocks(resp, this.incompleteRows, this.K));
  }

  responsibilities(): Float64Array {
    const { K } = this;
    const out = new Float64Array(this.n * K);
    const put = (rows: Int32Array, r: Float64Array) => rows.forEach((row, i) => out.set(r.subarray(i * K, (i + 1) * K), row * K));
    if (this.inner) put(this.completeRows, this.inner.responsibilities());
    put(this.incompleteRows, this.part.responsibilities());
    return out;
  }

  /** The missing entries of X (n × D, user's coordinates) replaced by E[x_m | x_o] under `params`. */
  impute(params: GaussianParams, out: Float64Array, D: number): void {
    const rows = this.incompleteRows;
    const part = gatherBlocks(out, rows, D);
    this.part.impute(params, part);
    rows.forEach((row, i) => out.set(part.subarray(i * D, (i + 1) * D), row * D));
  }

  release(): void {
    this.inner?.release();
  }
}

function gather(v: Float64Array, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => v[r]);
}

/** Rows `rows` of an n × width row-major array. */
function gatherBlocks(a: Float64Array, rows: Int32Array, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => out.set(a.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** Rows `rows` of X, in X's element type. */
function gatherRows(X: Matrix, rows: Int32Array): Matrix {
  const D = X.cols;
  const data = X.data instanceof Float32Array ? new Float32Array(rows.length * D) : new Float64Array(rows.length * D);
  rows.forEach((r, i) => data.set(X.data.subarray(r * D, (r + 1) * D), i * D));
  return { data, rows: rows.length, cols: D };
}
