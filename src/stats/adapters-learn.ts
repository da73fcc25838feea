/**
 * The statistics-protocol adapters of MiniBatchDictionaryLearning (full-batch statistics: one
 * pass over every shard per iteration) and BinarySparseCoding (variational EM whose E-step
 * starts from the prior means, fit's `eStepStart: 'prior'`).
 */
import { BinarySparseCoding, type BinarySparseCodingJSON, type BscStatistics } from '../meanfield/BinarySparseCoding.js';
import { fitMessage } from '../meanfield/guards.js';
import { ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix } from '../runtime/matrix.js';
import { checkInteger, checkNonNegative } from '../runtime/validate.js';
import { Random } from '../runtime/random.js';
import { initialAtoms } from '../sparse/atoms.js';
import { atomsFor, type ResolvedLearnOptions } from '../sparse/learn.js';
import { MiniBatchDictionaryLearning, type DictionaryStats } from '../sparse/MiniBatchDictionaryLearning.js';
import { exponentOf, scalePow2, scaledCopy } from '../sparse/scale.js';
import { requireSample, type Adapter } from './adapter.js';

/** The constructor options a worker rebuilds a dictionary learner from (no callbacks, no dictInit). */
function learnerOptions(o: ResolvedLearnOptions) {
  const { nComponents, alpha, fitAlgorithm, transformAlgorithm, transformAlpha, transformMaxIter, transformTol, positiveCode, positiveDict, seed, engine } = o;
  return { nComponents, alpha, fitAlgorithm, transformAlgorithm, transformAlpha, transformMaxIter, transformTol, positiveCode, positiveDict, seed, engine };
}

interface LearnerSnapshot {
  options: ReturnType<typeof learnerOptions>;
  V: number[];
  K: number;
  F: number;
  exponent: number;
  f32: boolean;
}

type LearnerState = NonNullable<MiniBatchDictionaryLearning['state']>;

/**
 * MiniBatchDictionaryLearning: atoms from dictInit (as given) or from the sample's rows (as fit
 * draws them from X); the frame's power of two from the largest |x| over all shards, so every
 * shard is rescaled alike. The bound is the mean objective per row at encoding time (it falls);
 * the loop stops when it changes by less than tol.
 */
export const dictionaryAdapter: Adapter<MiniBatchDictionaryLearning, DictionaryStats> = {
  kind: 'MiniBatchDictionaryLearning',
  owns: (model): model is MiniBatchDictionaryLearning => model instanceof MiniBatchDictionaryLearning,
  needsSample: () => true,
  start(m, sample) {
    const X = requireSample(sample, 'MiniBatchDictionaryLearning');
    const o = m['o'];
    const K = atomsFor(o, X.cols);
    const exponent = exponentOf(sample!.maxAbs);
    const rng = new Random(o.seed);
    const V = o.dictInit ? Float64Array.from(o.dictInit.data) : initialAtoms({ data: scaledCopy(X.data, -exponent), rows: X.rows, cols: X.cols }, K, rng, o.positiveDict);
    m['state'] = { V, A: new Float64Array(K * K), Bt: new Float64Array(K * X.cols), K, F: X.cols, steps: 0, rng, exponent };
  },
  loop(m) {
    const o = m['o'];
    return {
      maxIter: m['maxIter'], tol: o.tol,
      onIteration: o.onIteration && ((info) => o.onIteration!({ iteration: info.iteration, objective: info.lowerBound, error: info.lowerBound })),
      notConverged: o.tol > 0 ? `MiniBatchDictionaryLearning did not converge in ${m['maxIter']} iterations (last change of the objective above tol = ${o.tol}); try a larger maxIter or tol` : null,
      warn: o.onWarning,
    };
  },
  snapshot(m) {
    const st = m['state']!;
    const snap: LearnerSnapshot = { options: learnerOptions(m['o']), V: Array.from(st.V), K: st.K, F: st.F, exponent: st.exponent, f32: st.V instanceof Float32Array };
    return { kind: 'MiniBatchDictionaryLearning', model: snap };
  },
  partialStats(s, X) {
    const snap = s.model as LearnerSnapshot;
    const m = new MiniBatchDictionaryLearning(snap.options);
    const make = snap.f32 ? Float32Array : Float64Array;
    const x = toMatrix(X, 'X');
    m['state'] = {
      V: make.from(snap.V), A: new make(snap.K * snap.K), Bt: new make(snap.K * snap.F), K: snap.K, F: snap.F, steps: 0,
      rng: new Random(snap.options.seed), exponent: snap.exponent,
    } as LearnerState;
    // Shards are read in their file's element type; the model's decides.
    const data = x.data instanceof make ? x.data : make.from(x.data);
    return m.partialStats({ data, rows: x.rows, cols: x.cols } as Matrix);
  },
  mergeStats: (a, b) => MiniBatchDictionaryLearning.mergeStats(a, b),
  mStep(m, stats) {
    const objective = scalePow2(stats.objective / stats.n, 2 * stats.exponent);
    m.mStep(stats);
    return objective;
  },
  save: (m) => ({ state: m['state'], history: m['history'], epochs: m['epochs'], done: m['done'] }),
  restore(m, saved) {
    const s = saved as { state: MiniBatchDictionaryLearning['state']; history: number[]; epochs: number; done: boolean };
    m['state'] = s.state;
    m['history'] = s.history;
    m['epochs'] = s.epochs;
    m['done'] = s.done;
  },
  commit(m, r) {
    m['history'] = r.lowerBoundHistory;
    m['epochs'] = r.nIter;
    m['done'] = r.converged;
  },
};

/**
 * BinarySparseCoding: starts from its parameters when it has them (constructed with W, or
 * fitted), else from fit's seeded initialisation on the sample. Loop options are fit's
 * (maxIter 100, tol 1e-6, inferMaxIter 20, inferTol 1e-6).
 */
export const binarySparseCodingAdapter: Adapter<BinarySparseCoding, BscStatistics> = {
  kind: 'BinarySparseCoding',
  owns: (model): model is BinarySparseCoding => model instanceof BinarySparseCoding,
  needsSample: (m) => m['params'] === null,
  start(m, sample) {
    if (m['params']) return;
    const X = requireSample(sample, 'BinarySparseCoding');
    if (X.rows < 2) throw new ValueError(`BinarySparseCoding needs at least 2 rows to start; the shards hold ${X.rows}`);
    m['params'] = m['initialParams'](X.data, X.rows, X.cols);
  },
  loop(m, o) {
    const maxIter = checkInteger(o.maxIter ?? 100, 'maxIter', 1), tol = checkNonNegative(o.tol ?? 1e-6, 'tol');
    return {
      maxIter, tol, onIteration: o.onIteration, warn: m['onWarning'],
      notConverged: tol > 0 ? fitMessage('BinarySparseCoding', maxIter, tol) : null,
    };
  },
  snapshot: (m, o) => ({
    kind: 'BinarySparseCoding', model: m.toJSON(),
    stats: { inferMaxIter: checkInteger(o.inferMaxIter ?? 20, 'inferMaxIter', 1), inferTol: checkNonNegative(o.inferTol ?? 1e-6, 'inferTol') },
  }),
  partialStats: (s, X) => BinarySparseCoding.fromJSON(s.model as BinarySparseCodingJSON).partialStats(X, s.stats),
  mergeStats: (a, b) => BinarySparseCoding.mergeStats(a, b),
  mStep(m, stats) {
    m.mStep(stats);
    return stats.sumBound / stats.N;
  },
  save: (m) => ({ params: m['params'], history: m['history'], fitInfo: m['fitInfo'] }),
  restore(m, saved) {
    const s = saved as { params: BinarySparseCoding['params']; history: number[]; fitInfo: BinarySparseCoding['fitInfo'] };
    m['params'] = s.params;
    m['history'] = s.history;
    m['fitInfo'] = s.fitInfo;
  },
  commit(m, r) {
    m['history'] = r.lowerBoundHistory;
    m['fitInfo'] = { converged: r.converged, nIter: r.nIter };
  },
};
