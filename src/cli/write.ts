/**
 * Output formats, and single files written whole or not at all: the bytes go to a temporary file
 * in the target's directory, which is then renamed over the target (rename is atomic within one
 * file system). A command with several outputs stages them together (outputs.ts).
 * Matrices are written as CSV (default; tab-separated for .tsv), JSON (.json: an array of rows)
 * or .npy by extension; '-' writes to stdout.
 */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Matrix } from '../runtime/matrix.js';
import { DataError } from './errors.js';
import { formatNpy } from './npy.js';

/** Writes content to path atomically (temporary file + rename), or to stdout when path is '-'. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  if (path === '-') {
    process.stdout.write(content);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* it was never created */ }
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied'
      : code === 'EISDIR' ? 'it is a directory' : String((e as Error).message);
    throw new DataError(`cannot write ${path}: ${why}`);
  }
}

/** A matrix as delimited text, one row per line, numbers at full (round-trip) precision. */
export function formatCsv(m: Matrix, delimiter = ','): string {
  const lines: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      row.push(Object.is(v, -0) ? '-0' : String(v));
    }
    lines.push(row.join(delimiter));
  }
  return lines.join('\n') + '\n';
}

/** The bytes of a matrix in the format its extension names (.npy, .json, .tsv, else CSV). */
export function matrixBytes(path: string, m: Matrix): string | Uint8Array {
  const ext = path.toLowerCase();
  if (ext.endsWith('.npy')) return formatNpy(m);
  if (ext.endsWith('.json')) {
    const rows = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
    return JSON.stringify(rows) + '\n';
  }
  return formatCsv(m, ext.endsWith('.tsv') ? '\t' : ',');
}

/** Integer labels, one per line (or a JSON array for .json). */
export function labelsText(path: string, labels: ArrayLike<number>): string {
  return path.toLowerCase().endsWith('.json') ? JSON.stringify(Array.from(labels)) + '\n' : Array.from(labels).join('\n') + '\n';
}

/** A value as pretty JSON. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 1) + '\n';
}
