/**
 * The LISTA network (Gregor & LeCun, ICML 2010): T unrolled layers that share their weights,
 *
 *     z₀ = 0,   z_t = S_θ(x W + z_{t−1} S)   (t = 1..T),   output z_T,
 *
 * in elbo's row convention (signals x are rows of X, N × F; codes z rows of Z, N × A). With
 * W = Dᵀ/L, S = I − DDᵀ/L and θ = α/L every layer is one ISTA step z ← S_{α/L}(z − (zG − xDᵀ)/L),
 * G = DDᵀ; training moves W, S and θ away from there. All parameters sit in one buffer
 * [W (F×A) | S (A×A) | θ (A)], so Adam updates them in one kernel call.
 *
 * Forward and backward run over a block of rows as GEMMs (B_t = C + Z_{t−1}S with C = XW
 * computed once) with the element-wise kernels of assembly/learned.ts in between.
 */
import type { LearnedOps } from './ops.js';

/** Sizes of one network. */
export interface Shape {
  /** Features F. */
  F: number;
  /** Atoms A. */
  A: number;
  /** Layers T. */
  T: number;
  positive: boolean;
}

/** Offsets of W, S and θ in the parameter buffer, and its length. */
export function layout(s: Shape): { W: number; S: number; theta: number; size: number } {
  const S = s.F * s.A;
  const theta = S + s.A * s.A;
  return { W: 0, S, theta, size: theta + s.A };
}

/** Per-block temporaries of the forward pass, kept for the backward pass. */
export interface Activations<H> {
  /** C = XW, rows × A. */
  C: H;
  /** Pre-activations B_1..B_T, each rows × A. */
  B: H;
  /** Codes Z_0..Z_T (Z_0 = 0), each rows × A. */
  Z: H;
}

/** Temporaries for blocks of up to `rows` rows. */
export function allocActivations<H>(ops: LearnedOps<H>, s: Shape, rows: number): Activations<H> {
  const n = rows * s.A;
  return { C: ops.base.alloc(n), B: ops.base.alloc(s.T * n), Z: ops.base.alloc((s.T + 1) * n) };
}

/** Runs the T layers on X (rows × F); the output codes are at `output(ops, s, act, rows)`. */
export function forward<H>(ops: LearnedOps<H>, s: Shape, P: H, X: H, rows: number, act: Activations<H>): void {
  const { base } = ops;
  const { A, F, T } = s;
  const at = layout(s);
  const n = rows * A;
  const positive = s.positive ? 1 : 0;
  base.gemmNN(X, base.at(P, at.W), act.C, rows, A, F, 0);
  base.view(act.Z, n).fill(0);
  for (let t = 1; t <= T; t++) {
    const B = base.at(act.B, (t - 1) * n);
    base.copy(act.C, B, n);
    // z₀ = 0: the first layer has no S term.
    if (t > 1) base.gemmNN(base.at(act.Z, (t - 1) * n), base.at(P, at.S), B, rows, A, A, 1);
    ops.listaShrink(B, base.at(act.Z, t * n), base.at(P, at.theta), rows, A, positive);
  }
}

/** The handle of the output codes Z_T after `forward`. */
export function output<H>(ops: LearnedOps<H>, s: Shape, act: Activations<H>, rows: number): H {
  return ops.base.at(act.Z, s.T * rows * s.A);
}

/** Per-block temporaries of the backward pass. */
export interface Gradients<H> {
  /** ∂loss/∂Z_t for the current layer, rows × A. */
  GZ: H;
  /** ∂loss/∂B_t, rows × A. */
  GB: H;
  /** ∂loss/∂C = Σ_t ∂loss/∂B_t, rows × A. */
  GC: H;
}

export function allocGradients<H>(ops: LearnedOps<H>, s: Shape, rows: number): Gradients<H> {
  const n = rows * s.A;
  return { GZ: ops.base.alloc(n), GB: ops.base.alloc(n), GC: ops.base.alloc(n) };
}

/**
 * The loss mean((Z_T − H)²) over the rows × A entries of a block (after `forward` on it) and
 * its gradient with respect to every parameter, written to G (the layout of P; overwritten).
 * Backpropagation through the shared layers: per layer t from T down to 1,
 *   G_B = G_Z ∘ 1[pass],  gθ −= Σ sign(B)·G_B,  G_C += G_B,  G_S += Z_{t−1}ᵀ G_B,  G_Z ← G_B Sᵀ,
 * and at the end G_W = Xᵀ G_C (one GEMM for all layers). Returns the loss.
 */
export function backward<H>(ops: LearnedOps<H>, s: Shape, P: H, X: H, H: H, rows: number, act: Activations<H>, grad: Gradients<H>, G: H): number {
  const { base } = ops;
  const { A, F, T } = s;
  const at = layout(s);
  const n = rows * A;
  const positive = s.positive ? 1 : 0;
  const sse = ops.codeErrorGrad(output(ops, s, act, rows), H, grad.GZ, n, 2 / n);
  base.view(G, at.size).fill(0);
  base.view(grad.GC, n).fill(0);
  const S = base.at(P, at.S);
  for (let t = T; t >= 1; t--) {
    ops.listaShrinkBackward(base.at(act.B, (t - 1) * n), grad.GZ, grad.GB, base.at(P, at.theta), base.at(G, at.theta), rows, A, positive);
    ops.axpy(n, 1, grad.GB, grad.GC);
    if (t === 1) break;
    base.gemmTN(base.at(act.Z, (t - 1) * n), grad.GB, base.at(G, at.S), A, A, rows, 1);
    base.gemmNT(grad.GB, S, grad.GZ, rows, A, A, 0);
  }
  base.gemmTN(X, grad.GC, base.at(G, at.W), F, A, rows, 0);
  return sse / n;
}
