/**
 * The caller's side of a fit worker: one thread, started on the first fit and kept for the next,
 * running one fit at a time (later fits wait their turn). A fit posts its request, relays the
 * worker's progress and warnings to the caller's callbacks, and resolves to the model rebuilt
 * from the worker's file with the class's fromJSON. Stopping a fit (its signal, `terminate`) or
 * losing the thread ends the thread; the next fit starts a new one. The model passed in is
 * never modified, so a fit that fails leaves it as it was.
 */
import { OptionError } from '../runtime/errors.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { describe, type MatrixLike } from '../runtime/matrix.js';
import { FitAbortedError, FitWorkerError } from './errors.js';
import { fromWire } from './errors-wire.js';
import type { FitOptionsOf, FitReply, FitRequest, ProgressOf, WorkerModel } from './kinds.js';
import { prepareFit, type PreparedFit } from './request.js';

/** A started worker thread, as the client drives it (a browser Worker or a Node worker thread). */
export interface Thread {
  post(message: FitRequest, transfer: ArrayBuffer[]): void;
  /** Called with each reply, and with a FitWorkerError when the thread fails. */
  listen(onReply: (reply: FitReply) => void, onFailure: (error: FitWorkerError) => void): void;
  /** Whether the thread keeps the process alive (Node: ref while a fit runs, unref when idle). */
  hold(busy: boolean): void;
  terminate(): void;
}

/** Options of a fit in a worker: the model's fit options and these. */
export interface WorkerFitControls<M extends WorkerModel> {
  /**
   * Receives what the model's progress callback would (onIteration's info; LISTA's onEpoch as
   * `{ epoch, loss }`), posted by the worker after each iteration. Its return value is ignored:
   * stop a fit with `signal`.
   */
  onProgress?: (info: ProgressOf<M>) => void;
  /** Aborting it terminates the worker thread and rejects the fit with a FitAbortedError. */
  signal?: AbortSignal;
  /**
   * Move X's buffer to the worker instead of copying it (default false). Saves a copy of a large
   * X; X.data (and every view of its buffer) is then detached (length 0) in the caller.
   */
  transfer?: boolean;
}

/** The second argument of a fit in a worker: the model's own fit options and the worker's. */
export type FitInWorkerOptions<M extends WorkerModel> = FitOptionsOf<M> & WorkerFitControls<M>;

/** Options of a FitWorker. */
export interface FitWorkerOptions {
  /** Where the worker loads elbo.wasm from (default: beside the bundle, as `init()` does). */
  wasmUrl?: string | URL;
  /** The module's bytes or a compiled WebAssembly.Module, which the worker then needs from nowhere. */
  wasm?: ArrayBuffer | Uint8Array | WebAssembly.Module;
}

const FIT_WORKER_OPTION_KEYS = optionKeys<FitWorkerOptions>()(['wasmUrl', 'wasm']);

/** One fit in progress. */
interface Job {
  prepared: PreparedFit;
  onProgress?: (info: never) => void;
  resolve(model: WorkerModel): void;
  reject(err: unknown): void;
}

/** The thread, its queue of fits and the fit it is running. */
export class FitSession {
  private thread: Thread | null = null;
  private running: Job | null = null;
  /** The running job's handlers, which the thread's listeners (set once per thread) call. */
  private listeners: { onReply: (r: FitReply) => void; onFailure: (e: FitWorkerError) => void } | null = null;
  private queue = Promise.resolve();
  private readonly init: FitRequest['init'];

  constructor(options: FitWorkerOptions, private readonly start: () => Thread) {
    options = checkOptions(options, FIT_WORKER_OPTION_KEYS, 'FitWorker');
    if (options.wasmUrl !== undefined && typeof options.wasmUrl !== 'string' && !(options.wasmUrl instanceof URL)) {
      throw new OptionError(`FitWorker: wasmUrl must be a string or a URL; got ${describe(options.wasmUrl)}`);
    }
    this.init = { ...(options.wasmUrl !== undefined ? { wasmUrl: String(options.wasmUrl) } : {}), ...(options.wasm !== undefined ? { wasm: options.wasm } : {}) };
  }

  /** Fits `model` to X in the thread; see FitWorker.fit. */
  fit<M extends WorkerModel>(model: M, X: MatrixLike, options: FitInWorkerOptions<M> = {} as FitInWorkerOptions<M>): Promise<M> {
    let prepared: PreparedFit, controls: WorkerFitControls<M>;
    try {
      ({ prepared, controls } = this.prepare(model, X, options));
    } catch (err) {
      return Promise.reject(err);
    }
    const { signal } = controls;
    if (signal?.aborted) return Promise.reject(aborted(signal));
    return new Promise<M>((resolve, reject) => {
      let settled = false;
      const job: Job = {
        prepared, onProgress: controls.onProgress as Job['onProgress'],
        resolve: (m) => { if (!settled) { settled = true; signal?.removeEventListener('abort', onAbort); resolve(m as M); } },
        reject: (e) => { if (!settled) { settled = true; signal?.removeEventListener('abort', onAbort); reject(e); } },
      };
      const onAbort = () => {
        if (this.running === job) this.stop(aborted(signal as AbortSignal));
        else job.reject(aborted(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort);
      this.queue = this.queue.then(() => (settled ? undefined : this.run(job)));
    });
  }

  /** Ends the thread; a running fit rejects with a FitAbortedError, and queued fits run in a new thread. */
  terminate(): void {
    this.stop(new FitAbortedError('the fit worker was terminated (FitWorker.terminate) while it was fitting'));
  }

  private prepare<M extends WorkerModel>(model: M, X: MatrixLike, options: FitInWorkerOptions<M>) {
    if (options === null || typeof options !== 'object') throw new OptionError(`fitInWorker: options must be an object; got ${describe(options)}`);
    const { onProgress, signal, transfer, ...fitOptions } = options as WorkerFitControls<M> & Record<string, unknown>;
    if (onProgress !== undefined && typeof onProgress !== 'function') throw new OptionError(`fitInWorker: onProgress must be a function; got ${describe(onProgress)}`);
    if (signal !== undefined && !isAbortSignal(signal)) throw new OptionError(`fitInWorker: signal must be an AbortSignal; got ${describe(signal)}`);
    if (transfer !== undefined && typeof transfer !== 'boolean') throw new OptionError(`fitInWorker: transfer must be true or false; got ${describe(transfer)}`);
    const prepared = prepareFit(model, X, fitOptions, transfer === true, this.init, onProgress !== undefined);
    return { prepared, controls: { onProgress, signal, transfer } };
  }

  /**
   * Runs one job to its end: resolved by the worker's file, rejected by its error, a callback
   * that throws, a failed thread, or stopped from outside (`stop` rejects the running job).
   */
  private run(job: Job): Promise<void> {
    return new Promise<void>((done) => {
      const { resolve, reject } = job;
      const finish = () => {
        if (this.running !== job) return;
        this.running = null;
        this.thread?.hold(false);
        done();
      };
      job.resolve = (m) => { finish(); resolve(m); };
      job.reject = (e) => { finish(); reject(e); };
      this.running = job;
      // A throwing onWarning fails the fit as on this thread: the result that follows is dropped.
      let warningError: { error: unknown } | null = null;
      const onReply = (reply: FitReply) => {
        if (this.running !== job) return;
        if (reply.type === 'failed') return job.reject(fromWire(reply.error));
        if (reply.type === 'done') {
          if (warningError) return job.reject(warningError.error);
          try {
            return job.resolve(this.rebuild(job.prepared, reply.json));
          } catch (err) {
            return job.reject(err);
          }
        }
        try {
          if (reply.type === 'progress') job.onProgress?.(reply.info as never);
          else (job.prepared.onWarning ?? console.warn)(reply.message);
        } catch (err) {
          if (reply.type === 'warning') warningError = { error: err };
          else this.stop(err); // onProgress threw: no one waits for the rest of the fit
        }
      };
      try {
        const thread = this.ensureThread(onReply, (error) => this.stop(error));
        thread.hold(true);
        thread.post(job.prepared.request, job.prepared.transfer);
      } catch (err) {
        job.reject(err instanceof Error && err.name === 'DataCloneError'
          ? new OptionError(`fitInWorker: X or an option cannot be sent to a worker thread (${err.message})`) : err);
      }
    });
  }

  /** The model rebuilt from the worker's file, with the caller's onWarning and engine. */
  private rebuild(prepared: PreparedFit, json: unknown): WorkerModel {
    const { kind, onWarning, engine } = prepared;
    const runtime: Record<string, unknown> = {};
    if (onWarning !== undefined) runtime.onWarning = onWarning;
    if (engine !== undefined && kind.runtimeKeys.includes('engine')) runtime.engine = engine;
    return kind.cls.fromJSON(json as never, runtime);
  }

  private ensureThread(onReply: (r: FitReply) => void, onFailure: (e: FitWorkerError) => void): Thread {
    this.listeners = { onReply, onFailure };
    if (!this.thread) {
      const thread = this.start();
      thread.listen((r) => { if (this.thread === thread) this.listeners?.onReply(r); }, (e) => { if (this.thread === thread) this.listeners?.onFailure(e); });
      this.thread = thread;
    }
    return this.thread;
  }

  /** Ends the thread and rejects the running fit with `error`. */
  private stop(error: unknown): void {
    const job = this.running;
    this.stopThread();
    job?.reject(error);
  }

  private stopThread(): void {
    const thread = this.thread;
    this.thread = null;
    thread?.terminate();
  }
}

function aborted(signal: AbortSignal): FitAbortedError {
  const why = signal.reason instanceof Error ? `: ${signal.reason.message}` : signal.reason !== undefined ? `: ${String(signal.reason)}` : '';
  return new FitAbortedError(`the fit in the worker was aborted by its signal${why}; the worker thread was terminated and the model is unchanged`, signal.reason);
}

function isAbortSignal(v: unknown): v is AbortSignal {
  return typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function';
}
