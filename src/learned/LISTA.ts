/**
 * LISTA: learned ISTA (Gregor & LeCun, "Learning Fast Approximations of Sparse Coding", ICML
 * 2010), amortised MAP inference for the lasso codes of sparseEncode.
 */
import { ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type Matrix, type MatrixLike, type SerializedMatrix } from '../runtime/matrix.js';
import { buildFromFile, readModelFile, type FieldReader } from '../runtime/model-file.js';
import { checkSeed } from '../runtime/validate.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { rememberOptions } from '../runtime/construction.js';
import { exponentOf, maxAbs, scalePow2, scaledCopy } from '../sparse/scale.js';
import { sparseEncode } from '../sparse/sparseEncode.js';
import { checkBoolean, checkChoice, checkDictionary, checkInteger, checkNonNegative, checkShape } from '../sparse/validate.js';
import { layout, type Shape } from './network.js';
import { makeLearnedOps, type EngineName } from './ops.js';
import { istaParams, rescaleParams } from './params.js';
import { infer, train } from './train.js';

/** Options of {@link LISTA}. */
export interface LISTAOptions {
  /** The dictionary D, nAtoms × nFeatures (atoms are rows, as in sparseEncode). Required. */
  dictionary: MatrixLike;
  /** Weight α of the ℓ1 penalty of the lasso whose codes the network learns (default 1). */
  alpha?: number;
  /** Unrolled layers T (default 3). */
  nLayers?: number;
  /** Codes constrained to h ≥ 0 (default false): the layers use max(b − θ, 0). */
  positive?: boolean;
  /** Seed of the mini-batch shuffle (default 0). */
  seed?: number;
  /** Adam's step size (default 1e-3), in the units of X and D rescaled to max-abs entries in [½, 1). */
  learningRate?: number;
  /** Signals per mini-batch (default 64). */
  batchSize?: number;
  /** Passes over the training signals (default 100). */
  epochs?: number;
  /** Called after each epoch with its number (from 1) and mean batch loss; may throw to abort the fit. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Receives warnings (unconverged target codes, a fit that did not lower the loss); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript run of the same algorithm. */
  engine?: EngineName;
}

/** Options of {@link LISTA.fit}. */
export interface LISTAFitOptions {
  /** Target codes, N × nAtoms; default: sparseEncode's optimal codes of X (algorithm 'cd'). */
  codes?: MatrixLike;
}

const OPTION_KEYS = optionKeys<LISTAOptions>()(['dictionary', 'alpha', 'nLayers', 'positive', 'seed', 'learningRate', 'batchSize', 'epochs', 'onEpoch', 'onWarning', 'engine']);
const FIT_OPTION_KEYS = optionKeys<LISTAFitOptions>()(['codes']);

/** The plain-JSON form of a {@link LISTA} model. */
export interface LISTAJSON {
  /** The model's kind. */
  kind: 'LISTA';
  /** Format version. */
  version: 1;
  /** D, nAtoms × nFeatures. */
  dictionary: SerializedMatrix;
  /** The option of the same name. */
  alpha: number;
  /** The option of the same name. */
  nLayers: number;
  /** The option of the same name. */
  positive: boolean;
  /** The option of the same name. */
  seed: number;
  /** The option of the same name. */
  learningRate: number;
  /** The option of the same name. */
  batchSize: number;
  /** The option of the same name. */
  epochs: number;
  /** W, nFeatures × nAtoms. */
  encoderWeights: SerializedMatrix;
  /** S, nAtoms × nAtoms. */
  inhibition: SerializedMatrix;
  /** θ, nAtoms values ≥ 0. */
  thresholds: number[];
  /** The loss per epoch of the fit that produced the parameters (empty if never fitted). */
  lossHistory: number[];
}

/**
 * LISTA: T unrolled layers z_t = S_θ(x W + z_{t−1} S) from z₀ = 0, whose weights W (nFeatures
 * × nAtoms), S (nAtoms × nAtoms) and thresholds θ (nAtoms) are learned so that z_T predicts the
 * lasso codes argmin ½‖x − hD‖² + α‖h‖₁. The network starts as T steps of ISTA (W = Dᵀ/L,
 * S = I − DDᵀ/L, θ = α/L, with sparseEncode's step 1/L), so `transform` before `fit` gives
 * the codes of T ISTA iterations from zero (to rounding: the layer computes xW + zS where ISTA
 * computes z − (zG − xDᵀ)/L).
 *
 * `fit(X)` trains by mini-batch Adam on mean((z_T − h)²) against sparseEncode's optimal codes of
 * X (or the `codes` given), with the gradient backpropagated by hand through the shared layers
 * (the soft threshold's derivative is an indicator); forward and backward passes are GEMMs over
 * blocks of signals in wasm. Training runs on X and D rescaled by powers of two to max-abs
 * entries in [½, 1) (exact), so `learningRate` means the same at any scale; the parameters are
 * reported in the units of the data. Everything runs in f64; Float32Array input gives
 * Float32Array codes. The same seed gives the same parameters.
 *
 * A fit that throws (bad input, a diverging loss, an exception from `onEpoch`) leaves the model
 * as it was. When the last epoch's loss is not below the first's, `onWarning` says so.
 *
 * @example
 * ```ts
 * import { init, LISTA, sparseEncode } from 'elbo-wasm';
 * await init();
 * const lista = new LISTA({ dictionary: D, alpha: 0.1, nLayers: 3, seed: 1 }).fit(Xtrain);
 * const codes = lista.transform(Xtest);          // ≈ sparseEncode(Xtest, D, { alpha: 0.1 }).codes
 * lista.lossHistory;                             // mean squared code error per epoch
 * ```
 */
export class LISTA {
  /** The dictionary D (nAtoms × nFeatures), f64. */
  readonly dictionary: Matrix<Float64Array>;
  /** Weight α of the ℓ1 penalty of the lasso the network approximates. */
  readonly alpha: number;
  /** Unrolled layers T. */
  readonly nLayers: number;
  /** Whether the codes are constrained to h ≥ 0. */
  readonly positive: boolean;
  /** Seed of the mini-batch shuffle. */
  readonly seed: number;
  /** Adam's step size (in the rescaled units of training). */
  readonly learningRate: number;
  /** Signals per mini-batch. */
  readonly batchSize: number;
  /** Passes over the training signals per fit. */
  readonly epochs: number;
  private readonly onEpoch?: (epoch: number, loss: number) => void;
  private readonly onWarning: (message: string) => void;
  private readonly engine: EngineName;
  private readonly shape: Shape;
  private params: Float64Array;
  private history: number[] = [];
  private fitted = false;

  constructor(options: LISTAOptions) {
    if (!options || typeof options !== 'object') throw new ValueError(`options must be an object with a dictionary; got ${describe(options)}`);
    options = checkOptions(options, OPTION_KEYS, 'LISTA');
    rememberOptions(this, options);
    const d = checkDictionary(options.dictionary, 'dictionary');
    this.dictionary = { data: Float64Array.from(d.data), rows: d.rows, cols: d.cols };
    this.alpha = checkNonNegative(options.alpha ?? 1, 'alpha');
    this.nLayers = checkInteger(options.nLayers ?? 3, 'nLayers', 1);
    this.positive = checkBoolean(options.positive ?? false, 'positive');
    this.seed = checkSeed(options.seed ?? 0);
    this.learningRate = checkNonNegative(options.learningRate ?? 1e-3, 'learningRate');
    if (this.learningRate === 0) throw new ValueError('learningRate must be a finite number > 0; got 0');
    this.batchSize = checkInteger(options.batchSize ?? 64, 'batchSize', 1);
    this.epochs = checkInteger(options.epochs ?? 100, 'epochs', 1);
    if (options.onEpoch !== undefined && typeof options.onEpoch !== 'function') throw new ValueError(`onEpoch must be a function; got ${describe(options.onEpoch)}`);
    if (options.onWarning !== undefined && typeof options.onWarning !== 'function') throw new ValueError(`onWarning must be a function; got ${describe(options.onWarning)}`);
    this.onEpoch = options.onEpoch;
    this.onWarning = options.onWarning ?? console.warn;
    this.engine = checkChoice(options.engine ?? 'wasm', 'engine', ['wasm', 'reference'] as const);
    this.shape = { F: d.cols, A: d.rows, T: this.nLayers, positive: this.positive };
    this.params = istaParams(this.dictionary.data, this.shape, this.alpha);
  }

  /** Atoms A. */
  get nAtoms(): number { return this.shape.A; }
  /** Features F. */
  get nFeatures(): number { return this.shape.F; }
  /** True after a successful fit (or a model restored from a fitted one). */
  get isFitted(): boolean { return this.fitted; }
  /** The mean batch loss mean((z_T − h)²) of every epoch of the last fit, in the units of the codes. */
  get lossHistory(): readonly number[] { return this.history.slice(); }
  /** W (nFeatures × nAtoms): the learned stand-in for Dᵀ/L. */
  get encoderWeights(): Matrix<Float64Array> { return this.block('W', this.shape.F, this.shape.A); }
  /** S (nAtoms × nAtoms): the learned stand-in for I − DDᵀ/L (mutual inhibition of the atoms). */
  get inhibition(): Matrix<Float64Array> { return this.block('S', this.shape.A, this.shape.A); }
  /** θ (nAtoms, ≥ 0): the learned per-atom thresholds (α/L at the start). */
  get thresholds(): Float64Array { return this.params.slice(layout(this.shape).theta); }

  private block(name: 'W' | 'S', rows: number, cols: number): Matrix<Float64Array> {
    const at = layout(this.shape);
    const start = at[name];
    return { data: this.params.slice(start, start + rows * cols), rows, cols };
  }

  /**
   * Trains the network on the signals X (N × nFeatures) to predict `codes`, by default
   * sparseEncode's optimal codes of X for this dictionary and α. Starts from ISTA every time.
   * @throws ShapeError when X's columns differ from the dictionary's or codes are not N × nAtoms
   * @throws ValueError for non-finite values, or a loss that diverges (naming learningRate)
   */
  fit(X: MatrixLike, options: LISTAFitOptions = {}): this {
    options = checkOptions(options, FIT_OPTION_KEYS, 'LISTA.fit');
    const { F, A } = this.shape;
    const x = toMatrix(X, 'X', { cols: F, colsReason: 'the number of features of the dictionary' });
    const N = x.rows;
    const codes = options.codes === undefined
      ? sparseEncode(x, this.dictionary, { alpha: this.alpha, algorithm: 'cd', positive: this.positive, onWarning: this.onWarning, engine: this.engine }).codes
      : checkShape(options.codes, 'codes', N, A, 'rows of X × atoms of the dictionary');
    if (this.positive) checkNonNegativeCodes(codes);
    const ex = exponentOf(maxAbs(x.data)), ed = exponentOf(maxAbs(this.dictionary.data));
    const start = rescaleParams(istaParams(this.dictionary.data, this.shape, this.alpha), this.shape, ex, ed);
    const toUser = (loss: number) => scalePow2(loss, 2 * (ex - ed));
    const ops = makeLearnedOps(this.engine);
    let result: { params: Float64Array; lossHistory: number[] };
    try {
      result = train(ops, {
        X: scaledCopy(Float64Array.from(x.data), -ex), H: scaledCopy(Float64Array.from(codes.data), ed - ex), N,
        shape: this.shape, params: start, learningRate: this.learningRate, batchSize: this.batchSize,
        epochs: this.epochs, seed: this.seed, onEpoch: this.onEpoch && ((e, l) => this.onEpoch?.(e, toUser(l))),
      });
    } finally {
      ops.base.release();
    }
    const params = rescaleParams(result.params, this.shape, ex, ed, true);
    if (!params.every(Number.isFinite)) throw new ValueError(`LISTA's parameters overflow f64 at the scale of X (max |x| = ${maxAbs(x.data)}); scale X down`);
    const history = result.lossHistory.map(toUser);
    this.params = params;
    this.history = history;
    this.fitted = true;
    if (history.length > 1 && !(history[history.length - 1] < history[0])) {
      this.onWarning(`LISTA training did not lower the loss (epoch 1: ${history[0]}, epoch ${history.length}: ${history[history.length - 1]}); try another learningRate or more epochs`);
    }
    return this;
  }

  /**
   * The codes of the rows of X (N × nAtoms) after the T layers, in the element type of X.
   * Before `fit`, these are the codes of T ISTA iterations from zero.
   * @throws ShapeError when X's columns differ from the dictionary's
   * @throws ValueError for non-finite X, or codes that overflow
   */
  transform(X: MatrixLike): Matrix {
    const x = toMatrix(X, 'X', { cols: this.shape.F, colsReason: 'the number of features of the dictionary', minRows: 0 });
    const ops = makeLearnedOps(this.engine);
    let z: Float64Array;
    try {
      z = infer(ops, this.shape, this.params, Float64Array.from(x.data), x.rows);
    } finally {
      ops.base.release();
    }
    if (!z.every(Number.isFinite)) throw new ValueError(`LISTA's codes of X overflow f64 (max |x| = ${maxAbs(x.data)}); scale X down`);
    return { data: x.data instanceof Float32Array ? Float32Array.from(z) : z, rows: x.rows, cols: this.shape.A };
  }

  /** The plain-JSON form; `LISTA.fromJSON` restores the same codes bit for bit. */
  toJSON(): LISTAJSON {
    const m = (a: Matrix) => ({ rows: a.rows, cols: a.cols, data: Array.from(a.data) });
    return {
      kind: 'LISTA', version: 1, dictionary: m(this.dictionary), alpha: this.alpha, nLayers: this.nLayers,
      positive: this.positive, seed: this.seed, learningRate: this.learningRate, batchSize: this.batchSize,
      epochs: this.epochs, encoderWeights: m(this.encoderWeights), inhibition: m(this.inhibition),
      thresholds: Array.from(this.thresholds), lossHistory: this.history.slice(),
    };
  }

  /**
   * Restores a model saved by `toJSON` (callbacks and the engine are not saved), after checking
   * every field: the options as the constructor checks them, W nFeatures × nAtoms and S
   * nAtoms × nAtoms of finite values, nAtoms thresholds ≥ 0, a loss history of finite values,
   * and no field the format does not have. Files without a `version` are read as version 1.
   * @throws ModelFileError (a ValueError) naming the field that is wrong, e.g. `thresholds[3]`
   */
  static fromJSON(json: LISTAJSON, options: Pick<LISTAOptions, 'onEpoch' | 'onWarning' | 'engine'> = {}): LISTA {
    return readModelFile(json, 'LISTA', [(r) => LISTA.readVersion1(r, options)]);
  }

  /** Installs parameters read from a file (shapes checked by the reader). */
  private restore(params: Float64Array, history: Float64Array): void {
    this.params = params;
    this.history = Array.from(history);
    this.fitted = history.length > 0;
  }

  /** Version 1: the format of elbo 0.1 (also files without a version). */
  private static readVersion1(r: FieldReader, extra: Pick<LISTAOptions, 'onEpoch' | 'onWarning' | 'engine'>): LISTA {
    const dictionary = r.matrix('dictionary');
    const options: LISTAOptions = {
      ...extra, dictionary,
      alpha: r.number('alpha', { min: 0 }),
      nLayers: r.integer('nLayers', 1),
      positive: r.boolean('positive'),
      seed: r.integer('seed', -Number.MAX_SAFE_INTEGER),
      learningRate: r.number('learningRate', { above: 0 }),
      batchSize: r.integer('batchSize', 1),
      epochs: r.integer('epochs', 1),
    };
    const model = buildFromFile('LISTA', '', () => new LISTA(options));
    const A = dictionary.rows, F = dictionary.cols;
    const W = r.matrix('encoderWeights'), S = r.matrix('inhibition');
    if (W.rows !== F || W.cols !== A) r.fail('encoderWeights', `must be nFeatures × nAtoms = ${F} × ${A} (the dictionary's transpose); got ${W.rows} × ${W.cols}`);
    if (S.rows !== A || S.cols !== A) r.fail('inhibition', `must be nAtoms × nAtoms = ${A} × ${A}; got ${S.rows} × ${S.cols}`);
    const theta = r.numbers('thresholds', A, { min: 0 }, 'nAtoms');
    const history = r.numbers('lossHistory', undefined, { min: 0 });
    if (history.length !== 0 && history.length !== options.epochs) {
      r.fail('lossHistory', `must hold one loss per epoch, epochs = ${options.epochs} values (or none for a model never fitted); got ${history.length}`);
    }
    const at = layout({ F, A, T: options.nLayers as number, positive: options.positive as boolean });
    const params = new Float64Array(at.size);
    params.set(W.data, at.W);
    params.set(S.data, at.S);
    params.set(theta, at.theta);
    model.restore(params, history);
    return model;
  }
}

function checkNonNegativeCodes(codes: Matrix): void {
  const i = codes.data.findIndex((v) => v < 0);
  if (i >= 0) throw new ValueError(`codes must be ≥ 0 with positive: true; codes[${Math.floor(i / codes.cols)}][${i % codes.cols}] is ${codes.data[i]}`);
}
