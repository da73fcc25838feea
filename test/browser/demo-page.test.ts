// The demo page (web/, served as `npm run demo:web` serves it) in headless Chromium: it opens on
// a fit of its defaults that finds the clusters, in a Web Worker (elbo-wasm/worker), with no
// console errors; a click adds a point
// where it lands; Gaussian and Bayesian mixtures fit and draw their contours (only components
// in use) and bound; stop stops a fit; dictionary atoms are learned from the digits; screenshots
// are saved to test/artifacts/. Without a local Chromium this part is skipped loudly; with
// CI=true that is a failure.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
// The page's declaration of window.demo (web/main.ts declares it on Window).
import type { DemoState } from '../../web/main.js';
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
  /** Marks of a layer of elbo's plots in vega's SVG: points_marks (one path per point), contours_marks (one group per contour). */
  const points = () => count('#scatter svg g.points_marks path');
  const contours = () => count('#scatter svg g.contours_marks');
  /** Ticks drawn on each axis of the plot in the element with this id. */
  const ticks = (id: string) => page.evaluate((id) => Array.from(document.querySelectorAll(`#${id} svg g.role-axis-tick`), (g) => g.querySelectorAll('line').length), id);

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

  it('opens on a fit of its defaults (random clusters, K = 4, k-means start) that finds every cluster', async () => {
    expect(await settled()).toBe('done');
    expect(await page.textContent('#status')).toMatch(/Gaussian mixture: iteration \d+, bound -?\d+\.\d+.*converged/);
    const { centres, fit } = await page.evaluate(() => window.demo);
    expect(centres.length).toBeGreaterThanOrEqual(3);
    expect(centres.length).toBeLessThanOrEqual(4); // the first data set: K = 4 can cover it
    // Each true cluster has a component whose mean lies within one unit of its centre (the
    // clusters' centres are at least 5 apart, their standard deviations at most 1.8).
    for (const [cx, cy] of centres) {
      const nearest = Math.min(...fit!.means.map(([x, y]) => Math.hypot(x - cx, y - cy)));
      expect(nearest, `centre (${cx.toFixed(2)}, ${cy.toFixed(2)})`).toBeLessThan(1);
    }
    expect(await contours()).toBe(fit!.inUse.length);
    expect(await points()).toBeGreaterThanOrEqual(240);
    // The fit ran in the page's fit worker, not on its main thread.
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toContain('/dist/worker-main.js');
    for (const id of ['scatter', 'bound']) for (const t of await ticks(id)) expect(t, id).toBeGreaterThan(2);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}demo-page-first-fit.png`, clip: { x: 0, y: 0, width: 1240, height: 780 } });
    expect(errors).toEqual([]);
  });

  it('adds a point where the plot is clicked', async () => {
    await page.selectOption('#dataset', 'points');
    await page.waitForFunction(() => document.querySelectorAll('#scatter svg g.points_marks path').length === 0);
    // The plotting area is vega's frame background; with the fixed view [-10, 10]², its centre is (0, 0).
    const frame = (await page.locator('#scatter svg g.role-frame path.background').first().boundingBox())!;
    await page.mouse.click(frame.x + frame.width / 2, frame.y + frame.height / 2);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === '1 points');
    await page.mouse.click(frame.x + frame.width * 0.75, frame.y + frame.height * 0.25);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === '2 points');
    expect(await points()).toBe(2);
    // At the data coordinates under the pointer: (0, 0), then (5, 5) (a pixel is 20/440 of a unit).
    const added = await page.evaluate(() => window.demo.points);
    expect(added).toHaveLength(4);
    added.forEach((v, i) => expect(Math.abs(v - [0, 0, 5, 5][i]), `coordinate ${i}`).toBeLessThan(0.1));
    await page.mouse.click(frame.x - 20, frame.y + frame.height / 2); // outside the plotting area: no point
    expect(await points()).toBe(2);
    await page.click('#fit');
    expect(await settled()).toBe('error'); // two points are too few for K = 4, and the page says so
    expect(await page.textContent('#status')).toContain('need at least 4 points');
  });

  it('fits a Gaussian mixture, drawing each component\'s contour and the bound per iteration', async () => {
    await page.selectOption('#dataset', 'clusters');
    await page.fill('#components', '3');
    await page.click('#fit');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#status')).toMatch(/Gaussian mixture: iteration \d+, bound -?\d+\.\d+.*converged/);
    expect(await contours()).toBe(3); // 3 components, each at 2σ
    expect(await count('#bound svg g.role-mark.mark-line path')).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}demo-page-gmm.png`, clip: { x: 0, y: 0, width: 1240, height: 780 } });
  });

  it('stops a fit when asked', async () => {
    await page.goto(`${site.url}/?delay=400&fit=0`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.selectOption('#dataset', 'iris');
    await page.fill('#components', '6');
    await page.click('#fit');
    await page.waitForFunction(() => /iteration 2,/.test(document.getElementById('status')!.textContent!));
    await page.click('#stop');
    expect(await settled()).toBe('stopped');
    expect(await page.textContent('#status')).toMatch(/stopped after \d+ iterations/);
  });

  it('fits a Bayesian mixture on iris and draws only the components in use, on the principal axes', async () => {
    await page.goto(`${site.url}/?delay=5&fit=0`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.selectOption('#dataset', 'iris');
    await page.selectOption('#model', 'bgmm');
    await page.fill('#components', '6');
    await page.click('#fit');
    expect(await settled()).toBe('done');
    const status = (await page.textContent('#status'))!;
    expect(status).toMatch(/Bayesian mixture: iteration \d+, .* components with weight > 0\.01: converged/);
    const used = Number(/, (\d+) of 6 components/.exec(status)![1]);
    expect(used).toBeLessThan(6);
    expect(await contours()).toBe(used);
    expect(await page.textContent('#scatter svg')).toContain('first principal axis');
  });

  it('runs k-means on iris one Lloyd iteration per frame until it converges', async () => {
    await page.goto(`${site.url}/?delay=5&fit=0`);
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
    expect(await count('#atoms-plot svg g.role-mark.mark-rect path')).toBe(100 * 64);
    expect(errors).toEqual([]);
  });

  it('trains LISTA on the digits and plots its objective against ISTA, FISTA and CD per unit of work', async () => {
    await page.click('#lista');
    expect(await settled()).toBe('done');
    expect(await page.textContent('#lista-status')).toMatch(/LISTA-3: .* above the optimum; ISTA after 30 iterations: /);
    const legend = (await page.textContent('#lista-plot svg'))!;
    for (const name of ['ISTA', 'FISTA', 'CD', 'LISTA']) expect(legend).toContain(name);
    expect(errors).toEqual([]);
  });

  it('saves a screenshot of the page to test/artifacts/', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}demo-page.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
