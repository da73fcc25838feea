import { describe, expect, it, vi } from 'vitest';

describe('init', () => {
  it('refuses kernel use before init with an InitError that says what to do', async () => {
    vi.resetModules();
    const fresh = await import('../../src/node.js?fresh=1' as string) as typeof import('../../src/node.js');
    expect(() => fresh.kernels()).toThrow(fresh.InitError);
    expect(() => fresh.kernels()).toThrow('call `await init()`');
  });

  it('is idempotent: a second call returns the same promise', async () => {
    const m = await import('../../src/node.js');
    expect(m.init()).toBe(m.init());
    await m.init();
    expect(m.isInitialized()).toBe(true);
  });

  it('loads from given bytes and reports a missing file clearly', async () => {
    vi.resetModules();
    const fresh = await import('../../src/node.js?fresh=2' as string) as typeof import('../../src/node.js');
    await expect(fresh.init({ wasmUrl: new URL('file:///nonexistent/elbo.wasm') })).rejects.toThrow(/elbo.wasm not found/);
    const fs = await import('node:fs/promises');
    const bytes = await fs.readFile(new URL('../../build/elbo.wasm', import.meta.url));
    await fresh.init({ wasm: bytes });
    expect(fresh.kernels().heapBase()).toBeGreaterThan(0);
  });
});
