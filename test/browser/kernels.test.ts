// The same elbo.wasm in headless Chromium: every probed kernel result must be bit-identical to
// Node's. Without a local Chromium this part is skipped loudly; with CI=true that is a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from './chromium.js';
import { runMixtureProbe, runProbes, type ProbeResults } from './probe.js';
import { serveProbePage } from './probe-page.js';
import type { serve } from './serve.js';

const path = chromiumOrSkip('the browser kernel test');

describe.skipIf(!path)('the same elbo.wasm in headless Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    site = await serveProbePage(`import { init } from './src/browser.ts'; import { runProbes, runMixtureProbe } from './test/browser/probe.ts';
          window.probe = async () => { await init(); return runProbes(); };
          window.mixtureProbe = async () => { await init(); return runMixtureProbe(); };`);
    browser = await launchChromium(path as string);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('loads the module by URL with no console errors and matches Node bit for bit', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(site.url + '/');
    await page.waitForFunction(() => typeof (window as unknown as { probe?: unknown }).probe === 'function');
    const inBrowser = (await page.evaluate(() => (window as unknown as { probe: () => Promise<ProbeResults> }).probe())) as ProbeResults;
    const inNode = runProbes();
    expect(errors).toEqual([]);
    expect(Object.keys(inBrowser).sort()).toEqual(Object.keys(inNode).sort());
    const differing = Object.keys(inNode).filter((name) => inBrowser[name] !== inNode[name]);
    expect(differing, `results that differ between Chromium and Node`).toEqual([]);
    expect(Object.keys(inNode).length).toBe(29); // 14 kernels × 2 element types + the generator
    await page.close();
  });

  it('fits the same Gaussian mixture as Node (to 1e-12)', async () => {
    const page = await browser.newPage();
    await page.goto(site.url + '/');
    await page.waitForFunction(() => typeof (window as unknown as { mixtureProbe?: unknown }).mixtureProbe === 'function');
    const inBrowser = (await page.evaluate(() => (window as unknown as { mixtureProbe: () => Promise<number[]> }).mixtureProbe())) as number[];
    const inNode = runMixtureProbe();
    expect(inBrowser.length).toBe(inNode.length);
    for (let i = 0; i < inNode.length; i++) expect(Math.abs(inBrowser[i] - inNode[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(inNode[i])));
    await page.close();
  });
});
