// Level-1 bodies over contiguous vectors: dot, axpy, scale. Two vectors per step keep two
// independent add chains in flight; a scalar loop finishes the remainder.
import { hsum } from '../simd';

/** Σ x_i y_i over n elements; accumulates in T lanes, returns f64. */
@inline
export function dot<T>(x: usize, y: usize, n: i32): f64 {
  const lanes = 16 / sizeof<T>();
  let acc0 = v128.splat<T>(0);
  let acc1 = v128.splat<T>(0);
  let i = 0;
  const n2 = n - 2 * lanes;
  for (; i <= n2; i += 2 * lanes) {
    const o = <usize>i * sizeof<T>();
    acc0 = v128.add<T>(acc0, v128.mul<T>(v128.load(x + o), v128.load(y + o)));
    acc1 = v128.add<T>(acc1, v128.mul<T>(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  acc0 = v128.add<T>(acc0, acc1);
  let s = hsum<T>(acc0);
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    s += <f64>(load<T>(x + o) * load<T>(y + o));
  }
  return s;
}

/**
 * x[0:n] = 0 by stores. For the few elements of a small matrix's row this is much cheaper than
 * memory.fill, which V8 runs as a call out of the compiled code (a Cholesky factor of 8 × 8 made
 * eight of them, more time than its arithmetic).
 */
@inline
export function zeroShort<T>(x: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<T>(x + <usize>i * sizeof<T>(), 0);
}

/** y[0:n] += alpha·x[0:n]. */
@inline
export function axpy<T>(n: i32, alpha: T, x: usize, y: usize): void {
  const lanes = 16 / sizeof<T>();
  const av = v128.splat<T>(alpha);
  let i = 0;
  const n2 = n - 2 * lanes;
  for (; i <= n2; i += 2 * lanes) {
    const o = <usize>i * sizeof<T>();
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(av, v128.load(x + o))));
    v128.store(y + o, v128.add<T>(v128.load(y + o, 16), v128.mul<T>(av, v128.load(x + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, load<T>(y + o) + alpha * load<T>(x + o));
  }
}

/** x[0:n] *= alpha (IEEE products: 0·NaN stays NaN). */
@inline
export function scale<T>(n: i32, alpha: T, x: usize): void {
  const lanes = 16 / sizeof<T>();
  const av = v128.splat<T>(alpha);
  let i = 0;
  const n2 = n - 2 * lanes;
  for (; i <= n2; i += 2 * lanes) {
    const o = <usize>i * sizeof<T>();
    v128.store(x + o, v128.mul<T>(av, v128.load(x + o)));
    v128.store(x + o, v128.mul<T>(av, v128.load(x + o, 16)), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(x + o, alpha * load<T>(x + o));
  }
}

/**
 * x[0:n] = beta·x[0:n], the `beta` convention of the level-2/3 kernels: beta = 0 writes zeros
 * without reading x (so NaN or garbage there vanishes), beta = 1 leaves x untouched.
 */
@inline
export function scaleOutput<T>(n: i32, beta: T, x: usize): void {
  if (beta == 1) return;
  if (beta == 0) {
    memory.fill(x, 0, <usize>n * sizeof<T>());
    return;
  }
  scale<T>(n, beta, x);
}
