/**
 * Errors raised by elbo. Every message names the argument, what was expected and what was
 * received, e.g. `X must have 8 columns (the model was fitted on 8); got 7`.
 */

/** Base class of every error elbo throws on purpose. */
export class ElboError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument has the wrong shape: wrong number of rows or columns, ragged rows, wrong length. */
export class ShapeError extends ElboError {}

/** An argument has a bad value: NaN or Infinity, out of range, or a matrix that is not positive definite. */
export class ValueError extends ElboError {}

/**
 * An options object names an option the call does not have (the message suggests the closest
 * known name: `unknown option 'n_components'; did you mean nComponents?`), or is not an object.
 * A kind of ValueError, so code that catches ValueError catches it too.
 */
export class OptionError extends ValueError {}

/** A method that needs a fitted model was called before `fit`. */
export class NotFittedError extends ElboError {}

/** The wasm module was used before `await init()` finished, or could not be loaded. */
export class InitError extends ElboError {}

/**
 * A saved model (a `toJSON()` output, usually read back from a file) that `fromJSON` refuses:
 * a missing or mistyped field, a non-finite number, a wrong length, or fields that contradict
 * each other. `path` names the field (`means[5]`, `options.nComponents`, `dictionary.data`);
 * the message starts with the model's `fromJSON` and repeats it. A subclass of ValueError.
 */
export class ModelFileError extends ValueError {
  /** The field that is wrong, as a JSON path (`''` for the whole value). */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * A computation asked for more WebAssembly memory than a 32-bit module can address (4 GiB).
 * The message names the buffer, its size, what was already in use and which dimension to reduce.
 */
export class WasmMemoryError extends ValueError {}

/**
 * A worker thread of the pool (`init({ threads })`) failed during a call: a kernel threw in it,
 * or the thread ended (terminated, crashed, exited) while it held a block. The message names the
 * thread, the block and what happened. The call's result is discarded; the pool has already
 * started a replacement, so the next call runs normally.
 */
export class WorkerError extends ElboError {
  /** The thread's index in the pool (1 … threads − 1; 0 is the calling thread). */
  readonly thread: number;

  constructor(thread: number, message: string) {
    super(message);
    this.thread = thread;
  }
}
