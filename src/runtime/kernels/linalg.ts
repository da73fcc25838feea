/**
 * Exports of assembly/linalg.ts. Pointers are byte offsets into wasm memory; matrices are
 * row-major. `beta` scales the existing output: 0 overwrites (ignoring NaN or garbage there),
 * 1 accumulates. Each kernel comes as `…F64` over Float64 buffers and `…F32` over Float32
 * buffers; scalar arguments and results are numbers (f64) for both.
 */
export interface LinalgKernels {
  /** Σ x_i y_i over n elements. */
  dotF64(x: number, y: number, n: number): number;
  /** As dotF64, on f32 data. */
  dotF32(x: number, y: number, n: number): number;
  /** y(n) += alpha·x(n). */
  axpyF64(n: number, alpha: number, x: number, y: number): void;
  /** As axpyF64, on f32 data. */
  axpyF32(n: number, alpha: number, x: number, y: number): void;
  /** x(n) *= alpha. */
  scaleF64(n: number, alpha: number, x: number): void;
  /** As scaleF64, on f32 data. */
  scaleF32(n: number, alpha: number, x: number): void;
  /** y(m) = A(m×n)·x(n) + beta·y. */
  gemvF64(a: number, x: number, y: number, m: number, n: number, beta: number): void;
  /** As gemvF64, on f32 data. */
  gemvF32(a: number, x: number, y: number, m: number, n: number, beta: number): void;
  /** y(n) = A(m×n)ᵀ·x(m) + beta·y. */
  gemvTF64(a: number, x: number, y: number, m: number, n: number, beta: number): void;
  /** As gemvTF64, on f32 data. */
  gemvTF32(a: number, x: number, y: number, m: number, n: number, beta: number): void;
  /** C(m×n) = A(m×k)·B(k×n) + beta·C; C must not overlap A or B. */
  gemmNNF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** As gemmNNF64, on f32 data. */
  gemmNNF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** C(m×n) = A(m×k)·B(n×k)ᵀ + beta·C; C must not overlap A or B. */
  gemmNTF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** As gemmNTF64, on f32 data. */
  gemmNTF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** C(m×n) = A(k×m)ᵀ·B(k×n) + beta·C; C must not overlap A or B. */
  gemmTNF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** As gemmTNF64, on f32 data. */
  gemmTNF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void;
  /** As gemmNNF64 on sub-matrices: lda, ldb, ldc are the row strides (in elements) of A (m×k), B (k×n) and C (m×n) as stored. */
  gemmNNStridedF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** As gemmNNStridedF64, on f32 data. */
  gemmNNStridedF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** As gemmNTF64 on sub-matrices: lda, ldb, ldc are the row strides (in elements) of A (m×k), B (n×k) and C (m×n) as stored. */
  gemmNTStridedF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** As gemmNTStridedF64, on f32 data. */
  gemmNTStridedF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** As gemmTNF64 on sub-matrices: lda, ldb, ldc are the row strides (in elements) of A (k×m), B (k×n) and C (m×n) as stored. */
  gemmTNStridedF64(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** As gemmTNStridedF64, on f32 data. */
  gemmTNStridedF32(a: number, b: number, c: number, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void;
  /** S(d×d) = Σ_i w_i (x_i − mean)(x_i − mean)ᵀ + beta·S over the rows of x(n×d); mean = 0 (null pointer) for no centring; S exactly symmetric. */
  syrkWeightedF64(x: number, w: number, mean: number, s: number, n: number, d: number, beta: number): void;
  /** As syrkWeightedF64, on f32 data. */
  syrkWeightedF32(x: number, w: number, mean: number, s: number, n: number, d: number, beta: number): void;
  /** out(n×m) = A(m×n)ᵀ; out must not overlap A. */
  transposeF64(a: number, out: number, m: number, n: number): void;
  /** As transposeF64, on f32 data. */
  transposeF32(a: number, out: number, m: number, n: number): void;
  /** In place A(n×n) = L·Lᵀ (L lower, upper set to 0); returns 0, or j + 1 for the first pivot j not positive and finite. */
  choleskyF64(a: number, n: number): number;
  /** As choleskyF64, on f32 data. */
  choleskyF32(a: number, n: number): number;
  /** Solves L·x = b in place (b ← x), L(n×n) lower triangular. */
  trsvLowerF64(l: number, b: number, n: number): void;
  /** As trsvLowerF64, on f32 data. */
  trsvLowerF32(l: number, b: number, n: number): void;
  /** Solves Lᵀ·x = b in place (b ← x), L(n×n) lower triangular. */
  trsvLowerTF64(l: number, b: number, n: number): void;
  /** As trsvLowerTF64, on f32 data. */
  trsvLowerTF32(l: number, b: number, n: number): void;
  /** Solves U·x = b in place (b ← x), U(n×n) upper triangular. */
  trsvUpperF64(u: number, b: number, n: number): void;
  /** As trsvUpperF64, on f32 data. */
  trsvUpperF32(u: number, b: number, n: number): void;
  /** out(n×n) = L⁻¹ (lower triangular, upper part 0); out must not overlap L. */
  triInvLowerF64(l: number, out: number, n: number): void;
  /** As triInvLowerF64, on f32 data. */
  triInvLowerF32(l: number, out: number, n: number): void;
  /** log det(L·Lᵀ) = 2·Σ log L_ii for the Cholesky factor L(n×n). */
  logDetCholF64(l: number, n: number): number;
  /** As logDetCholF64, on f32 data. */
  logDetCholF32(l: number, n: number): number;
}
