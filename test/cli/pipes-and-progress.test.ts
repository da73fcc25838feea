// The built `elbo` in a pipeline: a reader that stops early (| head -1) ends it quietly with
// status 0, and every command that can run for seconds reports progress while it works.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

/** Runs a bash pipeline in the scratch directory; returns elbo's exit status, and what reached the terminal. */
function pipeline(elboArgs: string, after: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const script = `node ${JSON.stringify(CLI)} ${elboArgs} | ${after}; echo "elbo-status=\${PIPESTATUS[0]}" >&2`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd: dir, maxBuffer: 64 << 20 }, (_err, stdout, stderr) => {
      const m = /elbo-status=(\d+)/.exec(stderr);
      resolve({ status: m ? Number(m[1]) : -1, stdout, stderr: stderr.replace(/elbo-status=\d+\n?/, '') });
    });
  });
}

/** The JSON events a --json run wrote on stderr. */
const events = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a closed pipe', () => {
  it('ends `elbo predict ... | head -1` quietly with status 0 (no EPIPE stack trace)', async () => {
    const fit = await elbo(['gmm', 'digits', '-k', '10', '--max-iter', '5', '-q', '--out', 'digits.json'], dir);
    expect(fit.code, fit.stderr).toBe(0);
    const r = await pipeline('predict digits.json digits --output proba', 'head -1');
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.status).toBe(0);
  });

  it('ends `elbo encode ... | head -c 10` quietly too', async () => {
    const atoms = Array.from({ length: 16 }, (_, k) => Array.from({ length: 64 }, (_, j) => Math.cos(0.3 * k * j + k)).join(',')).join('\n');
    writeFileSync(join(dir, 'atoms.csv'), atoms + '\n');
    const r = await pipeline('encode digits --dictionary atoms.csv', 'head -c 10');
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.status).toBe(0);
  });
});

describe('progress', () => {
  it('is reported by every command that can take more than a second', async () => {
    writeFileSync(join(dir, 'atoms8.csv'), Array.from({ length: 8 }, (_, k) => Array.from({ length: 64 }, (_, j) => ((j + k) % 9) - 4).join(',')).join('\n') + '\n');
    const fit = await elbo(['gmm', 'iris', '-k', '3', '-q', '--out', 'iris.json'], dir);
    expect(fit.code).toBe(0);
    const runs: [string, string[], string][] = [
      ['gmm', ['gmm', 'iris', '-k', '3'], 'iteration'],
      ['bgmm', ['bgmm', 'iris', '-k', '3'], 'iteration'],
      ['dictlearn', ['dictlearn', 'digits', '--atoms', '8', '--max-iter', '1', '--codes', 'codes.csv'], 'iteration'],
      ['dictlearn --codes', ['dictlearn', 'digits', '--atoms', '8', '--max-iter', '1', '--codes', 'codes2.csv'], 'progress'],
      ['meanfield', ['meanfield', 'iris', '--hidden', '2', '--max-iter', '2'], 'iteration'],
      ['encode', ['encode', 'digits', '--dictionary', 'atoms8.csv', '--out', 'e.csv'], 'progress'],
      ['predict', ['predict', 'iris.json', 'iris', '--out', 'p.csv'], 'progress'],
    ];
    for (const [name, args, event] of runs) {
      const r = await elbo([...args, '--json'], dir);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const seen = events(r.stderr).filter((e) => e.event === event);
      expect(seen.length, name).toBeGreaterThan(0);
      if (event === 'progress') {
        const last = seen[seen.length - 1];
        expect(last.rows, name).toBe(last.total);
      }
    }
  });

  it('encode in blocks of rows gives the codes of one call over all rows', async () => {
    const { init } = await import('../../src/node.js');
    const { sparseEncode } = await import('../../src/index.js');
    const { loadDigits } = await import('../../src/datasets/index.js');
    await init();
    const { X } = await loadDigits();
    const D = readFileSync(join(dir, 'atoms8.csv'), 'utf-8').trim().split('\n').map((l) => l.split(',').map(Number));
    const whole = sparseEncode(X, D, { alpha: 1 }).codes.data;
    const r = await elbo(['encode', 'digits', '--dictionary', 'atoms8.csv', '--out', 'codes-all.csv', '-q'], dir);
    expect(r.code).toBe(0);
    const cli = readFileSync(join(dir, 'codes-all.csv'), 'utf-8').trim().split('\n').flatMap((l) => l.split(',').map(Number));
    expect(cli).toEqual(Array.from(whole));
  });
});
