// Gaussian-mixture E-step pieces that follow the GEMMs (see KERNELS.md): the Mahalanobis sums of
// Cholesky-whitened rows, the per-component affine map to log N(x | μ_k, Σ_k) + log w_k, and the
// element-type casts that let f32 E-steps feed f64 sufficient statistics.
import { hsum } from './simd';
import { logV } from './vmath';

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

/** x[n,k] = alpha·x[n,k] + b[k] over a rows × cols matrix (the diag/spherical E-step's last step). */
@inline
function affineCols<T>(x: usize, alpha: f64, b: usize, rows: i32, cols: i32): void {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  const va = v128.splat<T>(<T>alpha);
  for (let n = 0; n < rows; n++) {
    const row = x + <usize>n * <usize>cols * sz;
    let k = 0;
    for (; k + lanes <= cols; k += lanes) {
      const o = <usize>k * sz;
      v128.store(row + o, v128.add<T>(v128.mul<T>(va, v128.load(row + o)), v128.load(b + o)));
    }
    for (; k < cols; k++) {
      const o = <usize>k * sz;
      store<T>(row + o, <T>alpha * load<T>(row + o) + load<T>(b + o));
    }
  }
}

export function affineColsF64(x: usize, alpha: f64, b: usize, rows: i32, cols: i32): void {
  affineCols<f64>(x, alpha, b, rows, cols);
}
export function affineColsF32(x: usize, alpha: f64, b: usize, rows: i32, cols: i32): void {
  affineCols<f32>(x, alpha, b, rows, cols);
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
