/** Validation at the door for sparse coding: options, signals, dictionaries, warm starts. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';

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

/** A Gram matrix DDᵀ given by the caller: A × A with a positive diagonal. */
export function checkGram(g: MatrixLike, atoms: number): Matrix {
  const m = checkShape(g, 'gram', atoms, atoms, 'atoms × atoms of the dictionary');
  for (let a = 0; a < atoms; a++) {
    if (!(m.data[a * atoms + a] > 0)) throw new ValueError(`gram must have a positive diagonal; gram[${a}][${a}] is ${m.data[a * atoms + a]}`);
  }
  return m;
}
