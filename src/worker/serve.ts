/**
 * The worker thread's side: for each FitRequest, load the module once (`init`), rebuild the model
 * (from its constructor options, or from its file when its fit starts from its fitted state),
 * fit it with callbacks that post progress and warnings back, and post its file (toJSON) or the
 * error. The same code serves a browser Web Worker (thread-browser.ts) and a Node worker thread
 * (thread-node.ts); only how messages move and how the module is loaded differ.
 */
import type { InitOptions } from '../runtime/instantiate.js';
import { toWire } from './errors-wire.js';
import { KINDS, type FitReply, type FitRequest, type Kind } from './kinds.js';

/** How a worker thread talks to its caller. */
export interface ThreadPort {
  post(message: FitReply): void;
  onMessage(handler: (message: FitRequest) => void): void;
}

/** Answers every FitRequest that arrives on `port`, one at a time, in order. */
export function serveFits(port: ThreadPort, init: (options: InitOptions) => Promise<void>): void {
  let queue = Promise.resolve();
  port.onMessage((request) => {
    queue = queue.then(() => answer(request, port, init));
  });
}

async function answer(request: FitRequest, port: ThreadPort, init: (options: InitOptions) => Promise<void>): Promise<void> {
  try {
    await init(request.init);
    const kind = KINDS[request.kind];
    const onWarning = (message: string) => port.post({ type: 'warning', message });
    const progress = request.progress ? (info: unknown) => port.post({ type: 'progress', info }) : undefined;
    const callback = progress && (kind.progressKey === 'onEpoch' ? (epoch: number, loss: number) => progress({ epoch, loss }) : progress);
    const model = build(kind, request, { onWarning, ...(kind.progressIn === 'constructor' && callback ? { [kind.progressKey]: callback } : {}) });
    const fitOptions = kind.progressIn === 'fit' && callback ? { ...request.fitOptions, [kind.progressKey]: callback } : request.fitOptions;
    (model.fit as (X: unknown, options: unknown) => unknown)(request.X, fitOptions);
    port.post({ type: 'done', json: model.toJSON() });
  } catch (err) {
    const error = toWire(err);
    try {
      port.post({ type: 'failed', error });
    } catch {
      // A field that cannot be cloned (a function, a DOM node) is dropped, not the error.
      port.post({ type: 'failed', error: { ...error, fields: {} } });
    }
  }
}

/** The model the caller passed, rebuilt here with this thread's callbacks. */
function build(kind: Kind, request: FitRequest, callbacks: Record<string, unknown>) {
  if (request.state !== null) return kind.cls.fromJSON(request.state as never, { ...request.runtime, ...callbacks });
  return new kind.cls({ ...request.options, ...callbacks } as never);
}
