/** Exports of assembly/linalg.ts. Pointers are byte offsets into wasm memory. */
export interface LinalgKernels {
  /** Σ x_i y_i over n elements. */
  dotF64(x: number, y: number, n: number): number;
  dotF32(x: number, y: number, n: number): number;
}
