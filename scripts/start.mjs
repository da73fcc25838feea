// `npm start`: the demo. Fits Gaussian mixtures by EM on a seeded synthetic set and on Fisher's
// iris (shipped in data/), prints the bound per iteration as a progress line, and writes SVG
// plots of each fit and its bound to ./elbo-demo/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GaussianMixture, Random, init, kernels, lineSvg, loadIris, mixtureSvg, withWorkspace } from '../dist/index.js';

const outDir = join(process.cwd(), 'elbo-demo');
mkdirSync(outDir, { recursive: true });
await init();

function progress(label, maxIter) {
  const t0 = performance.now();
  return ({ iteration, lowerBound, change }) => {
    const s = ((performance.now() - t0) / 1000).toFixed(2);
    const ch = Number.isFinite(change) ? change.toExponential(2) : '—';
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}  ${label}: iteration ${String(iteration).padStart(3)}/${maxIter}  bound ${lowerBound.toFixed(6)}  change ${ch}  ${s} s   ${process.stderr.isTTY ? '' : '\n'}`);
  };
}

function agreement(pred, truth, K) {
  // Best one-to-one matching of clusters to classes, by trying every permutation (K ≤ 6).
  const perms = (a) => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
  let best = 0;
  for (const p of perms([...Array(K).keys()])) {
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (p[pred[i]] === truth[i]) hit++;
    best = Math.max(best, hit);
  }
  return best / pred.length;
}

function fitAndPlot(name, title, X, truth, K, covarianceType) {
  console.log(`\n${title}: ${X.rows} rows × ${X.cols} features, K = ${K}, covariance '${covarianceType}'`);
  const maxIter = 100;
  const gm = new GaussianMixture({ nComponents: K, covarianceType, maxIter, seed: 0, onIteration: progress(name, maxIter) }).fit(X);
  process.stderr.write('\n');
  console.log(`  ${gm.converged ? 'converged' : 'stopped'} after ${gm.nIter} iterations; mean log-likelihood ${gm.lowerBound.toFixed(4)}; BIC ${gm.bic(X).toFixed(1)}`);
  console.log(`  bound per iteration: ${gm.lowerBoundHistory.map((v) => v.toFixed(4)).join(', ')}`);
  const pred = gm.predict(X);
  if (truth) console.log(`  agreement of the clusters with the true classes: ${(100 * agreement(pred, truth, K)).toFixed(1)}%`);
  writeFileSync(join(outDir, `${name}.svg`), mixtureSvg(gm, X, pred, `${title}: ${K} components (${covarianceType}), 1σ and 2σ`));
  writeFileSync(join(outDir, `${name}-bound.svg`), lineSvg({ y: gm.lowerBoundHistory, title: `${title}: the bound per EM iteration`, ylabel: 'mean log-likelihood' }));
  console.log(`  wrote elbo-demo/${name}.svg and elbo-demo/${name}-bound.svg`);
}

// A seeded synthetic set: three anisotropic 2-D clusters.
const rng = new Random(7);
const centres = [[-4, 0], [3, 3], [2, -4]];
const shapes = [[1.5, 0.9, 0.3], [0.7, 1.4, -0.5], [1.1, 0.5, 0.6]]; // sd1, sd2, rotation
const N = 600;
const data = new Float64Array(2 * N);
const truth = new Int32Array(N);
for (let i = 0; i < N; i++) {
  const k = i % 3;
  const [s1, s2, a] = shapes[k];
  const u = s1 * rng.normal(), v = s2 * rng.normal();
  data[2 * i] = centres[k][0] + Math.cos(a) * u - Math.sin(a) * v;
  data[2 * i + 1] = centres[k][1] + Math.sin(a) * u + Math.cos(a) * v;
  truth[i] = k;
}
fitAndPlot('synthetic', 'Synthetic clusters', { data, rows: N, cols: 2 }, truth, 3, 'full');

const iris = await loadIris();
fitAndPlot('iris', "Fisher's iris", iris.X, iris.labels, 3, 'full');

// One line on the kernels underneath: GEMM speed of the wasm module.
const n = 256;
const gflops = withWorkspace((ws) => {
  const a = ws.copyIn(rng.fillNormal(new Float64Array(n * n))), c = ws.f64(n * n);
  kernels().gemmNNF64(a.ptr, a.ptr, c.ptr, n, n, n, 0);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) kernels().gemmNNF64(a.ptr, a.ptr, c.ptr, n, n, n, 0);
  return (20 * 2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9;
});
console.log(`\nwasm SIMD GEMM ${n}×${n} (f64): ${gflops.toFixed(1)} GFLOP/s on this machine. Plots are in ${outDir}/`);
