/** Pool workers in Node: worker_threads running the worker's source text (worker-source.ts). */
import type { Spawner } from './spawn.js';
import { workerCall } from './worker-source.js';

/**
 * The worker's source for `new Worker(text, { eval: true })`, start data in workerData. A dynamic
 * import works whether the text runs as CommonJS or (under --input-type=module, which workers
 * inherit) as a module.
 */
function nodeWorkerSource(): string {
  return `import('node:worker_threads').then(({ workerData, parentPort }) => ${workerCall('workerData, (m) => parentPort.postMessage(m), (code) => process.exit(code), (hook) => process.on(\'exit\', hook)')});`;
}

/** A Spawner of Node worker threads (node:worker_threads is imported lazily, only here). */
export async function nodeSpawner(): Promise<Spawner> {
  const { Worker } = await import('node:worker_threads');
  const source = nodeWorkerSource();
  return (start) => {
    const w = new Worker(source, { eval: true, workerData: start });
    return {
      onMessage: (fn) => { w.on('message', fn); },
      onEnd: (fn) => {
        w.on('error', (err) => fn(`threw ${String((err as Error)?.message ?? err)}`));
        w.on('exit', (code) => fn(`exited with code ${code}`));
      },
      terminate: () => { void w.terminate(); },
      unref: () => w.unref(),
      ref: () => w.ref(),
    };
  };
}
