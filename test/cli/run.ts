// Runs the built command line (dist/cli.js, made by `npm run build`) in a scratch directory.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js ...args` in cwd, with stderr not a terminal (one progress line per iteration). */
export function elbo(args: string[], cwd: string): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, ELBO_DEBUG: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A fresh scratch directory and a function that removes it. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'elbo-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
