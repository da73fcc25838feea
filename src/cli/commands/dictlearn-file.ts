/** The JSON form of a learned dictionary that `elbo dictlearn --model` writes and `elbo predict` reads. */
import type { Matrix } from '../../runtime/matrix.js';
import { sparseEncode, type Algorithm } from '../../sparse/index.js';

/** A dictionary (atoms as rows) with the encoder settings to apply it. */
export interface DictionaryFile {
  kind: 'SparseDictionary';
  version: 1;
  /** nAtoms × nFeatures, row-major. */
  components: { rows: number; cols: number; data: number[] };
  /** α of the encoder. */
  alpha: number;
  algorithm: Algorithm;
  positive: boolean;
}

/** The sparse codes of X under a saved dictionary. */
export function dictionaryCodes(f: DictionaryFile, X: Matrix): Matrix {
  const D = { data: Float64Array.from(f.components.data), rows: f.components.rows, cols: f.components.cols };
  return sparseEncode(X, D, { alpha: f.alpha, algorithm: f.algorithm, positive: f.positive }).codes;
}
