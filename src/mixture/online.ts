/**
 * Stepwise (online) EM, Cappé & Moulines (2009): after each mini-batch the running sufficient
 * statistics move toward the batch's, s ← (1 − γ_t) s + γ_t s̄(batch), with γ_t = (t + t0)^(−κ),
 * then the M-step runs on s. κ ∈ (0.5, 1] makes Σ γ_t diverge and Σ γ_t² converge, the
 * Robbins–Monro conditions under which the running statistics converge to a stationary point of
 * the expected log-likelihood. Each batch enters per unit of weight (its statistics divided by
 * its Σw), so batches of any size step alike; the running statistics keep the count of the
 * first batch, so the M-step's small count guard (NK_EPS) acts at the scale of a batch fit.
 */
import { ValueError } from '../runtime/errors.js';
import { describe } from '../runtime/matrix.js';
import { mergeStats } from './gaussian.js';
import type { SufficientStats } from './types.js';

/** Options of the step-size schedule γ_t = (t + stepOffset)^(−stepDecay). */
export interface StepOptions {
  /**
   * κ ∈ (0.5, 1], how fast the step size decays (default 0.7): smaller forgets the early
   * batches, whose statistics came from poorer parameters, faster, at the price of more noise
   * late in the stream; 1 weighs every batch equally (the running statistics are then the plain
   * average when stepOffset is 0).
   */
  stepDecay?: number;
  /** t0 ≥ 0, delays the decay so that early batches do not dominate (default 2). */
  stepOffset?: number;
}

/** Defaults of the schedule: κ = 0.7 and t0 = 2, the middle of the range Liang & Klein (2009) found robust. */
export const DEFAULT_STEP_DECAY = 0.7;
export const DEFAULT_STEP_OFFSET = 2;

/** The schedule's parameters, checked. @throws ValueError naming stepDecay or stepOffset */
export function checkStepOptions(o: StepOptions): { decay: number; offset: number } {
  const decay = o.stepDecay ?? DEFAULT_STEP_DECAY, offset = o.stepOffset ?? DEFAULT_STEP_OFFSET;
  if (typeof decay !== 'number' || !(decay > 0.5 && decay <= 1)) throw new ValueError(`stepDecay must lie in (0.5, 1]; got ${describe(decay)}`);
  if (typeof offset !== 'number' || !(offset >= 0 && Number.isFinite(offset))) throw new ValueError(`stepOffset must be finite and ≥ 0; got ${describe(offset)}`);
  return { decay, offset };
}

/** γ_t = (t + t0)^(−κ) for the t-th update after the first (t ≥ 1); at most 1. */
export function stepSize(t: number, schedule: { decay: number; offset: number }): number {
  return Math.min(1, (t + schedule.offset) ** -schedule.decay);
}

/** The statistics times c ≥ 0: counts, sums, scatters and the log-likelihood all scale alike. */
export function scaleStats(s: SufficientStats, c: number): SufficientStats {
  const times = (a: Float64Array) => {
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] * c;
    return out;
  };
  return { ...s, n: s.n * c, logLik: s.logLik * c, sumResp: times(s.sumResp), sumX: times(s.sumX), sumXX: times(s.sumXX) };
}

/**
 * (1 − γ) s + γ s̄, with s̄ the batch's statistics rescaled to s's count: the convex combination
 * of the two as data sets, so the centred scatters combine by Chan's rule (mergeStats).
 */
export function stepwiseUpdate(running: SufficientStats, batch: SufficientStats, gamma: number): SufficientStats {
  if (gamma === 1) return scaleStats(batch, running.n / batch.n);
  return mergeStats(scaleStats(running, 1 - gamma), scaleStats(batch, (gamma * running.n) / batch.n));
}

/**
 * stepwiseUpdate written into `out` (statistics of the same shape, sharing no array with the
 * inputs) without its intermediate arrays: scaleStats' products and mergeStats' sums and Chan
 * terms, evaluated as the same expressions in the same order, so the result is the same to the
 * byte. partialFit runs it once per batch; stepwiseUpdate stays the definition tests compare to.
 */
export function stepwiseUpdateInto(running: SufficientStats, batch: SufficientStats, gamma: number, out: SufficientStats): SufficientStats {
  const { nComponents: K, nFeatures: D, covarianceType: type } = running;
  if (gamma === 1) {
    const c = running.n / batch.n;
    scaleInto(batch.sumResp, c, out.sumResp);
    scaleInto(batch.sumX, c, out.sumX);
    scaleInto(batch.sumXX, c, out.sumXX);
    out.n = batch.n * c;
    out.logLik = batch.logLik * c;
    return out;
  }
  const a = 1 - gamma, b = (gamma * running.n) / batch.n;
  combineInto(running.sumResp, a, batch.sumResp, b, out.sumResp);
  combineInto(running.sumX, a, batch.sumX, b, out.sumX);
  combineInto(running.sumXX, a, batch.sumXX, b, out.sumXX);
  // Chan's term of mergeStats, on the scaled counts and sums (recomputed: the same products).
  const delta = new Float64Array(D);
  const rr = running.sumResp, br = batch.sumResp, rx = running.sumX, bx = batch.sumX, S = out.sumXX;
  const diagonal = type === 'diag' || type === 'spherical', full = type === 'full';
  for (let k = 0; k < K; k++) {
    const na = rr[k] * a, nb = br[k] * b;
    if (na === 0 || nb === 0) continue;
    for (let d = 0; d < D; d++) delta[d] = (bx[k * D + d] * b) / nb - (rx[k * D + d] * a) / na;
    const f = (na * nb) / (na + nb);
    if (diagonal) {
      for (let d = 0; d < D; d++) S[k * D + d] += f * delta[d] * delta[d];
      continue;
    }
    const o = full ? k * D * D : 0;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) S[o + i * D + j] += f * delta[i] * delta[j];
  }
  out.n = running.n * a + batch.n * b;
  out.logLik = running.logLik * a + batch.logLik * b;
  return out;
}

/** out = x·c element-wise. */
function scaleInto(x: Float64Array, c: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * c;
}

/** out = x·a + y·b element-wise (scaleStats then mergeStats' sum, as one loop). */
function combineInto(x: Float64Array, a: number, y: Float64Array, b: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * a + y[i] * b;
}

/**
 * partialFit's running statistics s and the number t of updates after the first, with a spare
 * set of arrays the next update is written into: a batch allocates no statistics, and one that
 * throws before `commit` leaves s and t as they were.
 */
export class RunningStats {
  private spare: SufficientStats | null = null;

  /** @param stats the statistics of the first batch (owned from now on) */
  constructor(public stats: SufficientStats, public t = 0) {}

  /** s ← (1 − γ_t) s + γ_t s̄ for the next t, written into the spare arrays; `commit` adopts it. */
  next(batch: SufficientStats, schedule: { decay: number; offset: number }): SufficientStats {
    const s = this.stats;
    this.spare ??= { ...s, sumResp: new Float64Array(s.sumResp.length), sumX: new Float64Array(s.sumX.length), sumXX: new Float64Array(s.sumXX.length) };
    return stepwiseUpdateInto(s, batch, stepSize(this.t + 1, schedule), this.spare);
  }

  /** Makes the last `next` the running statistics (its arrays become the spare ones for the update after). */
  commit(): void {
    const done = this.stats;
    this.stats = this.spare!;
    this.spare = done;
    this.t += 1;
  }
}

/**
 * The history with one more value, appended in place: the fitted state owns its history (the
 * getter hands out copies), and a copy per call would make a stream of t batches cost O(t²).
 * Called only once nothing can throw any more, so a failed partialFit leaves the history as it was.
 */
export function appended(history: number[], value: number): number[] {
  history.push(value);
  return history;
}
