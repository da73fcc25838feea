/**
 * Kernel and model results on fixed seeded inputs, computed the same way in Node and in
 * Chromium so that the browser test can compare them bit for bit. Each result is returned as the
 * hex of its bytes.
 */
import { GaussianMixture, kernels, Random, withWorkspace, type Buffer } from '../../src/index.js';

export type ProbeResults = Record<string, string>;

function hex(a: Float64Array | Float32Array | Int32Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

type Fn = (...args: number[]) => number;

/** Runs every probed kernel for f64 and f32 and returns name → hex of the output bytes. */
export function runProbes(): ProbeResults {
  const out: ProbeResults = {};
  const k = kernels() as unknown as Record<string, Fn>;
  for (const sfx of ['F64', 'F32'] as const) {
    const dtype = sfx === 'F64' ? 'f64' : 'f32';
    const rng = new Random(2024);
    const vec = (n: number, scale = 1) => rng.fillNormal(dtype === 'f64' ? new Float64Array(n) : new Float32Array(n), 0, scale);
    withWorkspace((ws) => {
      const put = (a: Float64Array | Float32Array) => ws.copyIn(a);
      const rec = (name: string, b: Buffer) => { out[`${name}${sfx}`] = hex(b.read()); };
      const n = 1000;
      const x = put(vec(n)), y = put(vec(n));
      out[`dot${sfx}`] = hex(new Float64Array([k[`dot${sfx}`](x.ptr, y.ptr, n)]));
      const m = 67, p = 45, q = 33;
      const a = put(vec(m * q)), b = put(vec(q * p)), bt = put(vec(p * q)), at = put(vec(q * m));
      for (const [form, A, B] of [['NN', a, b], ['NT', a, bt], ['TN', at, b]] as const) {
        const c = ws.alloc(dtype, m * p);
        k[`gemm${form}${sfx}`](A.ptr, B.ptr, c.ptr, m, p, q, 0);
        rec(`gemm${form}`, c);
      }
      const d = 9;
      const g = vec(d * d);
      const spd = dtype === 'f64' ? new Float64Array(d * d) : new Float32Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        let s = i === j ? d : 0;
        for (let t = 0; t < d; t++) s += g[t * d + i] * g[t * d + j];
        spd[i * d + j] = s;
      }
      const l = put(spd);
      k[`cholesky${sfx}`](l.ptr, d);
      rec('cholesky', l);
      const inv = ws.alloc(dtype, d * d);
      k[`triInvLower${sfx}`](l.ptr, inv.ptr, d);
      rec('triInvLower', inv);
      const w = put(vec(50).map(Math.abs)), xs = put(vec(50 * d)), mean = put(vec(d)), s = ws.alloc(dtype, d * d);
      k[`syrkWeighted${sfx}`](xs.ptr, w.ptr, mean.ptr, s.ptr, 50, d, 0);
      rec('syrkWeighted', s);
      const e = put(vec(n, 100));
      for (const f of ['exp', 'sigmoid', 'softplus']) {
        const o = ws.alloc(dtype, n);
        k[`${f}${sfx}`](e.ptr, o.ptr, n);
        rec(f, o);
      }
      // Powers of two are exact in every engine (unlike 10 ** x), so the inputs agree bit for bit.
      const pos = put(vec(n).map((v, i) => Math.abs(v) * 2 ** ((i % 200) - 100)));
      const lg = ws.alloc(dtype, n);
      k[`log${sfx}`](pos.ptr, lg.ptr, n);
      rec('log', lg);
      const rows = 40, cols = 13;
      const z = put(vec(rows * cols, 30));
      const lse = ws.alloc(dtype, rows), sm = ws.alloc(dtype, rows * cols);
      k[`logSumExpRows${sfx}`](z.ptr, lse.ptr, rows, cols);
      rec('logSumExpRows', lse);
      k[`softmaxRows${sfx}`](z.ptr, sm.ptr, 0, rows, cols);
      rec('softmaxRows', sm);
      const st = ws.alloc(dtype, n);
      k[`softThreshold${sfx}`](x.ptr, st.ptr, n, 0.5);
      rec('softThreshold', st);
    });
  }
  const r = new Random(99);
  out.random = hex(new Float64Array(Array.from({ length: 16 }, () => r.normal())));
  return out;
}

/**
 * A small Gaussian-mixture fit: not bit-compared (its parameter math calls Math.log, which
 * engines may round differently in the last bit), but compared to 1e-12.
 */
export function runMixtureProbe(): number[] {
  const rng = new Random(5);
  const X = { data: rng.fillNormal(new Float64Array(300 * 3)), rows: 300, cols: 3 };
  for (let i = 0; i < 100; i++) X.data[i * 3] += 6;
  const gm = new GaussianMixture({ nComponents: 2, initParams: 'random', seed: 3, tol: 0, maxIter: 15, onWarning: () => {} }).fit(X);
  return [...gm.lowerBoundHistory, ...gm.means.data];
}
