/** Plain-TypeScript twins of assembly/learned.ts (see there for the mathematics). */
import type { FloatArray } from '../runtime/matrix.js';

/** The soft threshold of one value, as assembly/sparse.ts's shrinkV computes it. */
function shrink(b: number, t: number, nonneg: boolean): number {
  if (nonneg) return Math.max(b - t, 0);
  const m = Math.max(Math.abs(b) - t, 0);
  return b < 0 || Object.is(b, -0) ? -m : m;
}

/** z(rows×A) = S_θ(b), θ per column; max(b − θ, 0) when positive. */
export function listaShrink(b: FloatArray, z: FloatArray, theta: FloatArray, rows: number, A: number, positive: number): void {
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < A; a++) z[r * A + a] = shrink(b[r * A + a], theta[a], positive !== 0);
  }
}

/** gb = gz ∘ 1[|b| > θ] (b > θ when positive); gtheta −= column sums of sign(b)·gb. */
export function listaShrinkBackward(b: FloatArray, gz: FloatArray, gb: FloatArray, theta: FloatArray, gtheta: FloatArray,
  rows: number, A: number, positive: number): void {
  const nonneg = positive !== 0;
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < A; a++) {
      const i = r * A + a;
      const bv = b[i];
      const pass = nonneg ? bv > theta[a] : Math.abs(bv) > theta[a];
      const g = pass ? gz[i] : 0;
      gb[i] = g;
      gtheta[a] -= nonneg || bv > 0 ? g : -g;
    }
  }
}

/** Returns Σ (z − h)² over n elements and stores g = scale·(z − h). */
export function codeErrorGrad(z: FloatArray, h: FloatArray, g: FloatArray, n: number, scale: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = z[i] - h[i];
    s += d * d;
    g[i] = scale * d;
  }
  return s;
}

/** One Adam step over n parameters (c1, c2: the bias corrections 1 − βᵗ). */
export function adamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, n: number, lr: number,
  beta1: number, beta2: number, eps: number, c1: number, c2: number): void {
  for (let i = 0; i < n; i++) {
    const gs = g[i];
    const ms = beta1 * m[i] + (1 - beta1) * gs;
    const vs = beta2 * v[i] + (1 - beta2) * (gs * gs);
    m[i] = ms;
    v[i] = vs;
    p[i] = p[i] - lr * ((ms / c1) / (Math.sqrt(vs / c2) + eps));
  }
}

/** gu = gq ∘ q(1 − q) over n elements: the logistic layer's backward pass from its output q (in place allowed). */
export function sigmoidBackward(q: FloatArray, gq: FloatArray, gu: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) gu[i] = gq[i] * (q[i] * (1 - q[i]));
}

/**
 * Back through one sequential mean-field layer of the BscEncoder: y (rows × n) came from x by
 * u_i = c_i + Σ_{j<i} J_ij y_j + Σ_{j≥i} J_ij x_j, y_i = σ(u_i) in the order i = 0 … n−1. Per row,
 * in the reverse order, gu_i += y_i(1 − y_i)·(gy_i + Σ_{k>i} J_ki gu_k) (gu holds on entry the
 * gradient reaching the logits directly, gy the gradient reaching y from outside the layer);
 * then gx_j = Σ_{i≤j} J_ij gu_i and gJ_ij += gu_i·(y_j if j < i, else x_j), summed over the rows
 * in row order.
 */
export function encoderSweepBackward(y: FloatArray, x: FloatArray, gy: FloatArray, J: FloatArray, gu: FloatArray, gx: FloatArray, gJ: FloatArray,
  rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let i = n - 1; i >= 0; i--) {
      let s = gy[o + i];
      for (let k = i + 1; k < n; k++) s += J[k * n + i] * gu[o + k];
      const yi = y[o + i];
      gu[o + i] += yi * (1 - yi) * s;
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i <= j; i++) s += J[i * n + j] * gu[o + i];
      gx[o + j] = s;
    }
    for (let i = 0; i < n; i++) {
      const g = gu[o + i];
      for (let j = 0; j < n; j++) gJ[i * n + j] += g * (j < i ? y[o + j] : x[o + j]);
    }
  }
}
