// Per-iteration cost of fitOnBeam on the direct runner against an in-process fit of the same
// model on the same rows, and the equivalence of the two (max relative difference of the bound
// history and the parameters). Usage: npm run overhead [-- ROWS] (default 20000 rows, D = 8, K = 4).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaussianMixture, init } from 'elbo-wasm';
import { fitOnBeam } from '../src/index.js';

console.debug = () => {}; // Beam's per-bundle "Processing ..." lines
await init();

const N = Number(process.argv[2] ?? 20000), D = 8, K = 4, ITER = 10, REPEAT = 3;
let s = 12345;
const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 2 ** 32; };
const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
const X = { data: new Float64Array(N * D), rows: N, cols: D };
for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) X.data[i * D + d] = 3 * (i % K) + d + normal();

// Seven unequal shards, written as .npy files that the workers read.
const sizes = [0.2, 0.05, 0.15, 0.25, 0.1, 0.15].map((f) => Math.floor(f * N));
sizes.push(N - sizes.reduce((a, b) => a + b, 0));
const dir = mkdtempSync(join(tmpdir(), 'elbo-beam-overhead-'));
let start = 0;
const files = sizes.map((rows, i) => {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${D}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const bytes = new Uint8Array(10 + header.length + rows * D * 8);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  new Float64Array(bytes.buffer, 10 + header.length).set(X.data.subarray(start * D, (start + rows) * D));
  start += rows;
  const file = join(dir, `part-${i}.npy`);
  writeFileSync(file, bytes);
  return file;
});

const precisions = [];
for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) precisions.push(i === j ? 1 : 0);
const options = () => ({
  nComponents: K, weightsInit: new Array(K).fill(1 / K), precisionsInit: precisions, maxIter: ITER, tol: 0, onWarning: () => {},
  meansInit: Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, d) => 3 * k + d + 0.5)),
});

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const time = async (fn) => { const t = performance.now(); const r = await fn(); return { ms: performance.now() - t, r }; };
const local = [], beam = [];
let a, b;
for (let r = 0; r < REPEAT; r++) {
  const x = await time(() => new GaussianMixture(options()).fit(X));
  const y = await time(() => fitOnBeam(new GaussianMixture(options()), files));
  local.push(x.ms / ITER); beam.push(y.ms / ITER);
  a = x.r; b = y.r;
}
const rel = (p, q) => { let m = 0, sc = 0; for (let i = 0; i < q.length; i++) { m = Math.max(m, Math.abs(p[i] - q[i])); sc = Math.max(sc, Math.abs(q[i])); } return m / sc; };
console.log(`GaussianMixture full, N = ${N}, D = ${D}, K = ${K}, 7 .npy shards, ${ITER} iterations, median of ${REPEAT} fits (Node ${process.versions.node})`);
console.log(`in-process fit       ${median(local).toFixed(1)} ms per iteration`);
console.log(`fitOnBeam (direct)   ${median(beam).toFixed(1)} ms per iteration (one pipeline each, shards re-read every iteration)`);
console.log(`overhead             ${(median(beam) - median(local)).toFixed(1)} ms per iteration (${(median(beam) / median(local)).toFixed(1)}×)`);
console.log(`max relative difference: bound history ${rel(b.lowerBoundHistory, a.lowerBoundHistory).toExponential(1)}, means ${rel(b.means.data, a.means.data).toExponential(1)}, covariances ${rel(b.covariances, a.covariances).toExponential(1)}`);
