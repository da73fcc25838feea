/**
 * A data file's bytes as a matrix, by extension: .npy, .json, else CSV / TSV / text, each
 * optionally .gz. Shared by the command line (data.ts) and by engines that read shards where
 * they are (the Node entry's readMatrixFile). Every failure is a DataError naming the file.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Matrix } from '../runtime/matrix.js';
import { labelLikeColumn, parseCsv, ranges, type ParsedTable } from './csv.js';
import { DataError } from './errors.js';
import { parseJsonRows } from './json.js';
import { parseNpy } from './npy.js';

/**
 * Parses a data file's bytes into a matrix: `file`'s extension picks the format (.npy, .json,
 * else CSV / TSV / text; a trailing .gz is gunzipped first) and names it in every message.
 * `options.header` forces (true) or forbids (false) a CSV header line (detected by default);
 * `options.missing` reads missing cells (empty, NaN, NA; NaN in .npy; null in JSON) as NaN
 * instead of refusing them. `checkFeatures` refuses a column that looks like class labels (as
 * the command line does).
 * @throws DataError naming the file and, where it can, the line and column
 *
 * @example
 * ```ts
 * import { parseMatrixFile } from 'elbo-wasm/io';
 * parseMatrixFile(new TextEncoder().encode('a,b\n1,2\n3,4\n'), 'inline.csv');   // 2 × 2
 * ```
 */
export function parseMatrixFile(bytes: Uint8Array, file: string, options: { header?: boolean; missing?: boolean } = {}, checkFeatures = true): Matrix {
  let name = file.toLowerCase();
  if (name.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataError(`${file}: not a valid gzip file (${(e as Error).message})`);
    }
    name = name.slice(0, -3);
  }
  if (name.endsWith('.npy')) return parseNpy(bytes, file, options.missing);
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const t = name.endsWith('.json') ? parseJsonRows(text, file, options.missing) : parseCsv(text, file, { header: options.header, missing: options.missing });
  if (checkFeatures) checkFeatureColumns(t, file);
  return { data: t.data, rows: t.rows, cols: t.cols };
}

/**
 * Reads a matrix from a file, synchronously (a worker's element function cannot await): .npy
 * (float64 or float32, C order), CSV / TSV / whitespace text with an optional header line
 * (detected), or JSON rows; any of them gzipped (.gz). Every column is a feature (the command
 * line's check for a label-like column is not made).
 * @throws DataError whose message starts with the file's path: missing, unreadable, corrupt
 *
 * @example
 * ```ts
 * import { readMatrixFile } from 'elbo-wasm/io';
 * const X = readMatrixFile('shards/part-0003.npy');   // { data, rows, cols }
 * ```
 */
export function readMatrixFile(file: string, options: { header?: boolean } = {}): Matrix {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file'
      : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new DataError(`${file}: ${why}`);
  }
  return parseMatrixFile(bytes, file, options, false);
}

/**
 * A column of class labels or identifiers is never taken as a feature silently: one named so in
 * the header, or one that looks so (small integers last, beside fractions), is refused with the
 * --columns that leave it out, or that keep every column when it really is a feature.
 */
export function checkFeatureColumns(t: ParsedTable, file: string): void {
  const label = labelLikeColumn(t);
  if (!label) return;
  const others = Array.from({ length: t.cols }, (_, j) => j + 1).filter((j) => j !== label.column);
  const name = t.names ? ` (${JSON.stringify(t.names[label.column - 1])})` : '';
  throw new DataError(`${file}: column ${label.column}${name} looks like class labels or identifiers, not a feature (${label.why}); ` +
    `select the features with --columns ${ranges(others)}, or keep every column with --columns 1-${t.cols}`);
}

