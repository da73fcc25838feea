/**
 * The rows with missing entries (incomplete.ts) on the wasm kernels, in blocks of rows. Full and
 * tied: per block, one GEMM projects the rows on every component's precision factor
 * (y = x̃·P_all, x̃ the rows in the frame with 0 at their missing entries), incompleteLogProbF64
 * turns the projections into the observed entries' log-densities, the rows completed per
 * component and their conditional covariances; diag and spherical: incompleteDiagLogProbF64 from
 * the rows directly. softmaxRowsF64 makes the responsibilities, and for the statistics
 * incompleteScatterF64 (incompleteDiagScatterF64) adds the completed rows' moments about fixed
 * centres (the E-step's means) with the conditional covariances, as IncompleteRows does row by
 * row; the scatters then shift to the new means (a second pass about them when that would lose
 * too many digits). The rows are taken grouped by missingness pattern, so that the rows of one
 * pattern factor its Λ_mm once per block and component.
 *
 * The E-step and the statistics are jobs on every thread of the pool (runtime/threads): blocks
 * fixed by the data alone (a table of their first rows), each writing its own rows'
 * responsibilities and log p(x_o) and its own scalars (Σ r log r, the singular flag), with
 * scratch per thread; a group of consecutive blocks (a number fixed by the data too) runs on one
 * thread and adds its statistics, block after block, into partial sums of its own, which are
 * then added here in group order: the bytes do not depend on the thread count. impute runs on
 * the calling thread. Every buffer is allocated when the engine is made.
 */
import { ValueError } from '../runtime/errors.js';
import { kernels } from '../runtime/kernels.js';
import { frozenJob, type ArgSpec, type BlockJob, type BlockStep } from '../runtime/threads/block-job.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';
import type { Matrix } from '../runtime/matrix.js';
import { wasmMemory, Workspace, type Buffer } from '../runtime/memory.js';
import { centreMeans } from './centre.js';
import { SINGULAR } from './conditional.js';
import { statsFromCentred } from './engine.js';
import { logDetCholesky } from './gaussian.js';
import { checkTotal, IncompleteRows, sumOverComponents } from './incomplete.js';
import { componentMeans, shiftDiagScatter, shiftFullScatter, tiedScatterFromGram } from './scatter.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

/** Elements of a block's projections (and of its completed rows): ≈ 256 KiB each, in cache. */
const BLOCK_ELEMENTS = 32768;
const MIN_BLOCK_ROWS = 16;
/**
 * Bytes the blocks' partial sums may take in all (a full scatter has K·D² values per block);
 * past it the blocks grow, by a factor fixed by N, K and D alone.
 */
const PARTIALS_BUDGET_BYTES = 64 * 2 ** 20;
/**
 * Rows of a group per value of its partial sums, at least (while MIN_GROUPS remain): the calling
 * thread alone zeroes and adds every group's partial sums (a full scatter has K·D² values), so
 * groups of few rows would spend more on them than on their rows.
 */
const GROUP_ROWS_PER_VALUE = 0.5;
const MIN_GROUPS = 16;
/** Blocks in a group, at most: each adds its steps to the job's description (layout.ts JOB_F64). */
const MAX_GROUP = 8;

/** The moments of one pass over the rows (frame of the data). */
interface Moments {
  logLik: number;
  sumResp: Float64Array;
  sumX: Float64Array;
  sumXX: Float64Array;
  sumRLogR: number;
  exact: boolean;
}

export class WasmIncompleteRows extends IncompleteRows {
  private readonly ws: Workspace;
  /** The kernels' order of the rows (grouped by pattern) → the rows' indices. */
  private readonly order: Int32Array;
  /** Where each block starts in the kernels' order, then n. */
  private readonly blocks: number[];
  /** The missing features of row j (kernels' order) are misIdx[misStart[j] … misStart[j + 1]). */
  private readonly misStart: Int32Array;
  private readonly misIdx: Int32Array;
  /** Diag and spherical (the transposed parameters of incompleteDiagLogProbF64) rather than full and tied. */
  private readonly diagonal: boolean;
  /** Full and tied: columns of P_all and of the projections, K·D (full) or D (tied); diag and spherical: K rounded up to even. */
  private readonly ld: number;
  /** Buffers of the other family than the engine's are empty. */
  private readonly buf: Record<'x' | 'misStart' | 'misIdx' | 'w' | 'pAll' | 'lambda' | 'c' | 'mu' | 'logW' | 'logDetP' | 'centres'
    | 'proj' | 'xhat' | 'cond' | 'halfLogDetS' | 'out' | 'lse' | 'g' | 'z' | 'rho' | 'sums'
    | 'meansT' | 'precT' | 'logVarT' | 'variance' | 'acc' | 'gram' | 'starts' | 'bad' | 'entropy' | 'total', Buffer>;
  /** Rows of the largest block: the per-thread scratch's rows. */
  private readonly blockRows: number;
  /** Per-thread scratch: f64 elements of one thread's cond (full, tied). */
  private readonly condSize: number;
  /** f64 values of one block's partial sums: Σρ (K), Σρ x̂ or s1 (K·D), then the scatters or s2; tied's Gram pass uses D·D of the scatters'. */
  private readonly sumsSize: number;
  /** Blocks of a group: one job block, one slot of partial sums. */
  private readonly group: number;
  /** The block jobs built so far, by kind. */
  private readonly jobs = new Map<string, BlockJob>();
  /** Tied: Σ_n w_n x̃_n x̃_nᵀ (D × D), once per data set. */
  private xtx: Float64Array | null = null;

  /**
   * @param X the rows in the user's coordinates
   * @param origin the frame's origin (the whole data set's)
   */
  constructor(X: Matrix, origin: Float64Array, type: CovarianceType, K: number, sampleWeight?: Float64Array) {
    super(X, origin, type, K, sampleWeight);
    const { n, D } = this;
    this.order = new Int32Array(n);
    const starts = [0], idx: number[] = [];
    let j = 0;
    for (const p of this.patterns) {
      for (const i of p.rows) {
        this.order[j++] = i;
        for (const d of p.mis) idx.push(d);
        starts.push(idx.length);
      }
    }
    this.misStart = Int32Array.from(starts);
    this.misIdx = Int32Array.from(idx);
    const diagonal = (this.diagonal = type === 'diag' || type === 'spherical');
    this.ld = type === 'full' ? K * D : type === 'tied' ? D : 2 * Math.ceil(K / 2);
    // Blocks of maxRows rows, fewer where the rows' conditional covariances (K·Dm² each) would pass condCap;
    // both scaled up when the blocks' partial sums would pass their budget.
    const sumsSize = (this.sumsSize = K + K * D + (diagonal ? K * D : K * D * D));
    let maxRows = Math.max(MIN_BLOCK_ROWS, Math.floor(BLOCK_ELEMENTS / (K * D)));
    let condCap = diagonal ? Infinity : Math.max(BLOCK_ELEMENTS, K * D * D);
    const grow = Math.max(1, Math.ceil((Math.ceil(n / maxRows) * sumsSize * 8) / PARTIALS_BUDGET_BYTES));
    maxRows *= grow;
    condCap *= grow;
    this.blocks = [];
    let cond = 0;
    for (let r = 0; r < n; r++) {
      const c = K * (this.misStart[r + 1] - this.misStart[r]) ** 2;
      if (r === 0 || r - this.blocks[this.blocks.length - 1] === maxRows || cond + c > condCap) {
        this.blocks.push(r);
        cond = 0;
      }
      cond += c;
    }
    this.blocks.push(n);
    const nBlocks = this.blocks.length - 1;
    const rows = (this.blockRows = Math.min(n, maxRows));
    const amortised = Math.min(Math.ceil((GROUP_ROWS_PER_VALUE * sumsSize) / maxRows), Math.floor(nBlocks / MIN_GROUPS));
    this.group = Math.max(1, Math.min(MAX_GROUP, amortised));
    const nGroups = Math.ceil(nBlocks / this.group);
    const threads = threadCount();
    this.condSize = diagonal ? 0 : condCap;
    this.ws = new Workspace();
    try {
      const ws = this.ws;
      const f64 = (len: number) => ws.f64(len, { name: 'the rows with missing entries', dims: [['N', n], ['K', K], ['D', D]] });
      const ld = this.ld, dense = diagonal ? 0 : 1, diag = 1 - dense;
      this.buf = {
        x: f64(n * D), misStart: ws.f32(n + 1), misIdx: ws.f32(Math.max(1, idx.length)), w: f64(sampleWeight ? n : 0),
        pAll: f64(dense * D * ld), lambda: f64(type === 'full' ? K * D * D : dense * D * D), c: f64(dense * K * D), mu: f64(dense * K * D),
        logW: f64(diagonal ? ld : K), logDetP: f64(dense * K), centres: f64(K * D),
        // Per thread: one block's projections, completed rows, conditional covariances and the kernels' other scratch.
        proj: f64(threads * dense * rows * ld), xhat: f64(threads * K * rows * D), cond: f64(threads * this.condSize),
        halfLogDetS: f64(threads * rows * K), g: f64(threads * dense * (K + 3) * D), z: f64(threads * dense * rows * 4 * Math.ceil(D / 4)),
        rho: f64(threads * rows), acc: f64(threads * diag * 3 * ld),
        // Per row (kernels' order): the responsibilities and log p(x_o).
        out: f64(n * K), lse: f64(n),
        // Per group: its partial sums; per block: its Σ r log r and its singular flag.
        sums: f64(nGroups * sumsSize), entropy: f64(nBlocks), bad: f64(nBlocks), starts: ws.f32(nBlocks + 1),
        meansT: f64(diag * D * ld), precT: f64(diag * D * ld), logVarT: f64(diag * D * ld), variance: f64(diag * K * D),
        gram: f64(type === 'tied' ? D * D : 0), total: f64(sumsSize),
      };
      const xt = new Float64Array(n * D);
      for (let r = 0; r < n; r++) {
        const i = this.order[r];
        for (let d = 0; d < D; d++) {
          const v = this.x[i * D + d];
          xt[r * D + d] = v === v ? v : 0;
        }
      }
      this.buf.x.set(xt);
      new Int32Array(wasmMemory().buffer, this.buf.misStart.ptr, n + 1).set(this.misStart);
      new Int32Array(wasmMemory().buffer, this.buf.misIdx.ptr, idx.length).set(this.misIdx);
      new Int32Array(wasmMemory().buffer, this.buf.starts.ptr, nBlocks + 1).set(this.blocks);
      if (sampleWeight) this.buf.w.set(Float64Array.from(this.order, (i) => sampleWeight[i]));
    } catch (err) {
      this.ws.release();
      throw err;
    }
  }

  override eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    this.last = params;
    this.loadParams(params);
    this.run('e-step', (s) => this.scoreSteps(s), []);
    return checkTotal(this.storeResponsibilities(logProbNorm));
  }

  override eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const mu = centreMeans(params.means, this.origin);
    // Tied: first from the Gram matrix (cheaper per row); when that loses too many digits, the scatters about the new means.
    let m = this.moments(params, mu, withEntropy, this.type === 'tied');
    if (!m.exact) m = this.moments(params, componentMeans(m.sumX, m.sumResp, this.D), withEntropy, false);
    const stats = statsFromCentred(this.type, this.count, m.logLik, m.sumResp, m.sumX, m.sumXX, this.origin);
    return { stats, sumRespLogResp: withEntropy ? m.sumRLogR : NaN };
  }

  /**
   * After an E-step, the statistics of eStepStats; after setResponsibilities, the rows completed
   * by the observed column means (x̃), scattered about the exact means without a conditional
   * covariance (IncompleteRows.stats, with the scatter by scatterBlockF64).
   */
  override stats(logLik: number): SufficientStats {
    if (this.last || this.diagonal) return super.stats(logLik);
    const { n, K, D, resp, order, buf } = this;
    const k = kernels();
    const sumResp = new Float64Array(K), sumX = new Float64Array(K * D);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < K; c++) {
        const r = resp[i * K + c];
        if (r === 0) continue;
        sumResp[c] += r;
        for (let d = 0; d < D; d++) {
          const v = this.x[i * D + d];
          if (v === v) sumX[c * D + d] += r * v;
        }
      }
    }
    const m = componentMeans(sumX, sumResp, D);
    buf.centres.set(m);
    k.zeroBytes(buf.total.ptr, buf.total.length * 8);
    const scatter = buf.total.ptr + (K + K * D) * 8;
    for (let b = 0; b + 1 < this.blocks.length; b++) {
      const r0 = this.blocks[b], rows = this.blocks[b + 1] - r0;
      const out = buf.out.view();
      for (let j = 0; j < rows; j++) out.set(resp.subarray(order[r0 + j] * K, (order[r0 + j] + 1) * K), j * K);
      k.scatterBlockF64(buf.x.ptr + r0 * D * 8, buf.out.ptr, buf.centres.ptr, scatter, buf.z.ptr, rows, K, D);
    }
    const S = buf.total.readF64().subarray(K + K * D);
    shiftFullScatter(S, sumResp, sumX, m, K, D);
    return statsFromCentred(this.type, this.count, logLik, sumResp, sumX, this.type === 'tied' ? sumOverComponents(S, K, D) : S, this.origin);
  }

  override impute(params: GaussianParams, out: Float64Array): void {
    const { K, D, order, misStart, misIdx, buf } = this;
    this.loadParams(params);
    for (let b = 0; b + 1 < this.blocks.length; b++) {
      const r0 = this.blocks[b], rows = this.blocks[b + 1] - r0;
      this.scoreBlock(r0, rows);
      const r = buf.out.view().subarray(r0 * K), xhat = buf.xhat.view();
      for (let j = 0; j < rows; j++) {
        const i = order[r0 + j];
        for (let t = misStart[r0 + j]; t < misStart[r0 + j + 1]; t++) {
          const d = misIdx[t];
          out[i * D + d] = 0;
          for (let c = 0; c < K; c++) out[i * D + d] += r[j * K + c] * xhat[(c * rows + j) * D + d];
          out[i * D + d] += this.origin[d];
        }
      }
    }
  }

  override release(): void {
    this.ws.release();
  }

  /** Σ_n w_n x̃_n x̃_nᵀ (D × D; w_n = 1 unweighted), computed once (tied). */
  private gram(): Float64Array {
    if (!this.xtx) {
      const { n, D, buf } = this;
      const k = kernels();
      if (n === 0) k.zeroBytes(buf.gram.ptr, D * D * 8);
      else if (this.w) k.syrkWeightedF64(buf.x.ptr, buf.w.ptr, 0, buf.gram.ptr, n, D, 0);
      else k.gemmTNF64(buf.x.ptr, buf.x.ptr, buf.gram.ptr, D, D, n, 0);
      this.xtx = buf.gram.readF64();
    }
    return this.xtx;
  }

  /**
   * The parameters into wasm memory, in the frame: P_all (full: P_k in columns k·D …), Λ_k =
   * P_k P_kᵀ, the centred means μ_k, c_k = P_kᵀ μ_k, log w_k and log |P_k|.
   */
  private loadParams(params: GaussianParams): void {
    const { K, D, ld, buf } = this;
    const full = this.type === 'full';
    const pc = params.precisionsCholesky;
    const mu = centreMeans(params.means, this.origin);
    const logW = params.logWeights ?? params.weights.map(Math.log);
    if (this.diagonal) {
      // D × ld: μ, 1/σ², log σ² (padding 0, never stored); logW padded to ld.
      const meansT = new Float64Array(D * ld), precT = new Float64Array(D * ld), logVarT = new Float64Array(D * ld), variance = new Float64Array(K * D);
      for (let k = 0; k < K; k++) {
        for (let d = 0; d < D; d++) {
          const v = this.type === 'diag' ? params.covariances[k * D + d] : params.covariances[k];
          variance[k * D + d] = v;
          meansT[d * ld + k] = mu[k * D + d];
          precT[d * ld + k] = 1 / v;
          logVarT[d * ld + k] = Math.log(v);
        }
      }
      buf.meansT.set(meansT);
      buf.precT.set(precT);
      buf.logVarT.set(logVarT);
      buf.variance.set(variance);
      buf.logW.set(new Float64Array(ld)).set(logW);
      return;
    }
    const P = buf.pAll.view();
    if (full) for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) P[i * ld + k * D + j] = pc[k * D * D + i * D + j];
    else P.set(pc.subarray(0, D * D));
    const c = new Float64Array(K * D);
    for (let k = 0; k < K; k++) {
      const o = full ? k * D * D : 0;
      for (let i = 0; i < D; i++) {
        const m = mu[k * D + i];
        if (m !== 0) for (let j = 0; j < D; j++) c[k * D + j] += m * pc[o + i * D + j];
      }
    }
    buf.c.set(c);
    buf.mu.set(mu);
    buf.logW.set(logW);
    buf.logDetP.set(logDetCholesky(pc, this.type, K, D));
    const k = kernels();
    for (let t = 0; t < (full ? K : 1); t++) {
      const p = buf.pAll.ptr + t * D * 8;
      k.gemmNTStridedF64(p, p, buf.lambda.ptr + t * D * D * 8, D, D, D, 0, ld, ld, D);
    }
  }

  /**
   * Block rows r0 … r0 + rows − 1 (kernels' order), on the calling thread with thread 0's
   * scratch: responsibilities into buf.out and log p(x_o) into buf.lse at rows r0 …, completed
   * rows and S in the scratch (scoreSteps' kernels, called directly).
   */
  private scoreBlock(r0: number, rows: number): void {
    const k = kernels() as unknown as Record<string, (...args: number[]) => number>;
    for (const s of this.scoreSteps()) {
      const args = s.args.map((a) => (typeof a === 'number' ? a : (a.base ?? 0) + r0 * (a.perRow ?? 0) + rows * (a.rows ?? 0)));
      const r = k[s.kernel](...args);
      if (s.result !== undefined && r !== 0) throw new ValueError(SINGULAR);
    }
  }

  /**
   * The E-step's kernels for a block (start … start + rows − 1, kernels' order): responsibilities
   * into buf.out and log p(x_o) into buf.lse at its rows, the completed rows and conditional
   * covariances S into the thread's scratch; full and tied leave the block's singular flag in buf.bad.
   */
  private scoreSteps(sub?: number): BlockStep[] {
    const { K, D, ld, blockRows: R, buf } = this;
    const rows = { rows: 1 };
    const x = { base: buf.x.ptr, perRow: D * 8 }, misStart = { base: buf.misStart.ptr, perRow: 4 };
    const out = { base: buf.out.ptr, perRow: K * 8 }, lse = { base: buf.lse.ptr, perRow: 8 };
    const t = (b: Buffer, size: number): ArgSpec => ({ base: b.ptr, perThread: size * 8 });
    const softmax: BlockStep = { kernel: 'softmaxRowsF64', args: [out, out, lse, rows, K], sub };
    if (this.diagonal) {
      return [{
        kernel: 'incompleteDiagLogProbF64', sub, args: [x, buf.meansT.ptr, buf.precT.ptr, buf.logVarT.ptr, buf.logW.ptr, misStart, buf.misIdx.ptr,
          out, t(buf.xhat, K * R * D), t(buf.halfLogDetS, R * K), t(buf.acc, 3 * ld), rows, K, D, ld],
      }, softmax];
    }
    return [
      { kernel: 'gemmNNF64', args: [x, buf.pAll.ptr, t(buf.proj, R * ld), rows, ld, D, 0], sub },
      {
        kernel: 'incompleteLogProbF64', result: buf.bad.ptr, sub,
        args: [t(buf.proj, R * ld), buf.pAll.ptr, buf.c.ptr, buf.mu.ptr, buf.lambda.ptr, buf.logW.ptr, buf.logDetP.ptr, misStart, buf.misIdx.ptr, x,
          out, t(buf.xhat, K * R * D), t(buf.cond, this.condSize), t(buf.halfLogDetS, R * K), t(buf.g, (K + 3) * D), rows, K, D, this.type === 'tied' ? 1 : 0],
      },
      softmax,
    ];
  }

  /**
   * Runs the job of this kind on the pool: per group, the `first` steps, then `perBlock`'s for
   * each of its blocks in order (built once and frozen: its steps name only the engine's buffers and sizes).
   */
  private run(key: string, perBlock: (sub: number) => BlockStep[], first: BlockStep[]): void {
    const nBlocks = this.blocks.length - 1;
    if (nBlocks === 0) return;
    let job = this.jobs.get(key);
    if (!job) {
      const steps = [...first];
      for (let s = 0; s < this.group; s++) steps.push(...perBlock(s));
      job = frozenJob({
        label: 'the Gaussian-mixture E-step on rows with missing entries', nRows: this.n, blockRows: this.blockRows,
        starts: { ptr: this.buf.starts.ptr, blocks: nBlocks, group: this.group }, steps,
      });
      this.jobs.set(key, job);
    }
    runBlocks(job);
    if (!this.diagonal) {
      const bad = this.buf.bad.view();
      for (let b = 0; b < nBlocks; b++) if (bad[b] !== 0) throw new ValueError(SINGULAR);
    }
  }

  /**
   * After the E-step job: stores w r in the rows' order, writes log p(x_o) into `logProbNorm`
   * (when given); returns Σ w log p(x_o), summed per block, then the blocks in order.
   */
  private storeResponsibilities(logProbNorm?: Float64Array): number {
    const { K, order, resp, w, buf } = this;
    const r = buf.out.view(), lse = buf.lse.view();
    let total = 0;
    for (let b = 0; b + 1 < this.blocks.length; b++) {
      let sum = 0;
      for (let j = this.blocks[b]; j < this.blocks[b + 1]; j++) {
        const i = order[j], wi = w ? w[i] : 1;
        if (logProbNorm) logProbNorm[i] = lse[j];
        if (wi > 0) sum += wi * lse[j];
        for (let c = 0; c < K; c++) resp[i * K + c] = wi * r[j * K + c];
      }
      total += sum;
    }
    return total;
  }

  /** f64 values of a block's partial sums (the stride of buf.sums): tied's Gram pass has D·D of the scatters' K·D·D. */
  private partialSize(gram: boolean): number {
    const { K, D } = this;
    return gram ? K + K * D + D * D : this.sumsSize;
  }

  /**
   * The statistics' kernels for block `sub` of a group, after scoreSteps: adds its statistics
   * (Σρ, then Σρ x̂ and the scatters (full, tied; the Gram matrix's share with `gram`), or
   * s1 = Σρ (x̂ − c) and s2 (diag, spherical)) to its group's slot of buf.sums, writes its
   * Σ r log r into buf.entropy.
   */
  private momentSteps(gram: boolean, entropy: number, sub: number): BlockStep[] {
    const { K, D, blockRows: R, buf } = this;
    const rows = { rows: 1 };
    const size = this.partialSize(gram);
    const part = (offset: number) => ({ base: buf.sums.ptr + offset * 8, perBlock: size * 8 });
    const t = (b: Buffer, size: number): ArgSpec => ({ base: b.ptr, perThread: size * 8 });
    const x = { base: buf.x.ptr, perRow: D * 8 }, misStart = { base: buf.misStart.ptr, perRow: 4 };
    const out = { base: buf.out.ptr, perRow: K * 8 }, w = this.w ? { base: buf.w.ptr, perRow: 8 } : 0;
    const xhat = t(buf.xhat, K * R * D), cond = t(buf.cond, this.condSize), half = t(buf.halfLogDetS, R * K), rho = t(buf.rho, R);
    const result = buf.entropy.ptr;
    if (gram) {
      return [{
        kernel: 'incompleteTiedGramF64', result, sub,
        args: [x, xhat, out, w, cond, misStart, buf.misIdx.ptr, half, part(0), part(K), part(K + K * D), rho, rows, K, D, entropy],
      }];
    }
    if (this.diagonal) {
      return [{
        kernel: 'incompleteDiagScatterF64', result, sub,
        args: [xhat, out, w, buf.centres.ptr, buf.variance.ptr, misStart, buf.misIdx.ptr, half, part(0), part(K), part(K + K * D), rho, rows, K, D, entropy],
      }];
    }
    const z = t(buf.z, R * 4 * Math.ceil(D / 4));
    return [{
      kernel: 'incompleteScatterF64', result, sub,
      args: [xhat, out, w, buf.centres.ptr, cond, misStart, buf.misIdx.ptr, half, part(0), part(K), part(K + K * D), z, rho, rows, K, D, entropy],
    }];
  }

  /**
   * One pass: the E-step, and per component Σ w r, Σ w r x̂ and the scatter of x̂ about `centres`
   * (K × D, frame) plus Σ w r S on the missing block, shifted to the new means; with `gram`
   * (tied), the tied scatter from the Gram matrix of the completed rows instead.
   */
  private moments(params: GaussianParams, centres: Float64Array, withEntropy: boolean, gram: boolean): Moments {
    this.last = params;
    const { K, D, buf } = this;
    const k = kernels();
    this.loadParams(params);
    buf.centres.set(centres);
    const entropy = withEntropy ? 1 : 0;
    const size = this.partialSize(gram);
    // Each group's partial sums: zeroed, then its blocks' statistics added in order.
    const zero: BlockStep = { kernel: 'zeroBytes', args: [{ base: buf.sums.ptr, perBlock: size * 8 }, size * 8] };
    this.run(`moments${gram ? ' gram' : ''}${withEntropy ? ' entropy' : ''}`, (s) => [...this.scoreSteps(s), ...this.momentSteps(gram, entropy, s)], [zero]);
    const logLik = checkTotal(this.storeResponsibilities());
    const nBlocks = this.blocks.length - 1, nGroups = Math.ceil(nBlocks / this.group);
    let sumRLogR = 0;
    if (withEntropy) {
      const e = buf.entropy.view();
      for (let b = 0; b < nBlocks; b++) sumRLogR += e[b];
    }
    // The groups' partial sums added in group order (colSums adds row by row).
    if (nGroups > 0) k.colSumsF64(buf.sums.ptr, buf.total.ptr, nGroups, size);
    else k.zeroBytes(buf.total.ptr, size * 8);
    const sums = buf.total.readF64().subarray(0, size);
    if (gram) {
      const G = sums.slice(K + K * D), G0 = this.gram();
      for (let i = 0; i < D * D; i++) G[i] += G0[i];
      const sr = sums.subarray(0, K), sx = sums.subarray(K, K + K * D);
      const t = tiedScatterFromGram(G, sr, sx, K, D);
      return { logLik, sumResp: sr, sumX: sx, sumXX: t.sumXX, sumRLogR, exact: t.exact };
    }
    if (this.diagonal) {
      const sr = sums.subarray(0, K);
      const shifted = shiftDiagScatter(sums.subarray(K, K + K * D), sums.subarray(K + K * D), sr, centres, K, D);
      return { logLik, sumResp: sr, sumX: shifted.sumX, sumXX: shifted.sumXX, sumRLogR, exact: shifted.exact };
    }
    const sr = sums.subarray(0, K), sx = sums.subarray(K, K + K * D), S = sums.subarray(K + K * D);
    const { exact } = shiftFullScatter(S, sr, sx, centres, K, D);
    return { logLik, sumResp: sr, sumX: sx, sumXX: this.type === 'tied' ? sumOverComponents(S, K, D) : S, sumRLogR, exact };
  }
}
