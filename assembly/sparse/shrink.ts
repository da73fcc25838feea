// The soft-threshold operator on one SIMD vector, shared by the sparse solvers and the learned
// (LISTA) layers. Not a module export: kernels import it.

/** S_t(x) = sign(x)·max(|x| − t, 0), or max(x − t, 0) when `nonneg`. */
@inline
export function shrinkV<T>(x: v128, t: v128, nonneg: bool): v128 {
  if (nonneg) return v128.pmax<T>(v128.sub<T>(x, t), v128.splat<T>(0));
  const m = v128.pmax<T>(v128.sub<T>(v128.abs<T>(x), t), v128.splat<T>(0));
  // copysign(m, x): m is ≥ 0 (or NaN), so or-ing in the sign bit of x is enough.
  return v128.or(m, v128.and(x, v128.splat<T>(<T>-0.0)));
}

