/**
 * Reading a data file in batches of rows, for fits that must not hold the whole file (`elbo gmm
 * --online`): CSV / TSV / text (optionally .gz) line by line from a stream, .npy by byte ranges
 * of rows. JSON files and the shipped data sets are read whole, then cut into batches. Every
 * batch goes through the same parsers and checks as a whole-file read, with the file's own line
 * and row numbers in messages.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Matrix } from '../runtime/matrix.js';
import { parseCsv } from './csv.js';
import { BUILTIN_DATASETS, checkFeatureColumns, readMatrix, readMatrixWithWeights, selectColumns, splitWeights, type ReadOptions } from './data.js';
import { DataError } from './errors.js';
import { npyRows, parseNpyHeader } from './npy.js';

/** One batch: its rows (features), their weights when a weight column was given, and the index of its first row. */
export interface Batch {
  X: Matrix;
  sampleWeight?: Float64Array;
  firstRow: number;
}

/** The batches of `source` with at most `batchSize` rows each, in file order. */
export async function* readBatches(source: string, options: ReadOptions, batchSize: number, weightColumn?: number): AsyncGenerator<Batch> {
  const name = source.toLowerCase();
  const features = (m: Matrix) => (weightColumn === undefined
    ? { X: options.columns ? selectColumns(m, options.columns, source) : m }
    : splitWeights(m, options, weightColumn, source));
  if (name.endsWith('.npy')) {
    let first = 0;
    for await (const m of npyBatches(source, batchSize, options.missing === true)) {
      yield { ...features(m), firstRow: first };
      first += m.rows;
    }
  } else if (name.endsWith('.json') || name.endsWith('.npy.gz') || (BUILTIN_DATASETS as readonly string[]).includes(source)) {
    // Not streamable: read whole, then cut.
    const whole = weightColumn === undefined ? { X: await readMatrix(source, options) } : await readMatrixWithWeights(source, options, weightColumn);
    for (let s = 0; s < whole.X.rows; s += batchSize) {
      const e = Math.min(whole.X.rows, s + batchSize);
      yield { X: rowsOf(whole.X, s, e), sampleWeight: 'sampleWeight' in whole ? whole.sampleWeight.subarray(s, e) : undefined, firstRow: s };
    }
  } else {
    let first = 0;
    for await (const m of csvBatches(source, options, batchSize, weightColumn === undefined && options.columns === undefined)) {
      yield { ...features(m), firstRow: first };
      first += m.rows;
    }
  }
}

function rowsOf(X: Matrix, start: number, end: number): Matrix {
  return { data: X.data.subarray(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

/** A CSV file's records parsed in chunks of `batchSize` records (a quoted cell never split), with the header detected on the first. */
async function* csvBatches(file: string, options: ReadOptions, batchSize: number, checkFeatures: boolean): AsyncGenerator<Matrix> {
  const raw = createReadStream(file);
  const failed = new Promise<never>((_, reject) => raw.on('error', (e: NodeJS.ErrnoException) => reject(new DataError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory, not a file' : e.message}`))));
  failed.catch(() => {});
  const input = file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let chunk: string[] = [], records = 0, quotes = 0, consumed = 0, cols = -1;
  let header = options.header;
  let names: string[] | null = null;
  const parse = (): Matrix => {
    const t = parseCsv(chunk.join('\n'), file, { header, missing: options.missing, lineOffset: consumed, names });
    if (cols < 0) names = t.names;
    if (cols < 0 && checkFeatures) checkFeatureColumns(t, file);
    if (cols >= 0 && t.cols !== cols) {
      throw new DataError(`${file}, line ${consumed + 1}: ${t.cols} value${t.cols === 1 ? '' : 's'} per row where the rows before have ${cols} (ragged rows)`);
    }
    cols = t.cols;
    header = false;
    consumed += chunk.length;
    chunk = [];
    records = 0;
    return { data: t.data, rows: t.rows, cols: t.cols };
  };
  for (;;) {
    const next = await Promise.race([lines.next(), failed]);
    if (next.done) break;
    let line = next.value;
    if (consumed === 0 && chunk.length === 0) line = line.replace(/^\uFEFF/, '');
    chunk.push(line);
    quotes += line.split('"').length - 1;
    const t = line.trim();
    if (quotes % 2 === 0 && t !== '' && !t.startsWith('#')) records++;
    // One more record than the batch when the first chunk may start with a header line.
    if (records >= batchSize + (cols < 0 && header !== false ? 1 : 0) && quotes % 2 === 0) yield parse();
  }
  if (chunk.some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) yield parse();
  else if (cols < 0) throw new DataError(`${file}: the file is empty (no rows of data)`);
}

/** A .npy file's rows in batches, each read from the file by its byte range. */
async function* npyBatches(file: string, batchSize: number, missing: boolean): AsyncGenerator<Matrix> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (e as Error).message}`);
  }
  try {
    const size = (await fh.stat()).size;
    const lead = new Uint8Array(Math.min(size, 12));
    await fh.read(lead, 0, lead.length, 0);
    // The header's length sits after the magic and version: 2 bytes (version 1) or 4.
    const view = new DataView(lead.buffer);
    const headerEnd = lead.length < 10 ? lead.length : lead[6] === 1 ? 10 + view.getUint16(8, true) : lead.length < 12 ? lead.length : 12 + view.getUint32(8, true);
    const head = new Uint8Array(Math.min(size, headerEnd));
    await fh.read(head, 0, head.length, 0);
    const { descr, rows, cols, start } = parseNpyHeader(head, file);
    const rowBytes = cols * (descr === '<f8' ? 8 : 4);
    if (size - start < rows * rowBytes) throw new DataError(`${file}: truncated data: shape (${rows}, ${cols}) needs ${rows * rowBytes} bytes, found ${size - start}`);
    for (let r = 0; r < rows; r += batchSize) {
      const n = Math.min(batchSize, rows - r);
      const bytes = new Uint8Array(n * rowBytes);
      await fh.read(bytes, 0, bytes.length, start + r * rowBytes);
      yield npyRows(bytes, descr, cols, file, r, missing);
    }
  } finally {
    await fh.close();
  }
}
