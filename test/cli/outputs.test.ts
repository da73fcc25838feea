// Outputs of the built `elbo`: every path is checked before the fit, and a command writes all its
// outputs or none (in process: the Outputs class, whose commit rolls back).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outputs } from '../../src/cli/outputs.js';
import { elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const noTemporaries = () => expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.bak'))).toEqual([]);

describe('output paths', () => {
  it('are checked before the fit: --out model.json --labels nodir/l.csv leaves nothing behind and never starts fitting', async () => {
    const r = await elbo(['gmm', 'iris', '-k', '3', '--out', 'model.json', '--labels', 'nodir/l.csv'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('elbo: cannot write nodir/l.csv (--labels): its directory nodir does not exist\n');
    expect(r.stderr).not.toContain('iteration');
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
    noTemporaries();
  });

  it('refuse a directory as a file, and two outputs on one file', async () => {
    mkdirSync(join(dir, 'adir'));
    const a = await elbo(['gmm', 'iris', '--plot', 'adir'], dir);
    expect([a.code, a.stderr]).toEqual([1, 'elbo: cannot write adir (--plot): it is a directory\n']);
    const b = await elbo(['gmm', 'iris', '--out', 'same.json', '--proba', './same.json'], dir);
    expect([b.code, b.stderr]).toEqual([2, 'elbo: -o/--out and --proba both write ./same.json; give each output its own file\n']);
  });

  it.skipIf(process.getuid?.() === 0)('refuse a directory that is not writable', async () => {
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const r = await elbo(['gmm', 'iris', '--labels', 'locked/l.csv'], dir);
    expect(r.stderr).toMatch(/cannot write locked\/l.csv \(--labels\): its directory locked is not writable/);
    chmodSync(join(dir, 'locked'), 0o700);
  });

  it('are all written when the command succeeds', async () => {
    const r = await elbo(['gmm', 'iris', '-k', '3', '-q', '--out', 'm.json', '--labels', 'l.csv', '--proba', 'p.npy', '--bound-plot', 'b.svg'], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['m.json', 'l.csv', 'p.npy', 'b.svg']) expect(existsSync(join(dir, f)), f).toBe(true);
    noTemporaries();
  });
});

describe('Outputs.commit', () => {
  it('writes every staged output, and stdout last', () => {
    const o = new Outputs();
    const a = o.add('--a', join(dir, 'c-a.txt'))!;
    const b = o.add('--b', join(dir, 'c-b.txt'))!;
    o.text(a, 'A\n');
    o.labels(b, Int32Array.of(1, 2));
    o.commit();
    expect(readFileSync(a, 'utf-8')).toBe('A\n');
    expect(readFileSync(b, 'utf-8')).toBe('1\n2\n');
    expect(o.files).toEqual([a, b]);
  });

  it('restores what it replaced and removes what it created when the last rename fails', () => {
    writeFileSync(join(dir, 'r-old.txt'), 'old\n');
    const o = new Outputs();
    const old = o.add('--old', join(dir, 'r-old.txt'))!;
    const fresh = o.add('--new', join(dir, 'r-new.txt'))!;
    const late = o.add('--late', join(dir, 'r-late'))!;
    o.text(old, 'new\n');
    o.text(fresh, 'fresh\n');
    o.text(late, 'late\n');
    mkdirSync(late); // after the check: the rename onto it fails, after the other two succeeded
    expect(() => o.commit()).toThrow(/cannot write .*r-late: it is a directory; no output was written/);
    expect(readFileSync(old, 'utf-8')).toBe('old\n');
    expect(existsSync(fresh)).toBe(false);
    noTemporaries();
  });

  it('writes nothing when a staged file cannot be created', () => {
    mkdirSync(join(dir, 'r-gone'));
    const o = new Outputs();
    const a = o.add('--a', join(dir, 's-a.txt'))!;
    const b = o.add('--b', join(dir, 'r-gone', 'x.txt'))!;
    o.text(a, 'a\n');
    o.text(b, 'b\n');
    rmSync(join(dir, 'r-gone'), { recursive: true });
    expect(() => o.commit()).toThrow(/cannot write .*r-gone\/x.txt: its directory does not exist; no output was written/);
    expect(existsSync(a)).toBe(false);
    noTemporaries();
  });
});
