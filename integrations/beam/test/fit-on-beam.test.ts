import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, BinarySparseCoding, GaussianMixture, MiniBatchDictionaryLearning,
  fitWithStatistics, inProcessEngine, init, type CovarianceType,
} from 'elbo-wasm';
import { BeamFitError, fitOnBeam } from '../src/index.js';
import { clusters, cut, relativeDifference, SEVEN, writeShards } from './data.js';

const TOL = 1e-12;
const X = clusters(700);
const shards = cut(X, SEVEN);
let files: string[];

beforeAll(async () => {
  await init();
  files = writeShards(shards);
});

function explicitInit(type: CovarianceType) {
  const K = 3, D = 3;
  const eye = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const precisionsInit = type === 'full' ? [...eye, ...eye, ...eye] : type === 'tied' ? eye : type === 'diag' ? new Array(K * D).fill(1) : new Array(K).fill(1);
  return {
    nComponents: K, covarianceType: type, weightsInit: [0.3, 0.3, 0.4], meansInit: [[104, 105, 106], [108, 104, 105], [107, 109, 104]],
    precisionsInit, maxIter: 30, tol: 1e-8, onWarning: () => {},
  };
}

describe('fitOnBeam on the direct runner, from explicit initial parameters', () => {
  for (const type of ['full', 'tied', 'diag', 'spherical'] as CovarianceType[]) {
    it(`fits a ${type} GaussianMixture over 7 shard files (one of one row) as fit does on their concatenation, to 1e-12`, async () => {
      const whole = new GaussianMixture(explicitInit(type)).fit(X);
      const beam = await fitOnBeam(new GaussianMixture(explicitInit(type)), files);
      expect(beam.nIter).toBe(whole.nIter);
    expect(whole.nIter).toBeGreaterThan(2);
      expect(beam.converged).toBe(whole.converged);
      expect(relativeDifference(beam.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
      expect(relativeDifference(beam.weights, whole.weights)).toBeLessThan(TOL);
      expect(relativeDifference(beam.means.data, whole.means.data)).toBeLessThan(TOL);
      expect(relativeDifference(beam.covariances, whole.covariances)).toBeLessThan(TOL);
    });
  }

  it('fits a warm-started BayesianGaussianMixture over 7 in-memory shards as fit does on their concatenation, to 1e-12', async () => {
    const options = { nComponents: 3, meanPrior: [105, 105, 105], covariancePrior: [[4, 0, 0], [0, 4, 0], [0, 0, 4]], warmStart: true, maxIter: 2, onWarning: () => {} };
    const json = new BayesianGaussianMixture(options).fit(shards[0]).toJSON();
    const start = () => BayesianGaussianMixture.fromJSON({ ...json, options: { ...json.options, maxIter: 30, tol: 1e-3 } });
    const whole = start().fit(X);
    const beam = await fitOnBeam(start(), shards);
    expect(beam.nIter).toBe(whole.nIter);
    expect(whole.nIter).toBeGreaterThan(2);
    expect(relativeDifference(beam.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
    expect(relativeDifference(beam.means.data, whole.means.data)).toBeLessThan(TOL);
    expect(relativeDifference(beam.covariances, whole.covariances)).toBeLessThan(TOL);
    expect(relativeDifference(beam.weightConcentration, whole.weightConcentration)).toBeLessThan(TOL);
  });

  it("gives MiniBatchDictionaryLearning's full-batch statistics the same atoms over 7 shard files as over one, to 1e-12", async () => {
    const V = { data: X.data.map((v) => v - 105), rows: X.rows, cols: X.cols };
    const vFiles = writeShards(cut(V, SEVEN));
    const make = () => new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.5, maxIter: 6, tol: 0, dictInit: [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.6, 0.8, 0]] });
    const whole = await fitWithStatistics(make(), inProcessEngine([V]));
    const beam = await fitOnBeam(make(), vFiles);
    expect(beam.nIter).toBe(6);
    expect(relativeDifference(beam.objectiveHistory, whole.objectiveHistory)).toBeLessThan(TOL);
    expect(relativeDifference(beam.components.data, whole.components.data)).toBeLessThan(TOL);
  });

  it('fits BinarySparseCoding over 7 shard files as fit with eStepStart "prior" does on their concatenation, to 1e-12', async () => {
    const V = { data: X.data.map((v) => (v - 105) / 3), rows: X.rows, cols: X.cols };
    const vFiles = writeShards(cut(V, SEVEN));
    const make = () => new BinarySparseCoding({ W: [[1, 0, 0.5, 0.2], [0, 1, 0.5, -0.3], [0.3, -0.2, 1, 0.1]], b: [-1, -1, -1, -1], beta: [2, 2, 2], onWarning: () => {} });
    // inferTol 0: a fixed number of sweeps for every row (the sweeps' stopping test looks at a whole batch).
    const whole = make().fit(V, { maxIter: 12, eStepStart: 'prior', inferTol: 0 });
    const beam = await fitOnBeam(make(), vFiles, { maxIter: 12, inferTol: 0 });
    expect(beam.nIter).toBe(whole.nIter);
    expect(whole.nIter).toBeGreaterThan(2);
    expect(relativeDifference(beam.lowerBoundHistory, whole.lowerBoundHistory)).toBeLessThan(TOL);
    expect(relativeDifference(beam.W.data, whole.W.data)).toBeLessThan(TOL);
    expect(relativeDifference(beam.b, whole.b)).toBeLessThan(TOL);
    expect(relativeDifference(beam.beta, whole.beta)).toBeLessThan(TOL);
  });
});

describe('fitOnBeam: loop, start and failures', () => {
  it('reports every iteration to onIteration with the bound it records', async () => {
    const seen: number[] = [];
    const gm = await fitOnBeam(new GaussianMixture({ ...explicitInit('diag'), maxIter: 4, onIteration: (i) => { seen.push(i.lowerBound); } }), shards);
    expect(seen).toEqual(gm.lowerBoundHistory);
    expect(gm.nIter).toBe(4);
  });

  it('starts a model without initial parameters from the seeded sample across shards, as the in-process engine does', async () => {
    const make = () => new GaussianMixture({ nComponents: 3, seed: 5, maxIter: 20, onWarning: () => {} });
    const beam = await fitOnBeam(make(), files);
    const local = await fitWithStatistics(make(), inProcessEngine(shards));
    expect(beam.lowerBoundHistory).toEqual(local.lowerBoundHistory);
    expect(Array.from(beam.means.data)).toEqual(Array.from(local.means.data));
  });

  it('fails on a missing shard with an error naming the file, and leaves the model as it was', async () => {
    const gm = new GaussianMixture(explicitInit('full')).fit(X);
    const before = JSON.stringify(gm.toJSON());
    const missing = files[3].replace(/part-3/, 'part-missing');
    const run = fitOnBeam(gm, [...files.slice(0, 3), missing, ...files.slice(4)]);
    await expect(run).rejects.toThrow(BeamFitError);
    await expect(run).rejects.toThrow(`${missing}: no such file`);
    expect(JSON.stringify(gm.toJSON())).toBe(before);
  });

  it('fails on a corrupt shard with an error naming the file, and leaves the model as it was', async () => {
    const corrupt = files[4].replace(/part-4\.npy$/, 'part-corrupt.npy');
    writeFileSync(corrupt, new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 1, 2]));
    const bsc = new BinarySparseCoding({ W: [[1, 0], [0, 1], [1, 1]], onWarning: () => {} });
    const W = Array.from(bsc.W.data);
    await expect(fitOnBeam(bsc, [files[0], corrupt], { maxIter: 3 })).rejects.toThrow(`${corrupt}: truncated .npy header`);
    expect(Array.from(bsc.W.data)).toEqual(W);
    expect(bsc.nIter).toBe(0);
  });

  it('passes the runner name to Beam, which refuses one it does not know', async () => {
    await expect(fitOnBeam(new GaussianMixture(explicitInit('full')), shards, { runner: 'no-such-runner' })).rejects.toThrow('Unknown runner: no-such-runner');
  });

  it('refuses shards that are not a non-empty array', async () => {
    await expect(fitOnBeam(new GaussianMixture(), [])).rejects.toThrow('shards must be a non-empty array');
  });
});
