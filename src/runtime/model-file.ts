/**
 * Reading saved models back (every `fromJSON`): one checker that walks the plain JSON field by
 * field, so that a tampered, truncated or hand-edited file is refused with a ModelFileError naming
 * the field's path (`means[5] must be a finite number; got null`) instead of loading into a model
 * that answers wrongly or fails later. Models add only their consistency rules between fields.
 *
 * Formats carry a `version` (a file without one is read as version 1, the first format); each
 * model keeps one reader per version it has ever written, so later releases still load old files.
 */
import { ElboError, ModelFileError } from './errors.js';
import { describe } from './matrix.js';

/** Bounds of a number field. */
export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Must be an integer. */
  integer?: boolean;
}

function ruleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  return `${rule.integer ? 'an integer' : 'a finite number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

function breaks(v: number, rule: NumberRule): boolean {
  return (rule.integer === true && !Number.isInteger(v)) || (rule.min !== undefined && v < rule.min) ||
    (rule.above !== undefined && !(v > rule.above)) || (rule.max !== undefined && v > rule.max);
}

/**
 * One JSON object of a saved model, read field by field. Every read checks type, finiteness,
 * range and length and records the field as known; {@link FieldReader.done} then refuses fields
 * the format does not have (a misspelt name would otherwise be ignored silently).
 */
export class FieldReader {
  private readonly seen = new Set<string>();

  /**
   * @param model what is being read, for messages: 'GaussianMixture.fromJSON'
   * @param obj the object (checked by the caller to be a plain object)
   * @param path its path from the root, '' for the root
   */
  constructor(readonly model: string, private readonly obj: Record<string, unknown>, readonly path: string) {}

  /** The path of a field of this object (or of an element, with `index`). */
  at(name: string, index?: number): string {
    const p = this.path ? `${this.path}.${name}` : name;
    return index === undefined ? p : `${p}[${index}]`;
  }

  /** Throws a ModelFileError about `path`: "<model>: <path> <message>". */
  fail(path: string, message: string): never {
    throw new ModelFileError(path, `${this.model}: ${path ? `${path} ` : ''}${message}`);
  }

  /** True when the field is present (not undefined). */
  has(name: string): boolean {
    return this.obj[name] !== undefined;
  }

  private get(name: string): unknown {
    this.seen.add(name);
    const v = this.obj[name];
    if (v === undefined) this.fail(this.at(name), 'is missing');
    return v;
  }

  /** A nested object. */
  object(name: string): FieldReader {
    const v = this.get(name);
    if (!isPlainObject(v)) this.fail(this.at(name), `must be an object; got ${describeJson(v)}`);
    return new FieldReader(this.model, v, this.at(name));
  }

  /** A finite number within the rule's bounds. */
  number(name: string, rule: NumberRule = {}): number {
    const v = this.get(name);
    if (typeof v !== 'number' || !Number.isFinite(v) || breaks(v, rule)) this.fail(this.at(name), `must be ${ruleText(rule)}; got ${describeJson(v)}`);
    return v;
  }

  /** An integer ≥ min (and ≤ max when given). */
  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    return this.number(name, { integer: true, min, max });
  }

  /** A number, or null standing for a value JSON cannot hold (−Infinity). */
  nullableNumber(name: string, rule: NumberRule = {}): number | null {
    return this.obj[name] === null ? (this.seen.add(name), null) : this.number(name, rule);
  }

  /** true or false. */
  boolean(name: string): boolean {
    const v = this.get(name);
    if (typeof v !== 'boolean') this.fail(this.at(name), `must be true or false; got ${describeJson(v)}`);
    return v;
  }

  /** One of a fixed set of strings. */
  choice<T extends string>(name: string, choices: readonly T[]): T {
    const v = this.get(name);
    if (!choices.includes(v as T)) this.fail(this.at(name), `must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got ${describeJson(v)}`);
    return v as T;
  }

  /**
   * An array of finite numbers (each within the rule), of exactly `length` values when given
   * (`why` says where that length comes from, e.g. 'nComponents · nFeatures = 3 · 2').
   */
  numbers(name: string, length?: number, rule: NumberRule = {}, why?: string): Float64Array {
    const v = this.get(name);
    const path = this.at(name);
    if (!Array.isArray(v)) this.fail(path, `must be an array of numbers; got ${describeJson(v)}`);
    if (length !== undefined && v.length !== length) {
      this.fail(path, `must hold ${why ? `${why} = ` : ''}${length} value${length === 1 ? '' : 's'}; got ${v.length}`);
    }
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as unknown;
      if (typeof x !== 'number' || !Number.isFinite(x) || breaks(x, rule)) this.fail(`${path}[${i}]`, `must be ${ruleText(rule)}; got ${describeJson(x)}`);
      out[i] = x;
    }
    return out;
  }

  /** A serialised matrix `{ rows, cols, data }` with rows, cols ≥ 1 and rows·cols finite values. */
  matrix(name: string): { rows: number; cols: number; data: Float64Array } {
    const m = this.object(name);
    const rows = m.integer('rows', 1), cols = m.integer('cols', 1);
    const data = m.numbers('data', rows * cols, {}, `rows · cols = ${rows} · ${cols}`);
    m.done();
    return { rows, cols, data };
  }

  /** Refuses any field that was not read: the format has no such field. */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.seen.has(key)) {
        const known = [...this.seen].map((k) => `'${k}'`).join(', ');
        this.fail(this.at(key), `is not a field of this format (the fields are ${known})`);
      }
    }
  }
}

/** What a reader of one format version returns. */
export type VersionReader<T> = (root: FieldReader) => T;

/**
 * Opens a saved model: checks that `json` is an object of the given `kind` and dispatches on
 * its `version` (absent: 1) to the reader of that version. `readers[v - 1]` reads version v; the
 * last one is the format `toJSON` writes today.
 *
 * @param json what the user passed to fromJSON (anything)
 * @param kind the model's class name, the value of the `kind` field
 * @param readers one reader per format version, oldest first
 * @throws ModelFileError naming the field that is wrong
 */
export function readModelFile<T>(json: unknown, kind: string, readers: readonly VersionReader<T>[]): T {
  const model = `${kind}.fromJSON`;
  if (!isPlainObject(json)) {
    throw new ModelFileError('', `${model}: json must be an object (the output of ${kind}.toJSON()); got ${describeJson(json)}`);
  }
  const root = new FieldReader(model, json, '');
  if (json.kind !== kind) root.fail('kind', `must be '${kind}' (a file written by ${kind}.toJSON()); got ${describeJson(json.kind)}`);
  root.choice('kind', [kind]);
  const latest = readers.length;
  const version = root.has('version') ? root.integer('version', 1) : 1;
  if (version > latest) {
    root.fail('version', `is ${version}, written by a newer elbo; this one reads versions 1 to ${latest}: upgrade elbo to load it`);
  }
  const value = readers[version - 1](root);
  root.done();
  return value;
}

/**
 * Runs `build` (a constructor fed with fields already read) and turns the ElboError it may throw
 * into a ModelFileError about `path`, so that a rule only the constructor knows still names the field.
 */
export function buildFromFile<T>(kind: string, path: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ElboError && !(e instanceof ModelFileError)) throw new ModelFileError(path, `${kind}.fromJSON: ${path ? `${path}: ` : ''}${e.message}`);
    throw e;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value for a message: strings quoted, objects named. */
function describeJson(v: unknown): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return 'an object';
  if (typeof v === 'boolean') return String(v);
  return describe(v);
}
