// `elbo hmm`: fits, decodes and writes the Viterbi states and the model.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GaussianHMM, Random } from '../../src/index.js';
import { elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

describe('elbo hmm', () => {
  it('decodes a two-regime series into its regimes and writes a model that loads', async () => {
    const rng = new Random(1);
    const truth: number[] = [];
    const rows: string[] = [];
    for (let t = 0, z = 0; t < 300; t++) {
      if (t % 50 === 0 && t > 0) z = 1 - z;
      truth.push(z);
      rows.push(`${(5 * z + rng.normal()).toFixed(4)},${(rng.normal() - 3 * z).toFixed(4)}`);
    }
    writeFileSync(join(dir, 'series.csv'), rows.join('\n') + '\n');
    const r = await elbo(['hmm', 'series.csv', '--states', '2', '--lengths', '100,200', '--decoded', 'states.txt', '--out', 'hmm.json', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const states = readFileSync(join(dir, 'states.txt'), 'utf8').trim().split('\n').map(Number);
    expect(states).toHaveLength(300);
    const agree = states.filter((s, t) => s === truth[t]).length;
    expect(Math.max(agree, 300 - agree)).toBeGreaterThanOrEqual(295);
    const model = GaussianHMM.fromJSON(JSON.parse(readFileSync(join(dir, 'hmm.json'), 'utf8')));
    expect(model.nComponents).toBe(2);
  });

  it('answers a missing --states and bad --lengths with a usage error', async () => {
    writeFileSync(join(dir, 'x.csv'), '1,2\n3,4\n');
    const a = await elbo(['hmm', 'x.csv'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/needs --states/);
    const b = await elbo(['hmm', 'x.csv', '--states', '1', '--lengths', '1,x'], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--lengths must be positive integers/);
    const c = await elbo(['hmm', 'x.csv', '--states', '1', '--lengths', '1,2'], dir);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--lengths must sum to the number of rows of x.csv \(2\)/);
  });

  it('has a demo section that plots a decoded sequence', async () => {
    const r = await elbo(['demo', 'hmm', '--out', 'hmm-demo'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the Viterbi path matches the regimes at \d+ of 400 steps/);
    expect(r.stdout).toMatch(/structured mean-field bound .* ≤ exact log p/);
    expect(readdirSync(join(dir, 'hmm-demo'))).toEqual(['hmm-decoded.svg']);
  });
});
