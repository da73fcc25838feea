/**
 * Plain-TypeScript twins of assembly/linalg.ts: same names, same argument order, typed arrays
 * in place of pointers (and `null` in place of a null pointer). The oracle for tests and the
 * "plain JS" baseline in benchmarks: textbook loops, computed in f64 (JS numbers) and rounded
 * once on store for Float32Array outputs. Matrices are row-major; `beta` = 0 overwrites.
 */
import type { GemmForm } from '../runtime/gemm.js';
import type { FloatArray } from '../runtime/matrix.js';

/** Σ x_i y_i over n elements. */
export function dot(x: FloatArray, y: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/** y(n) += alpha·x(n). */
export function axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

/** x(n) *= alpha. */
export function scale(n: number, alpha: number, x: FloatArray): void {
  for (let i = 0; i < n; i++) x[i] *= alpha;
}

/** beta·old, with beta = 0 giving 0 whatever old holds (NaN included). */
function scaled(beta: number, old: number): number {
  return beta === 0 ? 0 : beta * old;
}

/** y(m) = A(m×n)·x(n) + beta·y. */
export function gemv(a: FloatArray, x: FloatArray, y: FloatArray, m: number, n: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    y[i] = s + scaled(beta, y[i]);
  }
}

/** y(n) = A(m×n)ᵀ·x(m) + beta·y. */
export function gemvT(a: FloatArray, x: FloatArray, y: FloatArray, m: number, n: number, beta: number): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i * n + j] * x[i];
    y[j] = s + scaled(beta, y[j]);
  }
}

/**
 * C(m×n) = op(A)·op(B) + beta·C on sub-matrices: lda, ldb and ldc are the row strides (in
 * elements) of A, B and C as stored, A m×k (k×m for 'TN'), B k×n (n×k for 'NT'). Reads only
 * the sub-matrices and writes only the m×n block of C: columns n … ldc − 1 of its rows keep
 * what they hold. Each element is one sum over p = 0 … k − 1 in order, in f64, rounded once on
 * store (so in f32 for a Float32Array C).
 */
export function gemmStrided(form: GemmForm, a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number,
  beta: number, lda: number, ldb: number, ldc: number): void {
  // op(A)(i, p) = a[i·aRow + p·aDepth], op(B)(p, j) = b[p·bDepth + j·bCol].
  const aRow = form === 'TN' ? 1 : lda, aDepth = form === 'TN' ? lda : 1;
  const bDepth = form === 'NT' ? 1 : ldb, bCol = form === 'NT' ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * aRow + p * aDepth] * b[p * bDepth + j * bCol];
      c[i * ldc + j] = s + scaled(beta, c[i * ldc + j]);
    }
  }
}

/** C(m×n) = A(m×k)·B(k×n) + beta·C, with row strides lda, ldb, ldc (see {@link gemmStrided}). */
export function gemmNNStrided(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void {
  gemmStrided('NN', a, b, c, m, n, k, beta, lda, ldb, ldc);
}

/** C(m×n) = A(m×k)·B(n×k)ᵀ + beta·C, with row strides lda, ldb, ldc (see {@link gemmStrided}). */
export function gemmNTStrided(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void {
  gemmStrided('NT', a, b, c, m, n, k, beta, lda, ldb, ldc);
}

/** C(m×n) = A(k×m)ᵀ·B(k×n) + beta·C, with row strides lda, ldb, ldc (see {@link gemmStrided}). */
export function gemmTNStrided(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number, lda: number, ldb: number, ldc: number): void {
  gemmStrided('TN', a, b, c, m, n, k, beta, lda, ldb, ldc);
}

// gemmNN/NT/TN compute what gemmStrided computes with contiguous strides, in the same order, but
// keep their own textbook loops: gemmNN is the benchmarks' plain-JavaScript baseline, which the
// generic index arithmetic would slow by about 15 % in f64.

/** C(m×n) = A(m×k)·B(k×n) + beta·C. */
export function gemmNN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      c[i * n + j] = s + scaled(beta, c[i * n + j]);
    }
  }
}

/** C(m×n) = A(m×k)·B(n×k)ᵀ + beta·C. */
export function gemmNT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s + scaled(beta, c[i * n + j]);
    }
  }
}

/** C(m×n) = A(k×m)ᵀ·B(k×n) + beta·C. */
export function gemmTN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i] * b[p * n + j];
      c[i * n + j] = s + scaled(beta, c[i * n + j]);
    }
  }
}

/** S(d×d) = Σ_i w_i (x_i − mean)(x_i − mean)ᵀ + beta·S over the rows of x(n×d); mean null: no centring. */
export function syrkWeighted(x: FloatArray, w: FloatArray, mean: FloatArray | null, s: FloatArray, n: number, d: number, beta: number): void {
  for (let r = 0; r < d; r++) {
    for (let c = 0; c <= r; c++) {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const zr = x[i * d + r] - (mean ? mean[r] : 0);
        const zc = x[i * d + c] - (mean ? mean[c] : 0);
        acc += w[i] * zr * zc;
      }
      s[r * d + c] = acc + scaled(beta, s[r * d + c]);
    }
  }
  for (let r = 0; r < d; r++) for (let c = r + 1; c < d; c++) s[r * d + c] = s[c * d + r];
}

/** out(n×m) = A(m×n)ᵀ. */
export function transpose(a: FloatArray, out: FloatArray, m: number, n: number): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
}

/**
 * In place A(n×n) = L·Lᵀ, L in the lower triangle, upper set to 0 (reads only the lower
 * triangle). Returns 0, or j + 1 for the first pivot j that is not positive and finite.
 */
export function cholesky(a: FloatArray, n: number): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= a[i * n + p] * a[j * n + p];
      a[i * n + j] = s / a[j * n + j];
    }
    let s = a[i * n + i];
    for (let p = 0; p < i; p++) s -= a[i * n + p] * a[i * n + p];
    const pivot = Math.sqrt(s);
    if (!(pivot > 0 && pivot < Infinity)) return i + 1;
    a[i * n + i] = pivot;
    for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  }
  return 0;
}

/** Solves L·x = b in place (b ← x), L(n×n) lower triangular. */
export function trsvLower(l: FloatArray, b: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= l[i * n + j] * b[j];
    b[i] = s / l[i * n + i];
  }
}

/** Solves Lᵀ·x = b in place (b ← x), L(n×n) lower triangular. */
export function trsvLowerT(l: FloatArray, b: FloatArray, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= l[j * n + i] * b[j];
    b[i] = s / l[i * n + i];
  }
}

/** Solves U·x = b in place (b ← x), U(n×n) upper triangular. */
export function trsvUpper(u: FloatArray, b: FloatArray, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= u[i * n + j] * b[j];
    b[i] = s / u[i * n + i];
  }
}

/** out(n×n) = L⁻¹, lower triangular with the upper part 0: column by column, L·x = e_j. */
export function triInvLower(l: FloatArray, out: FloatArray, n: number): void {
  out.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = i === j ? 1 : 0;
      for (let p = j; p < i; p++) s -= l[i * n + p] * out[p * n + j];
      out[i * n + j] = s / l[i * n + i];
    }
  }
}

/** log det(L·Lᵀ) = 2·Σ log L_ii for the Cholesky factor L(n×n). */
export function logDetChol(l: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}
