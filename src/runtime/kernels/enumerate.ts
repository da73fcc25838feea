/** Exports of assembly/enumerate.ts. Pointers are byte offsets into wasm memory. */
export interface EnumerateKernels {
  /** The resync mask P − 1 of an enumeration over aT (n × rows) and J (n × n): the states k with k & mask = 0 recompute their sums from scratch. */
  grayResyncMaskF64(aT: number, J: number, n: number, rows: number): number;
  /** As grayResyncMaskF64, on f32 data. */
  grayResyncMaskF32(aT: number, J: number, n: number, rows: number): number;
  /**
   * One range (states first … first + count − 1 of the Gray-code sequence) of log Σ_h exp(a_rᵀh + ½hᵀJh), in f64:
   * per row its largest exponent mx_r and scaled sum sm_r (f64, rows), and with marg ≠ 0 the scaled masses
   * of h_j = 1 (f64 n × rows). a_{ir} at aT + (i·lda + r)·8; work f64 of n + rows (+ n·rows with marg).
   */
  logPartitionRangeF64(aT: number, lda: number, J: number, n: number, rows: number, mask: number, first: number, count: number, mx: number, sm: number, marg: number, work: number): void;
  /** As logPartitionRangeF64, on f32 data (sums still in f64). */
  logPartitionRangeF32(aT: number, lda: number, J: number, n: number, rows: number, mask: number, first: number, count: number, mx: number, sm: number, marg: number, work: number): void;
  /**
   * Combines `ranges` range results in range order into out_r = log Z_r (f64, rows) and, with marg ≠ 0,
   * margOut[j·ld + r] = p(h_j = 1); overwrites mx with the ranges' weights.
   */
  logPartitionCombine(mx: number, sm: number, marg: number, ranges: number, n: number, rows: number, out: number, margOut: number, ld: number): void;
}
