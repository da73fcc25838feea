/**
 * The engine for data with missing values. Rows are split by missingness pattern: the complete
 * rows go to an ordinary engine (wasm or reference, unchanged), each pattern with many rows to an
 * ordinary engine over its observed features (engine-pattern.ts, so the O(N) work stays in the
 * SIMD kernels), and the rows of rare patterns to IncompleteRows: on the wasm engine its kernels
 * in blocks of rows (incomplete-wasm.ts), on the reference engine plain TypeScript row by row
 * (incomplete.ts). Every part works in the frame of the whole data set; log-likelihoods and Σ r log r
 * add, statistics merge by Chan's rule (gaussian.ts mergeStats) in a fixed order, and
 * responsibilities are reassembled in row order.
 */
import type { Matrix } from '../runtime/matrix.js';
import { mergeStats } from './gaussian.js';
import { checkCentres, type EngineSpec, type MixtureEngine } from './engine.js';
import { PatternEngine } from './engine-pattern.js';
import { IncompleteRows } from './incomplete.js';
import { WasmIncompleteRows } from './incomplete-wasm.js';
import { missingPatterns } from './missing.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

/**
 * Patterns with at least this many rows get an engine of their own: below it, the fixed cost of
 * an engine call (parameters loaded, O(D³) completion) outweighs the kernels' speed per row.
 */
export const MIN_PATTERN_ROWS = 16;

/**
 * With the rows of rare patterns on the wasm kernels (incomplete-wasm.ts), a pattern gets an
 * engine of its own from this many rows per feature. Its engine costs O(K·D³) per iteration for
 * the completion and the marginal model (full, tied), plus an engine's fixed cost, and saves
 * O(K·D²) per row against the kernels (about 0.5 µs at D = 16, 1 µs at D = 32, K = 8, full): on
 * 20,000 rows with one pattern of r rows, the pattern's engine began to pay at r ≈ 512 for
 * D = 16 and r ≈ 2,048 for D = 32 (2-core EPYC VM, Node 20). Diag with 1·D or 4·D rows per
 * feature: the pattern engines' fixed cost made 20,000 × 16 with 10 % NaN 4.6–9.7× the complete
 * fit's iteration, against 2.5× with 32·D.
 */
export const PATTERN_ROWS_PER_FEATURE = 32;

/** One part of the data: an engine and the rows (of the whole data) it holds, in order. */
interface Part {
  engine: MixtureEngine;
  rows: Int32Array;
}

export class MissingEngine implements MixtureEngine {
  readonly n: number;
  private readonly K: number;
  private readonly D: number;
  private readonly parts: Part[] = [];
  /** The part of the rows scored row by row (rare patterns, rows without an observed value), last in `parts`. */
  private readonly rowByRow: IncompleteRows;

  /**
   * @param spec the data (with NaN) and its frame; `spec.origin` must be given (missing.ts observedColumnMeans)
   * @param engineFor opens an ordinary engine (wasm or reference) on complete data
   * @param minPatternRows patterns with fewer rows are scored row by row (Infinity: every pattern); by default
   *   MIN_PATTERN_ROWS, or PATTERN_ROWS_PER_FEATURE·D when those rows run on the wasm kernels
   * @param rowKernels what scores the rows of rare patterns: the wasm kernels, or the TypeScript of IncompleteRows
   */
  constructor(spec: EngineSpec & { origin: Float64Array }, engineFor: (spec: EngineSpec) => MixtureEngine, minPatternRows?: number,
    rowKernels: RowKernels = 'wasm') {
    const { X, nComponents: K, covarianceType: type, origin, sampleWeight: w } = spec;
    minPatternRows ??= rowKernels === 'wasm' ? Math.max(MIN_PATTERN_ROWS, PATTERN_ROWS_PER_FEATURE * X.cols) : MIN_PATTERN_ROWS;
    this.n = X.rows;
    this.K = K;
    this.D = X.cols;
    const rare: number[] = [];
    const pick = (rows: Int32Array) => ({ X: gatherRows(X, rows), w: w && Float64Array.from(rows, (r) => w[r]) });
    try {
      for (const p of missingPatterns(X)) {
        if (p.mis.length === 0) {
          const c = pick(p.rows);
          this.parts.push({ engine: engineFor({ X: c.X, covarianceType: type, nComponents: K, origin, sampleWeight: c.w }), rows: p.rows });
        } else if (p.rows.length >= minPatternRows && p.obs.length > 0) {
          const c = pick(p.rows);
          const local = { ...p, rows: Int32Array.from(p.rows, (_, i) => i) };
          this.parts.push({ engine: new PatternEngine(c.X, local, type, K, origin, c.w, engineFor), rows: p.rows });
        } else rare.push(...p.rows);
      }
      const rows = Int32Array.from(rare).sort();
      const r = pick(rows);
      this.rowByRow = incompleteRows(r.X, origin, type, K, r.w, rowKernels);
      this.parts.push({ engine: this.rowByRow, rows });
    } catch (err) {
      this.release();
      throw err;
    }
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    let total = 0;
    for (const { engine, rows } of this.parts) {
      const lp = logProbNorm && new Float64Array(rows.length);
      total += engine.eStep(params, lp);
      if (lp) rows.forEach((row, i) => (logProbNorm![row] = lp[i]));
    }
    return total;
  }

  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    let stats: SufficientStats | null = null, sumRespLogResp = 0;
    for (const { engine } of this.parts) {
      const r = engine.eStepStats(params, withEntropy);
      stats = stats ? mergeStats(stats, r.stats) : r.stats;
      sumRespLogResp += r.sumRespLogResp;
    }
    return { stats: stats!, sumRespLogResp };
  }

  stats(logLik: number): SufficientStats {
    let stats: SufficientStats | null = null;
    for (const { engine } of this.parts) stats = stats ? mergeStats(stats, engine.stats(0)) : engine.stats(0);
    return { ...stats!, logLik };
  }

  /** Each part's statsAbout, merged as stats merges them. */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats {
    checkCentres(centres, this.K, this.D);
    let stats: SufficientStats | null = null;
    for (const { engine } of this.parts) {
      const s = engine.statsAbout(centres, 0);
      stats = stats ? mergeStats(stats, s) : s;
    }
    return { ...stats!, logLik };
  }

  sumRespLogResp(): number {
    let s = 0;
    for (const { engine } of this.parts) s += engine.sumRespLogResp();
    return s;
  }

  setResponsibilities(resp: Float64Array): void {
    for (const { engine, rows } of this.parts) engine.setResponsibilities(gatherBlocks(resp, rows, this.K));
  }

  responsibilities(): Float64Array {
    const { K } = this;
    const out = new Float64Array(this.n * K);
    for (const { engine, rows } of this.parts) {
      const r = engine.responsibilities();
      rows.forEach((row, i) => out.set(r.subarray(i * K, (i + 1) * K), row * K));
    }
    return out;
  }

  release(): void {
    // Workspaces are a stack: release the engines in reverse order of opening.
    for (let i = this.parts.length - 1; i >= 0; i--) this.parts[i].engine.release();
  }
}

/**
 * E[x | x_o] under `params`: writes the conditional means into the missing entries of `out`
 * (X's rows, n × D, user's coordinates), row by row.
 */
export function imputeMissing(X: Matrix, params: GaussianParams, spec: Omit<EngineSpec, 'X'> & { origin: Float64Array }, out: Float64Array,
  rowKernels: RowKernels = 'wasm'): void {
  const rows = incompleteRows(X, spec.origin, spec.covarianceType, spec.nComponents, undefined, rowKernels);
  try {
    rows.impute(params, out);
  } finally {
    rows.release();
  }
}

/** What scores rows of rare patterns: the wasm kernels (WasmIncompleteRows) or IncompleteRows' TypeScript row by row. */
export type RowKernels = 'wasm' | 'reference';

function incompleteRows(X: Matrix, origin: Float64Array, type: CovarianceType, K: number, w: Float64Array | undefined, kernels: RowKernels): IncompleteRows {
  return kernels === 'wasm' ? new WasmIncompleteRows(X, origin, type, K, w) : new IncompleteRows(X, origin, type, K, w);
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
