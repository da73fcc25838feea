// Every public entry point that takes an options object, with option sets that together use
// every documented option (each a valid call) and misspellings with the name to suggest. Shared
// by the options tests and the options fuzz suite.
import {
  BayesianGaussianMixture, BinarySparseCoding, CategoricalHMM, GaussianHMM, KMeans, BoltzmannMachine, DictionaryLearning, GaussianMixture, IsingGrid,
  LinearGaussian, MiniBatchDictionaryLearning, SparseCoder, boundSpec, fitWithStatistics, inProcessEngine, mixtureSpec, pointsSpec, sparseEncode, tilesSpec, toMatrix, type Matrix,
} from '../src/index.js';
import { init } from '../src/node.js';
import { FitWorker } from '../src/worker/node.js';

const X: Matrix<Float64Array> = { data: Float64Array.from([0, 0, 0.1, 0.2, 0.2, 0.1, 3, 3, 3.1, 3.2, 3.2, 2.9]), rows: 6, cols: 2 };
const D = [[1, 0], [0.6, 0.8], [0, 1]];
const V4 = [[0.5, 1, 0, 0.2], [1, 0.1, 0.3, 0]];
const quiet = () => {};

const bsc = () => new BinarySparseCoding({ W: [[1, 0], [0, 1], [1, 1], [0.5, 0]], seed: 1 });
const boltzmann = () => new BoltzmannMachine({ W: [[0, 1], [1, 0]] });
const ising = () => new IsingGrid({ height: 2, width: 2, coupling: 0.5 });
const linear = () => new LinearGaussian({ W: [[1], [2]] });
const fitted = () => new GaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X);
/** The options fromJSON takes beside a file (what a file does not hold), for every model that has them. */
const RUNTIME = { onIteration: () => undefined, onWarning: quiet, engine: 'reference' };
const FROM_JSON_MISSPELT: [string, string][] = [['on_warning', 'onWarning'], ['engin', 'engine'], ['nComponents', null as never]];
const fromJSONEntries: Entry[] = ([
  ['GaussianMixture', (o) => GaussianMixture.fromJSON(fitted().toJSON(), o as never)],
  ['BayesianGaussianMixture', (o) => BayesianGaussianMixture.fromJSON(new BayesianGaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X).toJSON(), o as never)],
  ['KMeans', (o) => KMeans.fromJSON(new KMeans({ nClusters: 2 }).fit(X).toJSON(), o as never)],
  ['GaussianHMM', (o) => GaussianHMM.fromJSON(new GaussianHMM({ nComponents: 2, nIter: 2, onWarning: quiet }).fit(X).toJSON(), o as never)],
  ['CategoricalHMM', (o) => CategoricalHMM.fromJSON(new CategoricalHMM({ nComponents: 2, nIter: 2, onWarning: quiet }).fit([[0], [1], [1], [0]]).toJSON(), o as never)],
] as [string, (o: unknown) => unknown][]).map(([name, call]) => ({ name: `${name}.fromJSON`, call, valid: [RUNTIME], misspelt: FROM_JSON_MISSPELT }));

/**
 * One row per public entry point that takes an options object: how to call it with options,
 * option sets that together use every documented option (each a valid call), and misspellings
 * with the name the error must suggest.
 */
export interface Entry {
  name: string;
  call: (options: unknown) => unknown;
  valid: Record<string, unknown>[];
  misspelt: [string, string][];
}

const MIXTURE_COMMON = {
  nComponents: 2, covarianceType: 'diag', tol: 1e-3, regCovar: 1e-6, maxIter: 50, nInit: 1, initParams: 'kmeans',
  warmStart: false, seed: 3, onIteration: () => undefined, onWarning: quiet, engine: 'reference', missing: 'marginalize',
};

export const ENTRIES: Entry[] = [
  {
    name: 'init', call: (o) => init(o as never),
    valid: [{ wasmUrl: 'unused.wasm', wasm: new Uint8Array(0), initialPages: 32, threads: 'auto', threadsWasmUrl: 'unused.threads.wasm', threadsWasm: new Uint8Array(0), maximumPages: 65536 }],
    misspelt: [['wasm_url', 'wasmUrl'], ['initialPage', 'initialPages'], ['WASMURL', 'wasmUrl'], ['thread', 'threads'], ['maximumPage', 'maximumPages']],
  },
  {
    name: 'toMatrix', call: (o) => toMatrix(X, 'X', o as never),
    valid: [{ finite: true, minRows: 2, cols: 2, colsReason: 'two features' }],
    misspelt: [['min_rows', 'minRows'], ['colsReson', 'colsReason']],
  },
  {
    name: 'GaussianMixture', call: (o) => new GaussianMixture(o as never).fit(X),
    valid: [{
      ...MIXTURE_COMMON, weightsInit: [0.5, 0.5], meansInit: [[0, 0], [3, 3]], precisionsInit: [1, 1, 1, 1], stepDecay: 0.6, stepOffset: 1,
    }],
    misspelt: [['n_components', 'nComponents'], ['nComponent', 'nComponents'], ['covariance_type', 'covarianceType'], ['maxIters', 'maxIter'], ['means_init', 'meansInit']],
  },
  {
    name: 'BayesianGaussianMixture', call: (o) => new BayesianGaussianMixture(o as never).fit(X),
    valid: [{
      ...MIXTURE_COMMON, weightConcentrationPriorType: 'dirichlet_distribution', weightConcentrationPrior: 0.5,
      meanPrecisionPrior: 1, meanPrior: [1, 1], degreesOfFreedomPrior: 2, covariancePrior: [1, 1],
      initResponsibilities: Array.from({ length: 6 }, (_, i) => (i < 3 ? [1, 0] : [0, 1])), stepDecay: 0.6, stepOffset: 1, streamSize: 100,
    }],
    misspelt: [['weight_concentration_prior', 'weightConcentrationPrior'], ['meanPriors', 'meanPrior'], ['n_init', 'nInit']],
  },
  {
    name: 'GaussianMixture.fit', call: (o) => new GaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X, o as never),
    valid: [{ sampleWeight: [1, 1, 2, 1, 1, 0.5] }],
    misspelt: [['sample_weight', 'sampleWeight'], ['sampleWeights', 'sampleWeight']],
  },
  {
    name: 'BayesianGaussianMixture.partialFit', call: (o) => new BayesianGaussianMixture({ nComponents: 2, onWarning: quiet }).partialFit(X, o as never),
    valid: [{ sampleWeight: [1, 1, 2, 1, 1, 0.5] }],
    misspelt: [['sample_weight', 'sampleWeight']],
  },
  {
    name: 'KMeans', call: (o) => new KMeans(o as never).fit(X),
    valid: [{ nClusters: 2, init: 'random', nInit: 2, maxIter: 50, tol: 1e-4, seed: 3, algorithm: 'elkan', onIteration: () => undefined, onWarning: quiet, engine: 'reference' }],
    misspelt: [['n_clusters', 'nClusters'], ['nCluster', 'nClusters'], ['max_iter', 'maxIter']],
  },
  {
    name: 'KMeans.fit', call: (o) => new KMeans({ nClusters: 2 }).fit(X, o as never),
    valid: [{ sampleWeight: [1, 1, 2, 1, 1, 0.5] }],
    misspelt: [['sample_weight', 'sampleWeight'], ['weights', null as never]],
  },
  {
    name: 'sparseEncode', call: (o) => sparseEncode([[1, 0.5]], D, o as never),
    valid: [{ alpha: 0.1, algorithm: 'fista', maxIter: 100, tol: 1e-6, positive: true, init: [[0, 0, 0]], gram: [[1, 0.6, 0], [0.6, 1, 0.8], [0, 0.8, 1]], engine: 'reference', onWarning: quiet }],
    misspelt: [['max_iter', 'maxIter'], ['lambda', null as never], ['algoritm', 'algorithm'], ['positve', 'positive']],
  },
  {
    name: 'SparseCoder', call: (o) => new SparseCoder(o as never).transform([[1, 0.5]]),
    valid: [{ dictionary: D, transformAlgorithm: 'ista', transformAlpha: 0.1, transformMaxIter: 50, transformTol: 1e-4, positiveCode: true, engine: 'reference', onWarning: quiet }],
    misspelt: [['transform_alpha', 'transformAlpha'], ['dictonary', 'dictionary'], ['alpha', 'transformAlpha']],
  },
  ...(['DictionaryLearning', 'MiniBatchDictionaryLearning'] as const).map((name): Entry => ({
    name,
    call: (o) => (name === 'DictionaryLearning' ? new DictionaryLearning(o as never) : new MiniBatchDictionaryLearning(o as never)).fit(X),
    valid: [{
      nComponents: 2, alpha: 0.1, tol: 1e-3, fitAlgorithm: 'cd', transformAlgorithm: 'cd', transformAlpha: 0.1,
      transformMaxIter: 100, transformTol: 1e-5, positiveCode: false, positiveDict: false, dictInit: [[1, 0], [0, 1]],
      seed: 2, onIteration: () => undefined, onWarning: quiet, engine: 'reference', maxIter: 2,
      ...(name === 'MiniBatchDictionaryLearning' ? { batchSize: 3, shuffle: false } : {}),
    }],
    misspelt: [['n_components', 'nComponents'], ['dict_init', 'dictInit'], ['positiveDic', 'positiveDict'],
      ...(name === 'MiniBatchDictionaryLearning' ? [['batch_size', 'batchSize'] as [string, string]] : [])],
  })),
  {
    name: 'BinarySparseCoding', call: (o) => new BinarySparseCoding(o as never),
    valid: [{ W: [[1, 0], [0, 1]], b: [0, 0], beta: [1, 1], nHidden: 2, seed: 1, onWarning: quiet }],
    misspelt: [['n_hidden', 'nHidden'], ['Beta', 'beta'], ['sed', 'seed']],
  },
  {
    name: 'BinarySparseCoding.infer', call: (o) => bsc().infer(V4, o as never),
    valid: [{ maxIter: 20, tol: 1e-6, schedule: 'parallel', damping: 0.5, engine: 'reference', init: [[0.5, 0.5], [0.5, 0.5]] }],
    misspelt: [['max_iter', 'maxIter'], ['shedule', 'schedule'], ['dampening', 'damping']],
  },
  {
    name: 'BinarySparseCoding.fit', call: (o) => bsc().fit(V4, o as never),
    valid: [{ maxIter: 3, tol: 1e-6, inferMaxIter: 5, inferTol: 1e-4, engine: 'reference', onIteration: () => undefined, eStepStart: 'prior' }],
    misspelt: [['infer_max_iter', 'inferMaxIter'], ['tolerance', null as never], ['inferTo', 'inferTol']],
  },
  {
    name: 'BinarySparseCoding.partialStats', call: (o) => bsc().partialStats(V4, o as never),
    valid: [{ inferMaxIter: 5, inferTol: 1e-4, engine: 'reference' }],
    misspelt: [['infer_tol', 'inferTol'], ['engin', 'engine']],
  },
  {
    name: 'fitWithStatistics', call: (o) => fitWithStatistics(bsc(), inProcessEngine([V4]), o as never),
    valid: [{ sampleSize: 10, maxIter: 2, tol: 1e-6, inferMaxIter: 3, inferTol: 0, onIteration: () => undefined }],
    misspelt: [['sample_size', 'sampleSize'], ['maxIters', 'maxIter']],
  },
  {
    name: 'BoltzmannMachine', call: (o) => new BoltzmannMachine(o as never),
    valid: [{ W: [[0, 1], [1, 0]], b: [0.5, -0.5], onWarning: quiet }],
    misspelt: [['bias', null as never], ['w', 'W']],
  },
  {
    name: 'BoltzmannMachine.meanField', call: (o) => boltzmann().meanField(undefined, o as never),
    valid: [{ maxIter: 20, tol: 1e-6, schedule: 'parallel', damping: 0.5, engine: 'reference' }],
    misspelt: [['maxiter', 'maxIter'], ['Engine', 'engine']],
  },
  {
    name: 'IsingGrid', call: (o) => new IsingGrid(o as never),
    valid: [{ height: 2, width: 2, coupling: 0.5, bias: [0, 0, 0, 0], onWarning: quiet }],
    misspelt: [['hieght', 'height'], ['coupling_strength', null as never], ['biases', 'bias']],
  },
  {
    name: 'IsingGrid.meanField', call: (o) => ising().meanField(o as never),
    valid: [{ maxIter: 20, tol: 1e-6, damping: 0.5, init: [0.5, 0.5, 0.5, 0.5], engine: 'reference' }],
    misspelt: [['schedule', null as never], ['max_iter', 'maxIter']],
  },
  {
    name: 'IsingGrid.fromSpins', call: (o) => IsingGrid.fromSpins(o as never),
    valid: [{ height: 1, width: 2, coupling: 0.5, field: [0, 1], onWarning: quiet }],
    misspelt: [['fields', 'field'], ['bias', null as never]],
  },
  {
    name: 'LinearGaussian', call: (o) => new LinearGaussian(o as never),
    valid: [{ W: [[1], [2]], mean: [0, 0], psi: [1, 1], seed: 1, onWarning: quiet }, { nComponents: 1, seed: 1 }],
    misspelt: [['n_components', 'nComponents'], ['Psi', 'psi'], ['means', 'mean']],
  },
  {
    name: 'LinearGaussian.meanField', call: (o) => linear().meanField([[1, 2]], o as never),
    valid: [{ maxIter: 20, tol: 1e-8 }],
    misspelt: [['max_iter', 'maxIter'], ['tolerance', null as never]],
  },
  {
    name: 'LinearGaussian.fit', call: (o) => linear().fit([[1, 2], [2, 3.9], [0, 0.1]], o as never),
    valid: [{ method: 'variational', maxIter: 3, tol: 1e-6, onIteration: () => undefined }],
    misspelt: [['Method', 'method'], ['max_iter', 'maxIter']],
  },
  ...fromJSONEntries,
  {
    name: 'BinarySparseCoding.fromJSON', call: (o) => BinarySparseCoding.fromJSON(bsc().toJSON(), o as never),
    valid: [{ onWarning: quiet }],
    misspelt: [['onwarning', 'onWarning'], ['seed', null as never]],
  },
  {
    name: 'FitWorker', call: (o) => new FitWorker(o as never),
    valid: [{ wasmUrl: 'unused.wasm', wasm: new Uint8Array(0) }],
    misspelt: [['wasm_url', 'wasmUrl'], ['wasmURL', 'wasmUrl']],
  },
  {
    name: 'pointsSpec', call: (o) => pointsSpec(X, o as never),
    valid: [{ title: 't', width: 320, height: 240, labels: [0, 0, 0, 1, 1, 1], domain: { x: [-1, 4], y: [-1, 4] }, xlabel: 'x', ylabel: 'y', legendTitle: 'class' }],
    misspelt: [['x_label', 'xlabel'], ['colors', null as never], ['heigth', 'height'], ['legend', 'legendTitle']],
  },
  {
    name: 'mixtureSpec', call: (o) => mixtureSpec(fitted(), X, o as never),
    valid: [{
      title: 't', width: 320, height: 240, labels: [0, 0, 0, 1, 1, 1], domain: { x: [-1, 4], y: [-1, 4] }, xlabel: 'a', ylabel: 'b',
      legendTitle: 'component', minWeight: 0.01, sigmas: [1, 2],
    }],
    misspelt: [['with', 'width'], ['y_label', 'ylabel'], ['min_weight', 'minWeight'], ['sigma', 'sigmas']],
  },
  {
    name: 'boundSpec', call: (o) => boundSpec([1, 2, 3], o as never),
    valid: [{ title: 't', width: 320, height: 240, xlabel: 'x', ylabel: 'y' }],
    misspelt: [['Title', 'title'], ['ylable', 'ylabel']],
  },
  {
    name: 'tilesSpec', call: (o) => tilesSpec({ data: Float64Array.from([0, 1, 1, 0]), rows: 1, cols: 4 }, o as never),
    valid: [{ title: 't', shape: [2, 2], layout: 'rows', columns: 1, pixel: 4, colours: 'gray' }],
    misspelt: [['colors', 'colours'], ['column', 'columns']],
  },
];
