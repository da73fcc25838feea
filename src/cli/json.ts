/**
 * JSON data: an array of rows (`[[1, 2], [3, 4]]`), or an array of numbers for one column.
 * Syntax errors are reported with their line and column, bad values with their row and column
 * (all 1-based).
 */
import { DataError } from './errors.js';
import type { ParsedTable } from './csv.js';

/** Line and column (1-based) of a character offset in text. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** JSON.parse with errors as DataErrors naming the file, line and column. */
export function parseJsonValue(text: string, file: string): unknown {
  if (text.trim() === '') throw new DataError(`${file}: the file is empty`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = String((e as Error).message);
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? `, ${lineColumn(text, Number(pos[1]))}` : '';
    throw new DataError(`${file}${where}: invalid JSON (${msg.replace(/\s*in JSON at position \d+.*$/s, '')})`);
  }
}

/** Parses a JSON array of rows of numbers; `file` names the source in error messages. */
export function parseJsonRows(text: string, file: string): ParsedTable {
  if (text.trim() === '') throw new DataError(`${file}: the file is empty (no rows of data)`);
  const value = parseJsonValue(text, file);
  if (!Array.isArray(value)) throw new DataError(`${file}: expected a JSON array of rows; got ${value === null ? 'null' : typeof value}`);
  if (value.length === 0) throw new DataError(`${file}: the array is empty (no rows of data)`);
  const rows = value.map((r) => (Array.isArray(r) ? r : [r]));
  const cols = rows[0].length;
  if (cols === 0) throw new DataError(`${file}, row 1: an empty row`);
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new DataError(`${file}, row ${i + 1}: ${row.length} value${row.length === 1 ? '' : 's'} where row 1 has ${cols} (ragged rows)`);
    row.forEach((v: unknown, j: number) => {
      if (typeof v !== 'number') throw new DataError(`${file}, row ${i + 1}, column ${j + 1}: ${JSON.stringify(v)} is not a number`);
      data[i * cols + j] = v;
    });
  });
  return { data, rows: rows.length, cols, names: null };
}
