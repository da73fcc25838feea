// The command line's values and readers: negative numbers are values, numbers are strict
// decimals, messages name the flags, plots refuse what they cannot draw, CSV quoting and
// headers, Python 2 .npy headers, and model files that fail their checks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/cli/csv.js';
import { formatNpy, parseNpy } from '../../src/cli/npy.js';
import { elbo, ROOT, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const put = (name: string, content: string | Uint8Array) => { writeFileSync(join(dir, name), content); return name; };

async function stderrOf(args: string[], status: number): Promise<string> {
  const r = await elbo(args, dir);
  expect(r.code, r.stderr).toBe(status);
  return r.stderr.trim();
}

describe('option values', () => {
  it('take numbers that start with "-" as values (--tol -1 is out of range, not "ambiguous")', async () => {
    expect(await stderrOf(['gmm', 'iris', '--tol', '-1'], 2)).toBe('elbo: --tol must be a decimal number ≥ 0; got "-1"');
    expect(await stderrOf(['gmm', 'iris', '-k', '-2'], 2)).toBe('elbo: -k/--components must be an integer ≥ 1 in decimal digits; got "-2"');
    const r = await elbo(['gmm', 'iris', '-k', '2', '--seed', '-5', '--max-iter', '3', '-q'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('are strict decimals: -k 0x2, 1e1 for an integer, Infinity, " 3" and 3_0 are refused', async () => {
    for (const v of ['0x2', '1e1', ' 3', '3_0', '0b10', '2.0']) {
      expect(await stderrOf(['gmm', 'iris', '-k', v], 2), v).toMatch(/^elbo: -k\/--components must be an integer ≥ 1 in decimal digits; got /);
    }
    for (const v of ['Infinity', '0x1p-3', '1e', '.']) expect(await stderrOf(['gmm', 'iris', '--tol', v], 2), v).toMatch(/--tol must be a decimal number ≥ 0/);
  });

  it('are named by their flags in the model\'s errors (-k 200 → "-k/--components = 200", X → the data file)', async () => {
    expect(await stderrOf(['gmm', 'iris', '-k', '200'], 1)).toBe('elbo: iris must have at least -k/--components = 200 rows; got 150');
    expect((await elbo(['gmm', 'iris', '-k', '2', '-q', '--out', 'k2.json'], dir)).code).toBe(0);
    put('two.csv', '1,2\n3,4\n');
    expect(await stderrOf(['predict', 'k2.json', 'two.csv'], 1)).toBe('elbo: two.csv must have 4 columns (the model was fitted on 4); got 2');
  });
});

describe('--bound-plot', () => {
  it('with --max-iter 0 is refused before the fit (no SVG with Infinity in it)', async () => {
    expect(await stderrOf(['gmm', 'iris', '--max-iter', '0', '--bound-plot', 'b.svg'], 2)).toMatch(/--bound-plot draws the bound per iteration, and --max-iter 0 runs none/);
    expect(await stderrOf(['bgmm', 'iris', '--max-iter', '0', '--bound-plot', 'b.svg'], 2)).toMatch(/--max-iter 0 runs none/);
  });
});

describe('CSV', () => {
  it('reads a quoted "1,5" as one cell (and refuses it as a number, naming it), and doubled quotes inside quotes', () => {
    expect(() => parseCsv('a,b\n"1,5",2\n3,4\n', 'f')).toThrow('f, line 2, column 1 ("a"): "1,5" is not a number');
    const t = parseCsv('"x, first","the ""y"""\n"1.5", 2\n3,"4"\n', 'f');
    expect(t.names).toEqual(['x, first', 'the "y"']);
    expect(Array.from(t.data)).toEqual([1.5, 2, 3, 4]);
    expect(parseCsv('"a\nb",c\n1,2\n', 'f').names).toEqual(['a\nb', 'c']);
    expect(() => parseCsv('a,b\n"1,2\n', 'f')).toThrow('f, line 2: a quoted cell is not closed');
  });

  it('refuses a header that names more or fewer columns than the rows hold', () => {
    expect(() => parseCsv('a,b,c\n1,2\n3,4\n', 'f')).toThrow('f, line 1: the header names 3 columns but line 2 has 2 values');
    expect(() => parseCsv('a\n1,2\n', 'f', { header: true })).toThrow('the header names 1 column but line 2 has 2 values');
  });

  it('refuses a column of text, naming it and the columns to select', () => {
    expect(() => parseCsv('a,b,kind\n1,2,cat\n3,4,dog\n', 'f')).toThrow('f, column 3 ("kind") holds text ("cat" on line 2), not numbers: select the numeric columns with --columns 1-2');
  });
});

describe('a label column', () => {
  it('is never taken as a feature silently: the old iris layout is refused, naming the column', async () => {
    const old = ['150,4,setosa,versicolor,virginica', '5.1,3.5,1.4,0.2,0', '4.9,3.0,1.4,0.2,0', '7.0,3.2,4.7,1.4,1', '6.4,3.2,4.5,1.5,1', '6.3,3.3,6.0,2.5,2', '5.8,2.7,5.1,1.9,2'].join('\n');
    put('old-iris.csv', old + '\n');
    expect(await stderrOf(['gmm', 'old-iris.csv', '-k', '3'], 1)).toBe(
      'elbo: old-iris.csv: column 5 ("virginica") looks like class labels or identifiers, not a feature (it holds only the integers 0, 1, 2 while the other columns hold fractions); select the features with --columns 1-4, or keep every column with --columns 1-5',
    );
    expect((await elbo(['gmm', 'old-iris.csv', '-k', '2', '--columns', '1-4', '-q'], dir)).code).toBe(0);
    expect((await elbo(['gmm', 'old-iris.csv', '-k', '2', '--columns', '1-5', '-q'], dir)).code).toBe(0);
  });

  it('named class, label, target, species or id in the header is refused', async () => {
    put('named.csv', 'x,y,label\n0.5,1.5,3\n0.7,1.2,4\n0.1,0.2,5\n');
    expect(await stderrOf(['gmm', 'named.csv'], 1)).toMatch(/column 3 \("label"\) looks like class labels or identifiers, not a feature \(its header is "label"\); select the features with --columns 1-2/);
  });

  it('is gone from the shipped data/iris.csv: 4 features, the species in data/iris-labels.csv', async () => {
    const r = await elbo(['gmm', join(ROOT, 'data/iris.csv'), '-k', '3', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 150, cols: 4 });
    const labels = readFileSync(join(ROOT, 'data/iris-labels.csv'), 'utf-8').trim().split('\n');
    expect(labels[0]).toBe('species');
    expect(new Set(labels.slice(1))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    expect(await stderrOf(['gmm', join(ROOT, 'data/iris-labels.csv')], 1)).toMatch(/is not a number/);
  });
});

describe('.npy', () => {
  it("accepts Python 2's long shapes (60L, 2L)", () => {
    const bytes = formatNpy({ data: new Float64Array(120).map((_, i) => i), rows: 60, cols: 2 });
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 128));
    const patched = header.replace("'shape': (60, 2), ", "'shape': (60L, 2L), ").slice(0, header.length);
    expect(patched).toContain('(60L, 2L)');
    const copy = bytes.slice();
    for (let i = 0; i < patched.length; i++) copy[10 + i] = patched.charCodeAt(i);
    const m = parseNpy(copy, 'py2.npy');
    expect([m.rows, m.cols, m.data[119]]).toEqual([60, 2, 119]);
  });
});

describe('elbo predict with a model file that fails its checks', () => {
  it('exits 1 naming the file and the field (a null mean used to give exit 0 and wrong scores)', async () => {
    const fit = await elbo(['gmm', 'iris', '-k', '3', '-q', '--out', 'good.json'], dir);
    expect(fit.code, fit.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf-8'));
    json.means[5] = null;
    put('tampered.json', JSON.stringify(json));
    const r = await elbo(['predict', 'tampered.json', 'iris', '--output', 'scores'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('elbo: tampered.json: GaussianMixture.fromJSON: means[5] must be a finite number; got null\n');
    delete json.options;
    put('missing.json', JSON.stringify(json));
    const m = await elbo(['predict', 'missing.json', 'iris'], dir);
    expect(m.stderr).toBe('elbo: missing.json: GaussianMixture.fromJSON: options is missing\n');
    expect(m.stderr).not.toContain('internal error');
  });
});
