/** Exports of assembly/reduce.ts. Pointers are byte offsets into wasm memory; matrices row-major (rows × cols). */
export interface ReduceKernels {
  /** Σ_i x_i, accumulated in f64 (also for f32 input). */
  sumF64(x: number, n: number): number;
  /** As sumF64, on f32 data. */
  sumF32(x: number, n: number): number;
  /** Σ_i x_i², accumulated in f64. */
  sumSquaresF64(x: number, n: number): number;
  /** As sumSquaresF64, on f32 data. */
  sumSquaresF32(x: number, n: number): number;
  /** max_i |x_i| over n f64 values (0 when n = 0, NaN when one is NaN). */
  maxAbsF64(x: number, n: number): number;
  /** out_r = Σ_j x_rj (accumulated in f64, rounded once). */
  rowSumsF64(x: number, out: number, rows: number, cols: number): void;
  /** As rowSumsF64, on f32 data. */
  rowSumsF32(x: number, out: number, rows: number, cols: number): void;
  /** out_j = Σ_r x_rj (out has cols elements; accumulated in the element type). */
  colSumsF64(x: number, out: number, rows: number, cols: number): void;
  /** As colSumsF64, on f32 data. */
  colSumsF32(x: number, out: number, rows: number, cols: number): void;
  /** out_r = max_j x_rj; NaN if the row holds a NaN, −Inf when cols = 0 (of −0 and +0 either may be returned). */
  rowMaxF64(x: number, out: number, rows: number, cols: number): void;
  /** As rowMaxF64, on f32 data. */
  rowMaxF32(x: number, out: number, rows: number, cols: number): void;
  /** out_r (Int32Array) = first j at the row maximum; input assumed NaN-free (a row with NaN gives −1). */
  rowArgmaxF64(x: number, out: number, rows: number, cols: number): void;
  /** As rowArgmaxF64, on f32 data. */
  rowArgmaxF32(x: number, out: number, rows: number, cols: number): void;
  /** out_r = ‖x_r‖² = Σ_j x_rj² (accumulated in f64, rounded once). */
  rowSumSquaresF64(x: number, out: number, rows: number, cols: number): void;
  /** As rowSumSquaresF64, on f32 data. */
  rowSumSquaresF32(x: number, out: number, rows: number, cols: number): void;
  /** x[r,:] += v for every row (v has cols elements), in place. */
  addRowVectorF64(x: number, v: number, rows: number, cols: number): void;
  /** As addRowVectorF64, on f32 data. */
  addRowVectorF32(x: number, v: number, rows: number, cols: number): void;
  /** x[r,j] *= v[j], in place. */
  mulColsF64(x: number, v: number, rows: number, cols: number): void;
  /** As mulColsF64, on f32 data. */
  mulColsF32(x: number, v: number, rows: number, cols: number): void;
}
