/** `elbo dictlearn`: learn a dictionary of sparse-coding atoms (batch or online). */
import { boundSpec, tilesSpec } from '../../plot/index.js';
import { DictionaryLearning, MiniBatchDictionaryLearning, SparseCoder } from '../../sparse/index.js';
import { choice, DATA_OPTIONS, flag, flagName, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { plotWriter } from '../plot.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions, imageShape, inCommandTerms, inRowBlocks } from './shared.js';

const METHODS = ['online', 'batch'] as const;
const ALGORITHMS = ['cd', 'fista', 'ista'] as const;

/** `elbo dictlearn`. */
export const dictlearn: Command = {
  name: 'dictlearn',
  summary: 'Learn a dictionary for sparse coding: min ½‖X − UV‖² + α‖U‖₁ over codes U and unit-norm atoms V.',
  usage: '<data> [options]',
  description: 'online (default): mini-batch dictionary learning (Mairal et al. 2009), --max-iter counts epochs;\n' +
    'batch: alternate an encode of all rows with a block-coordinate update of the atoms.',
  positionals: [1, 1],
  options: {
    atoms: { type: 'string', short: 'k', value: 'K', help: 'number of atoms (default: the number of features)' },
    alpha: { type: 'string', short: 'a', value: 'A', help: 'weight of the ℓ1 penalty on the codes (default 1)' },
    method: { type: 'string', value: 'M', help: 'online (default) or batch' },
    'max-iter': { type: 'string', value: 'N', help: 'epochs (online, default 10) or alternations (batch, default 1000) at most' },
    tol: { type: 'string', value: 'TOL', help: 'online: stop when an epoch moves the atoms by less than tol relatively (default 1e-3); batch: relative objective change (default 1e-8)' },
    'batch-size': { type: 'string', value: 'N', help: 'rows per mini-batch (online; default 256)' },
    algorithm: { type: 'string', value: 'ALG', help: 'lasso solver of the codes: cd, fista or ista (default cd online, fista batch)' },
    'positive-code': { type: 'boolean', help: 'constrain the codes to be ≥ 0' },
    'positive-dict': { type: 'boolean', help: 'constrain the atoms to be ≥ 0' },
    seed: { type: 'string', value: 'S', help: 'random seed (default 0)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the atoms, K × features (.csv, .tsv, .json or .npy): input of elbo encode --dictionary' },
    model: { type: 'string', value: 'FILE', help: 'write the atoms and the encoder settings as JSON (read by elbo predict)' },
    codes: { type: 'string', value: 'FILE', help: 'write the sparse codes of the rows, N × K' },
    plot: { type: 'string', value: 'FILE', help: 'SVG (or .json: its Vega-Lite specification): the atoms as image tiles' },
    'image-shape': { type: 'string', value: 'HxW', help: 'shape of one tile (default square when the features are a square number)' },
    'bound-plot': { type: 'string', value: 'FILE', help: 'SVG (or .json): the objective per epoch / alternation' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo dictlearn digits --atoms 100 --alpha 1 --max-iter 5 --plot atoms.svg --out dict.csv',
    'elbo dictlearn patches.npy --atoms 64 --method batch --alpha 0.5 --codes codes.npy --model dict.json',
  ],
  async run(args) {
    const method = choice(args, 'method', METHODS, 'online');
    const online = method === 'online';
    const maxIter = int(args, 'max-iter', online ? 10 : 1000, 1);
    const algorithm = args.values.algorithm === undefined ? undefined : choice(args, 'algorithm', ALGORITHMS, 'cd');
    const outputs = new Outputs();
    const out = outputs.add(flagName(args, 'out'), str(args, 'out'));
    const modelFile = outputs.add('--model', str(args, 'model'));
    const codes = outputs.add('--codes', str(args, 'codes'));
    const plot = outputs.add('--plot', str(args, 'plot'));
    const boundPlot = outputs.add('--bound-plot', str(args, 'bound-plot'));
    const r = Reporter.fromArgs(args);
    const source = args.positionals[0];
    const X = await readMatrix(source, dataOptions(args));
    const shape = imageShape(str(args, 'image-shape'), X.cols);
    const plots = await plotWriter([plot, boundPlot]);
    const progress = r.progress('dictlearn', maxIter, 'objective');
    let prev = Infinity;
    const base = {
      nComponents: args.values.atoms === undefined ? undefined : int(args, 'atoms', 1, 1),
      alpha: num(args, 'alpha', 1, 0),
      ...(algorithm ? { fitAlgorithm: algorithm } : {}),
      positiveCode: flag(args, 'positive-code'),
      positiveDict: flag(args, 'positive-dict'),
      seed: int(args, 'seed', 0, -(2 ** 31)),
      maxIter,
      ...(args.values.tol !== undefined ? { tol: num(args, 'tol', 0, 0) } : {}),
      onIteration: ({ iteration, objective }: { iteration: number; objective: number }) => {
        progress({ iteration, lowerBound: objective, change: objective - prev });
        prev = objective;
      },
      onWarning: (m: string) => r.warn(m),
    };
    const names = {
      nComponents: 'atoms', alpha: 'alpha', fitAlgorithm: 'algorithm', maxIter: 'max-iter', tol: 'tol', batchSize: 'batch-size',
      positiveCode: 'positive-code', positiveDict: 'positive-dict', seed: 'seed', X: `file:${source}`,
    };
    let model: DictionaryLearning | MiniBatchDictionaryLearning;
    try {
      model = inCommandTerms(args, names, () => online
        ? new MiniBatchDictionaryLearning({ ...base, batchSize: int(args, 'batch-size', 256, 1) }).fit(X)
        : new DictionaryLearning(base).fit(X));
    } finally {
      progress.end();
    }
    const V = model.components;
    if (out) outputs.matrix(out, V);
    if (modelFile) {
      // The learned dictionary with its encoder settings: what `elbo predict` applies.
      const coder = new SparseCoder({ dictionary: V, transformAlpha: base.alpha, transformAlgorithm: 'cd', positiveCode: base.positiveCode });
      outputs.json(modelFile, coder.toJSON());
    }
    let density: number | undefined;
    if (codes) {
      // The codes are row-wise lassos: blocks of rows give the same codes, with a progress line.
      const fitted = model;
      const U = new Float64Array(X.rows * V.rows);
      inRowBlocks(X, r, 'codes', (block, start) => U.set(fitted.transform(block).data, start * V.rows));
      let nz = 0;
      for (let i = 0; i < U.length; i++) if (U[i] !== 0) nz++;
      density = nz / U.length;
      outputs.matrix(codes, { data: U, rows: X.rows, cols: V.rows });
    }
    if (plot) {
      outputs.text(plot, await plots.render(plot, tilesSpec(V, { shape: shape ?? [1, V.cols], title: `${V.rows} atoms learned from ${X.rows} rows (α = ${base.alpha})` })));
    }
    if (boundPlot) {
      outputs.text(boundPlot, await plots.render(boundPlot, boundSpec(model.objectiveHistory, { title: `Dictionary learning: the objective per ${online ? 'epoch' : 'alternation'}`, xlabel: online ? 'epoch' : 'alternation', ylabel: 'mean objective per row' })));
    }
    outputs.commit();
    const written = outputs.files;
    const err = model.objectiveHistory;
    r.say(`${online ? 'MiniBatchDictionaryLearning' : 'DictionaryLearning'}: ${V.rows} atoms on ${X.rows} rows × ${X.cols} features (α = ${base.alpha})`);
    r.say(`${model.converged ? 'converged' : 'stopped'} after ${model.nIter} ${online ? 'epochs' : 'alternations'}; mean objective per row ${err[err.length - 1]?.toPrecision(7)}` +
      (density !== undefined ? `; ${(100 * density).toFixed(1)}% non-zero codes` : ''));
    if (written.length) r.say(`wrote ${written.join(', ')}`);
    r.result({ command: 'dictlearn', method, rows: X.rows, cols: X.cols, atoms: V.rows, alpha: base.alpha, converged: model.converged, nIter: model.nIter, objectiveHistory: err, density: density ?? null, written });
  },
};
