/**
 * Kernel results on fixed seeded inputs, computed the same way in Node and in Chromium so that
 * the browser test can compare them bit for bit. Each result is returned as the hex of its bytes.
 */
import { kernels, Random, withWorkspace } from '../../src/index.js';

export type ProbeResults = Record<string, string>;

function hex(a: Float64Array | Float32Array | Int32Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Runs every probe for f64 and f32 and returns name → hex of the output bytes. */
export function runProbes(): ProbeResults {
  const out: ProbeResults = {};
  const k = kernels() as unknown as Record<string, (...a: number[]) => number>;
  for (const sfx of ['F64', 'F32'] as const) {
    const dtype = sfx === 'F64' ? 'f64' : 'f32';
    const rng = new Random(2024);
    const vec = (n: number, scale = 1) => rng.fillNormal(dtype === 'f64' ? new Float64Array(n) : new Float32Array(n), 0, scale);
    withWorkspace((ws) => {
      const n = 1000;
      const x = ws.copyIn(vec(n));
      const y = ws.copyIn(vec(n));
      out[`dot${sfx}`] = hex(new Float64Array([k[`dot${sfx}`](x.ptr, y.ptr, n)]));
      const m = 67, p = 45, q = 33;
      const a = ws.copyIn(vec(m * q));
      const b = ws.copyIn(vec(q * p));
      const c = ws.alloc(dtype, m * p);
      if (k[`gemmNN${sfx}`]) {
        k[`gemmNN${sfx}`](a.ptr, b.ptr, c.ptr, m, p, q, 0);
        out[`gemmNN${sfx}`] = hex(c.read());
      }
      if (k[`exp${sfx}`]) {
        const e = ws.copyIn(vec(n, 100));
        k[`exp${sfx}`](e.ptr, e.ptr, n);
        out[`exp${sfx}`] = hex(e.read());
      }
      if (k[`logSumExpRows${sfx}`]) {
        const rows = 40, cols = 13;
        const z = ws.copyIn(vec(rows * cols, 30));
        const lse = ws.alloc(dtype, rows);
        k[`logSumExpRows${sfx}`](z.ptr, lse.ptr, rows, cols);
        out[`logSumExpRows${sfx}`] = hex(lse.read());
      }
      if (k[`cholesky${sfx}`]) {
        const d = 9;
        const g = vec(d * d);
        const spd = dtype === 'f64' ? new Float64Array(d * d) : new Float32Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
          let s = i === j ? d : 0;
          for (let t = 0; t < d; t++) s += g[t * d + i] * g[t * d + j];
          spd[i * d + j] = s;
        }
        const l = ws.copyIn(spd);
        k[`cholesky${sfx}`](l.ptr, d);
        out[`cholesky${sfx}`] = hex(l.read());
      }
    });
  }
  const r = new Random(99);
  out.random = hex(new Float64Array(Array.from({ length: 16 }, () => r.normal())));
  return out;
}
