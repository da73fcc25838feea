// Small SIMD helpers shared by the kernel families (not exported from the module).

/** Sum of the lanes of v, in f64. */
@inline
export function hsum<T>(v: v128): f64 {
  if (sizeof<T>() == 8) {
    return <f64>v128.extract_lane<T>(v, 0) + <f64>v128.extract_lane<T>(v, 1);
  }
  return <f64>v128.extract_lane<T>(v, 0) + <f64>v128.extract_lane<T>(v, 1) +
    <f64>v128.extract_lane<T>(v, 2) + <f64>v128.extract_lane<T>(v, 3);
}

/** Number of T values in one v128. */
@inline
export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}
