/** Helpers shared by the commands. */
import { readFile } from 'node:fs/promises';
import { ElboError, ModelFileError } from '../../runtime/errors.js';
import type { Matrix } from '../../runtime/matrix.js';
import { flag, flagName, type ParsedArgs } from '../args.js';
import type { ReadOptions } from '../data.js';
import { DataError, UsageError } from '../errors.js';
import { parseJsonValue } from '../json.js';
import type { Reporter } from '../report.js';

/** The data-reading options (--columns, --header, --no-header) of a command line. */
export function dataOptions(args: ParsedArgs): ReadOptions {
  if (flag(args, 'header') && flag(args, 'no-header')) throw new UsageError('--header and --no-header contradict each other');
  return {
    header: flag(args, 'header') ? true : flag(args, 'no-header') ? false : undefined,
    columns: typeof args.values.columns === 'string' ? args.values.columns : undefined,
  };
}

/** "8x8" → [8, 8]; without a spec, a square shape when cols is a perfect square, else null. */
export function imageShape(spec: string | undefined, cols: number): [number, number] | null {
  if (spec !== undefined) {
    const m = /^(\d+)[x×](\d+)$/.exec(spec.trim());
    if (!m || Number(m[1]) * Number(m[2]) !== cols) throw new UsageError(`--image-shape must be HxW with H·W = ${cols} (the number of features); got ${JSON.stringify(spec)}`);
    return [Number(m[1]), Number(m[2])];
  }
  const s = Math.round(Math.sqrt(cols));
  return s * s === cols && s > 1 ? [s, s] : null;
}

/**
 * Runs fn and rewrites the library's names in any ElboError it throws into the command line's:
 * `names` maps an API name to its option (nComponents → components gives "-k/--components = 100"),
 * or to a file for the matrix arguments (X → data.csv). The error keeps its class.
 */
export function inCommandTerms<T>(args: ParsedArgs, names: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ElboError) {
      for (const [api, cli] of Object.entries(names)) {
        const shown = cli.startsWith('file:') ? cli.slice(5) : flagName(args, cli);
        e.message = e.message.replace(new RegExp(`\\b${api}\\b`, 'g'), shown);
      }
    }
    throw e;
  }
}

/** Rows per block of row-wise work: small enough for a progress line, large enough to keep the kernels busy. */
const MIN_BLOCK_ROWS = 64;
const BLOCKS = 50;

/**
 * Runs row-independent work (encoding, prediction) over blocks of the rows of X, with a progress
 * line counting rows. `fn` gets each block and the index of its first row.
 */
export function inRowBlocks(X: Matrix, r: Reporter, label: string, fn: (block: Matrix, start: number) => void): void {
  const N = X.rows, D = X.cols;
  const size = Math.max(MIN_BLOCK_ROWS, Math.ceil(N / BLOCKS));
  const progress = r.rows(label, N);
  try {
    for (let start = 0; start < N; start += size) {
      const end = Math.min(N, start + size);
      fn({ data: X.data.subarray(start * D, end * D), rows: end - start, cols: D } as Matrix, start);
      progress(end);
    }
  } finally {
    progress.end();
  }
}

/** The JSON value of a saved-model file; a missing or unreadable file, or bad JSON, is a DataError naming it. */
export async function readModelJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf-8');
  } catch (e) {
    throw new DataError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseJsonValue(text, file);
}

/** Runs fn, naming the model file in the message of a ModelFileError it throws. */
export function inModelFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModelFileError) e.message = `${file}: ${e.message}`;
    throw e;
  }
}
