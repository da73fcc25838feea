import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, readMatrixFile } from '../../src/io.js';

describe('readMatrixFile (elbo-wasm/io: a shard read where it is)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elbo-read-'));

  it('reads a CSV file with a header into a matrix, exactly', () => {
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'x,y\n0.1,2\n3,-4.000000000000001\n');
    const m = readMatrixFile(file);
    expect([m.rows, m.cols]).toEqual([2, 2]);
    expect(Array.from(m.data)).toEqual([0.1, 2, 3, -4.000000000000001]);
  });

  it('names the file when it is missing or corrupt', () => {
    expect(() => readMatrixFile(join(dir, 'none.npy'))).toThrow(DataError);
    expect(() => readMatrixFile(join(dir, 'none.npy'))).toThrow(`${join(dir, 'none.npy')}: no such file`);
    const bad = join(dir, 'bad.npy');
    writeFileSync(bad, 'not numpy at all');
    expect(() => readMatrixFile(bad)).toThrow(`${bad}: not a .npy file`);
  });
});
