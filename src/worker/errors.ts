/**
 * The two ways a fit in a worker can fail that a fit on the calling thread cannot: the caller
 * stopped it, or the worker thread itself failed (its script did not load, it crashed, it was
 * terminated). Errors thrown by the fit inside the worker are not wrapped: they reach the caller
 * as the same class (ShapeError, ValueError, ...) with the same message (errors-wire.ts).
 */
import { ElboError } from '../runtime/errors.js';

/**
 * A fit in a worker stopped by its `signal` (or by `FitWorker.terminate`): the worker thread was
 * terminated, and the model passed to the fit is unchanged.
 */
export class FitAbortedError extends ElboError {
  /** The signal's reason (`signal.reason`), or undefined when the worker was terminated. */
  readonly reason: unknown;

  constructor(message: string, reason?: unknown) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The worker thread failed outside the fit: its script could not be loaded, it threw while
 * starting, it exited, or a message could not be read. The message names what happened.
 */
export class FitWorkerError extends ElboError {}
