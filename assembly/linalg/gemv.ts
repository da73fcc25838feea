// Matrix-vector products over a row-major A (m×n). Four rows per step share each load of x
// (gemv) or each load-and-store of y (gemvT), so the loops run on A's bandwidth alone.
import { hsum } from '../simd';
import { axpy, dot, scaleOutput } from './vector';

/** Rows of A handled together. */
const ROWS = 4;

/** y(m) = A(m×n)·x(n) + beta·y; beta = 0 never reads y. */
@inline
export function gemv<T>(a: usize, x: usize, y: usize, m: i32, n: i32, beta: T): void {
  const lanes = 16 / sizeof<T>();
  const lda = <usize>n * sizeof<T>();
  let i = 0;
  for (; i + ROWS <= m; i += ROWS) {
    const a0 = a + <usize>i * lda;
    const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const z = v128.splat<T>(0);
    let s0 = z, s1 = z, s2 = z, s3 = z;
    let j = 0;
    for (; j + lanes <= n; j += lanes) {
      const o = <usize>j * sizeof<T>();
      const xv = v128.load(x + o);
      s0 = v128.add<T>(s0, v128.mul<T>(v128.load(a0 + o), xv));
      s1 = v128.add<T>(s1, v128.mul<T>(v128.load(a1 + o), xv));
      s2 = v128.add<T>(s2, v128.mul<T>(v128.load(a2 + o), xv));
      s3 = v128.add<T>(s3, v128.mul<T>(v128.load(a3 + o), xv));
    }
    let r0 = hsum<T>(s0), r1 = hsum<T>(s1), r2 = hsum<T>(s2), r3 = hsum<T>(s3);
    for (; j < n; j++) {
      const o = <usize>j * sizeof<T>();
      const xj = <f64>load<T>(x + o);
      r0 += <f64>load<T>(a0 + o) * xj;
      r1 += <f64>load<T>(a1 + o) * xj;
      r2 += <f64>load<T>(a2 + o) * xj;
      r3 += <f64>load<T>(a3 + o) * xj;
    }
    const yi = y + <usize>i * sizeof<T>();
    storeScaled<T>(yi, r0, beta);
    storeScaled<T>(yi + sizeof<T>(), r1, beta);
    storeScaled<T>(yi + 2 * sizeof<T>(), r2, beta);
    storeScaled<T>(yi + 3 * sizeof<T>(), r3, beta);
  }
  for (; i < m; i++) {
    storeScaled<T>(y + <usize>i * sizeof<T>(), dot<T>(a + <usize>i * lda, x, n), beta);
  }
}

/** *p = v + beta·*p, with beta = 0 overwriting without reading. */
@inline
function storeScaled<T>(p: usize, v: f64, beta: T): void {
  store<T>(p, beta == 0 ? <T>v : <T>v + beta * load<T>(p));
}

/** y(n) = A(m×n)ᵀ·x(m) + beta·y: y scaled once, then rows of A added in, x_i-weighted. */
@inline
export function gemvT<T>(a: usize, x: usize, y: usize, m: i32, n: i32, beta: T): void {
  const lanes = 16 / sizeof<T>();
  const lda = <usize>n * sizeof<T>();
  scaleOutput<T>(n, beta, y);
  let i = 0;
  for (; i + ROWS <= m; i += ROWS) {
    const a0 = a + <usize>i * lda;
    const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const xi = x + <usize>i * sizeof<T>();
    const x0 = load<T>(xi), x1 = load<T>(xi, sizeof<T>()), x2 = load<T>(xi, 2 * sizeof<T>()), x3 = load<T>(xi, 3 * sizeof<T>());
    const v0 = v128.splat<T>(x0), v1 = v128.splat<T>(x1), v2 = v128.splat<T>(x2), v3 = v128.splat<T>(x3);
    let j = 0;
    for (; j + lanes <= n; j += lanes) {
      const o = <usize>j * sizeof<T>();
      let acc = v128.load(y + o);
      acc = v128.add<T>(acc, v128.mul<T>(v0, v128.load(a0 + o)));
      acc = v128.add<T>(acc, v128.mul<T>(v1, v128.load(a1 + o)));
      acc = v128.add<T>(acc, v128.mul<T>(v2, v128.load(a2 + o)));
      acc = v128.add<T>(acc, v128.mul<T>(v3, v128.load(a3 + o)));
      v128.store(y + o, acc);
    }
    for (; j < n; j++) {
      const o = <usize>j * sizeof<T>();
      store<T>(y + o, load<T>(y + o) + x0 * load<T>(a0 + o) + x1 * load<T>(a1 + o) +
        x2 * load<T>(a2 + o) + x3 * load<T>(a3 + o));
    }
  }
  for (; i < m; i++) {
    axpy<T>(n, load<T>(x + <usize>i * sizeof<T>()), a + <usize>i * lda, y);
  }
}
