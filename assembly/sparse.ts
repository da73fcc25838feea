// Sparse coding (MAP inference under a Laplace prior). For now: the soft-threshold operators,
// the proximal maps of t‖·‖₁ and of t‖·‖₁ restricted to h ≥ 0. In place allowed (y == x).
// t ≥ 0 is the caller's responsibility.

/** S_t(x) = sign(x)·max(|x| − t, 0), or max(x − t, 0) when `nonneg`. */
@inline
function shrinkV<T>(x: v128, t: v128, nonneg: bool): v128 {
  if (nonneg) return v128.pmax<T>(v128.sub<T>(x, t), v128.splat<T>(0));
  const m = v128.pmax<T>(v128.sub<T>(v128.abs<T>(x), t), v128.splat<T>(0));
  // copysign(m, x): m is ≥ 0 (or NaN), so or-ing in the sign bit of x is enough.
  return v128.or(m, v128.and(x, v128.splat<T>(<T>-0.0)));
}

@inline
function softThreshold<T>(x: usize, y: usize, n: i32, t: T, nonneg: bool): void {
  const L = 16 / sizeof<T>();
  const tv = v128.splat<T>(t);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    v128.store(y + o, shrinkV<T>(v128.load(x + o), tv, nonneg));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, v128.extract_lane<T>(shrinkV<T>(v128.splat<T>(load<T>(x + o)), tv, nonneg), 0));
  }
}

export function softThresholdF64(x: usize, y: usize, n: i32, t: f64): void { softThreshold<f64>(x, y, n, t, false); }
export function softThresholdF32(x: usize, y: usize, n: i32, t: f32): void { softThreshold<f32>(x, y, n, t, false); }
export function softThresholdNonnegF64(x: usize, y: usize, n: i32, t: f64): void { softThreshold<f64>(x, y, n, t, true); }
export function softThresholdNonnegF32(x: usize, y: usize, n: i32, t: f32): void { softThreshold<f32>(x, y, n, t, true); }
