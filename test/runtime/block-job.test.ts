import { describe, expect, it } from 'vitest';
import { blockCount, encodeJob, frozenJob, type BlockJob } from '../../src/runtime/threads/block-job.js';
import { claimBlocks } from '../../src/runtime/threads/claim-blocks.js';
import { BLOCK_BITS, controlBytes, layoutFor } from '../../src/runtime/threads/layout.js';

const L = layoutFor(1);
const names = ['zeroBytes', 'gemvTF64', 'sumF64'];
const index = (name: string) => names.indexOf(name);

function job(): BlockJob {
  return {
    label: 'a test job', nRows: 100, blockRows: 16,
    steps: [
      { kernel: 'zeroBytes', args: [{ base: 64, perBlock: 24 }, 24] },
      { kernel: 'gemvTF64', args: [{ base: 1024, perRow: 8 }, 512, { base: 64, perBlock: 24 }, { rows: 1 }, 3, 0] },
      { kernel: 'sumF64', args: [{ base: 2048, perRow: 8 }, { rows: 1 }], result: 4096 },
    ],
  };
}

function encoded(j: BlockJob, idx = index): Float64Array {
  const out = new Float64Array(L.JOB_F64).fill(-7);
  encodeJob(j, out, idx, L);
  return out;
}

describe('frozenJob', () => {
  it('freezes the job, its steps and their arguments', () => {
    const j = frozenJob(job());
    expect(Object.isFrozen(j)).toBe(true);
    expect(Object.isFrozen(j.steps)).toBe(true);
    for (const s of j.steps) {
      expect(Object.isFrozen(s)).toBe(true);
      expect(Object.isFrozen(s.args)).toBe(true);
      for (const a of s.args) if (typeof a === 'object') expect(Object.isFrozen(a)).toBe(true);
    }
  });

  it('encodes to the same slots as the unfrozen job, on the first run and on every later one', () => {
    const plain = encoded(job());
    const j = frozenJob(job());
    expect(encoded(j)).toEqual(plain);
    // Slots another job wrote in between are overwritten again.
    const other = new Float64Array(L.JOB_F64).fill(3);
    encodeJob(job(), other, (n) => names.length - 1 - index(n), L);
    expect(encoded(j)).toEqual(plain);
  });

  it('encodes again for another index of the exports (another build after init)', () => {
    const j = frozenJob(job());
    encoded(j);
    const reversed = (n: string) => names.length - 1 - index(n);
    expect(encoded(j, reversed)).toEqual(encoded(job(), reversed));
    expect(encoded(j)).toEqual(encoded(job()));
  });
});

describe('blocks of varying rows (starts)', () => {
  it('runs block b on rows starts[b] … starts[b + 1] − 1, its arguments moving with those rows', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const table = [0, 5, 6, 13, 20];
    new Int32Array(memory.buffer, 256, table.length).set(table);
    const j: BlockJob = {
      label: 'a test job', nRows: 20, blockRows: 8, starts: { ptr: 256, blocks: table.length - 1 },
      steps: [{ kernel: 'record', args: [{ base: 1000, perRow: 8 }, { rows: 1 }, { perRow: 1, rows: 1 }, { base: 64, perBlock: 8 }] }],
    };
    expect(blockCount(j)).toBe(4);
    const L1 = layoutFor(1);
    const control = new ArrayBuffer(controlBytes(L1));
    const ctl = new Int32Array(control, 0, L1.INTS);
    const slots = new Float64Array(control, L1.JOB, L1.JOB_F64);
    encodeJob(frozenJob(j), slots, () => 0, L1);
    Atomics.store(ctl, L1.NEXT, 1 << BLOCK_BITS);
    const calls: number[][] = [];
    claimBlocks(ctl, slots, [(...a: number[]) => { calls.push(a); }], memory, 0, L1, 1, -1, null, null);
    expect(calls).toEqual([[1000, 5, 5, 64], [1040, 1, 6, 72], [1048, 7, 13, 80], [1104, 7, 20, 88]]);
  });
});

describe('groups of blocks of varying rows (starts with a group)', () => {
  it('a step without sub runs on the whole group, a step with sub s on block b·G + s (skipped past the table), its result in that block\'s slot', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const table = [0, 5, 6, 13, 20];
    new Int32Array(memory.buffer, 256, table.length).set(table);
    const args = [{ perRow: 1 }, { rows: 1 }, { perBlock: 1 }];
    const j: BlockJob = {
      label: 'a test job', nRows: 20, blockRows: 8, starts: { ptr: 256, blocks: table.length - 1, group: 3 },
      steps: [{ kernel: 'record', args }, { kernel: 'record', args, sub: 0, result: 1024 }, { kernel: 'record', args, sub: 2, result: 1024 }],
    };
    expect(blockCount(j)).toBe(2);
    const L1 = layoutFor(1);
    const control = new ArrayBuffer(controlBytes(L1));
    const ctl = new Int32Array(control, 0, L1.INTS);
    const slots = new Float64Array(control, L1.JOB, L1.JOB_F64);
    encodeJob(j, slots, () => 0, L1);
    Atomics.store(ctl, L1.NEXT, 1 << BLOCK_BITS);
    const calls: number[][] = [];
    const record = (...a: number[]) => { calls.push(a); return 100 * a[0] + a[1]; };
    claimBlocks(ctl, slots, [record], memory, 0, L1, 1, -1, null, null);
    // Block 0: blocks 0–2 of the table (rows 0–12); block 1: block 3 (rows 13–19), its sub-block 2 past the table.
    expect(calls).toEqual([[0, 13, 0], [0, 5, 0], [6, 7, 0], [13, 7, 1], [13, 7, 1]]);
    expect(Array.from(new Float64Array(memory.buffer, 1024, 4))).toEqual([5, 0, 607, 1307]);
  });
});
