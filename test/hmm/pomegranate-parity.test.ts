// Parity with pomegranate 0.14.8 (test/fixtures/hmm.json, made by scripts/fixtures/hmm.py).
// Conventions match where compared: no end state, counts pooled over sequences, and the
// maximum-likelihood covariance update (elbo's with minCovar = 0). One difference of counting:
// pomegranate's fit(max_iterations = n) makes n + 1 updates (one before its loop), so its n
// iterations are elbo's nIter = n + 1. Not compared: pomegranate's initialisation (it takes
// given distributions only) and its stopping rule.
import { describe, expect, it } from 'vitest';
import { CategoricalHMM, GaussianHMM } from '../../src/index.js';
import { loadFixture, mat, expectRel, type Arr } from '../fixtures.js';

interface Fit { startProb: Arr; transMat: Arr; means?: Arr; covars?: Arr; emissionProb?: Arr; score: number }
interface Case {
  name: string; kind: 'diag' | 'full' | 'categorical'; X: Arr; lengths: number[];
  init: { startProb: Arr; transMat: Arr; means?: Arr; covars?: Arr; emissionProb?: Arr };
  score: number; posteriors: Arr; viterbiPath: Arr; viterbiLogProb: number; fits: Record<string, Fit>;
}

const { cases } = loadFixture<{ cases: Case[] }>('hmm.json');

function model(c: Case, nIter: number) {
  const common = {
    nComponents: c.init.startProb.data.length, startProbInit: c.init.startProb.data, transMatInit: c.init.transMat.data,
    nIter, tol: 0, onWarning: () => {},
  };
  if (c.kind === 'categorical') {
    const F = c.init.emissionProb!.shape[1];
    return new CategoricalHMM({ ...common, nFeatures: F, emissionProbInit: c.init.emissionProb!.data });
  }
  const K = common.nComponents, D = c.X.shape[1];
  const means = Array.from({ length: K }, (_, k) => c.init.means!.data.slice(k * D, (k + 1) * D));
  return new GaussianHMM({ ...common, covarianceType: c.kind, minCovar: 0, meansInit: means, covarsInit: c.init.covars!.data });
}

describe('HMMs against pomegranate 0.14.8', () => {
  for (const c of cases) {
    it(`${c.name}: score, posteriors and the Viterbi path of given parameters`, () => {
      const hmm = model(c, 0).fit(mat(c.X), { lengths: c.lengths });
      const X = mat(c.X);
      expectRel([hmm.score(X, { lengths: c.lengths })], [c.score], 1e-10, 'score');
      const { posteriors } = hmm.scoreSamples(X, { lengths: c.lengths });
      expectRel(posteriors.data, c.posteriors.data, 1e-6, 'posteriors', 1e-6);
      const v = hmm.decode(X, { lengths: c.lengths });
      expect(Array.from(v.states)).toEqual(c.viterbiPath.data);
      expectRel([v.logProb], [c.viterbiLogProb], 1e-10, 'viterbi log-probability');
    });

    for (const iters of Object.keys(c.fits)) {
      it(`${c.name}: pomegranate's max_iterations = ${iters} (${Number(iters) + 1} Baum-Welch updates) from the same start gives the same parameters to 1e-6`, () => {
        const want = c.fits[iters];
        const X = mat(c.X);
        const hmm = model(c, Number(iters) + 1).fit(X, { lengths: c.lengths });
        expectRel(hmm.startProb, want.startProb.data, 1e-6, 'startProb', 1e-6);
        expectRel(hmm.transMat.data, want.transMat.data, 1e-6, 'transMat', 1e-6);
        if (hmm instanceof GaussianHMM) {
          expectRel(hmm.means.data, want.means!.data, 1e-6, 'means');
          expectRel(hmm.covars, want.covars!.data, 1e-6, 'covars');
        } else {
          expectRel((hmm as CategoricalHMM).emissionProb.data, want.emissionProb!.data, 1e-6, 'emissionProb', 1e-6);
        }
        expectRel([hmm.score(X, { lengths: c.lengths })], [want.score], 1e-8, 'score after fitting');
      });
    }
  }
});
