/** `elbo dictlearn`: learn a dictionary of sparse-coding atoms (batch or online). */
import { boundSpec, tilesSpec } from '../../plot/index.js';
import { DictionaryLearning, MiniBatchDictionaryLearning, SparseCoder } from '../../sparse/index.js';
import { choice, DATA_OPTIONS, flag, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { plotWriter } from '../plot.js';
import { Reporter } from '../report.js';
import { writeJson, writeMatrix } from '../write.js';
import { dataOptions, imageShape } from './shared.js';

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
    const r = Reporter.fromArgs(args);
    const X = await readMatrix(args.positionals[0], dataOptions(args));
    const shape = imageShape(str(args, 'image-shape'), X.cols);
    const plot = str(args, 'plot'), boundPlot = str(args, 'bound-plot');
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
    let model: DictionaryLearning | MiniBatchDictionaryLearning;
    try {
      model = online
        ? new MiniBatchDictionaryLearning({ ...base, batchSize: int(args, 'batch-size', 256, 1) }).fit(X)
        : new DictionaryLearning(base).fit(X);
    } finally {
      progress.end();
    }
    const V = model.components;
    const written: string[] = [];
    const out = str(args, 'out'), modelFile = str(args, 'model'), codes = str(args, 'codes');
    if (out) { writeMatrix(out, V); written.push(out); }
    if (modelFile) {
      // The learned dictionary with its encoder settings: what `elbo predict` applies.
      const coder = new SparseCoder({ dictionary: V, transformAlpha: base.alpha, transformAlgorithm: 'cd', positiveCode: base.positiveCode });
      writeJson(modelFile, coder.toJSON());
      written.push(modelFile);
    }
    let density: number | undefined;
    if (codes) {
      const U = model.transform(X);
      let nz = 0;
      for (let i = 0; i < U.data.length; i++) if (U.data[i] !== 0) nz++;
      density = nz / U.data.length;
      writeMatrix(codes, U);
      written.push(codes);
    }
    if (plot) {
      await plots.write(plot, tilesSpec(V, { shape: shape ?? [1, V.cols], title: `${V.rows} atoms learned from ${X.rows} rows (α = ${base.alpha})` }));
      written.push(plot);
    }
    if (boundPlot) {
      await plots.write(boundPlot, boundSpec(model.objectiveHistory, { title: `Dictionary learning: the objective per ${online ? 'epoch' : 'alternation'}`, xlabel: online ? 'epoch' : 'alternation', ylabel: 'mean objective per row' }));
      written.push(boundPlot);
    }
    const err = model.objectiveHistory;
    r.say(`${online ? 'MiniBatchDictionaryLearning' : 'DictionaryLearning'}: ${V.rows} atoms on ${X.rows} rows × ${X.cols} features (α = ${base.alpha})`);
    r.say(`${model.converged ? 'converged' : 'stopped'} after ${model.nIter} ${online ? 'epochs' : 'alternations'}; mean objective per row ${err[err.length - 1]?.toPrecision(7)}` +
      (density !== undefined ? `; ${(100 * density).toFixed(1)}% non-zero codes` : ''));
    if (written.length) r.say(`wrote ${written.join(', ')}`);
    r.result({ command: 'dictlearn', method, rows: X.rows, cols: X.cols, atoms: V.rows, alpha: base.alpha, converged: model.converged, nIter: model.nIter, objectiveHistory: err, density: density ?? null, written });
  },
};
