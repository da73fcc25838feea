/**
 * Starting a worker thread, behind one small interface so that the pool runs the same in Node
 * (worker_threads, spawn-node.ts) and in browsers (Web Workers, spawn-web.ts).
 */
import type { WorkerMessage, WorkerStart } from './worker-source.js';

/** A started worker as the pool sees it. */
export interface WorkerHandle {
  /** Calls `fn` with each message the worker posts. */
  onMessage(fn: (m: WorkerMessage) => void): void;
  /** Calls `fn` once the thread has ended or failed to start (the reason in words). */
  onEnd(fn: (reason: string) => void): void;
  /** Ends the thread (asynchronously: it may run on briefly). */
  terminate(): void;
  /** Lets the process exit while the worker lives (Node); a no-op elsewhere. */
  unref(): void;
  /** Keeps the process alive while the worker lives (Node, during start-up); a no-op elsewhere. */
  ref(): void;
}

/** Starts a worker with its start data. */
export type Spawner = (start: WorkerStart) => WorkerHandle;
