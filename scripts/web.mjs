// The demo page (web/): `npm run demo:web` builds it with esbuild and serves it on 127.0.0.1.
// The page's script imports the library as 'elbo-wasm', 'elbo-wasm/datasets' and
// 'elbo-wasm/worker', which stay external and resolve, through the page's import map, to the
// package's own browser build (dist/browser.js, dist/datasets.js, dist/worker.js and their
// chunks, served from /dist/); that build fetches elbo.wasm from beside itself, and the fit
// worker (dist/worker-main.js, started by dist/worker.js) does the same.
// Usage: node scripts/web.mjs [--port N]   (run `npm run build` first; npm run demo:web does)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serve } from './serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The page's files: path → { type, body }, built in memory. */
export async function buildWeb() {
  for (const f of ['dist/browser.js', 'dist/datasets.js', 'dist/worker.js', 'dist/worker-main.js', 'dist/elbo.wasm']) {
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
    external: ['elbo-wasm', 'elbo-wasm/*'],
  });
  const file = (p) => readFileSync(join(root, p));
  const importMap = JSON.stringify({ imports: { 'elbo-wasm': '/dist/browser.js', 'elbo-wasm/datasets': '/dist/datasets.js', 'elbo-wasm/worker': '/dist/worker.js' } });
  const html = file('web/index.html').toString('utf-8')
    .replace('<head>', `<head>\n<script type="importmap">${importMap}</script>`);
  const routes = {
    '/': { type: 'text/html; charset=utf-8', body: html },
    '/app.js': { type: 'text/javascript', body: app.outputFiles[0].contents },
    '/dist/elbo.wasm': { type: 'application/wasm', body: file('dist/elbo.wasm') },
  };
  for (const name of readdirSync(join(root, 'dist')).filter((n) => n.endsWith('.js'))) {
    routes[`/dist/${name}`] = { type: 'text/javascript', body: file(`dist/${name}`) };
  }
  return routes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const site = await serve(await buildWeb(), { port });
  console.log(`elbo demo page: ${site.url}/   (Ctrl-C to stop)`);
}
