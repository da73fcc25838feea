/** `elbo encode`: sparse codes of the rows of a data file over a given dictionary (the lasso). */
import { sparseEncode } from '../../sparse/index.js';
import { choice, DATA_OPTIONS, flag, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { UsageError } from '../errors.js';
import { Reporter } from '../report.js';
import { writeMatrix } from '../write.js';
import { dataOptions } from './shared.js';

const ALGORITHMS = ['cd', 'fista', 'ista'] as const;

/** `elbo encode`. */
export const encode: Command = {
  name: 'encode',
  summary: 'Sparse codes h = argmin ½‖x − hD‖² + α‖h‖₁ of every row x over a dictionary D (MAP under a Laplace prior).',
  usage: '<data> --dictionary <file> [options]',
  description: 'The dictionary file holds one atom per row (nAtoms × nFeatures), in any data format elbo reads;\n' +
    '`elbo dictlearn --out dict.csv` writes one. The codes (N × nAtoms) go to --out, or to stdout.',
  positionals: [1, 1],
  options: {
    dictionary: { type: 'string', short: 'd', value: 'FILE', help: 'the dictionary, nAtoms × nFeatures (required)' },
    alpha: { type: 'string', short: 'a', value: 'A', help: 'weight of the ℓ1 penalty (default 1)' },
    algorithm: { type: 'string', value: 'ALG', help: 'cd (coordinate descent, default), fista or ista' },
    'max-iter': { type: 'string', value: 'N', help: 'iterations at most per signal (default 1000)' },
    tol: { type: 'string', value: 'TOL', help: 'stop a signal when its duality gap ≤ tol·‖x‖² (default 1e-6)' },
    positive: { type: 'boolean', help: 'constrain the codes to h ≥ 0' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the codes here (.csv, .tsv, .json or .npy; default stdout)' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo encode data.csv --dictionary dict.csv --alpha 0.1 --out codes.csv',
    'elbo encode digits --dictionary atoms.npy --alpha 1 --algorithm fista --positive --out codes.npy',
  ],
  async run(args) {
    const dictFile = str(args, 'dictionary');
    if (!dictFile) throw new UsageError('elbo encode needs --dictionary <file> (see elbo encode --help)');
    const options = {
      alpha: num(args, 'alpha', 1, 0),
      algorithm: choice(args, 'algorithm', ALGORITHMS, 'cd'),
      maxIter: int(args, 'max-iter', 1000, 1),
      tol: num(args, 'tol', 1e-6, 0),
      positive: flag(args, 'positive'),
    };
    const r = Reporter.fromArgs(args);
    const out = str(args, 'out', '-');
    if (out === '-') r.dataOnStdout();
    const X = await readMatrix(args.positionals[0], dataOptions(args));
    const D = await readMatrix(dictFile);
    const res = sparseEncode(X, D, { ...options, onWarning: (m) => r.warn(m) });
    writeMatrix(out, res.codes);
    let nonzero = 0, objective = 0;
    for (let i = 0; i < res.codes.data.length; i++) if (res.codes.data[i] !== 0) nonzero++;
    for (let i = 0; i < res.objective.length; i++) objective += res.objective[i] / res.objective.length;
    const density = nonzero / res.codes.data.length;
    r.say(`encoded ${X.rows} rows over ${D.rows} atoms (${options.algorithm}, α = ${options.alpha}): ${(100 * density).toFixed(1)}% non-zero codes, mean objective ${objective.toPrecision(6)}, ${res.converged ? 'all converged' : 'not all converged (raise --max-iter or --tol)'}`);
    if (out !== '-') r.say(`wrote ${out}`);
    r.result({ command: 'encode', rows: X.rows, atoms: D.rows, ...options, density, meanObjective: objective, converged: res.converged, written: out === '-' ? [] : [out] });
  },
};
