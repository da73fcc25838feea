/**
 * The control block every thread of the pool shares: one SharedArrayBuffer beside the wasm
 * memory, read as Int32 slots (the claim counter, counters the main thread waits on, per-thread
 * flags) and Float64 slots (the current job). The worker's code is a string run in another
 * thread, so it cannot import these names: the pool hands it this object with its start data.
 */

/** The most threads a pool may have (the main thread counts as one). */
export const MAX_THREADS = 256;
/** The job id takes the top bits of the claim counter, the block index the low ones. */
export const BLOCK_BITS = 20;
/** Blocks per job: 2^20 blocks of one row at least a million rows per call, far past wasm32. */
export const MAX_BLOCKS = 2 ** BLOCK_BITS - 1;
/** Job ids wrap at 2^11, so the claim counter stays a positive Int32. */
export const JOB_ID_MASK = 0x7ff;

/** Positions in the Int32 view of the control block. */
export interface Layout {
  /** Bumped for each job; idle workers Atomics.wait on it. */
  GEN: number;
  /** (jobId << BLOCK_BITS) | next block to claim. */
  NEXT: number;
  /** Blocks finished (or failed) in the current job; the main thread waits on it. */
  DONE: number;
  /** Set once for good: workers leave their loop. */
  SHUTDOWN: number;
  /** 0, or the thread index + 1 of the first thread whose block threw. */
  ERROR: number;
  /** Bytes of the error message at ERROR_TEXT. */
  ERROR_LENGTH: number;
  /** Per thread: the block it is computing + 1, or 0. */
  CLAIM: number;
  /** Per thread: 1 once the thread has ended (Node's exit hook in the worker, or the pool's terminate). */
  DEAD: number;
  /** Per thread: a fault the tests inject (1: throw in the next block, 2: end the thread in it). */
  FAULT: number;
  /**
   * Per thread: which worker holds the slot. A replacement bumps it, so that a worker on its way
   * out (terminate() is asynchronous) stops claiming before its successor starts.
   */
  EPOCH: number;
  /** Per thread: blocks it has computed since the pool started (what tests check the workers by). */
  BLOCKS: number;
  /** Int32 slots in all. */
  INTS: number;
  /** Byte offset and length of the error message (UTF-8). */
  ERROR_TEXT: number;
  ERROR_TEXT_BYTES: number;
  /** Byte offset and Float64 length of the job description. */
  JOB: number;
  JOB_F64: number;
  /**
   * Milliseconds a worker watches for the next job before it sleeps: a model's jobs often follow
   * each other within tens of microseconds (an E-step, its statistics, the next batch's E-step),
   * and waking a sleeping worker costs the calling thread's notify about as much as such a job.
   */
  SPIN_MS: number;
}

const ERROR_TEXT_BYTES = 1024;
/** Float64 slots for a job: header + steps × (4 + 5 per argument); a few dozen steps at most. */
const JOB_F64 = 4096;
/** See Layout.SPIN_MS: 0.2 ms covers a partialFit stream's gaps between jobs (an M-step, the next batch's copy). */
const SPIN_MS = 0.2;

/** The layout for `threads` threads (index 0 is the main thread). */
export function layoutFor(threads: number): Layout {
  const CLAIM = 6;
  const DEAD = CLAIM + threads;
  const FAULT = DEAD + threads;
  const EPOCH = FAULT + threads;
  const BLOCKS = EPOCH + threads;
  const INTS = BLOCKS + threads;
  const ERROR_TEXT = Math.ceil((INTS * 4) / 8) * 8;
  const JOB = ERROR_TEXT + ERROR_TEXT_BYTES;
  return { GEN: 0, NEXT: 1, DONE: 2, SHUTDOWN: 3, ERROR: 4, ERROR_LENGTH: 5, CLAIM, DEAD, FAULT, EPOCH, BLOCKS, INTS, ERROR_TEXT, ERROR_TEXT_BYTES, JOB, JOB_F64, SPIN_MS };
}

/** Bytes of the control block for a layout. */
export function controlBytes(l: Layout): number {
  return l.JOB + l.JOB_F64 * 8;
}
