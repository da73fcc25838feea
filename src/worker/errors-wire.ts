/**
 * Errors across the thread boundary. A structured clone keeps an Error's message but not its
 * class, so the worker sends the name, the message, the stack and the error's own fields
 * (ModelFileError's `path`), and the caller rebuilds an instance of the same class: an error of
 * a fit in a worker can be caught exactly as the same error on the calling thread.
 */
import {
  ElboError, InitError, ModelFileError, NotFittedError, OptionError, ShapeError, ValueError, WasmMemoryError,
} from '../runtime/errors.js';
import { FitAbortedError, FitWorkerError } from './errors.js';

/** An error as it crosses threads. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own enumerable fields, e.g. { path: 'means[5]' }. */
  fields: Record<string, unknown>;
}

/** Classes rebuilt by name; any other name becomes an Error carrying that name. */
const CLASSES: Record<string, { prototype: Error }> = {
  ElboError, ShapeError, ValueError, OptionError, NotFittedError, InitError, ModelFileError, WasmMemoryError,
  FitAbortedError, FitWorkerError,
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
  RuntimeError: WebAssembly.RuntimeError, CompileError: WebAssembly.CompileError, LinkError: WebAssembly.LinkError,
};

/** What the worker posts for `err` (anything thrown, not only Errors). */
export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: `a non-Error value was thrown: ${String(err)}`, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === 'name' || key === 'message' || key === 'stack' || typeof value === 'function') continue;
    fields[key] = value;
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/**
 * The error the caller throws: an instance of the class named (ShapeError for 'ShapeError'),
 * with the same message and fields, and a stack that says where in the worker it was thrown.
 */
export function fromWire(wire: WireError): Error {
  const proto = (Object.hasOwn(CLASSES, wire.name) ? CLASSES[wire.name] : Error).prototype;
  const err = Object.create(proto) as Error;
  Object.defineProperty(err, 'message', { value: wire.message, writable: true, configurable: true });
  Object.defineProperty(err, 'name', { value: wire.name, writable: true, configurable: true, enumerable: proto === ElboError.prototype || proto instanceof ElboError });
  const here = new Error().stack?.split('\n').slice(1).join('\n') ?? '';
  const there = wire.stack?.split('\n').slice(1).join('\n') ?? '';
  Object.defineProperty(err, 'stack', {
    value: `${wire.name}: ${wire.message}\n${there ? `${there}\n    (thrown in the worker thread; received by the caller)\n` : ''}${here}`,
    writable: true, configurable: true,
  });
  Object.assign(err, wire.fields);
  return err;
}
