/**
 * An amortised encoder for BinarySparseCoding: a learned map from a signal v to the starting
 * posterior means of the mean-field sweeps (T unrolled sequential or parallel sweeps with learned
 * weights, encoder-network.ts), trained to predict the converged sweeps' ĥ.
 */
import { BinarySparseCoding, type BinarySparseCodingJSON, type PosteriorEncoder } from '../meanfield/BinarySparseCoding.js';
import { ModelFileError, NotFittedError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type FloatArray, type Matrix, type MatrixLike, type SerializedMatrix } from '../runtime/matrix.js';
import { readModelFile, type FieldReader } from '../runtime/model-file.js';
import { Random } from '../runtime/random.js';
import { checkInteger, checkNonNegative, checkSeed } from '../runtime/validate.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { couplings } from '../meanfield/bsc.js';
import {
  allocEncoderActivations, allocEncoderGradients, encoderBackward, encoderForward, encoderLayout, layerOutput, type EncoderShape,
} from './encoder-network.js';
import { makeLearnedOps, type EngineName, type LearnedOps } from './ops.js';

/** Adam's constants (Kingma & Ba's defaults). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;
/** The targets: cold-start sweeps to this tolerance on max |Δĥ|, at most this many. */
const TARGET_TOL = 1e-10;
const TARGET_MAX_ITER = 1000;

const OPTION_KEYS = optionKeys<BscEncoderOptions>()(['nLayers', 'schedule', 'seed', 'learningRate', 'batchSize', 'epochs', 'engine']);
/** Elements of one prediction block's widest temporary: keeps it in cache. */
const BLOCK_ELEMENTS = 32768;

/** Options of {@link BscEncoder}. */
export interface BscEncoderOptions {
  /**
   * Unrolled layers T (default 4), each one mean-field sweep with its own learned couplings S_t;
   * the first starts from ĥ = 0. Each layer is a sweep's arithmetic (README, "learned", measures
   * what it costs).
   */
  nLayers?: number;
  /**
   * 'sequential' (default): each layer updates the units one after the other, unit i from the
   * new values of units 1..i − 1 (the arithmetic of `infer`'s sequential sweep, which is
   * coordinate ascent on the bound; README, "learned": on its strongly coupled model 4 such
   * layers leave 0.488–0.511 of a cold start's sweeps over training seeds, 4 parallel ones
   * 0.733, for about 1.4 times their CPU time). 'parallel': each layer updates all units at once
   * from the last layer's, q_t = σ(vA + c + q_{t−1}S_t) (the layers of format-1 and -2 files);
   * they train on the cross-entropy, as in earlier versions (see the class).
   */
  schedule?: 'sequential' | 'parallel';
  /** Seed of the mini-batch shuffle (default 0). */
  seed?: number;
  /**
   * Adam's step size at the start of a fit (default 3e-3 for sequential layers, 1e-2 for parallel
   * ones, whose loss is the cross-entropy; 1e-2 for both in earlier versions); it decays to 0 over
   * the fit along a half cosine.
   */
  learningRate?: number;
  /** Signals per mini-batch (default 64). */
  batchSize?: number;
  /** Passes over the training signals (default 50). */
  epochs?: number;
  /** 'wasm' (default) or 'reference'. */
  engine?: EngineName;
}

/**
 * The plain-JSON form of a {@link BscEncoder}: its model, its options and its weights, so that
 * one file restores the whole amortised inference.
 */
export interface BscEncoderJSON {
  /** Always 'BscEncoder'. */
  kind: 'BscEncoder';
  /**
   * Format version: 3 (version 2 has no `schedule`, and loads as 'parallel'; a file without a
   * version is read as version 1, whose single `coupling` S is shared by layers 2..T, and loads as
   * T − 1 copies of it, 'parallel').
   */
  version: 3;
  /** The BinarySparseCoding model the encoder starts the sweeps of (its own toJSON). */
  model: BinarySparseCodingJSON;
  /** The option of the same name. */
  nLayers: number;
  /** The option of the same name. */
  schedule: 'sequential' | 'parallel';
  /** The option of the same name. */
  seed: number;
  /** The option of the same name. */
  learningRate: number;
  /** The option of the same name. */
  batchSize: number;
  /** The option of the same name. */
  epochs: number;
  /** A, nVisible × nHidden: the weights of the logits vA + c. */
  weights: SerializedMatrix;
  /** c, nHidden values: the biases of the logits. */
  bias: number[];
  /**
   * The learned couplings of each layer, nHidden × nHidden row-major, one after the other
   * (−offdiag(WᵀβW) each at the start): S_1, …, S_T for sequential layers (nLayers·nHidden²
   * values; unit i of layer t takes the logit vA + c + Σ_j S_t[i, j]·ĥ_j, with ĥ_j the new value
   * for j < i and the last layer's for j ≥ i), S_2, …, S_T for parallel ones ((nLayers − 1)·nHidden²
   * values; logits vA + c + q_{t−1}S_t).
   */
  couplings: number[];
  /** The loss per epoch of the fit that produced the weights (empty if never fitted). */
  lossHistory: number[];
}

/**
 * An amortised encoder for a {@link BinarySparseCoding} model: T unrolled mean-field sweeps with
 * learned weights (as LISTA unrolls ISTA), q₀(h = 1 | v) = q_T. Sequential layers (the default)
 * update unit i of layer t to σ(vA + c + Σ_j S_t[i, j]·q_j), q_j the new value for j < i and the
 * last layer's for j ≥ i, from q₀ = 0; parallel ones compute q₁ = σ(vA + c), q_t = σ(vA + c +
 * q_{t−1}S_t). A (m × n), c (n) and one S_t (n × n) per layer are learned by mini-batch Adam
 * (step size decaying along a half cosine) on the mean over training signals of
 * log(1e-6 + D) + D, D = KL(ĥ ‖ q_T), ĥ the converged mean-field posterior means (cold-start
 * sequential sweeps), the gradient backpropagated by hand through the layers. The logarithm
 * matches what the sweeps after the guess do (they shrink its distance by a factor per sweep, so
 * a sweep saved is a factor closer, on any signal); the floor 1e-6 is the tolerance on the bound
 * below which no sweep is left to save; the linear term keeps the weight of signals far off (in
 * another fixed point's basin) from falling to 1/D. The cross-entropy alone (the mean of D), the
 * loss of earlier versions, spent the layers on the signals farthest off and left ~1e-2 errors on
 * those plain sweeps settle exactly. Parallel layers keep the cross-entropy (and the step size
 * 1e-2): with the log-divergence more signals ended at another, lower fixed point than it saved
 * sweeps on the others (on the strongly coupled model of README, "learned": 0.809–0.825 of the
 * cold start's sweeps against 0.733). It starts as T
 * undamped sweeps of `infer` from ĥ = 0 (A = βW, c = b − ½ diag(WᵀβW), every S_t =
 * −offdiag(WᵀβW)), and passes to `infer` as its `init`: the sweeps then run from its guess, so
 * the ELBO reported is still the ELBO of q after the sweeps, L ≤ log p(v), and the fixed point is
 * one of the mean-field equations'. What it saves is sweeps; each layer costs about one sweep of
 * CPU time, so the sweeps saved are time saved only where they outnumber the layers (README,
 * "learned": at 32 × 32 they about break even).
 *
 * @example
 * ```ts
 * import { init, BinarySparseCoding, BscEncoder } from 'elbo-wasm';
 * await init();
 * const encoder = new BscEncoder(model, { seed: 1 }).fit(Vtrain);
 * const { hHat, elbo, nIter } = model.infer(Vtest, { init: encoder });
 * const restored = BscEncoder.fromJSON(encoder.toJSON());   // with its own copy of the model
 * restored.model.infer(Vtest, { init: restored });            // the same ĥ and ELBO
 * ```
 */
export class BscEncoder implements PosteriorEncoder {
  /** Unrolled layers T. */
  readonly nLayers: number;
  /** 'sequential' or 'parallel' layers. */
  readonly schedule: 'sequential' | 'parallel';
  /** Seed of the mini-batch shuffle. */
  readonly seed: number;
  /** Adam's step size. */
  readonly learningRate: number;
  /** Signals per mini-batch. */
  readonly batchSize: number;
  /** Passes over the training signals per fit. */
  readonly epochs: number;
  private readonly engine: EngineName;
  private readonly m: number;
  private readonly n: number;
  private readonly shape: EncoderShape;
  /** [A; c | S_2 … S_T]: (m + 1) × n with the bias as the weights of a constant input 1, then n × n per layer. */
  private weights: Float64Array;
  private history: number[] = [];

  /**
   * @param model the model whose mean-field sweeps the encoder starts (kept by reference: the
   *   encoder is trained for its parameters as they are now)
   */
  constructor(readonly model: BinarySparseCoding, options: BscEncoderOptions = {}) {
    if (!model || typeof (model as { infer?: unknown }).infer !== 'function') throw new ValueError(`model must be a BinarySparseCoding; got ${describe(model)}`);
    options = checkOptions(options, OPTION_KEYS, 'BscEncoder');
    this.nLayers = checkInteger(options.nLayers ?? 4, 'nLayers', 1);
    this.schedule = options.schedule ?? 'sequential';
    if (this.schedule !== 'sequential' && this.schedule !== 'parallel') {
      throw new ValueError(`schedule must be one of 'sequential', 'parallel'; got ${describe(options.schedule)}`);
    }
    this.seed = checkSeed(options.seed ?? 0);
    this.learningRate = checkNonNegative(options.learningRate ?? (this.schedule === 'sequential' ? 3e-3 : 1e-2), 'learningRate');
    if (this.learningRate === 0) throw new ValueError('learningRate must be a finite number > 0; got 0');
    this.batchSize = checkInteger(options.batchSize ?? 64, 'batchSize', 1);
    this.epochs = checkInteger(options.epochs ?? 50, 'epochs', 1);
    this.engine = (['wasm', 'reference'] as const).includes(options.engine ?? 'wasm') ? options.engine ?? 'wasm' : badEngine(options.engine);
    let W: Matrix;
    try {
      W = model.W;
    } catch {
      throw new NotFittedError('model has no parameters yet: fit it (or construct it with W) before building its encoder');
    }
    this.m = W.rows;
    this.n = W.cols;
    this.shape = { k: this.m + 1, n: this.n, T: this.nLayers, sequential: this.schedule === 'sequential' };
    this.weights = meanFieldStart(W, model.b, model.beta, this.shape);
  }

  /** Mean squared difference between q_T and the target ĥ per epoch of the last fit (the training loss is the mean of log(1e-6 + D) + D, D = KL(ĥ ‖ q_T)). */
  get lossHistory(): readonly number[] { return this.history.slice(); }

  /**
   * Trains on the signals V (N × m) against the model's converged mean-field posterior means.
   * Starts from the T plain sweeps every time; a fit that throws leaves the encoder as it was.
   */
  fit(V: MatrixLike): this {
    const x = toMatrix(V, 'V', { cols: this.m, colsReason: `the model has ${this.m} visible units` });
    const target = this.model.infer(x, { maxIter: TARGET_MAX_ITER, tol: TARGET_TOL, schedule: 'sequential' }).hHat.data;
    const ops = makeLearnedOps(this.engine);
    try {
      const start = meanFieldStart(this.model.W, this.model.b, this.model.beta, this.shape);
      const { weights, history } = trainEncoder(ops, this.shape, withOnes(x), target, x.rows, start, this);
      this.weights = weights;
      this.history = history;
    } finally {
      ops.base.release();
    }
    return this;
  }

  /** The starting posterior means q_T (N × n, in [0, 1]) for the rows of V (N × m), in blocks of rows. */
  predict(V: MatrixLike): Matrix<Float64Array> {
    const x = toMatrix(V, 'V', { cols: this.m, colsReason: `the model has ${this.m} visible units`, minRows: 0 });
    const N = x.rows, { k, n, T } = this.shape;
    const out = new Float64Array(N * n);
    if (N === 0) return { data: out, rows: 0, cols: n };
    const rows = Math.min(N, Math.max(16, Math.floor(BLOCK_ELEMENTS / (T * Math.max(k, n)))));
    const ops = makeLearnedOps(this.engine);
    const { base } = ops;
    try {
      const P = base.from(this.weights), Xb = base.alloc(rows * k);
      const act = allocEncoderActivations(ops, this.shape, rows);
      for (let start = 0; start < N; start += rows) {
        const nb = Math.min(rows, N - start);
        // [V, 1] of the block, written straight into the block's buffer: the encoder costs a few
        // sweeps' worth of work, so a copy of V on the side would be a visible part of it.
        copyWithOnes(x.data, start, nb, this.m, base.view(Xb, nb * k));
        encoderForward(ops, this.shape, P, Xb, nb, act);
        out.set(base.view(layerOutput(ops, this.shape, act, nb, T), nb * n), start * n);
      }
    } finally {
      base.release();
    }
    return { data: out, rows: N, cols: n };
  }

  /** The plain-JSON form (the engine is not saved); `BscEncoder.fromJSON` restores the same predictions bit for bit. */
  toJSON(): BscEncoderJSON {
    const { m, n } = this;
    return {
      kind: 'BscEncoder', version: 3, model: this.model.toJSON(), nLayers: this.nLayers, schedule: this.schedule, seed: this.seed, learningRate: this.learningRate,
      batchSize: this.batchSize, epochs: this.epochs,
      weights: { rows: m, cols: n, data: Array.from(this.weights.subarray(0, m * n)) },
      bias: Array.from(this.weights.subarray(m * n, (m + 1) * n)),
      couplings: Array.from(this.weights.subarray((m + 1) * n)),
      lossHistory: this.history.slice(),
    };
  }

  /**
   * Restores an encoder saved by `toJSON`, with a model restored from the file's `model` field
   * (`encoder.model`). Checks every field: the model as BinarySparseCoding.fromJSON does (its
   * errors name `model.<field>`), the options as the constructor does, weights nVisible ×
   * nHidden, nHidden biases and nLayers·nHidden² couplings (sequential) or (nLayers − 1)·nHidden²
   * (parallel) of finite values (version 1: one
   * coupling nHidden × nHidden, which every layer then shares), one finite loss ≥ 0 per epoch (or
   * none), and no field the format does not have. Files without a `version` are read as version 1.
   * @param options what a file does not hold: the engine (default 'wasm')
   * @throws ModelFileError (a ValueError) naming the field that is wrong, e.g. `bias[3]` or `model.W.data[0]`
   */
  static fromJSON(json: BscEncoderJSON, options: Pick<BscEncoderOptions, 'engine'> = {}): BscEncoder {
    options = checkOptions(options, ['engine'], 'BscEncoder.fromJSON');
    return readModelFile(json, 'BscEncoder', [
      (r) => BscEncoder.readVersion(r, json, options, 1),
      (r) => BscEncoder.readVersion(r, json, options, 2),
      (r) => BscEncoder.readVersion(r, json, options, 3),
    ]);
  }

  /**
   * Version 1 (the format of elbo 0.1, also files without a version): one `coupling` S shared by
   * layers 2..T, read as T − 1 copies of it (the same map). Version 2: `couplings`, one S_t per
   * layer. Both are parallel layers. Version 3: `schedule` says which, and `couplings` holds one
   * S_t per layer that has one.
   */
  private static readVersion(r: FieldReader, json: BscEncoderJSON, extra: Pick<BscEncoderOptions, 'engine'>, version: 1 | 2 | 3): BscEncoder {
    r.object('model');
    const model = readNestedModel(json.model);
    const options: BscEncoderOptions = {
      ...extra,
      nLayers: r.integer('nLayers', 1),
      schedule: version === 3 ? r.choice('schedule', ['sequential', 'parallel'] as const) : 'parallel',
      seed: r.integer('seed', -Number.MAX_SAFE_INTEGER),
      learningRate: r.number('learningRate', { above: 0 }),
      batchSize: r.integer('batchSize', 1),
      epochs: r.integer('epochs', 1),
    };
    const encoder = new BscEncoder(model, options);
    const { m, n } = encoder;
    const A = r.matrix('weights');
    if (A.rows !== m || A.cols !== n) r.fail('weights', `must be nVisible × nHidden = ${m} × ${n} (the model's W); got ${A.rows} × ${A.cols}`);
    const c = r.numbers('bias', n, {}, 'nHidden');
    const layers = encoder.schedule === 'sequential' ? encoder.nLayers : encoder.nLayers - 1;
    const S = version === 1 ? sharedCoupling(r, n, options.nLayers as number)
      : r.numbers('couplings', layers * n * n, {}, encoder.schedule === 'sequential' ? `nLayers · nHidden² = ${layers} · ${n}²` : `(nLayers − 1) · nHidden² = ${layers} · ${n}²`);
    const history = r.numbers('lossHistory', undefined, { min: 0 });
    if (history.length !== 0 && history.length !== options.epochs) {
      r.fail('lossHistory', `must hold one loss per epoch, epochs = ${options.epochs} values (or none for an encoder never fitted); got ${history.length}`);
    }
    const weights = new Float64Array(encoderLayout(encoder.shape).size);
    weights.set(A.data);
    weights.set(c, m * n);
    weights.set(S, (m + 1) * n);
    encoder.weights = weights;
    encoder.history = Array.from(history);
    return encoder;
  }
}

/**
 * The `model` field read by BinarySparseCoding.fromJSON, its refusals restated as the
 * encoder's: the path gains the prefix `model.`, the message names BscEncoder.fromJSON.
 */
function readNestedModel(json: BinarySparseCodingJSON): BinarySparseCoding {
  try {
    return BinarySparseCoding.fromJSON(json);
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    const path = e.path ? `model.${e.path}` : 'model';
    const detail = e.message.replace(/^BinarySparseCoding\.fromJSON: /, '');
    const rest = e.path && detail.startsWith(e.path) ? detail.slice(e.path.length) : `: ${detail}`;
    throw new ModelFileError(path, `BscEncoder.fromJSON: ${path}${rest}`);
  }
}

/**
 * Version 1's `coupling`: one S (nHidden × nHidden) that layers 2..T share, as T − 1 copies. A
 * version-1 file has no `couplings`: when it does, its `version` was lost (or edited), and saying
 * so names the field to fix rather than the `coupling` that looks missing.
 */
function sharedCoupling(r: FieldReader, n: number, T: number): Float64Array {
  if (r.has('couplings') && !r.has('coupling')) {
    r.fail('version', 'is 1 (or absent), but couplings exists only from format version 2: the file says version 2 if toJSON wrote it');
  }
  const S = r.matrix('coupling');
  if (S.rows !== n || S.cols !== n) r.fail('coupling', `must be nHidden × nHidden = ${n} × ${n}; got ${S.rows} × ${S.cols}`);
  const out = new Float64Array((T - 1) * n * n);
  for (let t = 0; t < T - 1; t++) out.set(S.data, t * n * n);
  return out;
}

function badEngine(e: unknown): never {
  throw new ValueError(`engine must be one of 'wasm', 'reference'; got ${describe(e)}`);
}

/**
 * [βW; b − ½ diag(WᵀβW) | −offdiag(WᵀβW) for each layer with couplings]: the parameters with
 * which every layer is one undamped mean-field sweep of its schedule (parallel: q ← σ(a + qJ);
 * sequential: q_i ← σ(a_i + Σ_j J_ij q_j) unit by unit; a = vβW + b − ½ diag(WᵀβW)) from q = 0.
 */
function meanFieldStart(W: Matrix, b: Float64Array, beta: Float64Array, shape: EncoderShape): Float64Array {
  const { rows: m, cols: n } = W;
  const { betaW, J, bias } = couplings({ W: Float64Array.from(W.data), b, beta, m, n });
  const at = encoderLayout(shape);
  const out = new Float64Array(at.size);
  out.set(betaW);
  out.set(bias, m * n);
  for (let o = at.S; o < at.size; o += n * n) out.set(J, o);
  return out;
}

/** [V, 1]: N × (m + 1), so that one GEMM gives vA + c. */
function withOnes(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows * (x.cols + 1));
  copyWithOnes(x.data, 0, x.rows, x.cols, out);
  return out;
}

/** Rows start .. start + nb − 1 of V (rows of m values) into `out` as rows [v, 1] of m + 1 values. */
function copyWithOnes(data: FloatArray, start: number, nb: number, m: number, out: FloatArray): void {
  for (let r = 0; r < nb; r++) {
    out.set(data.subarray((start + r) * m, (start + r + 1) * m), r * (m + 1));
    out[r * (m + 1) + m] = 1;
  }
}

interface Hyper { seed: number; learningRate: number; batchSize: number; epochs: number }

/**
 * Mini-batch Adam on the mean over rows of log(1e-6 + D_r) + D_r, D_r = KL(T_r ‖ q_r), of the
 * network's output against the targets T (N × n; encoder-network.ts's encoderLoss; parallel
 * layers: the cross-entropy), over a seeded shuffle of the
 * rows per epoch; the gradient is encoder-network.ts's.
 * The step size decays from learningRate to 0 along a half cosine over all the fit's steps: a
 * constant step leaves the parameters jittering around the optimum by about the step's size,
 * which the decay lets settle (README, "learned", measures what it buys).
 * Returns the parameters and the mean squared error of each epoch.
 */
function trainEncoder<H>(ops: LearnedOps<H>, shape: EncoderShape, X1: Float64Array, T: Float64Array, N: number,
  start: Float64Array, h: Hyper): { weights: Float64Array; history: number[] } {
  const { base } = ops;
  const { k, n } = shape;
  const { size } = encoderLayout(shape);
  const rows = Math.min(h.batchSize, N);
  const X = base.from(X1), Y = base.from(T), P = base.from(start);
  const G = base.alloc(size), M = base.alloc(size), V = base.alloc(size);
  base.view(M, size).fill(0);
  base.view(V, size).fill(0);
  const Xb = base.alloc(rows * k), Yb = base.alloc(rows * n);
  const act = allocEncoderActivations(ops, shape, rows), grad = allocEncoderGradients(ops, shape, rows);
  const rng = new Random(h.seed);
  const history: number[] = [];
  const steps = h.epochs * Math.ceil(N / rows);
  let step = 0;
  for (let epoch = 1; epoch <= h.epochs; epoch++) {
    const order = rng.permutation(N);
    let total = 0;
    for (let s = 0; s < N; s += rows) {
      const nb = Math.min(rows, N - s);
      for (let r = 0; r < nb; r++) {
        base.copy(base.at(X, order[s + r] * k), base.at(Xb, r * k), k);
        base.copy(base.at(Y, order[s + r] * n), base.at(Yb, r * n), n);
      }
      encoderForward(ops, shape, P, Xb, nb, act);
      total += encoderBackward(ops, shape, P, Xb, Yb, nb, act, grad, G);
      const rate = cosineRate(h.learningRate, step, steps);
      step++;
      ops.adamStep(P, G, M, V, size, rate, BETA1, BETA2, EPSILON, 1 - BETA1 ** step, 1 - BETA2 ** step);
    }
    const loss = total / (N * n);
    if (!Number.isFinite(loss) || !base.view(P, size).every(Number.isFinite)) {
      throw new ValueError(`BscEncoder training diverged in epoch ${epoch}: learningRate = ${h.learningRate} is too large for this data; try a smaller one`);
    }
    history.push(loss);
  }
  return { weights: Float64Array.from(base.view(P, size)), history };
}

/** The step size of step s (0-based) of `steps`: lr·½(1 + cos(πs/steps)), from lr down towards 0. */
function cosineRate(lr: number, s: number, steps: number): number {
  return lr * 0.5 * (1 + Math.cos(Math.PI * s / steps));
}
