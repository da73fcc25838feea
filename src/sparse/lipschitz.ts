/**
 * The Lipschitz constant of the lasso's smooth part, L = λ_max(DDᵀ), for the ISTA/FISTA step
 * 1/L: power iteration on the smaller of DDᵀ (A×A) and DᵀD (F×F) — they share their non-zero
 * eigenvalues — in f64, cached per dictionary.
 */
import { Random } from '../runtime/random.js';
import type { FloatArray } from '../runtime/matrix.js';
import { exponentOf, maxAbs, scalePow2, scaledCopy } from './scale.js';

/** Power iteration stops when the Rayleigh quotient changes by less than this, relatively. */
const POWER_TOL = 1e-10;
const POWER_MAX_ITER = 5000;
/**
 * Power iteration approaches λ_max from below; the step uses L·(1 + margin) so that a
 * not-quite-converged estimate still gives a step ≤ 1/λ_max (FISTA's guarantee needs it).
 */
const LIPSCHITZ_MARGIN = 1e-3;

/**
 * λ_max of the symmetric positive semi-definite n×n matrix m (row-major). The iteration runs on
 * m scaled by a power of two to max-abs entries in [½, 1) (exact), so that its sums of squares
 * can neither overflow nor underflow whatever the scale of m.
 */
export function largestEigenvalue(m: Float64Array, n: number): number {
  const e = exponentOf(maxAbs(m));
  return scalePow2(unitEigenvalue(e === 0 ? m : scaledCopy(m, -e), n), e);
}

function unitEigenvalue(m: Float64Array, n: number): number {
  const rng = new Random(0x5eed);
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + 0.1 * rng.normal();
  let w = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < POWER_MAX_ITER; it++) {
    let vv = 0, vw = 0, ww = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j] * v[j];
      w[i] = s;
      vv += v[i] * v[i];
      vw += v[i] * s;
      ww += s * s;
    }
    if (ww === 0) return 0;
    const next = vw / vv;
    const norm = Math.sqrt(ww);
    for (let i = 0; i < n; i++) w[i] /= norm;
    [v, w] = [w, v];
    if (Math.abs(next - lambda) <= POWER_TOL * next) return next;
    lambda = next;
  }
  return lambda;
}

/**
 * λ_max(DDᵀ) for a dictionary D (A×F), through whichever Gram matrix is smaller, formed from D
 * scaled by a power of two to max-abs entries in [½, 1) (exact), so that no entry overflows.
 */
export function dictionaryLipschitz(d: FloatArray, A: number, F: number): number {
  const e = exponentOf(maxAbs(d));
  return scalePow2(unitDictionaryLipschitz(e === 0 ? d : scaledCopy(d, -e), A, F), 2 * e);
}

function unitDictionaryLipschitz(d: FloatArray, A: number, F: number): number {
  const byAtoms = A <= F;
  const n = byAtoms ? A : F;
  const m = new Float64Array(n * n);
  if (byAtoms) {
    for (let i = 0; i < A; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += d[i * F + f] * d[j * F + f];
      m[i * n + j] = m[j * n + i] = s;
    }
  } else {
    for (let a = 0; a < A; a++) {
      const o = a * F;
      for (let i = 0; i < F; i++) {
        const di = d[o + i];
        if (di === 0) continue;
        for (let j = 0; j < F; j++) m[i * n + j] += di * d[o + j];
      }
    }
  }
  return largestEigenvalue(m, n);
}

/** The step-size constant actually used: the estimate with its safety margin. */
export function stepLipschitz(lambda: number): number {
  return lambda * (1 + LIPSCHITZ_MARGIN);
}

const cache = new WeakMap<FloatArray, { copy: FloatArray; value: number }>();

/**
 * λ_max of a dictionary (A×F, `gram` false) or of a Gram matrix (A×A, `gram` true), given as
 * `data` (the rescaled copy the solver runs on), cached per caller's array `key` of which data is
 * a fixed function: a hit needs an element-wise equal copy of key (O(size), far below the power
 * iteration), so changing the array in place is safe.
 */
export function cachedLipschitz(key: FloatArray, data: FloatArray, rows: number, cols: number, gram: boolean): number {
  const hit = cache.get(key);
  if (hit && hit.copy.length === key.length && hit.copy.every((v, i) => v === key[i])) return hit.value;
  const value = gram ? largestEigenvalue(Float64Array.from(data), rows) : dictionaryLipschitz(data, rows, cols);
  cache.set(key, { copy: key.slice(), value });
  return value;
}
