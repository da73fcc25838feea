/**
 * Statistics as plain JSON, so that they can cross a process boundary (a Beam worker, a queue, a
 * file): Float64Arrays become `{ f64: number[] }` and non-finite numbers `{ num: 'Infinity' }`.
 * JSON numbers print the shortest decimal that reads back to the same double, so the round trip
 * is exact: merging decoded statistics gives the same bits as merging the originals.
 */

/** A statistics object in plain-JSON form (what {@link encodeStats} returns). */
export type EncodedStats = { [key: string]: EncodedValue };
/** One field of {@link EncodedStats}. */
export type EncodedValue = string | number | boolean | null | EncodedArray | EncodedNonFinite | EncodedStats;
/** A Float64Array (or Float32Array) as JSON. */
export interface EncodedArray {
  /** The values, in order. */
  f64: EncodedNumber[];
}
/** A non-finite number as JSON. */
export interface EncodedNonFinite {
  /** 'Infinity', '-Infinity' or 'NaN'. */
  num: string;
}
/** A number in JSON: finite as itself, otherwise 'Infinity', '-Infinity' or 'NaN'. */
export type EncodedNumber = number | string;

const number = (v: number): EncodedNumber => (Number.isFinite(v) ? v : String(v));
const decodeNumber = (v: EncodedNumber): number => (typeof v === 'number' ? v : Number(v));

/**
 * The plain-JSON form of a statistics object (any model's `partialStats` result): exact, and
 * `JSON.stringify`-able.
 *
 * @example
 * ```ts
 * const wire = JSON.stringify(encodeStats(gm.partialStats(shard)));
 * const stats = decodeStats<SufficientStats>(JSON.parse(wire));  // the same numbers, bit for bit
 * ```
 */
export function encodeStats(stats: object): EncodedStats {
  const out: EncodedStats = {};
  for (const [key, v] of Object.entries(stats)) out[key] = encodeValue(v);
  return out;
}

function encodeValue(v: unknown): EncodedValue {
  if (v instanceof Float64Array || v instanceof Float32Array) return { f64: Array.from(v, number) };
  if (typeof v === 'number') return Number.isFinite(v) ? v : { num: String(v) };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object') return encodeStats(v as object);
  throw new TypeError(`statistics must hold numbers, strings, booleans, Float64Arrays or objects of them; got ${typeof v}`);
}

/** The statistics object {@link encodeStats} encoded (Float64Arrays and non-finite numbers restored). */
export function decodeStats<S>(json: EncodedStats): S {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(json)) out[key] = decodeValue(v);
  return out as S;
}

function decodeValue(v: EncodedValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ('f64' in v && Array.isArray(v.f64)) return Float64Array.from(v.f64, decodeNumber);
  if ('num' in v && typeof v.num === 'string' && Object.keys(v).length === 1) return Number(v.num);
  return decodeStats(v as EncodedStats);
}
