/**
 * The network of BscEncoder: T unrolled mean-field sweeps of BinarySparseCoding with learned
 * weights, in the way LISTA unrolls ISTA, in one of two forms. Parallel layers:
 *
 *     C = [v, 1]·[A; c],   q₁ = σ(C),   q_t = σ(C + q_{t−1}S_t)   (t = 2..T),   output q_T;
 *
 * sequential layers (t = 1..T, from q₀ = 0) update the units in turn, each from the new values of
 * the units before it,
 *
 *     q_t[i] = σ(C_i + Σ_{j<i} S_t[i, j]·q_t[j] + Σ_{j≥i} S_t[i, j]·q_{t−1}[j])   (i = 1..n),
 *
 * in elbo's row convention (signals v are rows of X1 = [V, 1], N × (m + 1); posterior means q
 * rows of Q, N × n). With A = βW, c = b − ½ diag(WᵀβW) and every S_t = −offdiag(WᵀβW) each
 * layer is one undamped mean-field sweep of that kind from q₀ = 0 (a sequential layer is then
 * `infer`'s sequential sweep, coordinate ascent on the bound); training moves A, c and the S_t
 * away from there. Each layer has its own couplings S_t (untied): at the same cost per layer,
 * untied layers predict the converged ĥ more closely than one S shared by all (README,
 * "learned"). The parameters sit in one buffer [A; c (k × n, k = m + 1) | S_2 | … | S_T] (S_1
 * first for sequential layers; n × n each), so Adam updates them in one kernel call.
 *
 * Parallel layers run over a block of rows as GEMMs with the element-wise kernels of
 * assembly/learned.ts (σ and its backward pass) in between. A sequential layer's forward pass is
 * meanFieldSequential (assembly/meanfield.ts, with a = C and J = S_t), its backward pass
 * encoderSweepBackward (assembly/learned.ts), which walks the units of each row in reverse.
 */
import type { FloatArray } from '../runtime/matrix.js';
import type { LearnedOps } from './ops.js';

/** Sizes of one encoder network. */
export interface EncoderShape {
  /** Inputs per row: m visible units and the constant 1. */
  k: number;
  /** Latent units n. */
  n: number;
  /** Layers T. */
  T: number;
  /** Sequential layers (each unit updated in turn from the ones before it) rather than parallel ones. */
  sequential: boolean;
}

/** The first layer with couplings: 1 for sequential layers, 2 for parallel ones (q₀ = 0 leaves S_1 nothing to multiply). */
function firstCoupled(s: EncoderShape): number {
  return s.sequential ? 1 : 2;
}

/**
 * Offsets of [A; c] and of the first layer's couplings (S_t follows at S + (t − first)·n²) in the
 * parameter buffer, and its length.
 */
export function encoderLayout(s: EncoderShape): { A: number; S: number; size: number } {
  return { A: 0, S: s.k * s.n, size: s.k * s.n + (s.T + 1 - firstCoupled(s)) * s.n * s.n };
}

/** The offset of layer t's couplings S_t (t = 2..T, or 1..T for sequential layers) in the parameter buffer. */
export function couplingOffset(s: EncoderShape, t: number): number {
  return encoderLayout(s).S + (t - firstCoupled(s)) * s.n * s.n;
}

/** Per-block temporaries of the forward pass, kept for the backward pass. */
export interface EncoderActivations<H> {
  /** C = X1·[A; c], rows × n. */
  C: H;
  /** Outputs Q_1..Q_T, each rows × n. */
  Q: H;
}

/** Temporaries for blocks of up to `rows` rows. */
export function allocEncoderActivations<H>(ops: LearnedOps<H>, s: EncoderShape, rows: number): EncoderActivations<H> {
  return { C: ops.base.alloc(rows * s.n), Q: ops.base.alloc(s.T * rows * s.n) };
}

/** The handle of layer t's output Q_t (t = 1..T) after `encoderForward`. */
export function layerOutput<H>(ops: LearnedOps<H>, s: EncoderShape, act: EncoderActivations<H>, rows: number, t: number): H {
  return ops.base.at(act.Q, (t - 1) * rows * s.n);
}

/** Runs the T layers on X1 (rows × k); the output is layerOutput(…, T). */
export function encoderForward<H>(ops: LearnedOps<H>, s: EncoderShape, P: H, X1: H, rows: number, act: EncoderActivations<H>): void {
  const { base } = ops;
  const { k, n, T } = s;
  const at = encoderLayout(s);
  const size = rows * n;
  base.gemmNN(X1, base.at(P, at.A), act.C, rows, n, k, 0);
  if (s.sequential) {
    for (let t = 1; t <= T; t++) {
      const Q = layerOutput(ops, s, act, rows, t);
      if (t === 1) base.view(Q, size).fill(0);
      else base.copy(layerOutput(ops, s, act, rows, t - 1), Q, size);
      ops.meanFieldSequential(act.C, base.at(P, couplingOffset(s, t)), Q, rows, n);
    }
    return;
  }
  for (let t = 1; t <= T; t++) {
    const Q = layerOutput(ops, s, act, rows, t);
    base.copy(act.C, Q, size);
    // q₀ = 0: the first layer has no S term.
    if (t > 1) base.gemmNN(layerOutput(ops, s, act, rows, t - 1), base.at(P, couplingOffset(s, t)), Q, rows, n, n, 1);
    ops.sigmoid(Q, Q, size);
  }
}

/** Per-block temporaries of the backward pass. */
export interface EncoderGradients<H> {
  /** ∂loss/∂U_t for the current layer (U_t its logits), rows × n. */
  GU: H;
  /** ∂loss/∂Q_{t−1}, rows × n. */
  GQ: H;
  /** ∂loss/∂C = Σ_t ∂loss/∂U_t, rows × n. */
  GC: H;
  /** Sequential layers: ∂loss/∂Q_t reaching layer t's output from the layer after it, rows × n. */
  GY: H;
  /** Sequential layers: zeros, rows × n (the first layer's input, the last layer's outside gradient). */
  zero: H;
}

export function allocEncoderGradients<H>(ops: LearnedOps<H>, s: EncoderShape, rows: number): EncoderGradients<H> {
  const size = rows * s.n;
  const { base } = ops;
  const extra = s.sequential ? size : 1;
  const zero = base.alloc(extra);
  base.view(zero, extra).fill(0);
  return { GU: base.alloc(size), GQ: base.alloc(size), GC: base.alloc(size), GY: base.alloc(extra), zero };
}

/**
 * The gradient of the training loss of a block (after `encoderForward` on it; `encoderLoss`)
 * against the targets ĥ (rows × n) with respect to every parameter, written to G (the layout of
 * P; overwritten). The loss's gradient with respect to the last logits of row r is
 * (q_T − ĥ)_r·(1/(D_r + LOSS_FLOOR) + 1)/rows for sequential layers (`logDivergenceGrad`),
 * (q_T − ĥ)_r/rows for parallel ones (the cross-entropy's). Parallel layers: then per layer t from T down to 2,
 *   G_C += G_U,  G_{S_t} = Q_{t−1}ᵀ G_U,  G_U ← (G_U S_tᵀ) ∘ Q_{t−1}(1 − Q_{t−1}),
 * and at the end G_C += G_U and G_[A; c] = X1ᵀ G_C (one GEMM for all layers). Sequential layers:
 * per layer t from T down to 1, encoderSweepBackward turns the gradient reaching Q_t (from layer
 * t + 1; for the last layer, the logits' gradient above) into the logits' G_U, adds to G_{S_t}
 * and gives the gradient reaching Q_{t−1}; G_C += G_U; then G_[A; c] = X1ᵀ G_C.
 * Returns Σ (q_T − ĥ)² over the block (the squared error the encoder reports).
 */
export function encoderBackward<H>(ops: LearnedOps<H>, s: EncoderShape, P: H, X1: H, target: H, rows: number,
  act: EncoderActivations<H>, grad: EncoderGradients<H>, G: H): number {
  const { base } = ops;
  const { k, n, T } = s;
  const at = encoderLayout(s);
  const size = rows * n;
  const sse = s.sequential
    ? logDivergenceGrad(base.view(layerOutput(ops, s, act, rows, T), size), base.view(target, size), base.view(grad.GU, size), rows, n)
    : ops.codeErrorGrad(layerOutput(ops, s, act, rows, T), target, grad.GU, size, 1 / rows);
  base.view(G, at.size).fill(0);
  if (s.sequential) {
    base.view(grad.GC, size).fill(0);
    for (let t = T; t >= 1; t--) {
      const x = t > 1 ? layerOutput(ops, s, act, rows, t - 1) : grad.zero;
      ops.encoderSweepBackward(layerOutput(ops, s, act, rows, t), x, t === T ? grad.zero : grad.GY, base.at(P, couplingOffset(s, t)),
        grad.GU, grad.GQ, base.at(G, couplingOffset(s, t)), rows, n);
      ops.axpy(size, 1, grad.GU, grad.GC);
      if (t > 1) {
        base.copy(grad.GQ, grad.GY, size);
        base.view(grad.GU, size).fill(0);
      }
    }
    base.gemmTN(X1, grad.GC, base.at(G, at.A), k, n, rows, 0);
    return sse;
  }
  base.copy(grad.GU, grad.GC, size);
  for (let t = T; t >= 2; t--) {
    const prev = layerOutput(ops, s, act, rows, t - 1);
    base.gemmTN(prev, grad.GU, base.at(G, couplingOffset(s, t)), n, n, rows, 0);
    base.gemmNT(grad.GU, base.at(P, couplingOffset(s, t)), grad.GQ, rows, n, n, 0);
    ops.sigmoidBackward(prev, grad.GQ, grad.GU, size);
    ops.axpy(size, 1, grad.GU, grad.GC);
  }
  base.gemmTN(X1, grad.GC, base.at(G, at.A), k, n, rows, 0);
  return sse;
}

/**
 * The floor δ under each signal's divergence in the training loss log(δ + D) + D: 1e-6, in nats like
 * the ELBO, the tolerance on the bound below which a start needs no further sweep (README,
 * "learned"). Signals whose guess is already that close gain nothing from being closer.
 */
export const LOSS_FLOOR = 1e-6;

/**
 * KL(ĥ ‖ q) of one row of n Bernoulli means, Σ_i ĥ_i log(ĥ_i/q_i) + (1 − ĥ_i) log((1 − ĥ_i)/(1 − q_i)),
 * at least 0 (rounding). A q of exactly 0 or 1 (a logit beyond ±37) is read as 1e-300 from it,
 * so that the divergence stays finite.
 */
export function rowDivergence(q: ArrayLike<number>, h: ArrayLike<number>, o: number, n: number): number {
  let d = 0;
  for (let i = o; i < o + n; i++) {
    const hi = h[i];
    if (hi > 0) d += hi * (Math.log(hi) - Math.log(Math.max(q[i], 1e-300)));
    if (hi < 1) d += (1 - hi) * (Math.log1p(-hi) - Math.log(Math.max(1 - q[i], 1e-300)));
  }
  return Math.max(d, 0);
}

/**
 * The training loss of a block of `rows` outputs q (rows × n) against targets ĥ: the mean over
 * rows of log(LOSS_FLOOR + D_r) + D_r, D_r = KL(ĥ_r ‖ q_r). The sweeps a start needs grow with
 * the logarithm of its distance to the fixed point (the sweeps contract it by a factor per sweep),
 * so the log term weighs a factor closer the same for every signal, where the cross-entropy (the
 * mean of D, the loss of earlier versions) spends the network's capacity on the signals farthest
 * off and leaves errors of ~1e-2 on the signals that plain sweeps settle exactly. The log alone
 * gives a signal far off (D ≫ 1: a guess in another fixed point's basin) the weight 1/D; the
 * linear term keeps it at least 1, and fewer signals end at another fixed point (README,
 * "learned", measures both).
 */
export function encoderLoss(q: ArrayLike<number>, h: ArrayLike<number>, rows: number, n: number, sequential = true): number {
  if (!sequential) return crossEntropy(q, h, rows, n);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const d = rowDivergence(q, h, r * n, n);
    loss += Math.log(LOSS_FLOOR + d) + d;
  }
  return loss / rows;
}

/**
 * The loss of parallel layers: the mean over rows of the cross-entropy −Σ [ĥ log q + (1 − ĥ)
 * log(1 − q)], whose gradient in the last logits is (q − ĥ)/rows (codeErrorGrad). With the
 * log-divergence, parallel layers (a weaker iteration on strongly coupled models) sent more
 * signals to another fixed point than they saved sweeps on the others (README, "learned").
 */
function crossEntropy(q: ArrayLike<number>, h: ArrayLike<number>, rows: number, n: number): number {
  let loss = 0;
  for (let i = 0; i < rows * n; i++) loss -= h[i] * Math.log(q[i]) + (1 - h[i]) * Math.log1p(-q[i]);
  return loss / rows;
}

/**
 * The gradient of `encoderLoss` with respect to the last logits, g_r = (q_r − ĥ_r)·(1/(LOSS_FLOOR
 * + D_r) + 1)/rows per row (KL's gradient in the logits is q − ĥ), written to g; returns
 * Σ (q − ĥ)² over the block (the squared error the encoder reports). Plain TypeScript over the
 * views of the buffers: rows·n operations against the layers' rows·n² per layer.
 */
export function logDivergenceGrad(q: FloatArray, h: FloatArray, g: FloatArray, rows: number, n: number): number {
  let sse = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const scale = (1 / (LOSS_FLOOR + rowDivergence(q, h, o, n)) + 1) / rows;
    for (let i = o; i < o + n; i++) {
      const d = q[i] - h[i];
      sse += d * d;
      g[i] = scale * d;
    }
  }
  return sse;
}
