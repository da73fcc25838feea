/**
 * The variational Gaussian mixture's family math (after scikit-learn's _bayesian_mixture.py and
 * Bishop, PRML §10.2): the mean-field update of q(π) (Dirichlet or stick-breaking Beta) and of
 * q(μ, Λ) (Gaussian–Wishart) from the sufficient statistics of an E-step, the per-component terms
 * the variational E-step adds to the Gaussian log-density, and the lower bound. All O(K·D³) or
 * less; the O(N) work is the Gaussian engines' (engine.ts), unchanged.
 */
import { logDetCholesky, NK_EPS, parametersFromStats, precisionCholeskyFromCovariance } from './gaussian.js';
import { betaln, digamma, gammaln } from './gamma.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

/** The prior on the weights: a stick-breaking Dirichlet process, or a K-dimensional Dirichlet. */
export type WeightConcentrationPriorType = 'dirichlet_process' | 'dirichlet_distribution';
export const WEIGHT_CONCENTRATION_PRIOR_TYPES: readonly WeightConcentrationPriorType[] = ['dirichlet_process', 'dirichlet_distribution'];

/**
 * The priors of a variational Gaussian mixture, resolved (scikit-learn's `*_prior_` attributes):
 * p(π) with concentration α₀; p(μ_k | Λ_k) = N(m₀, (β₀ Λ_k)⁻¹); p(Λ_k) = Wishart(ν₀, Ψ₀⁻¹).
 */
export interface BayesianPriors {
  /** Dirichlet process (stick-breaking) or Dirichlet distribution. */
  weightConcentrationPriorType: WeightConcentrationPriorType;
  /** α₀ (default 1/K). */
  weightConcentrationPrior: number;
  /** β₀ (default 1). */
  meanPrecisionPrior: number;
  /** m₀, D values (default the mean of X). */
  meanPrior: Float64Array;
  /** ν₀ > D − 1 (default D). */
  degreesOfFreedomPrior: number;
  /** Ψ₀: full and tied D·D, diag D, spherical 1 value (default the sample covariance of X, ddof 1). */
  covariancePrior: Float64Array;
}

/**
 * The variational posterior q(π) q(μ, Λ), with the Gaussian mixture's parameters it implies:
 * `covariances` = W_k⁻¹ / ν_k (the inverse Wishart scale over the degrees of freedom, as
 * scikit-learn normalises it), `precisionsCholesky` their factors, `weights` E_q[π].
 */
export interface BayesianParams extends GaussianParams {
  /** Dirichlet process: 2·K values, (a_1…a_K, b_1…b_K) of the Beta sticks; Dirichlet: K values. */
  weightConcentration: Float64Array;
  /** β_k (K). */
  meanPrecision: Float64Array;
  /** ν_k (K; tied: 1 value). */
  degreesOfFreedom: Float64Array;
  /** The E-step's per-component terms (see `variationalLogWeights`). */
  logWeights: Float64Array;
}

/**
 * The mean-field update of q(π, μ, Λ) from the statistics of q(z) (scikit-learn's _m_step and
 * _initialize): n_k, x̄_k and S_k as the EM M-step computes them (with n_k + 10ε and regCovar),
 * then Bishop eqs. 10.58–10.63 (with ν_k = ν₀ + n_k, the corrected 10.63).
 */
export function variationalUpdate(stats: SufficientStats, priors: BayesianPriors, regCovar: number): BayesianParams {
  const { nComponents: K, nFeatures: D, covarianceType: type } = stats;
  const nk = stats.sumResp.map((v) => v + NK_EPS);
  const { means: xk, covariances: sk } = parametersFromStats(stats, regCovar);
  const weightConcentration = concentrationUpdate(nk, priors);
  const beta0 = priors.meanPrecisionPrior;
  const meanPrecision = nk.map((n) => beta0 + n);
  const means = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < D; d++) means[k * D + d] = (beta0 * priors.meanPrior[d] + nk[k] * xk.data[k * D + d]) / meanPrecision[k];
  }
  const { covariances, degreesOfFreedom } = wishartUpdate(type, nk, xk.data, sk, meanPrecision, priors);
  const precisionsCholesky = precisionCholeskyFromCovariance(covariances, type, K, D);
  const posterior = { weightConcentration, meanPrecision, degreesOfFreedom, means: { data: means, rows: K, cols: D } };
  return {
    ...posterior, covariances, precisionsCholesky,
    weights: expectedWeights(weightConcentration, priors.weightConcentrationPriorType),
    logWeights: variationalLogWeights(posterior, priors.weightConcentrationPriorType),
  };
}

/** DP: a_k = 1 + n_k, b_k = α₀ + Σ_{j>k} n_j (Blei & Jordan 2006); Dirichlet: α₀ + n_k (Bishop 10.58). */
function concentrationUpdate(nk: Float64Array, priors: BayesianPriors): Float64Array {
  const K = nk.length;
  const alpha0 = priors.weightConcentrationPrior;
  if (priors.weightConcentrationPriorType === 'dirichlet_distribution') return nk.map((n) => alpha0 + n);
  const out = new Float64Array(2 * K);
  let tail = 0;
  for (let k = K - 1; k >= 0; k--) {
    out[k] = 1 + nk[k];
    out[K + k] = alpha0 + tail;
    tail += nk[k];
  }
  return out;
}

/**
 * ν_k = ν₀ + n_k and the covariances W_k⁻¹/ν_k with W_k⁻¹ = Ψ₀ + n_k S_k + (β₀ n_k / β_k)(x̄_k − m₀)(x̄_k − m₀)ᵀ
 * (Bishop 10.62), or its tied (one Wishart shared: n_k → Σn/K per component), diag and
 * spherical (mean over features) analogues.
 */
function wishartUpdate(
  type: CovarianceType, nk: Float64Array, xk: Float64Array, sk: Float64Array, beta: Float64Array, priors: BayesianPriors,
): { covariances: Float64Array; degreesOfFreedom: Float64Array } {
  const K = nk.length, D = priors.meanPrior.length;
  const { degreesOfFreedomPrior: nu0, meanPrecisionPrior: beta0, covariancePrior: psi0, meanPrior: m0 } = priors;
  const diff = new Float64Array(K * D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) diff[k * D + d] = xk[k * D + d] - m0[d];
  const cov = new Float64Array(sk.length);
  if (type === 'tied') {
    let total = 0;
    for (let k = 0; k < K; k++) total += nk[k];
    const nu = nu0 + total / K;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (nk[k] / beta[k]) * diff[k * D + i] * diff[k * D + j];
        cov[i * D + j] = (psi0[i * D + j] + (sk[i * D + j] * total) / K + (beta0 / K) * s) / nu;
      }
    }
    return { covariances: cov, degreesOfFreedom: Float64Array.of(nu) };
  }
  const nu = nk.map((n) => nu0 + n);
  for (let k = 0; k < K; k++) {
    const shrink = beta0 / beta[k];
    if (type === 'full') {
      const o = k * D * D;
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          const outer = diff[k * D + i] * diff[k * D + j];
          cov[o + i * D + j] = (psi0[i * D + j] + nk[k] * sk[o + i * D + j] + nk[k] * shrink * outer) / nu[k];
        }
      }
    } else if (type === 'diag') {
      for (let d = 0; d < D; d++) {
        const i = k * D + d;
        cov[i] = (psi0[d] + nk[k] * (sk[i] + shrink * diff[i] * diff[i])) / nu[k];
      }
    } else {
      let sq = 0;
      for (let d = 0; d < D; d++) sq += diff[k * D + d] * diff[k * D + d];
      cov[k] = (psi0[0] + nk[k] * (sk[k] + (shrink * sq) / D)) / nu[k];
    }
  }
  return { covariances: cov, degreesOfFreedom: nu };
}

/** E_q[π]: DP a_k/(a_k+b_k) Π_{j<k} b_j/(a_j+b_j), renormalised to sum 1; Dirichlet c_k / Σc. */
export function expectedWeights(concentration: Float64Array, priorType: WeightConcentrationPriorType): Float64Array {
  let w: Float64Array;
  if (priorType === 'dirichlet_process') {
    const K = concentration.length / 2;
    w = new Float64Array(K);
    let stick = 1;
    for (let k = 0; k < K; k++) {
      const a = concentration[k], b = concentration[K + k];
      w[k] = (a / (a + b)) * stick;
      stick *= b / (a + b);
    }
  } else w = concentration.slice();
  let s = 0;
  for (let k = 0; k < w.length; k++) s += w[k];
  return w.map((v) => v / s);
}

/**
 * E_q[log π_k]: DP ψ(a_k) − ψ(a_k + b_k) + Σ_{j<k} (ψ(b_j) − ψ(a_j + b_j)) (Blei & Jordan eq. 22);
 * Dirichlet ψ(c_k) − ψ(Σc) (Bishop 10.66).
 */
export function expectedLogWeights(concentration: Float64Array, priorType: WeightConcentrationPriorType): Float64Array {
  if (priorType === 'dirichlet_distribution') {
    let s = 0;
    for (let k = 0; k < concentration.length; k++) s += concentration[k];
    const psiSum = digamma(s);
    return concentration.map((c) => digamma(c) - psiSum);
  }
  const K = concentration.length / 2;
  const out = new Float64Array(K);
  let before = 0;
  for (let k = 0; k < K; k++) {
    const a = concentration[k], b = concentration[K + k];
    const psiSum = digamma(a + b);
    out[k] = digamma(a) - psiSum + before;
    before += digamma(b) - psiSum;
  }
  return out;
}

/** Σ_{i<D} ψ((ν − i)/2): E_q[log |Λ|] without its D ln 2 + ln|W| (Bishop 10.65). */
function sumDigammaHalf(nu: number, D: number): number {
  let s = 0;
  for (let i = 0; i < D; i++) s += digamma(0.5 * (nu - i));
  return s;
}

/**
 * What the variational E-step adds to log N(x | μ_k, covariance_k) for component k (scikit-learn's
 * _estimate_log_prob and _estimate_log_weights; Bishop 10.46 with 10.64–10.66):
 * E[log π_k] − ½ D ln ν_k + ½ (D ln 2 + Σ_i ψ((ν_k − i)/2) − D/β_k). The −½ D ln ν_k undoes
 * the normalisation of the covariances by ν_k; engine.ts's componentBias adds these to log det P_k.
 */
export function variationalLogWeights(
  params: Pick<BayesianParams, 'weightConcentration' | 'meanPrecision' | 'degreesOfFreedom' | 'means'>,
  priorType: WeightConcentrationPriorType,
): Float64Array {
  const D = params.means.cols;
  const out = expectedLogWeights(params.weightConcentration, priorType);
  const nuOf = (k: number) => params.degreesOfFreedom[params.degreesOfFreedom.length === 1 ? 0 : k];
  for (let k = 0; k < out.length; k++) {
    const nu = nuOf(k);
    out[k] += -0.5 * D * Math.log(nu) + 0.5 * (D * Math.LN2 + sumDigammaHalf(nu, D) - D / params.meanPrecision[k]);
  }
  return out;
}

/**
 * ln B(W, ν) without its ln π term (scikit-learn's _log_wishart_norm, Bishop B.79):
 * −(ν ln|W|^{1/2} + ν D ½ ln 2 + Σ_i ln Γ((ν − i)/2)), with ln|W|^{1/2} = log det P − ½ D ln ν.
 */
function logWishartNorm(nu: number, logDetCholW: number, D: number): number {
  let s = 0;
  for (let i = 0; i < D; i++) s += gammaln(0.5 * (nu - i));
  return -(nu * logDetCholW + nu * D * 0.5 * Math.LN2 + s);
}

/**
 * The lower bound scikit-learn reports (its _compute_lower_bound: the ELBO up to constants):
 * −Σ r ln r − Σ_k ln B(W_k, ν_k) − ln C(concentration) − ½ D Σ_k ln β_k, where ln C is
 * −Σ_k ln B(a_k, b_k) for the DP and ln Γ(Σc) − Σ ln Γ(c_k) for the Dirichlet. Tied counts its
 * one Wishart K times. `sumRespLogResp` is Σ r ln r of the E-step that led to `params`.
 */
export function variationalLowerBound(
  params: BayesianParams, type: CovarianceType, priorType: WeightConcentrationPriorType, sumRespLogResp: number,
): number {
  const K = params.weights.length, D = params.means.cols;
  const logDet = logDetCholesky(params.precisionsCholesky, type, K, D);
  const nu = params.degreesOfFreedom;
  let logWishart = 0;
  if (type === 'tied') logWishart = K * logWishartNorm(nu[0], logDet[0] - 0.5 * D * Math.log(nu[0]), D);
  else for (let k = 0; k < K; k++) logWishart += logWishartNorm(nu[k], logDet[k] - 0.5 * D * Math.log(nu[k]), D);
  const c = params.weightConcentration;
  let logNormWeight = 0;
  if (priorType === 'dirichlet_process') {
    for (let k = 0; k < K; k++) logNormWeight -= betaln(c[k], c[K + k]);
  } else {
    let s = 0;
    for (let k = 0; k < K; k++) {
      s += c[k];
      logNormWeight -= gammaln(c[k]);
    }
    logNormWeight += gammaln(s);
  }
  let logBeta = 0;
  for (let k = 0; k < K; k++) logBeta += Math.log(params.meanPrecision[k]);
  return -sumRespLogResp - logWishart - logNormWeight - 0.5 * D * logBeta;
}
