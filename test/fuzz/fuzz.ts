// The fuzz suites' shared parts: run counts, arbitrary inputs (shapes, magnitudes, element types,
// ragged arrays, wrong types) and the property every public call must keep: finite results or a
// typed error whose message names an argument.
import fc from 'fast-check';
import { expect } from 'vitest';
import { ElboError, InitError, NotFittedError, OptionError, ShapeError, ValueError, type Matrix } from '../../src/index.js';

/**
 * Runs per property = its base count × FUZZ_RUNS (default 1 in `npm test`; `npm run fuzz` sets 50).
 * With FUZZ_RUNS = 1 the seed is fixed, so `npm test` tries the same cases every time; long runs
 * draw a new seed each time (printed with any counterexample) unless FUZZ_SEED is set.
 */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);
const FIXED_SEED = 20261202;
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : FUZZ_RUNS === 1 ? FIXED_SEED : undefined;

/**
 * fast-check parameters for a property with `base` runs in `npm test`. Long runs stop at the
 * first failure without shrinking it (shrinking some arbitraries here can take hours); the seed
 * and path printed replay it, and FUZZ_RUNS=1 FUZZ_SEED=... shrinks it.
 */
export function runs(base: number): fc.Parameters<unknown> {
  const numRuns = Math.max(1, Math.round(base * FUZZ_RUNS));
  return {
    // No clock here: a property that hangs is ended by vitest's test timeout.
    numRuns, seed: FUZZ_SEED, endOnFailure: FUZZ_RUNS > 1,
  };
}

/** The error classes the library exports: a call that fails throws one of these. */
export const TYPED_ERRORS = [ShapeError, ValueError, NotFittedError, InitError, OptionError] as const;

/** The outcome of one call: its value, or the typed error it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ElboError };

/**
 * Calls f. A thrown error must be one of the exported typed errors (not a TypeError, RangeError or
 * raw Error) whose message names one of `names` (the call's arguments and options).
 */
export function attempt<T>(f: () => T, names: readonly string[]): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    expectTypedError(e, names);
    return { ok: false, error: e as ElboError };
  }
}

export function expectTypedError(e: unknown, names: readonly string[]): void {
  const typed = TYPED_ERRORS.some((C) => e instanceof C);
  if (!typed) throw new Error(`expected a typed error, got ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
  const message = (e as Error).message;
  const named = names.some((n) => new RegExp(`(^|[^A-Za-z0-9_])${n.replace(/[.[\]]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(message));
  expect(named, `the message names one of ${names.join(', ')}: ${message}`).toBe(true);
}

/** Every number reachable in v (arrays, typed arrays, plain objects, matrices) is finite. */
export function expectFinite(v: unknown, path = 'result'): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) expect.fail(`${path} is ${v}`);
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) expect.fail(`${path}[${i}] is ${a[i]}`);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => expectFinite(x, `${path}[${i}]`));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) expectFinite(x, `${path}.${k}`);
  }
}

/** Rows of a matrix of probabilities: each entry in [0, 1], each row summing to 1. */
export function expectProbabilityRows(p: Matrix, name: string, tol = 1e-9): void {
  expectFinite(p.data, name);
  for (let i = 0; i < p.rows; i++) {
    let s = 0;
    for (let k = 0; k < p.cols; k++) {
      const v = p.data[i * p.cols + k];
      if (!(v >= 0 && v <= 1)) expect.fail(`${name}[${i}][${k}] = ${v} lies outside [0, 1]`);
      s += v;
    }
    if (Math.abs(s - 1) > tol) expect.fail(`${name} row ${i} sums to ${s}`);
  }
}

/** Every entry in [0, 1]. */
export function expectUnitInterval(a: ArrayLike<number>, name: string): void {
  for (let i = 0; i < a.length; i++) if (!(a[i] >= 0 && a[i] <= 1)) expect.fail(`${name}[${i}] = ${a[i]} lies outside [0, 1]`);
}

// ---- numbers ----------------------------------------------------------------------------------

/** Values no fit can use: the door must refuse them. */
export const NON_FINITE = [NaN, Infinity, -Infinity] as const;
/** Finite values that break naive arithmetic (overflow when squared, underflow, subnormals). */
export const EXTREME = [1e300, -1e300, 1e-300, 5e-324, Number.MAX_VALUE, 1e155, -1e155, -0] as const;
export const SPECIAL = [...NON_FINITE, ...EXTREME] as const;

/** How the values of a matrix are drawn; each class a user can send. */
export type ValueClass = 'normal' | 'integers' | 'constant' | 'offset' | 'huge' | 'tiny' | 'nonFinite' | 'extreme';
export const VALUE_CLASSES: readonly ValueClass[] = ['normal', 'integers', 'constant', 'offset', 'huge', 'tiny', 'nonFinite', 'extreme'];
/** The classes of magnitude: data far from the origin, of 1e±100…300, or holding one extreme value. */
export const SCALE_CLASSES: readonly ValueClass[] = ['offset', 'huge', 'tiny', 'extreme'];

/** Ordinary values: |x| ≤ 3, and 0 or |x| ≥ 1e-6 (subnormals and the like belong to the 'tiny' and 'extreme' classes). */
const unit = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-6 ? 0 : x));

/** n values of one class. 'offset' is a spread of 1 around up to 1e8; 'huge'/'tiny' scale by 1e±(100…300). */
export function valuesOf(cls: ValueClass, n: number): fc.Arbitrary<number[]> {
  switch (cls) {
    case 'normal': return fc.array(unit, { minLength: n, maxLength: n });
    case 'integers': return fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n });
    case 'constant': return unit.map((c) => new Array<number>(n).fill(c));
    case 'offset': return fc.tuple(fc.constantFrom(1e4, 1e6, 1e8, -1e7), fc.array(unit, { minLength: n, maxLength: n }))
      .map(([o, xs]) => xs.map((x) => o + x));
    case 'huge': return fc.tuple(fc.integer({ min: 100, max: 300 }), fc.array(unit, { minLength: n, maxLength: n }))
      .map(([e, xs]) => xs.map((x) => x * 10 ** e));
    case 'tiny': return fc.tuple(fc.integer({ min: 100, max: 300 }), fc.array(unit, { minLength: n, maxLength: n }))
      .map(([e, xs]) => xs.map((x) => x * 10 ** -e));
    case 'nonFinite': return oneAmong(n, NON_FINITE);
    case 'extreme': return oneAmong(n, EXTREME);
  }
}

/** n ordinary values with one of `special` at a random place. */
function oneAmong(n: number, special: readonly number[]): fc.Arbitrary<number[]> {
  return fc.tuple(fc.array(unit, { minLength: n, maxLength: n }), fc.nat(), fc.constantFrom(...special))
    .map(([xs, at, s]) => (n === 0 ? xs : xs.map((x, i) => (i === at % n ? s : x))));
}

// ---- matrices -----------------------------------------------------------------------------------

/** How a matrix reaches the API. */
export type Form = 'rows' | 'f64' | 'f32';

/** A well-formed matrix description: its values (row-major), shape, class and form. */
export interface MatrixCase {
  rows: number;
  cols: number;
  values: number[];
  cls: ValueClass;
  form: Form;
}

/** The case as the API takes it: number[][] or a { data, rows, cols } over Float64Array / Float32Array. */
export function build(c: MatrixCase): Matrix | number[][] {
  if (c.form === 'rows') return Array.from({ length: c.rows }, (_, i) => c.values.slice(i * c.cols, (i + 1) * c.cols));
  const data = c.form === 'f32' ? Float32Array.from(c.values) : Float64Array.from(c.values);
  return { data, rows: c.rows, cols: c.cols };
}

export interface MatrixArbOptions {
  rows?: { min: number; max: number };
  cols?: { min: number; max: number };
  classes?: readonly ValueClass[];
  forms?: readonly Form[];
}

/** Well-formed matrices of arbitrary shape, value class and form. */
export function matrixCase(o: MatrixArbOptions = {}): fc.Arbitrary<MatrixCase> {
  const rows = o.rows ?? { min: 0, max: 10 };
  const cols = o.cols ?? { min: 1, max: 4 };
  return fc.record({
    rows: fc.integer(rows), cols: fc.integer(cols),
    cls: fc.constantFrom(...(o.classes ?? VALUE_CLASSES)), form: fc.constantFrom(...(o.forms ?? ['rows', 'f64', 'f32'] as const)),
  }).chain(({ rows, cols, cls, form }) => valuesOf(cls, rows * cols).map((values) => ({ rows, cols, values, cls, form })));
}

/** Arguments that are not a matrix at all, or a broken one: ragged rows, wrong lengths, wrong element types. */
export const malformedMatrix: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, 0, 1, 'X', true, {}, [], [1, 2, 3], [[]], [[1], [2, 3]], [[1, 2], 'ab'], [[1, '2']],
    [[1, null]], [[1n]], new Float64Array(4), new Int32Array(4), { data: [1, 2], rows: 1, cols: 2 },
    { data: new Int32Array(2), rows: 1, cols: 2 }, { data: new Float64Array(3), rows: 1, cols: 2 },
    { data: new Float64Array(2), rows: 0.5, cols: 4 }, { data: new Float64Array(0), rows: -1, cols: 0 },
    { data: new Float64Array(2), rows: 2, cols: '1' }, { data: new Float64Array(2), rows: NaN, cols: NaN },
    { data: new Float64Array(4), rows: 2, cols: 2, extra: 1 }, [[NaN, 1], [1, 1]], [[Infinity]]),
  fc.array(fc.array(fc.oneof(unit, fc.constantFrom(NaN, Infinity)), { maxLength: 4 }), { minLength: 1, maxLength: 5 }),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.anything(),
);

/** A value of any type, for scalar options. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SPECIAL, 0, 1, 2, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e20, '1', '', 'wasm', 'full', true, false, null, undefined, [], {}, [1], () => 1,
    Symbol('x'), 1n, new Date(0), Object.create(null), new Map(), Number(7) as unknown),
  fc.integer({ min: -5, max: 20 }),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.anything({ maxDepth: 1 }),
);

/** An options object: some known names with arbitrary or plausible values, sometimes an unknown name. */
export function optionsOf(known: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.fromEntries(Object.entries(known).map(([k, plausible]) => [k, fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anyValue })]));
  return fc.tuple(fc.record(entries, { requiredKeys: [] }), fc.option(fc.constantFrom('n_components', 'nComponent', 'maxiter', 'tolerance'), { freq: 8 }))
    .map(([o, extra]) => (extra === null ? o : { ...o, [extra]: 1 }));
}

/** Deep equality of results that may hold typed arrays and NaN. */
export function expectSameResult(a: unknown, b: unknown, what: string): void {
  expect(plain(a), what).toEqual(plain(b));
}

function plain(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message };
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
