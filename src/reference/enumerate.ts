/**
 * Plain-TypeScript twin of assembly/enumerate.ts: the same Gray-code enumeration over the same
 * ranges, argument order, buffer layouts, resync schedule and range-order combination, in f64.
 */
import type { FloatArray } from '../runtime/matrix.js';

/** Ranges have at least 2^MIN_RANGE_BITS states (below that a range's setup would show). */
const MIN_RANGE_BITS = 10;
/** At most 2^MAX_RANGE_COUNT_BITS ranges, so their partial results stay small. */
const MAX_RANGE_COUNT_BITS = 8;

/**
 * log₂ of the states per range of an enumeration of 2ⁿ states: the sequence is cut into
 * ranges of 2^grayRangeBits(n) states (n ≤ 10: one range of all of them). It depends on n alone, so
 * the ranges, and with them the bytes of the answer, are the same for any thread count.
 *
 * @example
 * ```ts
 * reference.grayRangeBits(20); // 12: 256 ranges of 4096 states
 * ```
 */
export function grayRangeBits(n: number): number {
  return Math.min(n, Math.max(MIN_RANGE_BITS, n - MAX_RANGE_COUNT_BITS));
}

/** Recomputes g = Jh and t_r = a_rᵀh from the bits on in h, and returns ½hᵀJh = ½Σ_{i on} g_i. */
function recompute(aT: FloatArray, lda: number, J: FloatArray, n: number, rows: number, bits: number, g: Float64Array, t: Float64Array): number {
  g.fill(0);
  t.fill(0);
  for (let i = 0; i < n; i++) {
    if (((bits >>> i) & 1) === 0) continue;
    for (let c = 0; c < n; c++) g[c] += J[i * n + c];
    for (let r = 0; r < rows; r++) t[r] += aT[i * lda + r];
  }
  let q = 0;
  for (let i = 0; i < n; i++) if (((bits >>> i) & 1) !== 0) q += g[i];
  return 0.5 * q;
}

/**
 * The resync mask P − 1 of an enumeration over aT (n × rows) and J (n × n): P is the largest
 * power of two ≤ 2ⁿ with 8·P·eps·S ≤ 1e-9 (at least 1), S = max_r Σ|a_r| + ½Σ|J|; the states k
 * with k & mask = 0 recompute their sums from the bits on.
 *
 * @example
 * ```ts
 * reference.grayResyncMask(new Float64Array([1, 2]), new Float64Array(4), 2, 1); // 3 (P = 4)
 * ```
 */
export function grayResyncMask(aT: FloatArray, J: FloatArray, n: number, rows: number): number {
  let sa = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(aT[i * rows + r]);
    sa = Math.max(sa, s);
  }
  let sj = 0;
  for (let i = 0; i < n * n; i++) sj += Math.abs(J[i]);
  const S = sa + 0.5 * sj;
  let P = 2 ** n;
  const limit = 1e-9 / (8 * Number.EPSILON);
  while (P > 1 && P * S > limit) P /= 2;
  return P - 1;
}

/** One pass over a range (see assembly/enumerate.ts rangePass). */
function rangePass(aT: FloatArray, lda: number, J: FloatArray, n: number, rows: number, mask: number, first: number, count: number,
  mx: Float64Array, sm: Float64Array, marg: Float64Array | null, work: Float64Array, sum: boolean): void {
  const g = work.subarray(0, n);
  const t = work.subarray(n, n + rows);
  const on = work.subarray(n + rows);
  const withMarg = sum && marg !== null;
  let bits = first ^ (first >>> 1);
  let q = recompute(aT, lda, J, n, rows, bits, g, t);
  for (let r = 0; r < rows; r++) {
    if (sum) sm[r] = Math.exp(q + t[r] - mx[r]);
    else mx[r] = q + t[r];
  }
  if (withMarg) {
    marg.fill(0, 0, n * rows);
    for (let j = 0; j < n; j++) if (((bits >>> j) & 1) !== 0) on.fill(0, j * rows, (j + 1) * rows);
  }
  const end = first + count;
  for (let k = first + 1; k < end; k++) {
    const j = 31 - Math.clz32(k & -k);
    const turnOn = ((bits >>> j) & 1) === 0;
    bits ^= 1 << j;
    // Every P states (see assembly/enumerate.ts) the sums are recomputed from the bits on.
    const exact = (k & mask) === 0;
    const sg = exact ? 0 : turnOn ? 1 : -1;
    if (exact) q = recompute(aT, lda, J, n, rows, bits, g, t);
    else {
      q += sg * g[j];
      for (let i = 0; i < n; i++) g[i] += sg * J[j * n + i];
    }
    for (let r = 0; r < rows; r++) {
      t[r] += sg * aT[j * lda + r];
      const value = q + t[r];
      if (!sum) {
        mx[r] = Math.max(mx[r], value);
        continue;
      }
      if (withMarg) {
        if (turnOn) on[j * rows + r] = sm[r];
        else marg[j * rows + r] += sm[r] - on[j * rows + r];
      }
      sm[r] += Math.exp(value - mx[r]);
    }
  }
  if (!withMarg) return;
  for (let j = 0; j < n; j++) {
    if (((bits >>> j) & 1) === 0) continue;
    for (let r = 0; r < rows; r++) marg[j * rows + r] += sm[r] - on[j * rows + r];
  }
}

/**
 * One range (states first … first + count − 1, state k having bits k ^ (k >> 1)) of
 * log Σ_h exp(a_rᵀh + ½hᵀJh): per row the range's largest exponent mx_r, its scaled sum
 * sm_r = Σ exp(value − mx_r) and, when marg is given, the scaled masses marg[j·rows + r] of the
 * states with h_j = 1. a_{ir} = aT[i·lda + r]; work holds n + rows (+ n·rows with marg) values.
 *
 * @example
 * ```ts
 * // a = (0, 0), J = 0: the states 0 … 3 all have value 0.
 * const mx = new Float64Array(1), sm = new Float64Array(1);
 * reference.logPartitionRange(new Float64Array(2), 1, new Float64Array(4), 2, 1, 3, 0, 4, mx, sm, null, new Float64Array(3));
 * // mx = [0], sm = [4]
 * ```
 */
export function logPartitionRange(aT: FloatArray, lda: number, J: FloatArray, n: number, rows: number, mask: number, first: number, count: number,
  mx: Float64Array, sm: Float64Array, marg: Float64Array | null, work: Float64Array): void {
  rangePass(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work, false);
  rangePass(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work, true);
}

/**
 * Combines `ranges` results of {@link logPartitionRange} in range order: M = max_b mx_b,
 * S = Σ_b sm_b·e^(mx_b − M), out_r = M + log S, and with marg margOut[j·ld + r] =
 * Σ_b marg_b[j, r]·e^(mx_b − M) / S. Range b's results are at mx[b·rows], sm[b·rows] and
 * marg[b·n·rows]; mx is overwritten with the weights e^(mx_b − M).
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * reference.logPartitionCombine(Float64Array.of(0, 0), Float64Array.of(2, 2), null, 2, 1, 1, out, null, 1);
 * // out = [log 4]
 * ```
 */
export function logPartitionCombine(mx: Float64Array, sm: Float64Array, marg: Float64Array | null, ranges: number, n: number, rows: number,
  out: Float64Array, margOut: Float64Array | null, ld: number): void {
  for (let r = 0; r < rows; r++) {
    let M = -Infinity;
    for (let b = 0; b < ranges; b++) M = Math.max(M, mx[b * rows + r]);
    let S = 0;
    for (let b = 0; b < ranges; b++) {
      const w = Math.exp(mx[b * rows + r] - M);
      mx[b * rows + r] = w;
      S += sm[b * rows + r] * w;
    }
    out[r] = M + Math.log(S);
    if (marg === null || margOut === null) continue;
    for (let j = 0; j < n; j++) {
      let mass = 0;
      for (let b = 0; b < ranges; b++) mass += marg[(b * n + j) * rows + r] * mx[b * rows + r];
      margOut[j * ld + r] = mass / S;
    }
  }
}

/**
 * out_r = log Σ_{h ∈ {0,1}ⁿ} exp(a_rᵀh + ½hᵀJh) over the ranges of {@link grayRangeBits}, one
 * after the other, combined in range order; marginals p(h_j = 1) into marg (n × rows) when
 * given. aT is n × rows, J n × n.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * reference.logPartition(new Float64Array(3), new Float64Array(9), 3, 1, out, null); // out = [3 log 2]
 * ```
 */
export function logPartition(aT: FloatArray, J: FloatArray, n: number, rows: number, out: Float64Array, marg: Float64Array | null): void {
  const mask = grayResyncMask(aT, J, n, rows);
  const bits = grayRangeBits(n);
  const ranges = 2 ** (n - bits);
  const mx = new Float64Array(ranges * rows), sm = new Float64Array(ranges * rows);
  const parts = marg ? new Float64Array(ranges * n * rows) : null;
  const work = new Float64Array(n + rows + (marg ? n * rows : 0));
  for (let b = 0; b < ranges; b++) {
    logPartitionRange(aT, rows, J, n, rows, mask, b * 2 ** bits, 2 ** bits, mx.subarray(b * rows), sm.subarray(b * rows),
      parts ? parts.subarray(b * n * rows) : null, work);
  }
  logPartitionCombine(mx, sm, parts, ranges, n, rows, out, marg, rows);
}
