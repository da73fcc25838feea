export { GaussianHMM, type GaussianHMMOptions } from './GaussianHMM.js';
export { CategoricalHMM, type CategoricalHMMOptions } from './CategoricalHMM.js';
export { FactorialHMM, MAX_JOINT_STATES, type FactorialHMMOptions, type FactorialHMMParams, type FactorialInference } from './FactorialHMM.js';
export type { HMMOptions, HMMRuntimeOptions, HMMScore, HMMDecode, HMMSample } from './base.js';
export type { ChainEngine } from './chain.js';
export type { GaussianHMMJSON, CategoricalHMMJSON, SavedHMMOptions } from './serialize.js';
