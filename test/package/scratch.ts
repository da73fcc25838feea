// The scratch side of the package tests: `npm pack` from a fresh copy of the working tree, a
// consumer project in a temporary directory with the tarball and the bundlers installed by npm,
// and a static server for a built page.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serve } from '../browser/serve.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONSUMER_SOURCE = fileURLToPath(new URL('./consumer/', import.meta.url));
const exec = promisify(execFile);

/** Runs a command; rejects with its output when it fails. */
export async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** What `npm pack --json` says about one tarball. */
export interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

/**
 * The working tree as a fresh clone would have it (tracked and untracked files that git does
 * not ignore: no build/, no dist/) in `dir`, with the repository's node_modules linked in, and
 * `npm pack` run there, so the tarball is whatever `prepack` builds.
 */
export async function packFreshCopy(dir: string): Promise<PackInfo & { tarball: string }> {
  const copy = join(dir, 'clone');
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  for (const file of stdout.split('\0').filter(Boolean)) {
    let isFile = false;
    try { isFile = statSync(join(ROOT, file)).isFile(); } catch { /* deleted in the working tree */ }
    if (!isFile) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = await run('npm', ['pack', '--json', '--pack-destination', dir], copy);
  const info = (JSON.parse(out.stdout.slice(out.stdout.indexOf('['))) as PackInfo[])[0];
  return { ...info, tarball: join(dir, info.filename) };
}

/** The version of a package installed in the repository (the consumer installs the same). */
export function repoVersion(name: string): string {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf-8')).version;
}

/**
 * A consumer project: test/package/consumer/ copied to `dir`, then `npm install` of the
 * tarball and, as devDependencies, the bundlers at the repository's versions (which `npm ci`
 * of the repository has put in npm's cache).
 */
export async function makeConsumer(dir: string, tarball: string): Promise<string> {
  cpSync(CONSUMER_SOURCE, dir, { recursive: true });
  const bundlers = ['vite', 'esbuild', 'webpack', 'webpack-cli'];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'elbo-wasm-consumer',
    private: true,
    type: 'module',
    // esbuild's optional platform package carries its binary; its install script is not needed.
    allowScripts: { esbuild: false },
  }, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', ...bundlers.map((b) => `${b}@${repoVersion(b)}`)], dir);
  return dir;
}

/** A fresh temporary directory. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/** Every file under `dir` as a route of scripts/serve.mjs ('/a/index.html' also as '/a/'). */
export function routesOf(dir: string): Record<string, { type: string; body: Uint8Array }> {
  const routes: Record<string, { type: string; body: Uint8Array }> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      const path = '/' + relative(dir, p).split('\\').join('/');
      const route = { type: TYPES[extname(p)] ?? 'application/octet-stream', body: readFileSync(p) };
      routes[path] = route;
      if (path.endsWith('/index.html')) routes[path.slice(0, -'index.html'.length)] = route;
    }
  };
  walk(dir);
  return routes;
}

/** Serves `dir` (plus `extra` routes) on 127.0.0.1. */
export function serveDir(dir: string, extra: Record<string, { type: string; body: Uint8Array | string }> = {}) {
  return serve({ ...routesOf(dir), ...extra });
}

/** Every file under `dir` whose name ends in `ext`, as paths relative to `dir`. */
export function filesOf(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(ext)) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}
