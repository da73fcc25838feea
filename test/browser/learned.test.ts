// LISTA in headless Chromium: the same saved model gives the same codes, bit for bit, as in
// Node, and a fit there reaches the same parameters (to 1e-12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LISTAJSON } from '../../src/index.js';
import { chromiumOrSkip, launchChromium } from './chromium.js';
import { fitListaProbe, transformListaProbe } from './learned-probe.js';
import { serveProbePage } from './probe-page.js';
import type { serve } from './serve.js';

const path = chromiumOrSkip('the LISTA browser test');

interface ProbeWindow {
  fitLista: () => Promise<LISTAJSON>;
  transformLista: (json: LISTAJSON) => Promise<number[]>;
}

describe.skipIf(!path)('LISTA in headless Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let page: Page;

  beforeAll(async () => {
    site = await serveProbePage(`import { init } from './src/browser.ts'; import { fitListaProbe, transformListaProbe } from './test/browser/learned-probe.ts';
          window.fitLista = async () => { await init(); return fitListaProbe(); };
          window.transformLista = async (json) => { await init(); return transformListaProbe(json); };`);
    browser = await launchChromium(path as string);
    page = await browser.newPage();
    await page.goto(site.url + '/');
    await page.waitForFunction(() => typeof (window as unknown as Partial<ProbeWindow>).transformLista === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('transforms with a model fitted in Node to the same codes as Node, bit for bit', async () => {
    const json = fitListaProbe();
    const inBrowser = await page.evaluate((j) => (window as unknown as ProbeWindow).transformLista(j), json);
    const inNode = transformListaProbe(json);
    expect(inBrowser.length).toBe(64 * 16);
    expect(inBrowser).toEqual(inNode);
  });

  it('fits the same parameters as Node (to 1e-12)', async () => {
    const inBrowser = await page.evaluate(() => (window as unknown as ProbeWindow).fitLista());
    const inNode = fitListaProbe();
    const b = [...inBrowser.encoderWeights.data, ...inBrowser.inhibition.data, ...inBrowser.thresholds];
    const n = [...inNode.encoderWeights.data, ...inNode.inhibition.data, ...inNode.thresholds];
    expect(b.length).toBe(n.length);
    for (let i = 0; i < n.length; i++) expect(Math.abs(b[i] - n[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(n[i])));
  });
});
