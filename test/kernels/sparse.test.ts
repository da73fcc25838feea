import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, randomArray } from '../helpers.js';
import { maxUlpError } from './ulp.js';

const DTYPES: DType[] = ['f64', 'f32'];
type Name = 'softThreshold' | 'softThresholdNonneg';
const NAMES: Name[] = ['softThreshold', 'softThresholdNonneg'];

function run(name: Name, dtype: DType, x: FloatArray, t: number, inPlace = false): FloatArray {
  return withWorkspace((ws) => {
    const px = ws.copyIn(x);
    const py = inPlace ? px : ws.alloc(dtype, x.length);
    typed(name, dtype)(px.ptr, py.ptr, x.length, t);
    return py.read();
  });
}

function twin(name: Name, x: FloatArray, t: number): FloatArray {
  const y = x.slice().fill(0);
  ref[name](x, y, x.length, t);
  return y;
}

/** A threshold in the element type, half the mean |x| (so that some entries survive and some do not). */
function threshold(dtype: DType, x: FloatArray): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  const t = x.length ? (0.5 * s) / x.length : 0;
  return dtype === 'f32' ? Math.fround(t) : t;
}

describe('softThreshold and softThresholdNonneg', () => {
  for (const name of NAMES) {
    for (const dtype of DTYPES) {
      for (const magnitude of MAGNITUDES) {
        it(`${name} ${dtype} matches its twin on ${magnitude} inputs of awkward sizes (exactly for f64, within 1 ulp for f32)`, () => {
          const rng = new Random(31);
          for (const n of AWKWARD_SIZES) {
            const x = randomArray(rng, n, dtype, magnitude);
            const t = threshold(dtype, x);
            const got = run(name, dtype, x, t);
            const want = twin(name, x, t);
            // f32: |x| − t rounds once in f32, the twin rounds the f64 difference: at most 1 ulp apart.
            if (dtype === 'f64') expect(got).toEqual(want);
            else expect(maxUlpError(got, want, dtype, x).ulps).toBeLessThanOrEqual(1);
          }
        });
      }

      it(`${name} ${dtype} runs in place (y = x) with the same result`, () => {
        const x = randomArray(new Random(32), 65, dtype);
        expect(run(name, dtype, x, 0.3, true)).toEqual(run(name, dtype, x, 0.3));
      });
    }
  }

  for (const dtype of DTYPES) {
    const x = dtype === 'f32' ? Float32Array.from([-3, -1, -0.5, -0, 0, 0.5, 1, 3, 0.25]) : Float64Array.from([-3, -1, -0.5, -0, 0, 0.5, 1, 3, 0.25]);

    it(`softThreshold ${dtype} shrinks towards 0 by t, keeps the sign, and zeroes |x| ≤ t`, () => {
      expect(Array.from(run('softThreshold', dtype, x, 1))).toEqual([-2, -0, -0, -0, 0, 0, 0, 2, 0]);
    });

    it(`softThreshold ${dtype} with t = 0 is the identity`, () => {
      expect(run('softThreshold', dtype, x, 0)).toEqual(x);
    });

    it(`softThresholdNonneg ${dtype} is max(x − t, 0): negative inputs become 0`, () => {
      expect(Array.from(run('softThresholdNonneg', dtype, x, 0.5))).toEqual([0, 0, 0, 0, 0, 0, 0.5, 2.5, 0]);
    });
  }
});
