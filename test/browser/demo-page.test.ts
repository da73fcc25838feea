// The demo page (web/, served as `npm run demo:web` serves it) in headless Chromium: it loads
// with no console errors, a click adds a point, Gaussian and Bayesian mixtures fit and draw
// their ellipses and bound, stop stops a fit, dictionary atoms are learned from the digits, and
// a screenshot is saved to test/artifacts/demo-page.png. Without a local Chromium this part is
// skipped loudly; with CI=true that is a failure.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildWeb } from '../../scripts/web.mjs';
import { chromiumOrSkip, launchChromium } from './chromium.js';
import { serve } from './serve.js';

const path = chromiumOrSkip('the demo page test');
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe.skipIf(!path)('the demo page in headless Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let page: Page;
  const errors: string[] = [];

  /** Waits until the page leaves the 'fitting' state and returns the state it ends in. */
  async function settled(): Promise<string> {
    await page.waitForFunction(() => document.body.dataset.state !== 'fitting', undefined, { timeout: 60_000 });
    return page.evaluate(() => document.body.dataset.state as string);
  }
  const count = (selector: string) => page.locator(selector).count();

  beforeAll(async () => {
    site = await serve(await buildWeb());
    browser = await launchChromium(path as string);
    page = await browser.newPage({ viewport: { width: 1240, height: 1400 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/?delay=5`);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', undefined, { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('loads elbo.wasm and draws the data with no console errors', async () => {
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('ready');
    expect(await page.textContent('#status')).toContain('ready');
    expect(await count('#scatter svg circle')).toBeGreaterThanOrEqual(240);
    expect(errors).toEqual([]);
  });

  it('adds a point where the plot is clicked', async () => {
    await page.selectOption('#dataset', 'points');
    expect(await count('#scatter svg circle')).toBe(0);
    const box = (await page.locator('#scatter svg').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
    expect(await count('#scatter svg circle')).toBe(2);
    expect(await page.textContent('#status')).toBe('2 points');
    await page.click('#fit');
    expect(await settled()).toBe('error'); // two points are too few for K = 4, and the page says so
    expect(await page.textContent('#status')).toContain('need at least 4 points');
  });

  it('fits a Gaussian mixture, drawing the ellipses and the bound per iteration', async () => {
    await page.selectOption('#dataset', 'clusters');
    await page.fill('#components', '3');
    await page.click('#fit');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#status')).toMatch(/Gaussian mixture: iteration \d+, bound -?\d+\.\d+.*converged/);
    expect(await count('#scatter svg ellipse')).toBe(6); // 3 components at 1σ and 2σ
    const bound = await page.getAttribute('#bound svg polyline', 'points');
    expect(bound!.trim().split(' ').length).toBeGreaterThanOrEqual(2);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}demo-page-gmm.png`, clip: { x: 0, y: 0, width: 1240, height: 720 } });
  });

  it('stops a fit when asked', async () => {
    await page.goto(`${site.url}/?delay=400`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.selectOption('#dataset', 'iris');
    await page.fill('#components', '6');
    await page.click('#fit');
    await page.waitForFunction(() => /iteration 2,/.test(document.getElementById('status')!.textContent!));
    await page.click('#stop');
    expect(await settled()).toBe('stopped');
    expect(await page.textContent('#status')).toMatch(/stopped after \d+ iterations/);
  });

  it('fits a Bayesian mixture on iris and draws it on the principal axes', async () => {
    await page.goto(`${site.url}/?delay=5`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.selectOption('#dataset', 'iris');
    await page.selectOption('#model', 'bgmm');
    await page.fill('#components', '6');
    await page.click('#fit');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#status')).toMatch(/Bayesian mixture: iteration \d+, .* components with weight > 0\.01: converged/);
    expect(await count('#scatter svg ellipse')).toBe(12);
    expect(await page.textContent('#scatter svg')).toContain('first principal axis');
  });

  it('runs k-means on iris one Lloyd iteration per frame until it converges', async () => {
    await page.goto(`${site.url}/?delay=5`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.selectOption('#dataset', 'iris');
    await page.selectOption('#model', 'kmeans');
    await page.fill('#components', '3');
    await page.click('#fit');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#status')).toMatch(/k-means: iteration \d+, inertia [\d.]+: converged/);
    expect(await page.textContent('#bound svg')).toContain('inertia per iteration');
  });

  it('learns dictionary atoms on the digits and shows them as 8×8 tiles', async () => {
    await page.fill('#atoms', '100');
    await page.fill('#epochs', '1');
    await page.click('#learn');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#dict-status')).toMatch(/100 atoms learned in 1 epoch \(8 mini-batches\)/);
    expect(await count('#atoms-plot svg rect[x]')).toBe(100 * 64);
    expect(errors).toEqual([]);
  });

  it('saves a screenshot of the page to test/artifacts/', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}demo-page.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
