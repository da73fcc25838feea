/**
 * Initial responsibilities (scikit-learn's _initialize_parameters): hard assignments from
 * k-means, one-hot rows at k-means++ seeds or at random data points, or random soft assignments.
 */
import { WasmKMeansData } from '../kmeans/data-wasm.js';
import { lloyd } from '../kmeans/lloyd.js';
import { centresAtRows, kmeansPlusPlus as seedRows } from '../kmeans/seeding.js';
import type { Matrix } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';
import type { MixtureEngine } from './engine.js';
import type { InitParams } from './types.js';

/** Lloyd iterations at most (scikit-learn's KMeans default). */
const KMEANS_MAX_ITER = 300;
/** Stop when the centres move less than this fraction of the mean feature variance (KMeans' tol). */
const KMEANS_TOL = 1e-4;

/**
 * The data an initialisation reads, in the engines' frame: X − origin as an f64 matrix (copied
 * on first call), and, when that matrix is just X − origin (complete data), X and the origin
 * themselves, from which k-means copies and centres the data in wasm memory without the copy.
 */
export interface InitData {
  centred: () => Matrix<Float64Array>;
  source?: { X: Matrix; origin: Float64Array };
}

/**
 * Stores the initial responsibilities in the engine (setResponsibilities): k-means' hard
 * assignments go in as labels (setLabels) when the engine takes them, without an N × K array.
 */
export function setInitialResponsibilities(engine: MixtureEngine, data: InitData, K: number, method: InitParams, rng: Random, sampleWeight?: Float64Array): void {
  if (method === 'kmeans' && engine.setLabels) engine.setLabels(kmeans(data, K, rng, sampleWeight));
  else engine.setResponsibilities(initialResponsibilities(data, K, method, rng, sampleWeight));
}

/**
 * N × K responsibilities to start EM from (scikit-learn's _initialize_parameters): hard
 * assignments from k-means, one-hot rows at k-means++ seeds or at random data points, or random
 * soft assignments. With `sampleWeight`, k-means and k-means++ weigh the rows (seeds drawn ∝
 * w·distance², centres as weighted means, so zero-weight rows never seed or move a centre);
 * 'random' and 'random_from_data' do not look at the weights.
 */
export function initialResponsibilities(data: InitData, K: number, method: InitParams, rng: Random, sampleWeight?: Float64Array): Float64Array {
  const n = data.source ? data.source.X.rows : data.centred().rows;
  const resp = new Float64Array(n * K);
  switch (method) {
    case 'kmeans': {
      const labels = kmeans(data, K, rng, sampleWeight);
      for (let i = 0; i < n; i++) resp[i * K + labels[i]] = 1;
      break;
    }
    case 'k-means++': {
      const seeds = kmeansPlusPlus(data, K, rng, sampleWeight);
      seeds.forEach((row, k) => (resp[row * K + k] = 1));
      break;
    }
    case 'random': {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += resp[i * K + k] = rng.random();
        for (let k = 0; k < K; k++) resp[i * K + k] /= s;
      }
      break;
    }
    case 'random_from_data': {
      const perm = rng.permutation(n);
      for (let k = 0; k < K; k++) resp[perm[k] * K + k] = 1;
      break;
    }
  }
  return resp;
}

/** k-means' data: the centred frame, centred again on its column means (as scikit-learn's KMeans centres X). */
function kmeansData(data: InitData, sampleWeight?: Float64Array): WasmKMeansData {
  const { source } = data;
  return source ? new WasmKMeansData(source.X, { origin: source.origin }, sampleWeight ?? null) : new WasmKMeansData(data.centred(), 'mean', sampleWeight ?? null);
}

/**
 * Row indices of K seeds chosen by greedy k-means++ (scikit-learn's kmeans_plusplus, 2 + ⌊ln K⌋
 * candidates per step), with the distance work in the wasm kernels.
 */
export function kmeansPlusPlus(X: InitData, K: number, rng: Random, sampleWeight?: Float64Array): Int32Array {
  const data = kmeansData(X, sampleWeight);
  try {
    return seedRows(data, K, rng);
  } finally {
    data.release();
  }
}

/**
 * Labels of scikit-learn's KMeans(n_clusters=K, n_init=1) as the mixtures use it: Lloyd's
 * algorithm in wasm from k-means++ seeds on the centred data, empty clusters relocated to the
 * farthest rows, and a final assignment to the returned centres.
 */
export function kmeans(X: InitData, K: number, rng: Random, sampleWeight?: Float64Array): Int32Array {
  const data = kmeansData(X, sampleWeight);
  try {
    const tol = (KMEANS_TOL * data.sumSquares) / data.rows / data.cols;
    const start = centresAtRows(data, seedRows(data, K, rng));
    // Plain Lloyd passes: on this f64 data their distance GEMM runs in f32, screened by its
    // rounding bound, which costs less than Hamerly's bounds with the f64 GEMM for the rows they
    // cannot settle (the same labels either way; `npm run bench -- --suite=wholefit`).
    return lloyd(data, start, K, KMEANS_MAX_ITER, tol).labels;
  } finally {
    data.release();
  }
}
