// A broken input ends the built `elbo` with a non-zero status and exactly one line on stderr that
// names the file and the place (line and column); no output file is left half-written.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNpy } from '../../src/cli/npy.js';
import { elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

function put(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

/** Runs a failing command and returns its one line of stderr. */
async function fails(args: string[], status = 1): Promise<string> {
  const r = await elbo(args, dir);
  expect(r.code, r.stderr).toBe(status);
  expect(r.stdout).toBe('');
  const errLines = r.stderr.split('\n').filter((l) => l !== '');
  expect(errLines, r.stderr).toHaveLength(1);
  return errLines[0];
}

describe('a bad data file', () => {
  it('with ragged rows names the line', async () => {
    put('ragged.csv', 'x,y,z\n1,2,3\n4,5,6\n7,8\n');
    expect(await fails(['gmm', 'ragged.csv'])).toBe('elbo: ragged.csv, line 4: 2 values where line 2 has 3 (ragged rows)');
  });

  it('with a non-numeric cell names the line and the column', async () => {
    put('text.csv', '1.5\t2\t3\n4\t5\t6\n7\tseven\t9\n');
    expect(await fails(['gmm', 'text.csv'])).toBe('elbo: text.csv, line 3, column 2: "seven" is not a number');
    put('blank.csv', '1,2\n3,\n');
    expect(await fails(['bgmm', 'blank.csv'])).toBe('elbo: blank.csv, line 2, column 2: an empty cell');
  });

  it('that is empty, or only a header, says so', async () => {
    put('empty.csv', '');
    expect(await fails(['gmm', 'empty.csv'])).toBe('elbo: empty.csv: the file is empty (no rows of data)');
    put('blank-lines.csv', '\n\n  \n');
    expect(await fails(['meanfield', 'blank-lines.csv', '--hidden', '2'])).toBe('elbo: blank-lines.csv: the file is empty (no rows of data)');
    put('header-only.csv', 'a,b,c\n');
    expect(await fails(['encode', 'header-only.csv', '--dictionary', 'header-only.csv'])).toBe('elbo: header-only.csv: the file has a header line but no rows of data');
    put('empty.json', '[]');
    expect(await fails(['gmm', 'empty.json'])).toBe('elbo: empty.json: the array is empty (no rows of data)');
  });

  it('that is missing says so, for data, dictionaries and models', async () => {
    expect(await fails(['gmm', 'missing.csv'])).toBe('elbo: missing.csv: no such file');
    expect(await fails(['dictlearn', 'nowhere/missing.npy'])).toBe('elbo: nowhere/missing.npy: no such file');
    expect(await fails(['encode', 'iris', '--dictionary', 'missing-dict.csv'])).toBe('elbo: missing-dict.csv: no such file');
    expect(await fails(['predict', 'missing-model.json', 'iris'])).toBe('elbo: missing-model.json: no such file');
  });

  it('in JSON names the row and column, or the line and column of a syntax error', async () => {
    put('ragged.json', '[[1, 2], [3, 4], [5]]');
    expect(await fails(['gmm', 'ragged.json'])).toBe('elbo: ragged.json, row 3: 1 value where row 1 has 2 (ragged rows)');
    put('text.json', '[[1, 2], [3, "four"]]');
    expect(await fails(['gmm', 'text.json'])).toBe('elbo: text.json, row 2, column 2: "four" is not a number');
    put('syntax.json', '[[1, 2],\n [3, 4,]]');
    expect(await fails(['gmm', 'syntax.json'])).toBe("elbo: syntax.json, line 2, column 8: invalid JSON (expected a value, found \"]\")");
  });

  it('in .npy that is not float64/float32 in C order, or truncated, says what to do', async () => {
    const good = formatNpy({ data: new Float64Array([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 });
    put('truncated.npy', good.subarray(0, good.length - 8));
    expect(await fails(['gmm', 'truncated.npy'])).toBe('elbo: truncated.npy: truncated data: shape (3, 2) needs 48 bytes, found 40');
    const fortran = new TextDecoder('latin1').decode(good).replace("'fortran_order': False", "'fortran_order': True ");
    put('fortran.npy', Uint8Array.from(fortran, (ch) => ch.charCodeAt(0)));
    expect(await fails(['gmm', 'fortran.npy'])).toMatch(/^elbo: fortran\.npy: the array is in Fortran order/);
    const ints = new TextDecoder('latin1').decode(good).replace("'<f8'", "'<i8'");
    put('ints.npy', Uint8Array.from(ints, (ch) => ch.charCodeAt(0)));
    expect(await fails(['gmm', 'ints.npy'])).toMatch(/^elbo: ints\.npy: element type '<i8' is not supported/);
    put('not.npy', 'hello');
    expect(await fails(['gmm', 'not.npy'])).toBe('elbo: not.npy: not a .npy file (the first bytes are not \\x93NUMPY)');
  });

  it('that does not suit the model is answered by the model\'s own error', async () => {
    put('two-rows.csv', '1,2\n3,4\n');
    expect(await fails(['gmm', 'two-rows.csv', '--components', '3'])).toBe('elbo: two-rows.csv must have at least -k/--components = 3 rows; got 2');
    put('model.json', '{"kind": "Something"}');
    expect(await fails(['predict', 'model.json', 'iris'])).toMatch(/^elbo: model\.json: not an elbo model/);
  });
});

describe('a bad command line', () => {
  it('exits with status 2 and points at the help', async () => {
    expect(await fails(['gmm', 'iris', '--components', 'five'], 2)).toBe('elbo: -k/--components must be an integer ≥ 1 in decimal digits; got "five"');
    expect(await fails(['gmm', 'iris', '--covariance', 'round'], 2)).toBe('elbo: --covariance must be one of full, tied, diag, spherical; got "round"');
    expect(await fails(['gmm', 'iris', '--frobnicate'], 2)).toBe("elbo: Unknown option '--frobnicate' (see elbo gmm --help)");
    expect(await fails(['gmm'], 2)).toBe('elbo: elbo gmm needs <data> [options] (see elbo gmm --help)');
    expect(await fails(['encode', 'iris'], 2)).toBe('elbo: elbo encode needs --dictionary <file> (see elbo encode --help)');
    expect(await fails(['fit'], 2)).toMatch(/^elbo: unknown command "fit"/);
    expect(await fails(['demo', 'everything'], 2)).toBe('elbo: unknown demo section "everything"; the sections are mixture, bayesian, dictionary, binary, hmm, learned');
  });
});

describe('outputs', () => {
  it('are written whole or not at all', async () => {
    put('keep.csv', 'untouched\n');
    put('ragged2.csv', '1,2\n3\n');
    await fails(['gmm', 'ragged2.csv', '--labels', 'keep.csv']);
    expect(readFileSync(join(dir, 'keep.csv'), 'utf-8')).toBe('untouched\n');
    expect(await fails(['gmm', 'iris', '--quiet', '--out', 'no-such-dir/model.json'])).toBe('elbo: cannot write no-such-dir/model.json (-o/--out): its directory no-such-dir does not exist');
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
