/**
 * Plain-TypeScript twins of assembly/meanfield.ts: same names and argument order, typed arrays
 * in place of pointers, computed in f64 (an f32 array rounds on store). The binary models are
 * in the form log p̃(h) = aᵀh + ½hᵀJh (J symmetric, zero diagonal); matrices are row-major,
 * rows × n, and the field is F = A + ĤJ.
 */
import type { FloatArray } from '../runtime/matrix.js';

function sigmoid1(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

function entropy1(p: number): number {
  const a = p === 0 ? 0 : p * Math.log(p);
  const b = p === 1 ? 0 : (1 - p) * Math.log1p(-p);
  return 0 - a - b;
}

/** field = a + h·J (rows × n). */
export function meanFieldField(a: FloatArray, J: FloatArray, h: FloatArray, field: FloatArray, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      let s = a[r * n + i];
      for (let j = 0; j < n; j++) s += h[r * n + j] * J[j * n + i];
      field[r * n + i] = s;
    }
  }
}

/** One sequential sweep: for each i, f_i = a_i + Σ_j J_ij ĥ_j and ĥ_i ← ĥ_i + η(σ(f_i) − ĥ_i); returns max |Δĥ|. */
export function meanFieldSequential(a: FloatArray, J: FloatArray, h: FloatArray, rows: number, n: number, damping: number): number {
  let maxDelta = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) {
      let f = a[o + i];
      for (let j = 0; j < n; j++) f += J[i * n + j] * h[o + j];
      const old = h[o + i];
      const target = sigmoid1(f);
      h[o + i] = damping === 1 ? target : old + damping * (target - old);
      maxDelta = Math.max(maxDelta, Math.abs(h[o + i] - old));
    }
  }
  return maxDelta;
}

/** One damped parallel sweep: field = a + ĤJ, Ĥ ← Ĥ + η(σ(field) − Ĥ); returns max |Δĥ|. */
export function meanFieldParallel(a: FloatArray, J: FloatArray, h: FloatArray, field: FloatArray, rows: number, n: number, damping: number): number {
  meanFieldField(a, J, h, field, rows, n);
  let maxDelta = 0;
  for (let i = 0; i < rows * n; i++) {
    const old = h[i];
    h[i] = old + damping * (sigmoid1(field[i]) - old);
    maxDelta = Math.max(maxDelta, Math.abs(h[i] - old));
  }
  return maxDelta;
}

/** out_r = ½ ĥ_rᵀ(a_r + f_r) + Σ_i H(ĥ_ri): the mean-field bound of each row (field = a + ĤJ). */
export function meanFieldBound(a: FloatArray, field: FloatArray, h: FloatArray, out: Float64Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = h[r * n + i];
      s += 0.5 * p * (a[r * n + i] + field[r * n + i]) + entropy1(p);
    }
    out[r] = s;
  }
}

/**
 * Half a checkerboard sweep of a height × width grid (bias a, coupling w between 4-neighbours):
 * sites with (i + j) mod 2 = colour move to m + η(σ(a + w Σ_nb m_nb) − m). Returns max |Δm|.
 */
export function isingCheckerboard(a: FloatArray, m: FloatArray, height: number, width: number, w: number, damping: number, colour: number): number {
  let maxDelta = 0;
  for (let i = 0; i < height; i++) {
    for (let j = (colour + i) & 1; j < width; j += 2) {
      const at = i * width + j;
      let s = 0;
      if (j > 0) s += m[at - 1];
      if (j < width - 1) s += m[at + 1];
      if (i > 0) s += m[at - width];
      if (i < height - 1) s += m[at + width];
      const old = m[at];
      m[at] = old + damping * (sigmoid1(a[at] + w * s) - old);
      maxDelta = Math.max(maxDelta, Math.abs(m[at] - old));
    }
  }
  return maxDelta;
}
