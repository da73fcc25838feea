// Dense linear algebra over row-major buffers. Every kernel is written once, generic over its
// element type T (f64 or f32), and exported per type; lanes = 16 / sizeof<T>().
import { hsum } from './simd';

/** Σ x_i y_i over n elements; accumulates in T lanes, returns f64. */
@inline
function dot<T>(x: usize, y: usize, n: i32): f64 {
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

export function dotF64(x: usize, y: usize, n: i32): f64 { return dot<f64>(x, y, n); }
export function dotF32(x: usize, y: usize, n: i32): f64 { return dot<f32>(x, y, n); }
