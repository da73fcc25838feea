/** Validation at the door for the mean-field models: every message names the argument. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, toVector, type Matrix } from '../runtime/matrix.js';
import { optionKeys } from '../runtime/options.js';
import type { Engine, MeanFieldOptions, Schedule } from './types.js';

/** Largest number of latent units enumerated exactly (2²⁴ ≈ 16.7 M states). */
export const MAX_ENUMERATE = 24;

import { checkInteger, checkNonNegative } from '../runtime/validate.js';

export { checkFinite, checkInteger, checkNonNegative } from '../runtime/validate.js';

/** A damping factor η ∈ (0, 1]: the step ĥ ← ĥ + η(target − ĥ). */
export function checkDamping(v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new ValueError(`damping must lie in (0, 1]; got ${describe(v)}`);
  return v;
}

export function checkSchedule(v: unknown): Schedule {
  if (v !== 'sequential' && v !== 'parallel') throw new ValueError(`schedule must be 'sequential' or 'parallel'; got ${describe(v)}`);
  return v;
}

export function checkEngine(v: unknown): Engine {
  if (v !== 'wasm' && v !== 'reference') throw new ValueError(`engine must be 'wasm' or 'reference'; got ${describe(v)}`);
  return v;
}

/** The names of {@link MeanFieldOptions}. */
export const MEAN_FIELD_OPTION_KEYS = optionKeys<MeanFieldOptions>()(['maxIter', 'tol', 'schedule', 'damping', 'engine']);

/** Mean-field options with their defaults filled in and checked. */
export interface ResolvedMeanField {
  maxIter: number;
  tol: number;
  schedule: Schedule;
  damping: number;
  engine: Engine;
}

/** Defaults: 200 sweeps, tol 1e-8 on max |Δĥ|, sequential, damping 1 (sequential) or 0.5 (parallel). */
export function resolveMeanField(o: MeanFieldOptions = {}): ResolvedMeanField {
  const schedule = checkSchedule(o.schedule ?? 'sequential');
  return {
    maxIter: checkInteger(o.maxIter ?? 200, 'maxIter', 1),
    tol: checkNonNegative(o.tol ?? 1e-8, 'tol'),
    schedule,
    damping: checkDamping(o.damping ?? (schedule === 'parallel' ? 0.5 : 1)),
    engine: checkEngine(o.engine ?? 'wasm'),
  };
}

/** A model matrix parameter (copied into a Float64Array) of the given shape. */
export function checkParamMatrix(x: unknown, name: string, rows?: number, cols?: number): Matrix<Float64Array> {
  const m = toMatrix(x, name);
  if (rows !== undefined && m.rows !== rows) throw new ShapeError(`${name} must have ${rows} rows; got ${m.rows}`);
  if (cols !== undefined && m.cols !== cols) throw new ShapeError(`${name} must have ${cols} columns; got ${m.cols}`);
  return { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** A vector parameter of the given length, copied. */
export function checkParamVector(x: unknown, name: string, length: number): Float64Array {
  return Float64Array.from(toVector(x, name, length));
}

/** A vector of strictly positive values (precisions, variances). */
export function checkPositive(x: unknown, name: string, length: number): Float64Array {
  const v = checkParamVector(x, name, length);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0)) throw new ValueError(`${name} must be > 0 everywhere; ${name}[${i}] is ${v[i]}`);
  }
  return v;
}

/** Rejects enumeration over more than MAX_ENUMERATE units, before any work. */
export function checkEnumerable(n: number, what: string): void {
  if (n > MAX_ENUMERATE) {
    throw new ValueError(
      `${what} enumerates 2^${n} states; exact enumeration is limited to ${MAX_ENUMERATE} latent units (2^${MAX_ENUMERATE} ≈ 1.7e7 states); use mean-field inference instead`,
    );
  }
}

/** A data matrix V with the model's number of columns, as a Float64Array matrix. */
export function checkData(V: unknown, name: string, cols: number, what: string): Matrix<Float64Array> {
  const m = toMatrix(V, name, { cols, colsReason: what });
  return m.data instanceof Float64Array ? (m as Matrix<Float64Array>) : { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
}
