// Cholesky factorisation A = L·Lᵀ and what is done with L: triangular solves, the inverse of
// L, log det. Row-oriented throughout (Cholesky–Banachiewicz, dot-product solves, axpy
// updates), so every inner loop runs along a contiguous row of the row-major matrix in SIMD.
import { axpy, dot, zeroShort } from './vector';

/**
 * In place: the lower triangle of A(n×n) becomes L with A = L·Lᵀ, the upper triangle 0.
 * Reads only the lower triangle. Returns 0, or j + 1 for the first pivot j that is not
 * positive and finite (A not positive definite, or holding NaN/∞); A is then partly overwritten.
 */
@inline
export function cholesky<T>(a: usize, n: i32): i32 {
  const ld = <usize>n * sizeof<T>();
  for (let i = 0; i < n; i++) {
    const ri = a + <usize>i * ld;
    // L_ij = (A_ij − L_i,0:j · L_j,0:j) / L_jj for j < i: row i against the rows above it.
    for (let j = 0; j < i; j++) {
      const rj = a + <usize>j * ld;
      const oj = <usize>j * sizeof<T>();
      const v = <f64>load<T>(ri + oj) - dot<T>(ri, rj, j);
      store<T>(ri + oj, <T>(v / <f64>load<T>(rj + oj)));
    }
    // L_ii = √(A_ii − ‖L_i,0:i‖²); NaN anywhere in row i reaches this pivot and fails the test.
    const oi = <usize>i * sizeof<T>();
    const p = <T>Math.sqrt(<f64>load<T>(ri + oi) - dot<T>(ri, ri, i));
    if (!(p > 0 && p < <T>Infinity)) return i + 1;
    store<T>(ri + oi, p);
    zeroShort<T>(ri + oi + sizeof<T>(), n - i - 1);
  }
  return 0;
}

/** Solves L·x = b in place (b ← x), forward substitution: x_i = (b_i − L_i,0:i·x_0:i) / L_ii. */
@inline
export function trsvLower<T>(l: usize, b: usize, n: i32): void {
  const ld = <usize>n * sizeof<T>();
  for (let i = 0; i < n; i++) {
    const ri = l + <usize>i * ld;
    const oi = <usize>i * sizeof<T>();
    store<T>(b + oi, <T>((<f64>load<T>(b + oi) - dot<T>(ri, b, i)) / <f64>load<T>(ri + oi)));
  }
}

/**
 * Solves Lᵀ·x = b in place. Row j of L is column j of Lᵀ, so once x_j is known its share
 * x_j·L_j,0:j is taken off b_0:j with one contiguous axpy (column-sweep back substitution).
 */
@inline
export function trsvLowerT<T>(l: usize, b: usize, n: i32): void {
  const ld = <usize>n * sizeof<T>();
  for (let j = n - 1; j >= 0; j--) {
    const rj = l + <usize>j * ld;
    const oj = <usize>j * sizeof<T>();
    const xj = load<T>(b + oj) / load<T>(rj + oj);
    store<T>(b + oj, xj);
    axpy<T>(j, -xj, rj, b);
  }
}

/** Solves U·x = b in place, back substitution: x_i = (b_i − U_i,i+1:n·x_i+1:n) / U_ii. */
@inline
export function trsvUpper<T>(u: usize, b: usize, n: i32): void {
  const ld = <usize>n * sizeof<T>();
  for (let i = n - 1; i >= 0; i--) {
    const ri = u + <usize>i * ld;
    const oi = <usize>i * sizeof<T>();
    const tail = oi + sizeof<T>();
    const s = dot<T>(ri + tail, b + tail, n - 1 - i);
    store<T>(b + oi, <T>((<f64>load<T>(b + oi) - s) / <f64>load<T>(ri + oi)));
  }
}

/**
 * out = L⁻¹ (lower triangular, upper part 0); out must not overlap l. From L·X = I, row i of
 * X is (e_i − Σ_{p<i} L_ip X_p) / L_ii, and row p of X is zero past column p: axpys on rows.
 */
@inline
export function triInvLower<T>(l: usize, out: usize, n: i32): void {
  const ld = <usize>n * sizeof<T>();
  for (let i = 0; i < n; i++) {
    const ri = l + <usize>i * ld;
    const xi = out + <usize>i * ld;
    zeroShort<T>(xi, n);
    store<T>(xi + <usize>i * sizeof<T>(), 1);
    for (let p = 0; p < i; p++) {
      axpy<T>(p + 1, -load<T>(ri + <usize>p * sizeof<T>()), out + <usize>p * ld, xi);
    }
    const lii = load<T>(ri + <usize>i * sizeof<T>());
    for (let j = 0; j <= i; j++) {
      const o = xi + <usize>j * sizeof<T>();
      store<T>(o, load<T>(o) / lii);
    }
  }
}

/** log det(L·Lᵀ) = 2·Σ log L_ii, in f64. */
@inline
export function logDetChol<T>(l: usize, n: i32): f64 {
  const step = (<usize>n + 1) * sizeof<T>();
  let s = 0.0;
  for (let i = 0; i < n; i++) s += Math.log(<f64>load<T>(l + <usize>i * step));
  return 2 * s;
}
