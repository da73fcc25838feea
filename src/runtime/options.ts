/**
 * Options objects checked at the door: an unknown name (`n_components`, `nComponent`) is an
 * error that names it and suggests the closest known one, instead of a silent default.
 *
 * Each model keeps its known names in one const array built by {@link optionKeys}, which the
 * compiler checks against the options interface both ways (a name that is not an option, or an
 * option missing from the list, does not compile), and calls {@link checkOptions} as the first
 * line of every constructor or function that takes an options object.
 */
import { OptionError } from './errors.js';
import { describe } from './matrix.js';

/** The option names of T missing from the list K (never when the list is complete). */
type MissingKeys<T, K extends readonly unknown[]> = Exclude<keyof T & string, K[number]>;

/**
 * The known option names of an options interface T, as a list the compiler holds to T: every
 * entry must be a key of T, and every key of T must be listed (a missing one is named in the
 * type error). Written `optionKeys<Options>()([...])` so that T is given and the list inferred.
 *
 * @internal
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([MissingKeys<T, K>] extends [never] ? unknown : { missingOptionKeys: MissingKeys<T, K> }),
  ): K => keys;
}

/** Options named on… (onIteration, onWarning) are callbacks: checked here, so none fails later as "not a function". */
const CALLBACK = /^on[A-Z]/;

/**
 * Checks an options object against the known names of `owner` and returns it (`{}` when
 * undefined). Keys whose value is `undefined` pass whatever their name: they set nothing. Options
 * named `on…` (callbacks such as onIteration) must be functions.
 *
 * @param options the options argument as received
 * @param known the option names `owner` accepts (from {@link optionKeys})
 * @param owner the constructor or function, for messages: 'GaussianMixture', 'BinarySparseCoding.fit'
 * @throws OptionError when options is not a plain object (a number, an array, null), has an
 *   unknown name (`GaussianMixture: unknown option 'n_components'; did you mean nComponents?`),
 *   or a callback option that is not a function
 * @internal
 */
export function checkOptions<T extends object>(options: T | undefined, known: readonly string[], owner: string): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new OptionError(`${owner}: options must be an object { ${known.join(', ')} }; got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (known.includes(key)) {
      if (typeof value !== 'function' && CALLBACK.test(key)) {
        throw new OptionError(`${owner}: ${key} must be a function; got ${describe(value)}`);
      }
      continue;
    }
    const near = closestName(key, known);
    const hint = near === null ? `; known options: ${known.join(', ')}` : `; did you mean ${near}?`;
    throw new OptionError(`${owner}: unknown option '${key}'${hint}`);
  }
  return options;
}

/**
 * The known name closest to `name`, compared without case, underscores or hyphens
 * (`n_components` ≡ `nComponents`) by Damerau–Levenshtein distance; null when even the closest
 * differs in more than a third of its letters (at least 1, at most 3), which is a guess rather
 * than a typo, unless exactly one known name ends or starts with `name`.
 */
export function closestName(name: string, known: readonly string[]): string | null {
  const key = normalise(name);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = damerauLevenshtein(key, normalise(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  if (bestDistance <= limit) return best;
  // A name missing the prefix or suffix the option has here (`alpha` for `transformAlpha`).
  const partial = known.filter((k) => key.length >= MIN_PARTIAL && (normalise(k).endsWith(key) || normalise(k).startsWith(key)));
  return partial.length === 1 ? partial[0] : null;
}

/** Shortest name matched as the end or start of a known one (shorter ones match too much). */
const MIN_PARTIAL = 4;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Edit distance counting insertions, deletions, substitutions and swaps of adjacent letters (optimal string alignment). */
export function damerauLevenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // d[i][j] = distance between a[0..i) and b[0..j), kept as three rolling rows.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = new Array<number>(n + 1);
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
    }
    [prev2, prev] = [prev, row];
  }
  return prev[n];
}
