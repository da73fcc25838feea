// `npm run bench:peers` (issue 8): the same workloads through every peer in one run on one
// machine — elbo (wasm f64 / f32, and its plain-TypeScript twins), TensorFlow.js (wasm and cpu
// backends, the same algorithms in tf ops), scikit-learn / numpy (one BLAS thread, and two), and
// elbo again inside headless Chromium — printed as one table and written to
// bench/results/peers.json. Ratios are taken within this run only.
// Usage: node bench/peers.mjs [--quick] [--only=gemm,gmm,sparse,bsc,kmeans,wholefit,hmm] [--no-python] [--no-chromium]
// (with --only, results go to bench/results/peers-<names>.json, leaving peers.json to full runs)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose, init, sparseEncode } from '../dist/index.js';
import { fmt, machine } from './lib.mjs';
import { bestOf, elboGemmSeconds, elboGmm, elboSparse } from './peers/elbo-runs.mjs';
import { prepareChromium, runChromium } from './peers/chromium.mjs';
import { runPython, sklearnUnavailable } from './peers/python.mjs';
import { runKMeansPeers } from './peers/kmeans-peers.mjs';
import { runWholeFitSuite } from './suites/wholefit.mjs';
import { TFJS_PEERS, TFJS_VERSION, tf, useBackend, wasmFeatures } from './peers/tfjs-backend.mjs';
import { tfjsFista } from './peers/tfjs-fista.mjs';
import { tfjsGemm } from './peers/tfjs-gemm.mjs';
import { tfjsGmmFit } from './peers/tfjs-gmm.mjs';
import { tfjsMeanField } from './peers/tfjs-meanfield.mjs';
import { runHmmPeers } from './peers/hmm-peer.mjs';
import { BSC, bscBound, bscProblem, GEMM_SIZES, gemmProblem, GMM_WORKLOADS, gmmProblem, SPARSE, sparseObjective, sparseProblem } from './peers/workloads.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice(7);
const only = new Set((onlyArg ?? 'gemm,gmm,sparse,bsc,kmeans,wholefit,hmm').split(','));
const started = performance.now();
const NUMPY = fileURLToPath(new URL('./peers/numpy_peers.py', import.meta.url));
const GMM_SKLEARN = fileURLToPath(new URL('./peers/gmm_sklearn.py', import.meta.url));
const THREADS = [1, 2];
/** elbo's thread counts beside the Python peers' BLAS threads: 1 (per core), then 2 on the pool. */
const ELBO_THREADS = [1, 2];
const GMM_ITERATIONS = 20;

const log = (msg) => process.stderr.write(`[${((performance.now() - started) / 1e3).toFixed(0).padStart(4)} s] ${msg}\n`);
const noPython = args.includes('--no-python') ? 'disabled by --no-python' : sklearnUnavailable();
if (noPython) console.log(`scikit-learn / numpy peers skipped: ${noPython}`);

// One thread by default: the table compares elbo per core with single-threaded peers; the
// elbo-f64 / elbo-f32 rows are then repeated on a pool of 2 threads beside the 2-thread peers.
await init({ threads: 1 });

/**
 * Runs `fn(threads)` once per count of ELBO_THREADS, with dispose() and init({ threads }) before
 * each (init sets up once) and one thread restored after. Inputs must live in JS memory, not in
 * a workspace, since dispose() releases wasm memory. A count the machine cannot give (init resolves to fewer) is skipped with
 * the reason, so a 1-core machine does not report 1-thread figures as 2-thread ones.
 */
async function eachElboThreads(fn) {
  for (const threads of ELBO_THREADS) {
    dispose();
    const got = await init({ threads });
    try {
      if (got.threads === threads) fn(threads);
      else log(`elbo at ${threads} threads skipped: ${got.reason ?? `init gave ${got.threads}`}`);
    } finally {
      dispose();
      await init({ threads: 1 });
    }
  }
}
// The Chromium page is bundled now, from the same dist/ build that Node just loaded.
const withChromium = !args.includes('--no-chromium') && (only.has('gemm') || only.has('gmm') || only.has('sparse'));
const chromiumBuild = withChromium ? await prepareChromium() : null;
const results = [];
const versions = { node: process.version, elbo: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version, tfjs: TFJS_VERSION };
const add = (row) => { results.push(row); log(`${row.workload} ${row.peer}${row.threads ? ` ${row.threads}t` : ''}: ${fmt(row.seconds)} s${row.note ? ` (${row.note})` : ''}`); };
const pythonVersions = (r) => { versions.numpy = r.numpy; versions.sklearn = r.sklearn; };

/** A temporary directory with raw little-endian f64 files and meta.json, for the Python peers. */
function withFiles(files, meta, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'elbo-peers-'));
  try {
    for (const [name, arr] of Object.entries(files)) writeFileSync(join(dir, name), Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function eachTfjs(fn) {
  for (const [peer, backend] of Object.entries(TFJS_PEERS)) {
    await useBackend(backend);
    await fn(peer, backend);
  }
}

// ---- 1. GEMM --------------------------------------------------------------------------------
const gemmSizes = quick ? [256] : GEMM_SIZES;
const gemmData = {};
if (only.has('gemm')) {
  for (const n of gemmSizes) {
    const p = gemmProblem(n);
    gemmData[n] = p;
    const flops = 2 * n ** 3;
    const row = (dtype, peer, seconds, extra = {}) => add({ workload: `gemm-${dtype}-${n}`, peer, dtype, seconds, gflops: flops / seconds / 1e9, ...extra });
    await eachElboThreads((threads) => {
      row('f64', 'elbo-f64', elboGemmSeconds(p.a, p.b, n, 'wasm'), { threads });
      row('f32', 'elbo-f32', elboGemmSeconds(p.a32, p.b32, n, 'wasm'), { threads });
    });
    row('f64', 'elbo-ts', elboGemmSeconds(p.a, p.b, n, 'ts'));
    row('f32', 'elbo-ts', elboGemmSeconds(p.a32, p.b32, n, 'ts'));
    await eachTfjs((peer) => {
      const g = tfjsGemm(p.a32, p.b32, n);
      try { row('f32', peer, bestOf(g.run)); } finally { g.release(); }
    });
  }
  if (!noPython) {
    const files = {};
    for (const n of gemmSizes) { files[`A_${n}.f64`] = gemmData[n].a; files[`B_${n}.f64`] = gemmData[n].b; }
    withFiles(files, {}, (dir) => {
      for (const threads of THREADS) {
        const r = runPython(NUMPY, ['gemm', dir, gemmSizes.join(',')], { threads });
        pythonVersions(r);
        for (const g of r.result) add({ workload: `gemm-${g.dtype}-${g.size}`, peer: 'numpy', dtype: g.dtype, threads, seconds: g.seconds, gflops: (2 * g.size ** 3) / g.seconds / 1e9 });
      }
    });
  }
}

// ---- 2, 3. GaussianMixture EM -----------------------------------------------------------------
let gmmFull = null;
if (only.has('gmm')) {
  for (const base of GMM_WORKLOADS) {
    const w = quick ? { ...base, N: base.N / 10 } : base;
    const p = gmmProblem(w);
    if (w.covarianceType === 'full') gmmFull = { w, p };
    const X32 = { data: Float32Array.from(p.X.data), rows: w.N, cols: w.D };
    const row = (peer, dtype, r, extra = {}) => add({
      workload: w.id, peer, dtype, seconds: r.seconds, ...(r.iterations === GMM_ITERATIONS ? { objective: r.objective } : {}), iterations: r.iterations, ...extra,
    });
    await eachElboThreads((threads) => {
      row('elbo-f64', 'f64', elboGmm(w, p, p.X), { threads });
      row('elbo-f32', 'f32', elboGmm(w, p, X32), { threads });
    });
    row('elbo-ts', 'f64', elboGmm(w, p, p.X, { engine: 'reference', iterations: 3, fits: 1 }), { note: 'timed over iterations 2–3' });
    await eachTfjs((peer, backend) => {
      const iterations = backend === 'cpu' ? 3 : GMM_ITERATIONS;
      const stamps = [];
      const r = tfjsGmmFit(w, p, { maxIter: iterations, onIteration: () => stamps.push(performance.now()) });
      const seconds = (stamps[stamps.length - 1] - stamps[0]) / 1e3 / (stamps.length - 1);
      row(peer, 'f32', { seconds, objective: r.lowerBound, iterations }, iterations < GMM_ITERATIONS ? { note: 'timed over iterations 2–3' } : {});
    });
    if (!noPython) {
      withFiles({ 'X.f64': p.X.data, 'weights.f64': p.weights, 'means.f64': p.means, 'precisions.f64': p.precisions },
        { N: w.N, D: w.D, K: w.K, covariance_type: w.covarianceType }, (dir) => {
          for (const threads of THREADS) {
            // gmm_sklearn.py times fits of 1 and 1 + ITERS iterations: ITERS = 19 ends at 20.
            const r = runPython(GMM_SKLEARN, [dir, String(GMM_ITERATIONS - 1)], { threads });
            versions.sklearn = r.sklearn;
            versions.numpy = r.numpy;
            row('sklearn', 'f64', { seconds: r.secondsPerIteration, objective: r.lowerBound, iterations: r.iterations }, { threads });
          }
        });
    }
  }
}

// ---- 4. sparseEncode --------------------------------------------------------------------------
// Seconds to reach a mean objective ≤ best · (1 + relTol), best = the lowest any peer reached. The
// target comes from a tight elbo run (tol 1e-10); tolerance-driven peers step through a ladder of
// tolerances (each run from scratch, reporting the loosest that reaches the target); iterative
// peers (FISTA) check the mean objective every 10 iterations and stop there.
let sparseTol = null, sparseP = null, sparseBest = Infinity;
if (only.has('sparse')) {
  const p = sparseProblem(quick ? 2000 : SPARSE.N);
  sparseP = p;
  const shape = { N: p.N, A: p.A, F: p.F };
  const ladder = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];
  const X32 = Float32Array.from(p.X), D32 = Float32Array.from(p.D);
  const tight = sparseObjective(p, sparseEncode({ data: p.X, rows: p.N, cols: p.F }, { data: p.D, rows: p.A, cols: p.F }, { alpha: p.alpha, tol: 1e-10, maxIter: 100_000 }).codes.data);
  sparseBest = tight.objective;
  const target = tight.objective * (1 + SPARSE.relTol);
  log(`sparse: α = ${p.alpha.toPrecision(6)}, best objective ${tight.objective} (${(100 * tight.nonzeroFraction).toFixed(1)} % non-zeros), target ${target}`);
  const row = (peer, dtype, seconds, ev, extra = {}) => add({ workload: SPARSE.id, peer, dtype, seconds, objective: ev.objective, nonzeroFraction: ev.nonzeroFraction, ...extra });
  const ladderRun = (peer, X, D, options, threads = 1) => {
    elboSparse(X, D, shape, { ...options, tol: 1e-2 }, 1); // warm-up
    for (const tol of ladder) {
      const r = elboSparse(X, D, shape, { ...options, tol });
      const ev = sparseObjective(p, r.codes);
      if (ev.objective <= target || tol === ladder[ladder.length - 1]) {
        row(peer, X instanceof Float32Array ? 'f32' : 'f64', r.seconds, ev, { algorithm: options.algorithm ?? 'cd', tol, threads });
        return tol;
      }
    }
  };
  // Threads do not change the codes (same bytes for any count), so the tolerance is the same too.
  await eachElboThreads((threads) => {
    sparseTol = ladderRun('elbo-f64', p.X, p.D, { alpha: p.alpha, algorithm: 'cd' }, threads);
    ladderRun('elbo-f32', X32, D32, { alpha: p.alpha, algorithm: 'cd' }, threads);
  });
  {
    // The TS twin runs the same algorithm: the tolerance elbo-f64 needed, once.
    const r = elboSparse(p.X, p.D, shape, { alpha: p.alpha, algorithm: 'cd', tol: sparseTol, engine: 'reference' }, 1);
    row('elbo-ts', 'f64', r.seconds, sparseObjective(p, r.codes), { algorithm: 'cd', tol: sparseTol });
  }
  let fistaIterations = null;
  await eachTfjs((peer, backend) => {
    if (backend === 'cpu' && fistaIterations) {
      // ~1.6 s per iteration here: time a few iterations and scale to the count tfjs-wasm needed.
      const k = quick ? 2 : 5;
      const t = performance.now();
      tfjsFista(X32, D32, p.N, p.F, p.A, p.alpha, { maxIter: k, checkEvery: k });
      const per = (performance.now() - t) / 1e3 / k;
      add({ workload: SPARSE.id, peer, dtype: 'f32', seconds: per * fistaIterations, algorithm: 'fista', iterations: fistaIterations, estimated: true, note: `${k} iterations timed, scaled to ${fistaIterations}` });
      return;
    }
    const t = performance.now();
    const r = tfjsFista(X32, D32, p.N, p.F, p.A, p.alpha, { target, maxIter: 2000 });
    const seconds = (performance.now() - t) / 1e3;
    fistaIterations = r.iterations;
    row(peer, 'f32', seconds, sparseObjective(p, r.codes), { algorithm: 'fista', iterations: r.iterations });
  });
  if (!noPython) {
    withFiles({ 'X.f64': p.X, 'D.f64': p.D }, { N: p.N, A: p.A, F: p.F, alpha: p.alpha }, (dir) => {
      let cdTol = null;
      for (const threads of THREADS) {
        const tols = cdTol ? [cdTol] : ladder;
        const r = runPython(NUMPY, ['lasso', dir, String(target), tols.join(',')], { threads });
        pythonVersions(r);
        const cd = r.result.lasso_cd;
        cdTol = cd.tol;
        add({ workload: SPARSE.id, peer: 'sklearn-lasso-cd', dtype: 'f64', threads, seconds: cd.seconds, objective: cd.objective, nonzeroFraction: cd.nonzeroFraction, algorithm: 'cd', tol: cd.tol });
        const lars = r.result.lasso_lars;
        add({ workload: SPARSE.id, peer: 'sklearn-lasso-lars', dtype: 'f64', threads, seconds: lars.seconds, objective: lars.objective, nonzeroFraction: lars.nonzeroFraction, algorithm: 'lars' });
        const f = runPython(NUMPY, ['fista', dir, String(target), '2000'], { threads }).result;
        add({ workload: SPARSE.id, peer: 'numpy', dtype: 'f64', threads, seconds: f.seconds, objective: f.objective, nonzeroFraction: f.nonzeroFraction, algorithm: 'fista', iterations: f.iterations });
      }
    });
  }
}

// ---- 5. Binary sparse coding mean-field -------------------------------------------------------
if (only.has('bsc')) {
  const p = bscProblem(quick ? 2000 : BSC.N);
  const opts = { schedule: 'parallel', maxIter: BSC.sweeps, tol: 0, damping: BSC.damping };
  const row = (peer, dtype, seconds, H, extra = {}) => add({ workload: BSC.id, peer, dtype, seconds, objective: bscBound(p, H), ...extra });
  await eachElboThreads((threads) => {
    let r;
    const seconds = bestOf(() => { r = p.model.infer(p.V, opts); });
    row('elbo-f64', 'f64', seconds, r.hHat.data, { schedule: 'parallel', sweeps: r.nIter, threads });
    const V32 = { data: Float32Array.from(p.V.data), rows: p.V.rows, cols: p.V.cols };
    const seconds32 = bestOf(() => { r = p.model.infer(V32, opts); });
    row('elbo-f32', 'f32', seconds32, r.hHat.data, { schedule: 'parallel', sweeps: r.nIter, threads });
  });
  {
    const t = performance.now();
    const ts = p.model.infer(p.V, { ...opts, engine: 'reference' });
    row('elbo-ts', 'f64', (performance.now() - t) / 1e3, ts.hHat.data, { schedule: 'parallel', sweeps: ts.nIter });
  }
  await eachTfjs((peer, backend) => {
    let H;
    const seconds = backend === 'cpu'
      ? (() => { const t = performance.now(); H = tfjsMeanField(p, BSC); return (performance.now() - t) / 1e3; })()
      : bestOf(() => { H = tfjsMeanField(p, BSC); });
    row(peer, 'f32', seconds, H, { schedule: 'parallel', sweeps: BSC.sweeps });
  });
  if (!noPython) {
    withFiles({ 'V.f64': p.V.data, 'W.f64': p.W, 'b.f64': p.b, 'beta.f64': p.beta }, { N: p.N, m: p.m, n: p.n }, (dir) => {
      for (const threads of THREADS) {
        const r = runPython(NUMPY, ['meanfield', dir, String(BSC.sweeps), String(BSC.damping)], { threads });
        pythonVersions(r);
        const H = new Float64Array(readFileSync(join(dir, 'H_numpy.f64')).buffer.slice(0));
        row('numpy', 'f64', r.result.seconds, H, { threads, schedule: 'parallel', sweeps: BSC.sweeps });
      }
    });
  }
}

// ---- 6. KMeans at equal inertia: elbo, scikit-learn (1 thread), skmeans, ml-kmeans ----------------
if (only.has('kmeans')) {
  for (const r of runKMeansPeers({ quick, python: !noPython, log })) results.push({ ...r, peer: r.peer === 'sklearn-1t' ? 'sklearn' : r.peer, threads: 1, objective: r.inertia, note: `${r.nIter} iterations, CPU ${fmt(r.cpuSeconds)} s` });
}

// ---- 7. Whole GaussianMixture / BayesianGaussianMixture fits: default options, and every initial parameter given ---
if (only.has('wholefit')) {
  for (const r of runWholeFitSuite({ quick, models: ['gmm', 'bgmm', 'given'], python: !noPython })) {
    add({ ...r, peer: r.peer === 'sklearn-1t' ? 'sklearn' : r.peer, dtype: r.peer === 'elbo-f32' ? 'f32' : 'f64', threads: 1, objective: r.lowerBound, note: `init ${fmt(r.initSeconds)} s, ${r.nIter} iterations` });
  }
}

// ---- 8. HMM Baum-Welch: elbo against pomegranate 0.14.8 (seconds per iteration) ----------------
if (only.has('hmm')) {
  const r = runHmmPeers({ quick, python: !args.includes('--no-python') });
  if (r.skipped) console.log(`pomegranate peer skipped: ${r.skipped}`);
  for (const { logLikAfter, version, ...row } of r.rows) {
    if (version) versions.pomegranate = version;
    add({ ...row, dtype: 'f64', objective: logLikAfter });
  }
}

// ---- Chromium: workloads 1, 2 and 4 with elbo in the page ---------------------------------------
if (withChromium) {
  const plan = {
    gemm: only.has('gemm') ? gemmSizes.map((n) => ({ n, a: gemmData[n].a, b: gemmData[n].b })) : [],
    gmm: only.has('gmm') && gmmFull ? gmmFull : null,
    sparse: only.has('sparse') && sparseP ? { p: sparseP, tol: sparseTol } : null,
  };
  const r = await runChromium(chromiumBuild, plan, log);
  if (r.skipped) console.log(`elbo-chromium skipped: ${r.skipped}`);
  else {
    versions.chromium = r.version;
    for (const row of r.rows) {
      add({ peer: 'elbo-chromium', ...row });
    }
  }
}

// ---- Sparse: reached = within relTol of the best objective any peer reached (the tight run too).
{
  const rows = results.filter((r) => r.workload === SPARSE.id);
  const best = Math.min(sparseBest, ...rows.map((r) => r.objective ?? Infinity));
  for (const r of rows) {
    if (r.objective === undefined) continue;
    r.reached = r.objective <= best * (1 + SPARSE.relTol);
    if (!r.reached) r.note = `not reached: ${(r.objective / best - 1).toExponential(1)} above the best`;
  }
}

// ---- Ratios, table, JSON ----------------------------------------------------------------------
const WORKLOAD_ORDER = ['gemm-f64-256', 'gemm-f64-1000', 'gemm-f32-256', 'gemm-f32-1000', 'gmm-full-100k', 'gmm-diag-1m', SPARSE.id, BSC.id];
const PEER_ORDER = ['elbo-f64', 'elbo-f32', 'elbo-f64-elkan', 'elbo-chromium', 'elbo-ts', 'tfjs-wasm', 'tfjs-cpu', 'sklearn', 'sklearn-lasso-cd', 'sklearn-lasso-lars', 'numpy', 'skmeans', 'ml-kmeans'];
const rank = (order, v) => (order.includes(v) ? order.indexOf(v) : order.length);
results.sort((a, b) => rank(WORKLOAD_ORDER, a.workload) - rank(WORKLOAD_ORDER, b.workload) || rank(PEER_ORDER, a.peer) - rank(PEER_ORDER, b.peer) || (a.threads ?? 1) - (b.threads ?? 1));
const elboPeer = (workload) => (workload.startsWith('gemm-f32') ? 'elbo-f32' : 'elbo-f64');
// Each row against elbo at its own thread count where elbo ran at it (numpy at 2 threads against
// elbo at 2), else against elbo on one thread.
const threadsOf = (r) => r.threads ?? 1;
for (const r of results) {
  const elbo = results.filter((x) => x.workload === r.workload && x.peer === elboPeer(r.workload));
  const e = elbo.find((x) => threadsOf(x) === threadsOf(r)) ?? elbo.find((x) => threadsOf(x) === 1);
  r.ratioToElbo = e ? r.seconds / e.seconds : null;
}
const objectiveText = (r) => {
  if (r.objective === undefined) return '';
  if (r.workload.startsWith('gmm') || r.workload.startsWith('bgmm')) return r.objective.toFixed(6);
  if (r.workload.startsWith('kmeans')) return r.objective.toPrecision(10);
  if (r.workload.startsWith('sparse')) return r.objective.toFixed(9);
  return r.objective.toFixed(4);
};
const cols = ['workload', 'peer', 'dtype', 'threads', 'seconds', 'GFLOP/s', 'objective', '× elbo', 'note'];
const cells = results.map((r) => ({
  workload: r.workload, peer: r.peer, dtype: r.dtype, threads: r.threads ?? 1, seconds: fmt(r.seconds), 'GFLOP/s': r.gflops ? fmt(r.gflops) : '',
  objective: objectiveText(r), '× elbo': r.ratioToElbo === null ? '' : fmt(r.ratioToElbo), note: r.note ?? '',
}));
const widths = cols.map((c) => Math.max(c.length, ...cells.map((r) => String(r[c]).length)));
const line = (vals) => `| ${vals.map((v, i) => (i < 4 || i === 8 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join(' | ')} |`;
const table = [line(cols), `|${widths.map((w, i) => (i < 4 || i === 8 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...cells.map((r) => line(cols.map((c) => r[c])))].join('\n');
const m = machine();
const elapsed = (performance.now() - started) / 1e3;
console.log(`\nPeer benchmarks (seconds: per EM iteration for gmm-full-100k / gmm-diag-1m and hmm-*, whole fit for gmm-*k-*true and bgmm-*, total otherwise; objective: bound, or inertia for kmeans-*, log-likelihood for hmm-*; × elbo = seconds / elbo's at the same thread count (one thread where elbo did not run at it), elbo-f32 for gemm-f32-*, elbo-f64 otherwise)\n`);
console.log(table);
console.log(`\n${m.cpu}, ${m.cores} cores, ${m.platform}, Node ${m.node}; tfjs ${versions.tfjs}${versions.sklearn ? `, scikit-learn ${versions.sklearn}, numpy ${versions.numpy}` : ''}${versions.chromium ? `, Chromium ${versions.chromium}` : ''}${versions.pomegranate ? `, pomegranate ${versions.pomegranate}` : ''}; ${elapsed.toFixed(0)} s`);
const out = {
  machine: m, date: new Date().toISOString(), versions, quick, elapsedSeconds: elapsed,
  tfjsWasm: await wasmFeatures(),
  results: results.map(({ workload, peer, seconds, gflops, objective, ratioToElbo, ...rest }) => ({ workload, peer, seconds, ...(gflops ? { gflops } : {}), ...(objective !== undefined ? { objective } : {}), ratioToElbo, ...rest })),
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const outName = onlyArg ? `peers-${[...only].join('-')}.json` : 'peers.json';
writeFileSync(new URL(`./results/${outName}`, import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote bench/results/${outName}`);
tf.disposeVariables();
