import { describe, expect, it } from 'vitest';
import { bytesInUse, kernels, wasmMemory, withWorkspace, Workspace, ValueError } from '../../src/index.js';
import { releaseKept } from '../../src/runtime/memory.js';

describe('workspaces over wasm memory', () => {
  it('hands out 16-byte aligned, non-overlapping buffers', () => {
    withWorkspace((ws) => {
      const a = ws.f64(3);
      const b = ws.f32(5);
      const c = ws.f64(1);
      for (const buf of [a, b, c]) expect(buf.ptr % 16).toBe(0);
      expect(b.ptr).toBeGreaterThanOrEqual(a.ptr + 3 * 8);
      expect(c.ptr).toBeGreaterThanOrEqual(b.ptr + 5 * 4);
      expect(a.ptr).toBeGreaterThanOrEqual(kernels().heapBase());
    });
  });

  it('keeps buffer contents readable through a view re-derived after memory grows', () => {
    withWorkspace((ws) => {
      const a = ws.f64(4).set([1, 2, 3, 4]);
      const stale = a.view();
      const before = wasmMemory().buffer.byteLength;
      ws.f64(4 * 1024 * 1024); // 32 MiB: forces growth
      expect(wasmMemory().buffer.byteLength).toBeGreaterThan(before);
      // A private memory's old view detached with the old buffer; a shared memory (threads) never
      // detaches its views: they keep their length and stay valid.
      expect(stale.length).toBe(wasmMemory().buffer instanceof SharedArrayBuffer ? 4 : 0);
      expect(Array.from(a.view())).toEqual([1, 2, 3, 4]);
      expect(kernels().dotF64(a.ptr, a.ptr, 4)).toBe(30);
    });
  });

  it('leaves memory flat across 1,000 repeated workspace cycles', () => {
    const cycle = () =>
      withWorkspace((ws) => {
        const x = ws.f64(10_000).set(new Float64Array(10_000).fill(1));
        ws.f32(777);
        return kernels().dotF64(x.ptr, x.ptr, 10_000);
      });
    cycle();
    const size = wasmMemory().buffer.byteLength;
    const inUse = bytesInUse();
    for (let i = 0; i < 1000; i++) expect(cycle()).toBe(10_000);
    expect(wasmMemory().buffer.byteLength).toBe(size);
    expect(bytesInUse()).toBe(inUse);
  });

  it('releases the workspace when the computation throws', () => {
    const inUse = bytesInUse();
    expect(() =>
      withWorkspace((ws) => {
        ws.f64(1000);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(bytesInUse()).toBe(inUse);
  });

  it('nests workspaces and refuses allocation from an outer one while an inner is open', () => {
    const outer = new Workspace();
    outer.f64(10);
    const inner = new Workspace();
    inner.f64(10);
    expect(() => outer.f64(1)).toThrow(ValueError);
    inner.release();
    expect(() => outer.f64(1)).not.toThrow();
    outer.release();
    expect(() => outer.f64(1)).toThrow(/released/);
  });

  it('keeps one workspace below every later computation until it is released', () => {
    releaseKept();
    const ws = new Workspace();
    const kept = ws.f64(100).set(Float64Array.from({ length: 100 }, (_, i) => i));
    expect(ws.keep()).toBe(true);
    expect(bytesInUse()).toBe(800);
    for (let i = 0; i < 100; i++) {
      withWorkspace((inner) => {
        const b = inner.f64(1000).set(new Float64Array(1000).fill(-1));
        expect(b.ptr).toBeGreaterThanOrEqual(kept.ptr + 800);
      });
    }
    expect(bytesInUse()).toBe(800);
    expect(kernels().sumF64(kept.ptr, 100)).toBe(4950); // untouched by the computations above it
    expect(ws.isOpen).toBe(true);
    expect(releaseKept()).toBe(true);
    expect(ws.isOpen).toBe(false);
    expect(bytesInUse()).toBe(0);
  });

  it('keeps only the one open workspace at the bottom, and releaseKept waits for computations to end', () => {
    releaseKept();
    const outer = new Workspace();
    const inner = new Workspace();
    expect(inner.keep()).toBe(false); // nested inside another computation
    expect(outer.keep()).toBe(false); // another is still open inside it
    inner.release();
    expect(outer.keep()).toBe(true);
    const second = new Workspace();
    second.f64(4);
    expect(second.keep()).toBe(false); // one kept workspace at a time, and this one is above it
    expect(releaseKept()).toBe(false); // a computation is running above the kept workspace
    expect(outer.isOpen).toBe(true);
    second.release();
    expect(releaseKept()).toBe(true);
    expect(bytesInUse()).toBe(0);
  });

  it('returns the kept bytes when the kept workspace is released during a computation, once it ends', () => {
    releaseKept();
    const ws = new Workspace();
    ws.f64(64);
    expect(ws.keep()).toBe(true);
    withWorkspace((inner) => {
      inner.f64(8);
      ws.release(); // its owner gives it up while a computation runs above it
      expect(bytesInUse()).toBeGreaterThan(512);
    });
    expect(bytesInUse()).toBe(0);
  });

  it('refuses a request beyond what 32-bit wasm can address, naming the size', () => {
    withWorkspace((ws) => {
      expect(() => ws.f64(2 ** 30)).toThrow(/8\.00 GiB/);
    });
  });
});
