// `elbo lista` on the shipped digits: trains a network against a dictionary and saves it, applies
// a saved one (also through `elbo predict`), and refuses contradictory or bad command lines by
// naming the flags, writing nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/cli/npy.js';
import { loadDigits } from '../../src/datasets/index.js';
import { LISTA } from '../../src/index.js';
import { elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir, cleanup } = scratch());
  // A dictionary of 16 atoms over the 64 pixels of the digits: rows of the data, normalised.
  const { X } = await loadDigits();
  const rows: number[][] = [];
  for (let a = 0; a < 16; a++) {
    const row = Array.from(X.data.subarray(a * 97 * 64, a * 97 * 64 + 64));
    const norm = Math.hypot(...row);
    rows.push(row.map((v) => v / norm));
  }
  writeFileSync(join(dir, 'atoms.csv'), rows.map((r) => r.join(',')).join('\n') + '\n');
});
afterAll(() => cleanup());

const csvRows = (f: string) => readFileSync(join(dir, f), 'utf-8').trim().split('\n').map((l) => l.split(',').map(Number));

describe('elbo lista', () => {
  it('trains on digits, saves a network LISTA.fromJSON reads, and writes the codes that network gives', async () => {
    const r = await elbo(['lista', 'digits', '--dictionary', 'atoms.csv', '--alpha', '1', '--layers', '2', '--epochs', '3', '--seed', '4', '--save', 'net.json', '--out', 'codes.npy'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^LISTA: 2 layers, 16 atoms × 64 features \(α = 1\), trained 3 epochs on 1797 rows: mean squared code error [\d.e+-]+ \(epoch 1\) → [\d.e+-]+$/m);
    expect(r.stderr).toMatch(/^lista: iteration 1\/3 +loss \d/m);
    const net = LISTA.fromJSON(JSON.parse(readFileSync(join(dir, 'net.json'), 'utf-8')));
    expect([net.nLayers, net.nAtoms, net.alpha, net.seed, net.epochs, net.lossHistory.length]).toEqual([2, 16, 1, 4, 3, 3]);
    const codes = parseNpy(readFileSync(join(dir, 'codes.npy')), 'codes.npy');
    expect([codes.rows, codes.cols]).toEqual([1797, 16]);
    const { X } = await loadDigits();
    expect(Array.from(codes.data)).toEqual(Array.from(net.transform(X).data));
  });

  it('applies a saved network with --model (to stdout) and through elbo predict, giving the same codes', async () => {
    const a = await elbo(['lista', 'digits', '--model', 'net.json', '--out', 'again.csv', '--quiet'], dir);
    expect(a.code, a.stderr).toBe(0);
    const b = await elbo(['lista', 'digits', '--model', 'net.json'], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('LISTA: 2 layers, 16 atoms × 64 features (α = 1), applied to 1797 rows');
    const p = await elbo(['predict', 'net.json', 'digits', '--out', 'predicted.csv'], dir);
    expect(p.code, p.stderr).toBe(0);
    const fromStdout = b.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
    expect(fromStdout).toHaveLength(1797);
    expect(csvRows('again.csv')).toEqual(fromStdout);
    expect(csvRows('predicted.csv')).toEqual(fromStdout);
    const { X } = await loadDigits();
    const net = LISTA.fromJSON(JSON.parse(readFileSync(join(dir, 'net.json'), 'utf-8')));
    const want = net.transform(X).data;
    fromStdout.flat().forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('gives --json a summary with the loss per epoch', async () => {
    const r = await elbo(['lista', 'digits', '-d', 'atoms.csv', '--epochs', '2', '--save', 'j.json', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ command: 'lista', mode: 'train', rows: 1797, atoms: 16, features: 64, nLayers: 3, alpha: 1, written: ['j.json'] });
    expect(s.lossHistory).toHaveLength(2);
  });

  it('refuses --model with training options, and neither --model nor --dictionary, naming the flags (status 2)', async () => {
    const both = await elbo(['lista', 'digits', '--model', 'net.json', '--alpha', '2', '--layers', '4', '--save', 'x.json'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('elbo: --model applies a saved network; -a/--alpha, --layers, --save are for training one: drop them or --model (see elbo lista --help)\n');
    const neither = await elbo(['lista', 'digits', '--out', 'y.csv'], dir);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/needs --dictionary <file> \(to train a network\) or --model <file> \(to apply a saved one\)/);
    expect(existsSync(join(dir, 'x.json')) || existsSync(join(dir, 'y.csv'))).toBe(false);
  });

  it('names a bad option value, a model of another kind and data of the wrong width, and writes none of the outputs', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--layers', '0'], 2, /--layers must be an integer ≥ 1 in decimal digits; got "0"/],
      [['--epochs', '1.5'], 2, /--epochs must be an integer ≥ 1/],
      [['--alpha', '-1'], 2, /-a\/--alpha must be a decimal number ≥ 0; got "-1"/],
      [['--learning-rate', '0'], 1, /--learning-rate must be a finite number > 0; got 0/],
      [['--batch-size', 'x'], 2, /--batch-size must be an integer ≥ 1/],
    ];
    for (const [extra, code, message] of cases) {
      const r = await elbo(['lista', 'digits', '-d', 'atoms.csv', '--epochs', '1', '--save', 'bad.json', '--out', 'bad.csv', ...extra], dir);
      expect(r.code, extra.join(' ')).toBe(code);
      expect(r.stderr, extra.join(' ')).toMatch(message);
    }
    const wide = await elbo(['lista', 'iris', '-d', 'atoms.csv', '--epochs', '1', '--save', 'bad.json', '--out', 'bad.csv'], dir);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toBe('elbo: iris must have 64 columns (the number of features of the dictionary); got 4\n');
    writeFileSync(join(dir, 'gmm.json'), JSON.stringify({ kind: 'GaussianMixture' }));
    const other = await elbo(['lista', 'digits', '--model', 'gmm.json', '--out', 'bad.csv'], dir);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/gmm.json: not a LISTA model \(its "kind" is "GaussianMixture"/);
    const tampered = JSON.parse(readFileSync(join(dir, 'net.json'), 'utf-8'));
    tampered.thresholds[2] = -1;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const t = await elbo(['lista', 'digits', '--model', 'tampered.json', '--out', 'bad.csv'], dir);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe('elbo: tampered.json: LISTA.fromJSON: thresholds[2] must be a finite number ≥ 0; got -1\n');
    expect(existsSync(join(dir, 'bad.json')) || existsSync(join(dir, 'bad.csv'))).toBe(false);
  });
});

describe('elbo demo learned', () => {
  it('plots LISTA after 1, 2, 3 layers against ISTA, FISTA and CD after k iterations on held-out digits', async () => {
    const r = await elbo(['demo', 'lista', '--out', 'learned-demo', '--json'], dir); // lista: another name of the learned section
    expect(r.code, r.stderr).toBe(0);
    const { results } = JSON.parse(r.stdout);
    const { lista, ista, fista, cd } = results.learned;
    expect(lista).toHaveLength(3);
    expect([ista, fista, cd].map((s: number[]) => s.length)).toEqual([30, 30, 30]);
    // Training can only help: each trained depth is below ISTA after as many iterations.
    for (let T = 1; T <= 3; T++) expect(lista[T - 1]).toBeLessThan(ista[T - 1]);
    expect(readdirSync(join(dir, 'learned-demo'))).toEqual(['learned-lista.svg']);
    const svg = readFileSync(join(dir, 'learned-demo', 'learned-lista.svg'), 'utf-8');
    for (const name of ['ISTA', 'FISTA', 'CD', 'LISTA']) expect(svg).toContain(`>${name}</text>`);
  });
});
