// dispose(): the wasm instance and its memory can be given back, and every use after it says
// what to do (InitError) until init() loads a fresh instance.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  dispose, GaussianMixture, InitError, isInitialized, kernels, ValueError, wasmMemory, withWorkspace, WasmMemoryError,
} from '../../src/index.js';
import { init } from '../../src/node.js';

const X = [[0, 0], [0.1, 0.2], [0.2, 0.1], [5, 5], [5.1, 5.2], [5.2, 5.1]];
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe('dispose', () => {
  it('turns every later computation into an InitError that says to call init() again', async () => {
    await init();
    const gm = new GaussianMixture({ nComponents: 2 }).fit(X);
    const before = Array.from(gm.predict(X));
    dispose();
    expect(isInitialized()).toBe(false);
    expect(() => new GaussianMixture({ nComponents: 2 }).fit(X)).toThrow(InitError);
    expect(() => new GaussianMixture({ nComponents: 2 }).fit(X)).toThrow(/released by dispose\(\): call `await init\(\)` again/);
    expect(() => gm.predict(X)).toThrow(InitError);
    expect(() => kernels()).toThrow(/dispose/);
    await init();
    expect(Array.from(gm.predict(X))).toEqual(before); // the fitted model survives
    expect(Array.from(new GaussianMixture({ nComponents: 2 }).fit(X).predict(X))).toEqual(before);
  });

  it('starts the next init() on a fresh, small memory', async () => {
    await init();
    withWorkspace((ws) => ws.f64(8 * 2 ** 20).set([1])); // 64 MiB: grows memory
    expect(wasmMemory().buffer.byteLength).toBeGreaterThan(64 * 2 ** 20);
    dispose();
    await init();
    expect(wasmMemory().buffer.byteLength).toBeLessThan(8 * 2 ** 20);
  });

  it('is refused inside a computation, which then finishes normally', async () => {
    await init();
    let refused: unknown = null;
    const gm = new GaussianMixture({
      nComponents: 2, onIteration: () => { if (!refused) { try { dispose(); } catch (e) { refused = e; } } },
    }).fit(X);
    expect(refused).toBeInstanceOf(ValueError);
    expect(String((refused as Error).message)).toMatch(/cannot dispose while a computation holds wasm memory/);
    expect(gm.converged).toBe(true);
    expect(isInitialized()).toBe(true);
  });

  it('does nothing before init and when called twice', async () => {
    await init();
    dispose();
    expect(() => dispose()).not.toThrow();
    await init();
  });

  it('lets the garbage collector return the peak memory to the system', async () => {
    if (!existsSync(DIST)) throw new Error('dist/index.js is missing: run `npm run build` first');
    // A child process with --expose-gc: 512 MiB touched in wasm memory, then dispose() and gc().
    const script = `
      const { init, dispose, withWorkspace, wasmMemory } = await import(${JSON.stringify(DIST)});
      await init();
      withWorkspace((ws) => ws.f64(64 * 2 ** 20).view().fill(1));
      const ref = new WeakRef(wasmMemory());
      const peak = process.memoryUsage().rss;
      dispose();
      for (let i = 0; i < 5 && ref.deref(); i++) { await new Promise((r) => setTimeout(r, 20)); gc(); }
      console.log(JSON.stringify({ peak, after: process.memoryUsage().rss, collected: ref.deref() === undefined }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)));
    });
    const { peak, after, collected } = JSON.parse(out) as { peak: number; after: number; collected: boolean };
    // The Memory object is collected, so its backing store is freed. Resident size shows it too
    // unless the machine swapped the pages out first: checked loosely (it does not grow).
    expect(collected).toBe(true);
    expect(after).toBeLessThanOrEqual(peak);
  });
});

describe('use before init', () => {
  it('is an InitError from fit, as README promises (not a ValueError about memory)', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index.js?fresh=dispose' as string) as typeof import('../../src/index.js');
    const fit = () => new fresh.GaussianMixture({ nComponents: 2 }).fit(X);
    expect(fit).toThrow(fresh.InitError);
    expect(fit).toThrow('call `await init()`');
  });
});

describe('out-of-memory messages', () => {
  it('name the buffer, its dimensions and which to reduce (K·D² for a full mixture with D = 2000, K = 200)', async () => {
    await init();
    const N = 300, D = 2000;
    const data = new Float64Array(N * D);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37);
    const fit = () => new GaussianMixture({ nComponents: 200, maxIter: 1 }).fit({ data, rows: N, cols: D });
    expect(fit).toThrow(WasmMemoryError);
    expect(fit).toThrow(/precision factors need K·D·D = 200·2000·2000 = 8\.00e\+8 f64 values \(5\.96 GiB\).*4 GiB.*reduce K or D/);
    expect(fit).not.toThrow(/rows/);
  });

  it('never state a size just past the limit as the limit itself', async () => {
    await init();
    let message = '';
    try { withWorkspace((ws) => ws.f64(2 ** 29 - 2)); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/4,294,967,280 bytes\) was requested: 4,29\d,\d{3},\d{3} bytes in all, past the 4 GiB \(4,294,967,296 bytes\)/);
    expect(message).not.toMatch(/4096 MiB/);
  });
});
