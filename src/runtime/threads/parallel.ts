/**
 * What models see of threads: `runBlocks(job)` runs a job's blocks (on the pool when there is
 * one, else on the calling thread) and `threadCount()` sizes per-thread scratch. Either way the
 * blocks are the same and each writes only its own outputs, so results do not depend on the
 * number of threads; callers reduce per-block partial results in block order.
 */
import { InitError } from '../errors.js';
import { wasmMemory } from '../memory.js';
import { encodeJob, type BlockJob } from './block-job.js';
import { claimBlocks, type KernelFunction } from './claim-blocks.js';
import { BLOCK_BITS, controlBytes, layoutFor } from './layout.js';
import type { Pool } from './pool.js';

interface Runner {
  fns: KernelFunction[];
  index: (name: string) => number;
  pool: Pool | null;
}

let runner: Runner | null = null;
/** The calling thread's control block when there is no pool (a plain ArrayBuffer: Atomics work on it too). */
const LOCAL = layoutFor(1);
const localControl = new ArrayBuffer(controlBytes(LOCAL));
const localCtl = new Int32Array(localControl, 0, LOCAL.INTS);
const localJob = new Float64Array(localControl, LOCAL.JOB, LOCAL.JOB_F64);

/** The exports of a module in the order workers index them (WebAssembly.Module.exports). */
export function exportTable(module: WebAssembly.Module, instance: WebAssembly.Instance): { fns: KernelFunction[]; index: (name: string) => number } {
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  const positions = new Map(names.map((n, i) => [n, i]));
  const ex = instance.exports as Record<string, KernelFunction>;
  return {
    fns: names.map((n) => ex[n]),
    index: (name) => {
      const i = positions.get(name);
      if (i === undefined) throw new Error(`elbo.wasm has no export '${name}'`);
      return i;
    },
  };
}

/** Installs the calling thread's kernels and the pool (null: single-threaded). Called by init. */
export function installRunner(r: Runner | null): void {
  runner = r;
}

/** The pool, when init set one up. */
export function currentPool(): Pool | null {
  return runner?.pool ?? null;
}

/** Threads that may run blocks at once (the calling thread included): the factor for per-thread scratch. */
export function threadCount(): number {
  return runner?.pool?.size ?? 1;
}

/** Runs every block of `job`; returns when all are done (throws a WorkerError when a worker failed). */
export function runBlocks(job: BlockJob): void {
  if (!runner) throw new InitError('elbo is not initialised: call `await init()` once before using it');
  if (runner.pool) {
    runner.pool.run(job);
    return;
  }
  encodeJob(job, localJob, runner.index, LOCAL);
  Atomics.store(localCtl, LOCAL.NEXT, 1 << BLOCK_BITS);
  Atomics.store(localCtl, LOCAL.ERROR, 0);
  let thrown: unknown = null;
  claimBlocks(localCtl, localJob, runner.fns, wasmMemory(), 0, LOCAL, 1, -1, null, (err) => { thrown = err; });
  if (thrown !== null) throw thrown;
}
