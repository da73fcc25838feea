/**
 * The lasso objective of given codes, as sparseEncode minimises it, for comparing solvers and
 * learned encoders by what they optimise (the demos' objective-against-work plots).
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type MatrixLike } from '../runtime/matrix.js';

/**
 * The mean over rows of ½‖xₙ − hₙD‖² + α‖hₙ‖₁: the lasso objective that `sparseEncode` minimises
 * per signal, for codes from any source (a solver stopped early, LISTA, a user's own guess).
 * Plain TypeScript in f64, O(N·A·F): meant for evaluation, not for inner loops.
 *
 * @param X signals, N × F
 * @param dictionary atoms, A × F
 * @param codes codes, N × A (e.g. `sparseEncode(X, D).codes` or `lista.transform(X)`)
 * @param alpha the weight of the ℓ₁ penalty (≥ 0)
 * @throws ShapeError when the shapes disagree; ValueError for a negative or non-finite alpha
 * @example
 * ```ts
 * const { codes } = sparseEncode(X, D, { alpha: 0.1, algorithm: 'ista', maxIter: 30 });
 * const gap = lassoObjective(X, D, codes, 0.1) - lassoObjective(X, D, optimal.codes, 0.1);
 * ```
 */
export function lassoObjective(X: MatrixLike, dictionary: MatrixLike, codes: MatrixLike, alpha: number): number {
  const x = toMatrix(X, 'X'), d = toMatrix(dictionary, 'dictionary'), h = toMatrix(codes, 'codes');
  const { rows: N, cols: F } = x, A = d.rows;
  if (d.cols !== F) throw new ShapeError(`dictionary must have ${F} columns (the features of X); got ${d.cols}`);
  if (h.rows !== N || h.cols !== A) throw new ShapeError(`codes must be ${N} × ${A} (rows of X × atoms); got ${h.rows} × ${h.cols}`);
  if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw new ValueError(`alpha must be a finite number ≥ 0; got ${describe(alpha)}`);
  if (N === 0) return 0;
  let total = 0;
  for (let n = 0; n < N; n++) {
    let rr = 0, l1 = 0;
    for (let f = 0; f < F; f++) {
      let r = x.data[n * F + f];
      for (let a = 0; a < A; a++) r -= h.data[n * A + a] * d.data[a * F + f];
      rr += r * r;
    }
    for (let a = 0; a < A; a++) l1 += Math.abs(h.data[n * A + a]);
    total += 0.5 * rr + alpha * l1;
  }
  return total / N;
}
