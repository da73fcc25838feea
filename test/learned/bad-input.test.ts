import { beforeAll, describe, expect, it } from 'vitest';
import { LISTA, ModelFileError, ShapeError, ValueError, type LISTAJSON } from '../../src/index.js';
import { sparseProblem } from './problem.js';

const { D, X } = sparseProblem(30, 8, 5, 2, 21);

describe('LISTA refuses bad input with typed errors', () => {
  it('names each bad option', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ alpha: -1 }, /alpha must be a finite number ≥ 0; got -1/],
      [{ alpha: NaN }, /alpha/],
      [{ nLayers: 0 }, /nLayers must be an integer ≥ 1; got 0/],
      [{ nLayers: 2.5 }, /nLayers/],
      [{ positive: 1 }, /positive must be true or false/],
      [{ seed: 0.5 }, /seed must be a safe integer/],
      [{ learningRate: 0 }, /learningRate must be a finite number > 0/],
      [{ learningRate: Infinity }, /learningRate/],
      [{ batchSize: 0 }, /batchSize must be an integer ≥ 1/],
      [{ epochs: -3 }, /epochs must be an integer ≥ 1/],
      [{ onEpoch: 'x' }, /onEpoch must be a function/],
      [{ onWarning: 3 }, /onWarning must be a function/],
      [{ engine: 'gpu' }, /engine must be one of 'wasm', 'reference'/],
    ];
    for (const [o, msg] of bad) expect(() => new LISTA({ dictionary: D, ...o } as never), JSON.stringify(o)).toThrow(msg);
    for (const [o] of bad) expect(() => new LISTA({ dictionary: D, ...o } as never)).toThrow(ValueError);
  });

  it('names an unknown option and the closest known one', () => {
    expect(() => new LISTA({ dictionary: D, nlayers: 3 } as never)).toThrow(/LISTA: unknown option 'nlayers'; did you mean nLayers\?/);
    expect(() => new LISTA({ dictionary: D }).fit(X, { code: null } as never)).toThrow(/LISTA.fit: unknown option 'code'; did you mean codes\?/);
  });

  it('refuses a missing, non-finite or all-zero-atom dictionary', () => {
    expect(() => new LISTA(undefined as never)).toThrow(ValueError);
    expect(() => new LISTA({} as never)).toThrow(/dictionary must be a matrix/);
    expect(() => new LISTA({ dictionary: [[1, NaN]] })).toThrow(ValueError);
    expect(() => new LISTA({ dictionary: [[1, 0], [0, 0]] })).toThrow(/dictionary\[1\] is an all-zero atom/);
  });

  it('refuses X and codes of the wrong shape or with non-finite values, and leaves the model unfitted', () => {
    const lista = new LISTA({ dictionary: D, epochs: 1 });
    expect(() => lista.fit([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => lista.fit([[1, 2, 3]])).toThrow(/X must have 5 columns \(the number of features of the dictionary\); got 3/);
    expect(() => lista.fit({ data: new Float64Array(0), rows: 0, cols: 5 })).toThrow(ShapeError);
    expect(() => lista.fit([[1, 2, 3, 4, Infinity]])).toThrow(ValueError);
    expect(() => lista.fit(X, { codes: [[1, 2]] })).toThrow(/codes must be 30 × 8/);
    const nan = { data: new Float64Array(30 * 8).fill(NaN), rows: 30, cols: 8 };
    expect(() => lista.fit(X, { codes: nan })).toThrow(ValueError);
    const negative = { data: new Float64Array(30 * 8).fill(-1), rows: 30, cols: 8 };
    expect(() => new LISTA({ dictionary: D, positive: true }).fit(X, { codes: negative })).toThrow(/codes must be ≥ 0 with positive: true/);
    expect(() => lista.transform([[1, 2]])).toThrow(ShapeError);
    expect(lista.isFitted).toBe(false);
    expect(lista.lossHistory).toEqual([]);
  });

  it('stops a diverging fit with a ValueError naming learningRate, and keeps the model as it was', () => {
    const lista = new LISTA({ dictionary: D, learningRate: 1e300, epochs: 3 });
    const before = JSON.stringify(lista.toJSON());
    expect(() => lista.fit(X)).toThrow(/learningRate/);
    expect(JSON.stringify(lista.toJSON())).toBe(before);
  });
});

describe('LISTA in JSON', () => {
  let fitted: LISTA;
  beforeAll(() => {
    fitted = new LISTA({ dictionary: D, alpha: 0.1, seed: 2, epochs: 3 }).fit(X);
  });

  it('round-trips to the same codes, bit for bit, through JSON text', () => {
    const back = LISTA.fromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
    expect(Array.from(back.transform(X).data)).toEqual(Array.from(fitted.transform(X).data));
    expect(back.lossHistory).toEqual(fitted.lossHistory);
    expect(back.isFitted).toBe(true);
    expect(back.nLayers).toBe(3);
  });

  it('refuses other kinds and versions, and damaged fields, naming the field', () => {
    const good = fitted.toJSON();
    const damaged = (f: (j: LISTAJSON) => void): LISTAJSON => {
      const j = JSON.parse(JSON.stringify(good));
      f(j);
      return j;
    };
    expect(() => LISTA.fromJSON(null as never)).toThrow(/LISTA.fromJSON: json must be an object/);
    expect(() => LISTA.fromJSON(damaged((j) => { (j as { version: number }).version = 2; }))).toThrow(/version is 2, written by a newer elbo/);
    expect(() => LISTA.fromJSON(damaged((j) => { (j as { kind: string }).kind = 'SparseCoder'; }))).toThrow(ModelFileError);
    expect(() => LISTA.fromJSON(damaged((j) => { j.encoderWeights.cols = 7; }))).toThrow(/encoderWeights.data must hold rows · cols = 5 · 7 = 35 values/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.encoderWeights = { rows: 8, cols: 5, data: j.encoderWeights.data }; }))).toThrow(/encoderWeights must be nFeatures × nAtoms = 5 × 8/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.inhibition.data[3] = null as never; }))).toThrow(/inhibition.data\[3\] must be a finite number/);
    expect(() => LISTA.fromJSON(damaged((j) => { delete (j as Partial<LISTAJSON>).inhibition; }))).toThrow(/inhibition is missing/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.thresholds[0] = -1; }))).toThrow(/thresholds\[0\] must be a finite number ≥ 0/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.thresholds.pop(); }))).toThrow(/thresholds must hold nAtoms = 8 values/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.nLayers = 0; }))).toThrow(/nLayers must be an integer ≥ 1/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.learningRate = 0; }))).toThrow(/learningRate must be a finite number > 0/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.lossHistory = 'x' as never; }))).toThrow(/lossHistory must be an array of numbers/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.dictionary.data[0] = 'x' as never; }))).toThrow(/dictionary.data\[0\]/);
    expect(() => LISTA.fromJSON(damaged((j) => { j.dictionary.data.fill(0, 0, 5); }))).toThrow(/all-zero atom/);
    expect(() => LISTA.fromJSON(damaged((j) => { (j as unknown as Record<string, unknown>).thresold = []; }))).toThrow(/thresold is not a field of this format/);
    for (const bad of [null, 'x']) {
      try {
        LISTA.fromJSON(damaged((j) => { j.alpha = bad as never; }));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ValueError);
        expect((e as ModelFileError).path).toBe('alpha');
      }
    }
  });

  it('reads a file without a version as version 1', () => {
    const j = JSON.parse(JSON.stringify(fitted.toJSON()));
    delete j.version;
    expect(Array.from(LISTA.fromJSON(j).thresholds)).toEqual(Array.from(fitted.thresholds));
  });
});
