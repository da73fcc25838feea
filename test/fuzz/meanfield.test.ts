// Fuzzed entry points of the mean-field models: BinarySparseCoding (constructor, infer, fit,
// fromJSON), BoltzmannMachine, IsingGrid and LinearGaussian. Finite results (marginals and ĥ in
// [0, 1]) or a typed error naming an argument; a failed call leaves the model as it was.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { BinarySparseCoding, BoltzmannMachine, IsingGrid, LinearGaussian, type MatrixLike } from '../../src/index.js';
import {
  anyValue, attempt, build, expectFinite, expectSameResult, expectUnitInterval, malformedMatrix, matrixCase, optionsOf,
  runs, SCALE_CLASSES, VALUE_CLASSES, valuesOf, type ValueClass,
} from './fuzz.js';
import { PENDING } from './pending.js';

const NAMES = [
  'V', 'W', 'b', 'beta', 'nHidden', 'seed', 'init', 'maxIter', 'tol', 'schedule', 'damping', 'engine', 'inferMaxIter',
  'inferTol', 'clamp', 'marginals', 'height', 'width', 'coupling', 'bias', 'field', 'mean', 'psi', 'nComponents', 'method',
  'json', 'options', 'exactLogPartition', 'exactMarginals', 'nSamples', 'hHat', 'variance', 'H', 'x', 'm',
];

/** Value classes of data and parameters the models take today (see PENDING). */
const CLASSES: readonly ValueClass[] = VALUE_CLASSES.filter((c) => !(PENDING.meanFieldScale && SCALE_CLASSES.includes(c)));
const valueClass = fc.constantFrom(...CLASSES);
const SEEDS = PENDING.seedsBeyond32Bits ? fc.integer({ min: 0, max: 2 ** 31 - 1 }) : fc.oneof(fc.nat(), fc.constantFrom(2 ** 32, 2 ** 40 + 7));

const meanFieldSettings = fc.record({
  maxIter: fc.integer({ min: 1, max: 30 }), tol: fc.constantFrom(0, 1e-8, 1e-3),
  schedule: fc.constantFrom('sequential', 'parallel'), damping: fc.constantFrom(0.3, 1), engine: fc.constantFrom('wasm', 'reference'),
}, { requiredKeys: [] });

/** An m × n matrix of one value class, as a number[][]. */
function params(m: number, n: number): fc.Arbitrary<number[][]> {
  return valueClass.chain((c) => valuesOf(c, m * n)).map((v) => Array.from({ length: m }, (_, i) => v.slice(i * n, (i + 1) * n)));
}

describe('BinarySparseCoding under fuzzed input', () => {
  const model = fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) })
    .chain(({ m, n }) => fc.record({ W: params(m, n), b: params(1, n), beta: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: m, maxLength: m }) }));

  it('constructor: arbitrary options give a model or a typed error naming the option', () => {
    const opts = optionsOf({ W: fc.oneof(malformedMatrix, params(2, 2)), b: anyValue, beta: anyValue, nHidden: fc.integer({ min: -1, max: 4 }), seed: anyValue });
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: opts }, { weight: 1, arbitrary: anyValue }), (o) => {
      attempt(() => new BinarySparseCoding(o as object), NAMES);
    }), runs(150));
  });

  it('infer: ĥ in [0, 1] and a finite bound, or a typed error; the model answers the next call as before', () => {
    const V = fc.oneof({ weight: 4, arbitrary: matrixCase({ rows: { min: 0, max: 5 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build) }, { weight: 1, arbitrary: malformedMatrix });
    fc.assert(fc.property(model, V, meanFieldSettings, (p, X, s) => {
      const made = attempt(() => new BinarySparseCoding({ W: p.W, b: p.b[0], beta: p.beta }), NAMES);
      if (!made.ok) return;
      const bsc = made.value;
      const probe = [new Array<number>(p.W.length).fill(0.5)];
      const before = attempt(() => bsc.infer(probe), NAMES);
      const r = attempt(() => bsc.infer(X as MatrixLike, s), NAMES);
      if (r.ok) {
        expectFinite(r.value, 'infer(V)');
        expectUnitInterval(r.value.hHat.data, 'hHat');
      }
      expectSameResult(attempt(() => bsc.infer(probe), NAMES), before, 'infer after the call');
    }), runs(120));
  });

  it('fit: finite parameters and bounds, or a typed error; a failed fit leaves the model fresh', () => {
    const V = fc.oneof({ weight: 4, arbitrary: matrixCase({ rows: { min: 0, max: 8 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build) }, { weight: 1, arbitrary: malformedMatrix });
    const fitSettings = fc.record({
      maxIter: fc.integer({ min: 1, max: 6 }), tol: fc.constantFrom(0, 1e-6), inferMaxIter: fc.integer({ min: 1, max: 10 }),
      engine: fc.constantFrom('wasm', 'reference'),
    });
    const good = [[0, 1, 0.5], [1, 0, 0.2], [0.4, 0.6, 1], [0.9, 0.1, 0]];
    fc.assert(fc.property(V, fc.integer({ min: 1, max: 3 }), SEEDS, fitSettings, (X, nHidden, seed, s) => {
      const bsc = new BinarySparseCoding({ nHidden, seed });
      const r = attempt(() => bsc.fit(X as MatrixLike, s), NAMES);
      if (r.ok) {
        expectFinite({ W: bsc.W, b: bsc.b, beta: bsc.beta, history: bsc.lowerBoundHistory }, 'fitted BinarySparseCoding');
        return;
      }
      const state = (m: BinarySparseCoding) => attempt(() => { m.fit(good, s); return { W: m.W, b: m.b, beta: m.beta }; }, NAMES);
      expectSameResult(state(bsc), state(new BinarySparseCoding({ nHidden, seed })), 'fit after a failed fit');
    }), runs(60));
  });

  it('fromJSON of a saved model with damage: a working model or a typed error', () => {
    const saved = new BinarySparseCoding({ W: [[1, 0], [0, 1]], b: [0, 0], beta: [1, 1] }).toJSON() as unknown as Record<string, unknown>;
    const damage = PENDING.tamperedModelFiles
      ? fc.constantFrom<unknown>(null, 1, 'x', [], saved, { ...saved, kind: 'Other' }, { ...saved, version: 2 })
      : fc.oneof(anyValue, fc.tuple(fc.constantFrom(...Object.keys(saved)), anyValue).map(([k, v]) => ({ ...saved, [k]: v })));
    fc.assert(fc.property(damage, (json) => {
      const r = attempt(() => BinarySparseCoding.fromJSON(json as never), [...NAMES, ...Object.keys(saved)]);
      if (r.ok) expectFinite(r.value.infer([[0.5, 0.5]]));
    }), runs(40));
  });
});

describe('BoltzmannMachine under fuzzed input', () => {
  /** A symmetric W with zero diagonal (n ≤ 6), biases, and a clamp of 0, 1 or NaN per unit. */
  const machine = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
    n: fc.constant(n), upper: params(1, n * n), b: params(1, n),
    clamp: fc.option(fc.array(fc.constantFrom(0, 1, NaN), { minLength: n, maxLength: n })),
  })).map(({ n, upper, b, clamp }) => {
    const W = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) W[i][j] = W[j][i] = upper[0][i * n + j];
    return { W, b: b[0], clamp: clamp ?? undefined };
  });

  it('constructor: arbitrary options give a machine or a typed error naming the option', () => {
    const opts = optionsOf({ W: fc.oneof(malformedMatrix, params(2, 2)), b: anyValue });
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: opts }, { weight: 1, arbitrary: anyValue }), (o) => {
      attempt(() => new BoltzmannMachine(o as never), NAMES);
    }), runs(120));
  });

  it('meanField, exactLogPartition, exactMarginals, lowerBound: finite, marginals in [0, 1], or a typed error', () => {
    fc.assert(fc.property(machine, meanFieldSettings, fc.oneof(fc.constant(undefined), anyValue), ({ W, b, clamp }, s, badClamp) => {
      const made = attempt(() => new BoltzmannMachine({ W, b }), NAMES);
      if (!made.ok) return;
      const bm = made.value;
      const useClamp = clamp ?? (badClamp as never);
      const mf = attempt(() => bm.meanField(useClamp, s), NAMES);
      if (mf.ok) {
        expectFinite(mf.value, 'meanField');
        expectUnitInterval(mf.value.marginals, 'marginals');
        const lb = attempt(() => bm.lowerBound(mf.value.marginals, useClamp), NAMES);
        if (lb.ok) expectFinite(lb.value, 'lowerBound');
      }
      const z = attempt(() => bm.exactLogPartition(useClamp), NAMES);
      if (z.ok) expectFinite(z.value, 'exactLogPartition');
      const em = attempt(() => bm.exactMarginals(useClamp), NAMES);
      if (em.ok) expectUnitInterval(em.value, 'exactMarginals');
    }), runs(120));
  });
});

describe('IsingGrid under fuzzed input', () => {
  const scale = PENDING.meanFieldScale ? fc.constantFrom(0, 0.1, 1, 3) : fc.constantFrom(0, 0.1, 1, 3, 1e22, -1e22, 1e300, 1e-300);

  it('constructor and fromSpins: arbitrary options give a grid or a typed error naming the option', () => {
    const opts = optionsOf({ height: fc.integer({ min: -1, max: 4 }), width: anyValue, coupling: fc.double(), bias: anyValue, field: anyValue });
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: opts }, { weight: 1, arbitrary: anyValue }), fc.boolean(), (o, spins) => {
      attempt(() => (spins ? IsingGrid.fromSpins(o as never) : new IsingGrid(o as never)), NAMES);
    }), runs(150));
  });

  it('meanField and the exact log partition of small grids: finite, marginals in [0, 1], or a typed error', () => {
    const grid = fc.record({ height: fc.integer({ min: 1, max: 3 }), width: fc.integer({ min: 1, max: 3 }), coupling: fc.tuple(scale, fc.constantFrom(1, -1)).map(([a, s]) => a * s) })
      .chain((g) => fc.record({ g: fc.constant(g), bias: fc.array(fc.tuple(scale, fc.double({ min: -1, max: 1, noNaN: true })).map(([a, x]) => a * x), { minLength: g.height * g.width, maxLength: g.height * g.width }) }));
    const settings = fc.record({ maxIter: fc.integer({ min: 1, max: 40 }), tol: fc.constantFrom(0, 1e-8), damping: fc.constantFrom(0.5, 1), engine: fc.constantFrom('wasm', 'reference') });
    fc.assert(fc.property(grid, settings, ({ g, bias }, s) => {
      const made = attempt(() => new IsingGrid({ ...g, bias }), NAMES);
      if (!made.ok) return;
      const mf = attempt(() => made.value.meanField(s), NAMES);
      if (mf.ok) {
        expectFinite(mf.value, 'meanField');
        expectUnitInterval(mf.value.marginals, 'marginals');
      }
      const z = attempt(() => made.value.toBoltzmannMachine().exactLogPartition(), NAMES);
      if (z.ok) expectFinite(z.value, 'exactLogPartition');
    }), runs(80));
  });
});

describe('LinearGaussian under fuzzed input', () => {
  it('constructor: arbitrary options give a model or a typed error naming the option', () => {
    const opts = optionsOf({ W: fc.oneof(malformedMatrix, params(2, 1)), mean: anyValue, psi: anyValue, nComponents: fc.integer({ min: -1, max: 3 }), seed: anyValue });
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: opts }, { weight: 1, arbitrary: anyValue }), (o) => {
      attempt(() => new LinearGaussian(o as object), NAMES);
    }), runs(150));
  });

  it('logLikelihood, meanField, kl on arbitrary V: finite or a typed error, the model unchanged', () => {
    const model = fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }) })
      .chain(({ m, n }) => fc.record({ W: params(m, n), psi: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: m, maxLength: m }) }));
    const V = fc.oneof({ weight: 4, arbitrary: matrixCase({ rows: { min: 0, max: 5 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build) }, { weight: 1, arbitrary: malformedMatrix });
    fc.assert(fc.property(model, V, fc.constantFrom('logLikelihood', 'meanField', 'kl'), (p, X, method) => {
      const made = attempt(() => new LinearGaussian({ W: p.W, psi: p.psi }), NAMES);
      if (!made.ok) return;
      const lg = made.value;
      const probe = [new Array<number>(p.W.length).fill(0.5)];
      const before = attempt(() => lg.logLikelihood(probe), NAMES);
      const r = attempt(() => (lg as unknown as Record<string, (v: unknown) => unknown>)[method](X), NAMES);
      if (r.ok) expectFinite(r.value, `${method}(V)`);
      expectSameResult(attempt(() => lg.logLikelihood(probe), NAMES), before, 'logLikelihood after the call');
    }), runs(120));
  });

  it('fit: finite parameters or a typed error; a failed fit leaves the model fresh', () => {
    const V = fc.oneof({ weight: 4, arbitrary: matrixCase({ rows: { min: 0, max: 8 }, cols: { min: 1, max: 4 }, classes: CLASSES }).map(build) }, { weight: 1, arbitrary: malformedMatrix });
    const good = [[0, 1, 0.5], [1, 0, 0.2], [0.4, 0.6, 1], [0.9, 0.1, 0]];
    fc.assert(fc.property(V, fc.integer({ min: 1, max: 3 }), SEEDS, fc.constantFrom('em', 'variational'), fc.integer({ min: 1, max: 10 }), (X, n, seed, method, maxIter) => {
      const lg = new LinearGaussian({ nComponents: n, seed });
      const s = { method: method as 'em', maxIter };
      const r = attempt(() => lg.fit(X as MatrixLike, s), NAMES);
      if (r.ok) {
        expectFinite({ W: lg.W, mean: lg.mean, psi: lg.psi, history: lg.lowerBoundHistory }, 'fitted LinearGaussian');
        return;
      }
      const state = (m: LinearGaussian) => attempt(() => { m.fit(good, s); return { W: m.W, mean: m.mean, psi: m.psi }; }, NAMES);
      expectSameResult(state(lg), state(new LinearGaussian({ nComponents: n, seed })), 'fit after a failed fit');
    }), runs(60));
  });
});
