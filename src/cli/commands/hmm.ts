/** `elbo hmm`: a hidden Markov model fitted by Baum-Welch, and its Viterbi decoding. */
import { CategoricalHMM, GaussianHMM } from '../../hmm/index.js';
import { DATA_OPTIONS, choice, flag, flagName, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { UsageError } from '../errors.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions, inCommandTerms } from './shared.js';

/** Sequence lengths from "100,80,120". */
function parseLengths(spec: string | undefined): number[] | undefined {
  if (spec === undefined) return undefined;
  const parts = spec.split(',').map((s) => Number(s.trim()));
  if (parts.some((v) => !Number.isInteger(v) || v < 1)) throw new UsageError(`--lengths must be positive integers separated by commas; got ${JSON.stringify(spec)}`);
  return parts;
}

/** `elbo hmm`. */
export const hmm: Command = {
  name: 'hmm',
  summary: 'Fit a hidden Markov model (Gaussian or categorical emissions) by Baum-Welch and decode the most probable states.',
  usage: '<data> --states <K> [options]',
  description: 'Rows are time steps of one or more sequences (--lengths). Exact inference: scaled forward-backward and Viterbi. --decoded writes the Viterbi state of every row.',
  positionals: [1, 1],
  options: {
    states: { type: 'string', short: 'k', value: 'K', help: 'number of hidden states (required)' },
    covariance: { type: 'string', value: 'TYPE', help: 'diag (default), full, spherical or tied' },
    categorical: { type: 'boolean', help: 'the data is one column of symbols 0 … F − 1 (CategoricalHMM)' },
    lengths: { type: 'string', value: 'L1,L2,…', help: 'lengths of the sequences, in row order (default: one sequence)' },
    'n-iter': { type: 'string', value: 'N', help: 'Baum-Welch iterations at most (default 100)' },
    tol: { type: 'string', value: 'TOL', help: 'stop when the log-likelihood changes by less than this (default 1e-2)' },
    seed: { type: 'string', value: 'S', help: 'random seed of the initialisation (default 0)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the fitted model as JSON' },
    decoded: { type: 'string', value: 'FILE', help: 'write the Viterbi state of every row (one per line, or .json)' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo hmm series.csv --states 3 --decoded states.txt --out hmm.json',
    'elbo hmm symbols.csv --categorical --states 2 --lengths 500,500',
  ],
  async run(args) {
    if (args.values.states === undefined) throw new UsageError('elbo hmm needs --states <K> (see elbo hmm --help)');
    const nComponents = int(args, 'states', 1, 1);
    const nIter = int(args, 'n-iter', 100, 1);
    const tol = num(args, 'tol', 1e-2, 0);
    const seed = int(args, 'seed', 0, -(2 ** 31));
    const lengths = parseLengths(str(args, 'lengths'));
    const outputs = new Outputs();
    const out = outputs.add(flagName(args, 'out'), str(args, 'out'));
    const decoded = outputs.add('--decoded', str(args, 'decoded'));
    const r = Reporter.fromArgs(args);
    const source = args.positionals[0];
    const X = await readMatrix(source, dataOptions(args));
    const progress = r.progress('hmm', nIter, 'log-likelihood');
    const common = { nComponents, nIter, tol, seed, onIteration: progress, onWarning: (m: string) => r.warn(m) };
    let model: GaussianHMM | CategoricalHMM;
    const names = { nComponents: 'states', nIter: 'n-iter', tol: 'tol', seed: 'seed', lengths: 'lengths', X: `file:${source}` };
    try {
      model = inCommandTerms(args, names, () => flag(args, 'categorical')
        ? new CategoricalHMM(common).fit(X, { lengths })
        : new GaussianHMM({ ...common, covarianceType: choice(args, 'covariance', ['diag', 'full', 'spherical', 'tied'] as const, 'diag') }).fit(X, { lengths }));
    } finally {
      progress.end();
    }
    const { logProb, states } = model.decode(X, { lengths });
    if (out) outputs.json(out, model.toJSON());
    if (decoded) outputs.labels(decoded, states);
    outputs.commit();
    const written = outputs.files;
    const history = model.lowerBoundHistory;
    const score = model.score(X, { lengths });
    const K = nComponents;
    r.say(`${model instanceof CategoricalHMM ? 'CategoricalHMM' : 'GaussianHMM'}: ${K} states on ${X.rows} rows × ${X.cols} features in ${lengths?.length ?? 1} sequence(s)`);
    r.say(`${model.converged ? 'converged' : 'did not converge'} after ${model.nIter} iterations; log-likelihood ${score.toFixed(4)}; Viterbi path log-probability ${logProb.toFixed(4)}`);
    const A = model.transMat.data;
    for (let i = 0; i < K; i++) r.say(`  transitions from state ${i}: ${Array.from(A.subarray(i * K, (i + 1) * K), (v) => v.toFixed(3)).join(' ')}`);
    if (written.length) r.say(`wrote ${written.join(', ')}`);
    r.result({ command: 'hmm', rows: X.rows, cols: X.cols, nComponents: K, converged: model.converged, nIter: model.nIter, logLikelihood: score, viterbiLogProb: logProb, lowerBoundHistory: history, written });
  },
};
