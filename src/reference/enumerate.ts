/**
 * Plain-TypeScript twin of assembly/enumerate.ts: the same Gray-code enumeration, argument
 * order and buffer layouts, in f64.
 */
import type { FloatArray } from '../runtime/matrix.js';

function grayPass(aT: FloatArray, J: FloatArray, n: number, rows: number, out: Float64Array, marg: Float64Array | null, work: Float64Array, sum: boolean): void {
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
    const sg = turnOn ? 1 : -1;
    q += sg * g[j];
    for (let i = 0; i < n; i++) g[i] += sg * J[j * n + i];
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
  grayPass(aT, J, n, rows, out, marg, work, false);
  grayPass(aT, J, n, rows, out, marg, work, true);
}
