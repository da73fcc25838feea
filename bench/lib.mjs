// Shared benchmark plumbing: benchmark.js runs, a readable table, machine facts for the JSON.
import Benchmark from 'benchmark';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full garbage collection, so that a timed case does not pay for collecting what the case before
 * it left (V8's concurrent marking of that garbage shows as CPU time above the wall-clock time).
 * The collector is reached through the --expose-gc flag set at run time, so that
 * `node bench/run.mjs` needs no flag of its own.
 */
let collect = null;
export function settleHeap() {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc');
  }
  collect();
}

/** Machine facts stored with every result file, so numbers always say where they came from. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/**
 * Times `fn` with benchmark.js and returns seconds per call with its relative margin of error.
 * `maxTime` bounds the sampling time per case (seconds).
 */
export function time(name, fn, { maxTime = 1.5, minSamples = 5 } = {}) {
  let result;
  const b = new Benchmark(name, fn, { maxTime, minSamples, onComplete() {} });
  b.on('complete', (ev) => {
    const t = ev.target;
    if (t.error) throw t.error;
    result = { seconds: t.stats.mean, rme: t.stats.rme, samples: t.stats.sample.length };
  });
  b.run({ async: false });
  return result;
}

/**
 * Seconds of the fastest of `runs` calls of `fn`, after `warmups` calls (V8 tiers wasm up from its
 * baseline compiler while it runs). For whole computations too long for benchmark.js's sampling.
 */
export function wall(fn, runs = 2, warmups = 1) {
  for (let i = 0; i < warmups; i++) fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t) / 1e3);
  }
  return best;
}

/** Prints rows as an aligned table. */
export function printTable(title, columns, rows) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padStart(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(columns.map((c) => r[c])));
}

/** Formats a number with 3 significant digits. */
export function fmt(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return '';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return x.toPrecision(3);
}
