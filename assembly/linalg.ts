// Dense linear algebra over row-major buffers: the kernels' export table. Every kernel is
// written once, generic over its element type T (f64 or f32), in assembly/linalg/*.ts, and
// exported here per type; scalars cross the boundary as f64. Only kernels are exported.
import { axpy, dot, scale } from './linalg/vector';
import { gemv, gemvT } from './linalg/gemv';
import { FORM_NN, FORM_NT, FORM_TN, gemm, gemmStrided } from './linalg/gemm';
import { syrkWeighted } from './linalg/syrk';
import { transpose } from './linalg/transpose';
import { cholesky, logDetChol, triInvLower, trsvLower, trsvLowerT, trsvUpper } from './linalg/cholesky';

export function dotF64(x: usize, y: usize, n: i32): f64 { return dot<f64>(x, y, n); }
export function dotF32(x: usize, y: usize, n: i32): f64 { return dot<f32>(x, y, n); }

export function axpyF64(n: i32, alpha: f64, x: usize, y: usize): void { axpy<f64>(n, alpha, x, y); }
export function axpyF32(n: i32, alpha: f64, x: usize, y: usize): void { axpy<f32>(n, <f32>alpha, x, y); }

export function scaleF64(n: i32, alpha: f64, x: usize): void { scale<f64>(n, alpha, x); }
export function scaleF32(n: i32, alpha: f64, x: usize): void { scale<f32>(n, <f32>alpha, x); }

export function gemvF64(a: usize, x: usize, y: usize, m: i32, n: i32, beta: f64): void { gemv<f64>(a, x, y, m, n, beta); }
export function gemvF32(a: usize, x: usize, y: usize, m: i32, n: i32, beta: f64): void { gemv<f32>(a, x, y, m, n, <f32>beta); }

export function gemvTF64(a: usize, x: usize, y: usize, m: i32, n: i32, beta: f64): void { gemvT<f64>(a, x, y, m, n, beta); }
export function gemvTF32(a: usize, x: usize, y: usize, m: i32, n: i32, beta: f64): void { gemvT<f32>(a, x, y, m, n, <f32>beta); }

export function gemmNNF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f64>(FORM_NN, a, b, c, m, n, k, beta); }
export function gemmNNF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f32>(FORM_NN, a, b, c, m, n, k, <f32>beta); }

export function gemmNTF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f64>(FORM_NT, a, b, c, m, n, k, beta); }
export function gemmNTF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f32>(FORM_NT, a, b, c, m, n, k, <f32>beta); }

export function gemmTNF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f64>(FORM_TN, a, b, c, m, n, k, beta); }
export function gemmTNF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64): void { gemm<f32>(FORM_TN, a, b, c, m, n, k, <f32>beta); }

// The same products on sub-matrices (lda, ldb, ldc: row strides in elements): the panels the
// thread pool splits a large product into (src/runtime/gemm.ts).
export function gemmNNStridedF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f64>(FORM_NN, a, b, c, m, n, k, beta, lda, ldb, ldc); }
export function gemmNNStridedF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f32>(FORM_NN, a, b, c, m, n, k, <f32>beta, lda, ldb, ldc); }

export function gemmNTStridedF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f64>(FORM_NT, a, b, c, m, n, k, beta, lda, ldb, ldc); }
export function gemmNTStridedF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f32>(FORM_NT, a, b, c, m, n, k, <f32>beta, lda, ldb, ldc); }

export function gemmTNStridedF64(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f64>(FORM_TN, a, b, c, m, n, k, beta, lda, ldb, ldc); }
export function gemmTNStridedF32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: f64, lda: i32, ldb: i32, ldc: i32): void { gemmStrided<f32>(FORM_TN, a, b, c, m, n, k, <f32>beta, lda, ldb, ldc); }

export function syrkWeightedF64(x: usize, w: usize, mean: usize, s: usize, n: i32, d: i32, beta: f64): void { syrkWeighted<f64>(x, w, mean, s, n, d, beta); }
export function syrkWeightedF32(x: usize, w: usize, mean: usize, s: usize, n: i32, d: i32, beta: f64): void { syrkWeighted<f32>(x, w, mean, s, n, d, <f32>beta); }

export function transposeF64(a: usize, out: usize, m: i32, n: i32): void { transpose<f64>(a, out, m, n); }
export function transposeF32(a: usize, out: usize, m: i32, n: i32): void { transpose<f32>(a, out, m, n); }

export function choleskyF64(a: usize, n: i32): i32 { return cholesky<f64>(a, n); }
export function choleskyF32(a: usize, n: i32): i32 { return cholesky<f32>(a, n); }

export function trsvLowerF64(l: usize, b: usize, n: i32): void { trsvLower<f64>(l, b, n); }
export function trsvLowerF32(l: usize, b: usize, n: i32): void { trsvLower<f32>(l, b, n); }

export function trsvLowerTF64(l: usize, b: usize, n: i32): void { trsvLowerT<f64>(l, b, n); }
export function trsvLowerTF32(l: usize, b: usize, n: i32): void { trsvLowerT<f32>(l, b, n); }

export function trsvUpperF64(u: usize, b: usize, n: i32): void { trsvUpper<f64>(u, b, n); }
export function trsvUpperF32(u: usize, b: usize, n: i32): void { trsvUpper<f32>(u, b, n); }

export function triInvLowerF64(l: usize, out: usize, n: i32): void { triInvLower<f64>(l, out, n); }
export function triInvLowerF32(l: usize, out: usize, n: i32): void { triInvLower<f32>(l, out, n); }

export function logDetCholF64(l: usize, n: i32): f64 { return logDetChol<f64>(l, n); }
export function logDetCholF32(l: usize, n: i32): f64 { return logDetChol<f32>(l, n); }
