import { beforeAll, describe, expect, it } from 'vitest';
import { BinarySparseCoding, BscEncoder, ModelFileError, NotFittedError, ShapeError, ValueError, type BscEncoderJSON } from '../../src/index.js';
import { klByEnumeration, matrix, randomBsc } from '../meanfield/models.js';

const m = 10, n = 8;
let model: BinarySparseCoding;
let encoder: BscEncoder;
let Vtest: ReturnType<BinarySparseCoding['sample']>['V'];

beforeAll(() => {
  // Weak couplings (W of scale ½): the cold start's fixed point is then the one every start reaches.
  model = randomBsc(5, m, n, 0.5);
  encoder = new BscEncoder(model, { seed: 1, epochs: 40 }).fit(model.sample(600, 11).V);
  Vtest = model.sample(60, 12).V;
});

describe('BscEncoder as the start of BinarySparseCoding.infer', () => {
  it('leaves L ≤ log p(v) and log p(v) − L = KL(q ‖ p(h|v)) by enumeration (to 1e-9)', () => {
    const V = { data: Vtest.data.subarray(0, 8 * m), rows: 8, cols: m };
    const { hHat, elbo } = model.infer(V, { init: encoder, maxIter: 500 });
    const logp = model.exactLogLikelihood(V);
    for (let r = 0; r < V.rows; r++) {
      expect(elbo[r]).toBeLessThanOrEqual(logp[r] + 1e-12 * Math.abs(logp[r]));
      const v = V.data.subarray(r * m, (r + 1) * m);
      const kl = klByEnumeration(n, hHat.data, r * n, (h) => model.logJoint(matrix(v, 1, m), matrix(h, 1, n))[0], logp[r]);
      expect(Math.abs(logp[r] - elbo[r] - kl)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(logp[r])));
    }
  });

  it('reaches the fixed point of a cold start (ĥ within 1e-6, ELBO within 1e-9) on held-out signals', () => {
    const cold = model.infer(Vtest, { maxIter: 1000, tol: 1e-10 });
    const warm = model.infer(Vtest, { init: encoder, maxIter: 1000, tol: 1e-10 });
    let same = 0;
    for (let r = 0; r < Vtest.rows; r++) {
      let d = 0;
      for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(cold.hHat.data[r * n + i] - warm.hHat.data[r * n + i]));
      if (d <= 1e-6 && Math.abs(cold.elbo[r] - warm.elbo[r]) <= 1e-9 * Math.max(1, Math.abs(cold.elbo[r]))) same++;
    }
    expect(same).toBe(Vtest.rows);
  });

  it('needs fewer sweeps on average than a cold start', () => {
    // nIter is the sweeps of the slowest row, so count per signal.
    const sweeps = (init?: BscEncoder) => {
      let total = 0;
      for (let r = 0; r < Vtest.rows; r++) {
        const v = { data: Vtest.data.subarray(r * m, (r + 1) * m), rows: 1, cols: m };
        total += model.infer(v, { init, maxIter: 1000, tol: 1e-8 }).nIter;
      }
      return total;
    };
    expect(sweeps(encoder)).toBeLessThan(sweeps());
  });

  it('predicts the converged ĥ of held-out signals more closely with 3 layers than with 1', () => {
    const V = model.sample(600, 11).V;
    const truth = model.infer(Vtest, { maxIter: 1000, tol: 1e-10 }).hHat.data;
    const error = (nLayers: number) => {
      const q = new BscEncoder(model, { seed: 1, epochs: 40, nLayers }).fit(V).predict(Vtest).data;
      let s = 0;
      for (let i = 0; i < q.length; i++) s += (q[i] - truth[i]) ** 2;
      return s / q.length;
    };
    expect(error(3)).toBeLessThan(error(1));
  });

  it('learns couplings of its own for each layer (they all start at −offdiag(WᵀβW)), sequential layers by default', () => {
    const start = new BscEncoder(model).toJSON().couplings, learned = encoder.toJSON().couplings;
    // Sequential layers: S_1 … S_4 (the first layer's couplings act on the units it has already updated).
    const layer = (c: number[], t: number) => c.slice((t - 1) * n * n, t * n * n);
    expect(encoder.nLayers).toBe(4);
    expect(encoder.schedule).toBe('sequential');
    expect(learned.length).toBe(4 * n * n);
    expect(layer(start, 1)).toEqual(layer(start, 4));
    for (const [s, t] of [[1, 2], [2, 3], [3, 4], [1, 4]]) expect(layer(learned, s)).not.toEqual(layer(learned, t));
    expect(new BscEncoder(model, { schedule: 'parallel' }).toJSON().couplings.length).toBe(3 * n * n);
  });

  it('predicts probabilities closer to the converged ĥ after training than at its start', () => {
    const h = encoder.lossHistory;
    expect(h.length).toBe(40);
    expect(h[h.length - 1]).toBeLessThan(h[0]);
    const q = encoder.predict(Vtest).data;
    expect(q.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('is deterministic for a seed, and the same on both engines (to 1e-9)', () => {
    const V = model.sample(100, 13).V;
    const a = new BscEncoder(model, { seed: 3, epochs: 3 }).fit(V).predict(Vtest).data;
    const b = new BscEncoder(model, { seed: 3, epochs: 3 }).fit(V).predict(Vtest).data;
    const r = new BscEncoder(model, { seed: 3, epochs: 3, engine: 'reference' }).fit(V).predict(Vtest).data;
    expect(Array.from(a)).toEqual(Array.from(b));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - r[i])).toBeLessThanOrEqual(1e-9);
  });

  it('refuses bad input with typed errors', () => {
    expect(() => new BscEncoder(new BinarySparseCoding({ nHidden: 3 }))).toThrow(NotFittedError);
    expect(() => new BscEncoder(null as never)).toThrow(ValueError);
    expect(() => new BscEncoder(model, { learningRate: -1 })).toThrow(/learningRate must be a finite number ≥ 0/);
    expect(() => new BscEncoder(model, { epochs: 0 })).toThrow(/epochs must be an integer ≥ 1/);
    expect(() => new BscEncoder(model, { nLayers: 0 })).toThrow(/nLayers must be an integer ≥ 1/);
    expect(() => new BscEncoder(model, { nlayers: 2 } as never)).toThrow(/BscEncoder: unknown option 'nlayers'; did you mean nLayers\?/);
    expect(() => new BscEncoder(model, { engine: 'gpu' as never })).toThrow(/engine must be one of/);
    expect(() => new BscEncoder(model, { schedule: 'random' as never })).toThrow(/^schedule must be one of 'sequential', 'parallel'; got "random"$/);
    expect(() => encoder.fit([[1, 2]])).toThrow(ShapeError);
    expect(() => encoder.predict([[1, NaN, 0, 0, 0, 0, 0, 0, 0, 0]])).toThrow(ValueError);
  });
});

describe('BscEncoder.toJSON / fromJSON', () => {
  const saved = (): BscEncoderJSON => JSON.parse(JSON.stringify(encoder.toJSON())) as BscEncoderJSON;

  it('restores the same predictions bit for bit, with its own copy of the model giving the same ĥ and ELBO', () => {
    const restored = BscEncoder.fromJSON(saved());
    expect(Array.from(restored.predict(Vtest).data)).toEqual(Array.from(encoder.predict(Vtest).data));
    expect(restored.lossHistory).toEqual(encoder.lossHistory);
    expect(restored.model).not.toBe(model);
    const a = model.infer(Vtest, { init: encoder }), b = restored.model.infer(Vtest, { init: restored });
    expect(Array.from(b.hHat.data)).toEqual(Array.from(a.hHat.data));
    expect(Array.from(b.elbo)).toEqual(Array.from(a.elbo));
    expect(JSON.parse(JSON.stringify(restored.toJSON()))).toEqual(saved());
  });

  it('reads a version-1 file (one coupling S shared by layers 2..T) as the same map: T − 1 copies of S, parallel layers', () => {
    const tied = new BscEncoder(model, { nLayers: 3, schedule: 'parallel' });
    const json = saved();
    const { couplings, schedule, ...rest } = json;
    expect(schedule).toBe('sequential');
    const S = couplings.slice(0, n * n);
    const v1 = { ...rest, nLayers: 3, lossHistory: [], epochs: 40, version: 1, coupling: { rows: n, cols: n, data: S } };
    const restored = BscEncoder.fromJSON(v1 as unknown as BscEncoderJSON);
    expect(restored.schedule).toBe('parallel');
    expect(restored.toJSON().couplings).toEqual([...S, ...S]);
    // Untrained, every S_t is −offdiag(WᵀβW): a version-1 file of it predicts what the encoder does.
    const start = tied.toJSON();
    const v1Start = { ...start, version: 1, coupling: { rows: n, cols: n, data: start.couplings.slice(0, n * n) } } as unknown as Partial<BscEncoderJSON>;
    delete v1Start.couplings;
    delete v1Start.schedule;
    expect(Array.from(BscEncoder.fromJSON(v1Start as BscEncoderJSON).predict(Vtest).data)).toEqual(Array.from(tied.predict(Vtest).data));
  });

  it('reads a version-2 file (no schedule) as parallel layers, the map it saved', () => {
    const parallel = new BscEncoder(model, { nLayers: 3, schedule: 'parallel', seed: 1, epochs: 5 }).fit(model.sample(200, 14).V);
    const v2 = JSON.parse(JSON.stringify(parallel.toJSON())) as Omit<Partial<BscEncoderJSON>, 'version'> & { version: number };
    expect(v2.version).toBe(3);
    v2.version = 2;
    delete v2.schedule;
    const restored = BscEncoder.fromJSON(v2 as unknown as BscEncoderJSON);
    expect(restored.schedule).toBe('parallel');
    expect(Array.from(restored.predict(Vtest).data)).toEqual(Array.from(parallel.predict(Vtest).data));
    // A version-2 file with a schedule was not written by version 2's toJSON.
    expect(() => BscEncoder.fromJSON({ ...v2, schedule: 'parallel' } as unknown as BscEncoderJSON)).toThrow(/schedule is not a field of this format/);
  });

  it('saves an untrained encoder with an empty loss history, and restores its start', () => {
    const fresh = new BscEncoder(model);
    const restored = BscEncoder.fromJSON(JSON.parse(JSON.stringify(fresh.toJSON())));
    expect(restored.lossHistory).toEqual([]);
    expect(Array.from(restored.predict(Vtest).data)).toEqual(Array.from(fresh.predict(Vtest).data));
  });

  it('refuses weights of another shape, a loss per epoch missing, and a tampered model, naming the field', () => {
    const refusal = (json: unknown): ModelFileError => {
      try { BscEncoder.fromJSON(json as BscEncoderJSON); } catch (e) { if (e instanceof ModelFileError) return e; throw e; }
      throw new Error('the file loaded');
    };
    const wide = saved();
    wide.weights = { rows: m, cols: n + 1, data: new Array(m * (n + 1)).fill(0) };
    expect(refusal(wide).message).toBe(`BscEncoder.fromJSON: weights must be nVisible × nHidden = ${m} × ${n} (the model's W); got ${m} × ${n + 1}`);
    const short = saved();
    short.couplings.pop();
    expect(refusal(short).message).toBe(`BscEncoder.fromJSON: couplings must hold nLayers · nHidden² = ${encoder.nLayers} · ${n}² = ${encoder.nLayers * n * n} values; got ${encoder.nLayers * n * n - 1}`);
    const shortParallel = { ...saved(), schedule: 'parallel' } as BscEncoderJSON;
    expect(refusal(shortParallel).message).toBe(`BscEncoder.fromJSON: couplings must hold (nLayers − 1) · nHidden² = ${encoder.nLayers - 1} · ${n}² = ${(encoder.nLayers - 1) * n * n} values; got ${encoder.nLayers * n * n}`);
    expect(refusal({ ...saved(), schedule: 'random' }).message).toBe(`BscEncoder.fromJSON: schedule must be one of 'sequential', 'parallel'; got "random"`);
    const v1 = { ...saved(), version: 1, coupling: { rows: n, cols: n - 1, data: new Array(n * (n - 1)).fill(0) } } as unknown as BscEncoderJSON;
    delete (v1 as Partial<BscEncoderJSON>).couplings;
    delete (v1 as Partial<BscEncoderJSON>).schedule;
    expect(refusal(v1).message).toBe(`BscEncoder.fromJSON: coupling must be nHidden × nHidden = ${n} × ${n}; got ${n} × ${n - 1}`);
    const fewer = saved();
    fewer.lossHistory.pop();
    expect(refusal(fewer).path).toBe('lossHistory');
    const beta = saved();
    beta.model.beta[1] = 0;
    const e = refusal(beta);
    expect(e.path).toBe('model.beta[1]');
    expect(e.message).toBe('BscEncoder.fromJSON: model.beta[1] must be a finite number > 0; got 0');
    const kind = saved();
    (kind.model as { kind: string }).kind = 'LISTA';
    expect(refusal(kind).path).toBe('model.kind');
    expect(refusal({ ...saved(), model: 3 }).message).toBe('BscEncoder.fromJSON: model must be an object; got 3');
    expect(refusal({ ...saved(), learningRate: 0 }).path).toBe('learningRate');
    expect(() => BscEncoder.fromJSON(saved(), { seed: 2 } as never)).toThrow(/BscEncoder\.fromJSON: unknown option 'seed'/);
  });
});
