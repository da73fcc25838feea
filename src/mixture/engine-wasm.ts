/**
 * The wasm engine: data centred on its origin (centre.ts) and copied into wasm memory once per
 * fit, responsibilities kept there, each E-step a job over blocks of rows of log-densities
 * (GEMM + whitened distances for full and tied, direct Σ p (x − μ)² for diag and spherical) and
 * a row softmax, each statistics pass a job of TN-GEMMs or the centred moments of each block.
 * Temporaries are the size of a block per thread, never N × K × D.
 *
 * Jobs run on every thread of the pool (runtime/threads): the blocks have a size fixed by K and
 * D alone, every block writes its own rows and its own partial sums, and the partial sums are
 * added here in block order, so the bytes of a fit do not depend on the number of threads.
 */
import { ValueError } from '../runtime/errors.js';
import { gemm } from '../runtime/gemm.js';
import { kernels } from '../runtime/kernels.js';
import { assertFinite, type DType } from '../runtime/matrix.js';
import { Workspace, type Buffer } from '../runtime/memory.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';
import { frozenJob, type BlockJob, type BlockStep } from '../runtime/threads/block-job.js';
import { centreInto, columnMeans } from './centre.js';
import { checkCentres, statsFromCentred, type EngineSpec, type MixtureEngine } from './engine.js';
import { densityBlockRows, loadDensityParameters, logDensitySteps, paddedComponents, parameterElements, projectionCols, TILE_PAD, triangularity } from './log-density.js';
import { componentMeans, shiftDiagScatter, shiftFullScatter, tiedScatterFromGram } from './scatter.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';
import { sumWLogW, totalWeight, weighRows, weightedSum } from './weights.js';

/**
 * Bytes the statistics' per-block partial sums may take in all. Past it, a statistics block
 * spans several E-step blocks (a number fixed by N, K and D, never by the thread count).
 */
const STATS_BUDGET_BYTES = 64 * 2 ** 20;
/**
 * Rows of a statistics block per value of its partial sums, at least: a block writes its partial
 * sums and the reduction reads them on the calling thread alone, so blocks of fewer rows than
 * that spend more on their partial sums (a full scatter has K·D² values) than on their rows.
 */
const STATS_ROWS_PER_VALUE = 0.5;
/** Statistics blocks at least, when there are rows enough (for the pool's threads to share). */
const STATS_MIN_BLOCKS = 16;

/** Each component's rows of nonzero weight, gathered one component at a time (exactScatters). */
interface RowGatherer {
  x: Buffer;
  w: Buffer;
  gather: (c: number) => number;
}

export class WasmEngine implements MixtureEngine {
  readonly n: number;
  private readonly ws = new Workspace();
  private readonly dtype: DType;
  private readonly type: CovarianceType;
  private readonly K: number;
  private readonly D: number;
  /** Components rounded up to a two-vector tile: the row stride of diagLogProb's transposed parameters. */
  private readonly ldk: number;
  private origin: Float64Array;
  /** The data minus `origin`, in the E-step's element type. */
  private readonly x: Buffer;
  /** The same in f64 for the statistics (the same buffer when the E-step runs in f64). */
  private readonly x64: Buffer;
  private readonly resp: Buffer;
  private readonly blockRows: number;
  /** Per thread: one block's projections (full, tied). */
  private readonly proj: Buffer;
  /** Per thread: one block's f32 log-densities (f32 only). */
  private readonly lp: Buffer;
  /** log p(x_n) of every row (the E-step's element type). */
  private readonly lse: Buffer;
  /** Per E-step block: Σ log p(x) of its rows. */
  private readonly blockLogLik: Buffer;
  private readonly pMat: Buffer;
  private readonly cVec: Buffer;
  private readonly bias: Buffer;
  /** Rows of a statistics block (a multiple of blockRows). */
  private readonly statRows: number;
  private readonly ones: Buffer;
  /** f64 values of one statistics block's partial sums: Σr (K), Σ r (x − o) (K·D), then the scatters. */
  private readonly statSize: number;
  /** Per statistics block: its partial sums (statSize each). */
  private readonly partials: Buffer;
  /** Per statistics block: its Σ r log r. */
  private readonly entropies: Buffer;
  /** Per thread: the weighted, centred rows of one statistics block (full). */
  private readonly zBlock: Buffer;
  /** The E-step's means minus `origin` (written by each pass, or by statsAbout): the fixed centres of the statistics pass. */
  private readonly centres: Buffer;
  private xtx: Float64Array | null = null;
  /** The block jobs built so far, by kind (job). */
  private readonly jobs = new Map<string, BlockJob>();
  private released = false;
  /** The labels the stored responsibilities are one-hot rows of (setLabels), until they change. */
  private labels: Int32Array | null = null;
  /** The sample weights (JS side), or undefined: the stored responsibilities are then w_n r_nk. */
  private w: Float64Array | undefined;
  /** The same weights in wasm memory (empty when unweighted), for the weighted Gram matrix. */
  private readonly wBuf: Buffer;
  /** Σ w (the rows when unweighted): the statistics' n. */
  private count: number;

  constructor({ X, covarianceType, nComponents, origin, sampleWeight, unchecked }: EngineSpec) {
    try {
      this.n = X.rows;
      this.w = sampleWeight;
      this.count = totalWeight(sampleWeight, X.rows);
      this.dtype = X.data instanceof Float32Array ? 'f32' : 'f64';
      this.type = covarianceType;
      this.K = nComponents;
      this.D = X.cols;
      const { n, K, D, ws, dtype } = this;
      const threads = threadCount();
      this.ldk = paddedComponents(K, dtype);
      this.wBuf = ws.f64(sampleWeight ? n : 0, { name: 'the sample weights', dims: [['N', n]] });
      if (sampleWeight) this.wBuf.set(sampleWeight);
      this.x64 = ws.f64(n * D, { name: 'the data', dims: [['N', n], ['D', D]] });
      this.x = dtype === 'f32' ? ws.f32(n * D) : this.x64;
      this.origin = this.copyIn(X, origin, unchecked);
      this.resp = ws.f64(n * K, { name: 'the responsibilities', dims: [['N', n], ['K', K]] });
      const full = covarianceType === 'full', tied = covarianceType === 'tied', diagonal = !full && !tied;
      this.blockRows = densityBlockRows(n, covarianceType, K, D);
      const nBlocks = Math.ceil(n / this.blockRows);
      this.proj = ws.alloc(dtype, threads * this.blockRows * projectionCols(covarianceType, K, D));
      this.lp = ws.alloc(dtype, dtype === 'f64' ? 0 : threads * this.blockRows * K);
      this.lse = ws.alloc(dtype, n);
      this.blockLogLik = ws.f64(nBlocks);
      // P_all and c are padded: projectLogProb reads up to one tile past their ends.
      this.pMat = ws.alloc(dtype, parameterElements(covarianceType, K, D, this.ldk),
        { name: 'the precision factors', dims: full ? [['K', K], ['D', D], ['D', D]] : tied ? [['D', D], ['D', D]] : [['K', K], ['2D', 2 * D]] });
      this.cVec = ws.alloc(dtype, K * D + TILE_PAD);
      this.bias = ws.alloc(dtype, this.ldk);
      this.statSize = K + K * D + (full ? K * D * D : diagonal ? 2 * K * D : 0);
      // Blocks of at least STATS_ROWS_PER_VALUE rows per partial value while STATS_MIN_BLOCKS remain; more within the budget.
      const amortised = Math.min(Math.ceil((STATS_ROWS_PER_VALUE * this.statSize) / this.blockRows), Math.floor(nBlocks / STATS_MIN_BLOCKS));
      const group = Math.max(1, Math.ceil((nBlocks * this.statSize * 8) / STATS_BUDGET_BYTES), amortised);
      this.statRows = Math.min(n, group * this.blockRows);
      const nStats = Math.ceil(n / this.statRows);
      this.ones = ws.f64(this.statRows).set(new Float64Array(this.statRows).fill(1));
      this.partials = ws.f64(nStats * this.statSize, { name: 'the partial statistics', dims: [['blocks', nStats], ['K', K], ['D', D], ['D', full ? D : 1]] });
      this.entropies = ws.f64(nStats);
      this.zBlock = ws.f64(full ? threads * this.statRows * (D + TILE_PAD) : 0);
      this.centres = ws.f64(K * D);
    } catch (err) {
      this.ws.release();
      throw err;
    }
  }

  /**
   * Loads another data set of the same shape into this engine's buffers, as a new engine on it
   * would (same origin, same bytes in every buffer a pass reads): a stream's next batch without
   * a new engine. Refused (false, nothing changed) when the engine was released, or X differs in
   * rows, columns or element type, or the weighting differs from the engine's.
   * @throws ValueError from `unchecked`'s finiteness check; the engine stays usable
   */
  reload({ X, origin, sampleWeight, unchecked }: Omit<EngineSpec, 'covarianceType' | 'nComponents'>): boolean {
    const dtype = X.data instanceof Float32Array ? 'f32' : 'f64';
    if (!this.alive || X.rows !== this.n || X.cols !== this.D || dtype !== this.dtype || (sampleWeight === undefined) !== (this.w === undefined)) return false;
    this.w = sampleWeight;
    this.count = totalWeight(sampleWeight, X.rows);
    if (sampleWeight) this.wBuf.set(sampleWeight);
    this.xtx = null;
    this.origin = this.copyIn(X, origin, unchecked);
    return true;
  }

  /** The origin of the engine's frame (its data's (weighted) column means, unless one was given). */
  get frameOrigin(): Float64Array {
    return this.origin;
  }

  /** max |x − o| over the engine's centred data (the values its f64 statistics square). */
  spread(): number {
    this.check();
    return kernels().maxAbsF64(this.x64.ptr, this.n * this.D);
  }

  /** Whether the engine still holds its memory (not released, not dropped by dispose or another stream). */
  get alive(): boolean {
    return !this.released && this.ws.isOpen;
  }

  /**
   * Keeps the engine's memory after the computation that built it (memory.ts `keep`): for a
   * stream's engine, built when no other computation ran, after releaseKept.
   * @returns whether it is kept; when false, release it as usual
   */
  keep(): boolean {
    return this.alive && this.ws.keep();
  }

  /**
   * Copies X into wasm memory as it is (a memcpy) and centres it there, x − o = x + (−o) row by
   * row, in f64 (f32 data is widened first, exactly); f32 data is then rounded back for the
   * E-step. Without a given origin (and unweighted) the column means come from the copy too,
   * summed row after row in f64 as columnMeans sums them: the same bytes as centreInto on
   * columnMeans, without two passes of JavaScript over the batch. With `unchecked` (the name of
   * X, whose finiteness the caller left to this pass) a non-finite entry, which makes its
   * column's sum non-finite, is reported by assertFinite as the caller would have.
   * @returns the origin
   */
  private copyIn(X: EngineSpec['X'], origin: Float64Array | undefined, unchecked: string | undefined): Float64Array {
    const { n, D, dtype } = this;
    const k = kernels();
    if (dtype === 'f32') {
      this.x.set(X.data);
      k.castF32ToF64(this.x.ptr, this.x64.ptr, n * D);
    } else this.x64.set(X.data);
    const sums = !origin && !this.w;
    if (unchecked && !sums) assertFinite(X.data, unchecked, D);
    return this.scratch((tmp) => {
      const v = tmp.f64(D);
      if (sums) {
        k.colSumsF64(this.x64.ptr, v.ptr, n, D);
        const s = v.view();
        if (unchecked) for (let d = 0; d < D; d++) if (!Number.isFinite(s[d])) assertFinite(X.data, unchecked, D);
      }
      let o: Float64Array;
      if (sums) {
        const s = v.view();
        o = new Float64Array(D);
        for (let d = 0; d < D; d++) o[d] = s[d] / n;
      } else o = origin ?? columnMeans(X, this.w);
      const negated = new Float64Array(D);
      for (let d = 0; d < D; d++) negated[d] = -o[d];
      v.set(negated);
      k.addRowVectorF64(this.x64.ptr, v.ptr, n, D);
      if (dtype === 'f32') k.castF64ToF32(this.x64.ptr, this.x.ptr, n * D);
      return o;
    });
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    return this.pass(params, logProbNorm);
  }

  /**
   * The E-step, then the statistics of its responsibilities: Σr, and about fixed centres c_k
   * (the E-step's means, in the engine's frame) Σ r (x − c) and the scatters Σ r (x − c)(x − c)ᵀ
   * (full, by a weighted rank-k update) or Σ r (x − c)² (diag, spherical); tied needs only Σ r x.
   * The scatters shift to the new means m at the end: Σ r (x − m)(x − m)ᵀ =
   * Σ r (x − c)(x − c)ᵀ − n (m − c)(m − c)ᵀ, which keeps its digits while c is near m; when it
   * would not (a mean that moved by more than √CANCELLATION_LIMIT of its spread), the statistics
   * are recomputed by two passes about m. The responsibilities are stored as well
   * (responsibilities() stays valid).
   */
  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    // Unweighted, with blocks of the statistics those of the E-step (every data set but the
    // largest): one job computes both, block after block, while the block's rows and
    // responsibilities are in cache, and the threads meet once instead of twice. Each block
    // writes what it wrote in two jobs: the same bytes.
    const fused = !this.w && this.statRows === this.blockRows;
    const logLik = this.pass(params, undefined, fused ? { withEntropy } : null);
    const { stats, entropy } = this.pooledStats(logLik, withEntropy, !fused);
    // Weighted: Σ (w r) log(w r) = Σ w r log r + Σ w log w, as each row's r sums to 1.
    return { stats, sumRespLogResp: withEntropy ? entropy - (this.w ? sumWLogW(this.w) : 0) : NaN };
  }

  /**
   * The statistics of the stored responsibilities (weighted: of the stored w r, as stats), as
   * the statistics job computes them: on every thread of the pool, in blocks of rows, about the
   * given centres (K × D, the user's coordinates), shifted to the exact means. The centres only
   * decide how many digits the shift keeps: near the new means (an EM step's previous means)
   * the result is stats()'s to rounding; when the shift would lose more than CANCELLATION_LIMIT
   * it is stats() itself. Tied needs no centres (its scatter comes from the Gram matrix).
   * @throws ShapeError unless centres has K·D values; ValueError when one is not finite
   */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats {
    this.check();
    checkCentres(centres, this.K, this.D);
    centreInto({ data: centres, rows: this.K, cols: this.D }, this.origin, this.centres.view() as Float64Array);
    return this.pooledStats(logLik, false, true).stats;
  }

  /**
   * Σr, Σ r (x − c) and the scatters about the centres in this.centres (blockStats; with `run`
   * false, those the fused E-step job left), shifted to the exact means; when a one-pass
   * identity lost too many bits, two passes about the new means instead (stats).
   */
  private pooledStats(logLik: number, withEntropy: boolean, run: boolean): { stats: SufficientStats; entropy: number } {
    const { K, D, type } = this;
    const { sumResp: sr, sumX, scatter, s1, s2, entropy } = this.blockStats(withEntropy, run);
    // The centres in the engine's frame (a view taken after blockStats, whose scratch may have
    // grown memory).
    const c0 = this.centres.view() as Float64Array;
    let centred: { sumX: Float64Array; sumXX: Float64Array; exact: boolean };
    // Objects written out, not spread: partialFit builds one per batch.
    if (type === 'full') centred = { sumX, sumXX: scatter, exact: shiftFullScatter(scatter, sr, sumX, c0, K, D).exact };
    else if (type === 'tied') {
      const t = tiedScatterFromGram(this.gram(), sr, sumX, K, D);
      centred = { sumX, sumXX: t.sumXX, exact: t.exact };
    }
    else centred = shiftDiagScatter(s1, s2, sr, c0, K, D);
    // When a one-pass identity lost too many bits: two passes about the new means instead.
    // centred.sumX is this call's own array: the user-frame sums overwrite it.
    const stats = centred.exact
      ? statsFromCentred(type, this.count, logLik, sr, centred.sumX, centred.sumXX, this.origin, centred.sumX)
      : this.stats(logLik);
    return { stats, entropy };
  }

  /**
   * The statistics job: each block of statRows rows writes its partial sums (Σr, Σ r (x − c)
   * and the scatters about the centres, Σ r log r), then they are added in block order.
   */
  private blockStats(withEntropy: boolean, run = true) {
    const { n, K, D, type, statRows, statSize } = this;
    const full = type === 'full', tied = type === 'tied';
    if (run) runBlocks(this.job(withEntropy ? 'stats+entropy' : 'stats', () => this.statsJob(withEntropy)));
    const nStats = Math.ceil(n / statRows);
    let entropy = 0;
    if (withEntropy) {
      const e = this.entropies.view();
      for (let b = 0; b < nStats; b++) entropy += e[b];
    }
    const KD = K * D;
    // Block after block from 0, each total's additions in block order (colSums adds row by row).
    // One copy out of wasm memory, of which each statistic is a part: one allocation, not three.
    const total = this.scratch((tmp) => {
      const t = tmp.f64(statSize);
      kernels().colSumsF64(this.partials.ptr, t.ptr, nStats, statSize);
      return t.readF64();
    });
    const none = new Float64Array(0);
    return {
      sumResp: total.subarray(0, K),
      sumX: total.subarray(K, K + KD),
      scatter: full ? total.subarray(K + KD) : none,
      s1: full || tied ? none : total.subarray(K, K + KD),
      s2: full || tied ? none : total.subarray(K + KD, K + 2 * KD),
      entropy,
    };
  }

  /** The statistics job's steps (blockStats). */
  private statsJob(withEntropy: boolean): BlockJob {
    const { n, K, D, type, statRows, statSize } = this;
    const full = type === 'full', tied = type === 'tied';
    const rb = { base: this.resp.ptr, perRow: K * 8 };
    const xb = { base: this.x64.ptr, perRow: D * 8 };
    const part = (offset: number) => ({ base: this.partials.ptr + offset * 8, perBlock: statSize * 8 });
    const steps: BlockStep[] = [
      { kernel: 'zeroBytes', args: [part(0), statSize * 8] },
      { kernel: 'gemvTF64', args: [rb, this.ones.ptr, part(0), { rows: 1 }, K, 0] },
    ];
    if (withEntropy) steps.push({ kernel: 'sumXLogXF64', args: [rb, { rows: K }], result: this.entropies.ptr });
    if (full || tied) steps.push({ kernel: 'gemmTNF64', args: [rb, xb, part(K), K, D, { rows: 1 }, 0] });
    if (full) {
      const z = { base: this.zBlock.ptr, perThread: statRows * (D + TILE_PAD) * 8 };
      steps.push({ kernel: 'scatterBlockF64', args: [xb, rb, this.centres.ptr, part(K + K * D), z, { rows: 1 }, K, D] });
    } else if (!tied) {
      steps.push({ kernel: 'diagScatterBlockF64', args: [xb, rb, this.centres.ptr, part(K), part(K + K * D), { rows: 1 }, K, D] });
    }
    return { label: 'the Gaussian-mixture statistics', nRows: n, blockRows: statRows, steps };
  }

  /**
   * A job of this engine, built once and frozen (encoded once): its steps name only the engine's
   * buffers and sizes, which stay the same for its life (a stream's kept engine runs the same
   * jobs on every batch).
   */
  private job(key: string, build: () => BlockJob): BlockJob {
    let job = this.jobs.get(key);
    if (!job) this.jobs.set(key, (job = frozenJob(build())));
    return job;
  }

  /**
   * The E-step job: per block, log-densities into the stored responsibilities, a row softmax
   * and Σ log p(x) of the block; then (here) the blocks' sums in block order (weighted:
   * Σ w log p(x), and the responsibilities scaled to w r). With `stats` (unweighted, statistics
   * blocks those of the E-step), each block also writes its partial statistics (statsJob).
   */
  private pass(params: GaussianParams, logProbNorm: Float64Array | undefined, stats: { withEntropy: boolean } | null = null): number {
    this.check();
    this.labels = null;
    const { n, K, D, type } = this;
    this.loadParams(params, centreInto(params.means, this.origin, this.centres.view() as Float64Array));
    const tri = type === 'full' ? triangularity(params.precisionsCholesky, K, D) : 0;
    if (!stats) runBlocks(this.job(`e-step ${tri}`, () => this.eStepJob(tri)));
    else {
      // blockStats reads the partial sums this job leaves (eStepStats: blocks of the same rows).
      const e = stats.withEntropy;
      runBlocks(this.job(`e-step ${tri} + stats${e ? '+entropy' : ''}`, () => {
        const a = this.eStepJob(tri), b = this.statsJob(e);
        return { label: `${a.label} and statistics`, nRows: n, blockRows: a.blockRows, steps: [...a.steps, ...b.steps] };
      }));
    }
    let total = 0;
    if (this.w) {
      total = weightedSum(Float64Array.from(this.lse.view()), this.w, 0, n);
      weighRows(this.resp.view() as Float64Array, this.w, 0, n, K);
    } else {
      const sums = this.blockLogLik.view();
      for (let b = 0; b < sums.length; b++) total += sums[b];
    }
    if (logProbNorm) logProbNorm.set(this.lse.view());
    if (!Number.isFinite(total)) {
      throw new ValueError(
        `the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar or check the data's scale`,
      );
    }
    return total;
  }

  /** The E-step job's steps for precision factors of the given triangularity (pass). */
  private eStepJob(tri: number): BlockJob {
    const { n, K, type, dtype, blockRows, ldk } = this;
    const sfx = dtype === 'f32' ? 'F32' : 'F64';
    const size = dtype === 'f32' ? 4 : 8;
    const out = dtype === 'f64' ? { base: this.resp.ptr, perRow: K * 8 } : { base: this.lp.ptr, perThread: blockRows * K * 4 };
    const lse = { base: this.lse.ptr, perRow: size };
    const rows = { rows: 1 };
    const steps = logDensitySteps({ type, dtype, K, D: this.D, ldk, blockRows, x: this.x, proj: this.proj, out, pMat: this.pMat, cVec: this.cVec, bias: this.bias }, tri);
    steps.push({ kernel: `softmaxRows${sfx}`, args: [out, out, lse, rows, K] });
    steps.push({ kernel: `sum${sfx}`, args: [lse, rows], result: this.blockLogLik.ptr });
    if (dtype === 'f32') steps.push({ kernel: 'castF32ToF64', args: [out, { base: this.resp.ptr, perRow: K * 8 }, { rows: K }] });
    return { label: 'the Gaussian-mixture E-step', nRows: n, blockRows, steps };
  }

  /**
   * Writes the E-step's parameter matrices into wasm memory (in the engine's element type), in
   * the engine's frame: `mu`, the means minus the origin (log-density.ts loadDensityParameters).
   */
  private loadParams(params: GaussianParams, mu: Float64Array): void {
    loadDensityParameters({ pMat: this.pMat, cVec: this.cVec, bias: this.bias }, params, mu, this.type, this.K, this.D, this.ldk);
  }

  /** Two passes over the stored responsibilities: Σr and Σ r (x − o), then the scatters about the exact means. */
  stats(logLik: number): SufficientStats {
    this.check();
    const { n, K, D, type } = this;
    const k = kernels();
    return this.scratch((ws) => {
      const sumResp = ws.f64(K);
      k.colSumsF64(this.resp.ptr, sumResp.ptr, n, K);
      const rx = ws.f64(K * D);
      gemm('TN', 'f64', this.resp.ptr, this.x64.ptr, rx.ptr, K, D, n, 0);
      const sr = sumResp.readF64();
      const sumX = rx.readF64();
      const mean = componentMeans(sumX, sr, D);
      let sumXX: Float64Array;
      if (type === 'full') sumXX = this.exactScatters(ws, mean);
      else if (type === 'tied') sumXX = this.tiedScatter(ws, sr, sumX);
      else {
        // About the exact means s1 ≈ 0, so the scatter is s2 to its last bits.
        const centres = ws.f64(K * D).set(mean);
        const s1 = ws.f64(K * D).set(new Float64Array(K * D)), s2 = ws.f64(K * D).set(new Float64Array(K * D));
        k.diagScatterBlockF64(this.x64.ptr, this.resp.ptr, centres.ptr, s1.ptr, s2.ptr, n, K, D);
        sumXX = shiftDiagScatter(s1.readF64(), s2.readF64(), sr, mean, K, D).sumXX;
      }
      return statsFromCentred(type, this.count, logLik, sr, sumX, sumXX, this.origin);
    });
  }

  /** Σ_n r_nk (x_n − m_k)(x_n − m_k)ᵀ for every component (K·D·D), by a weighted rank-k update about each exact mean. */
  private exactScatters(ws: Workspace, mean: Float64Array): Float64Array {
    const { n, K, D } = this;
    const k = kernels();
    const out = new Float64Array(K * D * D);
    const m = ws.f64(D);
    const scatter = ws.f64(D * D);
    let rt: Buffer | null = null;
    const rows = this.labels ? this.labelledRows(ws, this.labels) : this.sparseRows(ws, (rt = this.transposedResp(ws)), n, K);
    for (let c = 0; c < K; c++) {
      m.set(mean.subarray(c * D, (c + 1) * D));
      const count = rows ? rows.gather(c) : n;
      if (rows) k.syrkWeightedF64(rows.x.ptr, rows.w.ptr, m.ptr, scatter.ptr, count, D, 0);
      else k.syrkWeightedF64(this.x64.ptr, rt!.ptr + c * n * 8, m.ptr, scatter.ptr, n, D, 0);
      out.set(scatter.view(), c * D * D);
    }
    return out;
  }

  /** The stored responsibilities transposed (K × N). */
  private transposedResp(ws: Workspace): Buffer {
    const rt = ws.f64(this.n * this.K);
    kernels().transposeF64(this.resp.ptr, rt.ptr, this.n, this.K);
    return rt;
  }

  /**
   * sparseRows for one-hot responsibilities given by their labels: each component's rows of
   * nonzero weight, in row order, from one counting pass instead of a scan of every component's
   * column (the same rows and weights, so the same scatters to the last bit).
   */
  private labelledRows(ws: Workspace, labels: Int32Array): RowGatherer {
    const { n, K, w: weights } = this;
    const start = new Int32Array(K + 1);
    for (let i = 0; i < n; i++) if (!weights || weights[i] !== 0) start[labels[i] + 1]++;
    for (let c = 0; c < K; c++) start[c + 1] += start[c];
    const order = new Int32Array(start[K]), weight = new Float64Array(start[K]);
    const next = start.slice(0, K);
    for (let i = 0; i < n; i++) {
      if (weights && weights[i] === 0) continue;
      const j = next[labels[i]]++;
      order[j] = i;
      weight[j] = weights ? weights[i] : 1;
    }
    return this.rowGatherer(ws, start, order, weight);
  }

  /**
   * When most responsibilities are exactly 0 (hard assignments: the k-means initialisation),
   * a gatherer of each component's rows of nonzero responsibility, so its scatter skips the
   * others; null otherwise. The result is the same to the last bit: syrkWeighted adds each
   * row's term in row order, and a row of weight 0 adds exact zeros.
   */
  private sparseRows(ws: Workspace, rt: Buffer, n: number, K: number): RowGatherer | null {
    const r = rt.view() as Float64Array;
    let nonzero = 0;
    for (let i = 0; i < n * K; i++) if (r[i] !== 0) nonzero++;
    if (nonzero > n * K / 4) return null;
    // rt is K × N: its nonzero entries in order are each component's rows in row order.
    const start = new Int32Array(K + 1), order = new Int32Array(nonzero), weight = new Float64Array(nonzero);
    let j = 0;
    for (let c = 0; c < K; c++) {
      for (let i = 0; i < n; i++) {
        const ri = r[c * n + i];
        if (ri === 0) continue;
        order[j] = i;
        weight[j++] = ri;
      }
      start[c + 1] = j;
    }
    return this.rowGatherer(ws, start, order, weight);
  }

  /**
   * Copies component c's rows (order[start[c] … start[c + 1]), with their weights) into one
   * buffer for its scatter, sized for the largest component; returns how many.
   */
  private rowGatherer(ws: Workspace, start: Int32Array, order: Int32Array, weight: Float64Array): RowGatherer {
    const D = this.D;
    let most = 1;
    for (let c = 0; c + 1 < start.length; c++) most = Math.max(most, start[c + 1] - start[c]);
    const x = ws.f64(most * D), w = ws.f64(most);
    const gather = (c: number): number => {
      const src = this.x64.view() as Float64Array;
      const xv = x.view() as Float64Array, wv = w.view() as Float64Array;
      const from = start[c], count = start[c + 1] - from;
      wv.set(weight.subarray(from, from + count));
      for (let j = 0; j < count; j++) {
        const i = order[from + j];
        for (let d = 0; d < D; d++) xv[j * D + d] = src[i * D + d];
      }
      return count;
    };
    return { x, w, gather };
  }

  /** Tied, exact: from the Gram matrix, or, when that would lose too many bits, as the sum of the per-component scatters. */
  private tiedScatter(ws: Workspace, sr: Float64Array, sumX: Float64Array): Float64Array {
    const { K, D } = this;
    const fromGram = tiedScatterFromGram(this.gram(), sr, sumX, K, D);
    if (fromGram.exact) return fromGram.sumXX;
    const S = this.exactScatters(ws, componentMeans(sumX, sr, D));
    const W = new Float64Array(D * D);
    for (let k = 0; k < K; k++) for (let i = 0; i < D * D; i++) W[i] += S[k * D * D + i];
    return W;
  }

  /** Σ_n w_n (x_n − o)(x_n − o)ᵀ (D × D; w_n = 1 unweighted), computed once per data set. */
  private gram(): Float64Array {
    if (!this.xtx) {
      this.xtx = this.scratch((ws) => {
        const g = ws.f64(this.D * this.D);
        if (this.w) kernels().syrkWeightedF64(this.x64.ptr, this.wBuf.ptr, 0, g.ptr, this.n, this.D, 0);
        else gemm('TN', 'f64', this.x64.ptr, this.x64.ptr, g.ptr, this.D, this.D, this.n, 0);
        return g.readF64();
      });
    }
    return this.xtx;
  }

  /** Σ_n w_n Σ_k r_nk log r_nk: Σ (w r) log(w r) of the stored values less Σ w log w. */
  sumRespLogResp(): number {
    this.check();
    return kernels().sumXLogXF64(this.resp.ptr, this.n * this.K) - (this.w ? sumWLogW(this.w) : 0);
  }

  setResponsibilities(resp: Float64Array): void {
    this.check();
    this.labels = null;
    this.resp.set(resp);
    if (this.w) weighRows(this.resp.view() as Float64Array, this.w, 0, this.n, this.K);
  }

  /** One-hot rows written in place (w_n at labels[n] when weighted); the scatters then gather each component's rows by label. */
  setLabels(labels: Int32Array): void {
    this.check();
    const { n, K, w } = this;
    if (labels.length !== n) throw new ValueError(`labels must have one entry per row (${n}); got ${labels.length}`);
    const r = this.resp.view() as Float64Array;
    r.fill(0);
    for (let i = 0; i < n; i++) {
      const k = labels[i];
      if (!(k >= 0 && k < K)) throw new ValueError(`labels[${i}] must be a component index in [0, ${K}); got ${k}`);
      r[i * K + k] = w ? w[i] : 1;
    }
    this.labels = labels;
  }

  responsibilities(): Float64Array {
    this.check();
    return this.resp.readF64();
  }

  release(): void {
    if (!this.released) this.ws.release();
    this.released = true;
  }

  private check(): void {
    if (!this.alive) throw new ValueError('this engine was released');
  }

  /** Runs fn with a temporary workspace stacked on the engine's. */
  private scratch<R>(fn: (ws: Workspace) => R): R {
    const ws = new Workspace();
    try {
      return fn(ws);
    } finally {
      ws.release();
    }
  }
}
