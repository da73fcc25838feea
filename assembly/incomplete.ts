// Gaussian-mixture kernels for rows with missing entries (EM for incomplete data; the maths is in
// src/mixture/incomplete.ts): the log-densities of the observed part of each row with its
// missing part completed per component by the conditional mean, and the statistics of the
// completed rows. f64 only, as the statistics of every engine are.
//
// A row holds x̃ (the data in the engine's frame, 0 at its missing entries m) and the list of m.
// With Λ = P Pᵀ a component's precision, z = Pᵀ (x̃ − μ) (one GEMM for every row and component,
// y = x̃·P_all, then z = y − c with c = Pᵀ μ) and g = P_m,: z = Λ_m,: (x̃ − μ), the conditional
// mean of x_m given x_o is x̂_m = −Λ_mm⁻¹ g, and the residual completed by it is
// x̂ − μ = (x̃ − μ) + E_m x̂_m, so Pᵀ (x̂ − μ) = z + P_m,:ᵀ x̂_m: the Mahalanobis term of the
// marginal, (x_o − μ_o)ᵀ Σ_oo⁻¹ (x_o − μ_o), is ‖z + P_m,:ᵀ x̂_m‖², a sum of squares as for a
// complete row, for O(Dm·D) per row and component beyond the GEMM.
import { cholesky } from './linalg/cholesky';
import { gemvT } from './linalg/gemv';
import { axpy, dot } from './linalg/vector';
import { diagScatterBlock, scatterBlock } from './scatter';

/** ½ log 2π. */
const HALF_LOG_2PI: f64 = 0.9189385332046728;

/**
 * In place: the lower triangle of a (n × n) holding the Cholesky factor C of A = C Cᵀ becomes
 * the lower triangle of A⁻¹ = Wᵀ W, W = C⁻¹ (LAPACK's potri: trtri, then lauum). W column by
 * column from the last (the trailing block already inverted times the original column below the
 * diagonal); then (Wᵀ W)_ab = Σ_{c ≥ a} W_ca W_cb for b ≤ a, row a from the top, which reads only
 * rows c ≥ a of W and, within row a, W_aa and W_ab before they are overwritten.
 */
@inline
function inverseFromCholesky(a: usize, n: i32): void {
  const ld = <usize>n << 3;
  for (let j = n - 1; j >= 0; j--) {
    const pjj = a + <usize>j * ld + (<usize>j << 3);
    const wjj = 1 / load<f64>(pjj);
    store<f64>(pjj, wjj);
    for (let i = n - 1; i > j; i--) {
      let s = 0.0;
      for (let t = j + 1; t <= i; t++) s += load<f64>(a + <usize>i * ld + (<usize>t << 3)) * load<f64>(a + <usize>t * ld + (<usize>j << 3));
      store<f64>(a + <usize>i * ld + (<usize>j << 3), -wjj * s);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0.0;
      for (let t = i; t < n; t++) s += load<f64>(a + <usize>t * ld + (<usize>i << 3)) * load<f64>(a + <usize>t * ld + (<usize>j << 3));
      store<f64>(a + <usize>i * ld + (<usize>j << 3), s);
    }
  }
}

/** Whether row n's missing list (from misStart[n], dm long) equals row n − 1's. */
@inline
function samePattern(misStart: usize, misIdx: usize, n: i32, dm: i32): bool {
  if (n == 0) return false;
  const p0 = load<i32>(misStart + (<usize>(n - 1) << 2));
  const p1 = load<i32>(misStart + (<usize>n << 2));
  if (p1 - p0 != dm) return false;
  for (let a = 0; a < dm; a++) {
    if (load<i32>(misIdx + (<usize>(p0 + a) << 2)) != load<i32>(misIdx + (<usize>(p1 + a) << 2))) return false;
  }
  return true;
}

/**
 * Per row n of a block and component k: out[n,k] = log w_k N(x_o | μ_k,o, Σ_k,oo) (the observed
 * entries' marginal; log w_k when nothing is observed), the completed row x̂_nk (x̃ with x̂_m at
 * its missing entries; μ_k when nothing is observed) into xhat at (k·rows + n)·D, the
 * conditional covariance S_nk = Λ_k,mm⁻¹ (lower triangle, Dm × Dm) into cond and ½ log |S_nk|
 * into halfLogDetS[n,k].
 *
 * proj: y = x̃·P_all, rows × K·D, with P_all (D × K·D) holding P_k in columns k·D … k·D + D − 1
 * (shared ≠ 0, tied: one P for every component, proj rows × D and P_all D × D); c: K × D,
 * c_k = P_kᵀ μ_k; mu: K × D; lambda: Λ_k = P_k P_kᵀ (K × D × D, or D × D when shared); logW, logDetP: log w_k and log |P_k| (K); misStart: rows + 1 i32 offsets into
 * misIdx (i32 feature indices, ascending per row); x: x̃, rows × D; cond: the rows' S one after
 * the other, row n's at K·Σ_{n' < n} Dm_n'² (then k·Dm²); g: (K + 3)·D values of scratch.
 * Shared: g = P_m,: y − (P c_k)_m, with P y once per row and P c_k once per call.
 * A row with the same missing features as the row before reuses its S (rows grouped by pattern
 * factor Λ_mm once per pattern and component).
 * Returns 0, or n + 1 for the first row n whose Λ_k,mm is not positive definite.
 */
export function incompleteLogProbF64(proj: usize, pAll: usize, c: usize, mu: usize, lambda: usize, logW: usize, logDetP: usize,
  misStart: usize, misIdx: usize, x: usize, out: usize, xhat: usize, cond: usize, halfLogDetS: usize, g: usize,
  rows: i32, K: i32, D: i32, shared: i32): i32 {
  const D8 = <usize>D << 3;
  const DD8 = <usize>D * D8;
  const ld = shared ? D8 : <usize>K * D8;
  const u = g + D8, py = g + 2 * D8, pc = g + 3 * D8;
  if (shared) for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) store<f64>(pc + <usize>k * D8 + (<usize>i << 3), dot<f64>(pAll + <usize>i * ld, c + <usize>k * D8, D));
  let condOff: usize = 0, prevCond: usize = 0;
  for (let n = 0; n < rows; n++) {
    const s0 = load<i32>(misStart + (<usize>n << 2));
    const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - s0;
    const mis = misIdx + (<usize>s0 << 2);
    const mm8 = <usize>(dm * dm) << 3;
    const same = samePattern(misStart, misIdx, n, dm);
    const xr = x + <usize>n * D8;
    const rowCond = cond + condOff;
    for (let k = 0; k < K; k++) {
      const ck = shared ? 0 : k;
      // Row i of P_k at P + i·ld.
      const P = pAll + <usize>ck * D8;
      const z = xhat + <usize>(k * rows + n) * D8;
      const hl = halfLogDetS + (<usize>(n * K + k) << 3);
      const S = rowCond + <usize>k * mm8;
      // z = y − c_k = P_kᵀ (x̃ − μ_k)
      const y = proj + <usize>n * ld + <usize>ck * D8;
      const cr = c + <usize>k * D8;
      let j = 0;
      for (; j + 2 <= D; j += 2) {
        const o = <usize>j << 3;
        v128.store(z + o, f64x2.sub(v128.load(y + o), v128.load(cr + o)));
      }
      for (; j < D; j++) store<f64>(z + (<usize>j << 3), load<f64>(y + (<usize>j << 3)) - load<f64>(cr + (<usize>j << 3)));
      const base = load<f64>(logW + (<usize>k << 3));
      if (dm == 0) {
        store<f64>(out + (<usize>(n * K + k) << 3), base + load<f64>(logDetP + (<usize>k << 3)) - <f64>D * HALF_LOG_2PI - 0.5 * dot<f64>(z, z, D));
        store<f64>(hl, 0);
        memory.copy(z, xr, D8);
        continue;
      }
      let h: f64;
      if (same) {
        memory.copy(S, prevCond + <usize>k * mm8, mm8);
        h = load<f64>(hl - (<usize>K << 3));
      } else if (shared && k > 0) {
        memory.copy(S, rowCond, mm8);
        h = load<f64>(halfLogDetS + (<usize>(n * K) << 3));
      } else {
        // Λ_mm (lower triangle), factored: ½ log |S| = −Σ log C_aa; then S = Λ_mm⁻¹ in place.
        const L = lambda + <usize>ck * DD8;
        const lds = <usize>dm << 3;
        for (let a = 0; a < dm; a++) {
          const ra = L + <usize>load<i32>(mis + (<usize>a << 2)) * D8;
          for (let b = 0; b <= a; b++) store<f64>(S + <usize>a * lds + (<usize>b << 3), load<f64>(ra + (<usize>load<i32>(mis + (<usize>b << 2)) << 3)));
        }
        if (cholesky<f64>(S, dm) != 0) return n + 1;
        h = 0;
        for (let a = 0; a < dm; a++) h -= Math.log(load<f64>(S + <usize>a * lds + (<usize>a << 3)));
        inverseFromCholesky(S, dm);
      }
      store<f64>(hl, h);
      // g = P_m,: z; x̂_m = u = −S g (S symmetric, its lower triangle stored).
      if (shared) {
        if (k == 0) for (let a = 0; a < dm; a++) store<f64>(py + (<usize>a << 3), dot<f64>(P + <usize>load<i32>(mis + (<usize>a << 2)) * ld, y, D));
        const pck = pc + <usize>k * D8;
        for (let a = 0; a < dm; a++) store<f64>(g + (<usize>a << 3), load<f64>(py + (<usize>a << 3)) - load<f64>(pck + (<usize>load<i32>(mis + (<usize>a << 2)) << 3)));
      } else {
        for (let a = 0; a < dm; a++) store<f64>(g + (<usize>a << 3), dot<f64>(P + <usize>load<i32>(mis + (<usize>a << 2)) * ld, z, D));
      }
      const lds = <usize>dm << 3;
      for (let a = 0; a < dm; a++) {
        let s = 0.0;
        for (let b = 0; b <= a; b++) s += load<f64>(S + <usize>a * lds + (<usize>b << 3)) * load<f64>(g + (<usize>b << 3));
        for (let b = a + 1; b < dm; b++) s += load<f64>(S + <usize>b * lds + (<usize>a << 3)) * load<f64>(g + (<usize>b << 3));
        store<f64>(u + (<usize>a << 3), -s);
      }
      // Pᵀ (x̂ − μ) = z + P_m,:ᵀ x̂_m, and its squared norm.
      for (let a = 0; a < dm; a++) axpy<f64>(D, load<f64>(u + (<usize>a << 3)), P + <usize>load<i32>(mis + (<usize>a << 2)) * ld, z);
      const q = dot<f64>(z, z, D);
      const lp = dm == D ? base : base + load<f64>(logDetP + (<usize>k << 3)) - <f64>(D - dm) * HALF_LOG_2PI + h - 0.5 * q;
      store<f64>(out + (<usize>(n * K + k) << 3), lp);
      // x̂: x̃ with the conditional means (μ_k itself when nothing is observed).
      memory.copy(z, xr, D8);
      const mk = mu + <usize>k * D8;
      for (let a = 0; a < dm; a++) {
        const o = <usize>load<i32>(mis + (<usize>a << 2)) << 3;
        store<f64>(z + o, dm == D ? load<f64>(mk + o) : load<f64>(u + (<usize>a << 3)));
      }
    }
    prevCond = rowCond;
    condOff += <usize>K * mm8;
  }
  return 0;
}

/**
 * The statistics of a block of completed rows (incompleteLogProbF64's xhat, cond, halfLogDetS),
 * added per component k to sumResp[k] += Σ_n ρ_nk, sumX[k] += Σ_n ρ_nk x̂_nk and the lower
 * triangle of scatter[k] (D × D) += Σ_n ρ_nk [(x̂_nk − c_k)(x̂_nk − c_k)ᵀ + S_nk on the missing
 * block], with ρ_nk = w_n r_nk (w = 0: unweighted, ρ = r). resp: r, rows × K; centres: K × D;
 * z: rows × (D rounded up to 4) scratch, rho: rows scratch. With entropy ≠ 0, returns
 * Σ_n Σ_k ρ_nk (log r_nk − H[N(S_nk)]), H[N(S)] = ½ Dm (1 + log 2π) + ½ log |S| (terms with
 * ρ = 0 left out); else 0.
 */
export function incompleteScatterF64(xhat: usize, resp: usize, w: usize, centres: usize, cond: usize, misStart: usize, misIdx: usize,
  halfLogDetS: usize, sumResp: usize, sumX: usize, scatter: usize, z: usize, rho: usize, rows: i32, K: i32, D: i32, entropy: i32): f64 {
  const D8 = <usize>D << 3;
  const DD8 = <usize>D * D8;
  let ent = 0.0;
  for (let k = 0; k < K; k++) {
    const xk = xhat + <usize>(k * rows) * D8;
    const sk = scatter + <usize>k * DD8;
    ent += componentWeights(resp, w, misStart, halfLogDetS, sumResp, rho, rows, K, k, entropy);
    let condOff: usize = 0;
    for (let n = 0; n < rows; n++) {
      const p = load<f64>(rho + (<usize>n << 3));
      const s0 = load<i32>(misStart + (<usize>n << 2));
      const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - s0;
      const mm = dm * dm;
      if (p != 0 && dm > 0) {
        // E[(x − c)(x − c)ᵀ] adds the conditional covariance on the missing block (mis ascending: lower triangle).
        const S = cond + condOff + (<usize>(k * mm) << 3);
        const mis = misIdx + (<usize>s0 << 2);
        for (let a = 0; a < dm; a++) {
          const row = sk + <usize>load<i32>(mis + (<usize>a << 2)) * D8;
          for (let b = 0; b <= a; b++) {
            const o = row + (<usize>load<i32>(mis + (<usize>b << 2)) << 3);
            store<f64>(o, load<f64>(o) + p * load<f64>(S + (<usize>(a * dm + b) << 3)));
          }
        }
      }
      condOff += <usize>(K * mm) << 3;
    }
    gemvT<f64>(xk, rho, sumX + <usize>k * D8, rows, D, 1);
    scatterBlock<f64>(xk, rho, centres + <usize>k * D8, sk, z, rows, 1, D);
  }
  return ent;
}

/**
 * Component k's weights of a block: rho[n] = ρ_nk = w_n r_nk (w = 0: r_nk), added to sumResp[k];
 * with entropy ≠ 0 returns Σ_n ρ_nk (log r_nk − H[N(S_nk)]) over ρ ≠ 0,
 * H[N(S)] = ½ Dm (1 + log 2π) + ½ log |S| (0 without missing entries); else 0.
 */
@inline
function componentWeights(resp: usize, w: usize, misStart: usize, halfLogDetS: usize, sumResp: usize, rho: usize, rows: i32, K: i32, k: i32, entropy: i32): f64 {
  let ent = 0.0;
  let n0 = load<f64>(sumResp + (<usize>k << 3));
  for (let n = 0; n < rows; n++) {
    const r = load<f64>(resp + (<usize>(n * K + k) << 3));
    const p = w ? load<f64>(w + (<usize>n << 3)) * r : r;
    store<f64>(rho + (<usize>n << 3), p);
    n0 += p;
    if (entropy && p != 0) {
      ent += p * Math.log(r);
      const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - load<i32>(misStart + (<usize>n << 2));
      if (dm > 0) ent -= p * (0.5 * <f64>dm * (1 + 2 * HALF_LOG_2PI) + load<f64>(halfLogDetS + (<usize>(n * K + k) << 3)));
    }
  }
  store<f64>(sumResp + (<usize>k << 3), n0);
  return ent;
}

/**
 * Tied: what the missing entries add to the rows' Gram matrix Σ_n w_n x̃_n x̃_nᵀ (x̃: 0 at the
 * missing entries) to make it Σ_n Σ_k ρ_nk E[x xᵀ | x_o, k]: with u_k = x̂_nk,m (the completed
 * entries under k), ū = Σ_k r_nk u_k and S_n the conditional covariance (one for every k), per row
 * w_n (x̃ ūᵀ + ū x̃ᵀ) on the missing columns and rows and w_n (Σ_k r_nk u_k u_kᵀ + S_n) on the
 * missing block, into gram (D × D, both triangles); and as incompleteScatterF64 Σρ into sumResp,
 * Σρ x̂_nk into sumX and the entropy. The tied scatter is then G − Σ_k (Σρ x̂)(Σρ x̂)ᵀ / Σρ
 * (scatter.ts tiedScatterFromGram): O(D·Dm + K·Dm²) per row instead of K scatters of D².
 * rho: rows scratch.
 */
export function incompleteTiedGramF64(x: usize, xhat: usize, resp: usize, w: usize, cond: usize, misStart: usize, misIdx: usize,
  halfLogDetS: usize, sumResp: usize, sumX: usize, gram: usize, rho: usize, rows: i32, K: i32, D: i32, entropy: i32): f64 {
  const D8 = <usize>D << 3;
  let ent = 0.0;
  for (let k = 0; k < K; k++) {
    ent += componentWeights(resp, w, misStart, halfLogDetS, sumResp, rho, rows, K, k, entropy);
    gemvT<f64>(xhat + <usize>(k * rows) * D8, rho, sumX + <usize>k * D8, rows, D, 1);
  }
  let condOff: usize = 0;
  for (let n = 0; n < rows; n++) {
    const s0 = load<i32>(misStart + (<usize>n << 2));
    const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - s0;
    const mm8 = <usize>(dm * dm) << 3;
    const wn = w ? load<f64>(w + (<usize>n << 3)) : 1.0;
    const S = cond + condOff;
    condOff += <usize>K * mm8;
    if (wn == 0 || dm == 0) continue;
    const mis = misIdx + (<usize>s0 << 2);
    const xr = x + <usize>n * D8;
    for (let a = 0; a < dm; a++) {
      const ma = <usize>load<i32>(mis + (<usize>a << 2));
      let ub = 0.0;
      for (let k = 0; k < K; k++) ub += load<f64>(resp + (<usize>(n * K + k) << 3)) * load<f64>(xhat + <usize>(k * rows + n) * D8 + (ma << 3));
      // Row and column m_a: w ū_a x̃ (x̃ is 0 on the missing entries, so the block is untouched).
      const c = wn * ub;
      axpy<f64>(D, c, xr, gram + ma * D8);
      for (let j = 0; j < D; j++) {
        const o = gram + <usize>j * D8 + (ma << 3);
        store<f64>(o, load<f64>(o) + c * load<f64>(xr + (<usize>j << 3)));
      }
      for (let b = 0; b <= a; b++) {
        const mb = <usize>load<i32>(mis + (<usize>b << 2));
        let v = load<f64>(S + (<usize>(a * dm + b) << 3));
        for (let k = 0; k < K; k++) {
          const u = xhat + <usize>(k * rows + n) * D8;
          v += load<f64>(resp + (<usize>(n * K + k) << 3)) * load<f64>(u + (ma << 3)) * load<f64>(u + (mb << 3));
        }
        const o = gram + ma * D8 + (mb << 3);
        store<f64>(o, load<f64>(o) + wn * v);
        if (b < a) {
          const t = gram + mb * D8 + (ma << 3);
          store<f64>(t, load<f64>(t) + wn * v);
        }
      }
    }
  }
  return ent;
}

/**
 * Diag and spherical (variances σ²_kd): per row n and component k, out[n,k] = log w_k −
 * ½ Σ_{d observed} (log 2π + log σ²_kd + (x_d − μ_kd)²/σ²_kd) (log w_k when nothing is observed),
 * the completed row x̂_nk (x̃ with μ_kd at the missing entries) into xhat at (k·rows + n)·D, and
 * ½ log |S_nk| = ½ Σ_{d missing} log σ²_kd into halfLogDetS[n,k]. meansT, precT (1/σ²) and
 * logVarT (log σ²) are D × ldk (ldk ≥ K even, the padding finite), logW ldk long; acc is
 * 3·ldk values of scratch. Vectorised across components.
 */
export function incompleteDiagLogProbF64(x: usize, meansT: usize, precT: usize, logVarT: usize, logW: usize, misStart: usize, misIdx: usize,
  out: usize, xhat: usize, halfLogDetS: usize, acc: usize, rows: i32, K: i32, D: i32, ldk: i32): void {
  const D8 = <usize>D << 3;
  const ld = <usize>ldk << 3;
  const q = acc, lo = acc + ld, lm = acc + 2 * ld;
  for (let n = 0; n < rows; n++) {
    const s0 = load<i32>(misStart + (<usize>n << 2));
    const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - s0;
    const mis = misIdx + (<usize>s0 << 2);
    const xr = x + <usize>n * D8;
    memory.fill(acc, 0, 3 * ld);
    // Σ over the observed features of (x − μ)²/σ² and of log σ²; over the missing ones, log σ².
    let next = 0;
    for (let d = 0; d < D; d++) {
      const od = <usize>d * ld;
      if (next < dm && load<i32>(mis + (<usize>next << 2)) == d) {
        next++;
        for (let k = 0; k < ldk; k += 2) {
          const o = <usize>k << 3;
          v128.store(lm + o, f64x2.add(v128.load(lm + o), v128.load(logVarT + od + o)));
        }
        continue;
      }
      const xv = f64x2.splat(load<f64>(xr + (<usize>d << 3)));
      for (let k = 0; k < ldk; k += 2) {
        const o = <usize>k << 3;
        const t = f64x2.sub(xv, v128.load(meansT + od + o));
        v128.store(q + o, f64x2.add(v128.load(q + o), f64x2.mul(f64x2.mul(t, t), v128.load(precT + od + o))));
        v128.store(lo + o, f64x2.add(v128.load(lo + o), v128.load(logVarT + od + o)));
      }
    }
    for (let k = 0; k < K; k++) {
      const o = <usize>k << 3;
      const base = load<f64>(logW + o);
      store<f64>(out + (<usize>(n * K + k) << 3), dm == D ? base : base - <f64>(D - dm) * HALF_LOG_2PI - 0.5 * load<f64>(lo + o) - 0.5 * load<f64>(q + o));
      store<f64>(halfLogDetS + (<usize>(n * K + k) << 3), 0.5 * load<f64>(lm + o));
      const z = xhat + <usize>(k * rows + n) * D8;
      memory.copy(z, xr, D8);
      for (let a = 0; a < dm; a++) {
        const d = <usize>load<i32>(mis + (<usize>a << 2));
        store<f64>(z + (d << 3), load<f64>(meansT + d * ld + o));
      }
    }
  }
}

/**
 * Diag and spherical: the statistics of a block of completed rows (incompleteDiagLogProbF64's
 * xhat and halfLogDetS), added per component k to sumResp[k] += Σ_n ρ_nk,
 * s1[k,d] += Σ_n ρ_nk (x̂_nkd − c_kd) and s2[k,d] += Σ_n ρ_nk ((x̂_nkd − c_kd)² + [d missing] σ²_kd),
 * ρ_nk = w_n r_nk (w = 0: unweighted). variance: σ² (K × D); rho: rows scratch. With entropy ≠ 0,
 * returns Σ_n Σ_k ρ_nk (log r_nk − H[N(S_nk)]) over ρ ≠ 0; else 0.
 */
export function incompleteDiagScatterF64(xhat: usize, resp: usize, w: usize, centres: usize, variance: usize, misStart: usize, misIdx: usize,
  halfLogDetS: usize, sumResp: usize, s1: usize, s2: usize, rho: usize, rows: i32, K: i32, D: i32, entropy: i32): f64 {
  const D8 = <usize>D << 3;
  let ent = 0.0;
  for (let k = 0; k < K; k++) {
    const s2k = s2 + <usize>k * D8, vk = variance + <usize>k * D8;
    ent += componentWeights(resp, w, misStart, halfLogDetS, sumResp, rho, rows, K, k, entropy);
    // The conditional variances of the missing entries, row after row.
    for (let n = 0; n < rows; n++) {
      const p = load<f64>(rho + (<usize>n << 3));
      if (p == 0) continue;
      const s0 = load<i32>(misStart + (<usize>n << 2));
      const dm = load<i32>(misStart + (<usize>(n + 1) << 2)) - s0;
      for (let a = 0; a < dm; a++) {
        const o = <usize>load<i32>(misIdx + (<usize>(s0 + a) << 2)) << 3;
        store<f64>(s2k + o, load<f64>(s2k + o) + p * load<f64>(vk + o));
      }
    }
    diagScatterBlock<f64>(xhat + <usize>(k * rows) * D8, rho, centres + <usize>k * D8, s1 + <usize>k * D8, s2k, rows, 1, D);
  }
  return ent;
}
