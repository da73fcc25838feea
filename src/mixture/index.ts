export { GaussianMixture, type GaussianMixtureOptions } from './GaussianMixture.js';
export { BayesianGaussianMixture, type BayesianGaussianMixtureOptions } from './BayesianGaussianMixture.js';
export type { GaussianMixtureJSON, SavedMixtureOptions } from './serialize.js';
export type { BayesianGaussianMixtureJSON } from './serialize-bayesian.js';
export type { BayesianPriors, WeightConcentrationPriorType } from './bayesian.js';
export type { PriorValue } from './priors.js';
export { digamma, gammaln, betaln } from './gamma.js';
export type { CovarianceType, InitParams, IterationInfo, SufficientStats } from './types.js';
export type { MixtureOptions } from './base.js';
