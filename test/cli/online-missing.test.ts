// elbo gmm/bgmm --missing marginalize and --online: the command line gives the library's fits,
// reading missing cells as NaN and streaming the file in batches (CSV line by line, .npy by row
// ranges), with the file's own line numbers in messages.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, Random } from '../../src/index.js';
import { formatNpy } from '../../src/cli/npy.js';
import { elbo, scratch } from './run.js';

let dir: string, cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const N = 1200, D = 3;
/** Two clusters; each row may have one missing cell (written as '', NaN or NA). */
function data(seed: number, holes: number): { rows: number[][]; csv: string } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const lines = ['x,y,z'];
  const marks = ['', 'NaN', 'NA'];
  for (let i = 0; i < N; i++) {
    const k = i % 2;
    const r = [k * 5 + rng.normal(), k * 3 + 0.5 * rng.normal(), -k * 4 + rng.normal()].map((v) => Number(v.toFixed(6)));
    const cells: string[] = r.map(String);
    if (rng.random() < holes) {
      const d = rng.int(D);
      r[d] = NaN;
      cells[d] = marks[i % 3];
    }
    rows.push(r);
    lines.push(cells.join(','));
  }
  return { rows, csv: lines.join('\n') + '\n' };
}
const matrix = (rows: number[][]) => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });
const summary = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);
const close = (a: number[], b: ArrayLike<number>, tol: number) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol));

describe('elbo gmm --missing marginalize', () => {
  it('reads empty, NaN and NA cells as missing values and fits as the library does', async () => {
    const { rows, csv } = data(1, 0.2);
    writeFileSync(join(dir, 'holes.csv'), csv);
    const run = await elbo(['gmm', 'holes.csv', '-k', '2', '--missing', 'marginalize', '--out', 'm.json', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const lib = new GaussianMixture({ nComponents: 2, missing: 'marginalize', onWarning: () => {} }).fit(matrix(rows));
    expect(Math.abs(summary(run.stdout).lowerBound - lib.lowerBound)).toBeLessThan(1e-9);
    const saved = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf-8'));
    expect(saved.options.missing).toBe('marginalize');
    // elbo predict reads missing cells for a model saved with missing: 'marginalize'.
    const pred = await elbo(['predict', 'm.json', 'holes.csv', '--output', 'scores'], dir);
    expect(pred.code, pred.stderr).toBe(0);
    close(pred.stdout.trim().split('\n').slice(0, 20).map(Number), lib.scoreSamples(matrix(rows.slice(0, 20))), 1e-9);
  });

  it('without it, a missing cell is an error naming its line and column; a bad policy names the flag', async () => {
    writeFileSync(join(dir, 'holes2.csv'), data(2, 0.5).csv);
    const run = await elbo(['gmm', 'holes2.csv', '-k', '2'], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/holes2.csv, line \d+, column \d+ \("[xyz]"\): (an empty cell|"NaN" is not a number|"NA" is not a number)/);
    const bad = await elbo(['gmm', 'holes2.csv', '-k', '2', '--missing', 'drop'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--missing/);
  });
});

describe('elbo gmm/bgmm --online', () => {
  const { rows, csv } = data(3, 0);
  const batches = (size: number) => Array.from({ length: Math.ceil(N / size) }, (_, b) => matrix(rows.slice(b * size, (b + 1) * size)));

  it('CSV, streamed in batches: the same model as partialFit over the same batches', async () => {
    writeFileSync(join(dir, 'plain.csv'), csv);
    const run = await elbo(['gmm', 'plain.csv', '-k', '2', '--online', '--batch-size', '250', '--out', 'o.json', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const s = summary(run.stdout);
    expect([s.batches, s.rows, s.cols]).toEqual([5, N, D]);
    const lib = new GaussianMixture({ nComponents: 2 });
    for (const b of batches(250)) lib.partialFit(b);
    const saved = JSON.parse(readFileSync(join(dir, 'o.json'), 'utf-8'));
    close(saved.means, lib.means.data, 1e-12);
    close(saved.covariances, lib.covariances, 1e-12);
    expect(saved.lowerBoundHistory).toHaveLength(5);
  });

  it('.npy, read by row ranges, with a weight column: the same model as weighted partialFit', async () => {
    const w = rows.map((_, i) => 1 + (i % 3));
    writeFileSync(join(dir, 'w.npy'), formatNpy(matrix(rows.map((r, i) => [...r, w[i]]))));
    const run = await elbo(['bgmm', 'w.npy', '-k', '3', '--online', '--batch-size', '400', '--sample-weight', '4', '--out', 'b.json', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const lib = new BayesianGaussianMixture({ nComponents: 3 });
    batches(400).forEach((b, i) => lib.partialFit(b, { sampleWeight: w.slice(i * 400, (i + 1) * 400) }));
    const saved = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf-8'));
    close(saved.means, lib.means.data, 1e-12);
    expect(summary(run.stdout).batches).toBe(3);
  });

  it('names the line of a bad cell in a later batch by its line in the file', async () => {
    const lines = csv.trim().split('\n');
    lines[1000] = lines[1000].replace(/^[^,]+/, 'oops');
    writeFileSync(join(dir, 'bad.csv'), lines.join('\n') + '\n');
    const run = await elbo(['gmm', 'bad.csv', '-k', '2', '--online', '--batch-size', '100'], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/bad.csv, line 1001, column 1 \("x"\): "oops" is not a number/);
  });

  it('refuses the outputs that need every row, and --batch-size without --online', async () => {
    writeFileSync(join(dir, 'plain2.csv'), csv);
    const a = await elbo(['gmm', 'plain2.csv', '-k', '2', '--online', '--labels', 'l.csv'], dir);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/--labels needs every row at once/);
    const b = await elbo(['gmm', 'plain2.csv', '-k', '2', '--batch-size', '100'], dir);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/--batch-size sets the rows per batch of --online/);
  });

  it('with --missing marginalize streams rows with missing cells', async () => {
    const holes = data(4, 0.2);
    writeFileSync(join(dir, 'holes3.csv'), holes.csv);
    const run = await elbo(['gmm', 'holes3.csv', '-k', '2', '--online', '--batch-size', '300', '--missing', 'marginalize', '--out', 'h.json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const lib = new GaussianMixture({ nComponents: 2, missing: 'marginalize' });
    for (let b = 0; b < N; b += 300) lib.partialFit(matrix(holes.rows.slice(b, b + 300)));
    close(JSON.parse(readFileSync(join(dir, 'h.json'), 'utf-8')).means, lib.means.data, 1e-12);
  });
});
