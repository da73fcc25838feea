// A page that runs a probe module in the browser build: `source` (TypeScript, resolved from the
// project root) is bundled for the browser and served beside build/elbo.wasm and
// build/elbo.threads.wasm on 127.0.0.1, cross-origin isolated or not.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serve } from './serve.js';

/**
 * Serves `source` as /probe.js in an empty page at `/`, with /elbo.wasm and /elbo.threads.wasm
 * beside it; `isolated` sends the COOP/COEP headers (SharedArrayBuffer, threads).
 */
export async function serveProbePage(source: string, { isolated = false } = {}): Promise<Awaited<ReturnType<typeof serve>>> {
  const bundle = await esbuild.build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('../../', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    write: false,
  });
  const wasm = await readFile(new URL('../../build/elbo.wasm', import.meta.url));
  const threadsWasm = await readFile(new URL('../../build/elbo.threads.wasm', import.meta.url));
  return serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/probe.js"></script>' },
    '/probe.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
    '/elbo.wasm': { type: 'application/wasm', body: wasm },
    '/elbo.threads.wasm': { type: 'application/wasm', body: threadsWasm },
  }, { isolated });
}
