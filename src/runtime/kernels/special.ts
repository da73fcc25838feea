/**
 * Exports of assembly/special.ts. Pointers are byte offsets into wasm memory; element-wise
 * kernels may run in place (y = x). Accuracy: exp and log within 2 ulp of Math.exp / Math.log
 * (f32: of their rounding to f32); see test/kernels/special.test.ts for the measured figures.
 */
export interface SpecialKernels {
  /** y_i = e^(x_i); 0 below x ≈ −745.13 (f32: −103.97), +Inf above 709.78 (f32: 88.72), subnormal results rounded, not flushed. */
  expF64(x: number, y: number, n: number): void;
  /** As expF64, on f32 data. */
  expF32(x: number, y: number, n: number): void;
  /** y_i = log x_i; log ±0 = −Inf, log(x < 0) = NaN, subnormal x exact to the same accuracy. */
  logF64(x: number, y: number, n: number): void;
  /** As logF64, on f32 data. */
  logF32(x: number, y: number, n: number): void;
  /** y_i = 1/(1 + e^(−x_i)), never NaN for finite x, exactly 0 and 1 in the limits. */
  sigmoidF64(x: number, y: number, n: number): void;
  /** As sigmoidF64, on f32 data. */
  sigmoidF32(x: number, y: number, n: number): void;
  /** y_i = log(1 + e^(x_i)) = max(x_i, 0) + log1p(e^(−|x_i|)); equals e^(x_i) for x_i ≪ 0. */
  softplusF64(x: number, y: number, n: number): void;
  /** As softplusF64, on f32 data. */
  softplusF32(x: number, y: number, n: number): void;
  /** y_i = log σ(x_i) = −softplus(−x_i). */
  logSigmoidF64(x: number, y: number, n: number): void;
  /** As logSigmoidF64, on f32 data. */
  logSigmoidF32(x: number, y: number, n: number): void;
  /** y_i = −p_i log p_i − (1 − p_i) log(1 − p_i), 0 log 0 = 0; NaN for p_i outside [0, 1]. */
  entropyBernoulliF64(p: number, y: number, n: number): void;
  /** As entropyBernoulliF64, on f32 data. */
  entropyBernoulliF32(p: number, y: number, n: number): void;
  /** Σ_i of the Bernoulli entropies of p_i, accumulated in f64. */
  entropyBernoulliSumF64(p: number, n: number): number;
  /** As entropyBernoulliSumF64, on f32 data. */
  entropyBernoulliSumF32(p: number, n: number): number;
  /** out_r = log Σ_j exp(x_rj) (max subtracted); all −Inf → −Inf, any +Inf → +Inf, NaN → NaN. */
  logSumExpRowsF64(x: number, out: number, rows: number, cols: number): void;
  /** As logSumExpRowsF64, on f32 data. */
  logSumExpRowsF32(x: number, out: number, rows: number, cols: number): void;
  /** y_rj = exp(x_rj − lse_r), 0 where x_rj − max_j x_rj < −690 (f32: −80); lse_r stored when lse ≠ 0; a row of all −Inf gives y = 0, lse = −Inf; +Inf or NaN in a row gives y = NaN. */
  softmaxRowsF64(x: number, y: number, lse: number, rows: number, cols: number): void;
  /** As softmaxRowsF64, on f32 data. */
  softmaxRowsF32(x: number, y: number, lse: number, rows: number, cols: number): void;
}
