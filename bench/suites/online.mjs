// Sample weights, online EM and missing values: seconds per row of a weighted and an unweighted
// EM iteration, of GaussianMixture.partialFit over 1,000-row batches, and of an EM iteration on
// the same data with 10 % of its entries missing (NaN, missing: 'marginalize'), all on the same
// data in one run; plus how close one pass of partialFit ends to the batch fit (the mean
// log-likelihood on the whole data), and the whole pass's time against a whole fit at the defaults. Each case is the fastest of several runs after a warm-up
// (V8 tiers the wasm and the JavaScript up while they run), interleaved so that a busy machine
// slows every case alike. Each case is timed twice: wall-clock seconds, and the CPU seconds of
// the process (process.cpuUsage, V8's own threads included), which other jobs on a shared
// machine disturb less. Each case starts on a collected heap (settleHeap).
import { GaussianMixture, Random } from '../../dist/index.js';
import { gmmProblem } from './mixture.mjs';
import { settleHeap } from '../lib.mjs';

export const ONLINE_WORKLOAD = { id: 'online-full-100k', N: 100_000, D: 8, K: 8, covarianceType: 'full' };
/** The fraction of entries made missing for the missing-value case. */
const MISSING_FRACTION = 0.1;

/** Wall-clock and CPU time now, in seconds. */
function clocks() {
  const c = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Seconds (wall and CPU) per row from `a` to `b` over `rows` rows. */
function perRow(a, b, rows) {
  return { seconds: (b.wall - a.wall) / rows, cpu: (b.cpu - a.cpu) / rows };
}

/** Seconds per EM iteration per row (between the first and the last onIteration callback). */
function fitSecondsPerRow(w, p, X, { sampleWeight, missing } = {}, iters) {
  settleHeap();
  const stamps = [];
  new GaussianMixture({
    nComponents: w.K, covarianceType: w.covarianceType, tol: 0, maxIter: 1 + iters, onWarning: () => {}, missing,
    weightsInit: p.weights, meansInit: { data: p.means, rows: w.K, cols: w.D }, precisionsInit: p.precisions,
    onIteration: () => { stamps.push(clocks()); },
  }).fit(X, { sampleWeight });
  return perRow(stamps[0], stamps[stamps.length - 1], iters * w.N);
}

/**
 * One pass of partialFit over batches of `batch` rows: seconds per row (after the first batch),
 * the whole pass's seconds (the first batch, which initialises, included) and the model.
 */
function partialFitSecondsPerRow(w, p, batch) {
  settleHeap();
  const gm = new GaussianMixture({ nComponents: w.K, covarianceType: w.covarianceType, seed: 1 });
  const start = clocks();
  gm.partialFit(slice(p.X, 0, batch));
  const t0 = clocks();
  for (let s = batch; s < w.N; s += batch) gm.partialFit(slice(p.X, s, Math.min(w.N, s + batch)));
  const end = clocks();
  return { ...perRow(t0, end, w.N - batch), pass: perRow(start, end, 1), gm };
}

/**
 * The tolerance for a stream against the batch fit (test/mixture/online.test.ts): the
 * mean log-likelihood on the whole data within 1e-3 of the batch fit's.
 */
export const STREAM_TOLERANCE = 1e-3;

/**
 * Passes of partialFit over the data in batches of `batch` rows, from a new model, until its mean
 * log-likelihood on the whole data is within STREAM_TOLERANCE of `target` (at most `maxPasses`):
 * the passes' seconds (the scoring between passes not counted), how many, the last gap, and the
 * second pass's seconds per row (a stream past its start, as a long stream runs; NaN if one pass did).
 */
function passesToTolerance(w, p, batch, target, maxPasses = 10) {
  settleHeap();
  const gm = new GaussianMixture({ nComponents: w.K, covarianceType: w.covarianceType, seed: 1 });
  let wall = 0, cpu = 0, gap = -Infinity, passes = 0, second = { seconds: NaN, cpu: NaN };
  while (passes < maxPasses && gap < -STREAM_TOLERANCE) {
    const a = clocks();
    for (let s = 0; s < w.N; s += batch) gm.partialFit(slice(p.X, s, Math.min(w.N, s + batch)));
    const b = clocks();
    wall += b.wall - a.wall;
    cpu += b.cpu - a.cpu;
    passes += 1;
    if (passes === 2) second = perRow(a, b, w.N);
    gap = gm.score(p.X) - target;
  }
  return { seconds: wall, cpu, passes, gap, second };
}

/** A whole fit at the defaults (k-means start, EM until tol), as a user who has all the rows runs it: seconds and the model. */
function wholeFit(w, p) {
  settleHeap();
  const t0 = clocks();
  const gm = new GaussianMixture({ nComponents: w.K, covarianceType: w.covarianceType, seed: 1, onWarning: () => {} }).fit(p.X);
  return { ...perRow(t0, clocks(), 1), gm };
}

function slice(X, start, end) {
  return { data: X.data.subarray(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

/** X with each entry NaN with probability `fraction` (seeded). */
function withMissing(X, fraction, seed) {
  const rng = new Random(seed);
  return { ...X, data: X.data.map((v) => (rng.random() < fraction ? NaN : v)) };
}

/**
 * Wider rows, where 10 % NaN leaves most rows a missingness pattern of their own (scored row by
 * row rather than by the kernels): per D, CPU seconds per row of an EM iteration with and
 * without the NaN, best of 3 after a warm-up, interleaved.
 */
function wideMissing(quick) {
  const rows = [];
  for (const D of [16, 32]) {
    const w = { id: `missing-full-${quick ? 5 : 20}k-D${D}`, N: quick ? 5_000 : 20_000, D, K: 8, covarianceType: 'full' };
    const p = gmmProblem(w, 3);
    const holes = withMissing(p.X, MISSING_FRACTION, 4);
    let complete = Infinity, missing = Infinity;
    for (let run = 0; run <= 3; run++) {
      const a = fitSecondsPerRow(w, p, p.X, {}, 3).cpu, b = fitSecondsPerRow(w, p, holes, { missing: 'marginalize' }, 3).cpu;
      if (run === 0) continue;
      complete = Math.min(complete, a);
      missing = Math.min(missing, b);
    }
    const patterns = new Set();
    for (let r = 0; r < w.N; r++) patterns.add(Array.from(holes.data.subarray(r * D, (r + 1) * D), Number.isNaN).join());
    rows.push({ workload: w.id, case: `fit with ${MISSING_FRACTION * 100} % NaN, one EM iteration, over the complete fit's (CPU)`, D, patterns: patterns.size, ratio: missing / complete, cpuSecondsPerRow: missing, completeCpuSecondsPerRow: complete });
  }
  return rows;
}

export function runOnlineSuite({ quick = false } = {}) {
  const w = { ...ONLINE_WORKLOAD, N: quick ? 20_000 : ONLINE_WORKLOAD.N };
  const p = gmmProblem(w, 3);
  const rng = new Random(2);
  const weights = Float64Array.from({ length: w.N }, () => rng.random() * 2);
  const holes = withMissing(p.X, MISSING_FRACTION, 4);
  const iters = quick ? 3 : 5;
  const runs = quick ? 2 : 4;
  const best = { unweighted: Infinity, weighted: Infinity, online: Infinity, missing: Infinity, pass: Infinity, whole: Infinity, tolerance: Infinity, second: Infinity };
  const bestCpu = { ...best };
  let gm, batch;
  for (let run = 0; run <= runs; run++) {
    // Run 0 is the warm-up.
    const times = {
      unweighted: fitSecondsPerRow(w, p, p.X, {}, iters),
      weighted: fitSecondsPerRow(w, p, p.X, { sampleWeight: weights }, iters),
      missing: fitSecondsPerRow(w, p, holes, { missing: 'marginalize' }, iters),
    };
    times.online = partialFitSecondsPerRow(w, p, 1000);
    gm = times.online.gm;
    if (run === 0) continue;
    for (const k of ['unweighted', 'weighted', 'missing', 'online']) {
      best[k] = Math.min(best[k], times[k].seconds);
      bestCpu[k] = Math.min(bestCpu[k], times[k].cpu);
    }
  }
  // The whole pass against the whole fit, in runs of their own: a whole fit's k-means start
  // leaves garbage whose collection would otherwise fall into the next run's per-row timings.
  let tolerance;
  for (let run = 0; run <= runs; run++) {
    const times = { pass: partialFitSecondsPerRow(w, p, 1000).pass, whole: wholeFit(w, p) };
    batch = times.whole.gm;
    // The same stream to the batch fit's mean log-likelihood (the passes are the same every run).
    times.tolerance = tolerance = passesToTolerance(w, p, 1000, batch.score(p.X));
    if (run === 0) continue;
    for (const k of ['pass', 'whole', 'tolerance']) {
      best[k] = Math.min(best[k], times[k].seconds);
      bestCpu[k] = Math.min(bestCpu[k], times[k].cpu);
    }
    best.second = Math.min(best.second, tolerance.second.seconds);
    bestCpu.second = Math.min(bestCpu.second, tolerance.second.cpu);
  }
  return [
    { workload: w.id, case: 'fit, one EM iteration', secondsPerRow: best.unweighted, cpuSecondsPerRow: bestCpu.unweighted },
    { workload: w.id, case: 'fit with sampleWeight, one EM iteration', secondsPerRow: best.weighted, cpuSecondsPerRow: bestCpu.weighted },
    {
      workload: w.id, case: 'partialFit, 1,000-row batches', secondsPerRow: best.online, cpuSecondsPerRow: bestCpu.online,
      scoreGap: gm.score(p.X) - batch.score(p.X),
    },
    // The stream's second pass over the data: past the start of a model's stream, as most of a long stream is.
    { workload: w.id, case: 'partialFit, 1,000-row batches, second pass of a stream', secondsPerRow: best.second, cpuSecondsPerRow: bestCpu.second },
    {
      workload: w.id, case: `fit with ${MISSING_FRACTION * 100} % NaN (marginalize), one EM iteration`, secondsPerRow: best.missing,
      cpuSecondsPerRow: bestCpu.missing,
    },
    // What a user with all the rows at hand chooses between: one pass of the stream, or a whole fit.
    {
      workload: w.id, case: 'one pass of partialFit, 1,000-row batches (the first, which initialises, included)', seconds: best.pass, cpuSeconds: bestCpu.pass,
      scoreGap: gm.score(p.X) - batch.score(p.X),
    },
    { workload: w.id, case: `whole fit at the defaults (k-means start, ${batch.nIter} EM iterations to tol)`, seconds: best.whole, cpuSeconds: bestCpu.whole },
    {
      workload: w.id, case: `partialFit, 1,000-row batches, until within ${STREAM_TOLERANCE} of the batch fit (${tolerance.passes} passes)`,
      seconds: best.tolerance, cpuSeconds: bestCpu.tolerance, passes: tolerance.passes, scoreGap: tolerance.gap,
    },
    ...wideMissing(quick),
  ];
}
