// The threaded build in headless Chromium: a page served with the COOP/COEP headers runs a pool
// of Web Workers and gives Node's bytes; a page without them falls back to one thread, says why,
// and gives the same bytes. Without a local Chromium this is skipped loudly (a failure with CI=true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from './chromium.js';
import { serveProbePage } from './probe-page.js';
import type { serve } from './serve.js';
import { runThreadsProbe } from './threads-probe.js';

const path = chromiumOrSkip('the browser threads test');

const PAGE = `import { init } from './src/browser.ts'; import { runThreadsProbe } from './test/browser/threads-probe.ts';
  import { currentPool } from './src/runtime/threads/parallel.ts';
  window.run = async (options) => {
    const setup = await init(options);
    const result = runThreadsProbe();
    return { setup, isolated: self.crossOriginIsolated, result, blocks: currentPool()?.blocksRun() ?? [] };
  };`;

type Outcome = { setup: { threads: number; reason?: string }; isolated: boolean; result: ReturnType<typeof runThreadsProbe>; blocks: number[] };

describe.skipIf(!path)('threads in headless Chromium', () => {
  let browser: Browser;
  let isolatedSite: Awaited<ReturnType<typeof serve>>;
  let plainSite: Awaited<ReturnType<typeof serve>>;
  let inNode: ReturnType<typeof runThreadsProbe>;

  beforeAll(async () => {
    [isolatedSite, plainSite] = await Promise.all([serveProbePage(PAGE, { isolated: true }), serveProbePage(PAGE)]);
    browser = await launchChromium(path as string);
    inNode = runThreadsProbe();
  });

  afterAll(async () => {
    await browser?.close();
    await isolatedSite?.close();
    await plainSite?.close();
  });

  async function runIn(url: string, options: object): Promise<{ outcome: Outcome; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url + '/');
    await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
    const outcome = (await page.evaluate((o) => (window as unknown as { run: (o: object) => Promise<Outcome> }).run(o), options)) as Outcome;
    await page.close();
    return { outcome, errors };
  }

  it('a cross-origin isolated page runs 3 threads (Web Workers over one shared memory) and gives the bytes Node gives', async () => {
    const { outcome, errors } = await runIn(isolatedSite.url, { threads: 3 });
    expect(errors).toEqual([]);
    expect(outcome.isolated).toBe(true);
    expect(outcome.setup).toEqual({ threads: 3 });
    expect(outcome.result).toEqual(inNode);
    // Every thread, the page's own and both workers, computed blocks.
    expect(outcome.blocks.length).toBe(3);
    for (const b of outcome.blocks) expect(b).toBeGreaterThan(0);
  });

  it("a cross-origin isolated page's 'auto' is navigator.hardwareConcurrency", async () => {
    const { outcome } = await runIn(isolatedSite.url, {});
    const page = await browser.newPage();
    await page.goto(isolatedSite.url + '/');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.close();
    expect(outcome.setup).toEqual({ threads: cores });
    expect(outcome.result).toEqual(inNode);
  });

  it('a page without the COOP/COEP headers falls back to one thread, says why, and gives the same bytes', async () => {
    const { outcome, errors } = await runIn(plainSite.url, { threads: 4 });
    expect(errors).toEqual([]);
    expect(outcome.isolated).toBe(false);
    expect(outcome.setup.threads).toBe(1);
    expect(outcome.setup.reason).toMatch(/^the page is not cross-origin isolated \(serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)$/);
    expect(outcome.result).toEqual(inNode);
  });
});
