import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, BinarySparseCoding, GaussianMixture, MiniBatchDictionaryLearning,
  decodeStats, encodeStats, fitWithStatistics, inProcessEngine, mergeStatsInOrder, statisticsOf,
  type CovarianceType, type SufficientStats,
} from '../../src/node.js';
import { clusters, cut, relativeDifference, SEVEN } from './data.js';

const X = clusters(700);
const shards = cut(X, SEVEN);
const TOL = 1e-12;

function explicitInit(type: CovarianceType) {
  const K = 3, D = 3;
  const precisions = type === 'full' ? Array.from({ length: K }, () => [1, 0, 0, 0, 1, 0, 0, 0, 1]).flat()
    : type === 'tied' ? [1, 0, 0, 0, 1, 0, 0, 0, 1] : type === 'diag' ? new Array(K * D).fill(1) : new Array(K).fill(1);
  return { nComponents: K, covarianceType: type, weightsInit: [0.3, 0.3, 0.4], meansInit: [[104, 105, 106], [108, 104, 105], [107, 109, 104]], precisionsInit: precisions, maxIter: 30, tol: 1e-8, onWarning: () => {} };
}

describe('fitWithStatistics (the statistics protocol over shards)', () => {
  for (const type of ['full', 'tied', 'diag', 'spherical'] as CovarianceType[]) {
    it(`fits a ${type} GaussianMixture over 7 unequal shards as fit does on their concatenation`, async () => {
      const whole = new GaussianMixture(explicitInit(type)).fit(X);
      const sharded = await fitWithStatistics(new GaussianMixture(explicitInit(type)), inProcessEngine(shards));
      expect(sharded.nIter).toBe(whole.nIter);
      expect(sharded.converged).toBe(whole.converged);
      expect(relativeDifference(sharded.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
      expect(relativeDifference(sharded.means.data, whole.means.data)).toBeLessThan(TOL);
      expect(relativeDifference(sharded.covariances, whole.covariances)).toBeLessThan(TOL);
      expect(relativeDifference(sharded.weights, whole.weights)).toBeLessThan(TOL);
    });
  }

  it('fits a warm-started BayesianGaussianMixture over shards as fit does on their concatenation', async () => {
    const options = { nComponents: 4, covarianceType: 'full' as const, meanPrior: [105, 105, 105], covariancePrior: [[4, 0, 0], [0, 4, 0], [0, 0, 4]], warmStart: true, maxIter: 25, tol: 1e-8, onWarning: () => {} };
    const start = new BayesianGaussianMixture({ ...options, maxIter: 2 }).fit(cut(X, [100, 600])[0]).toJSON();
    const whole = BayesianGaussianMixture.fromJSON({ ...start, options: { ...start.options, maxIter: 25, tol: 1e-8 } });
    const sharded = BayesianGaussianMixture.fromJSON({ ...start, options: { ...start.options, maxIter: 25, tol: 1e-8 } });
    whole.fit(X);
    await fitWithStatistics(sharded, inProcessEngine(shards));
    expect(sharded.nIter).toBe(whole.nIter);
    expect(relativeDifference(sharded.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
    expect(relativeDifference(sharded.means.data, whole.means.data)).toBeLessThan(TOL);
    expect(relativeDifference(sharded.weightConcentration, whole.weightConcentration)).toBeLessThan(TOL);
  });

  it('fits BinarySparseCoding over shards as fit with eStepStart "prior" does on their concatenation', async () => {
    const V = { data: X.data.map((v) => (v - 105) / 3), rows: X.rows, cols: X.cols };
    const W = [[1, 0, 0.5, 0.2], [0, 1, 0.5, -0.3], [0.3, -0.2, 1, 0.1]];
    const make = () => new BinarySparseCoding({ W, b: [-1, -1, -1, -1], beta: [2, 2, 2], onWarning: () => {} });
    // inferTol 0: a fixed number of sweeps per row (the sweeps' stopping test looks at every row of a batch at once).
    const whole = make().fit(V, { maxIter: 15, eStepStart: 'prior', inferTol: 0 });
    const sharded = await fitWithStatistics(make(), inProcessEngine(cut(V as never, SEVEN)), { maxIter: 15, inferTol: 0 });
    expect(sharded.nIter).toBe(whole.nIter);
    expect(relativeDifference(sharded.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
    expect(relativeDifference(sharded.W.data, whole.W.data)).toBeLessThan(TOL);
    expect(relativeDifference(sharded.beta, whole.beta)).toBeLessThan(TOL);
  });

  it('gives MiniBatchDictionaryLearning the same atoms from 7 shards as from their concatenation', async () => {
    const dictInit = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.6, 0.8, 0]];
    const make = () => new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.5, maxIter: 8, tol: 0, seed: 2, dictInit, onWarning: () => {} });
    const V = { data: X.data.map((v) => v - 105), rows: X.rows, cols: X.cols };
    const one = await fitWithStatistics(make(), inProcessEngine([V]));
    const seven = await fitWithStatistics(make(), inProcessEngine(cut(V, SEVEN)));
    expect(seven.nIter).toBe(8);
    expect(relativeDifference(seven.objectiveHistory, one.objectiveHistory)).toBeLessThan(TOL);
    expect(relativeDifference(seven.components.data, one.components.data)).toBeLessThan(TOL);
  });

  it('never lets the objective of the full-batch dictionary updates rise', async () => {
    const V = { data: X.data.map((v) => v - 105), rows: X.rows, cols: X.cols };
    const mb = await fitWithStatistics(new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.5, maxIter: 10, tol: 0, seed: 2 }), inProcessEngine(cut(V, SEVEN)));
    const h = mb.objectiveHistory;
    for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] * (1 + 1e-12));
  });

  it('merges statistics in shard order whatever order they arrive in', () => {
    const gm = new GaussianMixture({ ...explicitInit('full'), maxIter: 1 }).fit(X);
    const snapshot = { kind: 'GaussianMixture', model: gm.toJSON() };
    const parts = shards.map((s, index) => ({ index, stats: statisticsOf(snapshot, s) }));
    const inOrder = mergeStatsInOrder('GaussianMixture', parts);
    const shuffled = mergeStatsInOrder('GaussianMixture', [parts[4], parts[0], parts[6], parts[2], parts[1], parts[5], parts[3]]);
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(inOrder));
  });

  it('encodes statistics as plain JSON and decodes them bit for bit', () => {
    const gm = new GaussianMixture({ ...explicitInit('diag'), maxIter: 1 }).fit(X);
    const stats = gm.partialStats(shards[0]);
    const back = decodeStats<SufficientStats>(JSON.parse(JSON.stringify(encodeStats({ ...stats, logLik: -Infinity }))));
    expect(back.logLik).toBe(-Infinity);
    expect(Array.from(back.sumXX)).toEqual(Array.from(stats.sumXX));
    expect(back.sumX).toBeInstanceOf(Float64Array);
  });

  it('leaves the model as it was when a shard fails', async () => {
    const gm = new GaussianMixture(explicitInit('full')).fit(X);
    const before = JSON.stringify(gm.toJSON());
    const engine = inProcessEngine(shards);
    const failing = { ...engine, statistics: async () => { throw new Error('shard 3 is gone'); } };
    await expect(fitWithStatistics(gm, failing)).rejects.toThrow('shard 3 is gone');
    expect(JSON.stringify(gm.toJSON())).toBe(before);
  });
});
