/**
 * Exports of assembly/kmeans.ts. Pointers are byte offsets into wasm memory; matrices are
 * row-major; `w` is an f64 weight per row or 0 (a null pointer) for unit weights; labels are
 * i32; distances, norms, bounds, sums and counts are f64 whatever the element type of X and the
 * centres. Pass kernels run over rows [start, end) and index the whole data; their scratch g
 * holds 256 (the block size) × Kp values of the element type.
 */
export interface KmeansKernels {
  /** ct ((D + 1) × Kp, Kp = K rounded up to 4 (f64) or 8 (f32)): rows 0…D−1 = Cᵀ zero-padded, row D = ‖c_k‖² (padding +∞). */
  packCentresF64(c: number, ct: number, K: number, D: number): void;
  /** As packCentresF64, on f32 centres. */
  packCentresF32(c: number, ct: number, K: number, D: number): void;
  /**
   * Lloyd's pass: labels[i] = argmin_k ‖x_i − c_k‖² (ties: lowest k; labels hold the previous
   * ones on entry), minDist[i] its exact value (xNorms = 0) or, given xNorms (‖x_i‖²), the
   * expanded form's max(0, ‖x_i‖² + ‖c‖² − 2x_i·c); when sums ≠ 0, sums[label] += w_i·x_i
   * (K × D) and counts[label] += w_i; out (f64[2]) += [Σ w_i·minDist[i], labels changed].
   * c: K × D, ct from packCentres.
   */
  kmeansLloydPassF64(x: number, xNorms: number, c: number, ct: number, g: number, w: number, labels: number, minDist: number, sums: number, counts: number, out: number, start: number, end: number, K: number, D: number): void;
  /** As kmeansLloydPassF64, on f32 data. */
  kmeansLloydPassF32(x: number, xNorms: number, c: number, ct: number, g: number, w: number, labels: number, minDist: number, sums: number, counts: number, out: number, start: number, end: number, K: number, D: number): void;
  /**
   * The f32 screen's centres (f64 centres c, K × D): cts ((D + 1) × Kp f32, Kp = K rounded up
   * to 8) = Cᵀ rounded to f32 and, in row D, the f64 ‖c_k‖² rounded (padding +∞); norms (K f64)
   * = those f64 norms, as packCentresF64 computes them.
   */
  packCentresScreenedF64(c: number, cts: number, norms: number, K: number, D: number): void;
  /**
   * kmeansLloydPassF64 with exact distances (xNorms = 0 there) and the same labels, the
   * distance GEMM run in f32 and checked against a bound on its rounding (exact f64 values
   * decide the rows it cannot settle): xs = x rounded to f32, xNorms = ‖x_i‖², cts and norms
   * from packCentresScreenedF64, gs: 256 × Kp f32 scratch. out (f64[3]) += [inertia, labels
   * changed, rows decided by exact values]. With incremental = 1, sums and counts hold the
   * rows' sums under the labels the pass starts from, and only rows that change label move.
   */
  kmeansScreenedPassF64(
    x: number, xs: number, xNorms: number, c: number, cts: number, norms: number, gs: number, w: number,
    labels: number, minDist: number, sums: number, counts: number, out: number, start: number, end: number, K: number, D: number,
    incremental: number,
  ): void;
  /**
   * Lloyd's pass with Hamerly's bounds, the same labels and results as kmeansLloydPass. xNorms:
   * ‖x_i‖²; lower: a lower bound per row kept between passes; shifts: how far each centre moved
   * since the previous pass; half: half the distance from each centre to its nearest other;
   * maxNorm: max_k ‖c_k‖²; xs (256 × D) and idx (256 i32) scratch. Rows labelled −1 are scanned.
   * out (f64[3]) += [inertia, labels changed, rows scanned by the distance GEMM]. incremental:
   * as kmeansScreenedPassF64's (only rows that change label move between the sums).
   */
  kmeansHamerlyPassF64(
    x: number, xNorms: number, c: number, ct: number, g: number, xs: number, idx: number, w: number, labels: number, minDist: number,
    lower: number, shifts: number, half: number, maxNorm: number, sums: number, counts: number, out: number, start: number, end: number, K: number, D: number,
    incremental: number,
  ): void;
  /** As kmeansHamerlyPassF64, on f32 data. */
  kmeansHamerlyPassF32(
    x: number, xNorms: number, c: number, ct: number, g: number, xs: number, idx: number, w: number, labels: number, minDist: number,
    lower: number, shifts: number, half: number, maxNorm: number, sums: number, counts: number, out: number, start: number, end: number, K: number, D: number,
    incremental: number,
  ): void;
  /** out[i,k] = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k) (rows × K, element type of x); ct from packCentres, g: rows × Kp scratch. */
  sqDistancesF64(x: number, ct: number, g: number, out: number, rows: number, K: number, D: number): void;
  /** As sqDistancesF64, on f32 data. */
  sqDistancesF32(x: number, ct: number, g: number, out: number, rows: number, K: number, D: number): void;
  /** xNorms[i] = ‖x_i‖² (f64) for rows [start, end). */
  rowSqNormsF64(x: number, xNorms: number, start: number, end: number, D: number): void;
  /** As rowSqNormsF64, on f32 data. */
  rowSqNormsF32(x: number, xNorms: number, start: number, end: number, D: number): void;
  /** pots[t] += Σ_i w_i·min(closest_i, ‖x_i − cand_t‖²) (expanded form, one GEMM per block) for `trials` candidates packed in cct by packCentres. */
  kmeansppPotentialsF64(x: number, xNorms: number, cct: number, g: number, closest: number, w: number, pots: number, start: number, end: number, trials: number, D: number, candMin: number, rows: number): void;
  /** As kmeansppPotentialsF64, on f32 data. */
  kmeansppPotentialsF32(x: number, xNorms: number, cct: number, g: number, closest: number, w: number, pots: number, start: number, end: number, trials: number, D: number, candMin: number, rows: number): void;
  /** closest_i = min(closest_i, ‖x_i − c‖²) for rows [start, end); returns Σ w_i·closest_i. */
  updateClosestF64(x: number, c: number, closest: number, w: number, start: number, end: number, D: number): number;
  /** As updateClosestF64, on f32 data. */
  updateClosestF32(x: number, c: number, closest: number, w: number, start: number, end: number, D: number): number;
  /** Centres x (rows × D) in place on its column means (written to mean, f64); returns Σ (x − mean)² in f64. */
  centreColumnsF64(x: number, mean: number, rows: number, D: number): number;
  /** As centreColumnsF64, on f32 data (the mean rounded to f32 before it is subtracted). */
  centreColumnsF32(x: number, mean: number, rows: number, D: number): number;
}
