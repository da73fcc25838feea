// elbo-wasm/worker in headless Chromium, from the built package (dist/worker.js, which starts
// dist/worker-main.js as a module Web Worker): a Gaussian mixture fit of 100k rows leaves
// requestAnimationFrame ticking on the main thread, and gives the same model as the same fit in
// Node. The check is structural and reads no clock: a main thread busy with the fit draws no
// frame until it ends (the same fit run on the main thread shows it: no frame falls between any
// two of its iterations), so the fit in the worker must let frames through between most of its
// iterations' progress messages. Without a local Chromium this part is skipped loudly; with CI=true that is
// a failure.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import * as elbo from '../../dist/index.js';
import { fitInWorker } from '../../dist/worker-node.js';
import { chromiumOrSkip, launchChromium } from './chromium.js';
import { serve } from './serve.js';
import { OPTIONS, responsivenessData, type FrameReport } from './worker-probe.js';

const path = chromiumOrSkip('the fit-worker browser test');
const dist = new URL('../../dist/', import.meta.url);

/** The page: the probe bundled with elbo-wasm left to the import map, which names dist/. */
async function routes() {
  const probe = await esbuild.build({
    stdin: {
      contents: `import { init, GaussianMixture, Random, ShapeError } from 'elbo-wasm';
        import { fitInWorker } from 'elbo-wasm/worker';
        import { OPTIONS, responsivenessData, watchFrames } from './test/browser/worker-probe.ts';
        const X = () => responsivenessData(Random);
        window.inWorker = async () => { await init(); const data = X(); return watchFrames((onIteration) => fitInWorker(new GaussianMixture(OPTIONS), data, { transfer: true, onProgress: onIteration })); };
        window.badFit = async (options) => { try { await fitInWorker(new GaussianMixture({ nComponents: 2 }), { data: new Float64Array(5), rows: 2, cols: 3 }, options); } catch (e) { return { name: e.name, message: e.message, isShapeError: e instanceof ShapeError }; } };
        window.onMainThread = async () => { await init(); const data = X(); return watchFrames(async (onIteration) => new GaussianMixture({ ...OPTIONS, onIteration }).fit(data)); };
        window.ready = true;`,
      resolveDir: new URL('../../', import.meta.url).pathname, loader: 'ts',
    },
    bundle: true, format: 'esm', platform: 'browser', external: ['elbo-wasm', 'elbo-wasm/*'], write: false,
  });
  const importMap = JSON.stringify({ imports: { 'elbo-wasm': '/dist/browser.js', 'elbo-wasm/worker': '/dist/worker.js' } });
  const out: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html', body: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="importmap">${importMap}</script><script type="module" src="/probe.js"></script>` },
    '/probe.js': { type: 'text/javascript', body: probe.outputFiles[0].contents },
    '/dist/elbo.wasm': { type: 'application/wasm', body: readFileSync(new URL('elbo.wasm', dist)) },
  };
  for (const f of readdirSync(dist).filter((n) => n.endsWith('.js'))) out[`/dist/${f}`] = { type: 'text/javascript', body: readFileSync(new URL(f, dist)) };
  return out;
}

/** Every number of two saved models equal to 1e-12 relative, and everything else equal. */
function expectSameModel(actual: unknown, expected: unknown): void {
  const numbers: Array<[number, number, string]> = [];
  const shape = (a: unknown, e: unknown, at: string): unknown => {
    if (typeof e === 'number') { numbers.push([a as number, e, at]); return 0; }
    if (Array.isArray(e)) return e.map((v, i) => shape((a as unknown[])[i], v, `${at}[${i}]`));
    if (e && typeof e === 'object') return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, shape((a as Record<string, unknown>)[k], v, `${at}.${k}`)]));
    return e;
  };
  expect(shape(actual, actual, '')).toEqual(shape(expected, expected, ''));
  const off = numbers.filter(([a, e]) => !(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)))).map(([a, e, at]) => `${at}: ${a} vs ${e}`);
  expect(off, 'numbers that differ from Node\'s').toEqual([]);
}

describe.skipIf(!path)('a fit in a Web Worker (elbo-wasm/worker) in headless Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await elbo.init();
    site = await serve(await routes());
    browser = await launchChromium(path as string);
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const run = (fn: 'inWorker' | 'onMainThread') => page.evaluate((f) => (window as unknown as Record<string, () => Promise<FrameReport>>)[f](), fn);

  it('keeps requestAnimationFrame ticking through a fit of 100k rows, and fits the same model as Node', async () => {
    const report = await run('inWorker');
    console.log(`fit in a Web Worker: ${report.frames} frames; frames between ${report.intervalsWithFrames} of its ${report.iterations - 1} pairs of consecutive iterations`);
    // Frames kept coming through the fit, not only at one moment of it.
    expect(report.iterations).toBe(OPTIONS.maxIter);
    expect(report.frames).toBeGreaterThanOrEqual(5);
    expect(report.intervalsWithFrames).toBeGreaterThanOrEqual((report.iterations - 1) / 2);
    // The same model as Node's, in a Node worker thread and on Node's main thread (those two byte
    // for byte): to 1e-12, as every fit in Chromium (test/browser/kernels.test.ts).
    const inNodeWorker = await fitInWorker(new elbo.GaussianMixture(OPTIONS), responsivenessData(elbo.Random));
    const inNode = new elbo.GaussianMixture(OPTIONS).fit(responsivenessData(elbo.Random));
    expect(JSON.stringify(inNodeWorker.toJSON())).toBe(JSON.stringify(inNode.toJSON()));
    expectSameModel(report.json, inNode.toJSON());
    expect(errors).toEqual([]);
  });

  it('rejects a fit that throws in the worker with the same error class and message as in Node', async () => {
    const there = await page.evaluate(() => (window as unknown as { badFit: () => Promise<unknown> }).badFit());
    const here = (() => { try { new elbo.GaussianMixture({ nComponents: 2 }).fit({ data: new Float64Array(5), rows: 2, cols: 3 }); } catch (e) { return e as Error; } })()!;
    expect(there).toEqual({ name: 'ShapeError', message: here.message, isShapeError: true });
  });

  it('rejects with a FitWorkerError saying what to serve when the worker script is missing', async () => {
    const all = await routes();
    delete all['/dist/worker-main.js'];
    const broken = await serve(all);
    const other = await browser.newPage();
    try {
      await other.goto(`${broken.url}/`);
      await other.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const err = await other.evaluate(() => (window as unknown as { badFit: () => Promise<{ name: string; message: string }> }).badFit());
      expect(err.name).toBe('FitWorkerError');
      expect(err.message).toMatch(/worker-main\.js .*did not load/);
    } finally {
      await other.close();
      await broken.close();
    }
  });

  it('shows what the check detects: the same fit on the main thread draws no frame until it ends', async () => {
    const report = await run('onMainThread');
    console.log(`fit on the main thread: ${report.frames} frames; frames between ${report.intervalsWithFrames} of its ${report.iterations - 1} pairs of consecutive iterations`);
    expect(report.iterations).toBe(OPTIONS.maxIter);
    expect(report.frames).toBe(0);
    expect(report.intervalsWithFrames).toBe(0);
  });
});
