/** `elbo kmeans`: k-means clustering of a data file (Lloyd's algorithm, k-means++ seeding). */
import { KMeans } from '../../kmeans/index.js';
import { choice, DATA_OPTIONS, int, num, str, type Command, type ParsedArgs } from '../args.js';
import { readMatrix } from '../data.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions } from './shared.js';

const INITS = ['k-means++', 'random'] as const;

async function runKMeans(args: ParsedArgs): Promise<void> {
  const options = {
    nClusters: int(args, 'clusters', 8, 1),
    init: choice(args, 'init', INITS, 'k-means++'),
    nInit: int(args, 'n-init', 1, 1),
    maxIter: int(args, 'max-iter', 300, 1),
    tol: num(args, 'tol', 1e-4, 0),
    seed: int(args, 'seed', 0, -(2 ** 31)),
  };
  const r = Reporter.fromArgs(args);
  // Every output path is checked before the data is read; all are written, or none.
  const outputs = new Outputs();
  const out = outputs.add('--out', str(args, 'out'));
  const labelsFile = outputs.add('--labels', str(args, 'labels'));
  const centresFile = outputs.add('--centers', str(args, 'centers'));
  const X = await readMatrix(args.positionals[0], dataOptions(args));
  const progress = r.progress('kmeans', options.maxIter, 'inertia');
  let km: KMeans;
  try {
    km = new KMeans({
      ...options, onWarning: (m) => r.warn(m),
      onIteration: (i) => progress({ iteration: i.iteration, lowerBound: i.inertia, change: i.centerShift, init: i.init, initSeconds: i.initSeconds }),
    }).fit(X);
  } finally {
    progress.end();
  }
  if (out) outputs.json(out, km.toJSON());
  if (labelsFile) outputs.labels(labelsFile, km.labels);
  if (centresFile) outputs.matrix(centresFile, km.clusterCenters);
  outputs.commit();
  const written = outputs.files;
  const counts = new Array<number>(options.nClusters).fill(0);
  for (const l of km.labels) counts[l]++;
  r.say(`KMeans: ${options.nClusters} clusters on ${X.rows} rows × ${X.cols} features`);
  r.say(`${km.converged ? 'converged' : 'did not converge'} after ${km.nIter} iterations; inertia ${km.inertia.toPrecision(10)}`);
  r.say(`rows per cluster: ${counts.join(' ')}`);
  if (written.length) r.say(`wrote ${written.join(', ')}`);
  r.result({
    command: 'kmeans', rows: X.rows, cols: X.cols, nClusters: options.nClusters, converged: km.converged, nIter: km.nIter,
    inertia: km.inertia, counts, clusterCenters: Array.from(km.clusterCenters.data), written,
  });
}

/** `elbo kmeans`: k-means clustering. */
export const kmeans: Command = {
  name: 'kmeans',
  summary: "Cluster rows by k-means (Lloyd's algorithm from k-means++ seeds, as scikit-learn's KMeans).",
  usage: '<data> [options]',
  description: '<data> is a CSV/TSV/text file (header optional, delimiter detected; .gz allowed), a JSON array of rows,\n' +
    'a .npy array (float64 or float32, C order), or the name of a shipped data set: iris, digits.\n' +
    'The progress line shows the inertia under the centres each iteration started from, and the centre shift as the change.',
  positionals: [1, 1],
  options: {
    clusters: { type: 'string', short: 'k', value: 'K', help: 'number of clusters (default 8)' },
    init: { type: 'string', value: 'HOW', help: `initial centres: ${INITS.join(', ')} (default k-means++)` },
    'n-init': { type: 'string', value: 'N', help: 'initialisations to run, the lowest inertia wins (default 1)' },
    'max-iter': { type: 'string', value: 'N', help: 'Lloyd iterations at most (default 300)' },
    tol: { type: 'string', value: 'TOL', help: 'stop when the centre shift is at most TOL × the mean feature variance (default 1e-4)' },
    seed: { type: 'string', value: 'S', help: 'random seed (default 0)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the fitted model as JSON (KMeans.fromJSON reads it)' },
    labels: { type: 'string', value: 'FILE', help: 'write the cluster of each row (one per line)' },
    centers: { type: 'string', value: 'FILE', help: 'write the centres, K × D (.csv, .tsv, .json or .npy)' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo kmeans data.csv -k 5 --out model.json --labels labels.csv',
    'elbo kmeans iris -k 3 --centers centres.csv --json > summary.json',
  ],
  run: runKMeans,
};
