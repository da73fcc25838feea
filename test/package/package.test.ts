// The package as a user gets it: `npm pack` from a fresh copy of the working tree (prepack
// builds dist/), the tarball installed in a scratch consumer with the bundlers from npm, then:
// the tarball against its budget; every README example and require() in Node; the consumer's
// pages bundled by Vite (dev server and build), esbuild and webpack 5 and loaded in headless
// Chromium, each fitting the same Gaussian mixture as Node (the worker/ page in a Web Worker
// that the bundler builds from elbo-wasm/worker). Without Chromium the browser part
// is skipped loudly (a failure under CI=true).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from '../browser/chromium.js';
import { serve } from '../browser/serve.js';
import { filesOf, makeConsumer, packFreshCopy, routesOf, run, scratchDir, serveDir, type PackInfo } from './scratch.js';

/**
 * The tarball's budget: what `npm pack` may ship. Measured at each change with
 * `npm pack --dry-run --json` (590 kB packed, 2.02 MB unpacked, 193 files with threads, the fit
 * worker, the statistics protocol, elbo-wasm/io, and the kernels for k-means' f32 screen, exact
 * enumeration over ranges and the strided GEMMs of the pool): the wasm twice (single-threaded and over shared memory), the
 * library once in a shared chunk, the inline entry's base64 copy of the single-threaded wasm, the
 * embedded data sets, the entries (index, browser, inline, datasets, cli, worker, io) and their
 * TypeScript declarations.
 */
const BUDGET = { packedBytes: 650_000, unpackedBytes: 2_200_000, files: 210 };
/** The JavaScript the package ships: its entries and the chunks they share. */
const ENTRIES = [
  'dist/index.js', 'dist/browser.js', 'dist/inline.js', 'dist/datasets.js', 'dist/cli.js',
  'dist/worker.js', 'dist/worker-main.js', 'dist/worker-node.js', 'dist/worker-thread.js', 'dist/io.js',
];
/** The consumer's pages, and the Node fit each must reproduce (worker/ runs gmm/'s fit in a Web Worker). */
const PAGES = { gmm: 'gmm', iris: 'iris', worker: 'gmm' } as const;
/** Substrings that give away a data set inside a bundle: iris's header, digits' gzip in base64. */
const IRIS_MARK = 'sepal_length,sepal_width';
const DIGITS_MARK = readFileSync(new URL('../../data/digits.csv.gz', import.meta.url)).toString('base64').slice(0, 64);

const SETUP_TIMEOUT = 900_000;
const BUILD_TIMEOUT = 300_000;
const tmp = scratchDir('elbo-wasm-package-');
let pack: PackInfo & { tarball: string };
let consumer: string;
let inNode: { gmm: number[]; iris: number[] };

beforeAll(async () => {
  pack = await packFreshCopy(tmp);
  consumer = await makeConsumer(join(tmp, 'consumer'), pack.tarball);
  inNode = JSON.parse((await run('node', ['node-probe.mjs'], consumer)).stdout);
}, SETUP_TIMEOUT);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Equal to Node's numbers to 1e-12 relative (the same wasm; the kernels are bit-identical). */
function expectSameFit(actual: number[], expected: number[]) {
  expect(actual.length).toBe(expected.length);
  const off = expected.filter((e, i) => !(Math.abs(actual[i] - e) <= 1e-12 * Math.max(1, Math.abs(e))));
  expect(off, `entries that differ from Node's: got ${JSON.stringify(actual)}`).toEqual([]);
}

describe('the tarball of npm pack', () => {
  const paths = () => pack.files.map((f) => f.path);

  it('stays within its budget of size and file count', () => {
    console.log(`tarball: ${pack.size} B packed, ${pack.unpackedSize} B unpacked, ${pack.entryCount} files`);
    expect(pack.size).toBeLessThanOrEqual(BUDGET.packedBytes);
    expect(pack.unpackedSize).toBeLessThanOrEqual(BUDGET.unpackedBytes);
    expect(pack.entryCount).toBeLessThanOrEqual(BUDGET.files);
  });

  it('holds what prepack built: the entries, the two wasm builds, declarations, no source maps', () => {
    for (const entry of ENTRIES) expect(paths()).toContain(entry);
    expect(paths().filter((p) => p.endsWith('.wasm')).sort()).toEqual(['dist/elbo.threads.wasm', 'dist/elbo.wasm']);
    expect(paths().filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths().filter((p) => /^(src|build|test|bench|assembly|scripts)\//.test(p))).toEqual([]);
    const js = paths().filter((p) => p.endsWith('.js'));
    expect(js.filter((p) => !ENTRIES.includes(p) && !/^dist\/chunk-[A-Z0-9]+\.js$/.test(p))).toEqual([]);
    expect(paths()).toContain('dist/types/node.d.ts');
    expect(paths()).toContain('dist/types/datasets/index.d.ts');
    expect(paths()).toContain('dist/types/io.d.ts');
  });

  it('carries the library once: the command line shares its chunk', () => {
    const installed = join(consumer, 'node_modules/elbo-wasm');
    const js = pack.files.map((f) => f.path).filter((p) => p.endsWith('.js'));
    const defining = js.filter((p) => /\bvar GaussianMixture = class\b/.test(readFileSync(join(installed, p), 'utf-8')));
    expect(defining).toHaveLength(1);
    expect(defining[0]).toMatch(/^dist\/chunk-/);
  });

  it('declares only real runtime dependencies (none: the wasm loader is bundled), and where it lives', () => {
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/elbo-wasm/package.json'), 'utf-8'));
    expect(manifest.name).toBe('elbo-wasm');
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.scripts.prepack).toMatch(/build/);
    expect(manifest.repository?.url).toBeTruthy();
    expect(manifest.homepage).toBeTruthy();
    expect(manifest.keywords.length).toBeGreaterThan(3);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.bin).toEqual({ elbo: './dist/cli.js' });
  });

  it('gives browsers files with no node: imports', () => {
    const installed = join(consumer, 'node_modules/elbo-wasm/dist');
    const text = (f: string) => readFileSync(join(installed, f), 'utf-8');
    const reachable = new Set<string>();
    const visit = (f: string) => {
      if (reachable.has(f)) return;
      reachable.add(f);
      for (const m of text(f).matchAll(/from "\.\/([^"]+)"|import "\.\/([^"]+)"/g)) visit(m[1] ?? m[2]);
    };
    for (const entry of ['browser.js', 'inline.js', 'datasets.js', 'worker.js', 'worker-main.js']) visit(entry);
    expect([...reachable].filter((f) => text(f).includes('node:'))).toEqual([]);
    expect(reachable.has('index.js')).toBe(false);
  });
});

describe('the installed package in Node', () => {
  it('runs the command line from its bin, on the embedded data sets', async () => {
    const elbo = join(consumer, 'node_modules/.bin/elbo');
    const { stdout } = await run(elbo, ['--version'], consumer);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(consumer, 'node_modules/elbo-wasm/package.json'), 'utf-8')).version);
    // Not in the consumer folder, whose iris/ page would be taken for the data file.
    const fit = await run(elbo, ['gmm', 'iris', '--components', '3', '--json'], tmp);
    expect(JSON.parse(fit.stdout).rows).toBe(150);
  });

  it('exports the same names from the Node, browser and inline entries, and the data sets apart', async () => {
    const names = async (entry: string) => JSON.parse((await run('node', ['--input-type=module', '-e',
      `console.log(JSON.stringify(Object.keys(await import('${entry}')).sort()))`], consumer)).stdout) as string[];
    const node = await names('elbo-wasm');
    expect(node).toContain('init');
    expect(node).toContain('GaussianMixture');
    expect(node).not.toContain('loadIris');
    expect(await names('elbo-wasm/inline')).toEqual(node);
    expect(await names(join(consumer, 'node_modules/elbo-wasm/dist/browser.js'))).toEqual(node);
    expect(await names('elbo-wasm/datasets')).toEqual(['loadDigits', 'loadIris']);
  });

  it('runs every README example that imports the package', async () => {
    const readme = readFileSync(join(consumer, 'node_modules/elbo-wasm/README.md'), 'utf-8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /from 'elbo-wasm(\/[a-z]+)?'/.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const [i, block] of blocks.entries()) {
      const file = `readme-example-${i + 1}.mjs`;
      writeFileSync(join(consumer, file), block);
      await run('node', [file], consumer).catch((err: Error) => {
        throw new Error(`README example ${i + 1} failed:\n${block}\n${err.message}`);
      });
    }
  }, BUILD_TIMEOUT);

  it('loads with require() from CommonJS (Node >= 20.19 / 22.12 load ES modules so) and fits as import does', async () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
    if (!requireEsm) {
      await expect(run('node', ['require.cjs'], consumer)).rejects.toThrow(/ES Module|ERR_REQUIRE_ESM/);
      return;
    }
    const { stdout, stderr } = await run('node', ['require.cjs'], consumer);
    expect(stderr).not.toMatch(/ERR_|Error/);
    expectSameFit(JSON.parse(stdout).gmm, inNode.gmm);
  });
});

const chromium = chromiumOrSkip('the package consumer pages in Chromium');

describe.skipIf(!chromium)('the consumer pages, bundled and loaded in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium(chromium as string);
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Loads `url`, waits for the page's probe and returns its result, with no console errors. */
  async function probe(url: string): Promise<number[]> {
    const { result, error, errors } = await probeOutcome(url);
    expect(error, `the page at ${url} failed`).toBeUndefined();
    expect(errors).toEqual([]);
    return result as number[];
  }

  async function probeOutcome(url: string): Promise<{ result?: number[]; error?: string; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { probeResult?: unknown }).probeResult !== undefined, undefined, { timeout: 60_000 });
      const outcome = await page.evaluate(() => (window as unknown as { probeResult: { result?: number[]; error?: string } }).probeResult);
      return { ...outcome, errors };
    } finally {
      await page.close();
    }
  }

  /** What a bundle must not carry: the data sets it does not import, and Node's modules. */
  function expectLean(dir: string, page: 'gmm' | 'iris', js: string[]) {
    const text = js.map((f) => readFileSync(join(dir, f), 'utf-8')).join('\n');
    expect(text.includes(DIGITS_MARK), 'the digits data set in a page that does not load it').toBe(false);
    if (page === 'gmm') expect(text.includes(IRIS_MARK), 'the iris data set in a page that does not load it').toBe(false);
    else expect(text.includes(IRIS_MARK), 'the iris data set in the page that loads it').toBe(true);
    expect(text).not.toMatch(/["']node:/);
  }

  it('Vite build: no warnings, elbo.wasm and elbo.threads.wasm emitted once each, only what the page imports, fits as Node', async () => {
    for (const [page, fit] of Object.entries(PAGES) as [keyof typeof PAGES, 'gmm' | 'iris'][]) {
      const out = join(consumer, 'out/vite', page);
      const { stdout, stderr } = await run('node', ['node_modules/vite/bin/vite.js', 'build', page, '--outDir', out, '--emptyOutDir'], consumer);
      expect(`${stdout}\n${stderr}`).not.toMatch(/warn|\(!\)/i);
      // The threaded build is emitted beside elbo.wasm: init({ threads }) fetches it in isolated pages.
      const wasm = filesOf(out, '.wasm');
      expect(wasm).toHaveLength(page === 'iris' ? 0 : 2);
      expect(wasm.filter((f) => /elbo\.threads/.test(f))).toHaveLength(page === 'iris' ? 0 : 1);
      expect(filesOf(out, '.gz')).toEqual([]);
      expectLean(out, fit, filesOf(out, '.js'));
      const site = await serveDir(out);
      try {
        expectSameFit(await probe(`${site.url}/`), inNode[fit]);
      } finally {
        await site.close();
      }
    }
  }, BUILD_TIMEOUT);

  it('Vite dev server, with no configuration: every page fits as Node', async () => {
    const port = await freePort();
    const vite: ChildProcess = spawn('node', ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    vite.stdout?.on('data', (d) => { log += d; });
    vite.stderr?.on('data', (d) => { log += d; });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/gmm/`, () => log);
      expectSameFit(await probe(`${url}/gmm/`), inNode.gmm);
      expectSameFit(await probe(`${url}/iris/`), inNode.iris);
      expectSameFit(await probe(`${url}/worker/`), inNode.gmm);
      expect(log).not.toMatch(/error|warn/i);
    } finally {
      vite.kill();
    }
  }, BUILD_TIMEOUT);

  it('esbuild: bundles for the browser; with elbo.wasm copied and the worker script bundled beside the bundle as README says, every page fits as Node', async () => {
    const out = join(consumer, 'out/esbuild');
    const esbuild = (args: string[]) => run('node', ['node_modules/esbuild/bin/esbuild', ...args, '--bundle', '--format=esm', '--platform=browser', '--log-level=warning'], consumer);
    await esbuild(['gmm/main.js', 'iris/main.js', 'worker/main.js', `--outdir=${out}`]);
    // esbuild leaves new URL('./worker-main.js', import.meta.url) as it is: the worker script is bundled beside the page's bundle.
    await esbuild(['node_modules/elbo-wasm/dist/worker-main.js', `--outfile=${join(out, 'worker/worker-main.js')}`]);
    for (const [page, fit] of Object.entries(PAGES) as [keyof typeof PAGES, 'gmm' | 'iris'][]) {
      copyFileSync(join(consumer, page, 'index.html'), join(out, page, 'index.html'));
      expectLean(out, fit, [join(page, 'main.js')]);
    }
    for (const page of ['gmm', 'worker']) copyFileSync(join(consumer, 'node_modules/elbo-wasm/dist/elbo.wasm'), join(out, page, 'elbo.wasm'));
    const site = await serveDir(out);
    try {
      expectSameFit(await probe(`${site.url}/gmm/`), inNode.gmm);
      expectSameFit(await probe(`${site.url}/iris/`), inNode.iris);
      expectSameFit(await probe(`${site.url}/worker/`), inNode.gmm);
    } finally {
      await site.close();
    }
  }, BUILD_TIMEOUT);

  it('esbuild without elbo.wasm beside the bundle: init() rejects with an InitError saying what to pass', async () => {
    const out = join(consumer, 'out/esbuild');
    const withoutWasm = routesOf(out);
    delete withoutWasm['/gmm/elbo.wasm'];
    const site404 = await serve(withoutWasm);
    // What a dev server's fallback does: 200 and its HTML page for every unknown path.
    const siteHtml = await serve({ ...withoutWasm, '/gmm/elbo.wasm': { type: 'text/html', body: '<!doctype html><title>app</title>' } });
    try {
      const missing = await probeOutcome(`${site404.url}/gmm/`);
      expect(missing.error).toMatch(/^InitError: .*elbo\.wasm.*HTTP 404.*init\(\{ wasmUrl \}\).*'elbo-wasm\/inline'/);
      const html = await probeOutcome(`${siteHtml.url}/gmm/`);
      expect(html.error).toMatch(/^InitError: .*is not elbo\.wasm.*text\/html.*init\(\{ wasmUrl \}\).*'elbo-wasm\/inline'/);
    } finally {
      await site404.close();
      await siteHtml.close();
    }
  }, BUILD_TIMEOUT);

  it('runs every README page example (import map, no bundler) from the installed package', async () => {
    const readme = readFileSync(join(consumer, 'node_modules/elbo-wasm/README.md'), 'utf-8');
    const blocks = [...readme.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
    const importMap = blocks.find((b) => b.includes('type="importmap"'));
    const examples = blocks.filter((b) => b.includes('type="module"') && /from 'elbo-wasm/.test(b));
    expect(importMap).toBeDefined();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const routes: Record<string, { type: string; body: Uint8Array | string }> = {};
    for (const [path, route] of Object.entries(routesOf(join(consumer, 'node_modules/elbo-wasm')))) routes[`/node_modules/elbo-wasm${path}`] = route;
    // Each example's module runs by import(), which settles when its top-level await has.
    examples.forEach((example, i) => {
      const code = example.slice(example.indexOf('>') + 1, example.lastIndexOf('</script>'));
      routes[`/example-${i + 1}.js`] = { type: 'text/javascript', body: code };
      routes[`/example-${i + 1}.html`] = {
        type: 'text/html; charset=utf-8',
        body: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">\n${importMap}\n<script type="module">
          import('./example-${i + 1}.js').then(() => { window.exampleDone = 'ok'; }, (e) => { window.exampleDone = String(e); });
        </script>`,
      };
    });
    const site = await serve(routes);
    try {
      for (let i = 0; i < examples.length; i++) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${site.url}/example-${i + 1}.html`);
        await page.waitForFunction(() => (window as unknown as { exampleDone?: string }).exampleDone !== undefined, undefined, { timeout: 120_000 });
        const done = await page.evaluate(() => (window as unknown as { exampleDone: string }).exampleDone);
        expect({ done, errors }, `README page example ${i + 1}:\n${examples[i]}`).toEqual({ done: 'ok', errors: [] });
        await page.close();
      }
    } finally {
      await site.close();
    }
  }, BUILD_TIMEOUT);

  it('webpack 5: emits elbo.wasm, elbo.threads.wasm and the fit worker by itself, bundles only what each page imports, every page fits as Node', async () => {
    const out = join(consumer, 'out/webpack');
    await run('node', ['node_modules/webpack-cli/bin/cli.js', '--config', 'webpack.config.mjs'], consumer);
    expect(filesOf(out, '.wasm')).toHaveLength(2);
    for (const [page, fit] of Object.entries(PAGES) as [keyof typeof PAGES, 'gmm' | 'iris'][]) {
      mkdirSync(join(out, page), { recursive: true });
      writeFileSync(join(out, page, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="../${page}.js"></script>`);
      expectLean(out, fit, [`${page}.js`]);
    }
    const site = await serveDir(out);
    try {
      expectSameFit(await probe(`${site.url}/gmm/`), inNode.gmm);
      expectSameFit(await probe(`${site.url}/iris/`), inNode.iris);
      expectSameFit(await probe(`${site.url}/worker/`), inNode.gmm);
    } finally {
      await site.close();
    }
  }, BUILD_TIMEOUT);
});

/** A TCP port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 (the dev server is up). */
async function waitForHttp(url: string, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered; the server said:\n${log()}`);
}
