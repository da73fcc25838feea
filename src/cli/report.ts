/**
 * What a command tells the user: a progress line on stderr while a model fits (iteration,
 * bound, change, elapsed, ETA when maxIter is known), a summary on stdout at the end. `--quiet`
 * silences both; `--json` writes progress as JSON lines on stderr and the summary as one JSON
 * object on stdout.
 */
import type { ParsedArgs } from './args.js';

/** How much and in which form a command reports. */
export type ReportMode = 'human' | 'json' | 'quiet';

/** What a fit reports after each iteration (the models' onIteration info). */
export interface IterationReport {
  iteration: number;
  lowerBound: number;
  change: number;
  /** 0-based initialisation, for fits with several. */
  init?: number;
  /** Seconds the fit spent initialising (e.g. k-means) before this initialisation's first iteration. */
  initSeconds?: number;
}

/** Minimum time between redraws of the progress line on a terminal. */
const REDRAW_MS = 100;
/** Row-counted work shows its progress line only once it has run this long (seconds). */
const ROWS_QUIET_S = 0.5;

function seconds(s: number): string {
  return s < 60 ? `${s.toFixed(s < 10 ? 2 : 1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Reports a command's progress and results in the mode chosen on its command line. */
export class Reporter {
  readonly mode: ReportMode;
  private readonly stderr: NodeJS.WriteStream;
  private pendingLine = false;
  private stdoutTaken = false;

  constructor(mode: ReportMode, stderr: NodeJS.WriteStream = process.stderr) {
    this.mode = mode;
    this.stderr = stderr;
  }

  /** The mode given by --quiet / --json. */
  static fromArgs(args: ParsedArgs): Reporter {
    return new Reporter(args.values.json ? 'json' : args.values.quiet ? 'quiet' : 'human');
  }

  /**
   * A callback for a model's onIteration that draws the progress line of one fit. The returned
   * function also has `.end()`, which finishes the line.
   */
  progress(label: string, maxIter?: number, quantity = 'bound'): ((info: IterationReport) => void) & { end(): void } {
    const t0 = performance.now();
    const tty = this.stderr.isTTY === true;
    let lastDraw = -Infinity;
    let last = '';
    const draw = (line: string) => {
      this.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      this.pendingLine = tty;
    };
    // Fits begin by initialising (k-means for the mixtures), which can take a while: say so on a
    // terminal (the first iteration's line replaces it); every iteration line then gives its time.
    if (this.mode === 'human' && tty) draw(`${label}: initialising…`);
    const update = (info: IterationReport) => {
      const elapsed = (performance.now() - t0) / 1000;
      const eta = maxIter ? (elapsed / info.iteration) * (maxIter - info.iteration) : undefined;
      if (this.mode === 'json') {
        this.stderr.write(JSON.stringify({
          event: 'iteration', fit: label, iteration: info.iteration, maxIter: maxIter ?? null, init: info.init ?? 0, initSeconds: info.initSeconds ?? null,
          [quantity === 'bound' ? 'lowerBound' : quantity]: info.lowerBound, change: Number.isFinite(info.change) ? info.change : null, elapsed, eta: eta ?? null,
        }) + '\n');
        return;
      }
      if (this.mode === 'quiet') return;
      const ch = Number.isFinite(info.change) ? info.change.toExponential(2) : '—';
      const it = maxIter ? `${String(info.iteration).padStart(String(maxIter).length)}/${maxIter}` : String(info.iteration);
      const initTime = info.initSeconds !== undefined ? `  (init ${seconds(info.initSeconds)})` : '';
      last = `${label}: ${info.init ? `init ${info.init + 1}, ` : ''}iteration ${it}  ${quantity} ${info.lowerBound.toPrecision(7)}  change ${ch}  ${seconds(elapsed)}` +
        (eta !== undefined ? `  ETA ≤ ${seconds(eta)}` : '') + initTime;
      const now = performance.now();
      if (!tty || now - lastDraw >= REDRAW_MS) { draw(last); lastDraw = now; last = ''; }
    };
    return Object.assign(update, {
      end: () => {
        if (this.mode !== 'human') return;
        if (last) draw(last);
        if (this.pendingLine) this.stderr.write('\n');
        this.pendingLine = false;
      },
    });
  }

  /**
   * A progress line for work counted in rows (encoding, prediction): rows done of the total,
   * elapsed time and ETA. The returned function takes the rows done so far; `.end()` finishes.
   */
  rows(label: string, total: number): ((done: number) => void) & { end(): void } {
    const t0 = performance.now();
    const tty = this.stderr.isTTY === true;
    let lastDraw = -Infinity;
    let last = '';
    const update = (done: number) => {
      const elapsed = (performance.now() - t0) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : null;
      if (this.mode === 'json') {
        this.stderr.write(JSON.stringify({ event: 'progress', task: label, rows: done, total, elapsed, eta }) + '\n');
        return;
      }
      // Work that ends within a moment needs no progress line.
      if (this.mode === 'quiet' || elapsed < ROWS_QUIET_S) return;
      last = `${label}: rows ${String(done).padStart(String(total).length)}/${total}  ${seconds(elapsed)}${eta !== null && done < total ? `  ETA ${seconds(eta)}` : ''}`;
      const now = performance.now();
      if (!tty || now - lastDraw >= REDRAW_MS) {
        this.stderr.write(tty ? `\r${last}\x1b[K` : `${last}\n`);
        this.pendingLine = tty;
        lastDraw = now;
        last = '';
      }
    };
    return Object.assign(update, {
      end: () => {
        if (this.mode !== 'human') return;
        if (last) this.stderr.write(tty ? `\r${last}\x1b[K` : `${last}\n`);
        if (this.pendingLine) this.stderr.write('\n');
        this.pendingLine = false;
      },
    });
  }

  /** Data go to stdout ('-' as an output): the summary moves to stderr so as not to mix with them. */
  dataOnStdout(): void {
    this.stdoutTaken = true;
  }

  private out(text: string): void {
    (this.stdoutTaken ? this.stderr : process.stdout).write(text + '\n');
  }

  /** A line of the human summary (stdout); nothing in the other modes. */
  say(text: string): void {
    if (this.mode === 'human') this.out(text);
  }

  /** The machine-readable result of the command (stdout, in --json mode only). */
  result(value: Record<string, unknown>): void {
    if (this.mode === 'json') this.out(JSON.stringify(value));
  }

  /** A warning (stderr, unless quiet). */
  warn(text: string): void {
    if (this.mode === 'json') this.stderr.write(JSON.stringify({ event: 'warning', message: text }) + '\n');
    else if (this.mode === 'human') this.stderr.write(`warning: ${text}\n`);
  }
}
