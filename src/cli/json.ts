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

/**
 * Where JSON text first goes wrong, and what was expected there: a scan of the grammar (no
 * values are built), run only after JSON.parse has failed, since engines differ in whether
 * their messages give a position.
 */
export function locateJsonError(text: string): { offset: number; expected: string } {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (expected: string): never => { throw { offset: i, expected }; };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++; ws();
      if (text[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail('a "key"');
          string();
          ws();
          if (text[i] !== ':') fail("':'");
          i++;
        }
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === close) { i++; return; }
        fail(`',' or '${close}'`);
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail('a value');
    i += (m as RegExpExecArray)[0].length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a closing \'"\'');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('a closing \'"\'');
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the text');
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return e as { offset: number; expected: string };
    throw e;
  }
  return { offset: text.length, expected: 'valid JSON' };
}

/** JSON.parse with errors as DataErrors naming the file, line and column. */
export function parseJsonValue(text: string, file: string): unknown {
  if (text.trim() === '') throw new DataError(`${file}: the file is empty`);
  try {
    return JSON.parse(text);
  } catch {
    const { offset, expected } = locateJsonError(text);
    const found = offset >= text.length ? 'the end of the file' : JSON.stringify(text[offset]);
    throw new DataError(`${file}, ${lineColumn(text, offset)}: invalid JSON (expected ${expected}, found ${found})`);
  }
}

/** Parses a JSON array of rows of numbers; `file` names the source in error messages. With `missing`, null is a missing value (NaN). */
export function parseJsonRows(text: string, file: string, missing = false): ParsedTable {
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
      if (missing && v === null) {
        data[i * cols + j] = NaN;
        return;
      }
      if (typeof v !== 'number') throw new DataError(`${file}, row ${i + 1}, column ${j + 1}: ${JSON.stringify(v)} is not a number`);
      // JSON.parse reads 1e999 as Infinity; the CSV reader refuses the same overflow.
      if (!Number.isFinite(v)) throw new DataError(`${file}, row ${i + 1}, column ${j + 1}: a number that overflows to ${v}`);
      data[i * cols + j] = v;
    });
  });
  return { data, rows: rows.length, cols, names: null };
}
