/**
 * The kernels of LISTA's training and inference behind one interface with two implementations,
 * as src/sparse/ops.ts does for the lasso solvers: `base` carries the buffers and the GEMMs
 * (wasm or reference), and the learned kernels of assembly/learned.ts (or their twins in
 * src/reference/learned.ts) come on top. Everything runs in f64.
 */
import { typed } from '../runtime/kernels.js';
import type { FloatArray } from '../runtime/matrix.js';
import type { Buffer } from '../runtime/memory.js';
import * as ref from '../reference/index.js';
import { makeOps, type EngineName, type Ops } from '../sparse/ops.js';

export type { EngineName };

export interface LearnedOps<H> {
  readonly base: Ops<H>;
  listaShrink(b: H, z: H, theta: H, rows: number, A: number, positive: number): void;
  listaShrinkBackward(b: H, gz: H, gb: H, theta: H, gtheta: H, rows: number, A: number, positive: number): void;
  codeErrorGrad(z: H, h: H, g: H, n: number, scale: number): number;
  adamStep(p: H, g: H, m: H, v: H, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /** y[0:n] += alpha·x[0:n]. */
  axpy(n: number, alpha: number, x: H, y: H): void;
  /** y[0:n] = σ(x[0:n]), the logistic function in its stable form (in place allowed). */
  sigmoid(x: H, y: H, n: number): void;
  /** gu[0:n] = gq ∘ q(1 − q): back through y = σ(u) from its output q (in place allowed). */
  sigmoidBackward(q: H, gq: H, gu: H, n: number): void;
  /** One undamped sequential mean-field sweep of h (rows × n) with logits a + hJᵀ, unit by unit (assembly/meanfield.ts). */
  meanFieldSequential(a: H, J: H, h: H, rows: number, n: number): void;
  /** Back through one such sweep, y from x (assembly/learned.ts, encoderSweepBackward). */
  encoderSweepBackward(y: H, x: H, gy: H, J: H, gu: H, gx: H, gJ: H, rows: number, n: number): void;
}

/** The f64 ops of the given engine. */
export function makeLearnedOps(engine: EngineName): LearnedOps<unknown> {
  return (engine === 'reference' ? referenceOps() : wasmOps()) as LearnedOps<unknown>;
}

function wasmOps(): LearnedOps<Buffer> {
  const base = makeOps('wasm', 'f64') as Ops<Buffer>;
  return {
    base,
    listaShrink: (b, z, theta, rows, A, positive) => typed('listaShrink', 'f64')(b.ptr, z.ptr, theta.ptr, rows, A, positive),
    listaShrinkBackward: (b, gz, gb, theta, gtheta, rows, A, positive) =>
      typed('listaShrinkBackward', 'f64')(b.ptr, gz.ptr, gb.ptr, theta.ptr, gtheta.ptr, rows, A, positive),
    codeErrorGrad: (z, h, g, n, scale) => typed('codeErrorGrad', 'f64')(z.ptr, h.ptr, g.ptr, n, scale),
    adamStep: (p, g, m, v, n, lr, b1, b2, eps, c1, c2) => typed('adamStep', 'f64')(p.ptr, g.ptr, m.ptr, v.ptr, n, lr, b1, b2, eps, c1, c2),
    axpy: (n, alpha, x, y) => typed('axpy', 'f64')(n, alpha, x.ptr, y.ptr),
    sigmoid: (x, y, n) => typed('sigmoid', 'f64')(x.ptr, y.ptr, n),
    sigmoidBackward: (q, gq, gu, n) => typed('sigmoidBackward', 'f64')(q.ptr, gq.ptr, gu.ptr, n),
    meanFieldSequential: (a, J, h, rows, n) => { typed('meanFieldSequential', 'f64')(a.ptr, J.ptr, h.ptr, rows, n, 1); },
    encoderSweepBackward: (y, x, gy, J, gu, gx, gJ, rows, n) =>
      typed('encoderSweepBackward', 'f64')(y.ptr, x.ptr, gy.ptr, J.ptr, gu.ptr, gx.ptr, gJ.ptr, rows, n),
  };
}

function referenceOps(): LearnedOps<FloatArray> {
  return {
    base: makeOps('reference', 'f64') as Ops<FloatArray>,
    listaShrink: ref.listaShrink,
    listaShrinkBackward: ref.listaShrinkBackward,
    codeErrorGrad: ref.codeErrorGrad,
    adamStep: ref.adamStep,
    axpy: ref.axpy,
    sigmoid: ref.sigmoid,
    sigmoidBackward: ref.sigmoidBackward,
    meanFieldSequential: (a, J, h, rows, n) => { ref.meanFieldSequential(a, J, h, rows, n, 1); },
    encoderSweepBackward: ref.encoderSweepBackward,
  };
}
