/**
 * `elbo-wasm/worker` in Node (the "node" condition): fits in a worker_threads Worker, so that a
 * server's event loop never waits for one. The worker script is dist/worker-thread.js.
 */
import { Worker } from 'node:worker_threads';
import type { MatrixLike } from '../runtime/matrix.js';
import type { FitInWorkerOptions, FitWorkerOptions, Thread } from './client.js';
import { FitWorkerBase, fitOnce } from './fit-worker.js';
import { FitWorkerError } from './errors.js';
import type { FitReply, WorkerModel } from './kinds.js';

export * from './api.js';

/**
 * A worker thread that fits elbo's models off the event loop, kept between fits (the module is
 * loaded once per thread). Fits run one at a time, in the order they were asked for. An idle
 * FitWorker does not keep the process alive.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { FitWorker } from 'elbo-wasm/worker';
 * const worker = new FitWorker();
 * const gm = await worker.fit(new GaussianMixture({ nComponents: 3 }), X);
 * worker.terminate();
 * ```
 */
export class FitWorker extends FitWorkerBase {
  /** @param options where the thread reads elbo.wasm from (default: the package's dist/) */
  constructor(options: FitWorkerOptions = {}) {
    super(options, startWorkerThread);
  }
}

/**
 * Fits `model` to X in a new worker thread, ended when the fit is: {@link FitWorker.fit} once.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { fitInWorker } from 'elbo-wasm/worker';
 * const gm = await fitInWorker(new GaussianMixture({ nComponents: 4 }), X, { signal: AbortSignal.timeout(60_000) });
 * ```
 */
export function fitInWorker<M extends WorkerModel>(model: M, X: MatrixLike, options?: FitInWorkerOptions<M>): Promise<M> {
  return fitOnce(new FitWorker(), model, X, options);
}

/**
 * The parent's Node flags minus those that apply only to a main script's source (`node
 * --input-type=module -e ...` would otherwise fail the thread: its script is a file).
 */
function threadExecArgv(): string[] {
  return process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
}

/** A worker_threads Worker running dist/worker-thread.js, unref'd while idle. */
function startWorkerThread(): Thread {
  const worker = new Worker(new URL('./worker-thread.js', import.meta.url), { execArgv: threadExecArgv() });
  let ended = false;
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onReply, onFailure) {
      worker.on('message', (reply: FitReply) => onReply(reply));
      worker.on('error', (err: Error) => onFailure(new FitWorkerError(`the fit worker thread failed: ${err.name}: ${err.message}`)));
      worker.on('messageerror', (err: Error) => onFailure(new FitWorkerError(`a message from the fit worker thread could not be read: ${err.message}`)));
      worker.on('exit', (code: number) => {
        if (!ended) onFailure(new FitWorkerError(`the fit worker thread exited with code ${code}`));
      });
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
  };
}
