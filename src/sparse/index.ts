export { sparseEncode, type SparseEncodeOptions, type SparseEncodeResult } from './sparseEncode.js';
export { SparseCoder, type SparseCoderOptions, type SparseCoderJSON } from './SparseCoder.js';
export { DictionaryLearning, type DictionaryLearningOptions } from './DictionaryLearning.js';
export { MiniBatchDictionaryLearning, type MiniBatchDictionaryLearningOptions, type DictionaryStats } from './MiniBatchDictionaryLearning.js';
export type { DictionaryLearningBaseOptions, DictionaryIterationInfo } from './learn.js';
export type { Algorithm } from './encode.js';
export type { EngineName as SparseEngine } from './ops.js';
export { lassoObjective } from './objective.js';
