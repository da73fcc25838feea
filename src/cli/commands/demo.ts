/**
 * `elbo demo` (what `npm start` runs): each model family on a seeded synthetic set or shipped
 * data, with a progress line per fit, a few numbers, and SVG plots (Vega-Lite specifications
 * rendered by vega) written to ./elbo-demo/.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDigits, loadIris } from '../../datasets/index.js';
import { BinarySparseCoding } from '../../meanfield/index.js';
import { BayesianGaussianMixture, GaussianMixture, type CovarianceType } from '../../mixture/index.js';
import { boundSpec, componentsInUse, IN_USE_WEIGHT, mixtureSpec, tilesSpec } from '../../plot/index.js';
import type { VegaLiteSpec } from '../../plot/spec.js';
import { kernels } from '../../runtime/kernels.js';
import type { Matrix } from '../../runtime/matrix.js';
import { withWorkspace } from '../../runtime/memory.js';
import { Random } from '../../runtime/random.js';
import { MiniBatchDictionaryLearning, sparseEncode } from '../../sparse/index.js';
import { str, type Command } from '../args.js';
import { UsageError } from '../errors.js';
import { svgWriter, type PlotWriter } from '../plot.js';
import { Reporter } from '../report.js';
import { hmmDemo } from './demo-hmm.js';
import { learnedDemo } from './demo-learned.js';

interface Ctx {
  r: Reporter;
  dir: string;
  plots: PlotWriter;
  written: string[];
  results: Record<string, unknown>;
}

async function save(c: Ctx, name: string, spec: VegaLiteSpec): Promise<void> {
  const path = join(c.dir, name);
  await c.plots.write(path, spec);
  c.written.push(path);
}

/** Share of rows whose cluster maps to their class under the best one-to-one matching (K ≤ 7). */
function agreement(pred: Int32Array, truth: Int32Array, K: number): number {
  const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
  let best = 0;
  for (const p of perms([...Array(K).keys()])) {
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (p[pred[i]] === truth[i]) hit++;
    best = Math.max(best, hit);
  }
  return best / pred.length;
}

/** Three anisotropic 2-D Gaussian clusters, seeded. */
function syntheticClusters(N: number, seed: number): { X: Matrix<Float64Array>; truth: Int32Array } {
  const rng = new Random(seed);
  const centres = [[-4, 0], [3, 3], [2, -4]];
  const shapes = [[1.5, 0.9, 0.3], [0.7, 1.4, -0.5], [1.1, 0.5, 0.6]]; // sd1, sd2, rotation
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
  return { X: { data, rows: N, cols: 2 }, truth };
}

async function fitMixture(c: Ctx, name: string, title: string, X: Matrix, truth: Int32Array, K: number, covarianceType: CovarianceType): Promise<void> {
  c.r.say(`\n${title}: ${X.rows} rows × ${X.cols} features, K = ${K}, covariance '${covarianceType}'`);
  const maxIter = 100;
  const progress = c.r.progress(name, maxIter);
  const gm = new GaussianMixture({ nComponents: K, covarianceType, maxIter, seed: 0, onIteration: progress, onWarning: (m) => c.r.warn(m) });
  try { gm.fit(X); } finally { progress.end(); }
  const pred = gm.predict(X);
  const agree = agreement(pred, truth, K);
  c.r.say(`  ${gm.converged ? 'converged' : 'stopped'} after ${gm.nIter} iterations; mean log-likelihood ${gm.lowerBound.toFixed(4)}; BIC ${gm.bic(X).toFixed(1)}`);
  c.r.say(`  agreement of the clusters with the true classes: ${(100 * agree).toFixed(1)}%`);
  await save(c, `${name}.svg`, mixtureSpec(gm, X, { labels: pred, title: `${title}: Gaussian mixture (${covarianceType} covariances)` }));
  await save(c, `${name}-bound.svg`, boundSpec(gm.lowerBoundHistory, { title: `${title}: the bound per EM iteration`, ylabel: 'mean log-likelihood' }));
  c.results[name] = { nIter: gm.nIter, lowerBound: gm.lowerBound, agreement: agree };
}

async function mixtures(c: Ctx, iris: Awaited<ReturnType<typeof loadIris>>): Promise<void> {
  const { X, truth } = syntheticClusters(600, 7);
  await fitMixture(c, 'synthetic', 'Synthetic clusters', X, truth, 3, 'full');
  await fitMixture(c, 'iris', "Fisher's iris", iris.X, iris.labels, 3, 'full');
}

async function bayesian(c: Ctx, iris: Awaited<ReturnType<typeof loadIris>>): Promise<void> {
  const K = 10;
  c.r.say(`\nBayesian mixture on iris: up to K = ${K} components, Dirichlet prior on the weights with α₀ = 0.01`);
  const maxIter = 300;
  const progress = c.r.progress('bayesian', maxIter);
  const bgm = new BayesianGaussianMixture({ nComponents: K, weightConcentrationPriorType: 'dirichlet_distribution', weightConcentrationPrior: 0.01, maxIter, seed: 0, onIteration: progress, onWarning: (m) => c.r.warn(m) });
  try { bgm.fit(iris.X); } finally { progress.end(); }
  const w = bgm.weights;
  const active = componentsInUse(bgm).length;
  c.r.say(`  ${bgm.converged ? 'converged' : 'stopped'} after ${bgm.nIter} iterations; lower bound ${bgm.lowerBound.toFixed(4)}`);
  c.r.say(`  weights: ${Array.from(w, (x) => x.toFixed(3)).join(' ')} → ${active} components above ${IN_USE_WEIGHT}`);
  const pred = bgm.predict(iris.X);
  await save(c, 'bayesian.svg', mixtureSpec(bgm, iris.X, { labels: pred, title: `Iris, Bayesian mixture (Dirichlet prior on the weights, α₀ = 0.01)` }));
  await save(c, 'bayesian-bound.svg', boundSpec(bgm.lowerBoundHistory, { title: 'Bayesian mixture on iris: the lower bound per iteration' }));
  c.results.bayesian = { nIter: bgm.nIter, lowerBound: bgm.lowerBound, activeComponents: active };
}

async function dictionary(c: Ctx, digits: Awaited<ReturnType<typeof loadDigits>>): Promise<void> {
  const K = 100, epochs = 5, alpha = 1;
  const X = digits.X;
  c.r.say(`\nDictionary learning on digits: ${X.rows} images of 8×8, ${K} atoms, α = ${alpha}, ${epochs} epochs of mini-batches`);
  const progress = c.r.progress('dictionary', epochs, 'objective');
  let prev = Infinity;
  const mb = new MiniBatchDictionaryLearning({
    nComponents: K, alpha, maxIter: epochs, tol: 0, seed: 0,
    onIteration: ({ iteration, objective }) => { progress({ iteration, lowerBound: objective, change: objective - prev }); prev = objective; },
  });
  try { mb.fit(X); } finally { progress.end(); }
  c.r.say(`  mean objective per epoch: ${mb.objectiveHistory.map((e) => e.toFixed(2)).join(', ')}`);
  const V = mb.components;
  await save(c, 'dictionary-atoms.svg', tilesSpec(V, { shape: [8, 8], columns: 10, title: `${K} atoms learned from the digits (mini-batch, α = ${alpha})` }));
  // One reconstruction per digit class: x ≈ hV with the sparse codes h of x.
  const picks = Array.from({ length: 10 }, (_, d) => digits.labels.indexOf(d));
  const sub = { data: Float64Array.from(picks.flatMap((i) => Array.from(X.data.subarray(i * 64, (i + 1) * 64)))), rows: 10, cols: 64 };
  const { codes } = sparseEncode(sub, V, { alpha });
  const recon = new Float64Array(10 * 64);
  let nz = 0;
  for (let n = 0; n < 10; n++) for (let k = 0; k < K; k++) {
    const h = codes.data[n * K + k];
    if (h === 0) continue;
    nz++;
    for (let f = 0; f < 64; f++) recon[n * 64 + f] += h * V.data[k * 64 + f];
  }
  const both = new Float64Array(20 * 64);
  both.set(sub.data, 0);
  both.set(recon, 10 * 64);
  await save(c, 'dictionary-reconstruction.svg', tilesSpec({ data: both, rows: 20, cols: 64 }, { shape: [8, 8], columns: 10, colours: 'gray', title: 'Digits (top) and their sparse reconstructions (bottom)' }));
  c.r.say(`  ${(nz / 10).toFixed(1)} atoms per digit on average in the reconstructions`);
  c.results.dictionary = { objectiveHistory: mb.objectiveHistory, atomsPerDigit: nz / 10 };
}

/** Bars on a 4×4 grid: each binary cause adds one horizontal or vertical bar. */
function barsModel(): BinarySparseCoding {
  const s = 4, n = 2 * s, m = s * s;
  const W = new Float64Array(m * n);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
    W[(i * s + j) * n + i] = 1; // row i
    W[(j * s + i) * n + s + i] = 1; // column i
  }
  return new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Array(n).fill(Math.log(2 / (n - 2))), beta: new Array(m).fill(25), seed: 3 });
}

async function binarySparseCoding(c: Ctx): Promise<void> {
  const truth = barsModel();
  const { V } = truth.sample(500, 1);
  c.r.say(`\nBinary sparse coding: ${V.rows} noisy 4×4 images of random bars, 8 binary causes, variational EM`);
  const maxIter = 1000;
  const progress = c.r.progress('binary', maxIter);
  const model = new BinarySparseCoding({ nHidden: 8, seed: 5 });
  try { model.fit(V, { maxIter, tol: 1e-6, onIteration: progress }); } finally { progress.end(); }
  const h = model.lowerBoundHistory;
  c.r.say(`  ${model.converged ? 'converged' : 'stopped'} after ${model.nIter} iterations; mean bound per row ${h[0].toFixed(3)} → ${h[h.length - 1].toFixed(3)} (generating model: ${mean(truth.infer(V).elbo).toFixed(3)})`);
  await save(c, 'binary-atoms.svg', tilesSpec(model.W, { layout: 'columns', shape: [4, 4], columns: 8, pixel: 12, title: 'Binary sparse coding: the learned columns of W (bars)' }));
  await save(c, 'binary-bound.svg', boundSpec(h, { title: 'Binary sparse coding: the bound per variational EM iteration', ylabel: 'mean bound per row' }));
  c.results.binary = { nIter: model.nIter, lowerBound: h[h.length - 1] };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

/** GEMM speed of the wasm module, as one line about the machine. */
function gemmLine(c: Ctx): void {
  const n = 256, reps = 20;
  const rng = new Random(11);
  const gflops = withWorkspace((ws) => {
    const a = ws.copyIn(rng.fillNormal(new Float64Array(n * n))), out = ws.f64(n * n);
    kernels().gemmNNF64(a.ptr, a.ptr, out.ptr, n, n, n, 0);
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) kernels().gemmNNF64(a.ptr, a.ptr, out.ptr, n, n, n, 0);
    return (reps * 2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9;
  });
  c.r.say(`\nwasm SIMD GEMM ${n}×${n} (f64): ${gflops.toFixed(1)} GFLOP/s on this machine.`);
  c.results.gemmGflops = gflops;
}

const SECTIONS = ['mixture', 'bayesian', 'dictionary', 'binary', 'hmm', 'learned'] as const;
/** Other names accepted for a section. */
const ALIASES: Record<string, (typeof SECTIONS)[number]> = { sparse: 'dictionary', meanfield: 'binary', gmm: 'mixture', bgmm: 'bayesian', lista: 'learned' };

/** `elbo demo`. */
export const demo: Command = {
  name: 'demo',
  summary: 'The demo (npm start): every model family on synthetic and shipped data, with progress and SVG plots.',
  usage: '[section ...] [options]',
  description: `Sections: ${SECTIONS.join(', ')} (default: all; also by the names ${Object.keys(ALIASES).join(', ')}). Plots go to --out (default ./elbo-demo).`,
  positionals: [0, SECTIONS.length],
  options: {
    out: { type: 'string', short: 'o', value: 'DIR', help: 'directory for the plots (default ./elbo-demo)' },
  },
  examples: ['elbo demo', 'elbo demo mixture bayesian --out plots', 'npm start -- sparse'],
  async run(args) {
    const names = args.positionals.map((s) => ALIASES[s] ?? s);
    const bad = names.find((s) => !(SECTIONS as readonly string[]).includes(s));
    if (bad !== undefined) throw new UsageError(`unknown demo section ${JSON.stringify(bad)}; the sections are ${SECTIONS.join(', ')}`);
    const want = new Set(names.length ? names : SECTIONS);
    const dir = str(args, 'out', 'elbo-demo');
    mkdirSync(dir, { recursive: true });
    const c: Ctx = { r: Reporter.fromArgs(args), dir, plots: await svgWriter(), written: [], results: {} };
    const iris = want.has('mixture') || want.has('bayesian') ? await loadIris() : null;
    if (want.has('mixture')) await mixtures(c, iris!);
    if (want.has('bayesian')) await bayesian(c, iris!);
    const digits = want.has('dictionary') || want.has('learned') ? await loadDigits() : null;
    if (want.has('dictionary')) await dictionary(c, digits!);
    if (want.has('binary')) await binarySparseCoding(c);
    if (want.has('hmm')) await hmmDemo({ say: (t) => c.r.say(t), save: (name, spec) => save(c, name, spec), results: c.results });
    if (want.has('learned')) await learnedDemo({ say: (t) => c.r.say(t), save: (name, spec) => save(c, name, spec), results: c.results }, digits!);
    gemmLine(c);
    c.r.say(`Plots: ${c.written.map((p) => relative(process.cwd(), p) || p).join(', ')}`);
    c.r.result({ command: 'demo', sections: [...want], results: c.results, written: c.written });
  },
};
