// Builds everything a user or a test needs: build/elbo.wasm (release; --debug adds
// build/elbo.debug.wasm), dist/index.js (one ESM bundle for Node and browsers, with
// dist/elbo.wasm beside it), dist/cli.js (the `elbo` command) and dist/types (.d.ts). Usage: node scripts/build.mjs [--wasm-only] [--debug]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, argv) => execFileSync(cmd, argv, { cwd: root, stdio: 'inherit' });

mkdirSync(join(root, 'build'), { recursive: true });
run(bin('asc'), ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'release']);
if (args.has('--debug')) run(bin('asc'), ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'debug']);
if (!args.has('--wasm-only')) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'src/index.ts')],
    outfile: join(root, 'dist/index.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // Node built-ins are loaded lazily, only under Node; browsers never reach those imports.
    external: ['node:*'],
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'build/elbo.wasm'), join(root, 'dist/elbo.wasm'));
  // The command line (package.json "bin": elbo): its own bundle of the library for Node, which
  // finds dist/elbo.wasm and data/ relative to itself as dist/index.js does.
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
  await esbuild.build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(root, 'dist/cli.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { __ELBO_VERSION__: JSON.stringify(version) },
    // Optional peer dependencies, imported only when a plot is written (src/cli/plot.ts).
    external: ['vega', 'vega-lite'],
    sourcemap: true,
    logLevel: 'warning',
  });
  chmodSync(join(root, 'dist/cli.js'), 0o755);
  run(bin('tsc'), ['-p', 'tsconfig.json']);
}
