// `npm run bench`: runs every suite in one process, prints readable tables and writes
// bench/results/latest.json. Ratios are computed from numbers measured in this same run.
// Usage: node bench/run.mjs [--quick] [--suite=kernels,...] (suites: kernels, mixture, bgmm,
// meanfield, sparse, wholefit, kmeans, threads; --quick divides the data sets' rows by 10; wholefit
// takes --models=gmm,bgmm,kmeans; learned takes --bsc-train=N, the BscEncoder's training signals,
// and --bsc-seed=N, the seed of its training's mini-batch shuffle (default 1); threads takes
// --workloads=kmeans,... (workloads whose name contains one of the words) and --rounds=N)
// Every suite but `threads` runs on one thread (init({ threads: 1 })): its figures are per core.
import { mkdirSync, writeFileSync } from 'node:fs';
import { init } from '../dist/index.js';
import { fmt, machine, printTable } from './lib.mjs';
import { runKernelSuite } from './suites/kernels.mjs';
import { runBayesianMixtureSuite, runMixtureSuite } from './suites/mixture.mjs';
import { runMeanfieldSuite } from './suites/meanfield.mjs';
import { runSparseSuite } from './suites/sparse.mjs';
import { runLearnedSuite } from './suites/learned.mjs';
import { runOnlineSuite } from './suites/online.mjs';
import { runWholeFitSuite } from './suites/wholefit.mjs';
import { runHmmSuite } from './suites/hmm.mjs';
import { runKMeansSuite } from './suites/kmeans.mjs';
import { runThreadsSuite } from './suites/threads.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const suiteArg = args.find((a) => a.startsWith('--suite='))?.slice(8);
const wanted = new Set((suiteArg ?? 'kernels,mixture,bgmm,online,meanfield,sparse,wholefit,kmeans,hmm,learned,threads').split(','));

await init({ threads: 1 });
const results = {};
const ratios = {};
const find = (rows, where) => rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v));

if (wanted.has('kernels')) {
  const rows = runKernelSuite({ quick });
  results.kernels = rows;
  printTable('GEMM (C = A·B, square)', ['kernel', 'impl', 'dtype', 'size', 'GFLOP/s', 'ms/call', '±%'],
    rows.filter((r) => r.gflops).map((r) => ({ ...r, 'GFLOP/s': fmt(r.gflops), 'ms/call': fmt(r.seconds * 1e3), '±%': fmt(r.rme) })));
  printTable('Element-wise and row kernels', ['kernel', 'impl', 'dtype', 'rate', 'unit', '±%'],
    rows.filter((r) => r.perSecond).map((r) => ({ ...r, rate: fmt(r.perSecond), '±%': fmt(r.rme) })));
  const g = (impl, dtype, size) => find(rows, { kernel: 'gemmNN', impl, dtype, size })?.gflops;
  ratios.gemmF64_256_wasmOverTs = g('wasm', 'f64', 256) / g('ts', 'f64', 256);
  ratios.gemmF32OverF64_256 = g('wasm', 'f32', 256) / g('wasm', 'f64', 256);
  if (!quick) ratios.gemmF32OverF64_1000 = g('wasm', 'f32', 1000) / g('wasm', 'f64', 1000);
  const lse = (impl, dtype) => rows.find((r) => r.kernel.startsWith('logSumExpRows') && r.impl === impl && r.dtype === dtype)?.perSecond;
  ratios.logSumExpF64_wasmOverTs = lse('wasm', 'f64') / lse('ts', 'f64');
}

if (wanted.has('mixture')) {
  const rows = runMixtureSuite({ quick });
  results.mixture = rows;
  printTable('GaussianMixture EM: seconds per iteration (same explicit init, tol = 0)', ['workload', 'peer', 's/iter', 'bound after', 'iters'],
    rows.map((r) => ({ ...r, 's/iter': fmt(r.seconds), 'bound after': r.lowerBound.toFixed(6), iters: r.iterations })));
  for (const id of new Set(rows.map((r) => r.workload))) {
    const t = (peer) => rows.find((r) => r.workload === id && r.peer === peer)?.seconds;
    ratios[`${id}_tsOverWasm`] = t('elbo-ts') / t('elbo-f64');
    if (t('sklearn-1t')) ratios[`${id}_wasmOverSklearn1t`] = t('elbo-f64') / t('sklearn-1t');
    if (t('sklearn-1t')) ratios[`${id}_wasmF32OverSklearn1t`] = t('elbo-f32') / t('sklearn-1t');
  }
}

if (wanted.has('bgmm')) {
  const rows = runBayesianMixtureSuite({ quick });
  results.bgmm = rows;
  printTable('BayesianGaussianMixture VI: seconds per iteration (same initial responsibilities, tol = 0)', ['workload', 'peer', 's/iter', 'bound after', 'iters'],
    rows.map((r) => ({ ...r, 's/iter': fmt(r.seconds), 'bound after': r.lowerBound.toFixed(4), iters: r.iterations })));
  for (const id of new Set(rows.map((r) => r.workload))) {
    const t = (peer) => rows.find((r) => r.workload === id && r.peer === peer)?.seconds;
    ratios[`${id}_tsOverWasm`] = t('elbo-ts') / t('elbo-f64');
    if (t('sklearn-1t')) ratios[`${id}_wasmOverSklearn1t`] = t('elbo-f64') / t('sklearn-1t');
    if (t('sklearn-1t')) ratios[`${id}_wasmF32OverSklearn1t`] = t('elbo-f32') / t('sklearn-1t');
  }
}

if (wanted.has('online')) {
  const rows = runOnlineSuite({ quick });
  results.online = rows;
  const perRow = rows.filter((r) => r.secondsPerRow !== undefined), whole = rows.filter((r) => r.seconds !== undefined), wide = rows.filter((r) => r.patterns !== undefined);
  printTable('Sample weights, online EM and missing values (GaussianMixture, full, N × 8, K = 8): seconds per row', ['case', 's/row', 'CPU s/row', 'score − batch fit'],
    perRow.map((r) => ({ ...r, 's/row': fmt(r.secondsPerRow), 'CPU s/row': fmt(r.cpuSecondsPerRow), 'score − batch fit': r.scoreGap === undefined ? '' : fmt(r.scoreGap) })));
  printTable('The same data whole: partialFit passes against a whole fit', ['case', 's', 'CPU s', 'score − batch fit'],
    whole.map((r) => ({ ...r, s: fmt(r.seconds), 'CPU s': fmt(r.cpuSeconds), 'score − batch fit': r.scoreGap === undefined ? '' : fmt(r.scoreGap) })));
  printTable('Wider rows with 10 % NaN (20,000 × D, --quick 5,000; K = 8, full): CPU seconds per row of an EM iteration', ['D', 'patterns', 'with NaN', 'complete', 'ratio'],
    wide.map((r) => ({ ...r, 'with NaN': fmt(r.cpuSecondsPerRow), complete: fmt(r.completeCpuSecondsPerRow), ratio: fmt(r.ratio) })));
  for (const r of wide) ratios[`missingFitOverFitPerIterationD${r.D}`] = r.ratio;
  const t = (c) => rows.find((r) => r.case.startsWith(c))?.secondsPerRow;
  const cpu = (c) => rows.find((r) => r.case.startsWith(c))?.cpuSecondsPerRow;
  ratios.weightedFitOverFit = t('fit with sampleWeight') / t('fit, one');
  ratios.partialFitOverFitPerRow = t('partialFit') / t('fit, one');
  ratios.partialFitOverFitPerRowCpu = cpu('partialFit') / cpu('fit, one');
  ratios.partialFitSecondPassOverFitPerRow = t('partialFit, 1,000-row batches, second') / t('fit, one');
  ratios.missingFitOverFitPerIteration = t('fit with 10 % NaN') / t('fit, one');
  ratios.partialFitPassOverWholeFit = whole[0].seconds / whole[1].seconds;
  // Issue 16's goal, per row of the data: the stream, to the batch fit's score within 1e-3, against the fit.
  ratios.partialFitToToleranceOverWholeFit = whole[2].seconds / whole[1].seconds;
}

if (wanted.has('meanfield')) {
  const rows = runMeanfieldSuite({ quick });
  results.meanfield = rows;
  const inf = rows.filter((r) => r.case === 'bsc infer');
  printTable('Binary sparse coding, mean-field inference (m = 64, n = 128, 50 sweeps)', ['schedule', 'impl', 'N', 'seconds', 'signals/s', 'GFLOP/s'],
    inf.map((r) => ({ ...r, seconds: fmt(r.seconds), 'signals/s': fmt(r.signalsPerSecond), 'GFLOP/s': fmt(r.gflops) })));
  printTable('Exact enumeration (2ⁿ states) against mean-field (n² per sweep), one signal', ['case', 'n', 'states', 'exact s', 'mean-field s', 'sweeps', 'exact/mf', 'log p − L'],
    rows.filter((r) => r.states).map((r) => ({ ...r, 'exact s': fmt(r.exactSeconds), 'mean-field s': fmt(r.meanFieldSeconds), 'exact/mf': fmt(r.ratio), 'log p − L': fmt(r.gap) })));
  const rate = (schedule, impl) => find(inf, { schedule, impl })?.signalsPerSecond;
  ratios.bscSequential_wasmOverTs = rate('sequential', 'wasm') / rate('sequential', 'ts');
  ratios.bscParallel_wasmOverTs = rate('parallel', 'wasm') / rate('parallel', 'ts');
  ratios.bscParallelOverSequential_wasm = rate('parallel', 'wasm') / rate('sequential', 'wasm');
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/meanfield.json', import.meta.url), JSON.stringify({ machine: machine(), date: new Date().toISOString(), quick, rows }, null, 2) + '\n');
}

if (wanted.has('sparse')) {
  const rows = await runSparseSuite({ quick });
  results.sparse = rows;
  const enc = rows.filter((r) => r.case === 'encode');
  printTable(`Lasso encoding to duality gap ≤ tol·‖x‖² (64 features, 256 atoms, α = 0.2·median max|Dx|)`, ['algorithm', 'impl', 'signals', 'seconds', 'µs/signal', 'mean objective', 'non-zeros', 'iters'],
    enc.map((r) => ({ ...r, seconds: fmt(r.seconds), 'µs/signal': fmt(r.perSignal * 1e6), 'mean objective': r.meanObjective.toPrecision(12), 'non-zeros': `${(100 * r.nonzeros).toFixed(1)}%`, iters: fmt(r.meanIter) })));
  const mb = rows.filter((r) => r.case === 'minibatch digits');
  if (mb.length) {
    printTable('MiniBatchDictionaryLearning, digits 1797 × 64, 100 atoms, batch 256: seconds per epoch', ['impl', 'epochs', 's/epoch', 'error'],
      mb.map((r) => ({ ...r, 's/epoch': fmt(r.seconds), error: r.error === undefined ? '' : r.error.toPrecision(6) })));
  }
  const per = (impl, algorithm) => find(enc, { impl, algorithm })?.perSignal;
  for (const a of ['cd', 'fista', 'ista']) ratios[`lasso_${a}_tsOverWasm`] = per('elbo-ts', a) / per('elbo-f64', a);
  ratios.lasso_cd_f64OverF32 = per('elbo-f64', 'cd') / per('elbo-f32', 'cd');
  const skCd = find(enc, { impl: 'sklearn-1t', algorithm: 'lasso_cd' });
  if (skCd) {
    ratios.lasso_sklearnCdOverWasmCd = skCd.perSignal / per('elbo-f64', 'cd');
    ratios.lasso_sklearnLarsOverWasmCd = per('sklearn-1t', 'lasso_lars') / per('elbo-f64', 'cd');
    const ours = find(enc, { impl: 'elbo-f64', algorithm: 'cd' }).meanObjective;
    ratios.lasso_cdMeanObjectiveRelDiff = Math.abs(ours - skCd.meanObjective) / skCd.meanObjective;
  }
  const skMb = find(mb, { impl: 'sklearn-1t' });
  if (skMb) ratios.minibatchDigits_sklearnOverWasm = skMb.seconds / find(mb, { impl: 'elbo-f64' }).seconds;
}

if (wanted.has('learned')) {
  const bscTrain = args.find((a) => a.startsWith('--bsc-train='))?.slice(12);
  const bscSeed = args.find((a) => a.startsWith('--bsc-seed='))?.slice(11);
  const { lista, bsc, bscCold } = await runLearnedSuite({
    quick, bscTrain: bscTrain === undefined ? undefined : Number(bscTrain), bscSeed: bscSeed === undefined ? undefined : Number(bscSeed),
  });
  results.learned = { lista, bsc, bscCold };
  for (const problem of new Set(lista.map((r) => r.problem))) {
    const rows = lista.filter((r) => r.problem === problem);
    const l = rows.find((r) => r.method === 'LISTA-3');
    printTable(`LISTA-3 against ISTA-k on ${l.nTest} held-out signals, ${problem}: mean squared code error against the optimal lasso codes (LISTA trained ${l.epochs} epochs on ${l.nTrain} signals in ${fmt(l.trainSeconds)} s)`,
      ['method', 'k', 'code MSE', 'ms', 'cpu ms'], rows.filter((r) => r.method !== 'ISTA' || [1, 2, 3, 5, 10, 20, 30].includes(r.k)).map((r) => ({ ...r, 'code MSE': r.mse.toExponential(3), ms: fmt(r.seconds * 1e3), 'cpu ms': r.cpuSeconds === undefined ? '' : fmt(r.cpuSeconds * 1e3) })));
    const i30 = rows.find((r) => r.method === 'ISTA' && r.k === 30);
    const key = problem.split(' ')[0];
    ratios[`lista3_${key}_mseOverIsta30`] = l.mse / i30.mse;
    ratios[`lista3_${key}_timeOverIsta30`] = l.seconds / i30.seconds;
    ratios[`lista3_${key}_cpuTimeOverIsta30`] = l.cpuSeconds / i30.cpuSeconds;
    ratios[`lista3_${key}_trainSeconds`] = l.trainSeconds;
  }
  printTable('BscEncoder: mean sweeps to reach the cold start\'s ELBO within 1e-6 (sequential, per held-out signal; unreached within 100 counts 101)', ['W scale', 'layers', 'cold', 'encoder', 'ratio', 'untrained', 'ratio (both reach)', 'encoder unreached', 'other fixed point (higher)', 'predict / sweep cpu', 'work ratio', 'train s'],
    bsc.map((r) => ({ ...r, 'W scale': r.scale, layers: `${r.nLayers} ${r.schedule}`, cold: fmt(r.coldSweeps), encoder: fmt(r.encoderSweeps), ratio: fmt(r.encoderSweeps / r.coldSweeps), untrained: `${fmt(r.untrainedSweeps)} (${fmt(r.untrainedSweeps / r.coldSweeps)})`,
      'ratio (both reach)': fmt(r.encoderSweepsReached / r.coldSweepsReached), 'encoder unreached': `${r.encoderUnreached} of ${r.nTest}`, 'other fixed point (higher)': `${r.otherFixedPoint} (${r.otherHigher})`,
      'predict / sweep cpu': fmt(r.predictCpuSeconds / r.sweepCpuSeconds), 'work ratio': fmt(r.workRatio), 'train s': `${fmt(r.trainSeconds)} (${r.epochs} epochs × ${r.nTrain})` })));
  printTable('BscEncoder: the start\'s distance to the converged ĥ (root mean square) and median ELBO gap (held-out signals)', ['W scale', 'layers', 'encoder guess', 'its ELBO gap', '1 sweep from the prior', '2 sweeps', '4 sweeps', 'converged ĥ within 0.01 of 0 or 1'],
    bsc.map((r) => ({ 'W scale': r.scale, layers: `${r.nLayers} ${r.schedule}`, 'encoder guess': r.guessRmse.toExponential(2), 'its ELBO gap': r.guessMedianGap.toExponential(2), '1 sweep from the prior': r.sweepRmse[0].toExponential(2), '2 sweeps': r.sweepRmse[1].toExponential(2),
      '4 sweeps': r.sweepRmse[2].toExponential(2), 'converged ĥ within 0.01 of 0 or 1': `${(100 * r.nearBinary).toFixed(1)}%` })));
  printTable('Cold start: median ELBO gap after k sweeps, and its median contraction per sweep (gap_{k+1} / gap_k where gap_k is in [1e-10, 1e-2])', ['W scale', 'k', 'median gap', 'contraction'],
    bscCold.flatMap((c) => c.medianGap.slice(0, 10).map((g, k) => ({ 'W scale': c.scale, k: k + 1, 'median gap': g.toExponential(2), contraction: c.contraction[k] === null ? '' : fmt(c.contraction[k]) }))));
  printTable('Signals by the cold start\'s contraction near its fixed point (largest ratio of successive max |Δĥ| below 1e-5): mean sweeps of each start', ['W scale', 'layers', 'contraction', 'signals', 'cold', 'encoder'],
    bsc.filter((r) => r.nLayers === 4).flatMap((r) => r.byContraction.map((g) => ({ 'W scale': r.scale, layers: `${r.nLayers} ${r.schedule}`, contraction: `[${g.lo}, ${Math.min(1, g.hi)})`, signals: g.rows, cold: g.rows ? fmt(g.cold) : '', encoder: g.rows ? fmt(g.encoder) : '' }))));
  printTable('Starts at known distances: the converged ĥ with Gaussian noise of scale s on the logits', ['W scale', 's', 'rms distance in ĥ', 'median ELBO gap', 'sweeps', 'ratio to cold'],
    bscCold.flatMap((c) => c.noisyStarts.map((o) => ({ 'W scale': c.scale, s: o.logitNoise, 'rms distance in ĥ': o.rmse.toExponential(2), 'median ELBO gap': o.medianStartGap.toExponential(2), sweeps: fmt(o.sweeps), 'ratio to cold': fmt(o.ratio) }))));
  for (const r of bsc) {
    const key = `${r.scale === 0.3 ? 'strong' : 'weak'}${r.nLayers}${r.schedule === 'parallel' ? 'Parallel' : ''}`;
    ratios[`bscEncoder_${key}_sweepsOverCold`] = r.encoderSweeps / r.coldSweeps;
    ratios[`bscEncoder_${key}_untrainedSweepsOverCold`] = r.untrainedSweeps / r.coldSweeps;
    ratios[`bscEncoder_${key}_sweepsOverColdBothReach`] = r.encoderSweepsReached / r.coldSweepsReached;
    ratios[`bscEncoder_${key}_workOverCold`] = r.workRatio;
    ratios[`bscEncoder_${key}_trainSeconds`] = r.trainSeconds;
  }
}

if (wanted.has('wholefit')) {
  // --models=gmm,kmeans picks among gmm, bgmm, kmeans (scikit-learn's BayesianGaussianMixture alone takes minutes).
  const modelsArg = args.find((a) => a.startsWith('--models='))?.slice(9);
  const rows = runWholeFitSuite({ quick, ...(modelsArg ? { models: modelsArg.split(',') } : {}) });
  results.wholefit = rows;
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  // With --models, results go to wholefit-<models>.json, leaving wholefit.json to full runs.
  const file = modelsArg ? `./results/wholefit-${modelsArg.split(',').join('-')}.json` : './results/wholefit.json';
  writeFileSync(new URL(file, import.meta.url), JSON.stringify({ machine: machine(), date: new Date().toISOString(), quick, rows }, null, 2) + '\n');
  printTable('Whole fits at default options, K = 16 (seconds from fit() to its return; init = k-means / k-means++)', ['model', 'data', 'peer', 'seconds', 'init s', 's/iter', 'iters', 'bound or inertia'],
    rows.map((r) => ({ ...r, seconds: fmt(r.seconds), 'init s': fmt(r.initSeconds), 's/iter': fmt(r.secondsPerIteration), iters: r.nIter, 'bound or inertia': (r.lowerBound ?? r.inertia).toPrecision(8) })));
  for (const r of rows.filter((x) => x.peer === 'elbo-f64')) {
    const sk = find(rows, { workload: r.workload, peer: 'sklearn-1t' });
    if (sk) ratios[`${r.workload}_wholeFit_wasmOverSklearn1t`] = r.seconds / sk.seconds;
    if (r.secondsPerIteration) ratios[`${r.workload}_initOverIteration`] = r.initSeconds / r.secondsPerIteration;
  }
}

if (wanted.has('kmeans')) {
  const rows = runKMeansSuite({ quick });
  results.kmeans = rows;
  printTable("KMeans: 'lloyd' against 'elkan' (Hamerly's bounds; the same fit), k-means++, best of 2", ['N', 'D', 'K', 'trueClusters', 'nIter', 'lloyd s', 'elkan s', 'lloyd CPU s', 'elkan CPU s', 'CPU speed-up'],
    rows.map((r) => ({ ...r, 'lloyd s': fmt(r.lloydSeconds), 'elkan s': fmt(r.elkanSeconds), 'lloyd CPU s': fmt(r.lloydCpuSeconds), 'elkan CPU s': fmt(r.elkanCpuSeconds), 'CPU speed-up': fmt(r.cpuSpeedup) })));
  for (const r of rows) ratios[`kmeans_D${r.D}_K${r.K}_c${r.trueClusters}_lloydOverElkanCpu`] = r.cpuSpeedup;
  writeFileSync(new URL('./results/kmeans-bounds.json', import.meta.url), JSON.stringify({ machine: machine(), date: new Date().toISOString(), quick, rows }, null, 2) + '\n');
}

if (wanted.has('hmm')) {
  const rows = runHmmSuite({ quick });
  results.hmm = rows;
  const bw = rows.filter((r) => r.case === 'baum-welch');
  printTable(`Baum-Welch: seconds per iteration (${bw[0].sequences} sequences, ${bw[0].steps} steps, K = 8, 4-D diag, same start)`, ['impl', 's/iter', 'log-likelihood'],
    bw.map((r) => ({ ...r, 's/iter': fmt(r.seconds), 'log-likelihood': r.logLik.toFixed(6) })));
  printTable('Factorial HMM (K = 2, D = 4): exact inference over K^M joint states against structured mean-field', ['M', 'jointStates', 'exact s', 'mean-field s', 'sweeps', 'exact/mf', 'log p − L'],
    rows.filter((r) => r.case === 'factorial').map((r) => ({ ...r, 'exact s': fmt(r.exactSeconds), 'mean-field s': fmt(r.meanFieldSeconds), 'exact/mf': fmt(r.ratio), 'log p − L': fmt(r.gap) })));
  ratios.baumWelch_tsOverWasm = find(bw, { impl: 'elbo-ts' }).seconds / find(bw, { impl: 'elbo-wasm' }).seconds;
  const fac = rows.filter((r) => r.case === 'factorial');
  ratios.factorialLargestM_exactOverMeanField = fac[fac.length - 1].ratio;
}

if (wanted.has('threads')) {
  const workloads = args.find((a) => a.startsWith('--workloads='))?.slice(12).split(',');
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? (quick ? 1 : 3));
  const rows = await runThreadsSuite({ quick, rounds, workloads });
  results.threads = rows;
  printTable(`Threads: seconds at 1 and 2 threads, in one run (best of ${rounds}, alternating); CPU s of all threads, and the cores that amounts to`, ['workload', 'threads', 's', 'CPU s', 'cores used', 'speed-up', 'same bytes'],
    rows.map((r) => ({ ...r, s: fmt(r.seconds), 'CPU s': fmt(r.cpuSeconds), 'cores used': fmt(r.coresUsed), 'speed-up': fmt(r.speedup), 'same bytes': r.sameBytes ? 'yes' : 'NO' })));
  for (const r of rows.filter((x) => x.threads === 2)) ratios[`threads2_speedup_${r.workload.split(',')[0].replace(/\W+/g, '')}`] = r.speedup;
  // threads.json holds the whole table: a run of some workloads only leaves it alone.
  if (!workloads) {
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/threads.json', import.meta.url), JSON.stringify({
      machine: machine(), date: new Date().toISOString(), quick, command: 'npm run bench -- --suite=threads', rows,
    }, null, 2) + '\n');
  }
}

console.log('\nRatios (same run):');
for (const [k, v] of Object.entries(ratios)) console.log(`  ${k.padEnd(36)} ${fmt(v)}`);
const out = { machine: machine(), date: new Date().toISOString(), quick, ratios, results };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`\nwrote bench/results/latest.json (${out.machine.cpu}, ${out.machine.cores} cores, Node ${out.machine.node})`);
