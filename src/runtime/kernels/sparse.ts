/** Exports of assembly/sparse.ts. Pointers are byte offsets into wasm memory; in place allowed (y = x). */
export interface SparseKernels {
  /** y_i = sign(x_i)·max(|x_i| − t, 0), the proximal map of t‖·‖₁ (t ≥ 0). */
  softThresholdF64(x: number, y: number, n: number, t: number): void;
  /** As softThresholdF64, on f32 data. */
  softThresholdF32(x: number, y: number, n: number, t: number): void;
  /** y_i = max(x_i − t, 0), the proximal map of t‖·‖₁ + the indicator of h ≥ 0 (t ≥ 0). */
  softThresholdNonnegF64(x: number, y: number, n: number, t: number): void;
  /** As softThresholdNonnegF64, on f32 data. */
  softThresholdNonnegF32(x: number, y: number, n: number, t: number): void;
  /**
   * Lasso by coordinate descent with active sets on the Gram matrix, per row of c (rows×A) to
   * gap ≤ tol·x2_r or maxIter passes: h (rows×A) warm start in, codes out; gap, obj, iters
   * (f64, per row) out; x2 (f64) = ‖x_r‖²; work: 2A² + 11A elements; positive: 0/1.
   */
  lassoCDF64(gram: number, c: number, h: number, x2: number, gap: number, obj: number, iters: number, work: number, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void;
  /** As lassoCDF64, on f32 data. */
  lassoCDF32(gram: number, c: number, h: number, x2: number, gap: number, obj: number, iters: number, work: number, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void;
  /** ISTA/FISTA step over n elements: z = S_thr(y − step·(qy − c)) (thr = α·step; positive: 0/1). */
  proxGradF64(y: number, qy: number, c: number, z: number, n: number, step: number, thr: number, positive: number): void;
  /** As proxGradF64, on f32 data. */
  proxGradF32(y: number, qy: number, c: number, z: number, n: number, step: number, thr: number, positive: number): void;
  /** Per row: obj, gap of z (q = zG); momentum t with restart when obj rises (momentum 0: ISTA); y = z + β(z − zPrev), qy likewise. */
  fistaMomentumF64(z: number, zPrev: number, q: number, qPrev: number, c: number, y: number, qy: number, x2: number, t: number, obj: number, gap: number, rows: number, A: number, alpha: number, momentum: number, positive: number): void;
  /** As fistaMomentumF64, on f32 data. */
  fistaMomentumF32(z: number, zPrev: number, q: number, qPrev: number, c: number, y: number, qy: number, x2: number, t: number, obj: number, gap: number, rows: number, A: number, alpha: number, momentum: number, positive: number): void;
  /**
   * One block of rows by ISTA/FISTA from start to finish: codes (rows × A) solved in place from
   * their warm start, c (rows × A, X_b Dᵀ) reordered, per-row gap/obj/iters (f64) written;
   * work: proxBlockWorkBytes(rows, A, 8) bytes.
   */
  proxBlockF64(gram: number, c: number, codes: number, x2: number, gap: number, obj: number, iters: number, work: number, rows: number, A: number, step: number, alpha: number, tol: number, maxIter: number, momentum: number, positive: number): void;
  /** As proxBlockF64, on f32 data (work: proxBlockWorkBytes(rows, A, 4) bytes). */
  proxBlockF32(gram: number, c: number, codes: number, x2: number, gap: number, obj: number, iters: number, work: number, rows: number, A: number, step: number, alpha: number, tol: number, maxIter: number, momentum: number, positive: number): void;
  /** Bytes of scratch proxBlock needs for rows × A elements of elementBytes bytes. */
  proxBlockWorkBytes(rows: number, A: number, elementBytes: number): number;
  /**
   * out[i] = ½‖x_i − h_i D‖² + α‖h_i‖₁ (f64) for `rows` rows of X (rows × F), codes (rows × A) and
   * the dictionary D (A × F), from the residual formed in r (rows × F scratch); sums in index order.
   */
  residualObjectiveBlockF64(x: number, codes: number, dict: number, r: number, out: number, rows: number, F: number, A: number, alpha: number): void;
  /** As residualObjectiveBlockF64, on f32 data (out stays f64). */
  residualObjectiveBlockF32(x: number, codes: number, dict: number, r: number, out: number, rows: number, F: number, A: number, alpha: number): void;
  /** One block-coordinate pass over the atoms of v (K×F) given A (K×K), Bt (K×F); norms (f64, K) = ‖v_k‖ after projection or −1 if unused; work: F. */
  dictionaryUpdateF64(v: number, a: number, bt: number, norms: number, work: number, K: number, F: number, positive: number): void;
  /** As dictionaryUpdateF64, on f32 data. */
  dictionaryUpdateF32(v: number, a: number, bt: number, norms: number, work: number, K: number, F: number, positive: number): void;
}
