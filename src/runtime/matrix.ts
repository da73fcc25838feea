import { ShapeError, ValueError } from './errors.js';
import { checkOptions, optionKeys } from './options.js';

/** A typed array of one of the two element types the kernels support. */
export type FloatArray = Float64Array | Float32Array;

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`. Users can build one without
 * the library: `{ data: new Float64Array(6), rows: 2, cols: 3 }`.
 */
export interface Matrix<A extends FloatArray = FloatArray> {
  /** The elements, row after row. */
  data: A;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
}

/** A matrix in plain JSON (models' toJSON): row-major values as a number array. */
export interface SerializedMatrix {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** rows × cols values, row-major. */
  data: number[];
}

/** What the API accepts wherever it takes a matrix: a {@link Matrix} or an array of equal-length rows. */
export type MatrixLike = Matrix | number[][];

/** The element type of a matrix, named as the kernels' suffixes. */
export type DType = 'f64' | 'f32';

/** Element type of a typed array. */
export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? 'f32' : 'f64';
}

/** A new zero matrix. */
export function zeros(rows: number, cols: number, dtype: DType = 'f64'): Matrix {
  const n = rows * cols;
  return { data: dtype === 'f32' ? new Float32Array(n) : new Float64Array(n), rows, cols };
}

/** Options of {@link toMatrix}. */
export interface ToMatrixOptions {
  /** Require finite values (default true). */
  finite?: boolean;
  /** Require at least this many rows (default 1). */
  minRows?: number;
  /** Require exactly this many columns. */
  cols?: number;
  /** Why `cols` is required, appended to the error message, e.g. "the model was fitted on 8". */
  colsReason?: string;
}

const TO_MATRIX_KEYS = optionKeys<ToMatrixOptions>()(['finite', 'minRows', 'cols', 'colsReason']);

/**
 * Checks a matrix argument at the door and returns it as a {@link Matrix}. `number[][]` is
 * copied into a Float64Array; a Matrix is returned as given (not copied).
 *
 * @param x the argument
 * @param name the argument's name, used in error messages
 * @throws ShapeError on ragged rows, a data length that is not rows × cols, too few rows or wrong cols
 * @throws ValueError on NaN or ±Infinity (unless `finite: false`)
 */
export function toMatrix(x: unknown, name: string, options: ToMatrixOptions = {}): Matrix {
  options = checkOptions(options, TO_MATRIX_KEYS, 'toMatrix');
  const { finite = true, minRows = 1 } = options;
  if (!Number.isInteger(minRows) || (options.cols !== undefined && !Number.isInteger(options.cols))) {
    throw new ValueError(`toMatrix: minRows and cols must be integers; got ${describe(minRows)} and ${describe(options.cols)}`);
  }
  let m: Matrix;
  if (Array.isArray(x)) {
    const rows = x.length;
    const first = x[0];
    if (rows > 0 && !Array.isArray(first)) {
      throw new ShapeError(`${name} must be a matrix (an array of rows); got an array whose first element is ${describe(first)}`);
    }
    const cols = rows > 0 ? (first as unknown[]).length : 0;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as unknown;
      if (!Array.isArray(row)) throw new ShapeError(`${name}[${i}] must be an array; got ${describe(row)}`);
      if (row.length !== cols) {
        throw new ShapeError(`${name} must have rows of equal length; row 0 has ${cols} values but row ${i} has ${row.length}`);
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new ValueError(`${name}[${i}][${j}] must be a number; got ${describe(v)}`);
        data[i * cols + j] = v;
      }
    }
    m = { data, rows, cols };
  } else if (isMatrix(x)) {
    const { data, rows, cols } = x;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`${name}.rows and ${name}.cols must be non-negative integers; got ${rows} × ${cols}`);
    }
    if (data.length !== rows * cols) {
      throw new ShapeError(`${name}.data must hold rows × cols = ${rows} × ${cols} = ${rows * cols} values; got ${data.length}`);
    }
    m = x;
  } else {
    throw new ShapeError(`${name} must be a matrix ({ data: Float64Array | Float32Array, rows, cols }) or number[][]; got ${describe(x)}`);
  }
  if (m.rows < minRows) {
    throw new ShapeError(`${name} must have at least ${minRows} row${minRows === 1 ? '' : 's'}; got ${m.rows}`);
  }
  if (m.rows > 0 && m.cols < 1) throw new ShapeError(`${name} must have at least 1 column; got 0`);
  if (options.cols !== undefined && m.cols !== options.cols) {
    const why = options.colsReason ? ` (${options.colsReason})` : '';
    throw new ShapeError(`${name} must have ${options.cols} columns${why}; got ${m.cols}`);
  }
  if (finite) assertFinite(m.data, name, m.cols);
  return m;
}

/** True when x has the {@link Matrix} shape. */
export function isMatrix(x: unknown): x is Matrix {
  if (typeof x !== 'object' || x === null) return false;
  const d = (x as Matrix).data;
  return (d instanceof Float64Array || d instanceof Float32Array) &&
    typeof (x as Matrix).rows === 'number' && typeof (x as Matrix).cols === 'number';
}

/**
 * Throws a ValueError naming the first NaN or ±Infinity in `a`. With `cols` the position is
 * reported as [row][col], otherwise as [index].
 */
export function assertFinite(a: ArrayLike<number>, name: string, cols?: number): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) {
      const at = cols ? `[${Math.floor(i / cols)}][${i % cols}]` : `[${i}]`;
      throw new ValueError(`${name} must contain only finite values; ${name}${at} is ${v}`);
    }
  }
}

/**
 * Checks a vector argument: a typed array or number[] of the given length (when given), finite.
 * Returns a Float64Array (a copy of a number[], the array itself otherwise).
 */
export function toVector(x: unknown, name: string, length?: number): Float64Array {
  let v: Float64Array;
  if (x instanceof Float64Array) v = x;
  else if (x instanceof Float32Array || Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] !== 'number') throw new ValueError(`${name}[${i}] must be a number; got ${describe(x[i])}`);
    }
    v = Float64Array.from(x as ArrayLike<number>);
  } else throw new ShapeError(`${name} must be a Float64Array or number[]; got ${describe(x)}`);
  if (length !== undefined && v.length !== length) {
    throw new ShapeError(`${name} must have length ${length}; got ${v.length}`);
  }
  assertFinite(v, name);
  return v;
}

/** Returns a copy of m's data in the requested element type. */
export function castData(m: Matrix, dtype: DType): FloatArray {
  return dtype === 'f32' ? Float32Array.from(m.data) : Float64Array.from(m.data);
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  return `a value of type ${typeof v}`;
}
