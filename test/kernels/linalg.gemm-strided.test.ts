// The strided GEMM kernels (sub-matrices with row strides lda, ldb, ldc) against their twin,
// and against the unstrided kernels to the byte.
import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray, type GemmForm } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { eps, expectClose, randomArray } from '../helpers.js';
import { DTYPES, abs, zerosOf } from './linalg-util.js';

const FORMS: GemmForm[] = ['NN', 'NT', 'TN'];

/**
 * The kernel's blocking (assembly/linalg/gemm.ts): micro-tiles of MR = 4 rows by NR = 4 (f64)
 * or 8 (f32) columns, packed blocks of MC = 64 / 128 rows and NC = 128 / 256 columns, depth
 * blocks of KC = 256. The sizes below sit on both sides of each.
 */
const TILE_M = [1, 3, 4, 5, 9];
const TILE_N = [1, 3, 5, 8, 9, 17];
const TILE_K = [0, 1, 7];
const DEPTHS = [255, 256, 257, 513];
/** [m, n, k] across the packed blocks of both element types and the depth block. */
const BLOCK_SHAPES = [[65, 129, 257], [129, 257, 40]];
/** Extra elements at the end of each stored row of A, B and C: none, odd, mixed. */
const PADS = [[0, 0, 0], [1, 3, 2], [5, 0, 7], [0, 2, 1]];
/** Elements of C's buffer before and after its m rows, which no call may write. */
const GUARD = 3;

/** How A and B are stored for a form: rows × cols before padding (A k×m for TN, B n×k for NT). */
function storedShapes(form: GemmForm, m: number, n: number, k: number) {
  return {
    aRows: form === 'TN' ? k : m, aCols: form === 'TN' ? m : k,
    bRows: form === 'NT' ? n : k, bCols: form === 'NT' ? k : n,
  };
}

/** A rows×cols matrix stored with row stride cols + pad: random values, `fill` in the padding. */
function padded(rng: Random, dtype: DType, rows: number, cols: number, pad: number, fill: () => number, values?: FloatArray): FloatArray {
  const ld = cols + pad;
  const out = zerosOf(dtype, rows * ld);
  const block = values ?? randomArray(rng, rows * cols, dtype);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < ld; j++) out[i * ld + j] = j < cols ? block[i * cols + j] : fill();
  }
  return out;
}

/** The elements of a stored m×n block (row stride ld) as a contiguous array. */
function block(c: FloatArray, m: number, n: number, ld: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.push(c[i * ld + j]);
  return out;
}

/**
 * Expects got and want, stored in the element type, to hold the same bytes (which tells 0 from
 * −0), naming the first element that differs.
 */
function expectSameBytes(dtype: DType, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  const g = zerosOf(dtype, got.length), w = zerosOf(dtype, want.length);
  g.set(Array.from(got));
  w.set(Array.from(want));
  const gb = new Uint8Array(g.buffer), wb = new Uint8Array(w.buffer), size = dtype === 'f32' ? 4 : 8;
  const at = gb.findIndex((v, i) => v !== wb[i]);
  if (at >= 0) expect.fail(`element ${Math.floor(at / size)}: got ${g[Math.floor(at / size)]}, expected ${w[Math.floor(at / size)]}`);
}

/** Every element of a stored C (guards included) that lies outside its m×n block. */
function outside(c: ArrayLike<number>, m: number, n: number, ld: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < c.length; t++) {
    const r = t - GUARD;
    const inBlock = r >= 0 && r < m * ld && r % ld < n;
    if (!inBlock) out.push(c[t]);
  }
  return out;
}

/**
 * Runs gemm<form>Strided in wasm and its twin on the same stored operands and compares them:
 * the m×n block within the bound of the unstrided test (linalg.gemm.test.ts: (k + 2)·eps on
 * the scale of the twin applied to |A|, |B|, |C|), and every other element of C's buffer (the
 * padding columns and the guards) unchanged, to the byte, in both. The padding of A and B is
 * NaN, so a read outside the sub-matrices would show in the block; with beta = 0, C's block
 * starts as NaN, which must not reach the result either.
 */
function checkStrided(rng: Random, form: GemmForm, dtype: DType, m: number, n: number, k: number, beta: number, pads: number[]): void {
  const [padA, padB, padC] = pads;
  const s = storedShapes(form, m, n, k);
  const lda = s.aCols + padA, ldb = s.bCols + padB, ldc = n + padC;
  const nan = () => NaN;
  const a = padded(rng, dtype, s.aRows, s.aCols, padA, nan);
  const b = padded(rng, dtype, s.bRows, s.bCols, padB, nan);
  const cBlock = beta === 0 ? zerosOf(dtype, m * n).fill(NaN) : randomArray(rng, m * n, dtype);
  const cRows = padded(rng, dtype, m, n, padC, () => rng.normal(), cBlock);
  const c = zerosOf(dtype, m * ldc + 2 * GUARD);
  for (let t = 0; t < c.length; t++) c[t] = rng.normal();
  c.set(cRows, GUARD);

  const want = c.slice();
  ref[`gemm${form}Strided`](a, b, want.subarray(GUARD), m, n, k, beta, lda, ldb, ldc);
  const scale = abs(c);
  ref[`gemm${form}Strided`](abs(a), abs(b), scale.subarray(GUARD), m, n, k, Math.abs(beta), lda, ldb, ldc);
  const size = dtype === 'f32' ? 4 : 8;
  const got = withWorkspace((ws) => {
    const pc = ws.copyIn(c);
    typed(`gemm${form}Strided`, dtype)(ws.copyIn(a).ptr, ws.copyIn(b).ptr, pc.ptr + GUARD * size, m, n, k, beta, lda, ldb, ldc);
    return pc.read();
  });

  const untouched = outside(c, m, n, ldc);
  expect(outside(want, m, n, ldc)).toEqual(untouched);
  expect(outside(got, m, n, ldc)).toEqual(untouched);
  const at = (x: FloatArray) => block(x.subarray(GUARD), m, n, ldc);
  expectClose(at(got), at(want), (k + 2) * eps(dtype), 0, at(scale));
}

describe('gemmNNStrided, gemmNTStrided, gemmTNStrided', () => {
  for (const form of FORMS) {
    for (const dtype of DTYPES) {
      it(`${form} ${dtype} matches the twin across micro-tile edges (m in {${TILE_M}}, n in {${TILE_N}}, k in {${TILE_K}}), padded strides, beta 0 (over NaN), 1, 0.5`, () => {
        const rng = new Random(21);
        for (const m of TILE_M) for (const n of TILE_N) for (const k of TILE_K) {
          for (const pads of PADS) for (const beta of [0, 1, 0.5]) checkStrided(rng, form, dtype, m, n, k, beta, pads);
        }
      });

      it(`${form} ${dtype} matches the twin across the 256-deep block (k in {${DEPTHS}}) and the packed blocks, padded strides, beta 0 and 0.5`, () => {
        const rng = new Random(22);
        for (const k of DEPTHS) {
          for (const pads of PADS) for (const beta of [0, 0.5]) checkStrided(rng, form, dtype, 6, 11, k, beta, pads);
        }
        for (const [m, n, k] of BLOCK_SHAPES) for (const beta of [0, 0.5]) checkStrided(rng, form, dtype, m, n, k, beta, PADS[1]);
      });
    }
  }

  it('with m or n = 0 writes nothing, padding and guards included', () => {
    const rng = new Random(23);
    for (const form of FORMS) for (const dtype of DTYPES) {
      for (const [m, n] of [[0, 5], [3, 0]]) checkStrided(rng, form, dtype, m, n, 4, 0.5, [1, 2, 3]);
    }
  });

  it('on the same values, padded or not (lda = k, ldb = n, ldc = n as stored), gives the same bytes as the unstrided kernel', () => {
    const rng = new Random(24);
    for (const form of FORMS) for (const dtype of DTYPES) {
      for (const [m, n, k] of [[5, 9, 7], [65, 129, 257], [129, 257, 40], [3, 17, 513]]) {
        const s = storedShapes(form, m, n, k);
        const a = randomArray(rng, s.aRows * s.aCols, dtype);
        const b = randomArray(rng, s.bRows * s.bCols, dtype);
        const c = randomArray(rng, m * n, dtype);
        for (const beta of [0, 0.5]) {
          withWorkspace((ws) => {
            const pa = ws.copyIn(a), pb = ws.copyIn(b);
            const plain = ws.copyIn(c);
            typed(`gemm${form}`, dtype)(pa.ptr, pb.ptr, plain.ptr, m, n, k, beta);
            const want = plain.read();

            const contiguous = ws.copyIn(c);
            typed(`gemm${form}Strided`, dtype)(pa.ptr, pb.ptr, contiguous.ptr, m, n, k, beta, s.aCols, s.bCols, n);
            expectSameBytes(dtype, contiguous.read(), want);

            const [padA, padB, padC] = [3, 1, 2];
            const nan = () => NaN;
            const qa = ws.copyIn(padded(rng, dtype, s.aRows, s.aCols, padA, nan, a));
            const qb = ws.copyIn(padded(rng, dtype, s.bRows, s.bCols, padB, nan, b));
            const qc = ws.copyIn(padded(rng, dtype, m, n, padC, nan, c));
            typed(`gemm${form}Strided`, dtype)(qa.ptr, qb.ptr, qc.ptr, m, n, k, beta, s.aCols + padA, s.bCols + padB, n + padC);
            expectSameBytes(dtype, block(qc.read(), m, n, n + padC), want);
          });
        }
      }
    }
  });
});
