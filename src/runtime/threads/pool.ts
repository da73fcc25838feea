/**
 * The worker pool of the threaded build: `threads − 1` workers beside the calling thread, all
 * running the same kernels over one shared WebAssembly.Memory. A job (block-job.ts) is run by
 * every thread claiming blocks from one counter (claim-blocks.ts); the calling thread claims
 * too, then waits for the blocks still in flight: with Atomics.wait where it may block (Node's
 * main thread, any worker), by polling the counter where it may not (a browser page's main
 * thread, which only ever waits for blocks already being computed).
 *
 * Faults: a block that throws in a worker, or a worker that ends while it holds a block, fails
 * the call with a WorkerError once every other block in flight has finished; the worker is
 * replaced at once (its successor starts in the background), so the next call succeeds.
 */
import { InitError, WorkerError } from '../errors.js';
import { blockCount, encodeJob, type BlockJob } from './block-job.js';
import { claimBlocks, type KernelFunction } from './claim-blocks.js';
import { BLOCK_BITS, JOB_ID_MASK, MAX_BLOCKS, controlBytes, layoutFor, type Layout } from './layout.js';
import type { Spawner, WorkerHandle } from './spawn.js';

/** What a pool is built from. */
export interface PoolSpec {
  threads: number;
  spawn: Spawner;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The calling thread's kernels, in the order of WebAssembly.Module.exports(module). */
  fns: KernelFunction[];
  /** Position of each export's name in that order. */
  index: (name: string) => number;
  /** Byte address of each worker's scratch region, by thread index (index 0 unused). */
  scratch: number[];
}

/**
 * Writes `job` into the shared description, to be opened by openJob. The claim counter is first
 * closed for good on the job before (block MAX_BLOCKS, whatever that job's block count): a worker
 * that wakes late for that job may read the description while it is rewritten, and it claims a
 * block only by a compare-exchange from the value it read, which the closed counter no longer has.
 * Without it, a late worker whose last job had fewer blocks than this one saw an exhausted but
 * open counter, claimed the blocks past the old count with the new description (or a
 * half-written one) and counted them done in the new job.
 */
export function beginJob(ctl: Int32Array, description: Float64Array, job: BlockJob, index: (name: string) => number, L: Layout): void {
  Atomics.store(ctl, L.NEXT, (Atomics.load(ctl, L.NEXT) & ~MAX_BLOCKS) | MAX_BLOCKS);
  encodeJob(job, description, index, L);
  Atomics.store(ctl, L.ERROR, 0);
  Atomics.store(ctl, L.ERROR_LENGTH, 0);
  Atomics.store(ctl, L.DONE, 0);
}

/** Opens the job beginJob wrote as job `jobId`: its counter at block 0, and the idle workers woken. */
export function openJob(ctl: Int32Array, L: Layout, jobId: number): void {
  Atomics.store(ctl, L.NEXT, jobId << BLOCK_BITS);
  Atomics.store(ctl, L.GEN, jobId);
  Atomics.notify(ctl, L.GEN);
}

/** How long one Atomics.wait of the calling thread lasts before it looks at the threads' flags again (ms). */
const WAIT_SLICE_MS = 100;

export class Pool {
  readonly size: number;
  private readonly L: Layout;
  private readonly control: SharedArrayBuffer;
  private readonly ctl: Int32Array;
  private readonly job: Float64Array;
  private readonly handles: (WorkerHandle | null)[];
  private jobId = 0;
  private closed = false;
  private readonly canBlock = mayBlock();

  constructor(private readonly spec: PoolSpec) {
    this.size = spec.threads;
    this.L = layoutFor(spec.threads);
    this.control = new SharedArrayBuffer(controlBytes(this.L));
    this.ctl = new Int32Array(this.control, 0, this.L.INTS);
    this.job = new Float64Array(this.control, this.L.JOB, this.L.JOB_F64);
    this.handles = new Array(spec.threads).fill(null);
  }

  /** Starts every worker and resolves once all of them are ready (they keep the process alive only until then). */
  start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let t = 1; t < this.size; t++) {
      ready.push(new Promise<void>((resolve, reject) => {
        const h = this.spawnWorker(t, (m) => (m.type === 'ready' ? resolve() : reject(new InitError(`worker thread ${t} could not instantiate elbo.threads.wasm: ${m.message}`))));
        h.ref();
        h.onEnd((why) => reject(new InitError(`worker thread ${t} ${why} while starting`)));
      }));
    }
    return Promise.all(ready).then(
      () => { for (const h of this.handles) h?.unref(); },
      (err) => { this.shutdown(); throw err; },
    );
  }

  /** Runs `job` on every thread of the pool; returns when every block is done. */
  run(job: BlockJob): void {
    if (this.closed) throw new InitError("elbo's worker pool was shut down by dispose(): call `await init()` again before using it");
    const nBlocks = blockCount(job);
    if (nBlocks === 0) return;
    const { ctl, L } = this;
    for (let t = 1; t < this.size; t++) if (Atomics.load(ctl, L.DEAD + t) !== 0) this.replace(t);
    beginJob(ctl, this.job, job, this.spec.index, L);
    this.jobId = (this.jobId + 1) & JOB_ID_MASK;
    openJob(ctl, L, this.jobId);
    let own: unknown = null;
    claimBlocks(ctl, this.job, this.spec.fns, this.spec.memory, 0, L, this.jobId, -1, null, (err) => { own = err; });
    const lost = this.awaitBlocks(nBlocks);
    if (own !== null) throw own;
    if (lost.length > 0) {
      const [t, b] = lost[0];
      for (const [u] of lost) this.replace(u);
      throw new WorkerError(t, `worker thread ${t} ended while computing block ${b} of ${job.label}; it was replaced, so the next call runs normally`);
    }
    const failed = Atomics.load(ctl, L.ERROR) - 1;
    if (failed > 0) {
      const text = new TextDecoder().decode(new Uint8Array(this.control, L.ERROR_TEXT, Atomics.load(ctl, L.ERROR_LENGTH)).slice());
      this.replace(failed);
      throw new WorkerError(failed, `worker thread ${failed} threw in ${job.label}: ${text}; it was replaced, so the next call runs normally`);
    }
  }

  /**
   * Waits until every claimed block is done or lost (its thread ended holding it), closing the
   * job to new claims as soon as one failed. Returns the lost blocks as [thread, block].
   */
  private awaitBlocks(nBlocks: number): [number, number][] {
    const { ctl, L } = this;
    for (;;) {
      const done = Atomics.load(ctl, L.DONE);
      const lost: [number, number][] = [];
      for (let t = 1; t < this.size; t++) {
        const claim = Atomics.load(ctl, L.CLAIM + t);
        if (claim !== 0 && Atomics.load(ctl, L.DEAD + t) !== 0) lost.push([t, claim - 1]);
      }
      if (lost.length > 0 || Atomics.load(ctl, L.ERROR) !== 0) this.closeJob(nBlocks);
      const claimed = Math.min(Atomics.load(ctl, L.NEXT) & ((1 << BLOCK_BITS) - 1), nBlocks);
      if (done + lost.length >= claimed && (claimed === nBlocks || lost.length > 0 || Atomics.load(ctl, L.ERROR) !== 0)) return lost;
      if (this.canBlock) Atomics.wait(ctl, L.DONE, done, WAIT_SLICE_MS);
    }
  }

  /** No block of the current job is claimed after this. */
  private closeJob(nBlocks: number): void {
    const { ctl, L } = this;
    for (;;) {
      const v = Atomics.load(ctl, L.NEXT);
      if ((v & ((1 << BLOCK_BITS) - 1)) >= nBlocks) return;
      if (Atomics.compareExchange(ctl, L.NEXT, v, (this.jobId << BLOCK_BITS) | nBlocks) === v) return;
    }
  }

  private spawnWorker(t: number, onMessage: (m: { type: string; message?: string }) => void = () => {}): WorkerHandle {
    const { ctl, L } = this;
    const epoch = Atomics.add(ctl, L.EPOCH + t, 1) + 1;
    Atomics.store(ctl, L.DEAD + t, 0);
    Atomics.store(ctl, L.CLAIM + t, 0);
    Atomics.store(ctl, L.FAULT + t, 0);
    const h = this.spec.spawn({ module: this.spec.module, memory: this.spec.memory, control: this.control, thread: t, epoch, scratch: this.spec.scratch[t], L });
    this.handles[t] = h;
    h.onMessage(onMessage as never);
    h.onEnd(() => {
      if (this.handles[t] !== h) return;
      Atomics.store(ctl, L.DEAD + t, 1);
    });
    return h;
  }

  /** Ends worker t (if it still runs) and starts its successor, which joins once it is ready. */
  private replace(t: number): void {
    const old = this.handles[t];
    this.handles[t] = null;
    // Bumping the epoch first stops the old worker claiming, even before terminate() takes effect.
    Atomics.add(this.ctl, this.L.EPOCH + t, 1);
    old?.terminate();
    if (!this.closed) this.spawnWorker(t).unref();
  }

  /**
   * Ends worker t as a crash would (for tests of fault handling): it is marked as ended, so a
   * block it holds fails the call in progress and the next call replaces it.
   * @internal
   */
  terminateWorker(t: number): void {
    Atomics.store(this.ctl, this.L.DEAD + t, 1);
    this.handles[t]?.terminate();
  }

  /**
   * Makes worker t fail in the next block it claims (for tests): `throw` throws an Error there,
   * `exit` ends the thread there (Node: process.exit).
   * @internal
   */
  injectFault(t: number, kind: 'throw' | 'exit'): void {
    Atomics.store(this.ctl, this.L.FAULT + t, kind === 'throw' ? 1 : 2);
  }

  /**
   * Blocks each thread has computed since the pool started (index 0: the calling thread).
   * @internal
   */
  blocksRun(): number[] {
    return Array.from({ length: this.size }, (_, t) => Atomics.load(this.ctl, this.L.BLOCKS + t));
  }

  /** Ends every worker; the pool cannot run jobs afterwards. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, this.L.SHUTDOWN, 1);
    Atomics.add(this.ctl, this.L.GEN, 1);
    Atomics.notify(this.ctl, this.L.GEN);
    for (const h of this.handles) h?.terminate();
    this.handles.fill(null);
  }
}

/** True where Atomics.wait is allowed (not on a browser page's main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
