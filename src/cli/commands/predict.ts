/** `elbo predict`: apply a model saved by gmm, bgmm, meanfield, dictlearn or lista (or a saved BscEncoder) to a data file. */
import { BayesianGaussianMixture, GaussianMixture, type BayesianGaussianMixtureJSON, type GaussianMixtureJSON } from '../../mixture/index.js';
import type { Matrix } from '../../runtime/matrix.js';
import { choice, DATA_OPTIONS, flagName, str, type Command } from '../args.js';
import { readMatrix } from '../data.js';
import { DataError } from '../errors.js';
import { Reporter } from '../report.js';
import { Outputs } from '../outputs.js';
import { BinarySparseCoding, type BinarySparseCodingJSON } from '../../meanfield/index.js';
import { SparseCoder, type SparseCoderJSON } from '../../sparse/index.js';
import { BscEncoder, LISTA, type BscEncoderJSON, type LISTAJSON } from '../../learned/index.js';
import { dataOptions, inCommandTerms, inModelFile, inRowBlocks, readModelJson } from './shared.js';

const OUTPUTS = ['labels', 'proba', 'scores', 'codes'] as const;
type Output = (typeof OUTPUTS)[number];

type ModelFile = GaussianMixtureJSON | BayesianGaussianMixtureJSON | BinarySparseCodingJSON | SparseCoderJSON | LISTAJSON | BscEncoderJSON;
const KINDS: Record<ModelFile['kind'], { outputs: Output[]; from: string }> = {
  GaussianMixture: { outputs: ['labels', 'proba', 'scores'], from: 'elbo gmm --out' },
  BayesianGaussianMixture: { outputs: ['labels', 'proba', 'scores'], from: 'elbo bgmm --out' },
  BinarySparseCoding: { outputs: ['codes', 'scores'], from: 'elbo meanfield --out' },
  SparseCoder: { outputs: ['codes'], from: 'elbo dictlearn --model' },
  LISTA: { outputs: ['codes'], from: 'elbo lista --save' },
  BscEncoder: { outputs: ['codes', 'scores'], from: 'BscEncoder.toJSON()' },
};

/** A loaded model, as a function from a block of rows to its output. */
function loader(model: ModelFile, output: Output): (X: Matrix) => Matrix | Int32Array {
  const column = (v: Float64Array): Matrix => ({ data: v, rows: v.length, cols: 1 });
  switch (model.kind) {
    case 'GaussianMixture':
    case 'BayesianGaussianMixture': {
      const m = model.kind === 'GaussianMixture' ? GaussianMixture.fromJSON(model) : BayesianGaussianMixture.fromJSON(model);
      return (X) => (output === 'labels' ? m.predict(X) : output === 'proba' ? m.predictProba(X) : column(m.scoreSamples(X)));
    }
    case 'BinarySparseCoding': {
      const b = BinarySparseCoding.fromJSON(model);
      return (X) => { const q = b.infer(X); return output === 'codes' ? q.hHat : column(q.elbo); };
    }
    case 'SparseCoder': {
      const c = SparseCoder.fromJSON(model);
      return (X) => c.transform(X);
    }
    case 'LISTA': {
      const l = LISTA.fromJSON(model);
      return (X) => l.transform(X);
    }
    case 'BscEncoder': {
      // The mean-field sweeps of the saved model, started from the encoder's guess.
      const e = BscEncoder.fromJSON(model);
      return (X) => { const q = e.model.infer(X, { init: e }); return output === 'codes' ? q.hHat : column(q.elbo); };
    }
  }
}

/** Row blocks' results stacked into one (labels, or a matrix of the blocks' element type). */
function stack(parts: (Matrix | Int32Array)[]): Matrix | Int32Array {
  if (parts[0] instanceof Int32Array) {
    const all = new Int32Array(parts.reduce((n, p) => n + (p as Int32Array).length, 0));
    let at = 0;
    for (const p of parts as Int32Array[]) { all.set(p, at); at += p.length; }
    return all;
  }
  const ms = parts as Matrix[];
  const rows = ms.reduce((n, m) => n + m.rows, 0), cols = ms[0].cols;
  const data = new (ms[0].data instanceof Float32Array ? Float32Array : Float64Array)(rows * cols);
  let at = 0;
  for (const m of ms) { data.set(m.data, at); at += m.data.length; }
  return { data, rows, cols };
}

/** `elbo predict`. */
export const predict: Command = {
  name: 'predict',
  summary: 'Apply a saved model to data: mixture labels, responsibilities or log-densities; binary or sparse codes.',
  usage: '<model.json> <data> [options]',
  description: 'Models come from elbo gmm/bgmm/meanfield --out, elbo dictlearn --model and elbo lista --save. --output picks what to write:\n' +
    '  mixtures: labels (default), proba (N × K responsibilities), scores (log p(x) per row)\n' +
    '  meanfield (and a saved BscEncoder): codes (default: posterior means ĥ), scores (the bound per row);\n' +
    '  dictlearn, lista: codes (default).',
  positionals: [2, 2],
  options: {
    output: { type: 'string', value: 'WHAT', help: `${OUTPUTS.join(', ')} (default: labels for mixtures, codes otherwise)` },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write here (.csv, .tsv, .json or .npy; default stdout)' },
    ...DATA_OPTIONS,
  },
  examples: [
    'elbo predict model.json new.csv > labels.csv',
    'elbo predict model.json new.csv --output proba --out proba.npy',
    'elbo predict bsc.json data.csv --output codes --out hhat.csv',
  ],
  async run(args) {
    const [modelFile, dataFile] = args.positionals;
    const outputs = new Outputs();
    const out = outputs.add(flagName(args, 'out'), str(args, 'out', '-')) as string;
    const r = Reporter.fromArgs(args);
    const model = await readModelJson(modelFile) as ModelFile;
    const kind = KINDS[(model as { kind?: string })?.kind as ModelFile['kind']];
    if (!kind) throw new DataError(`${modelFile}: not an elbo model (expected "kind" to be one of ${Object.keys(KINDS).join(', ')})`);
    const output = choice(args, 'output', OUTPUTS, kind.outputs[0]);
    if (!kind.outputs.includes(output)) throw new DataError(`--output ${output} does not apply to a ${model.kind}; use ${kind.outputs.join(' or ')}`);
    if (out === '-') r.dataOnStdout();
    const apply = inModelFile(modelFile, () => loader(model, output));
    // A mixture saved with missing: 'marginalize' scores rows with missing values: read them as NaN.
    const missing = (model as { options?: { missing?: unknown } }).options?.missing === 'marginalize';
    const X = await readMatrix(dataFile, { ...dataOptions(args), missing });
    const parts: (Matrix | Int32Array)[] = [];
    inCommandTerms(args, { X: `file:${dataFile}`, V: `file:${dataFile}` }, () => inRowBlocks(X, r, 'predict', (block) => parts.push(apply(block))));
    const result = stack(parts);
    if (result instanceof Int32Array) outputs.labels(out, result);
    else outputs.matrix(out, result);
    outputs.commit();
    if (out !== '-') r.say(`${model.kind}: wrote ${output} of ${X.rows} rows to ${out}`);
    r.result({ command: 'predict', kind: model.kind, output, rows: X.rows, written: outputs.files });
  },
};
