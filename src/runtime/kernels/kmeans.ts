/**
 * Exports of assembly/kmeans.ts. Pointers are byte offsets into wasm memory; matrices are
 * row-major; `w` is an f64 weight per row or 0 (a null pointer) for unit weights; labels are
 * i32; distances, sums and counts are f64 whatever the element type of X and the centres.
 */
export interface KmeansKernels {
  /** ct ((D + 1) × Kp, Kp = K rounded up to 4 (f64) or 8 (f32)): rows 0…D−1 = Cᵀ zero-padded, row D = ‖c_k‖² (padding +∞). */
  packCentresF64(c: number, ct: number, K: number, D: number): void;
  /** As packCentresF64, on f32 centres. */
  packCentresF32(c: number, ct: number, K: number, D: number): void;
  /** labels[i] = argmin_k ‖x_i − c_k‖² (ties: lowest k), minDist[i] its exact value; returns Σ w_i·minDist[i]. c: K × D, ct from packCentres, g: rows × Kp scratch. */
  kmeansAssignF64(x: number, c: number, ct: number, g: number, w: number, labels: number, minDist: number, rows: number, K: number, D: number): number;
  /** As kmeansAssignF64, on f32 data. */
  kmeansAssignF32(x: number, c: number, ct: number, g: number, w: number, labels: number, minDist: number, rows: number, K: number, D: number): number;
  /** sums[labels[i]] += w_i·x_i (K × D), counts[labels[i]] += w_i (K). */
  kmeansScatterF64(x: number, labels: number, w: number, sums: number, counts: number, rows: number, D: number): void;
  /** As kmeansScatterF64, on f32 data. */
  kmeansScatterF32(x: number, labels: number, w: number, sums: number, counts: number, rows: number, D: number): void;
  /** out[i,k] = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k) (rows × K, element type of x); ct from packCentres, g: rows × Kp scratch. */
  sqDistancesF64(x: number, ct: number, g: number, out: number, rows: number, K: number, D: number): void;
  /** As sqDistancesF64, on f32 data. */
  sqDistancesF32(x: number, ct: number, g: number, out: number, rows: number, K: number, D: number): void;
  /** pots[t] += Σ_i w_i·min(closest_i, ‖x_i − cand_t‖²) for `trials` candidate rows. */
  kmeansppPotentialsF64(x: number, cand: number, closest: number, w: number, pots: number, rows: number, trials: number, D: number): void;
  /** As kmeansppPotentialsF64, on f32 data. */
  kmeansppPotentialsF32(x: number, cand: number, closest: number, w: number, pots: number, rows: number, trials: number, D: number): void;
  /** closest_i = min(closest_i, ‖x_i − c‖²); returns Σ w_i·closest_i. */
  updateClosestF64(x: number, c: number, closest: number, w: number, rows: number, D: number): number;
  /** As updateClosestF64, on f32 data. */
  updateClosestF32(x: number, c: number, closest: number, w: number, rows: number, D: number): number;
}
