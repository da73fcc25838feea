/** Helpers shared by the commands. */
import { flag, type ParsedArgs } from '../args.js';
import type { ReadOptions } from '../data.js';
import { UsageError } from '../errors.js';

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
