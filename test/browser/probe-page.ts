// A page that runs a probe module in the browser build: `source` (TypeScript, resolved from the
// project root) is bundled for the browser and served beside build/elbo.wasm on 127.0.0.1.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serve } from './serve.js';

/** Serves `source` as /probe.js in an empty page at `/`, with /elbo.wasm beside it. */
export async function serveProbePage(source: string): Promise<Awaited<ReturnType<typeof serve>>> {
  const bundle = await esbuild.build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('../../', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    write: false,
  });
  const wasm = await readFile(new URL('../../build/elbo.wasm', import.meta.url));
  return serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/probe.js"></script>' },
    '/probe.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
    '/elbo.wasm': { type: 'application/wasm', body: wasm },
  });
}
