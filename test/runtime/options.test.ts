// Options objects at every public entry point: unknown names are an OptionError naming the
// option and the closest known one; every documented option is accepted.
import { describe, expect, it } from 'vitest';
import {
  BinarySparseCoding, BoltzmannMachine, DictionaryLearning, ElboError, GaussianMixture, IsingGrid, LinearGaussian, OptionError,
  ShapeError, SparseCoder, ValueError, mixtureSpec, tilesSpec,
} from '../../src/index.js';
import { ENTRIES, type Entry } from '../entry-points.js';
import { checkOptions, closestName, damerauLevenshtein } from '../../src/runtime/options.js';

/** Calls and awaits, returning the error thrown or rejected (undefined when none). */
async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** The option names an entry point knows, read from the error for a name far from all of them. */
async function knownNames(e: Entry): Promise<string[]> {
  const err = await errorOf(() => e.call({ zzzzzzzzzzzzzzzzzzzz: 1 }));
  expect(err).toBeInstanceOf(OptionError);
  const m = /known options: (.*)$/.exec((err as Error).message);
  expect(m, (err as Error).message).not.toBeNull();
  return m![1].split(', ');
}

describe('unknown options at every public entry point', () => {
  describe.each(ENTRIES)('$name', (e) => {
    it.each(e.misspelt)('rejects %s with an OptionError naming it and the closest known option', async (bad, suggestion) => {
      const err = await errorOf(() => e.call({ ...e.valid[0], [bad]: 1 }));
      expect(err).toBeInstanceOf(OptionError);
      expect(err).toBeInstanceOf(ValueError);
      const msg = (err as Error).message;
      expect(msg).toContain(`${e.name}: unknown option '${bad}'`);
      if (suggestion) expect(msg).toContain(`did you mean ${suggestion}?`);
      else expect(msg).not.toContain('did you mean');
    });

    it('accepts every documented option (each listed option used by a valid call)', async () => {
      const known = await knownNames(e);
      const used = new Set(e.valid.flatMap((o) => Object.keys(o)));
      expect([...used].sort()).toEqual([...known].sort());
      for (const o of e.valid) expect(await errorOf(() => e.call(o))).toBeUndefined();
    });

    it('rejects options that are not an object with an OptionError; undefined values set nothing', async () => {
      for (const bad of [3, 'nComponents', [1, 2], null, true, new Float64Array(2)]) {
        const err = await errorOf(() => e.call(bad));
        expect(err, `options = ${String(bad)}`).toBeInstanceOf(OptionError);
        expect((err as Error).message).toMatch(new RegExp(`^${e.name.replace('.', '\\.')}: options must be an object`));
      }
      expect(await errorOf(() => e.call({ ...e.valid[0], nComponentz: undefined }))).toBeUndefined();
    });
  });

  it('the constructors that need options answer a missing one with a typed error, not a TypeError', () => {
    for (const make of [
      () => new SparseCoder(undefined as never), () => new BoltzmannMachine(undefined as never), () => new IsingGrid(undefined as never),
      () => IsingGrid.fromSpins(undefined as never),
    ]) {
      expect(make).toThrow(ElboError);
    }
  });
});

describe('option values the options check answers itself', () => {
  it('a callback option (on…) that is not a function is an OptionError when the model is made, not a TypeError mid-fit', () => {
    expect(() => new GaussianMixture({ onIteration: 0 as never })).toThrow('GaussianMixture: onIteration must be a function; got 0');
    expect(() => new DictionaryLearning({ onIteration: 'log' as never })).toThrow(OptionError);
    expect(() => new GaussianMixture({ onWarning: null as never })).toThrow(/onWarning must be a function; got null/);
    expect(() => new BinarySparseCoding({ nHidden: 1 }).fit([[1], [2]], { onIteration: NaN as never })).toThrow(OptionError);
    expect(() => new LinearGaussian({ nComponents: 1 }).fit([[1, 2], [2, 1]], { onIteration: {} as never })).toThrow(OptionError);
  });

  it('plot options of the wrong type are typed errors naming them, not TypeErrors', () => {
    const X = { data: Float64Array.from([0, 0, 1, 1, 2, 0, 3, 3]), rows: 4, cols: 2 };
    const gm = new GaussianMixture({ nComponents: 2, onWarning: () => {} }).fit(X);
    expect(() => mixtureSpec(gm, X, { sigmas: NaN as never })).toThrow(/mixtureSpec: sigmas must be an array of positive numbers; got NaN/);
    expect(() => tilesSpec({ data: new Float64Array(4), rows: 1, cols: 4 }, { shape: 0 as never })).toThrow(ShapeError);
    expect(() => tilesSpec({ data: new Float64Array(4), rows: 1, cols: 4 }, { shape: [4] as never })).toThrow(/shape must be \[height, width\]/);
    expect(() => tilesSpec({ data: new Float64Array(4), rows: 1, cols: 4 }, { pixel: 1n as never })).toThrow(/pixel must be a finite number > 0/);
  });

});

describe('closest option names', () => {
  it('counts a swap of adjacent letters as one edit (Damerau–Levenshtein)', () => {
    expect(damerauLevenshtein('tol', 'tlo')).toBe(1);
    expect(damerauLevenshtein('seed', 'sede')).toBe(1);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });

  it('ignores case, underscores and hyphens, and suggests nothing for a guess that is not a typo', () => {
    const known = ['nComponents', 'covarianceType', 'maxIter', 'tol'];
    expect(closestName('N_COMPONENTS', known)).toBe('nComponents');
    expect(closestName('covariance-type', known)).toBe('covarianceType');
    expect(closestName('max_iters', known)).toBe('maxIter');
    expect(closestName('k', known)).toBeNull();
    expect(closestName('learningRate', known)).toBeNull();
    expect(closestName('alpha', ['transformAlpha', 'transformTol'])).toBe('transformAlpha');
    expect(closestName('iter', ['maxIter', 'inferMaxIter'])).toBeNull();
  });

  it('returns the options object itself, and {} for undefined', () => {
    const o = { tol: 1 };
    expect(checkOptions(o, ['tol'], 'f')).toBe(o);
    expect(checkOptions(undefined, ['tol'], 'f')).toEqual({});
  });
});
