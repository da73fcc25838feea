export { GaussianHMM, type GaussianHMMOptions } from './GaussianHMM.js';
export { CategoricalHMM, type CategoricalHMMOptions } from './CategoricalHMM.js';
export type { HMMOptions, HMMScore, HMMDecode } from './base.js';
export type { GaussianHMMJSON, CategoricalHMMJSON, SavedHMMOptions } from './serialize.js';
