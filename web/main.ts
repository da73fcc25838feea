/**
 * The demo page: Gaussian and Bayesian mixtures fitted in the browser, one iteration at a time
 * (warm-started fits of one iteration each, so the contours and the bound can be drawn after
 * every step), on points the user clicks, random clusters or iris; and dictionary atoms learned
 * from the digits by mini-batch steps; k-means, one Lloyd iteration per frame; and LISTA against
 * ISTA, FISTA and CD on the digits. Everything runs on the library's public API, and every plot
 * is one of the library's Vega-Lite specifications drawn by vega (./plot.ts). The fits of the
 * mixtures, k-means and LISTA run in a Web Worker (elbo-wasm/worker's FitWorker), and the
 * dictionaries (which have no file format to cross threads with yet) are learned one mini-batch
 * at a time between frames, so the page keeps drawing and answering clicks while they run; stop
 * aborts the fit in progress. The page
 * opens on a fit of its default model to its first random clusters (?fit=0 opens without it).
 */
import {
  BayesianGaussianMixture, GaussianMixture, IN_USE_WEIGHT, KMeans, LISTA, MiniBatchDictionaryLearning, Random, boundSpec, componentsInUse, init,
  lassoObjective, mixtureSpec, pointsSpec, sparseEncode, tilesSpec, workSpec, type CovarianceType, type InitParams, type Matrix,
} from 'elbo-wasm';
import { loadDigits, loadIris, type Dataset } from 'elbo-wasm/datasets';
import { FitAbortedError, FitWorker } from 'elbo-wasm/worker';
import { dataAt, show } from './plot.js';

const params = new URLSearchParams(location.search);
/** Milliseconds between iterations, so that a fit can be watched (?delay=0 runs flat out). */
const DELAY = Number(params.get('delay') ?? 40);
/** Iterations at most per fit, and the tolerance on the change of the bound (scikit-learn's default). */
const MAX_ITER = 300;
const TOL = 1e-3;
/** The fixed view of the 2-D data sets, so that a click maps to the same place every time. */
const DOMAIN: { x: [number, number]; y: [number, number] } = { x: [-10, 10], y: [-10, 10] };

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $<HTMLInputElement>(id).value;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let points: number[] = [];
let clusterSeed = 1;
let fitSeed = 0;
let clusters: Clusters = { points: [], centres: [] };
let iris: Dataset | null = null;
let digits: Dataset | null = null;
/** The fit in progress: `stop` ends its loop, `controller` aborts its fit in the worker. */
let run: { stop: boolean; controller: AbortController } | null = null;
/** The Web Worker every fit of the page runs in (started on the first fit, kept for the next). */
const worker = new FitWorker();

/** A new run, whose fits the stop button can abort. */
function startRun(): { stop: boolean; controller: AbortController } {
  run = { stop: false, controller: new AbortController() };
  return run;
}

/** What the page shows, for the browser's console (and the page's test): the data, the true centres and the last fit. */
export interface DemoState {
  /** Centres of the clusters the current random data were drawn from. */
  readonly centres: Array<[number, number]>;
  /** The points added by clicking, x, y, x, y, … */
  readonly points: number[];
  /** The last mixture fitted: its means (K rows), weights and the components drawn. */
  fit: { means: number[][]; weights: number[]; inUse: number[] } | null;
}
declare global {
  interface Window { demo: DemoState }
}

function setState(state: 'ready' | 'fitting' | 'done' | 'stopped' | 'error', status?: string, where = 'status'): void {
  document.body.dataset.state = state;
  if (status !== undefined) $(where).textContent = status;
  const busy = state === 'fitting';
  for (const id of ['fit', 'learn', 'lista', 'new-data', 'clear', 'dataset', 'model']) $<HTMLButtonElement>(id).disabled = busy;
  $<HTMLButtonElement>('stop').disabled = !busy;
}

/** Points drawn from Gaussian clusters, and the clusters' true centres. */
interface Clusters {
  /** x, y, x, y, … */
  points: number[];
  /** The centre of each cluster. */
  centres: Array<[number, number]>;
}

/** Centres closer than this would make clusters that overlap (each has a standard deviation of at most 1.8). */
const MIN_SEPARATION = 5;

/** Random centres drawn before giving up on another one (four centres can leave no room for a fifth). */
const MAX_DRAWS = 1000;

/** 3 to 5 random anisotropic Gaussian clusters inside the view, with centres kept apart. */
function randomClusters(seed: number): Clusters {
  const rng = new Random(seed);
  const k = 3 + rng.int(3), out: number[] = [], centres: Array<[number, number]> = [];
  for (let draw = 0; centres.length < k && draw < MAX_DRAWS; draw++) {
    const c: [number, number] = [-6 + 12 * rng.random(), -6 + 12 * rng.random()];
    if (centres.every(([x, y]) => Math.hypot(x - c[0], y - c[1]) >= MIN_SEPARATION)) centres.push(c);
  }
  for (const [cx, cy] of centres) {
    const a = 0.4 + 1.4 * rng.random(), b = 0.3 + 0.8 * rng.random(), t = Math.PI * rng.random();
    for (let i = 0; i < 80; i++) {
      const u = a * rng.normal(), v = b * rng.normal();
      out.push(cx + Math.cos(t) * u - Math.sin(t) * v, cy + Math.sin(t) * u + Math.cos(t) * v);
    }
  }
  return { points: out, centres };
}

function dataset(): string {
  return value('dataset');
}

/** The data to fit, and whether it is drawn in the fixed 2-D view. */
function currentData(): { X: Matrix<Float64Array>; fixed: boolean } {
  const d = dataset();
  if (d === 'iris' && iris) return { X: iris.X, fixed: false };
  const p = d === 'points' ? points : clusters.points;
  return { X: { data: Float64Array.from(p), rows: p.length / 2, cols: 2 }, fixed: true };
}

/** The size of the scatter plot's and the bound's plotting areas, in pixels. */
const SCATTER = { width: 520, height: 440 };
const BOUND = { width: 400, height: 300 };

async function drawData(): Promise<void> {
  const { X, fixed } = currentData();
  const title = fixed ? `${X.rows} points${dataset() === 'points' ? ': click to add more' : ''}` : `iris: ${X.rows} flowers × ${X.cols} measurements`;
  await show('scatter', pointsSpec(X, {
    title, ...SCATTER, ...(fixed ? { domain: DOMAIN } : { labels: iris?.labels, legendTitle: 'species' }),
  }));
  await show('bound', boundSpec([], { title: 'the bound per iteration', ...BOUND }));
}

/** A click on the plot adds a point to a 2-D data set, at the data coordinates under the pointer. */
async function onPlotClick(e: MouseEvent): Promise<void> {
  if (run || dataset() === 'iris') return;
  const at = dataAt('scatter', e);
  if (!at) return;
  const target = dataset() === 'points' ? points : clusters.points;
  target.push(...at);
  await drawData();
  $('status').textContent = `${target.length / 2} points`;
}

/**
 * k-means one Lloyd iteration per frame: k-means++ seeds and a first iteration, then each frame
 * a one-iteration fit from the previous centres; the plot colours each point by its cluster.
 */
async function fitKMeans(): Promise<void> {
  const { X, fixed } = currentData();
  const K = Number(value('components'));
  if (!(K >= 1) || X.rows < K) {
    setState('error', `need at least ${K} points for K = ${K}; click the plot to add some`);
    return;
  }
  const history: number[] = [];
  const { signal } = startRun().controller;
  setState('fitting', 'k-means: seeding with k-means++');
  const stopped = (it: number) => setState('stopped', `k-means: stopped after ${it - 1} iterations; inertia ${history.at(-1)?.toPrecision(6)}`);
  let it = 1;
  try {
    let km = await worker.fit(new KMeans({ nClusters: K, seed: fitSeed++, maxIter: 1, onWarning: () => {} }), X, { signal });
    for (; it <= MAX_ITER; it++) {
      if (run!.stop) { stopped(it); return; }
      if (it > 1) km = await worker.fit(new KMeans({ nClusters: K, init: km.clusterCenters, maxIter: 1, onWarning: () => {} }), X, { signal });
      history.push(km.inertia);
      await show('scatter', pointsSpec(X, {
        labels: km.labels, legendTitle: 'cluster', title: `k-means, K = ${K}, iteration ${it}`, ...SCATTER, ...(fixed ? { domain: DOMAIN } : {}),
      }));
      await show('bound', boundSpec(history, { title: 'k-means: inertia per iteration', ylabel: 'inertia', ...BOUND }));
      const line = `k-means: iteration ${it}, inertia ${km.inertia.toPrecision(6)}`;
      if (km.converged) { setState('done', `${line}: converged`); return; }
      $('status').textContent = line;
      await sleep(DELAY);
    }
    setState('done', `k-means: stopped at ${MAX_ITER} iterations without converging`);
  } catch (e) {
    if (e instanceof FitAbortedError) stopped(it);
    else setState('error', `k-means: ${(e as Error).message}`);
  } finally {
    run = null;
  }
}

async function fitMixture(): Promise<void> {
  if (value('model') === 'kmeans') return fitKMeans();
  const { X, fixed } = currentData();
  const K = Number(value('components'));
  const bayesian = value('model') === 'bgmm';
  if (!(K >= 1) || X.rows < Math.max(2, K)) {
    setState('error', `need at least ${Math.max(2, K)} points for K = ${K}; click the plot to add some`);
    return;
  }
  // A new seed each fit, so that fitting again shows another start.
  const options = {
    nComponents: K, covarianceType: value('covariance') as CovarianceType, maxIter: 1, tol: TOL, warmStart: true,
    initParams: value('init') as InitParams, seed: fitSeed++, onWarning: () => {},
  };
  let model = bayesian ? new BayesianGaussianMixture(options) : new GaussianMixture(options);
  const name = bayesian ? 'Bayesian mixture' : 'Gaussian mixture';
  const history: number[] = [];
  const { signal } = startRun().controller;
  setState('fitting', `${name}: starting`);
  const stopped = (it: number) => setState('stopped', `${name}: stopped after ${it - 1} iterations; bound ${history.at(-1)?.toFixed(4)}`);
  let it = 1;
  try {
    for (; it <= MAX_ITER; it++) {
      if (run!.stop) { stopped(it); return; }
      model = await worker.fit(model, X, { signal }); // one more iteration, from where the last one ended
      history.push(model.lowerBound);
      const used = componentsInUse(model);
      window.demo.fit = { means: Array.from({ length: K }, (_, k) => Array.from(model.means.data.subarray(k * X.cols, (k + 1) * X.cols))), weights: Array.from(model.weights), inUse: used };
      await show('scatter', mixtureSpec(model, X, { title: `${name}, K = ${K} (${options.covarianceType}), iteration ${it}`, ...SCATTER, ...(fixed ? { domain: DOMAIN } : {}) }));
      await show('bound', boundSpec(history, { title: `${name}: the bound per iteration`, ylabel: bayesian ? 'lower bound' : 'mean log-likelihood', ...BOUND }));
      const change = it > 1 ? history[it - 1] - history[it - 2] : NaN;
      const line = `${name}: iteration ${it}, bound ${model.lowerBound.toFixed(4)}, change ${Number.isNaN(change) ? '—' : change.toExponential(2)}` +
        (bayesian ? `, ${used.length} of ${K} components with weight > ${IN_USE_WEIGHT}` : '');
      if (it > 1 && model.converged) { setState('done', `${line}: converged`); return; }
      $('status').textContent = line;
      await sleep(DELAY);
    }
    setState('done', `${name}: stopped at ${MAX_ITER} iterations without converging`);
  } catch (e) {
    if (e instanceof FitAbortedError) stopped(it);
    else setState('error', `${name}: ${(e as Error).message}`);
  } finally {
    run = null;
  }
}

async function learnAtoms(): Promise<void> {
  const K = Number(value('atoms')), alpha = Number(value('alpha')), epochs = Number(value('epochs'));
  startRun();
  setState('fitting', 'loading the digits…', 'dict-status');
  try {
    digits ??= await loadDigits();
    const X = digits.X, batch = 256;
    const rng = new Random(0);
    const mb = new MiniBatchDictionaryLearning({ nComponents: K, alpha, batchSize: batch, seed: 0 });
    const errors: number[] = [];
    for (let e = 1; e <= epochs; e++) {
      for (const { batch: B, end: s } of miniBatches(X, rng, batch)) {
        if (run!.stop) { setState('stopped', `stopped in epoch ${e}`, 'dict-status'); return; }
        mb.partialFit(B);
        errors.push(mb.objectiveHistory.at(-1) as number);
        await show('atoms-plot', tilesSpec(mb.components, { shape: [8, 8], columns: 10, pixel: 5, title: `${K} atoms after ${errors.length} mini-batches` }));
        await show('dict-error', boundSpec(errors, { title: 'mean objective per mini-batch', xlabel: 'mini-batch', ylabel: '½‖x − hV‖² + α‖h‖₁', ...BOUND }));
        $('dict-status').textContent = `epoch ${e}, rows ${s} of ${X.rows}: objective ${errors.at(-1)?.toFixed(2)}`;
        await sleep(DELAY);
      }
    }
    setState('done', `${K} atoms learned in ${epochs} epoch${epochs === 1 ? '' : 's'} (${errors.length} mini-batches); objective ${errors.at(-1)?.toFixed(2)}`, 'dict-status');
  } catch (e) {
    setState('error', (e as Error).message, 'dict-status');
  } finally {
    run = null;
  }
}

/** One epoch of mini-batches of X in a random order: each batch's rows, and the rows seen after it. */
function* miniBatches(X: Matrix, rng: Random, size: number): Generator<{ batch: Matrix<Float64Array>; end: number }> {
  const F = X.cols, order = rng.permutation(X.rows);
  for (let s = 0; s < X.rows; s += size) {
    const idx = order.subarray(s, Math.min(X.rows, s + size));
    const data = new Float64Array(idx.length * F);
    idx.forEach((r, i) => data.set(X.data.subarray(r * F, (r + 1) * F), i * F));
    yield { batch: { data, rows: idx.length, cols: F }, end: s + idx.length };
  }
}

/**
 * A dictionary learned from X by mini-batch steps with a pause between them, so that the page
 * keeps drawing: MiniBatchDictionaryLearning has no file format yet, so it cannot fit in the
 * worker, and one fit over all the digits would hold the main thread for a second or more.
 */
async function learnDictionaryInSteps(X: Matrix, options: { nComponents: number; alpha: number; batchSize: number; epochs: number }): Promise<Matrix> {
  const mb = new MiniBatchDictionaryLearning({ nComponents: options.nComponents, alpha: options.alpha, batchSize: options.batchSize, seed: 0, onWarning: () => {} });
  const rng = new Random(0);
  for (let e = 0; e < options.epochs; e++) {
    for (const { batch } of miniBatches(X, rng, options.batchSize)) {
      mb.partialFit(batch);
      await sleep(0);
    }
  }
  return mb.components;
}

/**
 * LISTA with T = 1, 2, 3 layers trained on 1400 digits (÷16) against ISTA, FISTA and
 * coordinate descent after k iterations, on the 397 others: the mean lasso objective above the
 * optimum's, against the work (iterations or layers).
 */
async function compareLista(): Promise<void> {
  setState('fitting', 'loading the digits…', 'lista-status');
  try {
    digits ??= await loadDigits();
    const F = digits.X.cols, nTrain = 1400, alpha = 0.1;
    const all = Float64Array.from(digits.X.data, (v) => v / 16);
    const train = { data: all.subarray(0, nTrain * F), rows: nTrain, cols: F };
    const test = { data: all.subarray(nTrain * F), rows: digits.X.rows - nTrain, cols: F };
    $('lista-status').textContent = 'learning a dictionary of 64 atoms…';
    await sleep(0);
    const D = await learnDictionaryInSteps(train, { nComponents: 64, alpha, batchSize: 256, epochs: 5 });
    const optimum = lassoObjective(test, D, sparseEncode(test, D, { alpha, tol: 1e-10, maxIter: 10000, onWarning: () => {} }).codes, alpha);
    const ks = Array.from({ length: 30 }, (_, i) => i + 1);
    const series = (['ista', 'fista', 'cd'] as const).map((algorithm) => ({
      name: algorithm.toUpperCase(),
      work: ks,
      value: ks.map((k) => lassoObjective(test, D, sparseEncode(test, D, { alpha, algorithm, maxIter: k, tol: 0 }).codes, alpha) - optimum),
    }));
    const layers = [1, 2, 3], lista: number[] = [];
    for (const T of layers) {
      $('lista-status').textContent = `training LISTA with ${T} layer${T === 1 ? '' : 's'}…`;
      await sleep(0);
      const model = await worker.fit(new LISTA({ dictionary: D, alpha, nLayers: T, epochs: 30, seed: 0, onWarning: () => {} }), train);
      lista.push(lassoObjective(test, D, model.transform(test), alpha) - optimum);
    }
    series.push({ name: 'LISTA', work: layers, value: lista });
    await show('lista-plot', workSpec(series, { title: 'held-out digits: mean objective above the optimum', xlabel: 'iterations (layers for LISTA)', ylabel: 'objective − optimum', logY: true }));
    setState('done', `LISTA-3: ${lista[2].toPrecision(3)} above the optimum; ISTA after 30 iterations: ${series[0].value[29].toPrecision(3)}`, 'lista-status');
  } catch (e) {
    setState('error', (e as Error).message, 'lista-status');
  }
}

async function main(): Promise<void> {
  await init();
  iris = await loadIris();
  clusters = randomClusters(clusterSeed);
  window.demo = { get centres() { return clusters.centres; }, get points() { return points; }, fit: null };
  $('scatter').addEventListener('click', (e) => { void onPlotClick(e); });
  $('dataset').addEventListener('change', () => { void drawData(); });
  $('new-data').addEventListener('click', () => {
    clusters = randomClusters(++clusterSeed);
    points = [];
    void drawData();
  });
  $('clear').addEventListener('click', () => {
    if (dataset() === 'points') points = [];
    else clusters = { points: [], centres: [] };
    void drawData();
  });
  $('fit').addEventListener('click', () => { void fitMixture(); });
  $('learn').addEventListener('click', () => { void learnAtoms(); });
  $('lista').addEventListener('click', () => { void compareLista(); });
  $('stop').addEventListener('click', () => {
    if (!run) return;
    run.stop = true;
    run.controller.abort();
  });
  await drawData();
  setState('ready', 'ready: elbo.wasm loaded. Pick data and a model, then fit.');
  if (params.get('fit') !== '0') await fitMixture();
}

main().catch((e) => {
  setState('error', `could not start: ${(e as Error).message}`);
  console.error(e);
});
