import { describe, expect, it } from 'vitest';
import { kernels, Random, typed, withWorkspace, type DType } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, randomArray, eps } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];

describe('dot', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} matches the reference twin on ${magnitude} inputs of awkward sizes`, () => {
        const rng = new Random(1);
        for (const n of AWKWARD_SIZES) {
          const x = randomArray(rng, n, dtype, magnitude);
          const y = randomArray(rng, n, dtype, 'normal');
          withWorkspace((ws) => {
            const px = ws.copyIn(x);
            const py = ws.copyIn(y);
            const got = typed('dot', dtype)(px.ptr, py.ptr, n);
            const want = ref.dot(x, y, n);
            // Error bound of a summation: n·eps·Σ|x_i y_i|.
            let absSum = 0;
            for (let i = 0; i < n; i++) absSum += Math.abs(x[i] * y[i]);
            expect(Math.abs(got - want)).toBeLessThanOrEqual(n * eps(dtype) * absSum);
          });
        }
      });
    }
  }
  it('returns 0 for n = 0', () => {
    expect(kernels().dotF64(0, 0, 0)).toBe(0);
  });
});
