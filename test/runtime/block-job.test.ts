import { describe, expect, it } from 'vitest';
import { encodeJob, frozenJob, type BlockJob } from '../../src/runtime/threads/block-job.js';
import { layoutFor } from '../../src/runtime/threads/layout.js';

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
