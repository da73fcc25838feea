// Hidden Markov model kernels: scaled forward-backward, expected transition counts and Viterbi
// over a batch of sequences stored one after another (row-major, N × K). `offsets` is an i32
// array of nSeq + 1 prefix sums of the sequences' lengths (offsets[0] = 0, offsets[nSeq] = N):
// a kernel over sequences s0 … s1 − 1 finds their rows there, so that a thread pool's block of
// whole sequences (runtime/threads) starts where its first sequence does whatever the lengths
// before it, and writes only those rows and those sequences' entries. The per-row kernels
// (emissionScale, posteriors) take any range of rows. The chain recursions run in f64 whatever
// the data's element type: they multiply T terms, and the emission log-densities that feed them
// come from the (generic f32/f64) mixture kernels, cast to f64 once.
//
// Scaling (Rabiner 1989, §V.A): with b_t(k) = exp(log B_t(k) − m_t), m_t = max_k log B_t(k),
// the forward pass keeps α̂_t = α_t / Π_{s≤t} c_s normalised to sum 1, c_t its normaliser, so
// that log p(x_{1:T}) = Σ_t (log c_t + m_t) and nothing underflows however long the sequence.
import { expV, lane0 } from './vmath';

/** b[n,k] = exp(logB[n,k] − m_n), m_n = max_k logB[n,k] (a row of −∞ gives m = −∞ and b = NaN: callers check). */
export function emissionScale(logB: usize, b: usize, m: usize, N: i32, K: i32): void {
  for (let n = 0; n < N; n++) {
    const row = logB + <usize>(n * K) * 8;
    const out = b + <usize>(n * K) * 8;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = max(mx, load<f64>(row + <usize>k * 8));
    store<f64>(m + <usize>n * 8, mx);
    const vm = f64x2.splat(mx);
    let k = 0;
    for (; k + 2 <= K; k += 2) v128.store(out + <usize>k * 8, expV<f64>(f64x2.sub(v128.load(row + <usize>k * 8), vm)));
    for (; k < K; k++) store<f64>(out + <usize>k * 8, lane0<f64>(expV<f64>(f64x2.splat(load<f64>(row + <usize>k * 8) - mx))));
  }
}

/** y[j] = Σ_i x[i] A[i,j] (K × K row-major): a row-by-row axpy, SIMD over j. */
@inline
function vecMat(x: usize, A: usize, y: usize, K: i32): void {
  for (let j = 0; j < K; j++) store<f64>(y + <usize>j * 8, 0);
  for (let i = 0; i < K; i++) {
    const xi = load<f64>(x + <usize>i * 8);
    if (xi == 0) continue;
    const vx = f64x2.splat(xi);
    const row = A + <usize>(i * K) * 8;
    let j = 0;
    for (; j + 2 <= K; j += 2) {
      const o = <usize>j * 8;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(vx, v128.load(row + o))));
    }
    for (; j < K; j++) store<f64>(y + <usize>j * 8, load<f64>(y + <usize>j * 8) + xi * load<f64>(row + <usize>j * 8));
  }
}

/** Σ_j a[j]·u[j], SIMD. */
@inline
function dot(a: usize, u: usize, K: i32): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= K; j += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(a + <usize>j * 8), v128.load(u + <usize>j * 8)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < K; j++) s += load<f64>(a + <usize>j * 8) * load<f64>(u + <usize>j * 8);
  return s;
}

/** offsets[s]: the first row of sequence s. */
@inline
function rowOf(offsets: usize, s: i32): i32 {
  return load<i32>(offsets + <usize>s * 4);
}

/**
 * Scaled forward pass over sequences s0 … s1 − 1: alpha (N × K) holds α̂_t (rows summing to 1),
 * scale (N) the normalisers c_t, seqLogProb (nSeq) each sequence's log p = Σ_t (log c_t + m_t).
 * Returns their Σ log p (−∞ when some observation is impossible under the model, NaN on NaN input).
 */
export function forwardScaled(b: usize, m: usize, offsets: usize, s0: i32, s1: i32, startProb: usize, transMat: usize, alpha: usize, scale: usize, seqLogProb: usize, K: i32): f64 {
  let total: f64 = 0;
  for (let s = s0; s < s1; s++) {
    const t0 = rowOf(offsets, s), T = rowOf(offsets, s + 1) - t0;
    let lp: f64 = 0;
    for (let t = t0; t < t0 + T; t++) {
      const at = alpha + <usize>(t * K) * 8;
      const bt = b + <usize>(t * K) * 8;
      // α_t ∝ (α̂_{t−1} A) ∘ b_t, or π ∘ b_1 at a sequence's start.
      if (t == t0) for (let k = 0; k < K; k++) store<f64>(at + <usize>k * 8, load<f64>(startProb + <usize>k * 8));
      else vecMat(at - <usize>K * 8, transMat, at, K);
      let c: f64 = 0;
      for (let k = 0; k < K; k++) {
        const v = load<f64>(at + <usize>k * 8) * load<f64>(bt + <usize>k * 8);
        store<f64>(at + <usize>k * 8, v);
        c += v;
      }
      const inv = 1 / c;
      for (let k = 0; k < K; k++) store<f64>(at + <usize>k * 8, load<f64>(at + <usize>k * 8) * inv);
      store<f64>(scale + <usize>t * 8, c);
      lp += Math.log(c) + load<f64>(m + <usize>t * 8);
    }
    store<f64>(seqLogProb + <usize>s * 8, lp);
    total += lp;
  }
  return total;
}

/**
 * Scaled backward pass over sequences s0 … s1 − 1: β̂_T = 1, β̂_t(i) = Σ_j A[i,j] b_{t+1}(j) β̂_{t+1}(j) / c_{t+1}, so that
 * α̂_t ∘ β̂_t is the posterior p(z_t | x) (rows sum to 1). `u` is K scratch values.
 */
export function backwardScaled(b: usize, offsets: usize, s0: i32, s1: i32, transMat: usize, scale: usize, beta: usize, u: usize, K: i32): void {
  for (let s = s0; s < s1; s++) {
    const t0 = rowOf(offsets, s), T = rowOf(offsets, s + 1) - t0;
    const last = beta + <usize>((t0 + T - 1) * K) * 8;
    for (let k = 0; k < K; k++) store<f64>(last + <usize>k * 8, 1);
    for (let t = t0 + T - 2; t >= t0; t--) {
      const next = beta + <usize>((t + 1) * K) * 8;
      const bn = b + <usize>((t + 1) * K) * 8;
      const inv = 1 / load<f64>(scale + <usize>(t + 1) * 8);
      for (let j = 0; j < K; j++) store<f64>(u + <usize>j * 8, load<f64>(bn + <usize>j * 8) * load<f64>(next + <usize>j * 8) * inv);
      const bt = beta + <usize>(t * K) * 8;
      for (let i = 0; i < K; i++) store<f64>(bt + <usize>i * 8, dot(transMat + <usize>(i * K) * 8, u, K));
    }
  }
}

/** post[n,k] = α̂[n,k]·β̂[n,k], renormalised per row (the product sums to 1 up to rounding). */
export function posteriors(alpha: usize, beta: usize, post: usize, N: i32, K: i32): void {
  for (let n = 0; n < N; n++) {
    const o = <usize>(n * K) * 8;
    let s: f64 = 0;
    for (let k = 0; k < K; k++) {
      const v = load<f64>(alpha + o + <usize>k * 8) * load<f64>(beta + o + <usize>k * 8);
      store<f64>(post + o + <usize>k * 8, v);
      s += v;
    }
    const inv = 1 / s;
    for (let k = 0; k < K; k++) store<f64>(post + o + <usize>k * 8, load<f64>(post + o + <usize>k * 8) * inv);
  }
}

/**
 * Expected transition counts summed over time and sequences s0 … s1 − 1 (Baum-Welch's ξ):
 * xi[i,j] += Σ_t α̂_t(i) A[i,j] b_{t+1}(j) β̂_{t+1}(j) / c_{t+1}. xi (K × K) is accumulated into,
 * not cleared; `u` is K scratch values.
 */
export function transitionCounts(alpha: usize, beta: usize, b: usize, scale: usize, offsets: usize, s0: i32, s1: i32, transMat: usize, xi: usize, u: usize, K: i32): void {
  for (let s = s0; s < s1; s++) {
    const t0 = rowOf(offsets, s), T = rowOf(offsets, s + 1) - t0;
    for (let t = t0; t < t0 + T - 1; t++) {
      const next = beta + <usize>((t + 1) * K) * 8;
      const bn = b + <usize>((t + 1) * K) * 8;
      const inv = 1 / load<f64>(scale + <usize>(t + 1) * 8);
      for (let j = 0; j < K; j++) store<f64>(u + <usize>j * 8, load<f64>(bn + <usize>j * 8) * load<f64>(next + <usize>j * 8) * inv);
      const at = alpha + <usize>(t * K) * 8;
      for (let i = 0; i < K; i++) {
        const ai = load<f64>(at + <usize>i * 8);
        if (ai == 0) continue;
        const va = f64x2.splat(ai);
        const arow = transMat + <usize>(i * K) * 8;
        const xrow = xi + <usize>(i * K) * 8;
        let j = 0;
        for (; j + 2 <= K; j += 2) {
          const o = <usize>j * 8;
          v128.store(xrow + o, f64x2.add(v128.load(xrow + o), f64x2.mul(va, f64x2.mul(v128.load(arow + o), v128.load(u + o)))));
        }
        for (; j < K; j++) {
          const o = <usize>j * 8;
          store<f64>(xrow + o, load<f64>(xrow + o) + ai * load<f64>(arow + o) * load<f64>(u + o));
        }
      }
    }
  }
}

/**
 * Viterbi in log space over sequences s0 … s1 − 1: δ_1 = log π + log B_1, δ_t(j) = max_i (δ_{t−1}(i) + log A[i,j]) + log B_t(j),
 * back-pointers in `back` (i32, N × K), the best path in `path` (i32, N), each sequence's best
 * log-probability in seqLogProb. `delta` is 2·K scratch values. Ties go to the lowest index.
 * Returns Σ over those sequences of the best log-probabilities.
 */
export function viterbi(logB: usize, offsets: usize, s0: i32, s1: i32, logStart: usize, logTrans: usize, delta: usize, back: usize, path: usize, seqLogProb: usize, K: i32): f64 {
  let total: f64 = 0;
  const prev = delta, cur = delta + <usize>K * 8;
  for (let s = s0; s < s1; s++) {
    const t0 = rowOf(offsets, s), T = rowOf(offsets, s + 1) - t0;
    for (let k = 0; k < K; k++) store<f64>(prev + <usize>k * 8, load<f64>(logStart + <usize>k * 8) + load<f64>(logB + <usize>((t0 * K) + k) * 8));
    for (let t = t0 + 1; t < t0 + T; t++) {
      for (let j = 0; j < K; j++) {
        let best = -Infinity, arg = 0;
        for (let i = 0; i < K; i++) {
          const v = load<f64>(prev + <usize>i * 8) + load<f64>(logTrans + <usize>(i * K + j) * 8);
          if (v > best) { best = v; arg = i; }
        }
        store<f64>(cur + <usize>j * 8, best + load<f64>(logB + <usize>(t * K + j) * 8));
        store<i32>(back + <usize>(t * K + j) * 4, arg);
      }
      memory.copy(prev, cur, <usize>K * 8);
    }
    let best = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      const v = load<f64>(prev + <usize>k * 8);
      if (v > best) { best = v; arg = k; }
    }
    store<f64>(seqLogProb + <usize>s * 8, best);
    total += best;
    store<i32>(path + <usize>(t0 + T - 1) * 4, arg);
    for (let t = t0 + T - 1; t > t0; t--) {
      arg = load<i32>(back + <usize>(t * K + arg) * 4);
      store<i32>(path + <usize>(t - 1) * 4, arg);
    }
  }
  return total;
}
