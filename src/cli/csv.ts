/**
 * A small reader for delimited numeric text (CSV, TSV, semicolon- or space-separated): the
 * delimiter is detected from the first line of data, a header line is optional (detected, or
 * forced with `header`), blank lines and lines starting with '#' are skipped. Every cell must
 * be a finite decimal number; the first bad cell or ragged row is reported with its line and
 * column (both 1-based).
 */
import { DataError } from './errors.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** true: the first line is a header; false: it is data; undefined: detect. */
  header?: boolean;
}

/** What {@link parseCsv} returns: the numbers row-major, the header's names if there was one. */
export interface ParsedTable {
  data: Float64Array;
  rows: number;
  cols: number;
  names: string[] | null;
}

const DELIMITERS = [',', '\t', ';', '|'] as const;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when the text is a decimal number as CSV writers emit it (no hex, no empty string, no NaN). */
export function isDecimal(s: string): boolean {
  return DECIMAL.test(s);
}

/** The delimiter of a line: the most frequent of , tab ; |, or null for runs of white space. */
export function detectDelimiter(line: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = line.split(d).length - 1;
    if (count > bestCount) { best = d; bestCount = count; }
  }
  return best;
}

function cells(line: string, delimiter: string | null): string[] {
  const parts = delimiter === null ? line.trim().split(/\s+/) : line.split(delimiter);
  return parts.map((c) => {
    const t = c.trim();
    return t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' ? t.slice(1, -1).trim() : t;
  });
}

/** Parses delimited numeric text; `file` names the source in error messages. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): ParsedTable {
  const lines = text.split(/\r\n|\n|\r/);
  let first = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (first < 0) throw new DataError(`${file}: the file is empty (no rows of data)`);
  const delimiter = detectDelimiter(lines[first]);
  let names: string[] | null = null;
  const head = cells(lines[first], delimiter);
  const nonNumeric = head.filter((c) => !isDecimal(c)).length;
  // A header is a line whose cells are mostly names; a line of numbers with one typo is data
  // (and is then reported as a bad cell rather than silently dropped).
  const isHeader = options.header ?? 2 * nonNumeric >= head.length;
  if (isHeader) {
    names = head;
    first = lines.findIndex((l, i) => i > first && l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (first < 0) throw new DataError(`${file}: the file has a header line but no rows of data`);
  }
  let cols = -1;
  let firstDataLine = 0;
  const values: number[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const row = cells(line, delimiter);
    if (cols < 0) { cols = row.length; firstDataLine = i + 1; }
    if (row.length !== cols) {
      throw new DataError(`${file}, line ${i + 1}: ${row.length} value${row.length === 1 ? '' : 's'} where line ${firstDataLine} has ${cols} (ragged rows)`);
    }
    for (let j = 0; j < row.length; j++) {
      const c = row[j];
      if (!isDecimal(c)) {
        const what = c === '' ? 'an empty cell' : `${JSON.stringify(c.length > 24 ? c.slice(0, 24) + '…' : c)} is not a number`;
        throw new DataError(`${file}, line ${i + 1}, column ${j + 1}: ${what}`);
      }
      const v = Number(c);
      if (!Number.isFinite(v)) throw new DataError(`${file}, line ${i + 1}, column ${j + 1}: ${c} overflows to ${v}`);
      values.push(v);
    }
  }
  const rows = values.length / cols;
  return { data: Float64Array.from(values), rows, cols, names };
}
