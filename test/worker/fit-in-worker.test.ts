// elbo-wasm/worker in Node, from the built package (dist/): a fit in a worker thread gives the
// same file (toJSON), byte for byte, as the same fit on this thread, for every model it takes;
// errors arrive as the same classes; callbacks that cannot cross threads are refused; progress
// and warnings come back; a signal stops a fit and the worker then takes the next one; the
// caller's model never changes; a Node process with an idle worker exits by itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as elbo from '../../dist/index.js';
import { FitAbortedError, FitWorker, FitWorkerError, fitInWorker } from '../../dist/worker-node.js';
import { clusters, fitCases } from './models.js';

const { GaussianMixture, KMeans, BinarySparseCoding, ModelFileError, OptionError, ShapeError, ValueError } = elbo;
const quiet = () => {};
const json = (m: { toJSON(): unknown }) => JSON.stringify(m.toJSON());

beforeAll(async () => {
  await elbo.init();
});

/** The error a promise rejects with (a promise that resolves fails the test). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(() => { throw new Error('expected the call to reject, and it resolved'); }, (e: Error) => e);
}

describe('fitInWorker', () => {
  for (const c of fitCases(elbo)) {
    it(`fits a ${c.name} to the same bytes as fit on this thread`, async () => {
      const here = c.model();
      here.fit(c.X as never, c.fitOptions as never);
      const there: { toJSON(): unknown } = await fitInWorker(c.model() as never, c.X as never, c.fitOptions as never);
      expect(there.constructor).toBe(here.constructor);
      expect(json(there)).toBe(json(here));
    });
  }

  it.each(['GaussianMixture', 'BayesianGaussianMixture'] as const)('continues a %s warm start from the fitted state, as fit does, one iteration per call', async (name) => {
    const X = clusters(elbo.Random, 300);
    const options = { nComponents: 3, maxIter: 1, warmStart: true, seed: 1, onWarning: quiet };
    const Model = elbo[name] as typeof GaussianMixture;
    const here = new Model(options);
    const worker = new FitWorker();
    let there = new Model(options);
    try {
      for (let i = 0; i < 4; i++) {
        here.fit(X);
        there = await worker.fit(there, X);
        expect(json(there), `call ${i + 1}`).toBe(json(here));
      }
    } finally {
      worker.terminate();
    }
    expect(there.lowerBoundHistory).toHaveLength(1);
  });

  it('never changes the model it is given, and gives it back a new fitted one with its onWarning', async () => {
    const warnings: string[] = [];
    const model = new GaussianMixture({ nComponents: 2, maxIter: 2, tol: 0, onWarning: (m) => warnings.push(m) });
    const fitted = await fitInWorker(model, clusters(elbo.Random, 60));
    expect(model.isFitted).toBe(false);
    expect(fitted).not.toBe(model);
    expect(fitted.isFitted).toBe(true);
    expect(warnings).toHaveLength(1); // maxIter 2 with tol 0 does not converge: the warning came back
    expect(warnings[0]).toMatch(/did not converge in 2 iterations/);
  });

  it('reports each iteration through onProgress with what onIteration receives here', async () => {
    const X = clusters(elbo.Random, 300);
    const here: unknown[] = [];
    new GaussianMixture({ nComponents: 3, seed: 2, tol: 1e-9, onIteration: (info) => { here.push(info); } }).fit(X);
    const there: unknown[] = [];
    await fitInWorker(new GaussianMixture({ nComponents: 3, seed: 2, tol: 1e-9 }), X, { onProgress: (info) => { there.push(info); } });
    const withoutClock = (infos: unknown[]) => infos.map((i) => ({ ...(i as object), initSeconds: 0 }));
    expect(there.length).toBeGreaterThan(2);
    expect(withoutClock(there)).toEqual(withoutClock(here));
  });

  it('reports LISTA epochs and BinarySparseCoding iterations through onProgress too', async () => {
    const [bsc, lista] = fitCases(elbo).filter((c) => c.name === 'BinarySparseCoding' || c.name === 'LISTA');
    const seen: unknown[] = [];
    await fitInWorker(bsc.model() as never, bsc.X as never, { ...bsc.fitOptions, onProgress: (i: unknown) => seen.push(i) } as never);
    expect(seen).toHaveLength(6);
    const epochs: Array<{ epoch: number; loss: number }> = [];
    await fitInWorker(lista.model() as InstanceType<typeof elbo.LISTA>, lista.X as never, { onProgress: (e) => { epochs.push(e); } });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
  });

  it('rejects with the same error class, message and fields as fit throws here', async () => {
    const bad = { data: new Float64Array(5), rows: 2, cols: 3 };
    const here = (() => { try { new GaussianMixture({ nComponents: 2 }).fit(bad); } catch (e) { return e as Error; } })()!;
    const there = await rejection(fitInWorker(new GaussianMixture({ nComponents: 2 }), bad));
    expect(there).toBeInstanceOf(ShapeError);
    expect(there.name).toBe('ShapeError');
    expect(there.message).toBe(here.message);
    expect(there.stack).toContain('thrown in the worker thread');
    const nan = await rejection(fitInWorker(new KMeans({ nClusters: 2 }), [[0, 1], [NaN, 2], [3, 4]]));
    expect(nan).toBeInstanceOf(ValueError);
    expect(nan.message).toMatch(/NaN/);
    // A bad fitted state arrives as a ModelFileError with its path.
    const fitted = new BinarySparseCoding({ nHidden: 2, seed: 1, onWarning: quiet }).fit([[1, 0, 1], [0, 1, 1], [1, 1, 0]], { maxIter: 2 });
    const saved = JSON.parse(json(fitted));
    (fitted as unknown as { toJSON: () => unknown }).toJSON = () => ({ ...saved, beta: [1, -1, 1] });
    const file = await rejection(fitInWorker(fitted, [[1, 0, 1], [0, 1, 1]]));
    expect(file).toBeInstanceOf(ModelFileError);
    expect((file as InstanceType<typeof ModelFileError>).path).toBe('beta[1]');
  });

  it('refuses callbacks that cannot cross threads, with an OptionError that says what to use', async () => {
    const X = clusters(elbo.Random, 30);
    await expect(fitInWorker(new GaussianMixture({ nComponents: 2, onIteration: () => {} }), X))
      .rejects.toThrow(/onIteration cannot run in a worker: a function cannot be sent to another thread.*onProgress.*signal/);
    await expect(fitInWorker(new BinarySparseCoding({ nHidden: 2 }), X, { onIteration: () => {} }))
      .rejects.toBeInstanceOf(OptionError);
    await expect(fitInWorker({ fit() {} } as never, X)).rejects.toThrow(/model must be one of GaussianMixture, .*LISTA; got/);
    await expect(fitInWorker(new GaussianMixture(), X, { signal: 'stop' } as never)).rejects.toThrow(/signal must be an AbortSignal/);
  });

  it('refuses to continue a fitted model from a state its file cannot carry (an initial value)', async () => {
    const X = clusters(elbo.Random, 60);
    const model = new GaussianMixture({ nComponents: 2, warmStart: true, meansInit: [[0, 0, 0], [4, 4, 4]], onWarning: quiet }).fit(X);
    await expect(fitInWorker(model, X)).rejects.toThrow(/continues from its fitted state.*does not hold meansInit/);
    // Not fitted yet, or not warm: the options reach the worker whole, and the fit is the same.
    const cold = new GaussianMixture({ nComponents: 2, meansInit: [[0, 0, 0], [4, 4, 4]], onWarning: quiet });
    expect(json(await fitInWorker(cold, X))).toBe(json(cold.fit(X)));
  });

  it('moves X to the worker with transfer: true, and copies it otherwise', async () => {
    const X = clusters(elbo.Random, 60);
    const kept = { ...X, data: X.data.slice() };
    await fitInWorker(new GaussianMixture({ nComponents: 2, onWarning: quiet }), kept);
    expect(kept.data.length).toBe(180);
    const moved = { ...X, data: X.data.slice() };
    const fitted = await fitInWorker(new GaussianMixture({ nComponents: 2, onWarning: quiet }), moved, { transfer: true });
    expect(moved.data.length).toBe(0);
    expect(json(fitted)).toBe(json(new GaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X)));
  });
});

describe('stopping a fit in a worker', () => {
  const big = () => clusters(elbo.Random, 60_000, 3);
  const long = () => new GaussianMixture({ nComponents: 8, maxIter: 100_000, tol: 0 });

  it('rejects with a FitAbortedError carrying the reason when the signal aborts, and the worker takes the next fit', async () => {
    const worker = new FitWorker();
    const controller = new AbortController();
    let iterations = 0;
    const fit = worker.fit(long(), big(), {
      signal: controller.signal,
      onProgress: () => { if (++iterations === 2) controller.abort(new Error('enough')); },
    });
    const err = await rejection(fit);
    expect(err).toBeInstanceOf(FitAbortedError);
    expect((err as InstanceType<typeof FitAbortedError>).reason).toEqual(new Error('enough'));
    expect(err.message).toMatch(/aborted by its signal: enough/);
    const X = clusters(elbo.Random, 90);
    const next = await worker.fit(new GaussianMixture({ nComponents: 2, onWarning: quiet }), X);
    expect(json(next)).toBe(json(new GaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X)));
    worker.terminate();
  });

  it('rejects at once for a signal aborted before the fit, and drops a queued fit whose signal aborts', async () => {
    const X = clusters(elbo.Random, 90);
    await expect(fitInWorker(new GaussianMixture(), X, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(FitAbortedError);
    const worker = new FitWorker();
    const controller = new AbortController();
    const first = worker.fit(new GaussianMixture({ nComponents: 2, onWarning: quiet }), X);
    const queued = worker.fit(new GaussianMixture({ nComponents: 2, onWarning: quiet }), X, { signal: controller.signal });
    const third = worker.fit(new GaussianMixture({ nComponents: 3, onWarning: quiet }), X);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(FitAbortedError);
    expect((await first).nComponents).toBe(2);
    expect((await third).nComponents).toBe(3);
    worker.terminate();
  });

  it('terminate() rejects the fit in progress; the worker starts afresh for the next one', async () => {
    const worker = new FitWorker();
    let started!: () => void;
    const running = new Promise<void>((r) => { started = r; });
    const fit = worker.fit(long(), big(), { onProgress: () => started() });
    await running;
    worker.terminate();
    await expect(fit).rejects.toThrow(/terminated/);
    const again = await worker.fit(new GaussianMixture({ nComponents: 2, onWarning: quiet }), clusters(elbo.Random, 60));
    expect(again.isFitted).toBe(true);
    worker.terminate();
  });

  it('rejects with the InitError of a worker that cannot load elbo.wasm', async () => {
    const worker = new FitWorker({ wasmUrl: new URL('file:///nonexistent/elbo.wasm') });
    const err = await rejection(worker.fit(new GaussianMixture(), clusters(elbo.Random, 30)));
    expect(err).toBeInstanceOf(elbo.InitError);
    expect(err.message).toMatch(/nonexistent\/elbo\.wasm/);
    worker.terminate();
  });

  it('refuses with an OptionError a value that cannot be sent to a thread, and takes the next fit', async () => {
    const worker = new FitWorker();
    const X = clusters(elbo.Random, 30);
    const err = await rejection(worker.fit(new GaussianMixture({ nComponents: 2 }), X, { sampleWeight: { weigh: () => 1 } as never }));
    expect(err).toBeInstanceOf(OptionError);
    expect(err.message).toMatch(/cannot be sent to a worker thread/);
    expect((await worker.fit(new GaussianMixture({ nComponents: 2, onWarning: quiet }), X)).isFitted).toBe(true);
    worker.terminate();
    expect(FitWorkerError.prototype).toBeInstanceOf(elbo.ElboError);
  });
});

describe('a Node process with a fit worker', () => {
  it('exits by itself when its fits are done (one of them aborted), without terminate()', async () => {
    const script = `
      import { init, GaussianMixture } from ${JSON.stringify(fileURLToPath(new URL('../../dist/index.js', import.meta.url)))};
      import { FitWorker } from ${JSON.stringify(fileURLToPath(new URL('../../dist/worker-node.js', import.meta.url)))};
      const worker = new FitWorker();
      const controller = new AbortController();
      const long = worker.fit(new GaussianMixture({ nComponents: 8, maxIter: 100000, tol: 0 }),
        { data: new Float64Array(60000 * 3).map(Math.random), rows: 60000, cols: 3 },
        { signal: controller.signal, onProgress: () => controller.abort() });
      console.log(await long.catch((e) => e.name));
      const gm = await worker.fit(new GaussianMixture({ nComponents: 2 }), [[0, 0], [0, 1], [5, 5], [5, 6]]);
      console.log(gm.isFitted);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'FitAbortedError\ntrue' });
  });
});
