/**
 * Exports of assembly/hmm.ts (f64 only: the chain recursions). Pointers are byte offsets into
 * wasm memory; sequences are stored one after another (N × K rows), `offsets` is an i32 array of
 * the nSeq + 1 prefix sums of their lengths (0, …, N); the chain recursions run over sequences
 * s0 … s1 − 1 (a block of whole sequences), the per-row kernels over N rows.
 */
export interface HmmKernels {
  /** b[n,k] = exp(logB[n,k] − m_n), m_n = max_k logB[n,k]. */
  emissionScale(logB: number, b: number, m: number, N: number, K: number): void;
  /** Scaled forward pass: alpha (N × K, rows sum to 1), scale (N), seqLogProb (nSeq); returns their Σ log p. */
  forwardScaled(b: number, m: number, offsets: number, s0: number, s1: number, startProb: number, transMat: number, alpha: number, scale: number, seqLogProb: number, K: number): number;
  /** Scaled backward pass into beta (N × K); u is K scratch values. */
  backwardScaled(b: number, offsets: number, s0: number, s1: number, transMat: number, scale: number, beta: number, u: number, K: number): void;
  /** post = alpha ∘ beta, rows renormalised (N × K). */
  posteriors(alpha: number, beta: number, post: number, N: number, K: number): void;
  /** xi (K × K) += expected transition counts; u is K scratch values. */
  transitionCounts(alpha: number, beta: number, b: number, scale: number, offsets: number, s0: number, s1: number, transMat: number, xi: number, u: number, K: number): void;
  /** Viterbi in log space: back (i32 N × K), path (i32 N), seqLogProb (nSeq), delta 2·K scratch; returns Σ best log p. */
  viterbi(logB: number, offsets: number, s0: number, s1: number, logStart: number, logTrans: number, delta: number, back: number, path: number, seqLogProb: number, K: number): number;
}
