// `npm start`: a short self-check of the built library — loads elbo.wasm, runs a few kernels
// against their plain-TypeScript twins and prints the results and their speed.
import { init, kernels, reference as ref, Random, withWorkspace } from '../dist/index.js';

await init();
const rng = new Random(0);
const n = 256;
const a = rng.fillNormal(new Float64Array(n * n));
const b = rng.fillNormal(new Float64Array(n * n));
const c = new Float64Array(n * n);

const timeIt = (fn, reps) => {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / 1000 / reps;
};

withWorkspace((ws) => {
  const pa = ws.copyIn(a), pb = ws.copyIn(b), pc = ws.f64(n * n);
  const wasm = timeIt(() => kernels().gemmNNF64(pa.ptr, pb.ptr, pc.ptr, n, n, n, 0), 20);
  const ts = timeIt(() => ref.gemmNN(a, b, c, n, n, n, 0), 2);
  let maxDiff = 0;
  const got = pc.view();
  for (let i = 0; i < n * n; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - c[i]));
  const gf = (s) => ((2 * n ** 3) / s / 1e9).toFixed(2);
  console.log(`gemm ${n}×${n} f64: wasm ${gf(wasm)} GFLOP/s, TypeScript ${gf(ts)} GFLOP/s (${(ts / wasm).toFixed(1)}×), max |difference| ${maxDiff.toExponential(2)}`);

  const rows = 4, cols = 5;
  const z = rng.fillNormal(new Float64Array(rows * cols), 0, 10);
  z[0] = -Infinity;
  const pz = ws.copyIn(z), plse = ws.f64(rows);
  kernels().logSumExpRowsF64(pz.ptr, plse.ptr, rows, cols);
  const want = new Float64Array(rows);
  ref.logSumExpRows(z, want, rows, cols);
  console.log(`logSumExpRows: wasm [${Array.from(plse.view(), (v) => v.toFixed(6)).join(', ')}]`);
  console.log(`               twin [${Array.from(want, (v) => v.toFixed(6)).join(', ')}]`);
});
console.log('elbo self-check passed: the wasm module loads and agrees with its reference twins.');
