/**
 * The small real data sets shipped in data/ (see data/README.md for sources and licences):
 * Fisher's iris and the UCI handwritten digits. In Node they are read from the package's data/
 * folder; in a browser they are fetched from `baseUrl` (default: the data/ folder beside the
 * bundle's parent, i.e. `new URL('../data/', import.meta.url)`).
 */
import { InitError, ValueError } from '../runtime/errors.js';
import { describe, type Matrix } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';

/** A data set: features (rows × cols, f64), integer class labels and the class names. */
export interface Dataset {
  /** Features, one row per sample. */
  X: Matrix<Float64Array>;
  /** Class of each row, 0-based. */
  labels: Int32Array;
  /** Name of each class. */
  classNames: string[];
  /** For images, their height and width (digits: 8 × 8). */
  imageShape?: [number, number];
}

/** Options of {@link loadIris} and {@link loadDigits}. */
export interface LoadOptions {
  /** Where the data/ folder lives (a URL or, in Node, a file: URL / path ending in '/'). */
  baseUrl?: string | URL;
}

const OPTION_KEYS = optionKeys<LoadOptions>()(['baseUrl']);

/** The URL of a data file under baseUrl; a baseUrl that is not a URL is a ValueError naming it (not the URL parser's TypeError). */
function dataUrl(file: string, baseUrl: unknown): URL {
  try {
    return new URL(file, baseUrl as string | URL);
  } catch {
    throw new ValueError(`baseUrl must be an absolute URL (or, in Node, a file: URL) of elbo's data/ folder, ending in '/'; got ${describe(baseUrl)}`);
  }
}

async function readBytes(file: string, options: LoadOptions): Promise<Uint8Array> {
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  const candidates = options.baseUrl !== undefined
    ? [dataUrl(file, options.baseUrl)]
    : [new URL(`../data/${file}`, import.meta.url), new URL(`../../data/${file}`, import.meta.url)];
  if (isNode && candidates.every((c) => c.protocol === 'file:')) {
    const fs = await import('node:fs/promises');
    for (const c of candidates) {
      try {
        return new Uint8Array(await fs.readFile(c));
      } catch { /* try the next location */ }
    }
    throw new InitError(`data file ${file} not found (tried ${candidates.join(', ')}); pass { baseUrl } pointing at elbo's data/ folder`);
  }
  const res = await fetch(candidates[0]);
  if (!res.ok) throw new InitError(`fetching ${candidates[0]} failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

function parseRows(text: string, skipFirst: boolean): number[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(skipFirst ? 1 : 0).map((l) => l.split(',').map(Number));
}

function toDataset(rows: number[][], classNames: string[]): Dataset {
  const cols = rows[0].length - 1;
  const X = new Float64Array(rows.length * cols);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) X[i * cols + j] = r[j];
    labels[i] = r[cols];
  });
  return { X: { data: X, rows: rows.length, cols }, labels, classNames };
}

/**
 * Fisher's iris: 150 flowers × 4 measurements (cm), 3 species. The features (data/iris.csv, a
 * header of names over 4 numeric columns) and the species (data/iris-labels.csv) are separate
 * files, so that a reader of the features never mistakes the class for a fifth feature.
 */
export async function loadIris(options: LoadOptions = {}): Promise<Dataset> {
  options = checkOptions(options, OPTION_KEYS, 'loadIris');
  const [features, species] = await Promise.all(['iris.csv', 'iris-labels.csv'].map(async (f) => new TextDecoder().decode(await readBytes(f, options))));
  const rows = parseRows(features, true);
  const names = species.split(/\r?\n/).slice(1).map((l) => l.trim()).filter((l) => l !== '');
  if (names.length !== rows.length) throw new InitError(`iris-labels.csv holds ${names.length} labels for the ${rows.length} rows of iris.csv`);
  const classNames = [...new Set(names)];
  const cols = rows[0].length;
  const X = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => X.set(r, i * cols));
  return { X: { data: X, rows: rows.length, cols }, labels: Int32Array.from(names, (n) => classNames.indexOf(n)), classNames };
}

/** UCI handwritten digits: 1797 images of 8 × 8 pixels (values 0–16), digits 0–9. */
export async function loadDigits(options: LoadOptions = {}): Promise<Dataset> {
  options = checkOptions(options, OPTION_KEYS, 'loadDigits');
  const text = await gunzip(await readBytes('digits.csv.gz', options));
  const d = toDataset(parseRows(text, false), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  return { ...d, imageShape: [8, 8] };
}
