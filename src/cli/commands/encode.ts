/** `elbo encode`: sparse codes of the rows of a data file over a given dictionary (the lasso). */
import { sparseEncode } from '../../sparse/index.js';
import { choice, DATA_OPTIONS, flag, flagName, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { UsageError } from '../errors.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions, inCommandTerms, inRowBlocks } from './shared.js';

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
    const outputs = new Outputs();
    const out = outputs.add(flagName(args, 'out'), str(args, 'out', '-')) as string;
    const r = Reporter.fromArgs(args);
    if (out === '-') r.dataOnStdout();
    const source = args.positionals[0];
    const X = await readMatrix(source, dataOptions(args));
    const D = await readMatrix(dictFile);
    const names = { alpha: 'alpha', algorithm: 'algorithm', maxIter: 'max-iter', tol: 'tol', X: `file:${source}`, dictionary: `file:${dictFile}` };
    // The lasso is solved row by row, so blocks of rows give the same codes with a progress line.
    const codes = new (X.data instanceof Float32Array ? Float32Array : Float64Array)(X.rows * D.rows);
    const obj = new Float64Array(X.rows);
    let converged = true;
    const warnings: string[] = [];
    inCommandTerms(args, names, () => inRowBlocks(X, r, 'encode', (block, start) => {
      const res = sparseEncode(block, D, { ...options, onWarning: (m) => warnings.push(m) });
      codes.set(res.codes.data, start * D.rows);
      obj.set(res.objective, start);
      converged &&= res.converged;
    }));
    // One warning for the whole file, not one per block of rows.
    if (warnings.length) r.warn(warnings[0] + (warnings.length > 1 ? ` (the same in ${warnings.length - 1} more block${warnings.length > 2 ? 's' : ''} of rows)` : ''));
    const res = { codes: { data: codes, rows: X.rows, cols: D.rows }, objective: obj, converged };
    outputs.matrix(out, res.codes);
    outputs.commit();
    let nonzero = 0, objective = 0;
    for (let i = 0; i < res.codes.data.length; i++) if (res.codes.data[i] !== 0) nonzero++;
    for (let i = 0; i < res.objective.length; i++) objective += res.objective[i] / res.objective.length;
    const density = nonzero / res.codes.data.length;
    r.say(`encoded ${X.rows} rows over ${D.rows} atoms (${options.algorithm}, α = ${options.alpha}): ${(100 * density).toFixed(1)}% non-zero codes, mean objective ${objective.toPrecision(6)}, ${res.converged ? 'all converged' : 'not all converged (raise --max-iter or --tol)'}`);
    if (out !== '-') r.say(`wrote ${out}`);
    r.result({ command: 'encode', rows: X.rows, atoms: D.rows, ...options, density, meanObjective: objective, converged: res.converged, written: out === '-' ? [] : [out] });
  },
};
