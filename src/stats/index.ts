export { fitWithStatistics, statisticsOf, mergeStatsInOrder, inProcessEngine, type StatisticsEngine, type StatisticsFitOptions, type StatisticsModel, type ModelSnapshot } from './fit.js';
export { encodeStats, decodeStats, type EncodedStats, type EncodedValue, type EncodedNumber, type EncodedArray, type EncodedNonFinite } from './encode.js';
export { sampleShard, mergeSamples, type ShardSample, type DataSample } from './sample.js';
