/**
 * Plain-TypeScript twins of assembly/hmm.ts: same names, same argument order, over typed arrays.
 * `offsets` holds the nSeq + 1 prefix sums of the sequences' lengths; the chain recursions run
 * over sequences s0 … s1 − 1.
 */

/** b[n,k] = exp(logB[n,k] − m_n), m_n = max_k logB[n,k]. */
export function emissionScale(logB: Float64Array, b: Float64Array, m: Float64Array, N: number, K: number): void {
  for (let n = 0; n < N; n++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, logB[n * K + k]);
    m[n] = mx;
    for (let k = 0; k < K; k++) b[n * K + k] = Math.exp(logB[n * K + k] - mx);
  }
}

/** Scaled forward pass; returns Σ over the sequences of log p = Σ_t (log c_t + m_t). */
export function forwardScaled(b: Float64Array, m: Float64Array, offsets: Int32Array, s0: number, s1: number, startProb: Float64Array, transMat: Float64Array, alpha: Float64Array, scale: Float64Array, seqLogProb: Float64Array, K: number): number {
  let total = 0;
  for (let s = s0; s < s1; s++) {
    const t0 = offsets[s], T = offsets[s + 1] - t0;
    let lp = 0;
    for (let t = t0; t < t0 + T; t++) {
      let c = 0;
      for (let j = 0; j < K; j++) {
        let a = 0;
        if (t === t0) a = startProb[j];
        else for (let i = 0; i < K; i++) a += alpha[(t - 1) * K + i] * transMat[i * K + j];
        a *= b[t * K + j];
        alpha[t * K + j] = a;
        c += a;
      }
      for (let j = 0; j < K; j++) alpha[t * K + j] *= 1 / c;
      scale[t] = c;
      lp += Math.log(c) + m[t];
    }
    seqLogProb[s] = lp;
    total += lp;
  }
  return total;
}

/** Scaled backward pass (β̂_T = 1); `u` is K scratch values. */
export function backwardScaled(b: Float64Array, offsets: Int32Array, s0: number, s1: number, transMat: Float64Array, scale: Float64Array, beta: Float64Array, u: Float64Array, K: number): void {
  for (let s = s0; s < s1; s++) {
    const t0 = offsets[s], T = offsets[s + 1] - t0;
    for (let k = 0; k < K; k++) beta[(t0 + T - 1) * K + k] = 1;
    for (let t = t0 + T - 2; t >= t0; t--) {
      for (let j = 0; j < K; j++) u[j] = b[(t + 1) * K + j] * beta[(t + 1) * K + j] * (1 / scale[t + 1]);
      for (let i = 0; i < K; i++) {
        let v = 0;
        for (let j = 0; j < K; j++) v += transMat[i * K + j] * u[j];
        beta[t * K + i] = v;
      }
    }
  }
}

/** post = α̂ ∘ β̂, rows renormalised. */
export function posteriors(alpha: Float64Array, beta: Float64Array, post: Float64Array, N: number, K: number): void {
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (post[n * K + k] = alpha[n * K + k] * beta[n * K + k]);
    for (let k = 0; k < K; k++) post[n * K + k] *= 1 / s;
  }
}

/** xi[i,j] += Σ_t α̂_t(i) A[i,j] b_{t+1}(j) β̂_{t+1}(j) / c_{t+1}. */
export function transitionCounts(alpha: Float64Array, beta: Float64Array, b: Float64Array, scale: Float64Array, offsets: Int32Array, s0: number, s1: number, transMat: Float64Array, xi: Float64Array, u: Float64Array, K: number): void {
  for (let s = s0; s < s1; s++) {
    const t0 = offsets[s], T = offsets[s + 1] - t0;
    for (let t = t0; t < t0 + T - 1; t++) {
      for (let j = 0; j < K; j++) u[j] = b[(t + 1) * K + j] * beta[(t + 1) * K + j] * (1 / scale[t + 1]);
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) xi[i * K + j] += alpha[t * K + i] * (transMat[i * K + j] * u[j]);
    }
  }
}

/** Viterbi in log space; returns the sum of the sequences' best log-probabilities. */
export function viterbi(logB: Float64Array, offsets: Int32Array, s0: number, s1: number, logStart: Float64Array, logTrans: Float64Array, delta: Float64Array, back: Int32Array, path: Int32Array, seqLogProb: Float64Array, K: number): number {
  let total = 0;
  for (let s = s0; s < s1; s++) {
    const t0 = offsets[s], T = offsets[s + 1] - t0;
    const prev = new Float64Array(K);
    for (let k = 0; k < K; k++) prev[k] = logStart[k] + logB[t0 * K + k];
    for (let t = t0 + 1; t < t0 + T; t++) {
      for (let j = 0; j < K; j++) {
        let best = -Infinity, arg = 0;
        for (let i = 0; i < K; i++) {
          const v = prev[i] + logTrans[i * K + j];
          if (v > best) { best = v; arg = i; }
        }
        delta[K + j] = best + logB[t * K + j];
        back[t * K + j] = arg;
      }
      prev.set(delta.subarray(K, 2 * K));
    }
    let best = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) if (prev[k] > best) { best = prev[k]; arg = k; }
    seqLogProb[s] = best;
    total += best;
    path[t0 + T - 1] = arg;
    for (let t = t0 + T - 1; t > t0; t--) path[t - 1] = arg = back[t * K + arg];
  }
  return total;
}
