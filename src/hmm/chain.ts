/**
 * Exact inference on a chain, given the emission log-densities: the scaled forward-backward pass
 * (posteriors p(z_t | x), expected transition counts, log p(x)) and Viterbi, over a batch of
 * sequences. One function each, running either the wasm kernels (assembly/hmm.ts) or their
 * plain-TypeScript twins (src/reference/hmm.ts): the same algorithm, so tests hold them together.
 */
import { ValueError } from '../runtime/errors.js';
import { kernels } from '../runtime/kernels.js';
import { wasmMemory, withWorkspace } from '../runtime/memory.js';
import * as ref from '../reference/hmm.js';

/** Which implementation runs the chain recursions. */
export type ChainEngine = 'wasm' | 'reference';

/** What {@link forwardBackward} computes. */
export interface ForwardBackwardResult {
  /** Σ over sequences of log p(x_seq). */
  logProb: number;
  /** log p of each sequence. */
  seqLogProb: Float64Array;
  /** p(z_t = k | x), N × K (when asked for). */
  posteriors: Float64Array | null;
  /** Σ_t p(z_t = i, z_{t+1} = j | x) summed over sequences, K × K (when asked for). */
  transitionCounts: Float64Array | null;
}

/** Inputs of the chain recursions: logB (N × K), lengths (sum N), π (K), A (K × K). */
export interface ChainInput {
  logB: Float64Array;
  lengths: Int32Array;
  startProb: Float64Array;
  transMat: Float64Array;
  K: number;
}

/** Bytes as f32 elements, the unit Workspace allocates i32 buffers in. */
const int32Buffer = (ws: { f32(n: number): { ptr: number } }, n: number) => ws.f32(n);

/**
 * The scaled forward-backward pass. Throws a ValueError when some sequence has probability 0
 * (an observation impossible under the model) or the input holds NaN.
 */
export function forwardBackward(input: ChainInput, want: { posteriors?: boolean; transitionCounts?: boolean }, engine: ChainEngine = 'wasm'): ForwardBackwardResult {
  const { logB, lengths, startProb, transMat, K } = input;
  const N = logB.length / K;
  const nSeq = lengths.length;
  const needBeta = want.posteriors || want.transitionCounts;
  const out: ForwardBackwardResult = {
    logProb: 0, seqLogProb: new Float64Array(nSeq),
    posteriors: want.posteriors ? new Float64Array(N * K) : null,
    transitionCounts: want.transitionCounts ? new Float64Array(K * K) : null,
  };
  if (engine === 'reference') {
    const b = new Float64Array(N * K), m = new Float64Array(N), alpha = new Float64Array(N * K), scale = new Float64Array(N);
    ref.emissionScale(logB, b, m, N, K);
    out.logProb = ref.forwardScaled(b, m, lengths, nSeq, startProb, transMat, alpha, scale, out.seqLogProb, K);
    checkLogProb(out.logProb);
    if (needBeta) {
      const beta = new Float64Array(N * K), u = new Float64Array(K);
      ref.backwardScaled(b, lengths, nSeq, transMat, scale, beta, u, K);
      if (out.posteriors) ref.posteriors(alpha, beta, out.posteriors, N, K);
      if (out.transitionCounts) ref.transitionCounts(alpha, beta, b, scale, lengths, nSeq, transMat, out.transitionCounts, u, K);
    }
    return out;
  }
  return withWorkspace((ws) => {
    const k = kernels();
    const lb = ws.copyIn(logB, 'f64');
    const len = int32Buffer(ws, nSeq);
    new Int32Array(wasmMemory().buffer, len.ptr, nSeq).set(lengths);
    const pi = ws.copyIn(startProb, 'f64'), A = ws.copyIn(transMat, 'f64');
    const m = ws.f64(N), alpha = ws.f64(N * K), scale = ws.f64(N), slp = ws.f64(nSeq), u = ws.f64(K);
    // b = exp(logB − m) takes logB's place: the log-densities are not needed again.
    k.emissionScale(lb.ptr, lb.ptr, m.ptr, N, K);
    out.logProb = k.forwardScaled(lb.ptr, m.ptr, len.ptr, nSeq, pi.ptr, A.ptr, alpha.ptr, scale.ptr, slp.ptr, K);
    checkLogProb(out.logProb);
    out.seqLogProb.set(slp.view());
    if (needBeta) {
      const beta = ws.f64(N * K);
      k.backwardScaled(lb.ptr, len.ptr, nSeq, A.ptr, scale.ptr, beta.ptr, u.ptr, K);
      if (out.transitionCounts) {
        const xi = ws.f64(K * K).set(new Float64Array(K * K));
        k.transitionCounts(alpha.ptr, beta.ptr, lb.ptr, scale.ptr, len.ptr, nSeq, A.ptr, xi.ptr, u.ptr, K);
        out.transitionCounts.set(xi.view());
      }
      if (out.posteriors) {
        // The posteriors overwrite beta, which is no longer needed.
        k.posteriors(alpha.ptr, beta.ptr, beta.ptr, N, K);
        out.posteriors.set(beta.view());
      }
    }
    return out;
  });
}

/** The most probable state path and its log-probability (Viterbi), per sequence and in total. */
export function viterbiPath(input: ChainInput, engine: ChainEngine = 'wasm'): { logProb: number; seqLogProb: Float64Array; states: Int32Array } {
  const { logB, lengths, startProb, transMat, K } = input;
  const N = logB.length / K;
  const nSeq = lengths.length;
  const logStart = startProb.map(Math.log), logTrans = transMat.map(Math.log);
  const states = new Int32Array(N);
  const seqLogProb = new Float64Array(nSeq);
  let logProb: number;
  if (engine === 'reference') {
    logProb = ref.viterbi(logB, lengths, nSeq, logStart, logTrans, new Float64Array(2 * K), new Int32Array(N * K), states, seqLogProb, K);
  } else {
    logProb = withWorkspace((ws) => {
      const lb = ws.copyIn(logB, 'f64');
      const len = int32Buffer(ws, nSeq);
      const ls = ws.copyIn(logStart, 'f64'), lt = ws.copyIn(logTrans, 'f64');
      const delta = ws.f64(2 * K), back = int32Buffer(ws, N * K), path = int32Buffer(ws, N), slp = ws.f64(nSeq);
      new Int32Array(wasmMemory().buffer, len.ptr, nSeq).set(lengths);
      const lp = kernels().viterbi(lb.ptr, len.ptr, nSeq, ls.ptr, lt.ptr, delta.ptr, back.ptr, path.ptr, slp.ptr, K);
      states.set(new Int32Array(wasmMemory().buffer, path.ptr, N));
      seqLogProb.set(slp.view());
      return lp;
    });
  }
  checkLogProb(logProb);
  return { logProb, seqLogProb, states };
}

function checkLogProb(lp: number): void {
  if (Number.isNaN(lp)) throw new ValueError('the log-likelihood is NaN: the parameters or the data hold NaN');
  if (lp === -Infinity) {
    throw new ValueError('some sequence has probability 0 under the model (an observation no state can emit, or a transition of probability 0 that every path needs)');
  }
}
