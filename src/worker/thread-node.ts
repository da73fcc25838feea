/**
 * The script of Node's fit worker (dist/worker-thread.js), started as a worker_threads Worker by
 * `elbo-wasm/worker` in Node: it reads elbo.wasm as the Node entry does and answers fit requests.
 */
import { parentPort } from 'node:worker_threads';
import { init } from '../runtime/load.js';
import { serveFits } from './serve.js';
import type { FitReply, FitRequest } from './kinds.js';

if (!parentPort) throw new Error('elbo-wasm: worker-thread.js runs inside a worker thread started by elbo-wasm/worker');
const port = parentPort;

serveFits({
  post: (message: FitReply) => port.postMessage(message),
  onMessage: (handler) => port.on('message', (message: FitRequest) => handler(message)),
}, init);
