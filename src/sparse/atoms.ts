/**
 * The dictionary side of dictionary learning, shared by the batch and mini-batch learners:
 * initial atoms, and what follows each block-coordinate pass (dictionaryUpdate kernel): atoms
 * back to unit norm and unused atoms resampled.
 */
import type { Matrix } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';

/** Relative size of the noise added to a resampled atom (scikit-learn's 0.01·std of the row). */
const RESAMPLE_NOISE = 0.01;

/**
 * K initial atoms (K × F, f64): distinct rows of X drawn at random (with repetition only when
 * K > N) plus a little noise, clipped at 0 when `positive`, scaled to unit norm.
 */
export function initialAtoms(X: Matrix, K: number, rng: Random, positive: boolean): Float64Array {
  const { rows: N, cols: F } = X;
  const order = rng.permutation(N);
  const V = new Float64Array(K * F);
  for (let k = 0; k < K; k++) {
    const row = k < N ? order[k] : rng.int(N);
    V.set(perturbedRow(X, row, rng, positive), k * F);
  }
  return V;
}

/** Row `row` of X plus noise of 0.01·std(row) (or of 0.01 for a constant row), unit norm. */
function perturbedRow(X: Matrix, row: number, rng: Random, positive: boolean): Float64Array {
  const F = X.cols;
  const v = new Float64Array(F);
  let mean = 0;
  for (let j = 0; j < F; j++) mean += X.data[row * F + j] / F;
  let variance = 0;
  for (let j = 0; j < F; j++) variance += (X.data[row * F + j] - mean) ** 2 / F;
  const noise = RESAMPLE_NOISE * (Math.sqrt(variance) || 1);
  for (let j = 0; j < F; j++) v[j] = X.data[row * F + j] + noise * rng.normal();
  if (positive) for (let j = 0; j < F; j++) v[j] = Math.abs(v[j]);
  let nn = 0;
  for (let j = 0; j < F; j++) nn += v[j] * v[j];
  const norm = Math.sqrt(nn);
  for (let j = 0; j < F; j++) v[j] /= norm;
  return v;
}

/**
 * After a block-coordinate pass (norms[k] = ‖V_k‖ ≤ 1 after the ball projection, or ≤ 0 for an
 * unused or vanished atom), in place on V (K × F):
 *  - an atom with 0 < ‖V_k‖ < 1 is scaled to unit norm, and its codes must be multiplied by
 *    ‖V_k‖: the product UV is unchanged and α‖U‖₁ shrinks, so the objective does not rise;
 *  - an unused atom is replaced by a perturbed random row of X (unit norm); its codes must be 0.
 * Returns the factors s_k for the codes (‖V_k‖, 0, or 1 when nothing changed), or null when
 * every factor is 1.
 */
export function normaliseAtoms(V: ArrayLike<number> & { [i: number]: number }, norms: ArrayLike<number>, K: number, F: number,
  X: Matrix, rng: Random, positive: boolean): Float64Array | null {
  const s = new Float64Array(K).fill(1);
  let changed = false;
  for (let k = 0; k < K; k++) {
    const nu = norms[k];
    if (nu === 1) continue;
    changed = true;
    if (nu > 0) {
      for (let j = 0; j < F; j++) V[k * F + j] /= nu;
      s[k] = nu;
    } else {
      const v = perturbedRow(X, rng.int(X.rows), rng, positive);
      for (let j = 0; j < F; j++) V[k * F + j] = v[j];
      s[k] = 0;
    }
  }
  return changed ? s : null;
}
