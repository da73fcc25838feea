/**
 * Command definitions and argument parsing (node:util parseArgs, strict), with the help text of
 * each command generated from its definition, and typed readers of option values that answer a
 * bad value with a UsageError naming the option.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. 'K'. */
  value?: string;
  help: string;
}

/** The parsed command line of one command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Short letter of each option that has one (for messages: '-k/--components'). */
  shorts?: Record<string, string>;
}

/** A subcommand of `elbo`. */
export interface Command {
  name: string;
  /** One line for the list of commands. */
  summary: string;
  /** Positional arguments, e.g. '<data>'. */
  usage: string;
  /** More lines of explanation under the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Number of positionals: [min, max]. */
  positionals: [number, number];
  run(args: ParsedArgs): Promise<void>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  quiet: { type: 'boolean', short: 'q', help: 'no progress line and no summary (errors still go to stderr)' },
  json: { type: 'boolean', help: 'machine-readable: progress as JSON lines on stderr, the summary as one JSON object on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** Options of the commands that read a data matrix. */
export const DATA_OPTIONS: Record<string, OptionSpec> = {
  columns: { type: 'string', value: 'LIST', help: 'use only these 1-based columns, e.g. 1-4 or 1,3,5-8' },
  header: { type: 'boolean', help: 'the first line of a CSV file is a header (default: detected)' },
  'no-header': { type: 'boolean', help: 'the first line of a CSV file is data' },
};

/** A token that is a negative number ('-1', '-.5', '-1e-3'): a value, never an option. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Joins a value-taking option and a following negative number into one token (`--tol -1` →
 * `--tol=-1`, `-k -2` → `--components=-2`): parseArgs would take '-1' for an option and answer
 * "argument is ambiguous". The value is then checked (and refused, if out of range) by name.
 */
function attachNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): string[] {
  const long = (token: string): string | undefined => {
    if (token.startsWith('--') && !token.includes('=')) return options[token.slice(2)]?.type === 'string' ? token.slice(2) : undefined;
    if (/^-[^-]$/.test(token)) return Object.entries(options).find(([, o]) => o.short === token[1] && o.type === 'string')?.[0];
    return undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') { out.push(...argv.slice(i)); break; }
    const name = long(argv[i]);
    if (name !== undefined && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      out.push(`--${name}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Parses argv for a command; unknown options and wrong counts of positionals are UsageErrors. */
export function parseCommand(cmd: Command, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries({ ...cmd.options, ...COMMON_OPTIONS })) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: attachNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify .*$/, '')} (see elbo ${cmd.name} --help)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (!values.help) {
    const [min, max] = cmd.positionals;
    const n = parsed.positionals.length;
    if (n < min) throw new UsageError(`elbo ${cmd.name} needs ${cmd.usage} (see elbo ${cmd.name} --help)`);
    if (n > max) throw new UsageError(`elbo ${cmd.name}: unexpected argument ${JSON.stringify(parsed.positionals[max])} (see elbo ${cmd.name} --help)`);
  }
  const shorts = Object.fromEntries(Object.entries(options).filter(([, o]) => o.short).map(([n, o]) => [n, o.short as string]));
  return { values, positionals: parsed.positionals, shorts };
}

/** The help text of a command. */
export function helpText(cmd: Command): string {
  const all = { ...cmd.options, ...COMMON_OPTIONS };
  const left = (name: string, o: OptionSpec) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.value ?? 'VALUE'}>` : ''}`;
  const width = Math.max(...Object.entries(all).map(([n, o]) => left(n, o).length));
  const lines = [`elbo ${cmd.name} ${cmd.usage}`, '', `${cmd.summary}`];
  if (cmd.description) lines.push('', cmd.description);
  lines.push('', 'Options:');
  for (const [n, o] of Object.entries(all)) lines.push(`  ${left(n, o).padEnd(width)}  ${o.help}`);
  lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

function raw(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A string option, or its default. */
export function str(args: ParsedArgs, name: string): string | undefined;
export function str(args: ParsedArgs, name: string, fallback: string): string;
export function str(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  return raw(args, name) ?? fallback;
}

/** Strict decimal integers and numbers: no hex (0x2), binary, octal, underscores, 'Infinity' or blanks. */
const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An integer option ≥ min (and ≤ max), written in decimal digits, or its default. */
export function int(args: ParsedArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = raw(args, name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!DECIMAL_INTEGER.test(v) || !Number.isSafeInteger(x) || x < min || x > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? `between ${min} and ${max}` : `≥ ${min}`;
    throw new UsageError(`${flagName(args, name)} must be an integer ${range} in decimal digits; got ${JSON.stringify(v)}`);
  }
  return x;
}

/** A finite number option ≥ min, or its default. */
export function num(args: ParsedArgs, name: string, fallback: number, min?: number): number;
export function num(args: ParsedArgs, name: string, fallback: undefined, min?: number): number | undefined;
export function num(args: ParsedArgs, name: string, fallback: number | undefined, min = -Infinity): number | undefined {
  const v = raw(args, name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!DECIMAL_NUMBER.test(v) || !Number.isFinite(x) || x < min) {
    throw new UsageError(`${flagName(args, name)} must be a decimal number${min > -Infinity ? ` ≥ ${min}` : ''}; got ${JSON.stringify(v)}`);
  }
  return x;
}

/** How an option is named in messages: '-k/--components', or '--tol'. */
export function flagName(args: ParsedArgs, name: string): string {
  const short = args.shorts?.[name];
  return short ? `-${short}/--${name}` : `--${name}`;
}

/** An option restricted to a list of values, or its default. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = raw(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flagName(args, name)} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  return v as T;
}

/** True when a boolean flag was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
