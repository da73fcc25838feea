/** Validation at the door for sparse coding: options, signals, dictionaries, warm starts. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { exponentOf, maxAbs, scalePow2, scaledCopy } from './scale.js';

export function checkNonNegative(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new ValueError(`${name} must be a finite number ≥ 0; got ${describe(v)}`);
  }
  return v;
}

export function checkInteger(v: unknown, name: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${name} must be an integer ≥ ${min}; got ${describe(v)}`);
  }
  return v;
}

export function checkBoolean(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new ValueError(`${name} must be true or false; got ${describe(v)}`);
  return v;
}

export function checkChoice<T extends string>(v: unknown, name: string, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    throw new ValueError(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got ${describe(v)}`);
  }
  return v as T;
}

/**
 * A dictionary (atoms × features) for signals with `features` columns: finite, and no atom all
 * zero (its coordinate would have no curvature: G_aa = 0).
 */
export function checkDictionary(d: unknown, name: string, features?: number): Matrix {
  const m = toMatrix(d, name, features === undefined ? {} : { cols: features, colsReason: 'the number of features of X' });
  for (let a = 0; a < m.rows; a++) {
    let zero = true;
    for (let j = 0; j < m.cols && zero; j++) zero = m.data[a * m.cols + j] === 0;
    if (zero) throw new ValueError(`${name}[${a}] is an all-zero atom; every atom needs a non-zero norm`);
  }
  return m;
}

/** A matrix of the exact shape rows × cols (warm starts, Gram matrices). */
export function checkShape(x: MatrixLike, name: string, rows: number, cols: number, what: string): Matrix {
  const m = toMatrix(x, name, { minRows: 0 });
  if (m.rows !== rows || m.cols !== cols) {
    throw new ShapeError(`${name} must be ${rows} × ${cols} (${what}); got ${m.rows} × ${m.cols}`);
  }
  return m;
}

/** Random probes u for which uᵀGu is compared with ‖uᵀD‖². */
const GRAM_PROBES = 4;

/**
 * A Gram matrix DDᵀ given by the caller for the dictionary d: atoms × atoms, symmetric, its
 * diagonal the atoms' squared norms, and uᵀ·gram·u = ‖uᵀD‖² for a few seeded random u (each
 * O(atoms² + atoms·features), far below computing DDᵀ). The probes are what catches a gram that
 * is not D·Dᵀ, including any that is not positive semidefinite (then uᵀ·gram·u < 0 for most u):
 * the solvers would otherwise minimise an unbounded objective and report codes and objectives
 * that mean nothing. Tolerances are relative (1e-6, or 1e-3 when gram or d is f32) and all
 * sums run on copies scaled by a power of two, so no magnitude overflows.
 * @throws ValueError naming gram, the entry or probe, and both values
 */
export function checkGram(g: MatrixLike, d: Matrix): Matrix {
  const A = d.rows, F = d.cols;
  const m = checkShape(g, 'gram', A, A, 'atoms × atoms of the dictionary');
  const tol = m.data instanceof Float32Array || d.data instanceof Float32Array ? 1e-3 : 1e-6;
  const e = exponentOf(maxAbs(d.data));
  const D = scaledCopy(Float64Array.from(d.data), -e);
  const G = scaledCopy(Float64Array.from(m.data), -2 * e);
  const norms = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let j = 0; j < F; j++) s += D[a * F + j] ** 2;
    norms[a] = Math.sqrt(s);
    const gaa = G[a * A + a];
    if (!(Math.abs(gaa - s) <= tol * s)) {
      throw new ValueError(`gram must be dictionary·dictionaryᵀ: gram[${a}][${a}] must be ‖dictionary[${a}]‖² = ${scalePow2(s, 2 * e)}; got ${m.data[a * A + a]}`);
    }
  }
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < a; b++) {
      if (!(Math.abs(G[a * A + b] - G[b * A + a]) <= tol * norms[a] * norms[b])) {
        throw new ValueError(`gram must be symmetric; gram[${a}][${b}] = ${m.data[a * A + b]} but gram[${b}][${a}] = ${m.data[b * A + a]}`);
      }
    }
  }
  const rng = new Random(0x6a3);
  const u = new Float64Array(A), uD = new Float64Array(F);
  for (let probe = 0; probe < GRAM_PROBES; probe++) {
    rng.fillNormal(u);
    uD.fill(0);
    let bound = 0;
    for (let a = 0; a < A; a++) {
      bound += Math.abs(u[a]) * norms[a];
      for (let j = 0; j < F; j++) uD[j] += u[a] * D[a * F + j];
    }
    let exact = 0;
    for (let j = 0; j < F; j++) exact += uD[j] ** 2;
    let quad = 0;
    for (let a = 0; a < A; a++) {
      let s = 0;
      for (let b = 0; b < A; b++) s += G[a * A + b] * u[b];
      quad += u[a] * s;
    }
    if (!(Math.abs(quad - exact) <= tol * bound * bound)) {
      throw new ValueError(
        `gram must be dictionary·dictionaryᵀ (symmetric positive semidefinite); for a random vector u, uᵀ·gram·u = ${scalePow2(quad, 2 * e).toPrecision(6)} but ‖uᵀ·dictionary‖² = ${scalePow2(exact, 2 * e).toPrecision(6)}`,
      );
    }
  }
  return m;
}
