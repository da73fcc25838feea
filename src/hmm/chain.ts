/**
 * Exact inference on a chain, given the emission log-densities: the scaled forward-backward pass
 * (posteriors p(z_t | x), expected transition counts, log p(x)) and Viterbi, over a batch of
 * sequences. One function each, running either the wasm kernels (assembly/hmm.ts) or their
 * plain-TypeScript twins (src/reference/hmm.ts): the same algorithm, so tests hold them together.
 *
 * The wasm kernels run as jobs on the thread pool (runtime/threads): the per-row steps
 * (emissionScale, posteriors) in blocks of rows, the recursions in blocks of whole sequences
 * (each sequence's recursion is serial), of sizes fixed by the data's shape alone. Each block
 * writes its own rows, its sequences' log p and its own transition counts; the log p are added
 * sequence by sequence and the counts block by block here, so the bytes of a result do not
 * depend on the number of threads.
 */
import { ValueError } from '../runtime/errors.js';
import { Buffer, wasmMemory, withWorkspace, type Workspace } from '../runtime/memory.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';
import type { BlockStep } from '../runtime/threads/block-job.js';
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

/**
 * Inputs of the chain recursions: logB (N × K), lengths (sum N), π (K), A (K × K). logB may be an
 * f64 buffer in wasm memory (an emission model's output), read there without a copy and left
 * unchanged.
 */
export interface ChainInput {
  logB: Float64Array | Buffer;
  lengths: Int32Array;
  startProb: Float64Array;
  transMat: Float64Array;
  K: number;
}

/** Values of a per-row block (rows·K): ≈ 512 KiB of f64, in cache. */
const ROW_BLOCK_VALUES = 65536;
const MIN_BLOCK_ROWS = 16;
/**
 * Blocks at least, when the data allow (MIN_BLOCK_ROWS rows or one sequence each), for the
 * pool's threads to share; like every block size, fixed by the data's shape, never by the
 * number of threads.
 */
const MIN_BLOCKS = 16;
/**
 * Rows·K² of a sequence block, at least: each of the forward, backward and ξ recursions does
 * about K² multiply-adds a row, so a block of this much work (≈ 0.1 ms) outweighs the cost of
 * claiming it.
 */
const SEQUENCE_BLOCK_WORK = 65536;
/** Bytes the per-block transition counts (K² each) may take in all: past it, blocks hold more sequences. */
const COUNTS_BUDGET_BYTES = 64 * 2 ** 20;

/** Rows of a block of the per-row steps (emission scaling, posteriors) over N rows of K states. */
export function rowBlockRows(N: number, K: number): number {
  const byValues = Math.max(MIN_BLOCK_ROWS, Math.floor(ROW_BLOCK_VALUES / K));
  return Math.max(1, Math.min(N, Math.max(MIN_BLOCK_ROWS, Math.min(Math.ceil(N / MIN_BLOCKS), byValues))));
}

/**
 * Sequences of a block of the recursions over nSeq sequences of N rows in all: blocks of
 * SEQUENCE_BLOCK_WORK rows·K² on average, fewer sequences when that leaves less than MIN_BLOCKS
 * blocks, more when the blocks' transition counts (`counts`: when they are computed) would pass
 * COUNTS_BUDGET_BYTES. A sequence is never split: one long sequence is one block.
 */
export function sequenceBlockSize(nSeq: number, N: number, K: number, counts: boolean): number {
  const workRows = Math.ceil(SEQUENCE_BLOCK_WORK / (K * K));
  const byWork = Math.ceil((workRows * nSeq) / N);
  const bySpread = Math.ceil(nSeq / MIN_BLOCKS);
  const byBudget = counts ? Math.ceil((nSeq * K * K * 8) / COUNTS_BUDGET_BYTES) : 1;
  return Math.max(1, byBudget, Math.min(byWork, bySpread));
}

/** Bytes of a cache line: what one thread writes in a row's loop must not share one with another thread. */
const CACHE_LINE = 64;

/**
 * `count` slots of `bytes` each, every slot starting a cache line of its own: per-thread scratch
 * and per-block partial sums, which a thread writes at every row (adjacent slots 16-byte aligned
 * would share lines between threads, each write invalidating the other's copy).
 */
function lineSlots(ws: Workspace, bytes: number, count: number): { ptr: number; stride: number } {
  const stride = Math.ceil(bytes / CACHE_LINE) * CACHE_LINE;
  const buf = ws.f64((count * stride + CACHE_LINE) / 8);
  return { ptr: Math.ceil(buf.ptr / CACHE_LINE) * CACHE_LINE, stride };
}

/** offsets[s] = the first row of sequence s; offsets[nSeq] = N. */
function prefixSums(lengths: Int32Array): Int32Array {
  const o = new Int32Array(lengths.length + 1);
  for (let s = 0; s < lengths.length; s++) o[s + 1] = o[s] + lengths[s];
  return o;
}

/** The sequences' offsets in wasm memory (i32; Workspace allocates them as f32 elements). */
function offsetsIn(ws: Workspace, lengths: Int32Array): Buffer {
  const o = prefixSums(lengths);
  const buf = ws.f32(o.length);
  new Int32Array(wasmMemory().buffer, buf.ptr, o.length).set(o);
  return buf;
}

/** Σ of the sequences' log p, sequence after sequence (the same bytes whatever the blocks). */
function sumInOrder(v: ArrayLike<number>): number {
  let total = 0;
  for (let s = 0; s < v.length; s++) total += v[s];
  return total;
}

/** A row range argument: `ptr` moves by `rowBytes` per row. */
const perRow = (ptr: number, rowBytes: number) => ({ base: ptr, perRow: rowBytes });
/** A block's first sequence and its end (the job's rows are sequences). */
const FIRST = { perRow: 1 };
const END = { perRow: 1, rows: 1 };

/** logB as an array (the reference engine's input). */
const asArray = (logB: Float64Array | Buffer): Float64Array => (logB instanceof Float64Array ? logB : logB.readF64());

/**
 * The scaled forward-backward pass. Throws a ValueError when some sequence has probability 0
 * (an observation impossible under the model) or the input holds NaN.
 * @param want.posteriors true, or an f64 buffer of N × K values in wasm memory to write them
 *   into (a fit's, for every iteration: a new array of that size each fit costs its page faults,
 *   more than the densities on this VM); the result's posteriors are then a view of it, valid
 *   until wasm memory next grows
 */
export function forwardBackward(input: ChainInput, want: { posteriors?: boolean | Buffer; transitionCounts?: boolean }, engine: ChainEngine = 'wasm'): ForwardBackwardResult {
  const { lengths, K } = input;
  const N = input.logB.length / K;
  const into = want.posteriors instanceof Buffer ? want.posteriors : null;
  if (into && into.length !== N * K) throw new ValueError(`posteriors must hold N·K = ${N * K} values; got ${into.length}`);
  const out: ForwardBackwardResult = {
    logProb: 0, seqLogProb: new Float64Array(lengths.length),
    posteriors: want.posteriors && !into ? new Float64Array(N * K) : null,
    transitionCounts: want.transitionCounts ? new Float64Array(K * K) : null,
  };
  const result = chainPass(input, want, out, into, engine);
  // Taken after the pass's workspace is gone: nothing allocates between here and the caller.
  if (into) result.posteriors = into.view() as Float64Array;
  return result;
}

/** forwardBackward's pass; the posteriors go into `into` when given, else into out.posteriors. */
function chainPass(input: ChainInput, want: { posteriors?: boolean | Buffer; transitionCounts?: boolean }, out: ForwardBackwardResult, into: Buffer | null, engine: ChainEngine): ForwardBackwardResult {
  const { lengths, startProb, transMat, K } = input;
  const N = input.logB.length / K;
  const nSeq = lengths.length;
  const needBeta = !!want.posteriors || want.transitionCounts;
  if (engine === 'reference') {
    const logB = asArray(input.logB);
    const offsets = prefixSums(lengths);
    const b = new Float64Array(N * K), m = new Float64Array(N), alpha = new Float64Array(N * K), scale = new Float64Array(N);
    ref.emissionScale(logB, b, m, N, K);
    out.logProb = ref.forwardScaled(b, m, offsets, 0, nSeq, startProb, transMat, alpha, scale, out.seqLogProb, K);
    checkLogProb(out.logProb);
    if (needBeta) {
      const beta = new Float64Array(N * K), u = new Float64Array(K);
      ref.backwardScaled(b, offsets, 0, nSeq, transMat, scale, beta, u, K);
      if (want.posteriors) {
        const post = out.posteriors ?? new Float64Array(N * K);
        ref.posteriors(alpha, beta, post, N, K);
        into?.set(post);
      }
      if (out.transitionCounts) ref.transitionCounts(alpha, beta, b, scale, offsets, 0, nSeq, transMat, out.transitionCounts, u, K);
    }
    return out;
  }
  return withWorkspace((ws) => {
    const rowBytes = K * 8;
    const rows = rowBlockRows(N, K), seqs = sequenceBlockSize(nSeq, N, K, !!want.transitionCounts);
    const nBlocks = Math.ceil(nSeq / seqs);
    const logB = input.logB instanceof Float64Array ? ws.copyIn(input.logB, 'f64') : input.logB;
    // b = exp(logB − m), the scaled emissions the recursions read.
    const lb = ws.f64(N * K);
    const off = offsetsIn(ws, lengths);
    const pi = ws.copyIn(startProb, 'f64'), A = ws.copyIn(transMat, 'f64');
    const m = ws.f64(N), alpha = ws.f64(N * K), scale = ws.f64(N), slp = ws.f64(nSeq);
    const beta = ws.f64(needBeta ? N * K : 0), u = lineSlots(ws, K * 8, needBeta ? threadCount() : 0);
    const xi = lineSlots(ws, K * K * 8, want.transitionCounts ? nBlocks : 0);
    runBlocks({
      label: 'the HMM emission scaling', nRows: N, blockRows: rows,
      steps: [{ kernel: 'emissionScale', args: [perRow(logB.ptr, rowBytes), perRow(lb.ptr, rowBytes), perRow(m.ptr, 8), { rows: 1 }, K] }],
    });
    const uT = { base: u.ptr, perThread: u.stride };
    const steps: BlockStep[] = [
      { kernel: 'forwardScaled', args: [lb.ptr, m.ptr, off.ptr, FIRST, END, pi.ptr, A.ptr, alpha.ptr, scale.ptr, slp.ptr, K] },
    ];
    if (needBeta) steps.push({ kernel: 'backwardScaled', args: [lb.ptr, off.ptr, FIRST, END, A.ptr, scale.ptr, beta.ptr, uT, K] });
    if (want.transitionCounts) {
      // Each block's counts in a slot of its own, cleared first (the kernel adds into it).
      const slot = { base: xi.ptr, perBlock: xi.stride };
      steps.push({ kernel: 'zeroBytes', args: [slot, K * K * 8] });
      steps.push({ kernel: 'transitionCounts', args: [alpha.ptr, beta.ptr, lb.ptr, scale.ptr, off.ptr, FIRST, END, A.ptr, slot, uT, K] });
    }
    runBlocks({ label: 'the HMM forward-backward pass', nRows: nSeq, blockRows: seqs, steps });
    out.seqLogProb.set(slp.view());
    out.logProb = sumInOrder(out.seqLogProb);
    checkLogProb(out.logProb);
    if (out.transitionCounts) {
      // Block after block from 0; one block's counts are the total.
      const counts = out.transitionCounts, mem = wasmMemory().buffer;
      counts.set(new Float64Array(mem, xi.ptr, K * K));
      for (let b = 1; b < nBlocks; b++) {
        const part = new Float64Array(mem, xi.ptr + b * xi.stride, K * K);
        for (let i = 0; i < K * K; i++) counts[i] += part[i];
      }
    }
    if (want.posteriors) {
      // Into the caller's buffer, or over beta, which is no longer needed.
      runBlocks({
        label: 'the HMM posteriors', nRows: N, blockRows: rows,
        steps: [{ kernel: 'posteriors', args: [perRow(alpha.ptr, rowBytes), perRow(beta.ptr, rowBytes), perRow((into ?? beta).ptr, rowBytes), { rows: 1 }, K] }],
      });
      out.posteriors?.set(beta.view());
    }
    return out;
  });
}

/** The most probable state path and its log-probability (Viterbi), per sequence and in total. */
export function viterbiPath(input: ChainInput, engine: ChainEngine = 'wasm'): { logProb: number; seqLogProb: Float64Array; states: Int32Array } {
  const { lengths, startProb, transMat, K } = input;
  const N = input.logB.length / K;
  const nSeq = lengths.length;
  const logStart = startProb.map(Math.log), logTrans = transMat.map(Math.log);
  const states = new Int32Array(N);
  const seqLogProb = new Float64Array(nSeq);
  if (engine === 'reference') {
    ref.viterbi(asArray(input.logB), prefixSums(lengths), 0, nSeq, logStart, logTrans, new Float64Array(2 * K), new Int32Array(N * K), states, seqLogProb, K);
  } else {
    withWorkspace((ws) => {
      const lb = input.logB instanceof Float64Array ? ws.copyIn(input.logB, 'f64') : input.logB;
      const off = offsetsIn(ws, lengths);
      const ls = ws.copyIn(logStart, 'f64'), lt = ws.copyIn(logTrans, 'f64');
      // Back-pointers and the path are i32: Workspace allocates them as f32 elements.
      const delta = lineSlots(ws, 2 * K * 8, threadCount()), back = ws.f32(N * K), path = ws.f32(N), slp = ws.f64(nSeq);
      runBlocks({
        label: 'the HMM Viterbi pass', nRows: nSeq, blockRows: sequenceBlockSize(nSeq, N, K, false),
        steps: [{ kernel: 'viterbi', args: [lb.ptr, off.ptr, FIRST, END, ls.ptr, lt.ptr, { base: delta.ptr, perThread: delta.stride }, back.ptr, path.ptr, slp.ptr, K] }],
      });
      states.set(new Int32Array(wasmMemory().buffer, path.ptr, N));
      seqLogProb.set(slp.view());
    });
  }
  const logProb = sumInOrder(seqLogProb);
  checkLogProb(logProb);
  return { logProb, seqLogProb, states };
}

function checkLogProb(lp: number): void {
  if (Number.isNaN(lp)) throw new ValueError('the log-likelihood is NaN: the parameters or the data hold NaN');
  if (lp === -Infinity) {
    throw new ValueError('some sequence has probability 0 under the model (an observation no state can emit, or a transition of probability 0 that every path needs)');
  }
}
