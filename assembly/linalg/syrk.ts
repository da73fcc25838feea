// Weighted scatter matrix S = Σ_i w_i (x_i − μ)(x_i − μ)ᵀ + beta·S: the Gaussian mixture's
// covariance M-step (KERNELS.md: the centred form keeps its digits when means are large
// against the spread). Only the lower triangle is accumulated, row by row so every inner loop
// is contiguous, and then mirrored, which makes S exactly symmetric at half a GEMM's flops.
import { scaleOutput } from './vector';

/** Samples folded into each pass over the triangle (one load and store of S per SAMPLES). */
const SAMPLES = 4;

@inline
export function syrkWeighted<T>(x: usize, w: usize, mean: usize, s: usize, n: i32, d: i32, beta: T): void {
  const ld = <usize>d * sizeof<T>();
  for (let r = 0; r < d; r++) scaleOutput<T>(r + 1, beta, s + <usize>r * ld);
  let i = 0;
  if (mean != 0) {
    for (; i + SAMPLES <= n; i += SAMPLES) addSamples<T>(x + <usize>i * ld, w + <usize>i * sizeof<T>(), mean, s, d, SAMPLES, true);
    if (i < n) addSamples<T>(x + <usize>i * ld, w + <usize>i * sizeof<T>(), mean, s, d, n - i, true);
  } else {
    for (; i + SAMPLES <= n; i += SAMPLES) addSamples<T>(x + <usize>i * ld, w + <usize>i * sizeof<T>(), 0, s, d, SAMPLES, false);
    if (i < n) addSamples<T>(x + <usize>i * ld, w + <usize>i * sizeof<T>(), 0, s, d, n - i, false);
  }
  // Mirror: S[c][r] = S[r][c] for c < r.
  for (let r = 1; r < d; r++) {
    for (let c = 0; c < r; c++) {
      store<T>(s + <usize>c * ld + <usize>r * sizeof<T>(), load<T>(s + <usize>r * ld + <usize>c * sizeof<T>()));
    }
  }
}

/**
 * Lower triangle of S += Σ_{j<count} w_j z_j z_jᵀ with z_j = x_j − μ (or x_j when not centred),
 * for up to SAMPLES consecutive rows of x; missing rows get weight 0 and alias row 0.
 * Row r of S gains Σ_j (w_j z_jr)·z_j[0:r+1]; z is formed on the fly, never stored.
 */
@inline
function addSamples<T>(x: usize, w: usize, mean: usize, s: usize, d: i32, count: i32, centred: bool): void {
  const lanes = 16 / sizeof<T>();
  const ld = <usize>d * sizeof<T>();
  const x0 = x;
  const x1 = count > 1 ? x0 + ld : x0;
  const x2 = count > 2 ? x1 + ld : x0;
  const x3 = count > 3 ? x2 + ld : x0;
  const w0 = load<T>(w);
  const w1: T = count > 1 ? load<T>(w, sizeof<T>()) : 0;
  const w2: T = count > 2 ? load<T>(w, 2 * sizeof<T>()) : 0;
  const w3: T = count > 3 ? load<T>(w, 3 * sizeof<T>()) : 0;
  for (let r = 0; r < d; r++) {
    const or = <usize>r * sizeof<T>();
    const mr: T = centred ? load<T>(mean + or) : 0;
    const f0 = w0 * (load<T>(x0 + or) - mr), f1 = w1 * (load<T>(x1 + or) - mr);
    const f2 = w2 * (load<T>(x2 + or) - mr), f3 = w3 * (load<T>(x3 + or) - mr);
    const v0 = v128.splat<T>(f0), v1 = v128.splat<T>(f1), v2 = v128.splat<T>(f2), v3 = v128.splat<T>(f3);
    const row = s + <usize>r * ld;
    const len = r + 1;
    let c = 0;
    for (; c + lanes <= len; c += lanes) {
      const o = <usize>c * sizeof<T>();
      const mv = centred ? v128.load(mean + o) : v128.splat<T>(0);
      let acc = v128.load(row + o);
      acc = v128.add<T>(acc, v128.mul<T>(v0, v128.sub<T>(v128.load(x0 + o), mv)));
      acc = v128.add<T>(acc, v128.mul<T>(v1, v128.sub<T>(v128.load(x1 + o), mv)));
      acc = v128.add<T>(acc, v128.mul<T>(v2, v128.sub<T>(v128.load(x2 + o), mv)));
      acc = v128.add<T>(acc, v128.mul<T>(v3, v128.sub<T>(v128.load(x3 + o), mv)));
      v128.store(row + o, acc);
    }
    for (; c < len; c++) {
      const o = <usize>c * sizeof<T>();
      const mc: T = centred ? load<T>(mean + o) : 0;
      store<T>(row + o, load<T>(row + o) + f0 * (load<T>(x0 + o) - mc) + f1 * (load<T>(x1 + o) - mc) +
        f2 * (load<T>(x2 + o) - mc) + f3 * (load<T>(x3 + o) - mc));
    }
  }
}
