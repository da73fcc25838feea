/**
 * The source text of a pool worker, for Node's worker_threads (`eval`) and for browsers (a Blob
 * URL): nothing to locate on disk or on a server, so bundlers need no configuration. Each
 * platform wraps it in its own few lines (spawn-node.ts, spawn-web.ts). The worker
 * instantiates the threaded build over the shared memory, points its kernels at its own scratch,
 * says it is ready, then runs claimBlocks for each job until the pool shuts down.
 */
import { claimBlocks } from './claim-blocks.js';
import type { Layout } from './layout.js';

/** What a worker starts with (structured-cloned: the Module and the shared memory cross threads). */
export interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** This worker's thread index (≥ 1). */
  thread: number;
  /** Its slot's epoch (layout.ts EPOCH). */
  epoch: number;
  /** Byte address of its scratch region (useScratch). */
  scratch: number;
  L: Layout;
}

/** Messages a worker posts: once ready, or when it could not instantiate. */
export type WorkerMessage = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * The worker's body. Self-contained (sent as text): `claim` is claimBlocks, `post` posts to the
 * pool, `exit` ends the thread, `onExit` registers a hook that runs when the thread ends.
 */
function workerLoop(
  claim: typeof claimBlocks, d: WorkerStart, post: (m: WorkerMessage) => void, exit: (code: number) => void, onExit: (hook: () => void) => void,
): void {
  const { module, memory, control, thread, epoch, scratch, L } = d;
  const ctl = new Int32Array(control, 0, L.INTS);
  const job = new Float64Array(control, L.JOB, L.JOB_F64);
  let fns;
  try {
    const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort called in a kernel'); } } });
    const ex = instance.exports as Record<string, (...a: number[]) => number>;
    ex.useScratch(scratch);
    fns = WebAssembly.Module.exports(module).map((e) => ex[e.name]);
  } catch (err) {
    post({ type: 'failed', message: String((err as Error)?.message ?? err) });
    return;
  }
  // A thread that ends mid-block (process.exit, a crash) tells the main thread, which is waiting on DONE.
  onExit(() => {
    Atomics.store(ctl, L.DEAD + thread, 1);
    Atomics.notify(ctl, L.DONE);
  });
  let gen = Atomics.load(ctl, L.GEN);
  post({ type: 'ready' });
  for (;;) {
    if (Atomics.load(ctl, L.SHUTDOWN) !== 0 || Atomics.load(ctl, L.EPOCH + thread) !== epoch) return;
    // A block that threw leaves this worker to be replaced: it claims nothing more.
    if (!claim(ctl, job, fns, memory, thread, L, gen & 0x7ff, epoch, (kind) => exit(70 + kind), null)) return;
    // Watch for the next job for a moment before sleeping (Layout.SPIN_MS): a notify that wakes a
    // sleeping worker costs the calling thread tens of microseconds, one that finds none nearly nothing.
    const until = performance.now() + L.SPIN_MS;
    while (Atomics.load(ctl, L.GEN) === gen && performance.now() < until) for (let i = 0; i < 256 && Atomics.load(ctl, L.GEN) === gen; i++);
    Atomics.wait(ctl, L.GEN, gen);
    gen = Atomics.load(ctl, L.GEN);
  }
}

/**
 * Source text that runs the worker's body with `args`, the text of its four other arguments
 * (start data, post, exit, onExit), for each platform's wrapper (spawn-node.ts, spawn-web.ts).
 */
export function workerCall(args: string): string {
  return `(${workerLoop.toString()})(${claimBlocks.toString()}, ${args})`;
}
