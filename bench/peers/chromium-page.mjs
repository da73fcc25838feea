// The page of the Chromium peer (bundled by esbuild in bench/peers/chromium.mjs): fetches the
// workload data the Node run generated and times the same elbo calls, with the same rules, as
// Node does (bench/peers/elbo-runs.mjs).
import { init } from '../../dist/index.js';
import { elboGemmSeconds, elboGmm, elboSparse, sparseObjective } from './elbo-runs.mjs';

async function f64(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Float64Array(await res.arrayBuffer());
}

window.runPeers = async (plan) => {
  await init();
  const rows = [];
  for (const { n } of plan.gemm) {
    const a = await f64(`/data/gemm-${n}-a.f64`), b = await f64(`/data/gemm-${n}-b.f64`);
    for (const dtype of ['f64', 'f32']) {
      const seconds = dtype === 'f64' ? elboGemmSeconds(a, b, n, 'wasm') : elboGemmSeconds(Float32Array.from(a), Float32Array.from(b), n, 'wasm');
      rows.push({ workload: `gemm-${dtype}-${n}`, dtype, seconds, gflops: (2 * n ** 3) / seconds / 1e9 });
    }
  }
  if (plan.gmm) {
    const w = plan.gmm.w;
    const init = { weights: await f64('/data/gmm-weights.f64'), means: await f64('/data/gmm-means.f64'), precisions: await f64('/data/gmm-precisions.f64') };
    const X = { data: await f64('/data/gmm-X.f64'), rows: w.N, cols: w.D };
    const r = elboGmm(w, init, X);
    rows.push({ workload: w.id, dtype: 'f64', seconds: r.seconds, objective: r.objective, iterations: r.iterations });
  }
  if (plan.sparse) {
    const { N, A, F, alpha, tol, id } = plan.sparse;
    const X = await f64('/data/sparse-X.f64'), D = await f64('/data/sparse-D.f64');
    elboSparse(X, D, { N, A, F }, { alpha, tol: 1e-2 }, 1); // warm-up, as in Node
    const r = elboSparse(X, D, { N, A, F }, { alpha, algorithm: 'cd', tol });
    rows.push({ workload: id, dtype: 'f64', seconds: r.seconds, ...sparseObjective({ X, D, N, A, F, alpha }, r.codes), algorithm: 'cd', tol });
  }
  return { rows, userAgent: navigator.userAgent };
};
