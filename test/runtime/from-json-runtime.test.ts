// fromJSON's second argument: the callbacks and the engine a saved model does not hold, given
// back when the model is loaded (elbo-wasm/worker rebuilds models this way). The file's own
// options win, and an option the file holds is refused.
import { describe, expect, it } from 'vitest';
import { BinarySparseCoding, GaussianHMM, GaussianMixture, KMeans, OptionError, type IterationInfo } from '../../src/index.js';

const X = { data: Float64Array.from([0, 0, 0.2, 0.1, 0.1, 0.3, 4, 4, 4.2, 4.1, 3.9, 4.3]), rows: 6, cols: 2 };
const quiet = () => {};

describe('fromJSON with the options a file does not hold', () => {
  it('gives a loaded mixture its onIteration, onWarning and engine, and refits as the original does', () => {
    const original = new GaussianMixture({ nComponents: 2, maxIter: 2, tol: 0, warmStart: true, onWarning: quiet }).fit(X);
    const warnings: string[] = [], seen: IterationInfo[] = [];
    const loaded = GaussianMixture.fromJSON(original.toJSON(), { onWarning: (m) => warnings.push(m), onIteration: (i) => { seen.push(i); }, engine: 'reference' });
    loaded.fit(X);
    expect(seen.map((i) => i.iteration)).toEqual([1, 2]);
    expect(warnings).toHaveLength(1);
    original.fit(X);
    expect(loaded.lowerBoundHistory.map((v) => v.toPrecision(12))).toEqual(original.lowerBoundHistory.map((v) => v.toPrecision(12)));
  });

  it('works for k-means, the HMMs and binary sparse coding too', () => {
    const stops: number[] = [];
    const km = KMeans.fromJSON(new KMeans({ nClusters: 2 }).fit(X).toJSON(), { onIteration: (i) => { stops.push(i.iteration); } });
    km.fit(X);
    expect(stops.length).toBeGreaterThan(0);
    const hmmWarnings: string[] = [];
    GaussianHMM.fromJSON(new GaussianHMM({ nComponents: 2, nIter: 1, onWarning: quiet }).fit(X).toJSON(), { onWarning: (m) => hmmWarnings.push(m) }).fit(X);
    expect(hmmWarnings).toHaveLength(1);
    const bsc = new BinarySparseCoding({ nHidden: 1, seed: 1, onWarning: quiet }).fit(X, { maxIter: 1 });
    const bscWarnings: string[] = [];
    BinarySparseCoding.fromJSON(bsc.toJSON(), { onWarning: (m) => bscWarnings.push(m) }).fit(X, { maxIter: 1 });
    expect(bscWarnings).toHaveLength(1);
  });

  it('refuses an option the file holds, with an OptionError', () => {
    const file = new GaussianMixture({ nComponents: 2, onWarning: quiet }).fit(X).toJSON();
    expect(() => GaussianMixture.fromJSON(file, { nComponents: 3 } as never)).toThrow(OptionError);
    expect(() => GaussianMixture.fromJSON(file, { nComponents: 3 } as never)).toThrow(/GaussianMixture\.fromJSON: unknown option 'nComponents'/);
  });
});
