// init({ threads }): what it sets up and says, its checks, the shared memory's maximum, and a
// Node process with a live pool that ends on its own.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, GaussianMixture, init, OptionError, WasmMemoryError } from '../../src/node.js';
import { blobs } from '../mixture/data.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('init({ threads })', () => {
  afterAll(async () => {
    dispose();
    await init();
  });

  it("resolves to the threads it set up: 'auto' is os.availableParallelism() in Node", async () => {
    dispose();
    expect(await init()).toEqual({ threads: availableParallelism() });
    dispose();
    expect(await init({ threads: 'auto' })).toEqual({ threads: availableParallelism() });
    dispose();
    expect(await init({ threads: 3 })).toEqual({ threads: 3 });
    dispose();
    expect(await init({ threads: 1 })).toEqual({ threads: 1 });
  });

  it('a second init asking for another thread count keeps the first setup and says why', async () => {
    dispose();
    expect(await init({ threads: 1 })).toEqual({ threads: 1 });
    expect(await init({ threads: 1 })).toEqual({ threads: 1 });
    expect(await init()).toEqual({ threads: 1 });
    const again = await init({ threads: 2 });
    expect(again.threads).toBe(1);
    expect(again.reason).toBe('elbo was already initialised with 1 thread; call dispose() before init({ threads: 2 }) to change it');
    dispose();
    expect(await init({ threads: 2 })).toEqual({ threads: 2 });
    expect((await init({ threads: 3 })).reason).toMatch(/^elbo was already initialised with 2 threads; call dispose\(\) before init\(\{ threads: 3 \}\)/);
  });

  it.each([0, -1, 2.5, 257, NaN, '2', 'all'])('refuses threads = %s with an OptionError naming it', (threads) => {
    dispose();
    expect(() => init({ threads: threads as number })).toThrow(OptionError);
    expect(() => init({ threads: threads as number })).toThrow(/^init: threads must be 'auto' or a whole number from 1 to 256; got /);
  });

  it('refuses a maximumPages that is not a page count of wasm32', () => {
    dispose();
    expect(() => init({ threads: 2, maximumPages: 65537 })).toThrow(/init: maximumPages must be a whole number from 1 to 65536/);
  });

  it('a computation past the shared memory\'s maximum is a WasmMemoryError naming maximumPages, and the pool still works', async () => {
    dispose();
    await init({ threads: 2, maximumPages: 80 }); // 5 MiB
    const { X } = blobs(20_000, 8, 4, 1); // 1.3 MB of data, 2.6 MB more as the engine's copies
    const err = (() => { try { new GaussianMixture({ nComponents: 40, maxIter: 2 }).fit(X); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(WasmMemoryError);
    expect((err as Error).message).toMatch(/past the maximum of 5\.0 MiB \(80 pages\) declared for the threads' shared memory; .*init\(\{ maximumPages \}\)/);
    const small = blobs(2000, 4, 3, 2).X;
    expect(new GaussianMixture({ nComponents: 3, seed: 1 }).fit(small).converged).toBe(true);
  });

  it('a Node process with a live pool exits on its own when its work is done', async () => {
    const script = `import { init, GaussianMixture } from './dist/index.js';
const r = await init({ threads: 2 });
const X = { data: Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i * 12.9898) * 3 + (i % 2) * 8), rows: 2000, cols: 2 };
new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);
console.log(JSON.stringify(r));`;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root }, (err, out) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout: out }));
      child.stdin?.end();
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('{"threads":2}');
  });
});
