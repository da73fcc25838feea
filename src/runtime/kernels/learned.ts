/** Exports of assembly/learned.ts (LISTA layers, the encoder's logistic layers and Adam). Pointers are byte offsets into wasm memory; positive: 0/1. */
export interface LearnedKernels {
  /** z(rows×A) = S_θ(b) with the per-column thresholds θ(A) ≥ 0; max(b − θ, 0) when positive; in place allowed. */
  listaShrinkF64(b: number, z: number, theta: number, rows: number, A: number, positive: number): void;
  /** As listaShrinkF64, on f32 data. */
  listaShrinkF32(b: number, z: number, theta: number, rows: number, A: number, positive: number): void;
  /** gb = gz ∘ 1[|b| > θ] (b > θ when positive); gtheta(A) −= column sums of sign(b)·gb. In place allowed (gb = gz). */
  listaShrinkBackwardF64(b: number, gz: number, gb: number, theta: number, gtheta: number, rows: number, A: number, positive: number): void;
  /** As listaShrinkBackwardF64, on f32 data. */
  listaShrinkBackwardF32(b: number, gz: number, gb: number, theta: number, gtheta: number, rows: number, A: number, positive: number): void;
  /** Returns Σ (z − h)² over n elements (f64) and stores g = scale·(z − h). */
  codeErrorGradF64(z: number, h: number, g: number, n: number, scale: number): number;
  /** As codeErrorGradF64, on f32 data. */
  codeErrorGradF32(z: number, h: number, g: number, n: number, scale: number): number;
  /** One Adam step over n parameters p, gradient g, moments m and v; c1, c2 the bias corrections 1 − βᵗ. */
  adamStepF64(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /** As adamStepF64, on f32 data. */
  adamStepF32(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /** gu = gq ∘ q(1 − q) over n elements: the logistic layer's backward pass from its output q; in place allowed. */
  sigmoidBackwardF64(q: number, gq: number, gu: number, n: number): void;
  /** As sigmoidBackwardF64, on f32 data. */
  sigmoidBackwardF32(q: number, gq: number, gu: number, n: number): void;
  /**
   * Back through one sequential mean-field layer of the BscEncoder (y from x by
   * u_i = c_i + Σ_{j<i} J_ij y_j + Σ_{j≥i} J_ij x_j, y_i = σ(u_i)): gu += the logits' gradient
   * (gu holds the direct part on entry, gy the gradient reaching y), gx = the input's, gJ += J's.
   */
  encoderSweepBackwardF64(y: number, x: number, gy: number, J: number, gu: number, gx: number, gJ: number, rows: number, n: number): void;
  /** As encoderSweepBackwardF64, on f32 data. */
  encoderSweepBackwardF32(y: number, x: number, gy: number, J: number, gu: number, gx: number, gJ: number, rows: number, n: number): void;
}
