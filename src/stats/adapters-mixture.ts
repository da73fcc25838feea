/**
 * The statistics-protocol adapters of GaussianMixture and BayesianGaussianMixture: one
 * initialisation (nInit is 1 across shards), started from explicit initial parameters or a warm
 * start as given, otherwise by the model's own initialisation (initParams) on the seeded sample.
 */
import { BayesianGaussianMixture, type BayesianStats } from '../mixture/BayesianGaussianMixture.js';
import { GaussianMixture } from '../mixture/GaussianMixture.js';
import { variationalLowerBound, variationalUpdate } from '../mixture/bayesian.js';
import { setInitialResponsibilities } from '../mixture/init.js';
import { resolvePriors } from '../mixture/priors.js';
import type { GaussianMixtureJSON } from '../mixture/serialize.js';
import type { BayesianGaussianMixtureJSON } from '../mixture/serialize-bayesian.js';
import type { SufficientStats } from '../mixture/types.js';
import { ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { requireSample, type Adapter, type LoopOptions } from './adapter.js';

type Mixture = GaussianMixture | BayesianGaussianMixture;

/** The loop options every mixture takes from its constructor, as its fit does. */
function mixtureLoop(m: Mixture, kind: string, warm: boolean): LoopOptions {
  const base = m['baseOptions'];
  return {
    maxIter: m.maxIter, tol: m.tol, onIteration: base.onIteration,
    notConverged: m.maxIter > 0
      ? `${kind} did not converge in ${m.maxIter} iterations (last change above tol = ${m.tol}); try a larger maxIter or tol, other initial parameters, or check for degenerate data`
      : null,
    warn: base.onWarning ?? console.warn,
    warm: warm ? { lowerBound: m.lowerBound } : undefined,
  };
}

const isWarm = (m: Mixture): boolean => m.warmStart && m.isFitted;


/** GaussianMixture: explicit weightsInit + meansInit + precisionsInit start without data. */
export const gaussianMixtureAdapter: Adapter<GaussianMixture, SufficientStats> = {
  kind: 'GaussianMixture',
  owns: (model): model is GaussianMixture => model instanceof GaussianMixture,
  needsSample(m) {
    const o = m['options'];
    return !isWarm(m) && !(o.weightsInit !== undefined && o.meansInit !== undefined && o.precisionsInit !== undefined);
  },
  start(m, sample) {
    if (isWarm(m)) return;
    let x: Matrix, params;
    if (!sample) {
      // Every parameter is given: initialize() reads only the number of features of X.
      x = { data: new Float64Array(0), rows: 0, cols: toMatrix(m['options'].meansInit!, 'meansInit').cols };
      params = m['initialize'](x, null as never, new Random(m.seed), null as never);
    } else {
      const first = m['openFirstBatch'](sample.X, {});
      x = first.x;
      try {
        params = m['initialize'](first.x, first.engine, new Random(m.seed), first.initData);
      } finally {
        first.engine.release();
      }
    }
    m['fitted'] = { params, nFeatures: x.cols, converged: false, nIter: 0, lowerBound: -Infinity, lowerBoundHistory: [] };
  },
  loop: (m) => mixtureLoop(m, 'GaussianMixture', isWarm(m)),
  snapshot: (m) => ({ kind: 'GaussianMixture', model: m.toJSON() }),
  partialStats: (s, X) => GaussianMixture.fromJSON(s.model as GaussianMixtureJSON).partialStats(X),
  mergeStats: (a, b) => GaussianMixture.mergeStats(a, b),
  mStep(m, stats) {
    m.mStep(stats);
    return stats.logLik / stats.n;
  },
  save: (m) => ({ fitted: m['fitted'], online: m['online'] }),
  restore(m, saved) {
    const s = saved as { fitted: GaussianMixture['fitted']; online: GaussianMixture['online'] };
    m['fitted'] = s.fitted;
    m['online'] = s.online;
  },
  commit(m, r) {
    m['fitted'] = { ...m['fitted']!, ...r };
    m['online'] = null;
  },
};

/**
 * BayesianGaussianMixture: a warm start keeps the posterior; otherwise initParams on the sample.
 * Priors left to their defaults (meanPrior, covariancePrior) are resolved on the sample.
 */
export const bayesianMixtureAdapter: Adapter<BayesianGaussianMixture, BayesianStats> = {
  kind: 'BayesianGaussianMixture',
  owns: (model): model is BayesianGaussianMixture => model instanceof BayesianGaussianMixture,
  needsSample(m) {
    const o = m['options'];
    return !isWarm(m) || o.meanPrior === undefined || o.covariancePrior === undefined;
  },
  start(m, sample) {
    const o = m['options'];
    const { nComponents: K, covarianceType: type, weightConcentrationPriorType: priorType } = m;
    const D = sample ? sample.X.cols : m['fitted']!.nFeatures;
    const x = sample ? sample.X : { data: new Float64Array(0), rows: 0, cols: D };
    const priors = resolvePriors(x, K, type, priorType, o);
    if (isWarm(m)) {
      m['fitted'] = { ...m['fitted']!, priors };
      return;
    }
    if (o.initResponsibilities !== undefined) {
      throw new ValueError('initResponsibilities gives one row per row of X, which a fit over shards does not hold: use a warm start (warmStart: true on a fitted model) or initParams');
    }
    const first = m['openFirstBatch'](requireSample(sample, 'BayesianGaussianMixture'), {});
    try {
      setInitialResponsibilities(first.engine, first.initData, K, m.initParams, new Random(m.seed));
      const params = variationalUpdate(first.engine.stats(0), priors, m.regCovar);
      m['fitted'] = { params, priors, nFeatures: D, converged: false, nIter: 0, lowerBound: -Infinity, lowerBoundHistory: [] };
    } finally {
      first.engine.release();
    }
  },
  loop: (m) => mixtureLoop(m, 'BayesianGaussianMixture', isWarm(m)),
  snapshot: (m) => ({ kind: 'BayesianGaussianMixture', model: m.toJSON() }),
  partialStats: (s, X) => BayesianGaussianMixture.fromJSON(s.model as BayesianGaussianMixtureJSON).partialStats(X),
  mergeStats: (a, b) => BayesianGaussianMixture.mergeStats(a, b),
  mStep(m, stats) {
    m.mStep(stats);
    return variationalLowerBound(m['fitted']!.params, m.covarianceType, m.weightConcentrationPriorType, stats.sumRespLogResp);
  },
  save: (m) => ({ fitted: m['fitted'], online: m['online'] }),
  restore(m, saved) {
    const s = saved as { fitted: BayesianGaussianMixture['fitted']; online: BayesianGaussianMixture['online'] };
    m['fitted'] = s.fitted;
    m['online'] = s.online;
  },
  commit(m, r) {
    m['fitted'] = { ...m['fitted']!, ...r };
    m['online'] = null;
  },
};
