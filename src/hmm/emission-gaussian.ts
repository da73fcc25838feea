/**
 * Gaussian emission log-densities log N(x_t | μ_k, Σ_k), N × K in f64, for all four covariance
 * types. The arithmetic is the Gaussian mixture's E-step (KERNELS.md): the same frame (data
 * and means centred on the data's column means), the same parameter layout and bias
 * (componentBias) and the same wasm kernels (diagLogProb for diag/spherical, the fused
 * triangular projection for full, one projection for tied), stopped before the row softmax: an
 * HMM needs the densities themselves, since the forward pass weighs them by transition
 * probabilities rather than by fixed weights. As the mixture's E-step, a job of blocks of rows on
 * the thread pool (runtime/threads): each block writes its own rows, and the blocks' size is
 * fixed by the data's shape, so the bytes do not depend on the number of threads.
 */
import { kernels } from '../runtime/kernels.js';
import type { DType, Matrix } from '../runtime/matrix.js';
import { Workspace, type Buffer } from '../runtime/memory.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';
import type { BlockStep } from '../runtime/threads/block-job.js';
import { centreInto, centreMeans, columnMeans } from '../mixture/centre.js';
import { componentBias } from '../mixture/engine.js';
import { densityBlockRows, loadDensityParameters, logDensitySteps, paddedComponents, parameterElements, projectionCols, TILE_PAD, triangularity } from '../mixture/log-density.js';
import type { CovarianceType, GaussianParams } from '../mixture/types.js';
import { logProbFromProjection } from '../reference/mixture.js';

/** The emission model's parameters: means (K × D) and covariances in GaussianMixture's layout, with their precision Cholesky factors. */
export interface GaussianEmission {
  means: Matrix<Float64Array>;
  covariances: Float64Array;
  precisionsCholesky: Float64Array;
}

/** Parameters as the mixture code takes them: every weight 1, so log w_k = 0 in the bias. */
function asMixture(e: GaussianEmission): GaussianParams {
  const K = e.means.rows;
  return { weights: new Float64Array(K).fill(1), means: e.means, covariances: e.covariances, precisionsCholesky: e.precisionsCholesky };
}

/**
 * Holds one data set in wasm memory for the length of a fit — centred on its column means, the
 * mixture engine's frame (src/mixture/centre.ts), in its element type — and evaluates the
 * log-densities for given parameters.
 */
export class GaussianLogDensity {
  private readonly ws = new Workspace();
  private readonly dtype: DType;
  private readonly origin: Float64Array;
  private readonly x: Buffer;
  /** Components rounded up to a two-vector tile: the row stride of diagLogProb's transposed parameters. */
  private readonly ldk: number;
  private readonly blockRows: number;
  /** Per thread: one block's projections (full and tied, unless the fused triangular kernel runs). */
  private readonly proj: Buffer;
  private readonly out: Buffer;
  private readonly out64: Buffer;
  private readonly pMat: Buffer;
  private readonly cVec: Buffer;
  private readonly bias: Buffer;

  constructor(private readonly X: Matrix, private readonly type: CovarianceType, private readonly K: number) {
    try {
      const n = X.rows, D = X.cols, ws = this.ws;
      this.dtype = X.data instanceof Float32Array ? 'f32' : 'f64';
      this.ldk = paddedComponents(K, this.dtype);
      this.origin = columnMeans(X);
      if (this.dtype === 'f64') {
        // Copied as it is and centred in wasm memory: x + (−o) is x − o to the bit (centreInto's
        // values), without an N × D array in JavaScript.
        this.x = ws.f64(n * D).set(X.data);
        const negated = ws.f64(D).set(this.origin.map((o) => -o));
        kernels().addRowVectorF64(this.x.ptr, negated.ptr, n, D);
      } else this.x = ws.f32(n * D).set(centreInto(X, this.origin, new Float64Array(n * D)));
      this.blockRows = densityBlockRows(n, type, K, D);
      this.proj = ws.alloc(this.dtype, threadCount() * this.blockRows * projectionCols(type, K, D));
      this.out = ws.alloc(this.dtype, n * K);
      this.out64 = this.dtype === 'f32' ? ws.f64(n * K) : this.out;
      this.pMat = ws.alloc(this.dtype, parameterElements(type, K, D, this.ldk));
      this.cVec = ws.alloc(this.dtype, K * D + TILE_PAD);
      this.bias = ws.alloc(this.dtype, this.ldk);
    } catch (err) {
      this.ws.release();
      throw err;
    }
  }

  /**
   * log N(x_t | μ_k, Σ_k) for every row and state, N × K: an f64 buffer in wasm memory, which
   * the next call overwrites and release frees (the chain recursions read it there: a copy out
   * of wasm memory and back would cost about what the densities do).
   */
  logDensities(e: GaussianEmission): Buffer {
    const { K, type } = this;
    this.load(asMixture(e));
    const tri = type === 'full' ? triangularity(e.precisionsCholesky, K, this.X.cols) : 0;
    runBlocks({ label: 'the GaussianHMM emission log-densities', nRows: this.X.rows, blockRows: this.blockRows, steps: this.steps(tri) });
    return this.out64;
  }

  /** One block's kernel calls (the mixture's E-step without its softmax), for precision factors of the given triangularity. */
  private steps(tri: number): BlockStep[] {
    const { K, type, dtype, blockRows, ldk } = this;
    const size = dtype === 'f32' ? 4 : 8;
    const out = { base: this.out.ptr, perRow: K * size };
    const steps = logDensitySteps({ type, dtype, K, D: this.X.cols, ldk, blockRows, x: this.x, proj: this.proj, out, pMat: this.pMat, cVec: this.cVec, bias: this.bias }, tri);
    if (dtype === 'f32') steps.push({ kernel: 'castF32ToF64', args: [out, { base: this.out64.ptr, perRow: K * 8 }, { rows: K }] });
    return steps;
  }

  /** The parameters in the mixture engine's layout and frame (means minus the origin; log-density.ts loadDensityParameters). */
  private load(params: GaussianParams): void {
    loadDensityParameters({ pMat: this.pMat, cVec: this.cVec, bias: this.bias }, params, centreMeans(params.means, this.origin), this.type, this.K, this.X.cols, this.ldk);
  }

  /** Frees the data's wasm memory. */
  release(): void {
    this.ws.release();
  }
}

/**
 * The plain-TypeScript twin: log N(x | μ_k, Σ_k) from whitened coordinates y = (x)ᵀP_k,
 * through the mixture's reference kernel. Used by the reference engine and in tests.
 */
export function gaussianLogDensitiesReference(X: Matrix, type: CovarianceType, e: GaussianEmission): Float64Array {
  const K = e.means.rows, D = X.cols, n = X.rows;
  const params = asMixture(e);
  const bias = componentBias(params, type);
  // The mixture engines' frame: data and means minus the data's column means.
  const origin = columnMeans(X);
  const x = centreInto(X, origin, new Float64Array(n * D));
  const pc = e.precisionsCholesky, mu = centreMeans(e.means, origin);
  const y = new Float64Array(n * K * D), c = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < D; j++) {
      // Whitening by P_k: full/tied a matrix, diag a per-feature scale, spherical one scale.
      const p = (i: number) => type === 'full' ? pc[k * D * D + i * D + j] : type === 'tied' ? pc[i * D + j]
        : i !== j ? 0 : type === 'diag' ? pc[k * D + j] : pc[k];
      let s = 0;
      for (let i = 0; i < D; i++) s += mu[k * D + i] * p(i);
      c[k * D + j] = s;
      for (let t = 0; t < n; t++) {
        let v = 0;
        for (let i = 0; i < D; i++) v += x[t * D + i] * p(i);
        y[t * K * D + k * D + j] = v;
      }
    }
  }
  const out = new Float64Array(n * K);
  logProbFromProjection(y, c, bias, out, n, K, D, 0);
  return out;
}
