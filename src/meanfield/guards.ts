/**
 * The mean-field models' last checks before they answer: a bound or parameter that is not a
 * finite number is a typed error naming the argument responsible, never a result, and an
 * iteration that stopped short is reported through the model's `onWarning`.
 */
import { ValueError } from '../runtime/errors.js';

/** Receives a model's warnings (default console.warn). */
export type WarningSink = (message: string) => void;

/** The sink of a model's `onWarning` option, checked. */
export function warningSink(v: unknown): WarningSink {
  if (v === undefined) return console.warn;
  if (typeof v !== 'function') throw new ValueError(`onWarning must be a function (message: string) => void; got a value of type ${typeof v}`);
  return v as WarningSink;
}

/** Index of the first non-finite value, or −1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Largest |v| (for messages). */
export function largest(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** Throws a ValueError with `message` when any value is not finite. */
export function requireFinite(values: ArrayLike<number>, message: (index: number, value: number) => string): void {
  const i = firstNonFinite(values);
  if (i >= 0) throw new ValueError(message(i, values[i]));
}

/** The warning of a fixed-point iteration (mean-field sweeps) that stopped at maxIter. */
export function sweepsMessage(what: string, maxIter: number, change: number, tol: number): string {
  return `${what} did not converge in ${maxIter} sweeps (last largest change ${change.toPrecision(3)} above tol = ${tol}); try a larger maxIter or tol, or damping < 1`;
}

/** The warning of a variational EM fit that stopped at maxIter. */
export function fitMessage(what: string, maxIter: number, tol: number): string {
  return `${what} did not converge in ${maxIter} iterations (last change of the bound above tol = ${tol}); try a larger maxIter or tol`;
}
