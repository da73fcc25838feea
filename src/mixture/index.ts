export { GaussianMixture, type GaussianMixtureOptions } from './GaussianMixture.js';
export type { GaussianMixtureJSON } from './serialize.js';
export type { CovarianceType, InitParams, IterationInfo, SufficientStats } from './types.js';
