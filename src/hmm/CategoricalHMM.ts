/** CategoricalHMM: a hidden Markov model with categorical emissions (hmmlearn's CategoricalHMM, camel-cased). */
import { ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';
import { checkInteger } from '../runtime/validate.js';
import { BaseHMM, HMM_OPTION_KEYS, HMM_RUNTIME_OPTION_KEYS, type EmissionData, type HMMOptions, type HMMRuntimeOptions } from './base.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { categoricalFromJSON, categoricalToJSON, type CategoricalHMMJSON } from './serialize.js';
import { checkStochasticMatrix } from './validate.js';

/** Options of {@link CategoricalHMM}. */
export interface CategoricalHMMOptions extends HMMOptions {
  /** Number of symbols F: observations are integers 0 … F − 1 (default: the largest symbol in the first fit's X, plus 1). */
  nFeatures?: number;
  /** Initial emission probabilities (K × F, rows sum to 1; number[][] or flat), used as given. */
  emissionProbInit?: number[][] | ArrayLike<number>;
}

const CATEGORICAL_HMM_OPTION_KEYS = optionKeys<CategoricalHMMOptions>()([...HMM_OPTION_KEYS, 'nFeatures', 'emissionProbInit']);

/**
 * A hidden Markov model over symbols: x_t | z_t = k ~ Categorical(B[k, ·]). X is N × 1, each row
 * one symbol (an integer in 0 … nFeatures − 1), as in hmmlearn. Fitted by Baum-Welch; the
 * emission letter in `params` / `initParams` is 'e'.
 *
 * @example
 * ```ts
 * await init();
 * const hmm = new CategoricalHMM({ nComponents: 2, nFeatures: 3, seed: 0 }).fit([[0], [1], [2], [2], [0]]);
 * hmm.emissionProb; hmm.decode([[0], [2], [2]]).states;
 * ```
 */
export class CategoricalHMM extends BaseHMM<Float64Array> {
  protected readonly kind = 'CategoricalHMM';
  protected readonly emissionLetters = 'e';
  private symbols: number;

  constructor(private readonly categoricalOptions: CategoricalHMMOptions = {}) {
    super(checkOptions(categoricalOptions, CATEGORICAL_HMM_OPTION_KEYS, 'CategoricalHMM'), 'e');
    this.symbols = categoricalOptions.nFeatures === undefined ? 0 : checkInteger(categoricalOptions.nFeatures, 'nFeatures', 1);
    if (categoricalOptions.emissionProbInit !== undefined) {
      if (this.symbols === 0) throw new ValueError('emissionProbInit needs nFeatures (the number of symbols) to be given');
      checkStochasticMatrix(categoricalOptions.emissionProbInit, 'emissionProbInit', this.nComponents, this.symbols);
    }
  }

  /** Number of symbols F (0 before the first fit when not given). */
  get nFeatures(): number {
    return this.symbols;
  }

  protected checkX(X: MatrixLike, fitting: boolean): Matrix {
    if (!fitting) void this.state;
    const x = toMatrix(X, 'X', { cols: 1, colsReason: 'one symbol per row' });
    let max = 0;
    for (let t = 0; t < x.rows; t++) {
      const v = x.data[t];
      if (!Number.isInteger(v) || v < 0) throw new ValueError(`X must hold symbols, integers ≥ 0; X[${t}][0] is ${v}`);
      max = Math.max(max, v);
    }
    const F = this.symbols || (fitting ? max + 1 : 0);
    if (max >= F) throw new ValueError(`X must hold symbols 0 … ${F - 1} (nFeatures = ${F}); X has ${max}`);
    return x;
  }

  protected openData(x: Matrix): EmissionData<Float64Array> {
    const K = this.nComponents;
    // One array for every call (each call's densities are read before the next).
    const out = new Float64Array(x.rows * K);
    return {
      x,
      // log B[k, x_t] gathered per row: the categorical log-density is a table look-up, the
      // logarithms taken once per table entry rather than once per row.
      logDensities: (e) => {
        const F = e.length / K;
        const logE = e.map(Math.log);
        for (let t = 0; t < x.rows; t++) for (let k = 0; k < K; k++) out[t * K + k] = logE[k * F + x.data[t]];
        return out;
      },
      release: () => {},
    };
  }

  protected initialEmission(x: Matrix, rng: Random): Float64Array {
    const K = this.nComponents;
    let F = this.symbols;
    if (F === 0) for (let t = 0; t < x.rows; t++) F = Math.max(F, x.data[t] + 1);
    const o = this.categoricalOptions;
    if (o.emissionProbInit !== undefined) return checkStochasticMatrix(o.emissionProbInit, 'emissionProbInit', K, F);
    if (!this.initParams.includes('e') && this.fitted && this.fitted.params.emission.length === K * F) return this.fitted.params.emission;
    // hmmlearn: uniform random rows, normalised.
    const e = new Float64Array(K * F);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += (e[k * F + f] = rng.random());
      for (let f = 0; f < F; f++) e[k * F + f] /= s;
    }
    return e;
  }

  /** B[k, f] = Σ_{t: x_t = f} γ_tk / Σ_t γ_tk; a state without mass keeps its row. */
  protected emissionMStep(data: EmissionData<Float64Array>, post: Float64Array, e: Float64Array): Float64Array {
    if (!this.params.includes('e')) return e;
    const K = this.nComponents, F = e.length / K, x = data.x;
    const counts = new Float64Array(K * F);
    for (let t = 0; t < x.rows; t++) for (let k = 0; k < K; k++) counts[k * F + x.data[t]] += post[t * K + k];
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += counts[k * F + f];
      for (let f = 0; f < F; f++) counts[k * F + f] = s > 0 ? counts[k * F + f] / s : e[k * F + f];
    }
    return counts;
  }

  /**
   * Fits by Baum-Welch; all-or-nothing.
   * @param X symbols, N × 1 (all sequences one after another)
   * @param options.lengths the sequences' lengths, summing to N (default [N])
   */
  override fit(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): this {
    const before = this.symbols;
    const x = this.checkX(X, true);
    try {
      if (this.symbols === 0) for (let t = 0; t < x.rows; t++) this.symbols = Math.max(this.symbols, x.data[t] + 1);
      return super.fit(X, options);
    } catch (err) {
      this.symbols = before;
      throw err;
    }
  }

  protected emissionParameterCount(): number {
    return this.params.includes('e') ? this.nComponents * (this.symbols - 1) : 0;
  }

  protected sampleEmission(e: Float64Array, k: number, rng: Random, out: Float64Array): void {
    const F = e.length / this.nComponents;
    out[0] = rng.categorical(e.subarray(k * F, (k + 1) * F));
  }

  protected sampleColumns(): number {
    return 1;
  }

  /** Emission probabilities B (K × nFeatures): B[k, f] = p(x_t = f | z_t = k). */
  get emissionProb(): Matrix<Float64Array> {
    const e = this.state.params.emission;
    return { data: e.slice(), rows: this.nComponents, cols: e.length / this.nComponents };
  }

  /** Plain JSON (format version 1). */
  toJSON(): CategoricalHMMJSON {
    return categoricalToJSON(this, this.state);
  }

  /**
   * A fitted model from {@link CategoricalHMM.toJSON}'s output, every field checked.
   * @param runtime what a file does not hold: the callbacks and the engine (default: none, and 'wasm')
   */
  static fromJSON(json: unknown, runtime: HMMRuntimeOptions = {}): CategoricalHMM {
    runtime = checkOptions(runtime, HMM_RUNTIME_OPTION_KEYS, 'CategoricalHMM.fromJSON');
    const { options, fit } = categoricalFromJSON(json);
    const model = new CategoricalHMM({ ...runtime, ...options });
    model.fitted = fit;
    return model;
  }
}
