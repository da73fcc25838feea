/**
 * The one loop that runs a job's blocks, on every thread: the main thread (with the threaded or
 * the single-threaded build) and each worker (as source text: see worker-source.ts). It claims
 * blocks one at a time from the shared counter until none is left, so a slow or missing thread
 * never holds up the others, and which thread ran a block never changes what it wrote.
 *
 * Self-contained on purpose: it is sent to workers with Function.prototype.toString, so it may
 * use only its parameters and globals every JavaScript engine has (Atomics, TextEncoder).
 */
import type { Layout } from './layout.js';

/** A kernel export: numbers in, a number (or nothing) out. */
export type KernelFunction = (...args: number[]) => number | void;

/**
 * Claims and runs blocks of the current job until none is left for job `jobId`, or one throws
 * (then the error is recorded in the control block, the block counts as done, and it returns
 * false), or until the thread's slot passes to another worker (`epoch` no longer matches; the
 * main thread passes -1). `thread` is this thread's index (0 = the main thread); `fault` ends the thread when the
 * tests inject a fault of kind 2 (workers only); `onError` receives the thrown value.
 */
export function claimBlocks(
  ctl: Int32Array, job: Float64Array, fns: KernelFunction[], memory: WebAssembly.Memory, thread: number, L: Layout, jobId: number, epoch: number,
  fault: ((kind: number) => void) | null, onError: ((err: unknown) => void) | null,
): boolean {
  // The claim counter is (jobId << 20) | block; 20 = BLOCK_BITS of layout.ts.
  const BLOCK_MASK = 0xfffff;
  const nSteps = job[0], nBlocks = job[1], blockRows = job[2], nRows = job[3], starts = job[4], group = job[5], nData = job[6];
  for (;;) {
    const v = Atomics.load(ctl, L.NEXT);
    if (v >>> 20 !== jobId) return true;
    const b = v & BLOCK_MASK;
    if (b >= nBlocks) return true;
    if (epoch >= 0 && Atomics.load(ctl, L.EPOCH + thread) !== epoch) return true;
    if (Atomics.compareExchange(ctl, L.NEXT, v, v + 1) !== v) continue;
    Atomics.store(ctl, L.CLAIM + thread, b + 1);
    let ok = true;
    try {
      const injected = Atomics.exchange(ctl, L.FAULT + thread, 0);
      if (injected === 1) throw new Error('a fault injected for testing');
      if (injected === 2 && fault) fault(injected);
      let start: number, rows: number;
      const table = starts >= 0 ? new Int32Array(memory.buffer, starts, nData + 1) : null;
      if (table) {
        start = table[b * group];
        rows = table[Math.min((b + 1) * group, nData)] - start;
      } else {
        start = b * blockRows;
        rows = Math.min(blockRows, nRows - start);
      }
      let o = 7;
      for (let s = 0; s < nSteps; s++) {
        const fn = fns[job[o]];
        const nArgs = job[o + 1], result = job[o + 2], stride = job[o + 3], sub = job[o + 4];
        o += 5;
        // A step on one sub-block of the block: its rows, its result slot; none past the table's end.
        let first = start, count = rows, slot = b;
        if (sub >= 0 && table) {
          slot = b * group + sub;
          if (slot >= nData) {
            o += 5 * nArgs;
            continue;
          }
          first = table[slot];
          count = table[slot + 1] - first;
        }
        const args: number[] = new Array(nArgs);
        for (let a = 0; a < nArgs; a++, o += 5) {
          args[a] = job[o] + first * job[o + 1] + b * job[o + 2] + thread * job[o + 3] + count * job[o + 4];
        }
        const r = fn(...args);
        if (result >= 0) new Float64Array(memory.buffer, result + slot * stride, 1)[0] = r as number;
      }
    } catch (err) {
      ok = false;
      if (Atomics.compareExchange(ctl, L.ERROR, 0, thread + 1) === 0) {
        const text = `${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} (block ${b})`;
        const bytes = new TextEncoder().encode(text).subarray(0, L.ERROR_TEXT_BYTES);
        new Uint8Array(ctl.buffer, L.ERROR_TEXT, bytes.length).set(bytes);
        Atomics.store(ctl, L.ERROR_LENGTH, bytes.length);
      }
      if (onError) onError(err);
    }
    Atomics.store(ctl, L.CLAIM + thread, 0);
    Atomics.add(ctl, L.BLOCKS + thread, 1);
    Atomics.add(ctl, L.DONE, 1);
    Atomics.notify(ctl, L.DONE);
    if (!ok) return false;
  }
}
