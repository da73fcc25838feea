// Units in the last place, for the accuracy specifications of the special-function kernels.
import type { DType } from '../../src/index.js';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The spacing of the floats of `dtype` at b, from b's exponent (the subnormal spacing below the normal range). */
export function ulp(b: number, dtype: DType): number {
  if (dtype === 'f32') {
    f32[0] = b;
    const e = (u32[0] >>> 23) & 0xff;
    return e === 0 ? 2 ** -149 : 2 ** (e - 127 - 23);
  }
  f64[0] = b;
  const e = Number((u64[0] >> 52n) & 0x7ffn);
  return e === 0 ? 2 ** -1074 : 2 ** (e - 1023 - 52);
}

/** |a − b| / ulp(b); 0 when both are the same value (NaN counts as equal to NaN), ∞ when only one is finite. */
export function ulpError(a: number, b: number, dtype: DType): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / ulp(b, dtype);
}

/** The largest ulp error over the arrays and where it happens. */
export function maxUlpError(got: ArrayLike<number>, want: ArrayLike<number>, dtype: DType, x?: ArrayLike<number>): { ulps: number; at: number } {
  let ulps = 0;
  let at = NaN;
  for (let i = 0; i < got.length; i++) {
    const e = ulpError(got[i], want[i], dtype);
    if (e > ulps) {
      ulps = e;
      at = x ? x[i] : i;
    }
  }
  return { ulps, at };
}
