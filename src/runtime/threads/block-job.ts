/**
 * A job: the same list of kernel calls run on every block of rows, each call's arguments an
 * affine function of where the block is. Encoded into Float64 slots so that a worker, which
 * shares nothing with the main thread but memory, can run it:
 *
 *   header  nSteps, nBlocks, blockRows, nRows, starts (−1: none), group, data blocks
 *   step    kernel index, nArgs, result base, result stride per block, sub-block (−1: none)
 *   arg     base, per row, per block, per thread, per block row
 *
 * Argument value for block b (rows start … start + rows − 1) on thread t:
 * base + start·perRow + b·perBlock + t·perThread + rows·perBlockRow; so `{ rows: 1 }` is the
 * block's row count and `{ perRow: 1, rows: 1 }` its end (start + rows), for kernels over a
 * range of rows.
 * A step with a result base stores the kernel's (f64) return value at base + b·stride.
 * With `starts`, block b is rows starts[b] … starts[b + 1] − 1 instead (blocks of varying rows,
 * fixed by the caller's data): `start` and `rows` above are then those. With a `group` of G, a
 * block is G consecutive blocks of the table (the last fewer): a step without `sub` sees all
 * their rows, a step with `sub` s only those of the table's block d = b·G + s (and is skipped
 * when there is no such block), its result going to result + d·stride.
 */
import { ValueError } from '../errors.js';
import { MAX_BLOCKS, type Layout } from './layout.js';

/**
 * One argument: a number as it is, or where it moves with the block (bytes per row, block,
 * thread) plus a multiple of the block's row count (`rows`).
 */
export type ArgSpec = number | { base?: number; perRow?: number; perBlock?: number; perThread?: number; rows?: number };

/** One kernel call per block. */
export interface BlockStep {
  /** The export's name (`gemmNNF64`). */
  kernel: string;
  args: ArgSpec[];
  /** Where the f64 the kernel returns goes: result + b·8 for block b. */
  result?: number;
  /** With `starts` and a group: the step runs on the rows of this sub-block of the block (see encodeJob). */
  sub?: number;
}

/** A job over `nRows` rows in blocks of `blockRows` (the last may be shorter). */
export interface BlockJob {
  /** What the job computes, for error messages ('the GaussianMixture E-step'). */
  label: string;
  nRows: number;
  blockRows: number;
  steps: BlockStep[];
  /**
   * Blocks of varying rows: the byte address of an Int32 table in wasm memory of `blocks` + 1
   * ascending row indices, from 0 to nRows (block b is rows table[b] … table[b + 1] − 1);
   * blockRows is then unused. The table must stay unchanged while the job runs.
   */
  starts?: { ptr: number; blocks: number; group?: number };
}

/** Blocks of a job. */
export function blockCount(job: BlockJob): number {
  if (job.starts) return job.nRows <= 0 ? 0 : Math.ceil(job.starts.blocks / (job.starts.group ?? 1));
  return job.nRows <= 0 ? 0 : Math.ceil(job.nRows / job.blockRows);
}

/** Jobs that `frozenJob` froze, with their slots once encoded (for the `index` they were encoded with). */
const encodings = new WeakMap<BlockJob, { index: ((name: string) => number) | null; slots: Float64Array | null }>();

/**
 * Freezes a job that its owner runs many times (a kept engine's E-step runs once per batch), so
 * that encodeJob can write the slots it encoded the first time instead of encoding it again:
 * being frozen, the job cannot have changed since.
 */
export function frozenJob(job: BlockJob): BlockJob {
  for (const s of job.steps) {
    for (const a of s.args) if (typeof a === 'object') Object.freeze(a);
    Object.freeze(s.args);
    Object.freeze(s);
  }
  Object.freeze(job.steps);
  if (job.starts) Object.freeze(job.starts);
  encodings.set(Object.freeze(job), { index: null, slots: null });
  return job;
}

/** Writes `job` into the job slots; `index` maps an export's name to its position in the module's exports. */
export function encodeJob(job: BlockJob, out: Float64Array, index: (name: string) => number, l: Layout): void {
  const memo = encodings.get(job);
  if (memo?.slots && memo.index === index) {
    out.set(memo.slots);
    return;
  }
  const used = encodeSlots(job, out, index, l);
  if (memo) {
    memo.index = index;
    memo.slots = out.slice(0, used);
  }
}

/** encodeJob's encoding; returns the number of slots written. */
function encodeSlots(job: BlockJob, out: Float64Array, index: (name: string) => number, l: Layout): number {
  const nBlocks = blockCount(job);
  if (nBlocks > MAX_BLOCKS) throw new ValueError(`a job may have at most ${MAX_BLOCKS} blocks; got ${nBlocks} (${job.nRows} rows in blocks of ${job.blockRows})`);
  let o = 0;
  const put = (v: number) => {
    if (o >= l.JOB_F64) throw new ValueError(`a job may take at most ${l.JOB_F64} slots; this one needs more`);
    out[o++] = v;
  };
  put(job.steps.length); put(nBlocks); put(job.blockRows); put(job.nRows);
  put(job.starts ? job.starts.ptr : -1); put(job.starts?.group ?? 1); put(job.starts?.blocks ?? 0);
  for (const s of job.steps) {
    put(index(s.kernel)); put(s.args.length); put(s.result ?? -1); put(8); put(s.sub ?? -1);
    for (const a of s.args) {
      if (typeof a === 'number') { put(a); put(0); put(0); put(0); put(0); } else {
        put(a.base ?? 0); put(a.perRow ?? 0); put(a.perBlock ?? 0); put(a.perThread ?? 0); put(a.rows ?? 0);
      }
    }
  }
  return o;
}
