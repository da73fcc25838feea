/**
 * `elbo-wasm/datasets`: the small real data sets of data/ (see data/README.md for sources and
 * licences): Fisher's iris and the UCI handwritten digits. The build embeds both files in this
 * entry (iris as text, digits as gzip in base64: 80 kB), so they load with no file, no URL and
 * no bundler configuration, and a bundle that does not import this entry does not carry them
 * (nor, being separate constants, a bundle that imports only one of the two loaders the other's
 * data). Tests running the source get the same constants from vitest.config.ts.
 */
import { InitError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';

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

/** data/iris.csv as text, defined by scripts/build.mjs (and vitest.config.ts for tests). */
declare const __ELBO_IRIS_CSV__: string | undefined;
/** data/iris-labels.csv as text, defined by scripts/build.mjs (and vitest.config.ts for tests). */
declare const __ELBO_IRIS_LABELS_CSV__: string | undefined;
/** data/digits.csv.gz in base64, defined by scripts/build.mjs (and vitest.config.ts for tests). */
declare const __ELBO_DIGITS_CSV_GZ_BASE64__: string | undefined;

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `file` as the build embedded it; an InitError when it did not. */
function embedded<T>(file: string, content: () => T | undefined): T {
  const b = content();
  if (b === undefined) throw new InitError(`data file ${file} is not embedded in this build: the data sets are embedded by \`npm run build\` (dist/datasets.js)`);
  return b;
}

const embeddedIris = (): string | undefined => (typeof __ELBO_IRIS_CSV__ === 'string' ? __ELBO_IRIS_CSV__ : undefined);
const embeddedIrisLabels = (): string | undefined => (typeof __ELBO_IRIS_LABELS_CSV__ === 'string' ? __ELBO_IRIS_LABELS_CSV__ : undefined);
const embeddedDigits = (): Uint8Array | undefined =>
  (typeof __ELBO_DIGITS_CSV_GZ_BASE64__ === 'string' ? base64Bytes(__ELBO_DIGITS_CSV_GZ_BASE64__) : undefined);

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
export async function loadIris(): Promise<Dataset> {
  const rows = parseRows(embedded('iris.csv', embeddedIris), true);
  const names = embedded('iris-labels.csv', embeddedIrisLabels).split(/\r?\n/).slice(1).map((l) => l.trim()).filter((l) => l !== '');
  if (names.length !== rows.length) throw new InitError(`iris-labels.csv holds ${names.length} labels for the ${rows.length} rows of iris.csv`);
  const classNames = [...new Set(names)];
  const cols = rows[0].length;
  const X = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => X.set(r, i * cols));
  return { X: { data: X, rows: rows.length, cols }, labels: Int32Array.from(names, (n) => classNames.indexOf(n)), classNames };
}

/** UCI handwritten digits: 1797 images of 8 × 8 pixels (values 0–16), digits 0–9. */
export async function loadDigits(): Promise<Dataset> {
  const text = await gunzip(embedded('digits.csv.gz', embeddedDigits));
  const d = toDataset(parseRows(text, false), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  return { ...d, imageShape: [8, 8] };
}
