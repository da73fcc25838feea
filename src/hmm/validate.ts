/** Checks of HMM arguments at the door: sequence lengths, stochastic vectors and matrices, the params letters. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toVector } from '../runtime/matrix.js';

/** How far a probability row may sum from 1 (hmmlearn's check uses numpy's allclose). */
const SUM_TOL = 1e-8;

/**
 * The lengths of the sequences concatenated in X (hmmlearn's `lengths`): positive integers
 * summing to N; undefined means one sequence of N rows.
 */
export function checkLengths(lengths: unknown, N: number): Int32Array {
  if (lengths === undefined) return Int32Array.of(N);
  if (!Array.isArray(lengths) && !ArrayBuffer.isView(lengths)) {
    throw new ShapeError(`lengths must be an array of sequence lengths; got ${describe(lengths)}`);
  }
  const a = lengths as ArrayLike<unknown>;
  if (a.length === 0) throw new ShapeError('lengths must name at least one sequence; got an empty array');
  const out = new Int32Array(a.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ValueError(`lengths[${i}] must be a positive integer (a sequence has at least one row); got ${describe(v)}`);
    }
    out[i] = v;
    sum += v;
  }
  if (sum !== N) throw new ShapeError(`lengths must sum to the number of rows of X (${N}); they sum to ${sum}`);
  return out;
}

/** A probability vector of length K: entries in [0, 1] summing to 1. Returns a copy. */
export function checkProbabilities(p: unknown, name: string, K: number): Float64Array {
  const v = Float64Array.from(toVector(p, name, K));
  checkRow(v, name, '');
  return v;
}

/** A rows × K row-stochastic matrix given as number[][] or flat (rows·K values). Returns a flat copy. */
export function checkStochasticMatrix(p: unknown, name: string, rows: number, K: number): Float64Array {
  let flat: unknown = p;
  if (Array.isArray(p) && p.length > 0 && Array.isArray(p[0])) {
    if (p.length !== rows || p.some((r) => !Array.isArray(r) || r.length !== K)) {
      throw new ShapeError(`${name} must be ${rows} × ${K}; got ${p.length} rows of lengths ${p.map((r) => (Array.isArray(r) ? r.length : describe(r))).join(', ')}`);
    }
    flat = (p as number[][]).flat();
  }
  const v = Float64Array.from(toVector(flat, name, rows * K));
  for (let i = 0; i < rows; i++) checkRow(v.subarray(i * K, (i + 1) * K), name, `row ${i} of `);
  return v;
}

function checkRow(v: Float64Array, name: string, where: string): void {
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    if (!(v[k] >= 0 && v[k] <= 1)) throw new ValueError(`${name} must hold probabilities in [0, 1]; ${where}${name} has ${v[k]} at ${k}`);
    s += v[k];
  }
  if (Math.abs(s - 1) > SUM_TOL) throw new ValueError(`${where}${name} must sum to 1; it sums to ${s}`);
}

/**
 * A string of parameter letters drawn from `allowed` (hmmlearn's params / init_params), returned
 * in the canonical order of `allowed` ('cs' → 'sc'), so a saved model has one spelling per set.
 */
export function checkLetters(v: unknown, name: string, allowed: string): string {
  if (typeof v !== 'string' || [...v].some((c) => !allowed.includes(c))) {
    throw new ValueError(`${name} must be a string of the letters '${allowed}'; got ${describe(v)}`);
  }
  return [...allowed].filter((c) => v.includes(c)).join('');
}

/** Every canonical letter string over `allowed` (its 2^n subsets, in order): what a saved model may hold. */
export function letterSubsets(allowed: string): string[] {
  const out: string[] = [];
  for (let mask = 0; mask < 1 << allowed.length; mask++) out.push([...allowed].filter((_, i) => mask & (1 << i)).join(''));
  return out;
}
