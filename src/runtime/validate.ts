/** Checks of scalar options shared by every model: each error names the option and the bad value. */
import { ValueError } from './errors.js';
import { describe } from './matrix.js';

/** An integer ≥ min. */
export function checkInteger(v: unknown, name: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${name} must be an integer ≥ ${min}; got ${describe(v)}`);
  }
  return v;
}

/** A finite number ≥ 0. */
export function checkNonNegative(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new ValueError(`${name} must be a finite number ≥ 0; got ${describe(v)}`);
  }
  return v;
}

/** A finite number. */
export function checkFinite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${name} must be a finite number; got ${describe(v)}`);
  return v;
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(v: unknown, name: string, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    throw new ValueError(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got ${describe(v)}`);
  }
  return v as T;
}

/**
 * A seed: a safe integer (|seed| ≤ 2^53 − 1), all of whose bits the generator uses. Returns it.
 * @throws ValueError naming `name` and the accepted range otherwise
 */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ValueError(`${name} must be a safe integer, −(2^53 − 1) ≤ ${name} ≤ 2^53 − 1; got ${describe(seed)}`);
  }
  return seed;
}
