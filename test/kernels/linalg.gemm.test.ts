import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { MAGNITUDES, eps, expectClose, randomArray, type Magnitude } from '../helpers.js';
import { DTYPES, abs, zerosOf } from './linalg-util.js';

type Form = 'NN' | 'NT' | 'TN';
const FORMS: Form[] = ['NN', 'NT', 'TN'];
const BETAS = [0, 1, 0.5];
/** Edge sizes around the SIMD width and the 4-row / 4- or 8-column micro-tile. */
const EDGE_SIZES = [1, 2, 3, 7, 17, 64, 65];

/**
 * Runs gemm<form> in wasm and its twin on the same inputs and compares them element-wise.
 * Bound: a k-term dot product in precision eps errs by at most about k·eps·Σ|a||b|, plus a
 * rounding of beta·c; the scale is the twin applied to |A|, |B|, |C|. With beta = 0, C starts
 * as NaN, which must not reach the result.
 */
function checkGemm(rng: Random, form: Form, dtype: DType, m: number, n: number, k: number, beta: number,
  magA: Magnitude = 'normal', magB: Magnitude = 'normal'): void {
  const a = randomArray(rng, m * k, dtype, magA);
  const b = randomArray(rng, k * n, dtype, magB);
  const c = beta === 0 ? zerosOf(dtype, m * n).fill(NaN) : randomArray(rng, m * n, dtype);
  const twin = ref[`gemm${form}`];
  const want = c.slice();
  twin(a, b, want, m, n, k, beta);
  const scale = abs(c);
  twin(abs(a), abs(b), scale, m, n, k, Math.abs(beta));
  const got = withWorkspace((ws) => {
    const pc = ws.copyIn(c);
    typed(`gemm${form}`, dtype)(ws.copyIn(a).ptr, ws.copyIn(b).ptr, pc.ptr, m, n, k, beta);
    return pc.read();
  });
  expectClose(got, want, (k + 2) * eps(dtype), 0, scale);
}

describe('gemmNN, gemmNT, gemmTN', () => {
  for (const form of FORMS) {
    for (const dtype of DTYPES) {
      it(`${form} ${dtype} matches the twin for every m, n, k in {${EDGE_SIZES}} and beta 0 (over NaN), 1, 0.5`, () => {
        const rng = new Random(11);
        for (const m of EDGE_SIZES) for (const n of EDGE_SIZES) for (const k of EDGE_SIZES) {
          for (const beta of BETAS) checkGemm(rng, form, dtype, m, n, k, beta);
        }
      });

      it(`${form} ${dtype} matches the twin across block edges: 257×63×130 and 300×300×300`, () => {
        const rng = new Random(12);
        for (const beta of BETAS) {
          checkGemm(rng, form, dtype, 257, 63, 130, beta);
          checkGemm(rng, form, dtype, 300, 300, 300, beta);
        }
      });

      it(`${form} ${dtype} matches the twin on zeros, huge, tiny and mixed magnitudes`, () => {
        const rng = new Random(13);
        for (const magnitude of MAGNITUDES) {
          checkGemm(rng, form, dtype, 65, 17, 64, 0.5, magnitude, 'normal');
          checkGemm(rng, form, dtype, 7, 66, 257, 1, 'normal', magnitude);
        }
      });
    }
  }

  for (const form of FORMS) {
    it(`${form} writes exactly the m×n block of C, at any element alignment`, () => {
      const rng = new Random(14);
      const guard = 5;
      for (const dtype of DTYPES) {
        for (const [m, n, k] of [[3, 7, 5], [65, 9, 17], [5, 130, 3]]) {
          const a = randomArray(rng, m * k, dtype);
          const b = randomArray(rng, k * n, dtype);
          const want = zerosOf(dtype, m * n);
          ref[`gemm${form}`](a, b, want, m, n, k, 0);
          const size = dtype === 'f32' ? 4 : 8;
          withWorkspace((ws) => {
            // Offsets of one element put every operand off the 16-byte grid.
            const pa = ws.alloc(dtype, m * k + 1).set(a, 1);
            const pb = ws.alloc(dtype, k * n + 1).set(b, 1);
            const pc = ws.alloc(dtype, m * n + 2 * guard);
            pc.view().fill(-7);
            typed(`gemm${form}`, dtype)(pa.ptr + size, pb.ptr + size, pc.ptr + guard * size, m, n, k, 0);
            const out = pc.read();
            const outside = [...out.subarray(0, guard), ...out.subarray(guard + m * n)];
            expect(outside).toEqual(new Array(2 * guard).fill(-7));
            expectClose(out.subarray(guard, guard + m * n), want, (k + 2) * eps(dtype), 0, Array.from(want, (w) => Math.abs(w) + k));
          });
        }
      }
    });
  }

  it('with k = 0 sets C to beta·C (zeros for beta 0, even over NaN), and with m or n = 0 writes nothing', () => {
    for (const dtype of DTYPES) {
      for (const form of FORMS) {
        withWorkspace((ws) => {
          const gemm = typed(`gemm${form}`, dtype);
          const c = ws.alloc(dtype, 6).set([NaN, 1, 2, 3, 4, NaN]);
          gemm(0, 0, c.ptr, 2, 3, 0, 0);
          expect(Array.from(c.view())).toEqual([0, 0, 0, 0, 0, 0]);
          c.set([1, 2, 3, 4, 5, 6]);
          gemm(0, 0, c.ptr, 2, 3, 0, 0.5);
          expect(Array.from(c.view())).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
          gemm(0, 0, c.ptr, 0, 3, 4, 0);
          gemm(0, 0, c.ptr, 2, 0, 4, 0);
          expect(Array.from(c.view())).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
        });
      }
    }
  });

  it('NT and TN agree with NN on explicitly transposed operands', () => {
    const rng = new Random(15);
    const [m, n, k] = [33, 21, 70];
    for (const dtype of DTYPES) {
      const a = randomArray(rng, m * k, dtype);
      const b = randomArray(rng, k * n, dtype);
      withWorkspace((ws) => {
        const pa = ws.copyIn(a), pb = ws.copyIn(b);
        const at = ws.alloc(dtype, k * m), bt = ws.alloc(dtype, n * k);
        typed('transpose', dtype)(pa.ptr, at.ptr, m, k);
        typed('transpose', dtype)(pb.ptr, bt.ptr, k, n);
        const nn = ws.alloc(dtype, m * n), nt = ws.alloc(dtype, m * n), tn = ws.alloc(dtype, m * n);
        typed('gemmNN', dtype)(pa.ptr, pb.ptr, nn.ptr, m, n, k, 0);
        typed('gemmNT', dtype)(pa.ptr, bt.ptr, nt.ptr, m, n, k, 0);
        typed('gemmTN', dtype)(at.ptr, pb.ptr, tn.ptr, m, n, k, 0);
        // The three forms pack into one panel layout and share the micro-kernel: same sums, same order.
        expect(nt.read()).toEqual(nn.read());
        expect(tn.read()).toEqual(nn.read());
      });
    }
  });
});
