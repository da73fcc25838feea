/**
 * Plain-TypeScript twin of assembly/enumerate.ts: the same Gray-code enumeration, argument
 * order, buffer layouts and resync schedule, in f64.
 */
import type { FloatArray } from '../runtime/matrix.js';

/** Recomputes g = Jh and t_r = a_rᵀh from the bits on in h, and returns ½hᵀJh = ½Σ_{i on} g_i. */
function recompute(aT: FloatArray, J: FloatArray, n: number, rows: number, bits: number, g: Float64Array, t: Float64Array): number {
  g.fill(0);
  t.fill(0);
  for (let i = 0; i < n; i++) {
    if (((bits >>> i) & 1) === 0) continue;
    for (let c = 0; c < n; c++) g[c] += J[i * n + c];
    for (let r = 0; r < rows; r++) t[r] += aT[i * rows + r];
  }
  let q = 0;
  for (let i = 0; i < n; i++) if (((bits >>> i) & 1) !== 0) q += g[i];
  return 0.5 * q;
}

/** The resync mask P − 1: P the largest power of two ≤ 2ⁿ with 8·P·eps·S ≤ 1e-9 (at least 1). */
function resyncMask(aT: FloatArray, J: FloatArray, n: number, rows: number): number {
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

function grayPass(aT: FloatArray, J: FloatArray, n: number, rows: number, out: Float64Array, marg: Float64Array | null, work: Float64Array, sum: boolean, mask: number): void {
  const g = work.subarray(0, n);
  const t = work.subarray(n, n + rows);
  const s = work.subarray(n + rows, n + 2 * rows);
  const on = work.subarray(n + 2 * rows);
  const withMarg = sum && marg !== null;
  g.fill(0);
  t.fill(0);
  for (let r = 0; r < rows; r++) {
    if (sum) s[r] = Math.exp(-out[r]);
    else out[r] = 0;
  }
  if (withMarg) marg.fill(0, 0, n * rows);
  let q = 0;
  let bits = 0;
  const count = 2 ** n;
  for (let k = 1; k < count; k++) {
    const j = 31 - Math.clz32(k & -k);
    const turnOn = ((bits >>> j) & 1) === 0;
    bits ^= 1 << j;
    // Every P states (see assembly/enumerate.ts) the sums are recomputed from the bits on.
    const exact = (k & mask) === 0;
    const sg = exact ? 0 : turnOn ? 1 : -1;
    if (exact) q = recompute(aT, J, n, rows, bits, g, t);
    else {
      q += sg * g[j];
      for (let i = 0; i < n; i++) g[i] += sg * J[j * n + i];
    }
    for (let r = 0; r < rows; r++) {
      t[r] += sg * aT[j * rows + r];
      const value = q + t[r];
      if (!sum) {
        out[r] = Math.max(out[r], value);
        continue;
      }
      if (withMarg) {
        if (turnOn) on[j * rows + r] = s[r];
        else marg[j * rows + r] += s[r] - on[j * rows + r];
      }
      s[r] += Math.exp(value - out[r]);
    }
  }
  if (!sum) return;
  for (let r = 0; r < rows; r++) {
    const total = s[r];
    if (withMarg) {
      for (let j = 0; j < n; j++) {
        let mass = marg[j * rows + r];
        if (((bits >>> j) & 1) !== 0) mass += total - on[j * rows + r];
        marg[j * rows + r] = mass / total;
      }
    }
    out[r] += Math.log(total);
  }
}

/**
 * out_r = log Σ_{h ∈ {0,1}ⁿ} exp(a_rᵀh + ½hᵀJh) in Gray-code order; marginals p(h_j = 1) into
 * marg (n × rows) when given. aT is n × rows; work holds n + 2·rows (+ n·rows with marg) values.
 */
export function logPartition(aT: FloatArray, J: FloatArray, n: number, rows: number, out: Float64Array, marg: Float64Array | null, work: Float64Array): void {
  const mask = resyncMask(aT, J, n, rows);
  grayPass(aT, J, n, rows, out, marg, work, false, mask);
  grayPass(aT, J, n, rows, out, marg, work, true, mask);
}
