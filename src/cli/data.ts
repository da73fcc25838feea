/**
 * Reading a data matrix for a command: a path to CSV / TSV / text (optionally .gz), JSON or .npy,
 * chosen by extension, or the name of a shipped data set ('iris', 'digits': features only).
 * Every failure is a DataError whose one-line message names the file and the place.
 */
import { access, readFile } from 'node:fs/promises';
import { loadDigits, loadIris } from '../datasets/index.js';
import type { Matrix } from '../runtime/matrix.js';
import { DataError } from './errors.js';
import { parseMatrixFile } from './matrix-file.js';

/** Options of {@link readMatrix}. */
export interface ReadOptions {
  /** Force (true) or forbid (false) a CSV header line; detected when undefined. */
  header?: boolean;
  /** 1-based column selection such as "1-4" or "1,3,5-8", applied after reading. */
  columns?: string;
  /** Read missing values (empty, NaN, NA cells; NaN in .npy; null in JSON) as NaN instead of refusing them. */
  missing?: boolean;
}

/** The shipped data sets a command accepts by name. */
export const BUILTIN_DATASETS = ['iris', 'digits'] as const;

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file'
      : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new DataError(`${file}: ${why}`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Reads a matrix from a file or a shipped data set's name. */
export async function readMatrix(source: string, options: ReadOptions = {}): Promise<Matrix> {
  let m: Matrix;
  if ((BUILTIN_DATASETS as readonly string[]).includes(source) && !(await exists(source))) {
    m = (source === 'iris' ? await loadIris() : await loadDigits()).X;
  } else {
    m = await readFileMatrix(source, options);
  }
  return options.columns ? selectColumns(m, options.columns, source) : m;
}

/**
 * Reads a matrix and takes its 1-based column `column` out as sample weights: the features are
 * the --columns when given (which must not include the weight column), else every other column.
 * The weight column is the user's choice, so the label-like-column check does not look at it;
 * without --columns it does not run at all.
 * @throws DataError naming --sample-weight when the column is out of range or among --columns
 */
export async function readMatrixWithWeights(source: string, options: ReadOptions, column: number): Promise<{ X: Matrix; sampleWeight: Float64Array }> {
  const m = (BUILTIN_DATASETS as readonly string[]).includes(source) && !(await exists(source))
    ? (source === 'iris' ? await loadIris() : await loadDigits()).X
    : await readFileMatrix(source, options, false);
  return splitWeights(m, options, column, source);
}

/** Takes the 1-based column `column` of m out as sample weights (see readMatrixWithWeights). */
export function splitWeights(m: Matrix, options: ReadOptions, column: number, source: string): { X: Matrix; sampleWeight: Float64Array } {
  if (!(Number.isInteger(column) && column >= 1 && column <= m.cols)) {
    throw new DataError(`--sample-weight ${column}: ${source} has ${m.cols} column${m.cols === 1 ? '' : 's'} (1-based)`);
  }
  const w = column - 1;
  const features = options.columns ? parseColumns(options.columns, m.cols, source) : Array.from({ length: m.cols }, (_, j) => j).filter((j) => j !== w);
  if (features.includes(w)) throw new DataError(`--sample-weight ${column}: the weight column is also among --columns ${options.columns}`);
  if (features.length === 0) throw new DataError(`--sample-weight ${column}: ${source} has no other column to use as features`);
  const sampleWeight = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) sampleWeight[i] = m.data[i * m.cols + w];
  return { X: pickColumns(m, features), sampleWeight };
}

export async function readFileMatrix(file: string, options: ReadOptions, checkFeatures = options.columns === undefined): Promise<Matrix> {
  return parseMatrixFile(await readBytes(file), file, options, checkFeatures);
}

export { checkFeatureColumns } from './matrix-file.js';

/** Parses "1-4,7" (1-based, inclusive) into 0-based column indices, checked against cols. */
export function parseColumns(spec: string, cols: number, source: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const a = m ? Number(m[1]) : NaN, b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || a < 1 || b < a) throw new DataError(`--columns ${JSON.stringify(spec)}: expected 1-based columns like "1-4" or "1,3,5-8"`);
    if (b > cols) throw new DataError(`--columns ${JSON.stringify(spec)}: ${source} has ${cols} column${cols === 1 ? '' : 's'}`);
    for (let c = a; c <= b; c++) out.push(c - 1);
  }
  return out;
}

export function selectColumns(m: Matrix, spec: string, source: string): Matrix {
  return pickColumns(m, parseColumns(spec, m.cols, source));
}

/** The columns idx (0-based) of m, in that order. */
function pickColumns(m: Matrix, idx: number[]): Matrix {
  const data = new (m.data instanceof Float32Array ? Float32Array : Float64Array)(m.rows * idx.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < idx.length; j++) data[i * idx.length + j] = m.data[i * m.cols + idx[j]];
  return { data, rows: m.rows, cols: idx.length };
}
