/**
 * Power-of-two rescaling, which makes the lasso's arithmetic scale-safe by design.
 *
 * The lasso is scale-equivariant: with X = 2^ex·X', D = 2^ed·D', the codes of
 * ½‖x − hD‖² + α‖h‖₁ are h = 2^(ex−ed)·h' where h' solves the same problem for X', D' and
 * α' = α·2^−(ex+ed), and the objective and duality gap scale by 2^(2ex). The solvers therefore
 * run on X' and D' with max-abs entries in [½, 1), where no square or Gram entry can overflow or
 * underflow, and the outputs are scaled back. Powers of two are exact in floating point, so on
 * data of ordinary size the results are bit for bit those of the unscaled arithmetic.
 */
import { ValueError } from '../runtime/errors.js';
import type { FloatArray } from '../runtime/matrix.js';

/** Largest |v| in the array (0 for an empty or all-zero array). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** v·2^e, exact unless the result over- or underflows (two steps when 2^e itself would not fit). */
export function scalePow2(v: number, e: number): number {
  if (e >= -1000 && e <= 1000) return v * 2 ** e;
  const half = Math.trunc(e / 2);
  return v * 2 ** half * 2 ** (e - half);
}

/** The exponent e with m·2^−e in [½, 1) (0 for m = 0 or non-finite m: nothing to rescale). */
export function exponentOf(m: number): number {
  if (!(m > 0) || !Number.isFinite(m)) return 0;
  let e = Math.floor(Math.log2(m)) + 1;
  // log2 may be off by one near powers of two: settle on the exact exponent.
  while (scalePow2(m, -e) >= 1) e++;
  while (scalePow2(m, -e) < 0.5) e--;
  return e;
}

/**
 * Every element times 2^e, in place, with the same bits as scalePow2 per element: the factors
 * are computed once (a power per element made a 10k × 256 code matrix cost more than its solve).
 */
export function scaleInPlace(a: FloatArray, e: number): void {
  if (e === 0) return;
  if (e >= -1000 && e <= 1000) {
    const f = 2 ** e;
    for (let i = 0; i < a.length; i++) a[i] *= f;
    return;
  }
  const half = Math.trunc(e / 2);
  const f1 = 2 ** half, f2 = 2 ** (e - half);
  for (let i = 0; i < a.length; i++) a[i] = a[i] * f1 * f2;
}

/** A copy of data times 2^e, in the same element type. */
export function scaledCopy<A extends FloatArray>(data: A, e: number): A {
  const out = data.slice() as A;
  scaleInPlace(out, e);
  return out;
}

/**
 * Checks that every row's ‖x‖² = 2^(2e)·x2[i] is finite (x2: squared norms of the rescaled rows):
 * the objective ½‖x − hD‖² and the tolerance tol·‖x‖² are in units of it, so a row whose square
 * overflows f64 has no representable objective.
 * @throws ValueError naming `name`, the row and the limit
 */
export function checkRowNorms(x2: Float64Array, e: number, name: string): void {
  for (let i = 0; i < x2.length; i++) {
    if (Number.isFinite(scalePow2(x2[i], 2 * e))) continue;
    const norm = scalePow2(Math.sqrt(x2[i]), e);
    throw new ValueError(
      `${name} row ${i} has norm ${norm.toPrecision(3)}: its square (the scale of the objective ½‖x − hD‖² and of tol·‖x‖²) overflows f64, so rows must have ‖x‖ < 1.34e154; scale ${name} down`,
    );
  }
}
