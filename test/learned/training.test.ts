import { describe, expect, it } from 'vitest';
import { LISTA, sparseEncode } from '../../src/index.js';
import { signals, sparseProblem } from './problem.js';

function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

const train = sparseProblem(400, 20, 12, 2, 11);
const D = train.D;
/** Held-out signals over the same dictionary. */
const Xtest = signals(D, 150, 2, 99);

describe('LISTA training', () => {
  it('lowers the mean squared code error of held-out signals against their optimal lasso codes', () => {
    const alpha = 0.05;
    const optimal = sparseEncode(Xtest, D, { alpha }).codes.data;
    const lista = new LISTA({ dictionary: D, alpha, nLayers: 3, seed: 1, epochs: 20, learningRate: 2e-3 });
    const before = meanSquaredError(lista.transform(Xtest).data, optimal);
    lista.fit(train.X);
    const after = meanSquaredError(lista.transform(Xtest).data, optimal);
    expect(after).toBeLessThan(0.7 * before);
    expect(lista.lossHistory.length).toBe(20);
    expect(lista.lossHistory[19]).toBeLessThan(lista.lossHistory[0]);
    expect(lista.isFitted).toBe(true);
  });

  it('gives the same parameters for the same seed, and different ones for another seed', () => {
    const fit = (seed: number) => new LISTA({ dictionary: D, alpha: 0.05, seed, epochs: 3 }).fit(train.X);
    const a = fit(5), b = fit(5), c = fit(6);
    expect(Array.from(a.encoderWeights.data)).toEqual(Array.from(b.encoderWeights.data));
    expect(Array.from(a.inhibition.data)).toEqual(Array.from(b.inhibition.data));
    expect(Array.from(a.thresholds)).toEqual(Array.from(b.thresholds));
    expect(a.lossHistory).toEqual(b.lossHistory);
    expect(Array.from(a.encoderWeights.data)).not.toEqual(Array.from(c.encoderWeights.data));
  });

  it('trains the same network on the wasm kernels as on the reference twin (to 1e-9)', () => {
    const fit = (engine: 'wasm' | 'reference') => new LISTA({ dictionary: D, alpha: 0.05, seed: 2, epochs: 2, engine }).fit(train.X);
    const w = fit('wasm'), r = fit('reference');
    const W = w.encoderWeights.data, R = r.encoderWeights.data;
    let m = 0, s = 0;
    for (let i = 0; i < W.length; i++) { m = Math.max(m, Math.abs(W[i] - R[i])); s = Math.max(s, Math.abs(R[i])); }
    expect(m).toBeLessThanOrEqual(1e-9 * s);
  });

  it('trains on the codes it is given', () => {
    const codes = sparseEncode(train.X, D, { alpha: 0.05 }).codes;
    const given = new LISTA({ dictionary: D, alpha: 0.05, seed: 3, epochs: 2 }).fit(train.X, { codes });
    const own = new LISTA({ dictionary: D, alpha: 0.05, seed: 3, epochs: 2 }).fit(train.X);
    expect(given.lossHistory).toEqual(own.lossHistory);
    const zeros = { data: new Float64Array(codes.data.length), rows: codes.rows, cols: codes.cols };
    const toZero = new LISTA({ dictionary: D, alpha: 0.05, seed: 3, epochs: 2 }).fit(train.X, { codes: zeros });
    expect(toZero.lossHistory).not.toEqual(own.lossHistory);
  });

  it('reports the loss per epoch through onEpoch, and a fit that throws leaves the model as it was', () => {
    const seen: number[] = [];
    const lista = new LISTA({ dictionary: D, alpha: 0.05, seed: 1, epochs: 3, onEpoch: (e, loss) => { seen.push(loss); } });
    lista.fit(train.X);
    expect(seen).toEqual(lista.lossHistory);
    const saved = JSON.stringify(lista.toJSON());
    let calls = 0;
    const failing = LISTA.fromJSON(JSON.parse(saved), { onEpoch: () => { if (++calls === 2) throw new Error('stop'); } });
    expect(() => failing.fit(train.X)).toThrow('stop');
    expect(JSON.stringify(failing.toJSON())).toBe(saved);
  });

  it('is scale-free: X and D scaled by powers of two give the codes scaled exactly', () => {
    const scale = (m: typeof D, k: number) => ({ data: m.data.map((v) => v * k), rows: m.rows, cols: m.cols });
    const a = new LISTA({ dictionary: D, alpha: 0.05, seed: 4, epochs: 2 }).fit(train.X);
    // x → 2^40 x and D → 2^−10 D: codes scale by 2^50 and α by 2^30.
    const b = new LISTA({ dictionary: scale(D, 2 ** -10), alpha: 0.05 * 2 ** 30, seed: 4, epochs: 2 }).fit(scale(train.X, 2 ** 40));
    const za = a.transform(Xtest).data, zb = b.transform(scale(Xtest, 2 ** 40)).data;
    expect(maxAbsDiffScaled(za, zb, 2 ** 50)).toBeLessThanOrEqual(1e-12);
  });

  it('warns through onWarning when training does not lower the loss', () => {
    const warnings: string[] = [];
    // Training on the network's own initial output: the loss starts at zero and cannot fall.
    const start = new LISTA({ dictionary: D, alpha: 0.05 });
    const codes = start.transform(train.X);
    new LISTA({ dictionary: D, alpha: 0.05, epochs: 2, onWarning: (m) => warnings.push(m) }).fit(train.X, { codes });
    expect(warnings.join()).toMatch(/did not lower the loss/);
  });
});

function maxAbsDiffScaled(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  let m = 0, s = 0;
  for (let i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i] * k - b[i])); s = Math.max(s, Math.abs(b[i])); }
  return m / s;
}
