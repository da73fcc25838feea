/** `elbo gmm` and `elbo bgmm`: fit a (Bayesian) Gaussian mixture to a data file. */
import { BayesianGaussianMixture, GaussianMixture } from '../../mixture/index.js';
import { WEIGHT_CONCENTRATION_PRIOR_TYPES } from '../../mixture/bayesian.js';
import { COVARIANCE_TYPES, INIT_PARAMS } from '../../mixture/types.js';
import { boundSpec, mixtureSpec } from '../../plot/index.js';
import type { Matrix } from '../../runtime/matrix.js';
import { choice, DATA_OPTIONS, flagName, int, num, str, type Command, type OptionSpec, type ParsedArgs } from '../args.js';
import { readMatrix, readMatrixWithWeights } from '../data.js';
import { readBatches } from '../stream.js';
import { MISSING_POLICIES } from '../../mixture/missing.js';
import { UsageError } from '../errors.js';
import { Outputs } from '../outputs.js';
import { plotWriter } from '../plot.js';
import { Reporter } from '../report.js';
import { dataOptions, inCommandTerms } from './shared.js';

/** Rows per partialFit call with --online: large enough that the per-call cost is small against the rows' (see the online bench). */
const DEFAULT_BATCH_SIZE = 10_000;

const FIT_OPTIONS: Record<string, OptionSpec> = {
  components: { type: 'string', short: 'k', value: 'K', help: 'number of components (default 1)' },
  covariance: { type: 'string', value: 'TYPE', help: `covariance type: ${COVARIANCE_TYPES.join(', ')} (default full)` },
  'max-iter': { type: 'string', value: 'N', help: 'iterations at most per initialisation (default 100)' },
  tol: { type: 'string', value: 'TOL', help: 'stop when the bound changes by less than this (default 1e-3)' },
  'reg-covar': { type: 'string', value: 'R', help: 'added to every covariance diagonal (default 1e-6)' },
  'n-init': { type: 'string', value: 'N', help: 'initialisations to run, the best bound wins (default 1)' },
  init: { type: 'string', value: 'HOW', help: `initialisation: ${INIT_PARAMS.join(', ')} (default kmeans)` },
  seed: { type: 'string', value: 'S', help: 'random seed (default 0)' },
  out: { type: 'string', short: 'o', value: 'FILE', help: 'write the fitted model as JSON (read by elbo predict)' },
  labels: { type: 'string', value: 'FILE', help: 'write the most probable component of each row (one per line)' },
  proba: { type: 'string', value: 'FILE', help: 'write the responsibilities, N × K (.csv, .tsv, .json or .npy)' },
  plot: { type: 'string', value: 'FILE', help: 'SVG (or .json: its Vega-Lite specification): the data (first two principal axes when D > 2), each component in use with its 2σ contour' },
  'bound-plot': { type: 'string', value: 'FILE', help: 'SVG (or .json): the bound per iteration' },
  'sample-weight': { type: 'string', value: 'COLUMN', help: 'weigh each row by this 1-based column of the file (≥ 0; removed from the features)' },
  missing: { type: 'string', value: 'HOW', help: `what an empty, NaN or NA cell means: ${MISSING_POLICIES.join(', ')} (default error; marginalize: a missing value, integrated out)` },
  online: { type: 'boolean', help: 'fit by online EM (partialFit) from the file read in batches, never whole: for files larger than memory (CSV streamed, .npy by row ranges)' },
  'batch-size': { type: 'string', value: 'N', help: `rows per batch with --online (default ${DEFAULT_BATCH_SIZE})` },
  ...DATA_OPTIONS,
};


interface MixtureModel {
  predict(X: Matrix): Int32Array;
  predictProba(X: Matrix): Matrix;
  toJSON(): object;
  readonly weights: Float64Array;
  readonly converged: boolean;
  readonly nIter: number;
  readonly lowerBound: number;
  readonly lowerBoundHistory: number[];
  readonly covarianceType: 'full' | 'tied' | 'diag' | 'spherical';
  readonly means: Matrix<Float64Array>;
  readonly covariances: Float64Array;
}

function commonOptions(args: ParsedArgs) {
  return {
    nComponents: int(args, 'components', 1, 1),
    covarianceType: choice(args, 'covariance', COVARIANCE_TYPES, 'full'),
    maxIter: int(args, 'max-iter', 100, 0),
    tol: num(args, 'tol', 1e-3, 0),
    regCovar: num(args, 'reg-covar', 1e-6, 0),
    nInit: int(args, 'n-init', 1, 1),
    initParams: choice(args, 'init', INIT_PARAMS, 'kmeans'),
    seed: int(args, 'seed', 0, -(2 ** 31)),
    missing: choice(args, 'missing', MISSING_POLICIES, 'error'),
  };
}

/** The library's option names and the command line's, for messages. */
const MIXTURE_NAMES: Record<string, string> = {
  nComponents: 'components', covarianceType: 'covariance', maxIter: 'max-iter', tol: 'tol', regCovar: 'reg-covar',
  nInit: 'n-init', initParams: 'init', seed: 'seed', sampleWeight: 'sample-weight', missing: 'missing', weightConcentrationPriorType: 'prior-type', weightConcentrationPrior: 'weight-prior',
};

async function runMixture(args: ParsedArgs, bayesian: boolean): Promise<void> {
  if (args.values.online) return runOnline(args, bayesian);
  if (args.values['batch-size'] !== undefined) throw new UsageError('--batch-size sets the rows per batch of --online: give --online too, or drop --batch-size');
  const options = commonOptions(args);
  const outputs = new Outputs();
  const out = outputs.add(flagName(args, 'out'), str(args, 'out'));
  const labelsFile = outputs.add('--labels', str(args, 'labels'));
  const probaFile = outputs.add('--proba', str(args, 'proba'));
  const plot = outputs.add('--plot', str(args, 'plot'));
  const boundPlot = outputs.add('--bound-plot', str(args, 'bound-plot'));
  if (boundPlot && options.maxIter === 0) {
    throw new UsageError('--bound-plot draws the bound per iteration, and --max-iter 0 runs none: give --max-iter ≥ 1 or drop --bound-plot');
  }
  const r = Reporter.fromArgs(args);
  const source = args.positionals[0];
  const weightColumn = str(args, 'sample-weight') === undefined ? undefined : int(args, 'sample-weight', 1, 1);
  const readOptions = { ...dataOptions(args), missing: options.missing === 'marginalize' };
  const { X, sampleWeight } = weightColumn === undefined
    ? { X: await readMatrix(source, readOptions), sampleWeight: undefined }
    : await readMatrixWithWeights(source, readOptions, weightColumn);
  const weighted = { sampleWeight };
  const plots = await plotWriter([plot, boundPlot]);
  const progress = r.progress(bayesian ? 'bgmm' : 'gmm', options.maxIter);
  const hooks = { onIteration: progress, onWarning: (m: string) => r.warn(m) };
  const names = { ...MIXTURE_NAMES, X: `file:${source}` };
  let model: MixtureModel;
  try {
    model = inCommandTerms(args, names, () => bayesian
      ? new BayesianGaussianMixture({
        ...options, ...hooks,
        weightConcentrationPriorType: choice(args, 'prior-type', WEIGHT_CONCENTRATION_PRIOR_TYPES, 'dirichlet_process'),
        weightConcentrationPrior: num(args, 'weight-prior', undefined, Number.MIN_VALUE),
      }).fit(X, weighted)
      : new GaussianMixture({ ...options, ...hooks }).fit(X, weighted));
  } finally {
    progress.end();
  }
  const name = bayesian ? 'BayesianGaussianMixture' : 'GaussianMixture';
  const labels = model.predict(X);
  if (out) outputs.json(out, model.toJSON());
  if (labelsFile) outputs.labels(labelsFile, labels);
  if (probaFile) outputs.matrix(probaFile, model.predictProba(X));
  if (plot) {
    const title = `${name}: ${options.nComponents} components (${options.covarianceType})`;
    outputs.text(plot, await plots.render(plot, mixtureSpec(model, X, { labels, title })));
  }
  if (boundPlot) {
    outputs.text(boundPlot, await plots.render(boundPlot, boundSpec(model.lowerBoundHistory, { title: `${name}: the bound per iteration`, ylabel: bayesian ? 'lower bound' : 'mean log-likelihood' })));
  }
  outputs.commit();
  const written = outputs.files;
  const counts = new Array<number>(options.nComponents).fill(0);
  for (const l of labels) counts[l]++;
  const extra: { bic?: number; aic?: number } = model instanceof GaussianMixture ? { bic: model.bic(X, weighted), aic: model.aic(X, weighted) } : {};
  r.say(`${name}: ${options.nComponents} component${options.nComponents === 1 ? '' : 's'} (${options.covarianceType}) on ${X.rows} rows × ${X.cols} features`);
  r.say(`${model.converged ? 'converged' : 'did not converge'} after ${model.nIter} iterations; bound ${model.lowerBound.toFixed(6)}` +
    (extra.bic !== undefined && extra.aic !== undefined ? `; BIC ${extra.bic.toFixed(2)}; AIC ${extra.aic.toFixed(2)}` : ''));
  r.say(`weights: ${Array.from(model.weights, (w) => w.toFixed(3)).join(' ')}`);
  r.say(`rows per component: ${counts.join(' ')}`);
  if (written.length) r.say(`wrote ${written.join(', ')}`);
  r.result({
    command: bayesian ? 'bgmm' : 'gmm', rows: X.rows, cols: X.cols, nComponents: options.nComponents, covarianceType: options.covarianceType,
    converged: model.converged, nIter: model.nIter, lowerBound: model.lowerBound, lowerBoundHistory: model.lowerBoundHistory,
    weights: Array.from(model.weights), counts, ...extra, written,
  });
}

/**
 * --online: the file read in batches of --batch-size rows, each given to partialFit (stepwise EM,
 * or stochastic variational inference for bgmm), so that only one batch is ever in memory. The
 * outputs that need every row at once (--labels, --proba, --plot) are refused: `elbo predict`
 * on the saved model computes them, also in blocks.
 */
async function runOnline(args: ParsedArgs, bayesian: boolean): Promise<void> {
  const options = commonOptions(args);
  const batchSize = int(args, 'batch-size', DEFAULT_BATCH_SIZE, 2);
  for (const flag of ['labels', 'proba', 'plot', 'bound-plot'] as const) {
    if (str(args, flag) !== undefined) {
      throw new UsageError(`--${flag} needs every row at once, and --online never holds the file: save the model with --out, then run elbo predict on it`);
    }
  }
  const outputs = new Outputs();
  const out = outputs.add(flagName(args, 'out'), str(args, 'out'));
  const r = Reporter.fromArgs(args);
  const source = args.positionals[0];
  const weightColumn = str(args, 'sample-weight') === undefined ? undefined : int(args, 'sample-weight', 1, 1);
  const readOptions = { ...dataOptions(args), missing: options.missing === 'marginalize' };
  const names = { ...MIXTURE_NAMES, X: `file:${source}` };
  const name = bayesian ? 'BayesianGaussianMixture' : 'GaussianMixture';
  const hooks = { onWarning: (m: string) => r.warn(m) };
  const model = inCommandTerms(args, names, () => bayesian
    ? new BayesianGaussianMixture({
      ...options, ...hooks,
      weightConcentrationPriorType: choice(args, 'prior-type', WEIGHT_CONCENTRATION_PRIOR_TYPES, 'dirichlet_process'),
      weightConcentrationPrior: num(args, 'weight-prior', undefined, Number.MIN_VALUE),
    })
    : new GaussianMixture({ ...options, ...hooks }));
  const progress = r.progress(`${bayesian ? 'bgmm' : 'gmm'} --online, batch`);
  let rows = 0, cols = 0, batches = 0;
  try {
    for await (const batch of readBatches(source, readOptions, batchSize, weightColumn)) {
      inCommandTerms(args, names, () => model.partialFit(batch.X, { sampleWeight: batch.sampleWeight }));
      rows += batch.X.rows;
      cols = batch.X.cols;
      batches++;
      const h = model.lowerBoundHistory;
      progress({ iteration: batches, lowerBound: h[h.length - 1], change: h.length > 1 ? h[h.length - 1] - h[h.length - 2] : Infinity });
    }
  } finally {
    progress.end();
  }
  if (out) outputs.json(out, model.toJSON());
  outputs.commit();
  const written = outputs.files;
  r.say(`${name} (online): ${options.nComponents} component${options.nComponents === 1 ? '' : 's'} (${options.covarianceType}) on ${rows} rows × ${cols} features in ${batches} batch${batches === 1 ? '' : 'es'} of ≤ ${batchSize} rows`);
  r.say(`last batch's ${bayesian ? 'bound' : 'mean log-likelihood'} ${model.lowerBound.toFixed(6)}`);
  r.say(`weights: ${Array.from(model.weights, (w) => w.toFixed(3)).join(' ')}`);
  if (written.length) r.say(`wrote ${written.join(', ')}`);
  r.result({
    command: bayesian ? 'bgmm' : 'gmm', online: true, batchSize, batches, rows, cols, nComponents: options.nComponents, covarianceType: options.covarianceType,
    lowerBound: model.lowerBound, lowerBoundHistory: model.lowerBoundHistory, weights: Array.from(model.weights), written,
  });
}

/** `elbo gmm`: a Gaussian mixture by EM. */
export const gmm: Command = {
  name: 'gmm',
  summary: 'Fit a Gaussian mixture by EM (maximum likelihood; the bound is the mean log-likelihood).',
  usage: '<data> [options]',
  description: '<data> is a CSV/TSV/text file (header optional, delimiter detected; .gz allowed), a JSON array of rows,\n' +
    'a .npy array (float64 or float32, C order), or the name of a shipped data set: iris, digits.',
  positionals: [1, 1],
  options: FIT_OPTIONS,
  examples: [
    'elbo gmm data.csv --components 5 --covariance full --max-iter 200 --tol 1e-3 --seed 0 --out model.json --labels labels.csv --plot fit.svg',
    'elbo gmm iris -k 3 --plot iris.svg --bound-plot bound.svg',
    'elbo gmm data/iris.csv --columns 1-4 -k 3 --json > summary.json',
    'elbo gmm counts.csv --sample-weight 3 -k 2   # column 3 holds how many times each row was seen',
    'elbo gmm survey.csv -k 3 --missing marginalize --out model.json   # empty, NaN or NA cells are missing values',
    'elbo gmm huge.csv -k 8 --online --batch-size 50000 --out model.json   # never more than one batch in memory',
  ],
  run: (args) => runMixture(args, false),
};

/** `elbo bgmm`: a Bayesian Gaussian mixture by mean-field variational inference. */
export const bgmm: Command = {
  name: 'bgmm',
  summary: 'Fit a Bayesian Gaussian mixture by mean-field variational inference (surplus components are emptied).',
  usage: '<data> [options]',
  description: gmm.description,
  positionals: [1, 1],
  options: {
    ...FIT_OPTIONS,
    components: { type: 'string', short: 'k', value: 'K', help: 'upper bound on the number of components (default 1)' },
    'prior-type': { type: 'string', value: 'TYPE', help: `weight prior: ${WEIGHT_CONCENTRATION_PRIOR_TYPES.join(', ')} (default dirichlet_process)` },
    'weight-prior': { type: 'string', value: 'A', help: 'weight concentration α₀ > 0; small values favour few components (default 1/K)' },
  },
  examples: [
    'elbo bgmm data.csv --components 10 --weight-prior 0.01 --out model.json --plot fit.svg',
    'elbo bgmm iris -k 10 --weight-prior 0.01 --prior-type dirichlet_distribution --labels labels.csv',
    'elbo bgmm huge.npy -k 20 --online --out model.json   # stochastic variational inference over the file',
  ],
  run: (args) => runMixture(args, true),
};
