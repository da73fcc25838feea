/**
 * `elbo lista`: train a LISTA network (learned ISTA) on a data file against a dictionary's lasso
 * codes and save it, or apply a saved one: the codes of every row after its T layers.
 */
import { LISTA, type LISTAJSON } from '../../learned/index.js';
import { DATA_OPTIONS, flag, flagName, int, num, str, type Command, type ParsedArgs } from '../args.js';
import { readMatrix } from '../data.js';
import { DataError, UsageError } from '../errors.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { dataOptions, inCommandTerms, inModelFile, inRowBlocks, readModelJson } from './shared.js';

/** The options that define and train a network: meaningless with --model, which applies a trained one. */
const TRAINING = ['dictionary', 'alpha', 'layers', 'epochs', 'learning-rate', 'batch-size', 'seed', 'positive', 'save'] as const;

/**
 * The library's names of the training options, for errors the model raises (inCommandTerms).
 * 'dictionary' stays: the library says "the features of the dictionary", which reads right.
 */
function trainingNames(source: string): Record<string, string> {
  return { alpha: 'alpha', nLayers: 'layers', epochs: 'epochs', learningRate: 'learning-rate', batchSize: 'batch-size', seed: 'seed', X: `file:${source}` };
}

/** Refuses a command line that mixes --model with training options, or has neither --model nor --dictionary. */
function checkMode(args: ParsedArgs): 'train' | 'apply' {
  const given = TRAINING.filter((o) => args.values[o] !== undefined);
  if (str(args, 'model') !== undefined) {
    if (given.length) {
      throw new UsageError(`--model applies a saved network; ${given.map((o) => flagName(args, o)).join(', ')} ${given.length > 1 ? 'are' : 'is'} for training one: drop ${given.length > 1 ? 'them' : 'it'} or --model (see elbo lista --help)`);
    }
    return 'apply';
  }
  if (str(args, 'dictionary') === undefined) {
    throw new UsageError('elbo lista needs --dictionary <file> (to train a network) or --model <file> (to apply a saved one) (see elbo lista --help)');
  }
  return 'train';
}

async function runLista(args: ParsedArgs): Promise<void> {
  const mode = checkMode(args);
  const train = mode === 'train';
  const options = train ? {
    alpha: num(args, 'alpha', 1, 0),
    nLayers: int(args, 'layers', 3, 1),
    epochs: int(args, 'epochs', 100, 1),
    learningRate: num(args, 'learning-rate', 1e-3, 0),
    batchSize: int(args, 'batch-size', 64, 1),
    seed: int(args, 'seed', 0, -(2 ** 31)),
    positive: flag(args, 'positive'),
  } : null;
  // Every output path is checked before any work; all are written, or none. Without --save the
  // codes are the output, so they go to stdout when --out is not given.
  const outputs = new Outputs();
  const save = outputs.add('--save', str(args, 'save'));
  const out = outputs.add(flagName(args, 'out'), str(args, 'out') ?? (save ? undefined : '-'));
  const r = Reporter.fromArgs(args);
  if (out === '-') r.dataOnStdout();
  const source = args.positionals[0];
  let lista: LISTA;
  let X: Awaited<ReturnType<typeof readMatrix>>;
  if (options) {
    const dictFile = str(args, 'dictionary') as string;
    X = await readMatrix(source, dataOptions(args));
    const D = await readMatrix(dictFile);
    const progress = r.progress('lista', options.epochs, 'loss');
    let prev = Infinity;
    try {
      lista = inCommandTerms(args, trainingNames(source), () => new LISTA({
        ...options, dictionary: D, onWarning: (m) => r.warn(m),
        onEpoch: (epoch, loss) => { progress({ iteration: epoch, lowerBound: loss, change: loss - prev }); prev = loss; },
      }).fit(X));
    } finally {
      progress.end();
    }
  } else {
    const modelFile = str(args, 'model') as string;
    const json = await readModelJson(modelFile);
    const kind = (json as { kind?: unknown } | null)?.kind;
    if (kind !== 'LISTA') throw new DataError(`${modelFile}: not a LISTA model (its "kind" is ${JSON.stringify(kind)}; elbo lista --save writes one; other models go to elbo predict)`);
    lista = inModelFile(modelFile, () => LISTA.fromJSON(json as LISTAJSON));
    X = await readMatrix(source, dataOptions(args));
  }
  if (save) outputs.json(save, lista.toJSON());
  let density: number | undefined;
  if (out) {
    // The layers act on each row alone: blocks of rows give the same codes, with a progress line.
    const codes = new (X.data instanceof Float32Array ? Float32Array : Float64Array)(X.rows * lista.nAtoms);
    inCommandTerms(args, { X: `file:${source}` }, () => inRowBlocks(X, r, 'lista', (block, start) => codes.set(lista.transform(block).data, start * lista.nAtoms)));
    let nonzero = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i] !== 0) nonzero++;
    density = nonzero / codes.length;
    outputs.matrix(out, { data: codes, rows: X.rows, cols: lista.nAtoms });
  }
  outputs.commit();
  const written = outputs.files;
  const loss = lista.lossHistory;
  const what = `LISTA: ${lista.nLayers} layers, ${lista.nAtoms} atoms × ${lista.nFeatures} features (α = ${lista.alpha})`;
  if (train) r.say(`${what}, trained ${loss.length} epochs on ${X.rows} rows: mean squared code error ${loss[0]?.toPrecision(4)} (epoch 1) → ${loss[loss.length - 1]?.toPrecision(4)}`);
  else r.say(`${what}, applied to ${X.rows} rows`);
  if (density !== undefined) r.say(`${(100 * density).toFixed(1)}% non-zero codes`);
  if (written.length) r.say(`wrote ${written.join(', ')}`);
  r.result({
    command: 'lista', mode, rows: X.rows, atoms: lista.nAtoms, features: lista.nFeatures, nLayers: lista.nLayers, alpha: lista.alpha,
    lossHistory: [...loss], density: density ?? null, written,
  });
}

/** `elbo lista`. */
export const lista: Command = {
  name: 'lista',
  summary: 'Learned ISTA: train T unrolled layers to predict the lasso codes of a dictionary, or apply a saved network.',
  usage: '<data> (--dictionary <file> | --model <file>) [options]',
  description: 'Training (--dictionary): the network starts as T ISTA steps and learns its weights and thresholds by Adam\n' +
    'on the mean squared error against the optimal lasso codes of <data> (elbo encode\'s, with the same --alpha).\n' +
    '--save writes the network as JSON; --out writes the codes of <data> after the T layers (to stdout without --save).\n' +
    'Applying (--model): the codes of <data> from a network saved by --save (also: elbo predict model.json <data>).',
  positionals: [1, 1],
  options: {
    dictionary: { type: 'string', short: 'd', value: 'FILE', help: 'train on this dictionary, nAtoms × nFeatures (any data format elbo reads)' },
    model: { type: 'string', short: 'm', value: 'FILE', help: 'apply a network saved by --save instead of training one' },
    alpha: { type: 'string', short: 'a', value: 'A', help: 'weight of the ℓ1 penalty of the lasso (default 1)' },
    layers: { type: 'string', value: 'T', help: 'unrolled layers (default 3)' },
    epochs: { type: 'string', value: 'N', help: 'passes over the rows (default 100)' },
    'learning-rate': { type: 'string', value: 'LR', help: "Adam's step size, > 0 (default 1e-3)" },
    'batch-size': { type: 'string', value: 'N', help: 'rows per mini-batch (default 64)' },
    seed: { type: 'string', value: 'S', help: 'seed of the mini-batch shuffle (default 0)' },
    positive: { type: 'boolean', help: 'codes constrained to h ≥ 0' },
    save: { type: 'string', value: 'FILE', help: 'write the trained network as JSON (LISTA.fromJSON, elbo lista --model and elbo predict read it)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the codes, N × nAtoms (.csv, .tsv, .json or .npy; default stdout unless --save)' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo lista digits --dictionary atoms.npy --alpha 0.1 --layers 3 --epochs 50 --save lista.json',
    'elbo lista new.csv --model lista.json --out codes.npy',
  ],
  run: runLista,
};
