/**
 * The rows with missing entries, for the E-step and the statistics of EM for incomplete data
 * (Ghahramani & Jordan 1994). The E-step scores each row on its observed features,
 * log w_k N(x_o | μ_k,o, Σ_k,oo), from the precision Λ_k = Σ_k⁻¹ = P_k P_kᵀ (P_k the model's
 * precision factor) rather than from a factorisation of Σ_k,oo, which would cost O(D³) per
 * missingness pattern and component, and rows of rare patterns each have a pattern of their own:
 * with o observed and m missing, the conditional of x_m given x_o is N(μ_m − Λ_mm⁻¹ Λ_mo d, Λ_mm⁻¹)
 * (d = x_o − μ_o), and with e = (d, −Λ_mm⁻¹ Λ_mo d), the full residual completed by that
 * conditional mean, the marginal's Mahalanobis term dᵀ Σ_oo⁻¹ d is eᵀ Λ e = ‖Pᵀ e‖² (the minimum
 * of (x − μ)ᵀ Λ (x − μ) over x_m: a sum of squares, as for a complete row) and
 * log |Σ_oo| = log |Σ| + log |Λ_mm|. Per pattern and component only Λ_mm (Dm × Dm) is factored;
 * per row, O(D² + Dm·Do) as for a complete row. The statistics use, per
 * component, the row completed by its conditional mean x̂_k = (x_o, E_k[x_m | x_o]) and add the
 * conditional covariance S_k to the missing block of the scatter:
 *
 *   Σ_n r_nk x̂_nk,   Σ_n r_nk [(x̂_nk − m_k)(x̂_nk − m_k)ᵀ + S_k(n)]
 *
 * which are E[Σ r x] and E[Σ r (x − m)(x − m)ᵀ] under the posterior of the missing entries, so
 * the M-step of complete data maximises the expected complete log-likelihood and the observed-data
 * log-likelihood never decreases. For the variational mixture the same holds with the posterior's
 * covariances W⁻¹/ν: q(x_m | z) is then the conditional Gaussian of N(m_k, (νW)⁻¹), and the entropy
 * of q(z, x_m) replaces that of q(z) in the bound.
 *
 * Computed in plain TypeScript, in the frame of the whole data set (centre.ts), with the same
 * interface as the engines for the rows it holds; engine-missing.ts joins it to the engine of the
 * complete rows. It is the reference engine's path; on the wasm engine a subclass computes the
 * same on the wasm kernels in blocks of rows (incomplete-wasm.ts).
 */
import { ValueError } from '../runtime/errors.js';
import { SOFTMAX_FLUSH_F64 } from '../reference/special.js';
import type { Matrix } from '../runtime/matrix.js';
import { centreInto, centreMeans } from './centre.js';
import { choleskyLower, solveLower, solveLowerTransposed } from './conditional.js';
import { checkCentres, statsFromCentred, type MixtureEngine } from './engine.js';
import { logDetCholesky, precisionsFromCholesky } from './gaussian.js';
import { missingPatterns, type MissingPattern } from './missing.js';
import { componentMeans, shiftDiagScatter, shiftFullScatter } from './scatter.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';
import { totalWeight, weightedRespEntropy } from './weights.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The parameters as the rows are scored, once per E-step (frame of the data; one precision for tied). */
interface RowModel {
  /** The centred means (K × D). */
  mu: Float64Array;
  logW: Float64Array;
  /**
   * Full and tied: per component (one for tied), P (D × D) and Λ = P Pᵀ (D × D), and log |P|;
   * `upper[c]` when P_c is upper triangular (the M-step's factors; precisionsInit's are lower).
   */
  factor: Float64Array[];
  precision: Float64Array[];
  upper: boolean[];
  logDetFactor: Float64Array;
  /** Diag and spherical: per component and feature, the variance (K × D). */
  variance: Float64Array;
}

/**
 * Per missingness pattern and component, the terms that do not depend on the row: one set of
 * arrays per IncompleteRows, rewritten for each pattern (the rows of a pattern are done before
 * the next pattern's model is made).
 */
interface PatternModel {
  /** log w_k − ½ Do log 2π − ½ log |Σ_k,oo|. */
  bias: Float64Array;
  /** Full and tied: the lower Cholesky factor C_k of Λ_k,mm (Dm × Dm at k·Dm², for tied at 0). */
  chol: Float64Array;
  /** S_k = Λ_k,mm⁻¹, the covariance of x_m given x_o (Dm × Dm at k·Dm²), and ½ log |S_k|. */
  condCov: Float64Array;
  halfLogDetCond: Float64Array;
}

export class IncompleteRows implements MixtureEngine {
  readonly n: number;
  protected readonly D: number;
  protected readonly K: number;
  protected readonly type: CovarianceType;
  protected readonly origin: Float64Array;
  /** The rows minus the origin, NaN where missing (n × D). */
  protected readonly x: Float64Array;
  protected readonly patterns: MissingPattern[];
  protected readonly w: Float64Array | undefined;
  protected readonly count: number;
  /** Stored responsibilities, w_n r_nk (n × K). */
  protected readonly resp: Float64Array;
  /** The parameters of the last E-step (null after setResponsibilities): what stats() completes the rows with. */
  protected last: GaussianParams | null = null;
  // Per-row scratch: the responsibilities of one row, its completed entries per component (K × D,
  // the missing ones), x̂, the full residual e and Λ_mm⁻¹ Λ_mo d.
  private readonly r: Float64Array;
  private readonly xm: Float64Array;
  private readonly xhat: Float64Array;
  private readonly e: Float64Array;
  private readonly v: Float64Array;
  private readonly pe: Float64Array;
  private readonly pm: PatternModel;

  /**
   * @param X the incomplete rows in the user's coordinates (at least one NaN each is not required)
   * @param origin the frame's origin (the whole data set's)
   */
  constructor(X: Matrix, origin: Float64Array, type: CovarianceType, K: number, sampleWeight?: Float64Array) {
    this.n = X.rows;
    this.D = X.cols;
    this.K = K;
    this.type = type;
    this.origin = origin;
    this.w = sampleWeight;
    this.count = totalWeight(sampleWeight, X.rows);
    this.x = centreInto(X, origin, new Float64Array(X.rows * X.cols));
    this.patterns = missingPatterns(X);
    this.resp = new Float64Array(this.n * K);
    this.r = new Float64Array(K);
    this.xm = new Float64Array(K * this.D);
    this.xhat = new Float64Array(this.D);
    this.e = new Float64Array(this.D);
    this.v = new Float64Array(this.D);
    this.pe = new Float64Array(this.D);
    const DD = this.D * this.D;
    this.pm = { bias: new Float64Array(K), chol: new Float64Array(K * DD), condCov: new Float64Array(K * DD), halfLogDetCond: new Float64Array(K) };
  }

  /** E-step: stores w r, writes log p(x_o) per row into `logProbNorm` (when given), returns Σ w log p(x_o). */
  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    this.last = params;
    const { K } = this;
    const rm = this.rowModel(params);
    let total = 0;
    for (const p of this.patterns) {
      const pm = this.patternModel(rm, p);
      for (const i of p.rows) {
        const lse = this.rowResponsibilities(i, p, pm, rm);
        if (logProbNorm) logProbNorm[i] = lse;
        const wi = this.w ? this.w[i] : 1;
        if (wi > 0) total += wi * lse;
        for (let k = 0; k < K; k++) this.resp[i * K + k] = wi * this.r[k];
      }
    }
    return checkTotal(total);
  }

  /**
   * The E-step and the expected statistics of complete data: per component, the rows completed by
   * their conditional means, scattered about fixed centres (the E-step's means) in one pass, then
   * shifted to the new means; when the shift would lose too many digits, a second pass about the
   * new means. With `withEntropy`, Σ w r log r minus Σ w r H[q(x_m | z)].
   */
  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const mu = centreMeans(params.means, this.origin);
    let acc = this.accumulate(params, mu, withEntropy);
    if (!acc.exact) acc = this.accumulate(params, componentMeans(acc.sumX, acc.sumResp, this.D), withEntropy);
    const stats = statsFromCentred(this.type, this.count, acc.logLik, acc.sumResp, acc.sumX, acc.sumXX, this.origin);
    return { stats, sumRespLogResp: withEntropy ? acc.sumRLogR : NaN };
  }

  /**
   * Statistics of the stored responsibilities: after an E-step, those of eStepStats under its
   * parameters; after setResponsibilities (the initialisation, with no parameters yet), the rows
   * completed by the observed column means (0 in the frame) without a conditional covariance.
   */
  stats(logLik: number): SufficientStats {
    if (this.last) return { ...this.eStepStats(this.last).stats, logLik };
    const { n, K, D, x, resp } = this;
    const sumResp = new Float64Array(K), sumX = new Float64Array(K * D);
    const filled = (i: number, d: number) => (x[i * D + d] === x[i * D + d] ? x[i * D + d] : 0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const rk = resp[i * K + k];
        if (rk === 0) continue;
        sumResp[k] += rk;
        for (let d = 0; d < D; d++) sumX[k * D + d] += rk * filled(i, d);
      }
    }
    const m = componentMeans(sumX, sumResp, D);
    const diagonal = this.type === 'diag' || this.type === 'spherical';
    const S = new Float64Array(diagonal ? K * D : K * D * D);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const rk = resp[i * K + k];
        if (rk === 0) continue;
        for (let a = 0; a < D; a++) {
          const da = filled(i, a) - m[k * D + a];
          if (diagonal) S[k * D + a] += rk * da * da;
          else for (let b = 0; b < D; b++) S[k * D * D + a * D + b] += rk * da * (filled(i, b) - m[k * D + b]);
        }
      }
    }
    return statsFromCentred(this.type, this.count, logLik, sumResp, sumX, this.type === 'tied' ? sumOverComponents(S, K, D) : S, this.origin);
  }

  /**
   * stats(logLik): after an E-step, stats accumulates about that E-step's means already
   * (eStepStats); these rows are few (the rare missingness patterns), so other centres would
   * gain nothing.
   */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats {
    checkCentres(centres, this.K, this.D);
    return this.stats(logLik);
  }

  /** Σ_n w_n Σ_k r_nk log r_nk of the stored responsibilities. */
  sumRespLogResp(): number {
    return weightedRespEntropy(this.resp, this.w, this.n, this.K);
  }

  setResponsibilities(resp: Float64Array): void {
    this.last = null;
    const { n, K } = this;
    for (let i = 0; i < n; i++) {
      const wi = this.w ? this.w[i] : 1;
      for (let k = 0; k < K; k++) this.resp[i * K + k] = wi === 0 ? 0 : wi * resp[i * K + k];
    }
  }

  responsibilities(): Float64Array {
    return this.resp.slice();
  }

  release(): void {}

  /**
   * E[x | x_o] under the mixture: writes Σ_k p(k | x_o) E_k[x_m | x_o] (in the user's
   * coordinates) into the missing entries of `out` (n × D, the rows as given; observed entries
   * are left as they are).
   */
  impute(params: GaussianParams, out: Float64Array): void {
    const { K, D } = this;
    const rm = this.rowModel(params);
    for (const p of this.patterns) {
      const pm = this.patternModel(rm, p);
      for (const i of p.rows) {
        this.rowResponsibilities(i, p, pm, rm);
        for (const d of p.mis) out[i * D + d] = 0;
        for (let k = 0; k < K; k++) for (const d of p.mis) out[i * D + d] += this.r[k] * this.xm[k * D + d];
        for (const d of p.mis) out[i * D + d] += this.origin[d];
      }
    }
  }

  /** The parameters as rowResponsibilities reads them (see RowModel). */
  private rowModel(params: GaussianParams): RowModel {
    const { K, D, type } = this;
    const pc = params.precisionsCholesky;
    const logW = params.logWeights ?? params.weights.map(Math.log);
    const mu = centreMeans(params.means, this.origin);
    const factor: Float64Array[] = [], precision: Float64Array[] = [], upper: boolean[] = [];
    let variance = new Float64Array(0);
    if (type === 'full' || type === 'tied') {
      const count = type === 'tied' ? 1 : K;
      const lambda = precisionsFromCholesky(pc, type, K, D);
      for (let c = 0; c < count; c++) {
        const P = pc.subarray(c * D * D, (c + 1) * D * D);
        let zeroBelow = true;
        for (let j = 1; j < D && zeroBelow; j++) for (let t = 0; t < j; t++) if (P[j * D + t] !== 0) zeroBelow = false;
        factor.push(P);
        precision.push(lambda.subarray(c * D * D, (c + 1) * D * D));
        upper.push(zeroBelow);
      }
    } else {
      variance = new Float64Array(K * D);
      for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) variance[k * D + d] = type === 'diag' ? params.covariances[k * D + d] : params.covariances[k];
    }
    return { mu, logW, factor, precision, upper, logDetFactor: logDetCholesky(pc, type, K, D), variance };
  }

  /** The terms of pattern p that do not depend on the row (see PatternModel), in this.pm. */
  private patternModel(rm: RowModel, p: MissingPattern): PatternModel {
    const { K, D, type, pm } = this;
    const { obs, mis } = p;
    const Do = obs.length, Dm = mis.length, mm = Dm * Dm;
    const { bias, chol, condCov, halfLogDetCond } = pm;
    if (type === 'diag' || type === 'spherical') {
      for (let k = 0; k < K; k++) {
        let halfLogDetObs = 0, halfLogDetMis = 0;
        for (let j = 0; j < Do; j++) halfLogDetObs += 0.5 * Math.log(rm.variance[k * D + obs[j]]);
        condCov.fill(0, k * mm, (k + 1) * mm);
        for (let a = 0; a < Dm; a++) {
          const v = rm.variance[k * D + mis[a]];
          condCov[k * mm + a * Dm + a] = v;
          halfLogDetMis += 0.5 * Math.log(v);
        }
        bias[k] = rm.logW[k] - Do * HALF_LOG_2PI - halfLogDetObs;
        halfLogDetCond[k] = halfLogDetMis;
      }
      return pm;
    }
    const col = this.v;
    for (let c = 0; c < rm.precision.length; c++) {
      const lambda = rm.precision[c], o = c * mm;
      for (let a = 0; a < Dm; a++) for (let b = 0; b < Dm; b++) chol[o + a * Dm + b] = lambda[mis[a] * D + mis[b]];
      // ½ log |Λ_mm| (= −½ log |S|); its factor solves Λ_mm v = Λ_mo d per row and gives S = Λ_mm⁻¹.
      halfLogDetCond[c] = Dm > 0 ? -choleskyLower(chol, Dm, o) : 0;
      for (let b = 0; b < Dm; b++) {
        col.fill(0, 0, Dm);
        col[b] = 1;
        solveLower(chol, col, Dm, o);
        solveLowerTransposed(chol, col, Dm, o);
        for (let a = 0; a < Dm; a++) condCov[o + a * Dm + b] = col[a];
      }
    }
    // Tied: one precision, the same terms for every component.
    for (let k = rm.precision.length; k < K; k++) {
      chol.copyWithin(k * mm, 0, mm);
      condCov.copyWithin(k * mm, 0, mm);
      halfLogDetCond[k] = halfLogDetCond[0];
    }
    // −½ log |Σ_oo| = log |P| − ½ log |Λ_mm|; a row with nothing observed has density 1 under every component.
    for (let k = 0; k < K; k++) bias[k] = Do === 0 ? rm.logW[k] : rm.logW[k] - Do * HALF_LOG_2PI + rm.logDetFactor[k] + halfLogDetCond[k];
    return pm;
  }

  /**
   * Row i's responsibilities into this.r and, per component, its missing entries completed by the
   * conditional mean into this.xm (K × D, frame of the data); returns log p(x_o) (the log-sum-exp).
   */
  private rowResponsibilities(i: number, p: MissingPattern, pm: PatternModel, rm: RowModel): number {
    const { K, D, x, r, xm, e, v, pe } = this;
    const { obs, mis } = p;
    const Do = obs.length, Dm = mis.length;
    const diagonal = this.type === 'diag' || this.type === 'spherical';
    const mu = rm.mu;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const o = k * D;
      let q = 0;
      if (diagonal) {
        for (let j = 0; j < Do; j++) {
          const d = obs[j], t = x[i * D + d] - mu[o + d];
          q += (t * t) / rm.variance[o + d];
        }
        for (let a = 0; a < Dm; a++) xm[o + mis[a]] = mu[o + mis[a]];
      } else {
        const c = this.type === 'tied' ? 0 : k;
        const lambda = rm.precision[c], P = rm.factor[c];
        for (let j = 0; j < Do; j++) e[obs[j]] = x[i * D + obs[j]] - mu[o + obs[j]];
        if (Dm > 0) {
          // v = Λ_mm⁻¹ Λ_mo d: x̂_m = μ_m − v, and e_m = −v.
          for (let a = 0; a < Dm; a++) {
            let t = 0;
            for (let j = 0; j < Do; j++) t += lambda[mis[a] * D + obs[j]] * e[obs[j]];
            v[a] = t;
          }
          solveLower(pm.chol, v, Dm, k * Dm * Dm);
          solveLowerTransposed(pm.chol, v, Dm, k * Dm * Dm);
          for (let a = 0; a < Dm; a++) {
            e[mis[a]] = -v[a];
            xm[o + mis[a]] = mu[o + mis[a]] - v[a];
          }
        }
        // ‖Pᵀ e‖², (Pᵀ e)_t = Σ_j P[j, t] e_j summed row by row of P (contiguous); an upper
        // triangular P has P[j, t] = 0 for t < j.
        pe.fill(0);
        const lower = !rm.upper[c];
        for (let j = 0; j < D; j++) {
          const ej = e[j], row = j * D;
          for (let t = lower ? 0 : j; t < D; t++) pe[t] += P[row + t] * ej;
        }
        for (let t = 0; t < D; t++) q += pe[t] * pe[t];
      }
      r[k] = pm.bias[k] - 0.5 * q;
      if (r[k] > max) max = r[k];
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(r[k] - max);
    const lse = max + Math.log(s);
    for (let k = 0; k < K; k++) r[k] = r[k] - max < SOFTMAX_FLUSH_F64 ? 0 : Math.exp(r[k] - lse);
    return lse;
  }

  /** this.xhat ← row i completed under component k: x_o, and the conditional mean of x_m (from this.xm of the row). */
  private completeRow(i: number, p: MissingPattern, k: number): void {
    const { D, x, xhat, xm } = this;
    for (const d of p.obs) xhat[d] = x[i * D + d];
    for (const d of p.mis) xhat[d] = xm[k * D + d];
  }

  /**
   * One pass: E-step, and per component Σ w r, Σ w r x̂ and the scatter of x̂ about `centres`
   * (K × D, in the frame) plus Σ w r S_k on the missing block, shifted to the new means.
   */
  private accumulate(params: GaussianParams, centres: Float64Array, withEntropy: boolean): {
    logLik: number; sumResp: Float64Array; sumX: Float64Array; sumXX: Float64Array; sumRLogR: number; exact: boolean;
  } {
    this.last = params;
    const { K, D, type, xhat } = this;
    const diagonal = type === 'diag' || type === 'spherical';
    const rm = this.rowModel(params);
    const dev = this.pe; // x̂ − c of one row and component (the E-step's scratch, free here)
    const sumResp = new Float64Array(K), sumX = new Float64Array(K * D);
    const s1 = new Float64Array(diagonal ? K * D : 0);
    const M2 = new Float64Array(diagonal ? K * D : K * D * D);
    const mass = new Float64Array(K);
    let logLik = 0, sumRLogR = 0;
    for (const p of this.patterns) {
      const pm = this.patternModel(rm, p);
      mass.fill(0);
      for (const i of p.rows) {
        const lse = this.rowResponsibilities(i, p, pm, rm);
        const wi = this.w ? this.w[i] : 1;
        for (let k = 0; k < K; k++) this.resp[i * K + k] = wi * this.r[k];
        if (wi === 0) continue;
        logLik += wi * lse;
        for (let k = 0; k < K; k++) {
          const rk = wi * this.r[k];
          if (rk === 0) continue;
          if (withEntropy) sumRLogR += rk * Math.log(this.r[k]);
          sumResp[k] += rk;
          mass[k] += rk;
          this.completeRow(i, p, k);
          for (let a = 0; a < D; a++) {
            const da = xhat[a] - centres[k * D + a];
            dev[a] = da;
            sumX[k * D + a] += rk * xhat[a];
            if (diagonal) {
              s1[k * D + a] += rk * da;
              M2[k * D + a] += rk * da * da;
            } else {
              const o = k * D * D + a * D, rda = rk * da;
              for (let b = 0; b <= a; b++) M2[o + b] += rda * dev[b];
            }
          }
        }
      }
      // E[(x − c)(x − c)ᵀ] adds the conditional covariance S_k on the missing block (lower triangle).
      const mis = p.mis, Dm = mis.length;
      for (let k = 0; k < K; k++) {
        if (mass[k] === 0 || Dm === 0) continue;
        const S = pm.condCov, so = k * Dm * Dm;
        if (withEntropy) sumRLogR -= mass[k] * (0.5 * Dm * (1 + 2 * HALF_LOG_2PI) + pm.halfLogDetCond[k]);
        for (let a = 0; a < Dm; a++) {
          if (diagonal) M2[k * D + mis[a]] += mass[k] * S[so + a * Dm + a];
          else for (let b = 0; b <= a; b++) M2[k * D * D + mis[a] * D + mis[b]] += mass[k] * S[so + a * Dm + b];
        }
      }
    }
    checkTotal(logLik);
    if (diagonal) {
      const shifted = shiftDiagScatter(s1, M2, sumResp, centres, K, D);
      return { logLik, sumResp, sumX, sumXX: shifted.sumXX, sumRLogR, exact: shifted.exact };
    }
    const { exact } = shiftFullScatter(M2, sumResp, sumX, centres, K, D);
    return { logLik, sumResp, sumX, sumXX: type === 'tied' ? sumOverComponents(M2, K, D) : M2, sumRLogR, exact };
  }
}

/** Σ_k of K blocks of D × D: the tied scatter. */
export function sumOverComponents(S: Float64Array, K: number, D: number): Float64Array {
  const W = new Float64Array(D * D);
  for (let k = 0; k < K; k++) for (let i = 0; i < D * D; i++) W[i] += S[k * D * D + i];
  return W;
}

/** The total log-likelihood, checked finite. @throws ValueError naming regCovar and the data's scale */
export function checkTotal(total: number): number {
  if (!Number.isFinite(total)) {
    throw new ValueError(`the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar or check the data's scale`);
  }
  return total;
}
