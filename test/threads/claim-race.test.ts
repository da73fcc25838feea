// A worker that wakes late for a job may read the job description while the calling thread
// rewrites it for the next job. It must then claim nothing: the interleaving is replayed here
// step by step, with the pool's own beginJob / openJob and the claim loop every thread runs.
import { describe, expect, it } from 'vitest';
import type { BlockJob } from '../../src/runtime/threads/block-job.js';
import { claimBlocks } from '../../src/runtime/threads/claim-blocks.js';
import { BLOCK_BITS, controlBytes, layoutFor } from '../../src/runtime/threads/layout.js';
import { beginJob, openJob } from '../../src/runtime/threads/pool.js';

const L = layoutFor(2);

/** A job of `nRows` rows in blocks of 4 whose one kernel records the first row of each block it is given. */
function recordingJob(nRows: number): BlockJob {
  return { label: 'a recording job', nRows, blockRows: 4, steps: [{ kernel: 'record', args: [{ perRow: 1 }] }] };
}

function harness() {
  const control = new SharedArrayBuffer(controlBytes(L));
  const ctl = new Int32Array(control, 0, L.INTS);
  const description = new Float64Array(control, L.JOB, L.JOB_F64);
  const rows: number[] = [];
  const fns = [(first: number) => { rows.push(first); }];
  const memory = new WebAssembly.Memory({ initial: 1 });
  const claim = (thread: number, jobId: number) => claimBlocks(ctl, description, fns, memory, thread, L, jobId, -1, null, null);
  return { ctl, description, rows, claim };
}

describe('claiming blocks across consecutive jobs', () => {
  it('a worker late for a finished job claims nothing while the next, larger job is written, and every block of that job runs once', () => {
    const { ctl, description, rows, claim } = harness();
    beginJob(ctl, description, recordingJob(8), () => 0, L);
    openJob(ctl, L, 1);
    expect(claim(0, 1)).toBe(true);
    expect(rows).toEqual([0, 4]);
    rows.length = 0;
    // The next job has 4 blocks; its description is written, its counter not yet opened.
    beginJob(ctl, description, recordingJob(16), () => 0, L);
    // A worker that woke for job 1 only now runs its claim loop: it sees job 1's counter, which
    // the new description's block count must not reopen.
    expect(claim(1, 1)).toBe(true);
    expect(rows).toEqual([]);
    expect(Atomics.load(ctl, L.DONE)).toBe(0);
    openJob(ctl, L, 2);
    expect(claim(1, 2)).toBe(true);
    expect(rows).toEqual([0, 4, 8, 12]);
    expect(Atomics.load(ctl, L.DONE)).toBe(4);
    expect(Atomics.load(ctl, L.NEXT)).toBe((2 << BLOCK_BITS) | 4);
  });
});
