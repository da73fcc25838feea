export { KMeans } from './KMeans.js';
export type {
  KMeansAlgorithm, KMeansInit, KMeansIterationInfo, KMeansJSON, KMeansOptions, KMeansStats, SampleWeightOptions,
} from './types.js';
