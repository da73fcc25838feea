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
  /** Read an empty cell, NaN, NA, N/A or null (any case) as a missing value (NaN) instead of refusing it. */
  missing?: boolean;
  /** Lines before this text in its file (a chunk of a streamed file), so that messages give the file's line numbers. */
  lineOffset?: number;
  /** The file's column names, for messages about a chunk after the one with the header. */
  names?: string[] | null;
}

/** The cells `missing` reads as a missing value. */
const MISSING_CELL = /^(|nan|na|n\/a|null)$/i;

/** True when the cell marks a missing value (with `missing` on). */
export function isMissingCell(c: string): boolean {
  return MISSING_CELL.test(c);
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

/** The delimiter of a line: the most frequent of , tab ; | outside quotes, or null for runs of white space. */
export function detectDelimiter(line: string): string | null {
  const outside = line.replace(/"(?:[^"]|"")*"/g, '');
  let best: string | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = outside.split(d).length - 1;
    if (count > bestCount) { best = d; bestCount = count; }
  }
  return best;
}

/**
 * The delimiter of a file, from its first record (which a quoted cell may continue over several
 * lines), or its second when the first has none (a one-column header); undefined when empty.
 */
function sniffDelimiter(text: string): string | null | undefined {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => !isSkipped(l));
  if (lines.length === 0) return undefined;
  const records: string[] = [];
  for (let i = 0; i < lines.length && records.length < 2; i++) {
    let rec = lines[i];
    // An odd number of quotes: a quoted cell continues on the next line.
    while ((rec.split('"').length - 1) % 2 === 1 && i + 1 < lines.length) rec += '\n' + lines[++i];
    records.push(rec);
  }
  return detectDelimiter(records[0]) ?? (records[1] !== undefined ? detectDelimiter(records[1]) : null);
}

/** One record of the file: its cells and the (1-based) line it starts on. */
interface CsvRecord {
  line: number;
  cells: string[];
}

function isSkipped(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/**
 * The records of delimited text, with RFC 4180 quoting: a cell in double quotes may hold the
 * delimiter, line breaks and doubled quotes (`"1,5"` is one cell, `""` a quote). Blank lines and
 * lines starting with '#' are skipped; cells are trimmed. With `delimiter` null, cells are
 * separated by runs of white space (quotes are only stripped).
 */
export function csvRecords(text: string, delimiter: string | null, file: string, lineOffset = 0): CsvRecord[] {
  const lines = text.split(/\r\n|\n|\r/);
  const out: CsvRecord[] = [];
  if (delimiter === null) {
    lines.forEach((l, i) => {
      if (!isSkipped(l)) out.push({ line: lineOffset + i + 1, cells: l.trim().split(/\s+/).map((c) => unquote(c)) });
    });
    return out;
  }
  for (let i = 0; i < lines.length; i++) {
    if (isSkipped(lines[i])) continue;
    const start = i;
    const cells: string[] = [];
    let cell = '', inQuotes = false;
    let line = lines[i];
    for (let j = 0; ; j++) {
      if (j === line.length) {
        if (!inQuotes) break;
        if (++i >= lines.length) throw new DataError(`${file}, line ${lineOffset + start + 1}: a quoted cell is not closed (a '"' is missing)`);
        cell += '\n';
        line = lines[i];
        j = -1;
        continue;
      }
      const c = line[j];
      if (inQuotes) {
        if (c !== '"') cell += c;
        else if (line[j + 1] === '"') { cell += '"'; j++; } else inQuotes = false;
      } else if (c === '"' && cell.trim() === '') {
        inQuotes = true;
        cell = '';
      } else if (c === delimiter) {
        cells.push(cell.trim());
        cell = '';
      } else cell += c;
    }
    cells.push(cell.trim());
    out.push({ line: lineOffset + start + 1, cells });
  }
  return out;
}

function unquote(c: string): string {
  return c.length >= 2 && c[0] === '"' && c[c.length - 1] === '"' ? c.slice(1, -1).replace(/""/g, '"').trim() : c;
}

/** Header names that mark a column as a class label or an identifier rather than a feature. */
const LABEL_NAMES = /^(class|classes|label|labels|target|targets|species|category|id)$/i;

/** 1-based column numbers as ranges: [1, 2, 3, 5] → "1-3,5". */
export function ranges(cols: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    let j = i;
    while (j + 1 < cols.length && cols[j + 1] === cols[j] + 1) j++;
    parts.push(j > i ? `${cols[i]}-${cols[j]}` : String(cols[i]));
    i = j;
  }
  return parts.join(',');
}

/** Parses delimited numeric text; `file` names the source in error messages. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): ParsedTable {
  const delimiter = sniffDelimiter(text);
  if (delimiter === undefined) throw new DataError(`${file}: the file is empty (no rows of data)`);
  const records = csvRecords(text, delimiter, file, options.lineOffset);
  const missing = options.missing === true;
  const numeric = (c: string) => isDecimal(c) || (missing && isMissingCell(c));
  const head = records[0].cells;
  const nonNumeric = head.filter((c) => !numeric(c)).length;
  // A header is a line whose cells are mostly names; a line of numbers with one typo is data
  // (and is then reported as a bad cell rather than silently dropped).
  const isHeader = options.header ?? 2 * nonNumeric >= head.length;
  const names = isHeader ? head : null;
  const body = isHeader ? records.slice(1) : records;
  if (body.length === 0) throw new DataError(`${file}: the file has a header line but no rows of data`);
  const cols = body[0].cells.length;
  const firstDataLine = body[0].line;
  if (names && names.length !== cols) {
    throw new DataError(`${file}, line ${records[0].line}: the header names ${names.length} column${names.length === 1 ? '' : 's'} but line ${firstDataLine} has ${cols} value${cols === 1 ? '' : 's'}`);
  }
  const known = names ?? options.names;
  const columnName = (j: number) => (known ? ` (${JSON.stringify(known[j])})` : '');
  const numericColumns = body[0].cells.map((c, j) => (isDecimal(c) ? j + 1 : 0)).filter((j) => j > 0);
  const values = new Float64Array(body.length * cols);
  body.forEach(({ line, cells: row }, i) => {
    if (row.length !== cols) {
      throw new DataError(`${file}, line ${line}: ${row.length} value${row.length === 1 ? '' : 's'} where line ${firstDataLine} has ${cols} (ragged rows)`);
    }
    for (let j = 0; j < row.length; j++) {
      const c = row[j];
      if (missing && isMissingCell(c)) {
        values[i * cols + j] = NaN;
        continue;
      }
      if (!isDecimal(c)) {
        // Text in the first and the last row: a column of names or classes, not a typo.
        const lastCell = body[body.length - 1].cells[j];
        if (i === 0 && body.length > 1 && c !== '' && lastCell !== undefined && lastCell !== '' && !isDecimal(lastCell) && numericColumns.length > 0) {
          throw new DataError(`${file}, column ${j + 1}${columnName(j)} holds text (${JSON.stringify(c.length > 24 ? c.slice(0, 24) + '…' : c)} on line ${line}), not numbers: ` +
            `select the numeric columns with --columns ${ranges(numericColumns)}`);
        }
        const what = c === '' ? 'an empty cell' : `${JSON.stringify(c.length > 24 ? c.slice(0, 24) + '…' : c)} is not a number`;
        throw new DataError(`${file}, line ${line}, column ${j + 1}${columnName(j)}: ${what}`);
      }
      const v = Number(c);
      if (!Number.isFinite(v)) throw new DataError(`${file}, line ${line}, column ${j + 1}: ${c} overflows to ${v}`);
      values[i * cols + j] = v;
    }
  });
  return { data: values, rows: body.length, cols, names };
}

/**
 * A column that looks like a class label or identifier rather than a feature: one whose header
 * names it so (class, label, target, species, category, id), or, without such a name, a last column
 * of small integers (at most 20 distinct values) beside columns that are not integers. Returns a
 * description, or null.
 */
export function labelLikeColumn(t: ParsedTable): { column: number; named: boolean; why: string } | null {
  if (t.names) {
    const j = t.names.findIndex((n) => LABEL_NAMES.test(n.trim()));
    if (j >= 0) return { column: j + 1, named: true, why: `its header is ${JSON.stringify(t.names[j])}` };
  }
  if (t.cols < 2) return null;
  const last = t.cols - 1;
  const seen = new Set<number>();
  let otherNonInteger = false;
  for (let i = 0; i < t.rows; i++) {
    const v = t.data[i * t.cols + last];
    if (!Number.isInteger(v)) return null;
    seen.add(v);
    for (let j = 0; j < last && !otherNonInteger; j++) if (!Number.isInteger(t.data[i * t.cols + j])) otherNonInteger = true;
  }
  if (!otherNonInteger || seen.size > 20 || t.rows < 2 * seen.size) return null;
  const sorted = [...seen].sort((a, b) => a - b);
  return { column: t.cols, named: false, why: `it holds only the integers ${sorted.length <= 5 ? sorted.join(', ') : `${sorted[0]} to ${sorted[sorted.length - 1]}`} while the other columns hold fractions` };
}
