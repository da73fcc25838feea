/** Exports of assembly/incomplete.ts (rows with missing entries; f64). Pointers are byte offsets into wasm memory; misStart and misIdx hold i32. */
export interface IncompleteKernels {
  /**
   * Per row n and component k: out[n,k] = log w_k N(x_o | μ_k,o, Σ_k,oo), the completed row x̂_nk into xhat at (k·rows + n)·D,
   * S_nk = Λ_k,mm⁻¹ (lower triangle) into cond at K·Σ_{n' < n} Dm_n'² + k·Dm², ½ log |S_nk| into halfLogDetS[n,k].
   * proj = x̃·P_all (rows × K·D; shared ≠ 0: rows × D, P_all D × D), c_k = P_kᵀ μ_k, mu (K × D), lambda Λ_k (K × D × D or D × D),
   * logW, logDetP (K), misStart (rows + 1 offsets into misIdx), x = x̃ (rows × D, 0 where missing), g ((K + 3)·D scratch).
   * Returns 0, or n + 1 for the first row whose Λ_k,mm is not positive definite.
   */
  incompleteLogProbF64(proj: number, pAll: number, c: number, mu: number, lambda: number, logW: number, logDetP: number,
    misStart: number, misIdx: number, x: number, out: number, xhat: number, cond: number, halfLogDetS: number, g: number,
    rows: number, K: number, D: number, shared: number): number;
  /**
   * Adds, per component k, Σ ρ_nk to sumResp, Σ ρ x̂_nk to sumX (K × D) and to the lower triangle of scatter (K × D × D)
   * Σ ρ [(x̂_nk − c_k)(x̂_nk − c_k)ᵀ + S_nk on the missing block], ρ = w_n r_nk (w = 0: unweighted); z (rows × D rounded up
   * to 4) and rho (rows) are scratch. Returns Σ ρ (log r − H[N(S_nk)]) when entropy ≠ 0, else 0.
   */
  incompleteScatterF64(xhat: number, resp: number, w: number, centres: number, cond: number, misStart: number, misIdx: number,
    halfLogDetS: number, sumResp: number, sumX: number, scatter: number, z: number, rho: number, rows: number, K: number, D: number, entropy: number): number;
  /**
   * Diag and spherical: out[n,k] = log w_k − ½ Σ_{d observed} (log 2π + log σ²_kd + (x_d − μ_kd)²/σ²_kd) (log w_k when nothing is
   * observed), the completed row x̂_nk into xhat at (k·rows + n)·D and ½ Σ_{d missing} log σ²_kd into halfLogDetS[n,k].
   * meansT, precT (1/σ²), logVarT (log σ²): D × ldk (ldk ≥ K even); logW: ldk; acc: 3·ldk scratch.
   */
  incompleteDiagLogProbF64(x: number, meansT: number, precT: number, logVarT: number, logW: number, misStart: number, misIdx: number,
    out: number, xhat: number, halfLogDetS: number, acc: number, rows: number, K: number, D: number, ldk: number): void;
  /**
   * Diag and spherical: adds per component Σ ρ to sumResp, Σ ρ (x̂ − c) to s1 and Σ ρ ((x̂ − c)² + σ² at the missing entries)
   * to s2 (K × D), ρ = w_n r_nk (w = 0: unweighted); variance σ² (K × D); rho: rows scratch. Returns
   * Σ ρ (log r − H[N(S_nk)]) when entropy ≠ 0, else 0.
   */
  incompleteDiagScatterF64(xhat: number, resp: number, w: number, centres: number, variance: number, misStart: number, misIdx: number,
    halfLogDetS: number, sumResp: number, s1: number, s2: number, rho: number, rows: number, K: number, D: number, entropy: number): number;
  /**
   * Tied: adds to gram (D × D) what the missing entries add to the Gram matrix Σ w x̃ x̃ᵀ to make it Σ_n Σ_k ρ_nk E[x xᵀ | x_o, k]
   * (w (x̃ ūᵀ + ū x̃ᵀ) and w (Σ_k r_k u_k u_kᵀ + S) on the missing entries, u_k the completed entries, ū = Σ_k r_k u_k), and as
   * incompleteScatterF64 Σρ to sumResp and Σρ x̂ to sumX; rho: rows scratch. Returns the entropy as incompleteScatterF64.
   */
  incompleteTiedGramF64(x: number, xhat: number, resp: number, w: number, cond: number, misStart: number, misIdx: number,
    halfLogDetS: number, sumResp: number, sumX: number, gram: number, rho: number, rows: number, K: number, D: number, entropy: number): number;
}
