/** Exports of assembly/sparse.ts. Pointers are byte offsets into wasm memory; in place allowed (y = x). */
export interface SparseKernels {
  /** y_i = sign(x_i)·max(|x_i| − t, 0), the proximal map of t‖·‖₁ (t ≥ 0). */
  softThresholdF64(x: number, y: number, n: number, t: number): void;
  softThresholdF32(x: number, y: number, n: number, t: number): void;
  /** y_i = max(x_i − t, 0), the proximal map of t‖·‖₁ + the indicator of h ≥ 0 (t ≥ 0). */
  softThresholdNonnegF64(x: number, y: number, n: number, t: number): void;
  softThresholdNonnegF32(x: number, y: number, n: number, t: number): void;
}
