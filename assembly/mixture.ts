// Gaussian-mixture E-step and statistics kernels (see KERNELS.md): the Mahalanobis sums of
// Cholesky-whitened rows, the direct diagonal log-densities, the centred scatters of the M-step,
// and the element-type casts that let f32 E-steps feed f64 sufficient statistics.
import { hsum } from './simd';
import { logV } from './vmath';
import { diagEdge } from './scratch';
import { diagScatterBlock, scatterBlock } from './scatter';

/**
 * out[n,k] = bias[k] − ½·Σ_j (y[n, o_k + j] − c[k·D + j])², the log-density of a Gaussian in
 * whitened coordinates: y = x·P_k (one GEMM for all components), c_k = μ_kᵀ P_k.
 * With shared = 0, y is rows × (K·D) and component k reads columns k·D … k·D + D − 1
 * ('full'); with shared ≠ 0, y is rows × D and every component reads the same row ('tied').
 */
@inline
function logProbFromProjection<T>(y: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, shared: i32): void {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  const rowStride = <usize>(shared ? D : K * D) * sz;
  const half = v128.splat<T>(<T>0.5);
  for (let n = 0; n < rows; n++) {
    const yrow = y + <usize>n * rowStride;
    const orow = out + <usize>n * <usize>K * sz;
    for (let k = 0; k < K; k++) {
      const yk = shared ? yrow : yrow + <usize>k * <usize>D * sz;
      const ck = c + <usize>k * <usize>D * sz;
      let acc = v128.splat<T>(0);
      let j = 0;
      for (; j + lanes <= D; j += lanes) {
        const o = <usize>j * sz;
        const d = v128.sub<T>(v128.load(yk + o), v128.load(ck + o));
        acc = v128.add<T>(acc, v128.mul<T>(d, d));
      }
      let s = hsum<T>(acc);
      for (; j < D; j++) {
        const o = <usize>j * sz;
        const d = load<T>(yk + o) - load<T>(ck + o);
        s += <f64>(d * d);
      }
      store<T>(orow + <usize>k * sz, <T>(<f64>load<T>(bias + <usize>k * sz) - 0.5 * s));
    }
  }
}

export function logProbFromProjectionF64(y: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, shared: i32): void {
  logProbFromProjection<f64>(y, c, bias, out, rows, K, D, shared);
}
export function logProbFromProjectionF32(y: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, shared: i32): void {
  logProbFromProjection<f32>(y, c, bias, out, rows, K, D, shared);
}


/**
 * The 'diag' / 'spherical' E-step's log-densities, without expanding the square:
 * out[n,k] = bias[k] − ½·Σ_d p[d,k]·(x[n,d] − m[d,k])². Expanding it into x²·p − 2x·(m∘p) + m²·p
 * (scikit-learn's formula, a GEMM on [x, x∘x]) cancels catastrophically when |x| is large
 * against the spread, worst in f32; the direct form keeps the relative accuracy of x − m at the
 * same cost (per (n, k, d): one subtraction and three products against two multiply-adds on two
 * columns). Vectorised across components: meansT and precT are D × ldk (ldk ≥ K rounded up to
 * 2·lanes, the padding finite), bias holds ldk values; tiles are 4 rows × 2 vectors of components.
 */
@inline
function diagLogProb<T>(x: usize, meansT: usize, precT: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, ldk: i32): void {
  const lanes = 16 / sizeof<T>();
  const NR = 2 * lanes;
  const sz = <usize>sizeof<T>();
  const ldx = <usize>D * sz;
  const ldm = <usize>ldk * sz;
  const ldo = <usize>K * sz;
  const zero = v128.splat<T>(0);
  const half = v128.splat<T>(<T>0.5);
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const rr = min(4, rows - r0);
    const x0 = x + <usize>r0 * ldx;
    const x1 = rr > 1 ? x0 + ldx : x0;
    const x2 = rr > 2 ? x1 + ldx : x0;
    const x3 = rr > 3 ? x2 + ldx : x0;
    for (let k0 = 0; k0 < K; k0 += NR) {
      let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
      const mk = meansT + <usize>k0 * sz;
      const pk = precT + <usize>k0 * sz;
      for (let d = 0; d < D; d++) {
        const o = <usize>d * ldm;
        const m0 = v128.load(mk + o), m1 = v128.load(mk + o, 16);
        const p0 = v128.load(pk + o), p1 = v128.load(pk + o, 16);
        const od = <usize>d * sz;
        let a = v128.splat<T>(load<T>(x0 + od));
        let t0 = v128.sub<T>(a, m0), t1 = v128.sub<T>(a, m1);
        a00 = v128.add<T>(a00, v128.mul<T>(v128.mul<T>(p0, t0), t0)); a01 = v128.add<T>(a01, v128.mul<T>(v128.mul<T>(p1, t1), t1));
        a = v128.splat<T>(load<T>(x1 + od));
        t0 = v128.sub<T>(a, m0); t1 = v128.sub<T>(a, m1);
        a10 = v128.add<T>(a10, v128.mul<T>(v128.mul<T>(p0, t0), t0)); a11 = v128.add<T>(a11, v128.mul<T>(v128.mul<T>(p1, t1), t1));
        a = v128.splat<T>(load<T>(x2 + od));
        t0 = v128.sub<T>(a, m0); t1 = v128.sub<T>(a, m1);
        a20 = v128.add<T>(a20, v128.mul<T>(v128.mul<T>(p0, t0), t0)); a21 = v128.add<T>(a21, v128.mul<T>(v128.mul<T>(p1, t1), t1));
        a = v128.splat<T>(load<T>(x3 + od));
        t0 = v128.sub<T>(a, m0); t1 = v128.sub<T>(a, m1);
        a30 = v128.add<T>(a30, v128.mul<T>(v128.mul<T>(p0, t0), t0)); a31 = v128.add<T>(a31, v128.mul<T>(v128.mul<T>(p1, t1), t1));
      }
      const b0 = v128.load(bias + <usize>k0 * sz), b1 = v128.load(bias + <usize>k0 * sz, 16);
      const o0 = out + (<usize>r0 * <usize>K + <usize>k0) * sz;
      const full = rr == 4 && k0 + NR <= K;
      const t = full ? o0 : diagEdge();
      const ldt = full ? ldo : <usize>NR * sz;
      v128.store(t, v128.sub<T>(b0, v128.mul<T>(half, a00))); v128.store(t, v128.sub<T>(b1, v128.mul<T>(half, a01)), 16);
      v128.store(t + ldt, v128.sub<T>(b0, v128.mul<T>(half, a10))); v128.store(t + ldt, v128.sub<T>(b1, v128.mul<T>(half, a11)), 16);
      v128.store(t + 2 * ldt, v128.sub<T>(b0, v128.mul<T>(half, a20))); v128.store(t + 2 * ldt, v128.sub<T>(b1, v128.mul<T>(half, a21)), 16);
      v128.store(t + 3 * ldt, v128.sub<T>(b0, v128.mul<T>(half, a30))); v128.store(t + 3 * ldt, v128.sub<T>(b1, v128.mul<T>(half, a31)), 16);
      if (full) continue;
      const kk = min(NR, K - k0);
      for (let i = 0; i < rr; i++) {
        for (let j = 0; j < kk; j++) store<T>(o0 + <usize>i * ldo + <usize>j * sz, load<T>(diagEdge() + <usize>(i * NR + j) * sz));
      }
    }
  }
}

export function diagLogProbF64(x: usize, meansT: usize, precT: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, ldk: i32): void {
  diagLogProb<f64>(x, meansT, precT, bias, out, rows, K, D, ldk);
}
export function diagLogProbF32(x: usize, meansT: usize, precT: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, ldk: i32): void {
  diagLogProb<f32>(x, meansT, precT, bias, out, rows, K, D, ldk);
}

export function diagScatterBlockF64(x: usize, resp: usize, centres: usize, s1: usize, s2: usize, rows: i32, K: i32, D: i32): void {
  diagScatterBlock<f64>(x, resp, centres, s1, s2, rows, K, D);
}
export function diagScatterBlockF32(x: usize, resp: usize, centres: usize, s1: usize, s2: usize, rows: i32, K: i32, D: i32): void {
  diagScatterBlock<f32>(x, resp, centres, s1, s2, rows, K, D);
}

/** y (f64) = x (f32), n elements (exact). */
export function castF32ToF64(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    v128.store(y + (<usize>i << 3), f64x2.promote_low_f32x4(v));
    v128.store(y + (<usize>i << 3), f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)), 16);
  }
  for (; i < n; i++) store<f64>(y + (<usize>i << 3), <f64>load<f32>(x + (<usize>i << 2)));
}

/** y (f32) = x (f64) rounded to nearest, n elements. */
export function castF64ToF32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3), 16));
    v128.store(y + (<usize>i << 2), v128.shuffle<u32>(lo, hi, 0, 1, 4, 5));
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
}

/**
 * Σ_i x_i log x_i with 0 log 0 = 0, accumulated in f64: minus the entropy of responsibilities,
 * which the variational bound of a Bayesian mixture needs.
 */
@inline
function sumXLogX<T>(x: usize, n: i32): f64 {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  const zero = v128.splat<T>(0);
  let acc: f64 = 0;
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const v = v128.load(x + <usize>i * sz);
    const t = v128.mul<T>(v, logV<T>(v));
    // Lanes where x = 0 hold 0·(−∞) = NaN: replace them by 0.
    acc += hsum<T>(v128.bitselect(zero, t, v128.eq<T>(v, zero)));
  }
  for (; i < n; i++) {
    const v = <f64>load<T>(x + <usize>i * sz);
    if (v != 0) acc += v * Math.log(v);
  }
  return acc;
}

export function sumXLogXF64(x: usize, n: i32): f64 { return sumXLogX<f64>(x, n); }
export function sumXLogXF32(x: usize, n: i32): f64 { return sumXLogX<f32>(x, n); }

/** Lane indices 0..lanes-1 and lanes..2·lanes-1 of a two-vector tile, as T values (for edge masks). */
@inline function laneIndex<T>(second: bool): v128 {
  if (sizeof<T>() == 8) return second ? f64x2(2, 3) : f64x2(0, 1);
  return second ? f32x4(4, 5, 6, 7) : f32x4(0, 1, 2, 3);
}

/**
 * The 'full' E-step's log-densities in one kernel: y = x·P_k for every component (P_all is
 * D × (K·D), block k holding P_k), then out[n,k] = bias[k] − ½‖y − c_k‖², without storing y.
 * When every P_k is triangular — upper after an M-step (P = L⁻ᵀ), lower from precisionsInit —
 * `tri` (1 upper, 2 lower, 0 general) skips the zero rows of P_k for each tile of columns, which
 * saves about a third of the flops at D = 16. Tiles are 4 rows × 2 vectors; P_all and c must be
 * readable for 2·lanes − 1 elements past their ends (the engine pads them).
 */
@inline
function projectLogProb<T>(x: usize, pAll: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, tri: i32): void {
  const lanes = 16 / sizeof<T>();
  const NR = 2 * lanes;
  const sz = <usize>sizeof<T>();
  const ldp = <usize>(K * D) * sz;
  const ldx = <usize>D * sz;
  const zero = v128.splat<T>(0);
  const idx0 = laneIndex<T>(false), idx1 = laneIndex<T>(true);
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const rr = min(4, rows - r0);
    const x0 = x + <usize>r0 * ldx;
    const x1 = rr > 1 ? x0 + ldx : x0;
    const x2 = rr > 2 ? x1 + ldx : x0;
    const x3 = rr > 3 ? x2 + ldx : x0;
    for (let k = 0; k < K; k++) {
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      for (let j0 = 0; j0 < D; j0 += NR) {
        const pLo = tri == 2 ? j0 : 0;
        const pHi = tri == 1 ? min(D, j0 + NR) : D;
        let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
        const col = pAll + <usize>(k * D + j0) * sz;
        for (let p = pLo; p < pHi; p++) {
          const bp = col + <usize>p * ldp;
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const o = <usize>p * sz;
          let a = v128.splat<T>(load<T>(x0 + o));
          a00 = v128.add<T>(a00, v128.mul<T>(a, b0)); a01 = v128.add<T>(a01, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(x1 + o));
          a10 = v128.add<T>(a10, v128.mul<T>(a, b0)); a11 = v128.add<T>(a11, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(x2 + o));
          a20 = v128.add<T>(a20, v128.mul<T>(a, b0)); a21 = v128.add<T>(a21, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(x3 + o));
          a30 = v128.add<T>(a30, v128.mul<T>(a, b0)); a31 = v128.add<T>(a31, v128.mul<T>(a, b1));
        }
        const cp = c + <usize>(k * D + j0) * sz;
        const c0 = v128.load(cp), c1 = v128.load(cp, 16);
        let d00 = v128.sub<T>(a00, c0), d01 = v128.sub<T>(a01, c1);
        let d10 = v128.sub<T>(a10, c0), d11 = v128.sub<T>(a11, c1);
        let d20 = v128.sub<T>(a20, c0), d21 = v128.sub<T>(a21, c1);
        let d30 = v128.sub<T>(a30, c0), d31 = v128.sub<T>(a31, c1);
        if (j0 + NR > D) {
          // Columns past D belong to the next component (or to padding): zero them.
          const w = v128.splat<T>(<T>(D - j0));
          const m0 = v128.lt<T>(idx0, w), m1 = v128.lt<T>(idx1, w);
          d00 = v128.and(d00, m0); d01 = v128.and(d01, m1);
          d10 = v128.and(d10, m0); d11 = v128.and(d11, m1);
          d20 = v128.and(d20, m0); d21 = v128.and(d21, m1);
          d30 = v128.and(d30, m0); d31 = v128.and(d31, m1);
        }
        s0 = v128.add<T>(s0, v128.add<T>(v128.mul<T>(d00, d00), v128.mul<T>(d01, d01)));
        s1 = v128.add<T>(s1, v128.add<T>(v128.mul<T>(d10, d10), v128.mul<T>(d11, d11)));
        s2 = v128.add<T>(s2, v128.add<T>(v128.mul<T>(d20, d20), v128.mul<T>(d21, d21)));
        s3 = v128.add<T>(s3, v128.add<T>(v128.mul<T>(d30, d30), v128.mul<T>(d31, d31)));
      }
      const bk = <f64>load<T>(bias + <usize>k * sz);
      const ok = out + (<usize>r0 * <usize>K + <usize>k) * sz;
      const ldo = <usize>K * sz;
      store<T>(ok, <T>(bk - 0.5 * hsum<T>(s0)));
      if (rr > 1) store<T>(ok + ldo, <T>(bk - 0.5 * hsum<T>(s1)));
      if (rr > 2) store<T>(ok + 2 * ldo, <T>(bk - 0.5 * hsum<T>(s2)));
      if (rr > 3) store<T>(ok + 3 * ldo, <T>(bk - 0.5 * hsum<T>(s3)));
    }
  }
}

export function projectLogProbF64(x: usize, pAll: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, tri: i32): void {
  projectLogProb<f64>(x, pAll, c, bias, out, rows, K, D, tri);
}
export function projectLogProbF32(x: usize, pAll: usize, c: usize, bias: usize, out: usize, rows: i32, K: i32, D: i32, tri: i32): void {
  projectLogProb<f32>(x, pAll, c, bias, out, rows, K, D, tri);
}

export function scatterBlockF64(x: usize, resp: usize, centres: usize, s: usize, z: usize, rows: i32, K: i32, D: i32): void {
  scatterBlock<f64>(x, resp, centres, s, z, rows, K, D);
}
export function scatterBlockF32(x: usize, resp: usize, centres: usize, s: usize, z: usize, rows: i32, K: i32, D: i32): void {
  scatterBlock<f32>(x, resp, centres, s, z, rows, K, D);
}
