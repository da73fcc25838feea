// Kernel benchmarks: wasm against its plain-TypeScript twin in the same run.
import { kernels, reference as ref, Random, withWorkspace } from '../../dist/index.js';
import { time } from '../lib.mjs';

const rng = new Random(1);
const filled = (n, dtype) => rng.fillNormal(dtype === 'f32' ? new Float32Array(n) : new Float64Array(n));

function gemmCases(quick) {
  const out = [];
  const sizes = quick ? [64, 256] : [64, 256, 1000];
  for (const dtype of ['f64', 'f32']) {
    for (const n of sizes) {
      const flops = 2 * n * n * n;
      const a = filled(n * n, dtype), b = filled(n * n, dtype);
      const sfx = dtype === 'f32' ? 'F32' : 'F64';
      const r = withWorkspace((ws) => {
        const pa = ws.copyIn(a), pb = ws.copyIn(b), pc = ws.alloc(dtype, n * n);
        const k = kernels()[`gemmNN${sfx}`];
        return time(`gemmNN ${dtype} ${n} wasm`, () => k(pa.ptr, pb.ptr, pc.ptr, n, n, n, 0), { maxTime: n >= 1000 ? 3 : 1 });
      });
      out.push({ kernel: 'gemmNN', impl: 'wasm', dtype, size: n, ...r, gflops: flops / r.seconds / 1e9 });
      // The TS twin at 1000 takes seconds per call; it is timed up to 256.
      if (n <= 256) {
        const c = dtype === 'f32' ? new Float32Array(n * n) : new Float64Array(n * n);
        const t = time(`gemmNN ${dtype} ${n} ts`, () => ref.gemmNN(a, b, c, n, n, n, 0), { maxTime: 1, minSamples: 3 });
        out.push({ kernel: 'gemmNN', impl: 'ts', dtype, size: n, ...t, gflops: flops / t.seconds / 1e9 });
      }
    }
  }
  for (const form of ['NT', 'TN']) {
    const n = 256;
    const a = filled(n * n, 'f64'), b = filled(n * n, 'f64');
    const r = withWorkspace((ws) => {
      const pa = ws.copyIn(a), pb = ws.copyIn(b), pc = ws.f64(n * n);
      const k = kernels()[`gemm${form}F64`];
      return time(`gemm${form} f64 ${n} wasm`, () => k(pa.ptr, pb.ptr, pc.ptr, n, n, n, 0));
    });
    out.push({ kernel: `gemm${form}`, impl: 'wasm', dtype: 'f64', size: n, ...r, gflops: (2 * n ** 3) / r.seconds / 1e9 });
  }
  return out;
}

function elementwiseCases() {
  const out = [];
  const rows = 100_000, cols = 16;
  for (const dtype of ['f64', 'f32']) {
    const sfx = dtype === 'f32' ? 'F32' : 'F64';
    const x = filled(rows * cols, dtype).map((v) => v * 30);
    const lse = dtype === 'f32' ? new Float32Array(rows) : new Float64Array(rows);
    const w = withWorkspace((ws) => {
      const px = ws.copyIn(x), po = ws.alloc(dtype, rows);
      const k = kernels()[`logSumExpRows${sfx}`];
      return time(`logSumExpRows ${dtype} wasm`, () => k(px.ptr, po.ptr, rows, cols));
    });
    out.push({ kernel: `logSumExpRows ${rows}×${cols}`, impl: 'wasm', dtype, ...w, perSecond: rows / w.seconds, unit: 'rows/s' });
    const t = time(`logSumExpRows ${dtype} ts`, () => ref.logSumExpRows(x, lse, rows, cols), { maxTime: 1 });
    out.push({ kernel: `logSumExpRows ${rows}×${cols}`, impl: 'ts', dtype, ...t, perSecond: rows / t.seconds, unit: 'rows/s' });

    const n = 1_000_000;
    const v = filled(n, dtype);
    const y = dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
    const s = withWorkspace((ws) => {
      const pv = ws.copyIn(v), py = ws.alloc(dtype, n);
      const k = kernels()[`softThreshold${sfx}`];
      return time(`softThreshold ${dtype} wasm`, () => k(pv.ptr, py.ptr, n, 0.5));
    });
    out.push({ kernel: `softThreshold ${n}`, impl: 'wasm', dtype, ...s, perSecond: n / s.seconds, unit: 'elements/s' });
    const st = time(`softThreshold ${dtype} ts`, () => ref.softThreshold(v, y, n, 0.5), { maxTime: 1 });
    out.push({ kernel: `softThreshold ${n}`, impl: 'ts', dtype, ...st, perSecond: n / st.seconds, unit: 'elements/s' });

    const e = withWorkspace((ws) => {
      const pv = ws.copyIn(v), py = ws.alloc(dtype, n);
      const k = kernels()[`exp${sfx}`];
      return time(`exp ${dtype} wasm`, () => k(pv.ptr, py.ptr, n));
    });
    out.push({ kernel: `exp ${n}`, impl: 'wasm', dtype, ...e, perSecond: n / e.seconds, unit: 'elements/s' });
    const et = time(`exp ${dtype} Math.exp`, () => { for (let i = 0; i < n; i++) y[i] = Math.exp(v[i]); }, { maxTime: 1 });
    out.push({ kernel: `exp ${n}`, impl: 'Math.exp', dtype, ...et, perSecond: n / et.seconds, unit: 'elements/s' });
  }
  const noop = kernels().noop;
  const c = time('noop call', () => noop());
  out.push({ kernel: 'call overhead (noop)', impl: 'wasm', dtype: '', ...c, perSecond: 1 / c.seconds, unit: 'calls/s' });
  return out;
}

/** Runs the kernel suite; `quick` drops the 1000-square GEMM. */
export function runKernelSuite({ quick = false } = {}) {
  return [...gemmCases(quick), ...elementwiseCases()];
}
