// Fuzzed entry points of the runtime: toMatrix, toVector and the options check take anything a
// caller can pass and answer with a matrix or a typed error naming the argument.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random, toMatrix, toVector } from '../../src/index.js';
import { checkOptions } from '../../src/runtime/options.js';
import { anyValue, attempt, build, expectFinite, malformedMatrix, matrixCase, runs } from './fuzz.js';

describe('runtime checks under fuzzed input', () => {
  it('toMatrix: a finite matrix of rows × cols values, or a typed error naming X', () => {
    const arg = fc.oneof(malformedMatrix, anyValue, matrixCase({ rows: { min: 0, max: 4 } }).map(build));
    const opts = fc.record({ minRows: fc.integer({ min: 0, max: 3 }), cols: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) }, { requiredKeys: [] });
    fc.assert(fc.property(arg, opts, (x, o) => {
      const r = attempt(() => toMatrix(x, 'X', o), ['X']);
      if (!r.ok) return;
      const m = r.value;
      expect(m.data.length).toBe(m.rows * m.cols);
      expect(m.rows).toBeGreaterThanOrEqual(o.minRows ?? 1);
      expectFinite(m.data, 'X');
    }), runs(400));
  });

  it('toVector: a finite Float64Array of the asked length, or a typed error naming v', () => {
    const arg = fc.oneof(anyValue, fc.array(fc.oneof(fc.double(), anyValue), { maxLength: 4 }), fc.float64Array({ maxLength: 4 }), fc.float32Array({ maxLength: 4 }));
    fc.assert(fc.property(arg, fc.option(fc.nat({ max: 4 }), { nil: undefined }), (x, length) => {
      const r = attempt(() => toVector(x, 'v', length), ['v']);
      if (!r.ok) return;
      if (length !== undefined) expect(r.value.length).toBe(length);
      expectFinite(r.value, 'v');
    }), runs(400));
  });

  it('checkOptions: anything that is not a plain options object is an OptionError naming the owner', () => {
    fc.assert(fc.property(fc.oneof(anyValue, fc.dictionary(fc.string({ maxLength: 6 }), anyValue, { maxKeys: 3 })), (o) => {
      attempt(() => checkOptions(o as object, ['tol', 'maxIter'], 'owner'), ['owner']);
    }), runs(300));
  });

  it('Random: seeded draws are finite and in range for any integer seed', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Random(seed);
      for (let i = 0; i < 8; i++) {
        const u = rng.random();
        expect(u >= 0 && u < 1).toBe(true);
        expectFinite(rng.normal(), 'normal()');
      }
    }), runs(100));
  });
});
