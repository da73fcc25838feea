// Every command of the built `elbo` on the shipped data: exit 0, the files it promises, and
// results that make sense (labels in range, model files that `elbo predict` reads back).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/cli/npy.js';
import { elbo, ROOT, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const read = (f: string) => readFileSync(join(dir, f), 'utf-8');
const lines = (f: string) => read(f).trim().split('\n');
const IRIS_CSV = join(ROOT, 'data/iris.csv');
const DIGITS_GZ = join(ROOT, 'data/digits.csv.gz');

describe('elbo --help', () => {
  it('lists every command and prints each command\'s help with examples', async () => {
    const main = await elbo(['--help'], dir);
    expect(main.code).toBe(0);
    const commands = ['gmm', 'bgmm', 'kmeans', 'encode', 'dictlearn', 'lista', 'meanfield', 'hmm', 'predict', 'demo'];
    for (const c of commands) expect(main.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const c of commands) {
      const h = await elbo([c, '--help'], dir);
      expect(h.code, c).toBe(0);
      expect(h.stdout, c).toContain(`elbo ${c} `);
      expect(h.stdout, c).toMatch(/Examples:\n {2}(elbo|npm) /);
      expect(h.stdout, c).toContain('--quiet');
    }
  });
});

describe('elbo gmm and elbo predict', () => {
  it('fits iris from the shipped CSV and writes the model, labels, responsibilities and plots', async () => {
    const r = await elbo(['gmm', IRIS_CSV, '--columns', '1-4', '--components', '3', '--covariance', 'full', '--max-iter', '200', '--tol', '1e-3', '--seed', '0',
      '--out', 'model.json', '--labels', 'labels.csv', '--proba', 'proba.npy', '--plot', 'fit.svg', '--bound-plot', 'bound.svg'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('GaussianMixture: 3 components (full) on 150 rows × 4 features');
    const labels = lines('labels.csv').map(Number);
    expect(labels).toHaveLength(150);
    expect(new Set(labels)).toEqual(new Set([0, 1, 2]));
    const model = JSON.parse(read('model.json'));
    expect(model.kind).toBe('GaussianMixture');
    expect(model.nFeatures).toBe(4);
    const proba = parseNpy(readFileSync(join(dir, 'proba.npy')), 'proba.npy');
    expect([proba.rows, proba.cols]).toEqual([150, 3]);
    for (let i = 0; i < 150; i++) expect(proba.data[i * 3] + proba.data[i * 3 + 1] + proba.data[i * 3 + 2]).toBeCloseTo(1, 12);
    // 3 components, each drawn as its 2σ contour (a line mark named contours in src/plot/mixture.ts).
    expect(read('fit.svg').match(/<g class="mark-line role-mark contours_marks"/g)).toHaveLength(3);
    expect(read('bound.svg')).toMatch(/^<svg [^>]*class="marks"/);
    expect(read('bound.svg')).toContain('mark-line role-mark');
    // The progress line went to stderr, one line per iteration (stderr is not a terminal here).
    expect(r.stderr).toMatch(/^gmm: iteration +1\/200 +bound -?\d/m);
    expect(r.stderr).toMatch(/ETA/);
    expect(r.stderr).toMatch(/\(init \d+\.\d+ s\)/);
    const p = await elbo(['predict', 'model.json', IRIS_CSV, '--columns', '1-4'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim().split('\n').map(Number)).toEqual(labels);
  });

  it('takes the shipped sets by name, JSON and .npy input, and writes JSON output', async () => {
    const a = await elbo(['gmm', 'iris', '-k', '2', '--covariance', 'diag', '--quiet', '--labels', 'a.csv'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout + a.stderr).toBe('');
    const rows = lines('a.csv').map((l, i) => [i % 7, Number(l) * 10 + (i % 5)]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
    const b = await elbo(['gmm', 'rows.json', '-k', '2', '--quiet', '--labels', 'b.json'], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(read('b.json'))).toHaveLength(150);
    const c = await elbo(['predict', 'model.json', 'iris', '--output', 'scores', '--out', 'scores.npy'], dir);
    expect(c.code, c.stderr).toBe(0);
    const s = parseNpy(readFileSync(join(dir, 'scores.npy')), 'scores.npy');
    expect([s.rows, s.cols]).toEqual([150, 1]);
    const back = await elbo(['gmm', 'scores.npy', '-k', '2', '--quiet'], dir);
    expect(back.code, back.stderr).toBe(0);
  });

  it('--json gives JSON lines of progress on stderr and one JSON summary on stdout', async () => {
    const r = await elbo(['gmm', 'iris', '-k', '3', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(1);
    events.forEach((e, i) => {
      expect(e).toMatchObject({ event: 'iteration', fit: 'gmm', iteration: i + 1, maxIter: 100 });
      expect(Number.isFinite(e.lowerBound)).toBe(true);
    });
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ command: 'gmm', rows: 150, cols: 4, nComponents: 3, nIter: events.length });
    expect(summary.lowerBoundHistory.at(-1)).toBe(events.at(-1).lowerBound);
  });
});

describe('elbo bgmm', () => {
  it('empties surplus components on iris and saves a model that predict reads', async () => {
    const r = await elbo(['bgmm', 'iris', '-k', '8', '--prior-type', 'dirichlet_distribution', '--weight-prior', '0.01', '--max-iter', '300', '--out', 'bgmm.json', '--plot', 'bgmm.svg', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    expect(s.weights.filter((w: number) => w < 0.01).length).toBeGreaterThan(0);
    for (let i = 1; i < s.lowerBoundHistory.length; i++) expect(s.lowerBoundHistory[i]).toBeGreaterThanOrEqual(s.lowerBoundHistory[i - 1] - 1e-9);
    const p = await elbo(['predict', 'bgmm.json', 'iris', '--output', 'proba'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(150);
    expect(p.stdout.split('\n')[0].split(',')).toHaveLength(8);
  });
});

describe('elbo dictlearn, encode and predict', () => {
  it('learns atoms from the shipped digits, plots them as 8×8 tiles and encodes with them', async () => {
    const r = await elbo(['dictlearn', DIGITS_GZ, '--columns', '1-64', '--atoms', '16', '--alpha', '1', '--max-iter', '2', '--out', 'dict.csv', '--model', 'dict.json', '--plot', 'atoms.svg', '--codes', 'codes.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    const dict = lines('dict.csv').map((l) => l.split(',').map(Number));
    expect(dict).toHaveLength(16);
    for (const atom of dict) {
      expect(atom).toHaveLength(64);
      expect(Math.hypot(...atom)).toBeCloseTo(1, 6);
    }
    expect(read('atoms.svg').match(/<path d="M[^"]*h6v6h-6Z"/g)).toHaveLength(16 * 64); // one 6 × 6 square per pixel
    expect(lines('codes.csv')).toHaveLength(1797);
    const e = await elbo(['encode', 'digits', '--dictionary', 'dict.csv', '--alpha', '1', '--out', 'codes2.csv'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(read('codes2.csv')).toBe(read('codes.csv'));
    const p = await elbo(['predict', 'dict.json', 'digits'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe(read('codes.csv'));
  });
});

describe('elbo meanfield', () => {
  it('learns binary sparse coding on iris with a never-decreasing bound, and predict gives posterior means', async () => {
    const r = await elbo(['meanfield', 'iris', '--hidden', '3', '--out', 'bsc.json', '--codes', 'h.csv', '--plot', 'bsc.svg', '--bound-plot', 'bsc-bound.svg', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    for (let i = 1; i < s.lowerBoundHistory.length; i++) expect(s.lowerBoundHistory[i]).toBeGreaterThanOrEqual(s.lowerBoundHistory[i - 1] - 1e-9);
    const p = await elbo(['predict', 'bsc.json', 'iris'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe(read('h.csv'));
    const h = p.stdout.trim().split('\n').flatMap((l) => l.split(',').map(Number));
    expect(h).toHaveLength(450);
    for (const v of h) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('elbo demo', () => {
  it('runs the sections it is given (by name or alias) and writes their plots', async () => {
    const r = await elbo(['demo', 'mixture', 'meanfield', '--out', 'demo-plots'], dir); // meanfield: another name of the binary section
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Fisher's iris");
    expect(r.stderr).toMatch(/iris: iteration/);
    expect(readdirSync(join(dir, 'demo-plots')).sort()).toEqual(
      ['binary-atoms.svg', 'binary-bound.svg', 'iris-bound.svg', 'iris.svg', 'synthetic-bound.svg', 'synthetic.svg']);
  });
});

describe('outputs', () => {
  it('leave no temporary files behind', () => {
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('elbo gmm --sample-weight', () => {
  it('weighs rows by a column of the file, removed from the features, and names the flag in errors', async () => {
    const { writeFileSync } = await import('node:fs');
    const iris = readFileSync(IRIS_CSV, 'utf-8').trim().split('\n');
    const body = iris.filter((l) => /^[\d.]/.test(l)).map((l) => l.split(',').slice(0, 4).join(','));
    // Every weight 2: the same fit as weight 1 (k-means++ draws ∝ w·d², EM's means are ratios).
    writeFileSync(join(dir, 'w2.csv'), body.map((l) => `${l},2`).join('\n') + '\n');
    writeFileSync(join(dir, 'plain.csv'), body.join('\n') + '\n');
    const a = await elbo(['gmm', 'w2.csv', '--sample-weight', '5', '-k', '3', '--json'], dir);
    const b = await elbo(['gmm', 'plain.csv', '-k', '3', '--json'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const last = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);
    const sa = last(a.stdout), sb = last(b.stdout);
    expect(sa.cols).toBe(4);
    expect(Math.abs(sa.lowerBound - sb.lowerBound)).toBeLessThan(1e-9);
    writeFileSync(join(dir, 'neg.csv'), body.map((l, i) => `${l},${i === 3 ? -1 : 1}`).join('\n') + '\n');
    const bad = await elbo(['gmm', 'neg.csv', '--sample-weight', '5', '-k', '2'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--sample-weight\[3\] is -1/);
    const range = await elbo(['gmm', 'plain.csv', '--sample-weight', '9', '-k', '2'], dir);
    expect(range.code).not.toBe(0);
    expect(range.stderr).toMatch(/--sample-weight 9: plain.csv has 4 columns/);
  });
});
