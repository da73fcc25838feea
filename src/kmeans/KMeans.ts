/**
 * KMeans: Lloyd's algorithm with k-means++ seeding, scikit-learn's estimator camel-cased, on the
 * wasm kernels of assembly/kmeans.ts. k-means is EM's hard limit: q(z_n) a point mass on the
 * nearest centre, the M-step a (weighted) mean per cluster.
 */
import { NotFittedError, ShapeError } from '../runtime/errors.js';
import { dtypeOf, toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkChoice, checkInteger, checkNonNegative, checkSeed } from '../runtime/validate.js';
import type { KMeansData } from './data.js';
import { ReferenceKMeansData } from './data-reference.js';
import { WasmKMeansData } from './data-wasm.js';
import { lloyd, type LloydResult } from './lloyd.js';
import { centresAtRows, kmeansPlusPlus, randomRows } from './seeding.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { rememberOptions } from '../runtime/construction.js';
import { fromJSON, toJSON, type KMeansFit } from './serialize.js';
import type { KMeansAlgorithm, KMeansJSON, KMeansOptions, KMeansStats, SampleWeightOptions } from './types.js';
import { checkCallback, checkInit, checkSampleWeight } from './validate.js';

const OPTION_KEYS = optionKeys<KMeansOptions>()([
  'nClusters', 'init', 'nInit', 'maxIter', 'tol', 'seed', 'algorithm', 'onIteration', 'onWarning', 'engine',
]);
const FIT_OPTION_KEYS = optionKeys<SampleWeightOptions>()(['sampleWeight']);

/** Column means of X (f64): the shift that keeps the expanded distances free of cancellation. */
function columnMeans(X: Matrix): Float64Array {
  const { data, rows, cols } = X;
  const m = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) m[j] /= rows;
  return m;
}

/** scikit-learn's _tolerance: tol × the mean over features of the (unweighted) variance. */
function absoluteTolerance(X: Matrix, mean: Float64Array, tol: number): number {
  const { data, rows, cols } = X;
  let s = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) s += (data[i * cols + j] - mean[j]) ** 2;
  }
  return tol * (s / rows / cols);
}

/**
 * k-means clustering (Lloyd's algorithm, k-means++ seeding), with scikit-learn's options,
 * defaults and results: from the same initial centres, the same labels and iterations.
 * Float32Array input runs the f32x4 kernels; sums and inertia accumulate in f64.
 *
 * @example
 * ```ts
 * import { init, KMeans } from 'elbo-wasm';
 * await init();
 * const km = new KMeans({ nClusters: 3, seed: 0 }).fit(X); // X: number[][] or { data, rows, cols }
 * km.labels;          // Int32Array: the cluster of each row of X
 * km.clusterCenters;  // { data, rows: 3, cols: D }
 * km.predict(Xnew);   // nearest centre of each new row
 * ```
 */
export class KMeans {
  /** Number of clusters K. */
  readonly nClusters: number;
  /** 'k-means++', 'random' or the given centres. */
  readonly init: 'k-means++' | 'random' | Matrix<Float64Array>;
  /** Number of initialisations. */
  readonly nInit: number;
  /** Lloyd iterations at most per initialisation. */
  readonly maxIter: number;
  /** Relative tolerance on the centre shift. */
  readonly tol: number;
  /** Seed of the random choices. */
  readonly seed: number;
  /** 'lloyd' or 'elkan' (the same iterations). */
  readonly algorithm: KMeansAlgorithm;
  private readonly options: KMeansOptions;
  private fitted: KMeansFit | null = null;

  /** @param options see {@link KMeansOptions}; every option is checked here. */
  constructor(options: KMeansOptions = {}) {
    options = checkOptions(options, OPTION_KEYS, 'KMeans');
    this.options = options;
    rememberOptions(this, options);
    this.nClusters = checkInteger(options.nClusters ?? 8, 'nClusters', 1);
    this.init = checkInit(options.init ?? 'k-means++', this.nClusters) as KMeans['init'];
    this.nInit = checkInteger(options.nInit ?? 1, 'nInit', 1);
    this.maxIter = checkInteger(options.maxIter ?? 300, 'maxIter', 1);
    this.tol = checkNonNegative(options.tol ?? 1e-4, 'tol');
    this.seed = checkSeed(options.seed ?? 0);
    this.algorithm = checkChoice(options.algorithm ?? 'lloyd', 'algorithm', ['lloyd', 'elkan'] as const);
    checkChoice(options.engine ?? 'wasm', 'engine', ['wasm', 'reference'] as const);
    checkCallback(options.onIteration, 'onIteration');
    checkCallback(options.onWarning, 'onWarning');
  }

  /**
   * Clusters X (N × D, N ≥ nClusters) and returns this. The model changes only when the whole
   * fit succeeds: a fit that throws (also from inside `onIteration`) leaves it as it was.
   */
  fit(X: MatrixLike, fitOptions: SampleWeightOptions = {}): this {
    fitOptions = checkOptions(fitOptions, FIT_OPTION_KEYS, 'KMeans.fit');
    const K = this.nClusters;
    const x = toMatrix(X, 'X');
    if (x.rows < K) throw new ShapeError(`X must have at least nClusters = ${K} rows; got ${x.rows}`);
    if (typeof this.init !== 'string' && this.init.cols !== x.cols) {
      throw new ShapeError(`init must have ${x.cols} columns (X has ${x.cols}); got ${this.init.cols}`);
    }
    const w = checkSampleWeight(fitOptions.sampleWeight, x.rows);
    // scikit-learn subtracts the column means before clustering (and adds them back to the
    // centres): ‖c‖² − 2x·c then stays small against the distances it decides between.
    const shift = columnMeans(x);
    const tol = absoluteTolerance(x, shift, this.tol);
    const nInit = typeof this.init === 'string' ? this.nInit : 1;
    if (nInit !== this.nInit) this.warn(`KMeans was given explicit initial centres, so nInit = ${this.nInit} runs once`);
    const data = this.openData(x, shift, w);
    let best: LloydResult | null = null;
    try {
      const rng = new Random(this.seed);
      for (let run = 0; run < nInit && !best?.stopped; run++) {
        const t0 = performance.now();
        const start = this.initialCentres(data, shift, rng);
        const initSeconds = (performance.now() - t0) / 1000;
        const onIteration = this.options.onIteration;
        const result = lloyd(data, start, K, this.maxIter, tol, onIteration && ((s) => onIteration({ ...s, init: run, initSeconds })));
        if (!best || result.inertia < best.inertia) best = result;
      }
    } finally {
      data.release();
    }
    const result = best!;
    const centres = Float64Array.from(result.centres, (v, i) => v + shift[i % x.cols]);
    this.fitted = {
      centres: dtypeOf(x.data) === 'f32' ? Float64Array.from(centres, Math.fround) : centres,
      nFeatures: x.cols, labels: result.labels, inertia: result.inertia, nIter: result.nIter, converged: result.converged,
    };
    if (!result.converged && !result.stopped) {
      this.warn(`KMeans did not converge in ${this.maxIter} iterations (centre shift above tol = ${this.tol} × mean variance); try a larger maxIter or tol`);
    }
    const distinct = new Set(result.labels).size;
    if (distinct < K) this.warn(`KMeans found ${distinct} distinct clusters, fewer than nClusters = ${K}; X may hold duplicate rows`);
    return this;
  }

  /** Fits, then returns the labels of X's rows. */
  fitPredict(X: MatrixLike, fitOptions: SampleWeightOptions = {}): Int32Array {
    return this.fit(X, fitOptions).labels;
  }

  /** Index of the nearest centre for each row of X (ties: the lowest index). */
  predict(X: MatrixLike): Int32Array {
    return this.onData(X, undefined, (data) => {
      data.assign(this.shiftedCentres(data), this.nClusters);
      return data.labels();
    });
  }

  /** Euclidean distance of each row of X to every centre, N × K. */
  transform(X: MatrixLike): Matrix<Float64Array> {
    const K = this.nClusters;
    return this.onData(X, undefined, (data) => {
      const d = data.sqDistances(this.shiftedCentres(data), K);
      for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
      return { data: d, rows: data.rows, cols: K };
    });
  }

  /** Fits, then returns `transform(X)`. */
  fitTransform(X: MatrixLike, fitOptions: SampleWeightOptions = {}): Matrix<Float64Array> {
    return this.fit(X, fitOptions).transform(X);
  }

  /** −Σ w_i ‖x_i − nearest centre‖² (scikit-learn's score: the opposite of the inertia on X). */
  score(X: MatrixLike, options: SampleWeightOptions = {}): number {
    return -this.onData(X, options.sampleWeight, (data) => data.assign(this.shiftedCentres(data), this.nClusters));
  }

  /** Per-cluster weight and weighted sums of a shard of rows, assigned to the current centres. */
  partialStats(X: MatrixLike, options: SampleWeightOptions = {}): KMeansStats {
    const K = this.nClusters, D = this.state.nFeatures;
    return this.onData(X, options.sampleWeight, (data) => {
      const stats = { sums: new Float64Array(K * D), counts: new Float64Array(K) };
      const inertia = data.assign(this.shiftedCentres(data), K, stats);
      // The rows were shifted by the centres' mean; Σ w x = Σ w (x − s) + (Σ w) s.
      const s = this.predictionShift();
      for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) stats.sums[k * D + d] += stats.counts[k] * s[d];
      return { nClusters: K, nFeatures: D, counts: stats.counts, sums: stats.sums, inertia, nSamples: data.rows };
    });
  }

  /** Adds the statistics of two shards (exact up to rounding, associative and commutative). */
  static mergeStats(a: KMeansStats, b: KMeansStats): KMeansStats {
    if (a.nClusters !== b.nClusters || a.nFeatures !== b.nFeatures) {
      throw new ShapeError(`stats must have the same shape to merge; got K=${a.nClusters} D=${a.nFeatures} and K=${b.nClusters} D=${b.nFeatures}`);
    }
    return {
      nClusters: a.nClusters, nFeatures: a.nFeatures,
      counts: a.counts.map((v, i) => v + b.counts[i]), sums: a.sums.map((v, i) => v + b.sums[i]),
      inertia: a.inertia + b.inertia, nSamples: a.nSamples + b.nSamples,
    };
  }

  /** The M-step: each centre becomes its cluster's weighted mean (a cluster of zero weight keeps its centre); returns this. */
  mStep(stats: KMeansStats): this {
    const f = this.state, K = this.nClusters, D = f.nFeatures;
    if (stats.nClusters !== K || stats.nFeatures !== D || stats.counts.length !== K || stats.sums.length !== K * D) {
      throw new ShapeError(`stats must be for K=${K} D=${D}; got K=${stats.nClusters} D=${stats.nFeatures}`);
    }
    const centres = f.centres.slice();
    for (let k = 0; k < K; k++) {
      if (!(stats.counts[k] > 0)) continue;
      for (let d = 0; d < D; d++) centres[k * D + d] = stats.sums[k * D + d] / stats.counts[k];
    }
    this.fitted = { ...f, centres, inertia: stats.inertia };
    return this;
  }

  /** Cluster centres, K × D. */
  get clusterCenters(): Matrix<Float64Array> {
    const f = this.state;
    return { data: f.centres.slice(), rows: this.nClusters, cols: f.nFeatures };
  }
  /** The cluster of each training row. */
  get labels(): Int32Array { return this.state.labels.slice(); }
  /** Σ w_i ‖x_i − c_label‖² on the training data. */
  get inertia(): number { return this.state.inertia; }
  /** Lloyd iterations run by the best initialisation. */
  get nIter(): number { return this.state.nIter; }
  /** Whether the best initialisation converged (labels unchanged, or centre shift ≤ tol). */
  get converged(): boolean { return this.state.converged; }
  /** Number of features D seen in fit. */
  get nFeatures(): number { return this.state.nFeatures; }
  /** True once fit (or fromJSON) has run. */
  get isFitted(): boolean { return this.fitted !== null; }

  /** A plain-JSON form of the options and the fitted state; `fromJSON` restores it exactly. */
  toJSON(): KMeansJSON {
    const { nClusters, nInit, maxIter, tol, seed, algorithm } = this;
    const init = typeof this.init === 'string' ? this.init : { rows: this.init.rows, cols: this.init.cols, data: Array.from(this.init.data) };
    return toJSON({ nClusters, init, nInit, maxIter, tol, seed, algorithm }, this.state);
  }

  /**
   * Restores a model saved by `toJSON`, checking every field (errors name the field's path).
   * @param runtime what a file does not hold: the callbacks and the engine (default: none, and 'wasm')
   */
  static fromJSON(json: KMeansJSON, runtime: Pick<KMeansOptions, 'onIteration' | 'onWarning' | 'engine'> = {}): KMeans {
    runtime = checkOptions(runtime, ['onIteration', 'onWarning', 'engine'], 'KMeans.fromJSON');
    const { options, fitted } = fromJSON(json);
    const init = typeof options.init === 'string' ? options.init : { data: Float64Array.from(options.init.data), rows: options.init.rows, cols: options.init.cols };
    const km = new KMeans({ ...runtime, ...options, init });
    km.fitted = fitted;
    return km;
  }

  private get state(): KMeansFit {
    if (!this.fitted) throw new NotFittedError('this KMeans is not fitted yet: call fit(X) first');
    return this.fitted;
  }

  private warn(message: string): void {
    (this.options.onWarning ?? console.warn)(message);
  }

  private openData(x: Matrix, shift: Float64Array, w: Float64Array | null): KMeansData {
    return this.options.engine === 'reference' ? new ReferenceKMeansData(x, shift, w) : new WasmKMeansData(x, shift, w);
  }

  private initialCentres(data: KMeansData, shift: Float64Array, rng: Random): Float64Array {
    const K = this.nClusters, D = data.cols;
    if (this.init === 'k-means++') return centresAtRows(data, kmeansPlusPlus(data, K, rng));
    if (this.init === 'random') return centresAtRows(data, randomRows(data.rows, K, rng));
    return Float64Array.from(this.init.data, (v, i) => v - shift[i % D]);
  }

  /** Prediction shifts rows and centres by the centres' mean (no pass over the data needed). */
  private predictionShift(): Float64Array {
    const f = this.state, K = this.nClusters, D = f.nFeatures;
    const s = new Float64Array(D);
    for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) s[d] += f.centres[k * D + d] / K;
    return s;
  }

  private shiftedCentres(data: KMeansData): Float64Array {
    const s = this.predictionShift(), D = data.cols;
    return Float64Array.from(this.state.centres, (v, i) => v - s[i % D]);
  }

  /** Checks X (and weights) against the fitted model, opens its data, runs `fn`, releases. */
  private onData<R>(X: MatrixLike, sampleWeight: SampleWeightOptions['sampleWeight'], fn: (data: KMeansData) => R): R {
    const D = this.state.nFeatures;
    const x = toMatrix(X, 'X', { cols: D, colsReason: `the model was fitted on ${D}` });
    const data = this.openData(x, this.predictionShift(), checkSampleWeight(sampleWeight, x.rows));
    try {
      return fn(data);
    } finally {
      data.release();
    }
  }
}
