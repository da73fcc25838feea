/** SparseCoder: sparse codes over a fixed dictionary (scikit-learn's SparseCoder). */
import { buildFromFile, readModelFile, type FieldReader } from '../runtime/model-file.js';
import { toMatrix, type Matrix, type MatrixLike, type SerializedMatrix } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { ALGORITHMS, type Algorithm } from './encode.js';
import type { EngineName } from './ops.js';
import { encodeMatrices, resolveEncodeOptions, unconvergedMessage, type ResolvedEncodeOptions } from './sparseEncode.js';
import { checkDictionary } from './validate.js';

/** Options of {@link SparseCoder}. */
export interface SparseCoderOptions {
  /** The atoms, nAtoms × nFeatures (rows; none all-zero). Copied. */
  dictionary: MatrixLike;
  /** Lasso solver (default 'cd'). */
  transformAlgorithm?: Algorithm;
  /** Weight α of the ℓ1 penalty (default 1). */
  transformAlpha?: number;
  /** Iterations at most per signal (default 1000). */
  transformMaxIter?: number;
  /** Duality-gap tolerance relative to ‖x‖² (default 1e-6). */
  transformTol?: number;
  /** Constrain the codes to be ≥ 0 (default false). */
  positiveCode?: boolean;
  /** 'wasm' (default) or 'reference'. */
  engine?: EngineName;
  /** Receives the warning when `transform` stops signals at transformMaxIter above the tolerance; default console.warn. */
  onWarning?: (message: string) => void;
}

const OPTION_KEYS = optionKeys<SparseCoderOptions>()([
  'dictionary', 'transformAlgorithm', 'transformAlpha', 'transformMaxIter', 'transformTol', 'positiveCode', 'engine', 'onWarning',
]);

/** The plain-JSON form of a {@link SparseCoder}: its dictionary and encoder settings. */
export interface SparseCoderJSON {
  /** Always 'SparseCoder'. */
  kind: 'SparseCoder';
  /** Format version: 1 (a file without one is read as version 1). */
  version: 1;
  /** The atoms, nAtoms × nFeatures, row-major. */
  dictionary: SerializedMatrix;
  /** The lasso solver. */
  transformAlgorithm: Algorithm;
  /** Weight α of the ℓ1 penalty. */
  transformAlpha: number;
  /** Iterations at most per signal. */
  transformMaxIter: number;
  /** Duality-gap tolerance relative to ‖x‖². */
  transformTol: number;
  /** Whether codes are constrained to be ≥ 0. */
  positiveCode: boolean;
}

/**
 * Encodes signals over a fixed dictionary by the lasso (see {@link sparseEncode}); the
 * dictionary's largest eigenvalue, needed by 'fista'/'ista', is computed once and cached.
 *
 * @example
 * ```ts
 * import { init, SparseCoder } from 'elbo-wasm';
 * await init();
 * const coder = new SparseCoder({ dictionary: [[1, 0], [0.6, 0.8], [0, 1]], transformAlpha: 0.1 });
 * coder.transform([[1, 0.1], [0.3, 0.9]]).data; // 2 × 3 codes
 * ```
 */
export class SparseCoder {
  private readonly dict: Matrix;
  private readonly o: ResolvedEncodeOptions;
  private readonly onWarning: (message: string) => void;

  constructor(options: SparseCoderOptions) {
    options = checkOptions(options, OPTION_KEYS, 'SparseCoder');
    const d = checkDictionary(options?.dictionary, 'dictionary');
    this.dict = { data: d.data.slice(), rows: d.rows, cols: d.cols };
    this.o = resolveEncodeOptions({
      alpha: options.transformAlpha, algorithm: options.transformAlgorithm, maxIter: options.transformMaxIter,
      tol: options.transformTol, positive: options.positiveCode, engine: options.engine,
    }, 'transform');
    this.onWarning = options.onWarning ?? console.warn;
  }

  /** The dictionary, nAtoms × nFeatures (a copy). */
  get components(): Matrix {
    return { ...this.dict, data: this.dict.data.slice() };
  }

  /** A plain-JSON form of the dictionary and encoder settings; `fromJSON` restores it exactly. */
  toJSON(): SparseCoderJSON {
    const { rows, cols, data } = this.dict;
    return {
      kind: 'SparseCoder', version: 1, dictionary: { rows, cols, data: Array.from(data) },
      transformAlgorithm: this.o.algorithm, transformAlpha: this.o.alpha, transformMaxIter: this.o.maxIter,
      transformTol: this.o.tol, positiveCode: this.o.positive,
    };
  }

  /**
   * Restores a coder saved by `toJSON` (the engine option is not saved: 'wasm'), after checking
   * every field: the dictionary a matrix of finite values with no all-zero atom, the solver one of
   * 'cd', 'fista', 'ista', α ≥ 0, maxIter ≥ 1, tol ≥ 0. Files without a `version` are read as
   * version 1.
   * @throws ModelFileError (a ValueError) naming the field that is wrong, e.g. `dictionary.data[5]`
   */
  static fromJSON(json: SparseCoderJSON): SparseCoder {
    return readModelFile(json, 'SparseCoder', [readVersion1]);
  }

  /**
   * The codes of the rows of X (N × nAtoms), in the element type of X. Warns through
   * `onWarning` when signals stop at transformMaxIter above the tolerance.
   */
  transform(X: MatrixLike): Matrix {
    const x = toMatrix(X, 'X', { cols: this.dict.cols, colsReason: `the dictionary has ${this.dict.cols} features` });
    const { result, unconverged } = encodeMatrices(x, this.dict, null, null, this.o);
    if (unconverged > 0 && this.o.tol > 0) this.onWarning(unconvergedMessage('SparseCoder.transform', unconverged, x.rows, this.o.maxIter, this.o.tol));
    return result.codes;
  }
}

/** Version 1: the format of elbo 0.1 (also files without a version). */
function readVersion1(r: FieldReader): SparseCoder {
  const dictionary = r.matrix('dictionary');
  const options = {
    dictionary,
    transformAlgorithm: r.choice('transformAlgorithm', ALGORITHMS),
    transformAlpha: r.number('transformAlpha', { min: 0 }),
    transformMaxIter: r.integer('transformMaxIter', 1),
    transformTol: r.number('transformTol', { min: 0 }),
    positiveCode: r.boolean('positiveCode'),
  };
  return buildFromFile('SparseCoder', '', () => new SparseCoder(options));
}
