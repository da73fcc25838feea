// Elementary functions on whole v128 vectors, generic over the lane type T (f64 → f64x2,
// f32 → f32x4): exp, log and log1p. Not re-exported from index.ts (these are helpers, not
// kernels): special.ts builds its kernels from them, and any family may import them for a
// fused loop. Branch-free: special values are handled by clamps and lane selects.
//
// Accuracy, measured by test/kernels/special.test.ts against Math.exp / Math.log (f64) and
// Math.fround of them (f32): see the ulp figures quoted there.

// ---- integer view of the lanes: i64x2 for f64, i32x4 for f32 ----------------------------

@inline function isplat<T>(v: i32): v128 {
  return sizeof<T>() == 8 ? i64x2.splat(<i64>v) : i32x4.splat(v);
}

@inline function iadd<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? i64x2.add(a, b) : i32x4.add(a, b);
}

@inline function isub<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? i64x2.sub(a, b) : i32x4.sub(a, b);
}

@inline function ishl<T>(a: v128, s: i32): v128 {
  return sizeof<T>() == 8 ? i64x2.shl(a, s) : i32x4.shl(a, s);
}

@inline function ishr<T>(a: v128, s: i32): v128 {
  return sizeof<T>() == 8 ? i64x2.shr_s(a, s) : i32x4.shr_s(a, s);
}

@inline function splat<T>(v: f64): v128 {
  return v128.splat<T>(<T>v);
}

/** Mantissa bits of T: 52 or 23. */
@inline function mantBits<T>(): i32 {
  return sizeof<T>() == 8 ? 52 : 23;
}

/** Exponent bias of T: 1023 or 127. */
@inline function bias<T>(): i32 {
  return sizeof<T>() == 8 ? 1023 : 127;
}

/**
 * Adding 1.5·2^p (p = mantissa bits) rounds a float of magnitude < 2^(p−1) to an integer k
 * (to nearest, ties to even) and leaves k in the low bits of the sum: sum − 1.5·2^p is k as a
 * float, bits(sum) − bits(1.5·2^p) is k as an integer.
 */
@inline function roundShift<T>(): f64 {
  return sizeof<T>() == 8 ? 6755399441055744.0 : 12582912.0;
}

/** Integer lanes k → float lanes (exact for |k| < 2^(p−1)). */
@inline function intToFloat<T>(k: v128): v128 {
  if (sizeof<T>() == 8) {
    // There is no i64x2 → f64x2 conversion: reverse the round-shift trick.
    const shift = splat<T>(roundShift<T>());
    return f64x2.sub(i64x2.add(k, shift), shift);
  }
  return f32x4.convert_i32x4_s(k);
}

/**
 * y · 2^k for integer lanes k, as y · 2^(k>>1) · 2^(k − (k>>1)): both factors are normal
 * numbers for every k exp can produce, so a result in the subnormal range is rounded once, by
 * the last product, instead of being flushed.
 */
@inline function scalePow2<T>(y: v128, k: v128): v128 {
  const k1 = ishr<T>(k, 1);
  const k2 = isub<T>(k, k1);
  const s1 = ishl<T>(iadd<T>(k1, isplat<T>(bias<T>())), mantBits<T>());
  const s2 = ishl<T>(iadd<T>(k2, isplat<T>(bias<T>())), mantBits<T>());
  return v128.mul<T>(v128.mul<T>(y, s1), s2);
}

// ---- exp -----------------------------------------------------------------------------------

/**
 * (e^r − 1 − r) / r² on |r| ≤ ln2/2: a Chebyshev fit of degree 9 (f64, error 1e-16, i.e.
 * below 0.06 ulp of e^r once multiplied by r²) or 4 (f32, error 7e-8, below 0.07 ulp).
 */
@inline function expPoly<T>(r: v128): v128 {
  if (sizeof<T>() == 8) {
    let p = splat<T>(2.510038549551032e-8);
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(2.7620088445409746e-7));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(2.7557268459997064e-6));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(2.4801521295954376e-5));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(1.9841269863053618e-4));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(1.3888888917213717e-3));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(8.333333333330062e-3));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(4.166666666662413e-2));
    p = v128.add<T>(v128.mul<T>(p, r), splat<T>(0.16666666666666669));
    return v128.add<T>(v128.mul<T>(p, r), splat<T>(0.5000000000000001));
  }
  let p = splat<T>(1.3926184037700295e-3);
  p = v128.add<T>(v128.mul<T>(p, r), splat<T>(8.363178931176662e-3));
  p = v128.add<T>(v128.mul<T>(p, r), splat<T>(4.1666556149721146e-2));
  p = v128.add<T>(v128.mul<T>(p, r), splat<T>(0.16666576266288757));
  return v128.add<T>(v128.mul<T>(p, r), splat<T>(0.5));
}

/**
 * e^x lane-wise. x = k·ln2 + r with k = round(x/ln2) and ln2 split in two (Cody–Waite: the
 * high part has trailing zero bits, so k·ln2hi and x − k·ln2hi are exact), |r| ≤ ln2/2;
 * e^r = 1 + (r + r²·q(r)), the last addition being the only large rounding; then scaled by
 * 2^k built in the exponent bits. Below the clamp the result rounds to 0 (−Inf → 0), above it
 * overflows to +Inf; NaN propagates (pmin/pmax return their first operand for NaN).
 */
@inline export function expV<T>(x: v128): v128 {
  const f64 = sizeof<T>() == 8;
  // exp(−746) < 2^−1075 and exp(710) > 2^1024 (f64); exp(−104) < 2^−150, exp(89) > 2^128 (f32).
  const lo = splat<T>(f64 ? -746.0 : -104.0);
  const hi = splat<T>(f64 ? 710.0 : 89.0);
  const ln2hi = splat<T>(f64 ? 6.93147180369123816490e-1 : 0.693359375);
  const ln2lo = splat<T>(f64 ? 1.90821492927058770002e-10 : -2.12194440e-4);
  const shift = splat<T>(roundShift<T>());
  x = v128.pmin<T>(v128.pmax<T>(x, lo), hi);
  const t = v128.add<T>(v128.mul<T>(x, splat<T>(1.4426950408889634)), shift);
  const kf = v128.sub<T>(t, shift);
  const k = isub<T>(t, shift);
  const r = v128.sub<T>(v128.sub<T>(x, v128.mul<T>(kf, ln2hi)), v128.mul<T>(kf, ln2lo));
  const er = v128.add<T>(splat<T>(1), v128.add<T>(r, v128.mul<T>(v128.mul<T>(r, r), expPoly<T>(r))));
  return scalePow2<T>(er, k);
}

// ---- log -----------------------------------------------------------------------------------

/**
 * R(z) with log(1+f) = 2·atanh(s) = 2s + s·R(s²), s = f/(2+f): fdlibm's minimax coefficients
 * (e_log.c: error < 2^−58.45; e_logf.c: < 2^−34.24), split in even and odd parts for
 * instruction-level parallelism.
 */
@inline function logPoly<T>(z: v128): v128 {
  const w = v128.mul<T>(z, z);
  if (sizeof<T>() == 8) {
    let t1 = v128.add<T>(splat<T>(2.222219843214978396e-1), v128.mul<T>(w, splat<T>(1.531383769920937332e-1)));
    t1 = v128.mul<T>(w, v128.add<T>(splat<T>(3.999999999940941908e-1), v128.mul<T>(w, t1)));
    let t2 = v128.add<T>(splat<T>(1.818357216161805012e-1), v128.mul<T>(w, splat<T>(1.479819860511658591e-1)));
    t2 = v128.add<T>(splat<T>(2.857142874366239149e-1), v128.mul<T>(w, t2));
    t2 = v128.mul<T>(z, v128.add<T>(splat<T>(6.666666666666735130e-1), v128.mul<T>(w, t2)));
    return v128.add<T>(t1, t2);
  }
  const t1 = v128.mul<T>(w, v128.add<T>(splat<T>(0.40000972152), v128.mul<T>(w, splat<T>(0.24279078841))));
  const t2 = v128.mul<T>(z, v128.add<T>(splat<T>(0.66666662693), v128.mul<T>(w, splat<T>(0.28498786688))));
  return v128.add<T>(t1, t2);
}

/**
 * log x lane-wise. x = 2^k·m with m in [√½, √2): subtracting the bits of √½ puts the exponent
 * step at √2, so k = (bits(x) − bits(√½)) >> p and m = bits(x) − k << p need no compare.
 * Subnormal x is first scaled up by 2^(p+2). Then f = m − 1 (exact), log m = f − f²/2 +
 * s(f²/2 + R) (fdlibm), and k·ln2 is added in two parts. log(±0) = −Inf, log(x < 0) = NaN,
 * log(+Inf) = +Inf, NaN → NaN.
 */
@inline export function logV<T>(x: v128): v128 {
  const f64 = sizeof<T>() == 8;
  const minNormal = splat<T>(f64 ? 2.2250738585072014e-308 : 1.1754943508222875e-38);
  const up = splat<T>(f64 ? 18014398509481984.0 : 134217728.0); // 2^54, 2^27
  const upExp = splat<T>(f64 ? 54.0 : 27.0);
  const sqrtHalfBits = f64 ? i64x2.splat(0x3fe6a09e667f3bcd) : i32x4.splat(0x3f3504f3);
  const ln2hi = splat<T>(f64 ? 6.93147180369123816490e-1 : 6.9313812256e-1);
  const ln2lo = splat<T>(f64 ? 1.90821492927058770002e-10 : 9.0580006145e-6);

  const tiny = v128.lt<T>(x, minNormal);
  const xs = v128.bitselect(v128.mul<T>(x, up), x, tiny);
  const u = isub<T>(xs, sqrtHalfBits);
  const k = ishr<T>(u, mantBits<T>());
  const m = isub<T>(xs, ishl<T>(k, mantBits<T>()));
  const kf = v128.sub<T>(intToFloat<T>(k), v128.and(upExp, tiny));

  const f = v128.sub<T>(m, splat<T>(1));
  const s = v128.div<T>(f, v128.add<T>(splat<T>(2), f));
  const hfsq = v128.mul<T>(splat<T>(0.5), v128.mul<T>(f, f));
  const r = logPoly<T>(v128.mul<T>(s, s));
  // k·ln2hi − ((hfsq − (s·(hfsq + R) + k·ln2lo)) − f)
  const inner = v128.add<T>(v128.mul<T>(s, v128.add<T>(hfsq, r)), v128.mul<T>(kf, ln2lo));
  let y = v128.sub<T>(v128.mul<T>(kf, ln2hi), v128.sub<T>(v128.sub<T>(hfsq, inner), f));

  const inf = splat<T>(Infinity);
  y = v128.bitselect(v128.neg<T>(inf), y, v128.eq<T>(x, splat<T>(0)));
  y = v128.bitselect(inf, y, v128.eq<T>(x, inf));
  // not (x ≥ 0) selects negative x and NaN.
  return v128.bitselect(splat<T>(NaN), y, v128.not(v128.ge<T>(x, splat<T>(0))));
}

/**
 * log(1 + u) lane-wise for u in [−1, 1]: w = 1 + u rounds, but c = u − (w − 1) is exactly
 * its rounding error (Fast2Sum, |1| ≥ |u|), and log(1 + u) = log w + c/w to first order.
 * For tiny u this returns u itself; log1p(−1) = −Inf.
 */
@inline export function log1pV<T>(u: v128): v128 {
  const one = splat<T>(1);
  const w = v128.add<T>(one, u);
  const c = v128.sub<T>(u, v128.sub<T>(w, one));
  // c = 0 whenever w is exact, which also keeps 0/0 out at u = −1.
  const corr = v128.and(v128.div<T>(c, w), v128.ne<T>(c, splat<T>(0)));
  return v128.add<T>(logV<T>(w), corr);
}

// ---- functions built from exp and log ------------------------------------------------------

/** σ(x) = 1/(1 + e^−x), from e = e^−|x| so that nothing overflows: 1/(1+e) for x ≥ 0, e/(1+e) below; exact 0 and 1 in the limits. */
@inline export function sigmoidV<T>(x: v128): v128 {
  const e = expV<T>(v128.neg<T>(v128.abs<T>(x)));
  const q = v128.div<T>(splat<T>(1), v128.add<T>(splat<T>(1), e));
  return v128.bitselect(q, v128.mul<T>(e, q), v128.ge<T>(x, splat<T>(0)));
}

/** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^−|x|); equals e^x to full precision for x ≪ 0. */
@inline export function softplusV<T>(x: v128): v128 {
  const l = log1pV<T>(expV<T>(v128.neg<T>(v128.abs<T>(x))));
  return v128.add<T>(v128.pmax<T>(x, splat<T>(0)), l);
}

/** log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^−|x|). */
@inline export function logSigmoidV<T>(x: v128): v128 {
  const l = log1pV<T>(expV<T>(v128.neg<T>(v128.abs<T>(x))));
  return v128.sub<T>(v128.pmin<T>(x, splat<T>(0)), l);
}

/**
 * H(p) = −p log p − (1−p) log(1−p) with 0 log 0 = 0. The second log is log1p(−p), which keeps
 * its digits for small p, where 1 − p has lost them. p outside [0, 1] gives NaN.
 */
@inline export function entropyBernoulliV<T>(p: v128): v128 {
  const zero = splat<T>(0);
  const q = v128.sub<T>(splat<T>(1), p);
  const a = v128.and(v128.mul<T>(p, logV<T>(p)), v128.ne<T>(p, zero));
  const b = v128.and(v128.mul<T>(q, log1pV<T>(v128.neg<T>(p))), v128.ne<T>(q, zero));
  return v128.sub<T>(v128.sub<T>(zero, a), b); // (0 − a) − b: +0, not −0, at p = 0 and 1
}

/** A scalar through a vector function: lane 0 of f(splat(v)), used for remainders so that every element sees the same arithmetic. */
@inline export function lane0<T>(v: v128): T {
  return v128.extract_lane<T>(v, 0);
}

// ---- partial vectors -------------------------------------------------------------------------

/** The first `rest` values at p (0 < rest < lanes) in the low lanes, `fill` in the others; reads nothing beyond them. */
@inline export function loadPartial<T>(p: usize, rest: i32, fill: T): v128 {
  let v = v128.splat<T>(fill);
  if (sizeof<T>() == 8) return v128.load64_lane(p, v, 0);
  v = v128.load32_lane(p, v, 0);
  if (rest > 1) v = v128.load32_lane(p, v, 1, 4);
  if (rest > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** Stores the low `rest` lanes of v at p (0 < rest < lanes). */
@inline export function storePartial<T>(p: usize, v: v128, rest: i32): void {
  if (sizeof<T>() == 8) {
    v128.store64_lane(p, v, 0);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (rest > 1) v128.store32_lane(p, v, 1, 4);
  if (rest > 2) v128.store32_lane(p, v, 2, 8);
}

// ---- reductions over a contiguous run of n values -----------------------------------------

/** Two consecutive T values as f64x2 (f32 is widened exactly). */
@inline export function load2AsF64<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p);
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/**
 * Σ x_i (or Σ x_i² when `squares`), accumulated in f64 lanes for both element types (f32 is
 * widened first), four independent accumulators: error ≤ n·2^−53·Σ|x_i|.
 */
@inline export function sumOf<T>(x: usize, n: i32, squares: bool): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  const step = <usize>sizeof<T>() * 2;
  let i = 0;
  for (; i <= n - 8; i += 8) {
    const p = x + <usize>i * sizeof<T>();
    let v0 = load2AsF64<T>(p);
    let v1 = load2AsF64<T>(p + step);
    let v2 = load2AsF64<T>(p + 2 * step);
    let v3 = load2AsF64<T>(p + 3 * step);
    if (squares) {
      v0 = f64x2.mul(v0, v0); v1 = f64x2.mul(v1, v1);
      v2 = f64x2.mul(v2, v2); v3 = f64x2.mul(v3, v3);
    }
    a0 = f64x2.add(a0, v0); a1 = f64x2.add(a1, v1);
    a2 = f64x2.add(a2, v2); a3 = f64x2.add(a3, v3);
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const v = <f64>load<T>(x + <usize>i * sizeof<T>());
    s += squares ? v * v : v;
  }
  return s;
}

/**
 * max_i x_i; NaN if any x_i is NaN; −Inf for n = 0 (of −0 and +0 either may come back).
 * Branch-free: pmax (one instruction, but it drops a NaN in its second operand) plus a separate
 * NaN mask, the remainder as one vector padded with −Inf, the lanes folded by shuffles; a
 * scalar max compiles to compare-and-branch, which mispredicts on random data.
 */
@inline export function maxOf<T>(x: usize, n: i32): T {
  const L = 16 / sizeof<T>();
  let m0 = v128.splat<T>(<T>-Infinity);
  let m1 = m0;
  let nan = v128.splat<i32>(0);
  let i = 0;
  for (; i <= n - 2 * L; i += 2 * L) {
    const p = x + <usize>i * sizeof<T>();
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    m0 = v128.pmax<T>(m0, v0);
    m1 = v128.pmax<T>(m1, v1);
    nan = v128.or(nan, v128.or(v128.ne<T>(v0, v0), v128.ne<T>(v1, v1)));
  }
  if (i < n) {
    const p = x + <usize>i * sizeof<T>();
    const rest = n - i;
    const v0 = rest >= L ? v128.load(p) : loadPartial<T>(p, rest, <T>-Infinity);
    const v1 = rest > L ? loadPartial<T>(p + 16, rest - L, <T>-Infinity) : v128.splat<T>(<T>-Infinity);
    m0 = v128.pmax<T>(m0, v0);
    m1 = v128.pmax<T>(m1, v1);
    nan = v128.or(nan, v128.or(v128.ne<T>(v0, v0), v128.ne<T>(v1, v1)));
  }
  if (v128.any_true(nan)) return <T>NaN;
  m0 = v128.pmax<T>(m0, m1);
  if (sizeof<T>() == 4) m0 = v128.pmax<T>(m0, v128.shuffle<f32>(m0, m0, 2, 3, 0, 1));
  m0 = sizeof<T>() == 8
    ? v128.pmax<T>(m0, v128.shuffle<f64>(m0, m0, 1, 0))
    : v128.pmax<T>(m0, v128.shuffle<f32>(m0, m0, 1, 0, 3, 2));
  return v128.extract_lane<T>(m0, 0);
}

/** The first i with x_i == v, or −1. */
@inline export function firstIndexOf<T>(x: usize, n: i32, v: T): i32 {
  const L = 16 / sizeof<T>();
  const vv = v128.splat<T>(v);
  let i = 0;
  for (; i <= n - L; i += L) {
    const eq = v128.eq<T>(v128.load(x + <usize>i * sizeof<T>()), vv);
    const bits = sizeof<T>() == 8 ? i64x2.bitmask(eq) : i32x4.bitmask(eq);
    if (bits != 0) return i + ctz(bits);
  }
  for (; i < n; i++) if (load<T>(x + <usize>i * sizeof<T>()) == v) return i;
  return -1;
}
