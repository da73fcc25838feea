/**
 * The script of the browser's fit worker (dist/worker-main.js), started as a module Web Worker
 * by `elbo-wasm/worker`: it loads elbo.wasm the way the browser build does (fetched from beside
 * the bundle, or from the `wasmUrl` / `wasm` the caller gave) and answers fit requests.
 */
import { init } from '../runtime/init-browser.js';
import { serveFits } from './serve.js';
import type { FitReply, FitRequest } from './kinds.js';

/** The worker's global scope, as far as it is used here (the DOM library has no worker types). */
const scope = globalThis as unknown as {
  postMessage(message: FitReply): void;
  addEventListener(type: 'message', listener: (event: { data: FitRequest }) => void): void;
};

serveFits({
  post: (message) => scope.postMessage(message),
  onMessage: (handler) => scope.addEventListener('message', (event) => handler(event.data)),
}, init);
