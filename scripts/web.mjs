// The demo page (web/): `npm run demo:web` builds it with esbuild and serves it on 127.0.0.1.
// The page's script imports the library as 'elbo', which stays external and resolves to the very
// bundle Node uses (dist/index.js, served as /index.js), and that bundle fetches the very same
// elbo.wasm from beside itself; the shipped data are served under /data/.
// Usage: node scripts/web.mjs [--port N]   (run `npm run build` first; npm run demo:web does)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serve } from './serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The page's files: path → { type, body }, built in memory. */
export async function buildWeb() {
  for (const f of ['dist/index.js', 'dist/elbo.wasm']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const app = await esbuild.build({
    entryPoints: [join(root, 'web/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins: [{
      name: 'elbo-external',
      setup(b) {
        b.onResolve({ filter: /^elbo$/ }, () => ({ path: './index.js', external: true }));
      },
    }],
  });
  const file = (p) => readFileSync(join(root, p));
  return {
    '/': { type: 'text/html; charset=utf-8', body: file('web/index.html') },
    '/app.js': { type: 'text/javascript', body: app.outputFiles[0].contents },
    '/index.js': { type: 'text/javascript', body: file('dist/index.js') },
    '/elbo.wasm': { type: 'application/wasm', body: file('dist/elbo.wasm') },
    '/data/iris.csv': { type: 'text/csv', body: file('data/iris.csv') },
    '/data/iris-labels.csv': { type: 'text/csv', body: file('data/iris-labels.csv') },
    '/data/digits.csv.gz': { type: 'application/gzip', body: file('data/digits.csv.gz') },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const site = await serve(await buildWeb(), { port });
  console.log(`elbo demo page: ${site.url}/   (Ctrl-C to stop)`);
}
