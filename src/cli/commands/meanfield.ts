/** `elbo meanfield`: binary sparse coding learned by variational EM with mean-field E-steps. */
import { BinarySparseCoding } from '../../meanfield/index.js';
import { boundSpec, tilesSpec } from '../../plot/index.js';
import { DATA_OPTIONS, flagName, int, num, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { UsageError } from '../errors.js';
import { plotWriter } from '../plot.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions, imageShape, inCommandTerms, inRowBlocks } from './shared.js';

/** `elbo meanfield`. */
export const meanfield: Command = {
  name: 'meanfield',
  summary: 'Learn binary sparse coding (binary causes h, v ~ N(Wh, β⁻¹)) by variational EM with mean-field E-steps.',
  usage: '<data> --hidden <n> [options]',
  description: 'q(h) = Π Bern(ĥ_i) per row; the bound per row never decreases. --codes writes the posterior means ĥ (N × n).',
  positionals: [1, 1],
  options: {
    hidden: { type: 'string', short: 'n', value: 'N', help: 'number of binary latent units (required)' },
    'max-iter': { type: 'string', value: 'N', help: 'variational EM iterations at most (default 100)' },
    tol: { type: 'string', value: 'TOL', help: 'stop when the mean bound per row changes by less than this (default 1e-6)' },
    'infer-iter': { type: 'string', value: 'N', help: 'mean-field sweeps per E-step (default 20)' },
    seed: { type: 'string', value: 'S', help: 'random seed of the initial W (default 0)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the learned model (W, b, β) as JSON (read by elbo predict)' },
    codes: { type: 'string', value: 'FILE', help: 'write the posterior means ĥ of the rows, N × n' },
    plot: { type: 'string', value: 'FILE', help: 'SVG (or .json: its Vega-Lite specification): the columns of W as image tiles' },
    'image-shape': { type: 'string', value: 'HxW', help: 'shape of one tile (default square when the features are a square number)' },
    'bound-plot': { type: 'string', value: 'FILE', help: 'SVG (or .json): the bound per iteration' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo meanfield data.csv --hidden 8 --out bsc.json --codes hhat.csv --plot atoms.svg',
    'elbo meanfield digits --hidden 16 --max-iter 30 --plot digits-bsc.svg --bound-plot bound.svg',
  ],
  async run(args) {
    if (args.values.hidden === undefined) throw new UsageError('elbo meanfield needs --hidden <n> (see elbo meanfield --help)');
    const nHidden = int(args, 'hidden', 1, 1);
    const maxIter = int(args, 'max-iter', 100, 1);
    const fitOptions = { maxIter, tol: num(args, 'tol', 1e-6, 0), inferMaxIter: int(args, 'infer-iter', 20, 1) };
    const seed = int(args, 'seed', 0, -(2 ** 31));
    const outputs = new Outputs();
    const out = outputs.add(flagName(args, 'out'), str(args, 'out'));
    const codes = outputs.add('--codes', str(args, 'codes'));
    const plot = outputs.add('--plot', str(args, 'plot'));
    const boundPlot = outputs.add('--bound-plot', str(args, 'bound-plot'));
    const r = Reporter.fromArgs(args);
    const source = args.positionals[0];
    const X = await readMatrix(source, dataOptions(args));
    const shape = imageShape(str(args, 'image-shape'), X.cols);
    const plots = await plotWriter([plot, boundPlot]);
    const progress = r.progress('meanfield', maxIter);
    let model: BinarySparseCoding;
    try {
      const names = { nHidden: 'hidden', maxIter: 'max-iter', tol: 'tol', inferMaxIter: 'infer-iter', seed: 'seed', X: `file:${source}`, V: `file:${source}` };
      model = inCommandTerms(args, names, () => new BinarySparseCoding({ nHidden, seed, onWarning: (m) => r.warn(m) }).fit(X, { ...fitOptions, onIteration: progress }));
    } finally {
      progress.end();
    }
    const history = model.lowerBoundHistory;
    const W = model.W;
    if (out) outputs.json(out, model.toJSON());
    if (codes) {
      // Mean-field per block of rows (as elbo predict does), with a progress line.
      const fitted = model;
      const H = new Float64Array(X.rows * nHidden);
      inRowBlocks(X, r, 'codes', (block, start) => H.set(fitted.infer(block).hHat.data, start * nHidden));
      outputs.matrix(codes, { data: H, rows: X.rows, cols: nHidden });
    }
    if (plot) {
      outputs.text(plot, await plots.render(plot, tilesSpec(W, { layout: 'columns', shape: shape ?? [1, W.rows], title: `Binary sparse coding: the ${W.cols} columns of W` })));
    }
    if (boundPlot) {
      outputs.text(boundPlot, await plots.render(boundPlot, boundSpec(history, { title: 'Binary sparse coding: the bound per variational EM iteration', ylabel: 'mean bound per row' })));
    }
    outputs.commit();
    const written = outputs.files;
    const final = history[history.length - 1];
    r.say(`BinarySparseCoding: ${nHidden} binary units on ${X.rows} rows × ${X.cols} features`);
    r.say(`${model.converged ? 'converged' : 'did not converge'} after ${model.nIter} iterations; mean bound per row ${final.toFixed(6)}`);
    r.say(`prior p(h_i = 1): ${Array.from(model.b, (b) => (1 / (1 + Math.exp(-b))).toFixed(3)).join(' ')}`);
    if (written.length) r.say(`wrote ${written.join(', ')}`);
    r.result({ command: 'meanfield', rows: X.rows, cols: X.cols, nHidden, converged: model.converged, nIter: model.nIter, lowerBound: final, lowerBoundHistory: history, written });
  },
};
