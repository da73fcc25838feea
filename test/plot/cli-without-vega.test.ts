// vega and vega-lite are optional peer dependencies: the command line without them (a copy of
// dist/ where no node_modules can be found) still fits and writes Vega-Lite JSON, and refuses
// an SVG plot up front, before the fit, with the command that installs them.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Run } from '../cli/run.js';
import { compile } from './vega.js';

describe('the command line without vega installed', () => {
  let dir: string;
  /** The copy's `elbo` command, run in its directory. */
  const bare = (args: string[]) => new Promise<Run>((resolve) => {
    execFile(process.execPath, [join(dir, 'dist/cli.js'), ...args], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'elbo-no-vega-'));
    // A package directory with nothing to resolve 'vega' from (tmpdir has no node_modules).
    for (const p of ['node_modules', '../node_modules']) expect(existsSync(join(dir, p)), p).toBe(false);
    mkdirSync(join(dir, 'dist'));
    mkdirSync(join(dir, 'data'));
    // The built command and whatever it loads beside it (the library bundle, the wasm), and the package's own package.json.
    for (const f of readdirSync(join(ROOT, 'dist'))) if (/\.(m?js|wasm)$/.test(f)) copyFileSync(join(ROOT, 'dist', f), join(dir, 'dist', f));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(ROOT, 'data/iris.csv'), join(dir, 'data/iris.csv'));
    copyFileSync(join(ROOT, 'data/iris-labels.csv'), join(dir, 'data/iris-labels.csv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an SVG plot before fitting and says how to install vega', async () => {
    const r = await bare(['gmm', 'iris', '-k', '3', '--plot', 'fit.svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('npm install vega vega-lite');
    expect(r.stderr).not.toMatch(/iteration/); // no work was done first
    expect(existsSync(join(dir, 'fit.svg'))).toBe(false);
  });

  it('fits and writes the plot as its Vega-Lite specification when the name ends in .json', async () => {
    const r = await bare(['gmm', 'iris', '-k', '3', '--plot', 'fit.vl.json', '--bound-plot', 'bound.json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['fit.vl.json', 'bound.json']) {
      const spec = JSON.parse(readFileSync(join(dir, f), 'utf-8'));
      expect(spec.$schema).toMatch(/vega-lite/);
      expect(compile(spec).messages).toEqual([]);
    }
  });
});
