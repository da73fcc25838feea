// Builds everything a user or a test needs: build/elbo.wasm (release; --debug adds
// build/elbo.debug.wasm), build/elbo.threads.wasm (the same kernels over one shared memory, for
// the worker pool of init({ threads })), the package's entries in dist/ and dist/types (.d.ts).
// The entries are one esbuild build with code splitting, so the library exists once in the
// package and every entry shares its module state (the loaded wasm):
//   dist/index.js     Node ("node" condition): init() reads dist/elbo.wasm from disk
//   dist/browser.js   browsers and bundlers ("browser"/"default"): init() fetches
//                     new URL('./elbo.wasm', import.meta.url); no node: imports anywhere
//   dist/inline.js    elbo-wasm/inline: elbo.wasm embedded in base64, for zero configuration
//   dist/datasets.js  elbo-wasm/datasets: iris and digits embedded
//   dist/io.js        elbo-wasm/io (Node only): data files read into matrices (readMatrixFile)
//   dist/cli.js       the `elbo` command (package.json "bin")
//   dist/worker.js    elbo-wasm/worker in browsers: fits in a module Web Worker running
//                     dist/worker-main.js (named by new URL('./worker-main.js', import.meta.url))
//   dist/worker-node.js  elbo-wasm/worker in Node: fits in a worker thread running dist/worker-thread.js
//   dist/chunk-*.js   the code they share; dist/elbo.wasm, dist/elbo.threads.wasm
// Usage: node scripts/build.mjs [--wasm-only] [--debug]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { embeddedDefines } from './embedded.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, argv) => execFileSync(cmd, argv, { cwd: root, stdio: 'inherit' });

mkdirSync(join(root, 'build'), { recursive: true });
run(bin('asc'), ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'release']);
run(bin('asc'), ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'threads']);
if (args.has('--debug')) run(bin('asc'), ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'debug']);
if (!args.has('--wasm-only')) {
  // A clean dist/: no chunk of an earlier build may reach the tarball.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  const file = (p) => readFileSync(join(root, p));
  const { version } = JSON.parse(file('package.json').toString('utf-8'));
  const entries = {
    index: 'src/node.ts',
    browser: 'src/browser.ts',
    inline: 'src/inline.ts',
    datasets: 'src/datasets/index.ts',
    io: 'src/io.ts',
    cli: 'src/cli/main.ts',
    worker: 'src/worker/browser.ts',
    'worker-main': 'src/worker/thread-browser.ts',
    'worker-node': 'src/worker/node.ts',
    'worker-thread': 'src/worker/thread-node.ts',
  };
  const { metafile } = await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, join(root, src)])),
    outdir: join(root, 'dist'),
    // Chunks stay beside the entries: new URL('./elbo.wasm', import.meta.url) in any of them
    // then names dist/elbo.wasm.
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    // Node built-ins are imported only by modules that only the Node entry and the command line
    // reach (lazily): the browser, inline and datasets entries' files never name one.
    // vega and vega-lite: optional peer dependencies, imported only when the command line writes
    // a plot (src/cli/plot.ts).
    external: ['node:*', 'vega', 'vega-lite'],
    define: {
      __ELBO_VERSION__: JSON.stringify(version),
      ...embeddedDefines(root, { wasm: true }),
    },
    metafile: true,
    logLevel: 'warning',
  });
  pruneEmptyChunks(Object.keys(metafile.outputs).map((p) => join(root, p)));
  copyFileSync(join(root, 'build/elbo.wasm'), join(root, 'dist/elbo.wasm'));
  copyFileSync(join(root, 'build/elbo.threads.wasm'), join(root, 'dist/elbo.threads.wasm'));
  const cli = join(root, 'dist/cli.js');
  writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf-8')}`);
  chmodSync(cli, 0o755);
  run(bin('tsc'), ['-p', 'tsconfig.json']);
  // dist/<entry>.d.ts beside each entry, re-exporting the source it is built from: the tests that
  // import a built entry by its path (and mix it with the sources) are typed as the sources are.
  // Not in the package ("files" leaves them out): its types are dist/types.
  for (const [name, src] of Object.entries(entries)) {
    writeFileSync(join(root, `dist/${name}.d.ts`), `export * from '../${src.replace(/\.ts$/, '.js')}';\n`);
  }
}

/**
 * esbuild emits an empty chunk for modules that only re-export (src/index.ts) and imports it
 * from every entry; importing an empty module does nothing, so the file and its imports go.
 */
function pruneEmptyChunks(outputs) {
  const js = outputs.filter((p) => p.endsWith('.js'));
  const empty = js.filter((p) => readFileSync(p, 'utf-8').trim() === '');
  for (const p of empty) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    for (const q of js) {
      if (empty.includes(q)) continue;
      const text = readFileSync(q, 'utf-8');
      const pruned = text.replaceAll(`import "./${name}";\n`, '');
      if (pruned !== text) writeFileSync(q, pruned);
    }
    rmSync(p);
  }
}
