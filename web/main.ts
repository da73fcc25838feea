/**
 * The demo page: Gaussian and Bayesian mixtures fitted in the browser, one iteration at a time
 * (warm-started fits of one iteration each, so the ellipses and the bound can be drawn after
 * every step), on points the user clicks, random clusters or iris; and dictionary atoms learned
 * from the digits by mini-batch steps. Everything runs on the library's public API.
 */
import {
  BayesianGaussianMixture, GaussianMixture, MiniBatchDictionaryLearning, Random, init, lineSvg,
  mixtureSvg, principalAxes, projectPoints, scatterSvg, tilesSvg, type CovarianceType, type InitParams, type Matrix,
} from 'elbo-wasm';
import { loadDigits, loadIris, type Dataset } from 'elbo-wasm/datasets';

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
let clusters: number[] = [];
let iris: Dataset | null = null;
let digits: Dataset | null = null;
let run: { stop: boolean } | null = null;

function setState(state: 'ready' | 'fitting' | 'done' | 'stopped' | 'error', status?: string, where = 'status'): void {
  document.body.dataset.state = state;
  if (status !== undefined) $(where).textContent = status;
  const busy = state === 'fitting';
  for (const id of ['fit', 'learn', 'new-data', 'clear', 'dataset', 'model']) $<HTMLButtonElement>(id).disabled = busy;
  $<HTMLButtonElement>('stop').disabled = !busy;
}

/** Random anisotropic Gaussian clusters inside the view. */
function randomClusters(seed: number): number[] {
  const rng = new Random(seed);
  const k = 3 + rng.int(3), out: number[] = [];
  for (let c = 0; c < k; c++) {
    const cx = -6 + 12 * rng.random(), cy = -6 + 12 * rng.random();
    const a = 0.4 + 1.4 * rng.random(), b = 0.3 + 0.8 * rng.random(), t = Math.PI * rng.random();
    for (let i = 0; i < 80; i++) {
      const u = a * rng.normal(), v = b * rng.normal();
      out.push(cx + Math.cos(t) * u - Math.sin(t) * v, cy + Math.sin(t) * u + Math.cos(t) * v);
    }
  }
  return out;
}

function dataset(): string {
  return value('dataset');
}

/** The data to fit, and whether it is drawn in the fixed 2-D view. */
function currentData(): { X: Matrix<Float64Array>; fixed: boolean } {
  const d = dataset();
  if (d === 'iris' && iris) return { X: iris.X, fixed: false };
  const p = d === 'points' ? points : clusters;
  return { X: { data: Float64Array.from(p), rows: p.length / 2, cols: 2 }, fixed: true };
}

function drawData(): void {
  const { X, fixed } = currentData();
  const pts = fixed ? X.data : projectPoints(X, principalAxes(X));
  $('scatter').innerHTML = scatterSvg({
    points: pts, title: fixed ? `${X.rows} points${dataset() === 'points' ? ': click to add more' : ''}` : `iris: ${X.rows} flowers × ${X.cols} measurements`,
    ...(fixed ? { domain: DOMAIN } : { xlabel: 'first principal axis', ylabel: 'second principal axis' }),
  });
  $('bound').innerHTML = lineSvg({ y: [], title: 'the bound per iteration', width: 480, height: 480 });
}

/** A click on the plot adds a point to a 2-D data set, at the data coordinates under the pointer. */
function onPlotClick(e: MouseEvent): void {
  if (run || dataset() === 'iris') return;
  const svg = $('scatter').querySelector('svg');
  const frame = svg?.getAttribute('data-frame');
  if (!svg || !frame) return;
  const [m, x0, x1, y0, y1] = frame.split(' ').map(Number);
  const r = svg.getBoundingClientRect();
  const W = Number(svg.getAttribute('width')), H = Number(svg.getAttribute('height'));
  const px = ((e.clientX - r.left) * W) / r.width, py = ((e.clientY - r.top) * H) / r.height;
  if (px < m || px > W - m || py < m || py > H - m) return;
  const target = dataset() === 'points' ? points : clusters;
  target.push(x0 + ((px - m) / (W - 2 * m)) * (x1 - x0), y1 - ((py - m) / (H - 2 * m)) * (y1 - y0));
  drawData();
  $('status').textContent = `${target.length / 2} points`;
}

async function fitMixture(): Promise<void> {
  const { X, fixed } = currentData();
  const K = Number(value('components'));
  const bayesian = value('model') === 'bgmm';
  if (!(K >= 1) || X.rows < Math.max(2, K)) {
    setState('error', `need at least ${Math.max(2, K)} points for K = ${K}; click the plot to add some`);
    return;
  }
  // A new seed each fit: 'random' (the default here) starts from random responsibilities, so
  // every component begins near the mean of the data and EM visibly pulls them apart.
  const options = {
    nComponents: K, covarianceType: value('covariance') as CovarianceType, maxIter: 1, tol: TOL, warmStart: true,
    initParams: value('init') as InitParams, seed: fitSeed++, onWarning: () => {},
  };
  const model = bayesian ? new BayesianGaussianMixture(options) : new GaussianMixture(options);
  const name = bayesian ? 'Bayesian mixture' : 'Gaussian mixture';
  const history: number[] = [];
  run = { stop: false };
  setState('fitting', `${name}: starting`);
  try {
    for (let it = 1; it <= MAX_ITER; it++) {
      if (run.stop) { setState('stopped', `${name}: stopped after ${it - 1} iterations; bound ${history.at(-1)?.toFixed(4)}`); return; }
      model.fit(X); // one more iteration, from where the last one ended
      history.push(model.lowerBound);
      const labels = model.predict(X);
      const weights = Array.from(model.weights);
      $('scatter').innerHTML = mixtureSvg(model, X, labels, `${name}, K = ${K} (${options.covarianceType}), iteration ${it}`, fixed ? { domain: DOMAIN } : {});
      $('bound').innerHTML = lineSvg({ y: history, title: `${name}: the bound per iteration`, ylabel: bayesian ? 'lower bound' : 'mean log-likelihood', width: 480, height: 480 });
      const change = it > 1 ? history[it - 1] - history[it - 2] : NaN;
      const used = weights.filter((w) => w > 0.01).length;
      const line = `${name}: iteration ${it}, bound ${model.lowerBound.toFixed(4)}, change ${Number.isNaN(change) ? '—' : change.toExponential(2)}` +
        (bayesian ? `, ${used} of ${K} components with weight > 0.01` : '');
      if (it > 1 && model.converged) { setState('done', `${line}: converged`); return; }
      $('status').textContent = line;
      await sleep(DELAY);
    }
    setState('done', `${name}: stopped at ${MAX_ITER} iterations without converging`);
  } catch (e) {
    setState('error', `${name}: ${(e as Error).message}`);
  } finally {
    run = null;
  }
}

async function learnAtoms(): Promise<void> {
  const K = Number(value('atoms')), alpha = Number(value('alpha')), epochs = Number(value('epochs'));
  run = { stop: false };
  setState('fitting', 'loading the digits…', 'dict-status');
  try {
    digits ??= await loadDigits();
    const X = digits.X, F = X.cols, batch = 256;
    const rng = new Random(0);
    const mb = new MiniBatchDictionaryLearning({ nComponents: K, alpha, batchSize: batch, seed: 0 });
    const errors: number[] = [];
    for (let e = 1; e <= epochs; e++) {
      const order = rng.permutation(X.rows);
      for (let s = 0; s < X.rows; s += batch) {
        if (run.stop) { setState('stopped', `stopped in epoch ${e}`, 'dict-status'); return; }
        const idx = order.subarray(s, Math.min(X.rows, s + batch));
        const B = new Float64Array(idx.length * F);
        idx.forEach((r, i) => B.set(X.data.subarray(r * F, (r + 1) * F), i * F));
        mb.partialFit({ data: B, rows: idx.length, cols: F });
        errors.push(mb.error.at(-1) as number);
        const V = mb.components;
        $('atoms-plot').innerHTML = tilesSvg({ images: V.data, count: K, shape: [8, 8], columns: 10, scale: 5, title: `${K} atoms after ${errors.length} mini-batches` });
        $('dict-error').innerHTML = lineSvg({ y: errors, title: 'mean objective per mini-batch', xlabel: 'mini-batch', ylabel: '½‖x − hV‖² + α‖h‖₁', width: 480, height: 320 });
        $('dict-status').textContent = `epoch ${e}, rows ${Math.min(X.rows, s + batch)} of ${X.rows}: objective ${errors.at(-1)?.toFixed(2)}`;
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

async function main(): Promise<void> {
  await init();
  iris = await loadIris();
  clusters = randomClusters(clusterSeed);
  $('scatter').addEventListener('click', onPlotClick);
  $('dataset').addEventListener('change', drawData);
  $('new-data').addEventListener('click', () => { clusters = randomClusters(++clusterSeed); points = []; drawData(); });
  $('clear').addEventListener('click', () => { if (dataset() === 'points') points = []; else clusters = []; drawData(); });
  $('fit').addEventListener('click', () => { void fitMixture(); });
  $('learn').addEventListener('click', () => { void learnAtoms(); });
  $('stop').addEventListener('click', () => { if (run) run.stop = true; });
  drawData();
  setState('ready', 'ready: elbo.wasm loaded. Pick data and a model, then fit.');
}

main().catch((e) => {
  setState('error', `could not start: ${(e as Error).message}`);
  console.error(e);
});
