/**
 * The wasm engine: data copied into wasm memory once per fit, responsibilities kept there, each
 * E-step a loop over blocks of rows of GEMM + whitened distances + row softmax, each statistics
 * pass one TN-GEMM plus (full) a weighted symmetric rank-k update per component. Temporaries are
 * the size of a block, never N × K × D.
 */
import { ValueError } from '../runtime/errors.js';
import { kernels, typed } from '../runtime/kernels.js';
import type { DType, Matrix } from '../runtime/matrix.js';
import { Workspace, type Buffer } from '../runtime/memory.js';
import { componentBias, diagProjection, type EngineSpec, type MixtureEngine } from './engine.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

/** Elements of the per-block projection temporary (≈ 512 KiB in f64): keeps it in cache. */
const BLOCK_ELEMENTS = 65536;
const MIN_BLOCK_ROWS = 16;
/** Elements projectLogProb may read past P_all and c (one two-vector tile of f32). */
const TILE_PAD = 8;

export class WasmEngine implements MixtureEngine {
  readonly n: number;
  private readonly ws = new Workspace();
  private readonly dtype: DType;
  private readonly type: CovarianceType;
  private readonly K: number;
  private readonly D: number;
  /** Columns of the stored data: D, or 2D ([x, x∘x]) for diag and spherical. */
  private readonly cols: number;
  private readonly x: Buffer;
  /** f64 copy of the data for the statistics when the E-step runs in f32. */
  private readonly x64: Buffer;
  private readonly resp: Buffer;
  private readonly blockRows: number;
  private readonly proj: Buffer;
  private readonly lp: Buffer;
  private readonly lse: Buffer;
  private readonly pMat: Buffer;
  private readonly cVec: Buffer;
  private readonly bias: Buffer;
  private readonly ones: Buffer;
  private readonly sumResp: Buffer;
  private readonly sumRX: Buffer;
  private readonly zBlock: Buffer;
  private readonly centres: Buffer;
  private readonly scatter: Buffer;
  private xtx: Float64Array | null = null;
  private released = false;

  constructor({ X, covarianceType, nComponents }: EngineSpec) {
    try {
      this.n = X.rows;
      this.dtype = X.data instanceof Float32Array ? 'f32' : 'f64';
      this.type = covarianceType;
      this.K = nComponents;
      this.D = X.cols;
      const { n, K, D, ws, dtype } = this;
      const squared = covarianceType === 'diag' || covarianceType === 'spherical';
      this.cols = squared ? 2 * D : D;
      this.x = ws.alloc(dtype, n * this.cols, { name: 'the data', dims: [['N', n], [squared ? '2D' : 'D', this.cols]] });
      fillData(this.x.view(), X, squared);
      if (dtype === 'f32') {
        this.x64 = ws.f64(n * this.cols);
        kernels().castF32ToF64(this.x.ptr, this.x64.ptr, n * this.cols);
      } else this.x64 = this.x;
      this.resp = ws.f64(n * K, { name: 'the responsibilities', dims: [['N', n], ['K', K]] });
      const projCols = covarianceType === 'full' ? K * D : covarianceType === 'tied' ? D : 0;
      this.blockRows = Math.min(n, Math.max(MIN_BLOCK_ROWS, Math.floor(BLOCK_ELEMENTS / Math.max(projCols, K, 1))));
      this.proj = ws.alloc(dtype, this.blockRows * projCols);
      this.lp = ws.alloc(dtype, dtype === 'f64' ? 0 : this.blockRows * K);
      this.lse = ws.alloc(dtype, this.blockRows);
      // P_all and c are padded: projectLogProb reads up to one tile past their ends.
      this.pMat = ws.alloc(dtype, (covarianceType === 'full' ? D * K * D : covarianceType === 'tied' ? D * D : K * 2 * D) + TILE_PAD,
        { name: 'the precision factors', dims: covarianceType === 'full' ? [['K', K], ['D', D], ['D', D]] : covarianceType === 'tied' ? [['D', D], ['D', D]] : [['K', K], ['2D', 2 * D]] });
      this.cVec = ws.alloc(dtype, K * D + TILE_PAD);
      this.bias = ws.alloc(dtype, K);
      // Accumulators of the fused E-step + statistics pass (see eStepStats).
      this.ones = ws.f64(this.blockRows).set(new Float64Array(this.blockRows).fill(1));
      this.sumResp = ws.f64(K);
      this.sumRX = ws.f64(K * this.cols);
      const full = covarianceType === 'full';
      this.zBlock = ws.f64(full ? this.blockRows * (D + TILE_PAD) : 0);
      this.centres = ws.f64(full ? K * D : 0);
      this.scatter = ws.f64(full ? K * D * D : 0);
    } catch (err) {
      this.ws.release();
      throw err;
    }
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    return this.pass(params, logProbNorm, null);
  }

  /**
   * The E-step and the statistics of its responsibilities in one pass over the data, block by
   * block while each block is in cache: Σr and Rᵀ[X (, X∘X)] by a TN-GEMM per block, and for
   * 'full' each component's scatter about a fixed centre c_k (the means of the E-step's
   * parameters) by a weighted rank-k update, shifted to the new mean at the end:
   * Σ r (x − m)(x − m)ᵀ = Σ r (x − c)(x − c)ᵀ − n (m − c)(m − c)ᵀ, which keeps its digits while
   * c is near m. The responsibilities are stored as well (responsibilities() stays valid).
   */
  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const { K, D, type } = this;
    const k = kernels();
    this.sumResp.view().fill(0);
    this.sumRX.view().fill(0);
    if (type === 'full') {
      this.centres.set(params.means.data);
      this.scatter.view().fill(0);
    }
    let sumRLogR = 0;
    const logLik = this.pass(params, undefined, (start, rows) => {
      const rb = this.resp.ptr + start * K * 8;
      const xb = this.x64.ptr + start * this.cols * 8;
      k.gemvTF64(rb, this.ones.ptr, this.sumResp.ptr, rows, K, 1);
      k.gemmTNF64(rb, xb, this.sumRX.ptr, K, this.cols, rows, 1);
      if (withEntropy) sumRLogR += k.sumXLogXF64(rb, rows * K);
      if (type === 'full') k.scatterBlockF64(xb, rb, this.centres.ptr, this.scatter.ptr, this.zBlock.ptr, rows, K, D);
    });
    const sr = this.sumResp.readF64();
    const { sumX, sumXX } = this.splitMoments(this.sumRX.readF64());
    if (type === 'full') {
      // scatterBlock accumulated lower triangles about c_k: shift to the new mean, then mirror.
      const S = this.scatter.readF64();
      const c0 = params.means.data;
      for (let c = 0; c < K; c++) {
        const o = c * D * D;
        for (let i = 0; i < D; i++) {
          const di = sr[c] > 0 ? sumX[c * D + i] / sr[c] - c0[c * D + i] : 0;
          for (let j = 0; j <= i; j++) {
            const dj = sr[c] > 0 ? sumX[c * D + j] / sr[c] - c0[c * D + j] : 0;
            const v = S[o + i * D + j] - sr[c] * di * dj;
            S[o + i * D + j] = v;
            S[o + j * D + i] = v;
          }
        }
      }
      sumXX.set(S);
    }
    return { stats: this.makeStats(logLik, sr, sumX, sumXX), sumRespLogResp: withEntropy ? sumRLogR : NaN };
  }

  /**
   * The block loop of the E-step: log-densities by GEMM, responsibilities by row softmax into
   * the stored responsibilities, Σ log p(x); `after(start, rows)` runs on each finished block.
   */
  private pass(params: GaussianParams, logProbNorm: Float64Array | undefined, after: ((start: number, rows: number) => void) | null): number {
    this.check();
    const { n, K, D, type, dtype, blockRows } = this;
    this.loadParams(params);
    const k = kernels();
    const gemmNN = typed('gemmNN', dtype);
    const gemmNT = typed('gemmNT', dtype);
    const logProb = typed('logProbFromProjection', dtype);
    const project = typed('projectLogProb', dtype);
    const tri = type === 'full' ? triangularity(params.precisionsCholesky, K, D) : 0;
    const affine = typed('affineCols', dtype);
    const softmax = typed('softmaxRows', dtype);
    const sum = typed('sum', dtype);
    const size = dtype === 'f32' ? 4 : 8;
    let total = 0;
    for (let start = 0; start < n; start += blockRows) {
      const rows = Math.min(blockRows, n - start);
      const xb = this.x.ptr + start * this.cols * size;
      const out = dtype === 'f64' ? this.resp.ptr + start * K * 8 : this.lp.ptr;
      if (type === 'full' && tri !== 0) {
        // Triangular P_k (always, after an M-step or from precisionsInit): the fused kernel skips their zeros.
        project(xb, this.pMat.ptr, this.cVec.ptr, this.bias.ptr, out, rows, K, D, tri);
      } else if (type === 'full') {
        gemmNN(xb, this.pMat.ptr, this.proj.ptr, rows, K * D, D, 0);
        logProb(this.proj.ptr, this.cVec.ptr, this.bias.ptr, out, rows, K, D, 0);
      } else if (type === 'tied') {
        gemmNN(xb, this.pMat.ptr, this.proj.ptr, rows, D, D, 0);
        logProb(this.proj.ptr, this.cVec.ptr, this.bias.ptr, out, rows, K, D, 1);
      } else {
        gemmNT(xb, this.pMat.ptr, out, rows, K, 2 * D, 0);
        affine(out, -0.5, this.bias.ptr, rows, K);
      }
      softmax(out, out, this.lse.ptr, rows, K);
      total += sum(this.lse.ptr, rows);
      if (logProbNorm) logProbNorm.set(this.lse.view().subarray(0, rows), start);
      if (dtype === 'f32') k.castF32ToF64(this.lp.ptr, this.resp.ptr + start * K * 8, rows * K);
      after?.(start, rows);
    }
    if (!Number.isFinite(total)) {
      throw new ValueError(
        `the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar or check the data's scale`,
      );
    }
    return total;
  }

  /** Writes the E-step's parameter matrices into wasm memory (in the engine's element type). */
  private loadParams(params: GaussianParams): void {
    const { K, D, type } = this;
    const mu = params.means.data;
    const pc = params.precisionsCholesky;
    if (type === 'diag' || type === 'spherical') {
      const { B, bias } = diagProjection(params, type);
      this.pMat.set(B);
      this.bias.set(bias);
      return;
    }
    this.bias.set(componentBias(params, type));
    const P = this.pMat.view();
    const c = this.cVec.view();
    for (let k = 0; k < K; k++) {
      const o = type === 'full' ? k * D * D : 0;
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          // full: P_all[i, k·D + j] = P_k[i, j], so one GEMM projects a row on every component.
          if (type === 'full') P[i * K * D + k * D + j] = pc[o + i * D + j];
          else if (k === 0) P[i * D + j] = pc[i * D + j];
        }
      }
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += mu[k * D + i] * pc[o + i * D + j];
        c[k * D + j] = s;
      }
    }
  }

  stats(logLik: number): SufficientStats {
    this.check();
    const { n, K, D, type } = this;
    const k = kernels();
    return this.scratch((ws) => {
      const sumResp = ws.f64(K);
      k.colSumsF64(this.resp.ptr, sumResp.ptr, n, K);
      const rx = ws.f64(K * this.cols);
      k.gemmTNF64(this.resp.ptr, this.x64.ptr, rx.ptr, K, this.cols, n, 0);
      const sr = sumResp.readF64();
      const { sumX, sumXX } = this.splitMoments(rx.readF64());
      if (type === 'full') {
        const rt = ws.f64(n * K);
        k.transposeF64(this.resp.ptr, rt.ptr, n, K);
        const mean = ws.f64(D);
        const scatter = ws.f64(D * D);
        for (let c = 0; c < K; c++) {
          // Centre on the component's own weighted mean (an empty component has none: use 0).
          mean.set(sr[c] > 0 ? sumX.subarray(c * D, (c + 1) * D).map((v) => v / sr[c]) : new Float64Array(D));
          k.syrkWeightedF64(this.x64.ptr, rt.ptr + c * n * 8, mean.ptr, scatter.ptr, n, D, 0);
          sumXX.set(scatter.view(), c * D * D);
        }
      }
      return this.makeStats(logLik, sr, sumX, sumXX);
    });
  }

  /** Σ r x (K × D) and, by type, the second moments held by Rᵀ[X, X∘X] or Σ x xᵀ. */
  private splitMoments(rx: Float64Array): { sumX: Float64Array; sumXX: Float64Array } {
    const { K, D, type, cols } = this;
    const sumX = new Float64Array(K * D);
    for (let c = 0; c < K; c++) sumX.set(rx.subarray(c * cols, c * cols + D), c * D);
    let sumXX: Float64Array;
    if (type === 'diag' || type === 'spherical') {
      sumXX = new Float64Array(K * D);
      for (let c = 0; c < K; c++) sumXX.set(rx.subarray(c * cols + D, c * cols + 2 * D), c * D);
    } else if (type === 'tied') {
      sumXX = this.scratch((ws) => this.gram(ws));
    } else sumXX = new Float64Array(K * D * D);
    return { sumX, sumXX };
  }

  private makeStats(logLik: number, sumResp: Float64Array, sumX: Float64Array, sumXX: Float64Array): SufficientStats {
    return { covarianceType: this.type, nComponents: this.K, nFeatures: this.D, n: this.n, logLik, sumResp, sumX, sumXX };
  }

  /** Σ_n x_n x_nᵀ (D × D), computed once per data set (the tied M-step's only use of X). */
  private gram(ws: Workspace): Float64Array {
    if (!this.xtx) {
      const g = ws.f64(this.D * this.D);
      kernels().gemmTNF64(this.x64.ptr, this.x64.ptr, g.ptr, this.D, this.D, this.n, 0);
      this.xtx = g.readF64();
    }
    return this.xtx.slice();
  }

  sumRespLogResp(): number {
    this.check();
    return kernels().sumXLogXF64(this.resp.ptr, this.n * this.K);
  }

  setResponsibilities(resp: Float64Array): void {
    this.check();
    this.resp.set(resp);
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
    if (this.released) throw new ValueError('this engine was released');
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

/** 1 when every D × D block is upper triangular, 2 when every one is lower, 0 otherwise. */
function triangularity(pc: Float64Array, K: number, D: number): number {
  let upper = true, lower = true;
  for (let k = 0; k < K && (upper || lower); k++) {
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
      const v = pc[k * D * D + i * D + j];
      if (v !== 0 && i > j) upper = false;
      if (v !== 0 && i < j) lower = false;
    }
  }
  return upper ? 1 : lower ? 2 : 0;
}

/** Copies X into `out` (row-major), followed per row by x∘x when `squared`. */
function fillData(out: Float64Array | Float32Array, X: Matrix, squared: boolean): void {
  const { rows, cols, data } = X;
  if (!squared) {
    out.set(data);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * 2 * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      out[o + j] = v;
      out[o + cols + j] = v * v;
    }
  }
}
