/** GaussianHMM: a hidden Markov model with Gaussian emissions (hmmlearn's GaussianHMM, camel-cased). */
import { ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';
import { checkNonNegative } from '../runtime/validate.js';
import { kernels } from '../runtime/kernels.js';
import { withWorkspace } from '../runtime/memory.js';
import type { MixtureEngine } from '../mixture/engine.js';
import { ReferenceEngine } from '../mixture/engine-reference.js';
import { WasmEngine } from '../mixture/engine-wasm.js';
import { KMeans } from '../kmeans/index.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { checkMeans, checkCovarianceType } from '../mixture/validate.js';
import type { CovarianceType } from '../mixture/types.js';
import { BaseHMM, HMM_OPTION_KEYS, HMM_RUNTIME_OPTION_KEYS, type EmissionData, type HMMOptions, type HMMRuntimeOptions } from './base.js';
import { GaussianLogDensity, gaussianLogDensitiesReference, type GaussianEmission } from './emission-gaussian.js';
import { checkCovars, gaussianMStep, initialCovariances, precisionsOf } from './gaussian-emission.js';
import { gaussianFromJSON, gaussianToJSON, type GaussianHMMJSON } from './serialize.js';

/** Options of {@link GaussianHMM}. */
export interface GaussianHMMOptions extends HMMOptions {
  /** Covariance parametrisation of each state's Gaussian (default 'diag', as hmmlearn). */
  covarianceType?: CovarianceType;
  /** Added to the covariances' diagonal at initialisation and after each M-step (default 1e-3). */
  minCovar?: number;
  /** Initial means (K × D), used as given. */
  meansInit?: MatrixLike;
  /** Initial covariances in GaussianMixture's layout (full K·D·D, tied D·D, diag K·D, spherical K), used as given. */
  covarsInit?: ArrayLike<number>;
}

const GAUSSIAN_HMM_OPTION_KEYS = optionKeys<GaussianHMMOptions>()([
  ...HMM_OPTION_KEYS, 'covarianceType', 'minCovar', 'meansInit', 'covarsInit',
]);

/** X in wasm memory for the log-densities, and a mixture engine on it for the M-step's statistics. */
interface GaussianData extends EmissionData<GaussianEmission> {
  readonly engine: MixtureEngine;
}

/**
 * A hidden Markov model whose states emit Gaussians: z_1 ~ π, z_{t+1} | z_t ~ A[z_t],
 * x_t | z_t = k ~ N(μ_k, Σ_k). Exact inference by the scaled forward-backward pass and Viterbi
 * (wasm kernels), fitted by Baum-Welch.
 *
 * @example
 * ```ts
 * await init();
 * const hmm = new GaussianHMM({ nComponents: 2, nIter: 50, seed: 1 }).fit(X, { lengths: [100, 80] });
 * const { states } = hmm.decode(X, { lengths: [100, 80] });
 * hmm.transMat; hmm.means; hmm.covars;
 * ```
 */
export class GaussianHMM extends BaseHMM<GaussianEmission, GaussianData> {
  protected readonly kind = 'GaussianHMM';
  protected readonly emissionLetters = 'mc';
  /** Covariance parametrisation. */
  readonly covarianceType: CovarianceType;
  /** Floor added to the covariances' diagonal. */
  readonly minCovar: number;
  private nFeatures = 0;

  constructor(private readonly gaussianOptions: GaussianHMMOptions = {}) {
    super(checkOptions(gaussianOptions, GAUSSIAN_HMM_OPTION_KEYS, 'GaussianHMM'), 'mc');
    this.covarianceType = checkCovarianceType(gaussianOptions.covarianceType ?? 'diag');
    this.minCovar = checkNonNegative(gaussianOptions.minCovar ?? 1e-3, 'minCovar');
    if (gaussianOptions.meansInit !== undefined) {
      const m = toMatrix(gaussianOptions.meansInit, 'meansInit');
      checkMeans(gaussianOptions.meansInit, this.nComponents, m.cols);
    }
  }

  protected checkX(X: MatrixLike, fitting: boolean): Matrix {
    if (fitting) {
      const x = toMatrix(X, 'X');
      if (x.rows < this.nComponents && !this.givenEmission()) {
        throw new ValueError(`X must have at least nComponents = ${this.nComponents} rows to initialise the means; got ${x.rows}`);
      }
      return x;
    }
    const D = this.nFeatures;
    void this.state; // NotFittedError before any shape check
    return toMatrix(X, 'X', { cols: D, colsReason: `the model was fitted on ${D}` });
  }

  private givenEmission(): boolean {
    return this.gaussianOptions.meansInit !== undefined || !this.initParams.includes('m');
  }

  protected openData(x: Matrix): GaussianData {
    const reference = this.engineName === 'reference';
    const spec = { X: x, covarianceType: this.covarianceType, nComponents: this.nComponents };
    const engine: MixtureEngine = reference ? new ReferenceEngine(spec) : new WasmEngine(spec);
    let density: GaussianLogDensity | null = null;
    try {
      density = reference ? null : new GaussianLogDensity(x, this.covarianceType, this.nComponents);
    } catch (err) {
      engine.release();
      throw err;
    }
    const type = this.covarianceType;
    return {
      x, engine,
      logDensities: (e) => (density ? density.logDensities(e) : gaussianLogDensitiesReference(x, type, e)),
      release: () => { density?.release(); engine.release(); },
    };
  }

  protected initialEmission(x: Matrix, rng: Random): GaussianEmission {
    const K = this.nComponents, D = x.cols, type = this.covarianceType, o = this.gaussianOptions;
    const prev = this.fitted && this.nFeatures === D ? this.fitted.params.emission : null;
    let means: Matrix<Float64Array>;
    if (o.meansInit !== undefined) means = checkMeans(o.meansInit, K, D);
    else if (this.initParams.includes('m') || !prev) {
      // hmmlearn: the centres of KMeans(n_clusters = K, random_state) on all rows.
      const km = new KMeans({ nClusters: K, nInit: 10, seed: Math.floor(rng.random() * 2 ** 31), onWarning: () => {} }).fit(x);
      const c = km.clusterCenters;
      means = { data: Float64Array.from(c.data), rows: K, cols: D };
    }
    else means = prev.means;
    let covariances: Float64Array;
    if (o.covarsInit !== undefined) covariances = checkCovars(o.covarsInit, type, K, D);
    else if (this.initParams.includes('c') || !prev) covariances = initialCovariances(x, type, K, this.minCovar);
    else covariances = prev.covariances;
    return { means, covariances, precisionsCholesky: precisionsOf(covariances, type, K, D, o.covarsInit !== undefined ? 'covarsInit' : 'covars') };
  }

  protected emissionMStep(data: GaussianData, posteriors: Float64Array, e: GaussianEmission): GaussianEmission {
    return gaussianMStep(data.engine, posteriors, e, this.covarianceType, this.minCovar, this.params);
  }

  /**
   * Fits by Baum-Welch (E-step: scaled forward-backward; M-step: the mixture's Gaussian update); the model keeps the result only if the whole fit succeeds.
   * @param X observations, N × D (all sequences one after another)
   * @param options.lengths the sequences' lengths, summing to N (default [N])
   */
  override fit(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): this {
    const before = this.nFeatures;
    const D = toMatrix(X, 'X').cols;
    try {
      this.nFeatures = D;
      return super.fit(X, options);
    } catch (err) {
      this.nFeatures = before;
      throw err;
    }
  }

  protected emissionParameterCount(): number {
    const K = this.nComponents, D = this.nFeatures;
    const cov = { full: (K * D * (D + 1)) / 2, tied: (D * (D + 1)) / 2, diag: K * D, spherical: K }[this.covarianceType];
    return (this.params.includes('m') ? K * D : 0) + (this.params.includes('c') ? cov : 0);
  }

  private factors: { e: GaussianEmission; L: Float64Array } | null = null;

  protected sampleEmission(e: GaussianEmission, k: number, rng: Random, out: Float64Array): void {
    const D = e.means.cols, type = this.covarianceType;
    if (this.factors?.e !== e) this.factors = { e, L: choleskyFactors(e.covariances, type, this.nComponents, D) };
    const L = this.factors.L;
    const z = Float64Array.from({ length: D }, () => rng.normal());
    for (let i = 0; i < D; i++) {
      let s = e.means.data[k * D + i];
      if (type === 'diag') s += L[k * D + i] * z[i];
      else if (type === 'spherical') s += L[k] * z[i];
      else {
        const o = type === 'full' ? k * D * D : 0;
        for (let j = 0; j <= i; j++) s += L[o + i * D + j] * z[j];
      }
      out[i] = s;
    }
  }

  protected sampleColumns(e: GaussianEmission): number {
    return e.means.cols;
  }

  /** State means μ_k (K × D). */
  get means(): Matrix<Float64Array> { const m = this.state.params.emission.means; return { data: m.data.slice(), rows: m.rows, cols: m.cols }; }
  /** State covariances in GaussianMixture's layout: full K·D·D, tied D·D, diag K·D, spherical K. */
  get covars(): Float64Array { return this.state.params.emission.covariances.slice(); }

  /** Plain JSON (format version 1): options, the fitted parameters and the fit's history. */
  toJSON(): GaussianHMMJSON {
    const s = this.state;
    return gaussianToJSON(this, this.nFeatures, s);
  }

  /**
   * A fitted model from {@link GaussianHMM.toJSON}'s output, every field checked (kind, version,
   * shapes, probabilities, positive-definite covariances).
   * @param runtime what a file does not hold: the callbacks and the engine (default: none, and 'wasm')
   */
  static fromJSON(json: unknown, runtime: HMMRuntimeOptions = {}): GaussianHMM {
    runtime = checkOptions(runtime, HMM_RUNTIME_OPTION_KEYS, 'GaussianHMM.fromJSON');
    const { options, nFeatures, fit } = gaussianFromJSON(json);
    const model = new GaussianHMM({ ...runtime, ...options });
    model.nFeatures = nFeatures;
    model.fitted = fit;
    return model;
  }
}

/** Lower Cholesky factors (full: K blocks; tied: one) or standard deviations (diag, spherical), for sampling. */
function choleskyFactors(cov: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return cov.map(Math.sqrt);
  const count = type === 'full' ? K : 1;
  const out = new Float64Array(cov.length);
  withWorkspace((ws) => {
    const buf = ws.f64(D * D);
    for (let c = 0; c < count; c++) {
      buf.set(cov.subarray(c * D * D, (c + 1) * D * D));
      kernels().choleskyF64(buf.ptr, D);
      const L = buf.view();
      for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) L[i * D + j] = 0;
      out.set(L, c * D * D);
    }
  });
  return out;
}
