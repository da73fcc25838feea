/**
 * Pool workers in browsers: Web Workers from a Blob URL holding the worker's source text, so
 * nothing has to be served beside the bundle. They need SharedArrayBuffer, which browsers give
 * only to cross-origin isolated pages (COOP: same-origin and COEP: require-corp).
 */
import type { Spawner } from './spawn.js';
import { workerCall } from './worker-source.js';

/** The worker's source for a Blob URL; its start data is the first message. */
function webWorkerSource(): string {
  return `self.onmessage = (e) => {
  self.onmessage = null;
  ${workerCall("e.data, (m) => self.postMessage(m), () => { throw new Error('worker ended'); }, () => {}")};
};`;
}

/** A Spawner of Web Workers. */
export function webSpawner(): Spawner {
  const url = URL.createObjectURL(new Blob([webWorkerSource()], { type: 'text/javascript' }));
  return (start) => {
    const w = new Worker(url, { name: `elbo-thread-${start.thread}` });
    w.postMessage(start);
    return {
      onMessage: (fn) => w.addEventListener('message', (e) => fn(e.data)),
      onEnd: (fn) => w.addEventListener('error', (e) => fn(`threw ${e.message}`)),
      terminate: () => w.terminate(),
      unref: () => {},
      ref: () => {},
    };
  };
}
