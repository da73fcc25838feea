// Fuzzed entry points of sparse coding: sparseEncode, SparseCoder (constructor, transform,
// fromJSON), DictionaryLearning and MiniBatchDictionaryLearning (constructor, fit, partialFit,
// transform). Finite results or a typed error naming an argument; a failed call changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DictionaryLearning, MiniBatchDictionaryLearning, SparseCoder, sparseEncode, type Matrix, type MatrixLike,
} from '../../src/index.js';
import {
  anyValue, attempt, build, expectFinite, expectSameResult, malformedMatrix, matrixCase, optionsOf, runs,
  SCALE_CLASSES, VALUE_CLASSES, type MatrixCase, type ValueClass,
} from './fuzz.js';
import { PENDING } from './pending.js';

const ENCODE_OPTIONS = ['alpha', 'algorithm', 'maxIter', 'tol', 'positive', 'init', 'gram', 'engine', 'options'];
const LEARN_OPTIONS = [
  'nComponents', 'alpha', 'tol', 'fitAlgorithm', 'transformAlgorithm', 'transformAlpha', 'transformMaxIter', 'transformTol',
  'positiveCode', 'positiveDict', 'dictInit', 'seed', 'engine', 'maxIter', 'batchSize', 'shuffle', 'options',
];
const ARG_NAMES = ['X', 'dictionary', 'json', 'D', ...ENCODE_OPTIONS, ...LEARN_OPTIONS];

const CLASSES: readonly ValueClass[] = VALUE_CLASSES.filter((c) => !(PENDING.sparseScale && SCALE_CLASSES.includes(c)));

/** Settings of the lasso: small iteration counts keep every case fast. */
const encodeSettings = fc.record({
  alpha: fc.constantFrom(0, 0.01, 0.5, 2),
  algorithm: fc.constantFrom('cd', 'fista', 'ista'),
  maxIter: fc.integer({ min: 1, max: 60 }),
  tol: fc.constantFrom(0, 1e-8, 1e-4),
  positive: fc.boolean(),
  engine: fc.constantFrom('wasm', 'reference'),
});

const GOOD_D = { data: Float64Array.from([1, 0, 0, 0.6, 0.8, 0, 0, 0.6, 0.8]), rows: 3, cols: 3 };
const GOOD_X: Matrix<Float64Array> = { data: Float64Array.from([1, 0.5, 0, 0.2, 1, 0.3, 0, 0, 1, 0.9, 0.1, 0.4, 0.3, 0.3, 0.3]), rows: 5, cols: 3 };

/** A data matrix and a dictionary over the same number of features (or not, sometimes). */
const problem = fc.record({
  X: matrixCase({ rows: { min: 0, max: 6 }, cols: { min: 1, max: 4 }, classes: CLASSES }),
  D: matrixCase({ rows: { min: 1, max: 4 }, cols: { min: 1, max: 4 }, classes: CLASSES }),
  sameCols: fc.boolean(),
}).map(({ X, D, sameCols }): { X: MatrixCase; D: MatrixCase } => (sameCols ? { X, D: resized(D, X.cols) } : { X, D }));

/** The case with `cols` columns (values cycled), keeping its class and form. */
function resized(c: MatrixCase, cols: number): MatrixCase {
  const n = c.rows * cols;
  return { ...c, cols, values: Array.from({ length: n }, (_, i) => (c.values.length ? c.values[i % c.values.length] : 0)) };
}

/**
 * sparseEncode's result: finite numbers, codes ≥ 0 when `positive`, and objectives that are
 * possible: ½‖x − hD‖² + α‖h‖₁ ≥ 0 up to rounding (relative to ½‖x‖², the objective at h = 0,
 * which the optimum never exceeds).
 */
function expectSoundEncoding(r: ReturnType<typeof sparseEncode>, X: MatrixCase, positive: boolean): void {
  expectFinite(r, 'sparseEncode(X, D)');
  const rounding = X.form === 'f32' ? 1e-5 : 1e-12;
  for (let i = 0; i < r.objective.length; i++) {
    let half = 0;
    for (let j = 0; j < X.cols; j++) half += 0.5 * X.values[i * X.cols + j] ** 2;
    expect(r.objective[i], `objective[${i}] with ½‖x‖² = ${half}`).toBeGreaterThanOrEqual(-rounding * half);
  }
  if (positive) for (const h of r.codes.data) expect(h).toBeGreaterThanOrEqual(0);
}

describe('sparseEncode under fuzzed input', () => {
  it('any X, dictionary and settings: finite codes and non-negative objectives, or a typed error', () => {
    fc.assert(fc.property(problem, encodeSettings, ({ X, D }, s) => {
      const r = attempt(() => sparseEncode(build(X), build(D), s), ARG_NAMES);
      if (r.ok) expectSoundEncoding(r.value, X, s.positive);
    }), runs(150));
  });

  it('malformed X, dictionary, init and gram, and arbitrary options: a typed error naming the argument', () => {
    const opts = optionsOf({
      alpha: fc.double(), algorithm: fc.constantFrom('cd', 'lars'), maxIter: fc.integer({ min: -1, max: 3 }), tol: fc.double(),
      positive: anyValue, init: malformedMatrix, gram: malformedMatrix, engine: fc.constantFrom('wasm', 'gpu'),
    });
    const arg = fc.oneof(malformedMatrix, fc.constant(GOOD_X as MatrixLike));
    fc.assert(fc.property(arg, fc.oneof(malformedMatrix, fc.constant(GOOD_D as MatrixLike)), fc.oneof(opts, anyValue), (X, D, o) => {
      const r = attempt(() => sparseEncode(X as MatrixLike, D as MatrixLike, o as object), ARG_NAMES);
      if (r.ok) expectFinite(r.value);
    }), runs(200));
  });
});

describe('SparseCoder under fuzzed input', () => {
  it('constructor and transform: finite codes or a typed error; the coder answers the next valid call as before', () => {
    fc.assert(fc.property(problem, encodeSettings, ({ X, D }, s) => {
      const made = attempt(() => new SparseCoder({
        dictionary: build(D), transformAlgorithm: s.algorithm as never, transformAlpha: s.alpha, transformMaxIter: s.maxIter,
        transformTol: s.tol, positiveCode: s.positive, engine: s.engine as never,
      }), ARG_NAMES);
      if (!made.ok) return;
      const coder = made.value;
      const probe = { data: new Float64Array(D.cols).fill(0.5), rows: 1, cols: D.cols };
      const before = attempt(() => coder.transform(probe), ARG_NAMES);
      const r = attempt(() => coder.transform(build(X)), ARG_NAMES);
      if (r.ok) expectFinite(r.value);
      expectSameResult(attempt(() => coder.transform(probe), ARG_NAMES), before, 'transform after the call');
    }), runs(120));
  });

  it('fromJSON of a saved coder with damage: a working coder or a typed error', () => {
    const saved = new SparseCoder({ dictionary: GOOD_D, transformAlpha: 0.1 }).toJSON() as unknown as Record<string, unknown>;
    const damage = PENDING.tamperedModelFiles
      ? fc.constantFrom<unknown>(null, 1, 'x', [], saved, { ...saved, kind: 'Other' }, { ...saved, version: 2 })
      : fc.oneof(anyValue, fc.tuple(fc.constantFrom(...Object.keys(saved)), anyValue).map(([k, v]) => ({ ...saved, [k]: v })));
    fc.assert(fc.property(damage, (json) => {
      const r = attempt(() => SparseCoder.fromJSON(json as never), [...ARG_NAMES, ...Object.keys(saved)]);
      if (r.ok) expectFinite(r.value.transform(GOOD_X));
    }), runs(40));
  });
});

const LEARNERS = [
  { name: 'DictionaryLearning', make: (o: object) => new DictionaryLearning(o) },
  { name: 'MiniBatchDictionaryLearning', make: (o: object) => new MiniBatchDictionaryLearning(o) },
];

const learnSettings = fc.record({
  nComponents: fc.integer({ min: 1, max: 4 }),
  alpha: fc.constantFrom(0.01, 0.5, 2),
  fitAlgorithm: fc.constantFrom('cd', 'fista', 'ista'),
  transformAlgorithm: fc.constantFrom('cd', 'fista'),
  transformMaxIter: fc.integer({ min: 1, max: 50 }),
  maxIter: fc.integer({ min: 1, max: 4 }),
  positiveCode: fc.boolean(),
  positiveDict: fc.boolean(),
  engine: fc.constantFrom('wasm', 'reference'),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe.each(LEARNERS)('$name under fuzzed input', ({ name, make }) => {
  it('constructor: arbitrary options give a learner or a typed error naming the option', () => {
    const opts = optionsOf({
      nComponents: fc.integer({ min: -1, max: 4 }), alpha: fc.double(), tol: fc.double(), fitAlgorithm: fc.constantFrom('cd', 'lars'),
      transformAlgorithm: fc.constantFrom('fista', 'omp'), transformAlpha: fc.double(), transformMaxIter: fc.integer({ min: -1, max: 4 }),
      transformTol: fc.double(), positiveCode: anyValue, positiveDict: anyValue, dictInit: malformedMatrix, seed: anyValue,
      engine: fc.constantFrom('wasm', 'gpu'), maxIter: fc.integer({ min: -1, max: 4 }),
      ...(name === 'MiniBatchDictionaryLearning' ? { batchSize: fc.integer({ min: -1, max: 4 }), shuffle: anyValue } : {}),
    });
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: opts }, { weight: 1, arbitrary: anyValue }), (o) => {
      attempt(() => make(o as object), ARG_NAMES);
    }), runs(150));
  });

  it('fit and transform: finite atoms, errors and codes, or a typed error; a failed fit leaves the learner as it was', () => {
    const data = fc.oneof({ weight: 4, arbitrary: matrixCase({ rows: { min: 0, max: 8 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build) },
      { weight: 1, arbitrary: malformedMatrix });
    fc.assert(fc.property(data, learnSettings, (X, s) => {
      const learner = make(s);
      const r = attempt(() => learner.fit(X as MatrixLike), ARG_NAMES);
      if (r.ok) {
        expectFinite({ components: learner.components, error: learner.error, nIter: learner.nIter });
        const codes = attempt(() => learner.transform(X as MatrixLike), ARG_NAMES);
        if (codes.ok) expectFinite(codes.value);
        return;
      }
      // A failed first fit leaves an unfitted learner: the next valid fit equals a fresh one's.
      const again = attempt(() => learner.fit(GOOD_X).components, ARG_NAMES);
      expectSameResult(again, attempt(() => make(s).fit(GOOD_X).components, ARG_NAMES), 'fit after a failed fit');
    }), runs(60));
  });

  it('transform of a fitted learner on arbitrary input: finite codes or a typed error, atoms unchanged', () => {
    const learner = make({ nComponents: 2, maxIter: 3, seed: 1 }).fit(GOOD_X);
    const atoms = learner.components;
    const input = fc.oneof(matrixCase({ rows: { min: 0, max: 5 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build), malformedMatrix);
    fc.assert(fc.property(input, (X) => {
      const r = attempt(() => learner.transform(X as MatrixLike), ARG_NAMES);
      if (r.ok) expectFinite(r.value);
      expectSameResult(learner.components, atoms, 'atoms after transform');
    }), runs(100));
  });

  it('a failed refit of a fitted learner keeps its atoms', () => {
    const learner = make({ nComponents: 2, maxIter: 3, seed: 1 }).fit(GOOD_X);
    const atoms = learner.components;
    fc.assert(fc.property(malformedMatrix, (X) => {
      const r = attempt(() => learner.fit(X as MatrixLike), ARG_NAMES);
      if (!r.ok) expectSameResult(learner.components, atoms, 'atoms after a failed fit');
      else learner.fit(GOOD_X);
    }), runs(60));
  });
});

describe('MiniBatchDictionaryLearning.partialFit under fuzzed input', () => {
  it('arbitrary batches after a fit: finite atoms or a typed error that leaves the atoms as they were', () => {
    const input = fc.oneof(matrixCase({ rows: { min: 0, max: 5 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build), malformedMatrix);
    fc.assert(fc.property(input, (X) => {
      const learner = new MiniBatchDictionaryLearning({ nComponents: 2, maxIter: 2, seed: 1 }).fit(GOOD_X);
      const atoms = learner.components;
      const r = attempt(() => learner.partialFit(X as MatrixLike), ARG_NAMES);
      if (r.ok) expectFinite({ components: learner.components, error: learner.error });
      else expectSameResult(learner.components, atoms, 'atoms after a failed partialFit');
    }), runs(80));
  });
});
