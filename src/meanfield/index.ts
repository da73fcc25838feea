export { BinarySparseCoding, type BscStatistics, type BscStatsOptions, type PosteriorEncoder, type BinarySparseCodingJSON, type BinarySparseCodingOptions, type BscInferOptions, type BscInference, type BscFitOptions } from './BinarySparseCoding.js';
export { BoltzmannMachine, type BoltzmannMachineOptions, type BoltzmannMeanField } from './BoltzmannMachine.js';
export { IsingGrid, type IsingGridOptions, type IsingMeanFieldOptions, type IsingMeanField } from './IsingGrid.js';
export { LinearGaussian, type LinearGaussianOptions, type LinearGaussianFitOptions, type LinearGaussianMeanField } from './LinearGaussian.js';
export type { MeanFieldOptions, ConvergenceInfo, FitIterationInfo, Schedule, Engine as MeanFieldEngine } from './types.js';
export { MAX_ENUMERATE } from './validate.js';
export type { BinaryQuadratic } from './quadratic.js';
