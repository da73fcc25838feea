/**
 * `elbo-wasm/worker` in browsers (the "browser" and "default" conditions): fits in a module Web
 * Worker, so that the page's main thread never waits for one. The worker script is
 * dist/worker-main.js, named in the one form Vite and webpack 5 bundle by themselves:
 * `new Worker(new URL('./worker-main.js', import.meta.url), { type: 'module' })`.
 */
import type { MatrixLike } from '../runtime/matrix.js';
import type { FitInWorkerOptions, FitWorkerOptions, Thread } from './client.js';
import { FitWorkerBase, fitOnce } from './fit-worker.js';
import { FitWorkerError } from './errors.js';
import type { FitReply, WorkerModel } from './kinds.js';

export * from './api.js';

/**
 * A Web Worker that fits elbo's models off the main thread, kept between fits (the module is
 * loaded once per worker). Fits run one at a time, in the order they were asked for.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { FitWorker } from 'elbo-wasm/worker';
 * const worker = new FitWorker();
 * let gm = new GaussianMixture({ nComponents: 3, maxIter: 1, warmStart: true });
 * for (let i = 0; i < 20; i++) gm = await worker.fit(gm, X); // one EM iteration per call, page stays live
 * worker.terminate();
 * ```
 */
export class FitWorker extends FitWorkerBase {
  /** @param options where the worker loads elbo.wasm from (default: beside the bundle) */
  constructor(options: FitWorkerOptions = {}) {
    super(options, startWebWorker);
  }
}

/**
 * Fits `model` to X in a new Web Worker, ended when the fit is: {@link FitWorker.fit} once.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { fitInWorker } from 'elbo-wasm/worker';
 * const gm = await fitInWorker(new GaussianMixture({ nComponents: 4 }), X, {
 *   onProgress: ({ iteration, lowerBound }) => console.log(iteration, lowerBound),
 * });
 * ```
 */
export function fitInWorker<M extends WorkerModel>(model: M, X: MatrixLike, options?: FitInWorkerOptions<M>): Promise<M> {
  return fitOnce(new FitWorker(), model, X, options);
}

/** A module Web Worker running dist/worker-main.js. */
function startWebWorker(): Thread {
  const worker = new Worker(new URL('./worker-main.js', import.meta.url), { type: 'module' });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onReply, onFailure) {
      worker.onmessage = (event: MessageEvent<FitReply>) => onReply(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        onFailure(new FitWorkerError(event.message
          ? `the fit worker failed: ${event.message}`
          : 'the fit worker could not start: its script worker-main.js (beside the worker entry) did not load; serve it with the package\'s other dist/ files, or let the bundler bundle it'));
      };
      worker.onmessageerror = () => onFailure(new FitWorkerError('a message from the fit worker could not be read'));
    },
    hold: () => {},
    terminate: () => worker.terminate(),
  };
}
