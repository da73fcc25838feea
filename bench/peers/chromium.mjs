// The Chromium peer: bundles bench/peers/chromium-page.mjs (elbo from dist/ and the shared timing
// code) with esbuild, serves it with dist/elbo.wasm and the run's workload data on 127.0.0.1, and
// runs it in headless Debian Chromium through playwright-core (the launch flags of
// test/browser/chromium.ts). Never a downloaded browser: $CHROMIUM_PATH or /usr/bin/chromium.
import { existsSync, readFileSync } from 'node:fs';
import { serve } from '../../scripts/serve.mjs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

function chromiumPath() {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (c && existsSync(c)) return c;
  return null;
}

const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);


/**
 * Bundles the page and reads dist/elbo.wasm: called when the run starts, so that the page runs
 * the same build of elbo that Node imported. Returns { skipped: reason } without Chromium.
 */
export async function prepareChromium() {
  const path = chromiumPath();
  if (!path) return { skipped: 'no Chromium at $CHROMIUM_PATH or /usr/bin/chromium (apt-get install chromium)' };
  const bundle = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./chromium-page.mjs', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', external: ['node:*'], write: false, logLevel: 'error',
  });
  return { path, script: bundle.outputFiles[0].contents, wasm: readFileSync(new URL('../../dist/elbo.wasm', import.meta.url)) };
}

/**
 * Runs the plan ({ gemm: [{ n, a, b }], gmm: { w, p } | null, sparse: { p, tol } | null }) in
 * Chromium with what prepareChromium() returned; returns { rows, version } or { skipped: reason }.
 */
export async function runChromium(prepared, plan, log = () => {}) {
  if (prepared.skipped) return prepared;
  const { path } = prepared;
  const bin = 'application/octet-stream';
  const routes = {
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: prepared.script },
    '/elbo.wasm': { type: 'application/wasm', body: prepared.wasm },
  };
  for (const { n, a, b } of plan.gemm) {
    routes[`/data/gemm-${n}-a.f64`] = { type: bin, body: bytes(a) };
    routes[`/data/gemm-${n}-b.f64`] = { type: bin, body: bytes(b) };
  }
  const pagePlan = { gemm: plan.gemm.map(({ n }) => ({ n })), gmm: null, sparse: null };
  if (plan.gmm) {
    const { w, p } = plan.gmm;
    Object.assign(routes, {
      '/data/gmm-X.f64': { type: bin, body: bytes(p.X.data) },
      '/data/gmm-weights.f64': { type: bin, body: bytes(p.weights) },
      '/data/gmm-means.f64': { type: bin, body: bytes(p.means) },
      '/data/gmm-precisions.f64': { type: bin, body: bytes(p.precisions) },
    });
    pagePlan.gmm = { w };
  }
  if (plan.sparse) {
    const { p, tol } = plan.sparse;
    routes['/data/sparse-X.f64'] = { type: bin, body: bytes(p.X) };
    routes['/data/sparse-D.f64'] = { type: bin, body: bytes(p.D) };
    pagePlan.sparse = { id: 'sparse-encode-10k', N: p.N, A: p.A, F: p.F, alpha: p.alpha, tol };
  }
  const site = await serve(routes);
  const browser = await chromium.launch({
    executablePath: path,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => typeof window.runPeers === 'function');
    log('chromium: running workloads 1, 2 and 4 in the page');
    const out = await page.evaluate((pl) => window.runPeers(pl), pagePlan);
    if (errors.length) throw new Error(`Chromium page errors: ${errors.join('; ')}`);
    return { rows: out.rows, version: browser.version(), userAgent: out.userAgent };
  } finally {
    await browser.close();
    await site.close();
  }
}
