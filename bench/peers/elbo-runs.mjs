// The elbo side of the peer benchmarks, shared by Node (bench/peers.mjs) and the Chromium page
// (bench/peers/chromium-page.mjs), so both time exactly the same calls the same way. No Node
// imports here: esbuild bundles this file for the browser.
import { GaussianMixture, gemm, reference as ref, sparseEncode, withWorkspace } from '../../dist/index.js';

/**
 * Wall-clock seconds of `fn`: the best of repeated runs after one warm-up, repeating while the
 * total stays under `budget` seconds (at least `minRuns`); a call slower than the budget runs
 * twice (warm-up included in the best). Every peer is timed by this rule (the Python peers by
 * its copy in numpy_peers.py).
 */
export function bestOf(fn, { budget = 1, minRuns = 3, maxRuns = 50 } = {}) {
  let t = performance.now();
  fn();
  const first = (performance.now() - t) / 1e3;
  if (first > budget) {
    t = performance.now();
    fn();
    return Math.min(first, (performance.now() - t) / 1e3);
  }
  let best = Infinity, total = 0, runs = 0;
  while ((runs < minRuns || total < budget) && runs < maxRuns) {
    t = performance.now();
    fn();
    const s = (performance.now() - t) / 1e3;
    best = Math.min(best, s);
    total += s;
    runs++;
  }
  return best;
}

/** Seconds of one n × n GEMM: elbo's `gemm` on buffers in wasm memory (every thread of the pool), or the TS twin ('ts'). */
export function elboGemmSeconds(a, b, n, impl) {
  const dtype = a instanceof Float32Array ? 'f32' : 'f64';
  if (impl === 'ts') {
    const c = dtype === 'f32' ? new Float32Array(n * n) : new Float64Array(n * n);
    return bestOf(() => ref.gemmNN(a, b, c, n, n, n, 0));
  }
  return withWorkspace((ws) => {
    const pa = ws.copyIn(a), pb = ws.copyIn(b), pc = ws.alloc(dtype, n * n);
    // The public GEMM: one kernel call on one thread, panels on the pool with more.
    return bestOf(() => gemm('NN', dtype, pa.ptr, pb.ptr, pc.ptr, n, n, n, 0));
  });
}

/**
 * GaussianMixture EM from the explicit init with tol = 0 for `iterations` iterations: seconds per
 * iteration from the onIteration timestamps (iterations 2..n, the setup and first iteration
 * excluded), best of `fits` fits, and the bound after the last iteration.
 * `w` is a GMM workload, `init` = { weights, means, precisions }, X = { data, rows, cols }.
 */
export function elboGmm(w, init, X, { engine = 'wasm', iterations = 20, fits = 2 } = {}) {
  let best = Infinity, gm;
  for (let f = 0; f < fits; f++) {
    const stamps = [];
    gm = new GaussianMixture({
      nComponents: w.K, covarianceType: w.covarianceType, tol: 0, maxIter: iterations, engine, onWarning: () => {},
      weightsInit: init.weights, meansInit: { data: init.means, rows: w.K, cols: w.D }, precisionsInit: init.precisions,
      onIteration: () => { stamps.push(performance.now()); },
    }).fit(X);
    best = Math.min(best, (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1));
  }
  return { seconds: best, objective: gm.lowerBound, iterations };
}

/** sparseEncode timed as the best of `runs` runs (after the caller's warm-up), with its codes. */
export function elboSparse(X, D, shape, options, runs = 2) {
  const Xm = { data: X, rows: shape.N, cols: shape.F }, Dm = { data: D, rows: shape.A, cols: shape.F };
  let best = Infinity, r;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    r = sparseEncode(Xm, Dm, options);
    best = Math.min(best, (performance.now() - t) / 1e3);
  }
  return { seconds: best, codes: r.codes.data, converged: r.converged };
}

/** Mean over signals of ½‖x − hD‖² + α‖h‖₁ and the fraction of non-zero codes, in f64 (wasm GEMM). */
export function sparseObjective(p, codes) {
  const { X, D, N, A, F, alpha } = p;
  const H = codes instanceof Float64Array ? codes : Float64Array.from(codes);
  const HD = withWorkspace((ws) => {
    const h = ws.copyIn(H), d = ws.copyIn(D), out = ws.f64(N * F);
    gemm('NN', 'f64', h.ptr, d.ptr, out.ptr, N, F, A, 0);
    return out.readF64();
  });
  let s = 0, nz = 0;
  for (let i = 0; i < N * F; i++) s += 0.5 * (X[i] - HD[i]) ** 2;
  for (let i = 0; i < N * A; i++) { s += alpha * Math.abs(H[i]); if (H[i] !== 0) nz++; }
  return { objective: s / N, nonzeroFraction: nz / (N * A) };
}
