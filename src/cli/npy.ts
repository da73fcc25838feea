/**
 * NumPy's .npy format (versions 1–3), as far as elbo needs it: 1-D or 2-D arrays of float64
 * ('<f8') or float32 ('<f4') in C order, read into a Float64Array / Float32Array and written
 * from one. Specification: numpy/lib/format.py (NEP 1).
 */
import { DataError } from './errors.js';
import type { FloatArray, Matrix } from '../runtime/matrix.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** The header (magic + lengths + dict + padding) is padded to a multiple of this many bytes. */
const ALIGN = 64;

/** What a .npy header says: the element type, the shape and where the data start. */
export interface NpyHeader {
  descr: '<f8' | '<f4';
  rows: number;
  cols: number;
  /** Byte offset of the first element. */
  start: number;
}

/** Reads a .npy file's bytes; `file` names the source in error messages. With `missing`, NaN entries are kept (missing values). */
export function parseNpy(bytes: Uint8Array, file: string, missing = false): Matrix {
  const { descr, rows, cols, start } = parseNpyHeader(bytes, file);
  const size = descr === '<f8' ? 8 : 4;
  const need = rows * cols * size;
  if (bytes.length - start < need) throw new DataError(`${file}: truncated data: shape (${rows}, ${cols}) needs ${need} bytes, found ${bytes.length - start}`);
  return npyRows(bytes.subarray(start, start + need), descr, cols, file, 0, missing);
}

/**
 * Rows of a .npy array from their bytes (a whole array, or a range of rows read from the file),
 * checked finite (NaN allowed with `missing`); `firstRow` numbers them in messages.
 */
export function npyRows(bytes: Uint8Array, descr: '<f8' | '<f4', cols: number, file: string, firstRow = 0, missing = false): Matrix {
  // Copy into a fresh, aligned buffer (the data need not be aligned within the file's bytes,
  // and a Node Buffer's slice() is a view on a shared pool, not a copy).
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const data: FloatArray = descr === '<f8' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]) && !(missing && Number.isNaN(data[i]))) {
      throw new DataError(`${file}: row ${firstRow + Math.floor(i / cols) + 1}, column ${(i % cols) + 1} is ${data[i]} (values must be finite${missing ? ' or NaN' : ''})`);
    }
  }
  return { data, rows: data.length / cols, cols };
}

/** The header of a .npy file from its first bytes (all of them, or at least the header's). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  if (bytes.length === 0) throw new DataError(`${file}: the file is empty (no rows of data)`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new DataError(`${file}: not a .npy file (the first bytes are not \\x93NUMPY)`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new DataError(`${file}: unsupported .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new DataError(`${file}: truncated .npy header`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + headerLen;
  if (bytes.length < start) throw new DataError(`${file}: truncated .npy header (${headerLen} bytes announced)`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new DataError(`${file}: malformed .npy header ${JSON.stringify(header.trim())}`);
  if (descr !== '<f8' && descr !== '<f4') {
    throw new DataError(`${file}: element type '${descr}' is not supported; save float64 ('<f8') or float32 ('<f4'), e.g. np.save(f, X.astype(np.float64))`);
  }
  if (fortran === 'True') throw new DataError(`${file}: the array is in Fortran order; save it in C order (np.ascontiguousarray(X))`);
  // Python 2's NumPy wrote long integers with an L suffix: (60L, 2L).
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (/^\d+L$/.test(s) ? Number(s.slice(0, -1)) : Number(s)));
  if (shape.length < 1 || shape.length > 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError(`${file}: shape (${shapeText.trim()}) is not a 1-D or 2-D array`);
  }
  const rows = shape[0], cols = shape.length === 2 ? shape[1] : 1;
  if (rows === 0 || cols === 0) throw new DataError(`${file}: the array is empty (shape (${shapeText.trim()}))`);
  return { descr, rows, cols, start };
}

/** The bytes of a version-1.0 .npy file holding the matrix (float64 or float32, C order). */
export function formatNpy(m: Matrix): Uint8Array {
  const descr = m.data instanceof Float32Array ? '<f4' : '<f8';
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const total = Math.ceil((10 + dict.length + 1) / ALIGN) * ALIGN;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + m.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), total);
  return out;
}
