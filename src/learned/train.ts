/**
 * LISTA's training loop: mini-batch Adam on mean((Z_T − H)²) with the hand-written gradient of
 * network.ts, over a seeded shuffle of the rows per epoch, so that the same seed gives the same
 * parameters. The thresholds are projected back onto θ ≥ 0 after every step (a negative
 * threshold is no longer a proximal map). All buffers live in one ops scope: the data and the
 * Adam state are copied in once, and each batch is gathered into a block of rows.
 */
import { ValueError } from '../runtime/errors.js';
import { Random } from '../runtime/random.js';
import { allocActivations, allocGradients, backward, forward, layout, type Shape } from './network.js';
import type { LearnedOps } from './ops.js';

/** Adam's constants (Kingma & Ba's defaults). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export interface TrainProblem {
  /** Signals N × F (row-major, f64). */
  X: Float64Array;
  /** Target codes N × A. */
  H: Float64Array;
  N: number;
  shape: Shape;
  /** Initial parameters [W | S | θ]. */
  params: Float64Array;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Called after each epoch with its mean batch loss (in the training units). */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains a copy of p.params; returns it and the mean batch loss of every epoch. */
export function train<H>(ops: LearnedOps<H>, p: TrainProblem): { params: Float64Array; lossHistory: number[] } {
  const { base } = ops;
  const { N, shape } = p;
  const { F, A } = shape;
  const at = layout(shape);
  const rows = Math.min(p.batchSize, N);
  const lossHistory: number[] = [];
  return base.scoped(() => {
    const X = base.from(p.X), H = base.from(p.H), P = base.from(p.params);
    const G = base.alloc(at.size), M = base.alloc(at.size), V = base.alloc(at.size);
    base.view(M, at.size).fill(0);
    base.view(V, at.size).fill(0);
    const Xb = base.alloc(rows * F), Hb = base.alloc(rows * A);
    const act = allocActivations(ops, shape, rows);
    const grad = allocGradients(ops, shape, rows);
    const rng = new Random(p.seed);
    let step = 0;
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      const order = rng.permutation(N);
      let total = 0;
      for (let start = 0; start < N; start += rows) {
        const nb = Math.min(rows, N - start);
        for (let r = 0; r < nb; r++) {
          base.copy(base.at(X, order[start + r] * F), base.at(Xb, r * F), F);
          base.copy(base.at(H, order[start + r] * A), base.at(Hb, r * A), A);
        }
        forward(ops, shape, P, Xb, nb, act);
        const loss = backward(ops, shape, P, Xb, Hb, nb, act, grad, G);
        if (!Number.isFinite(loss)) {
          throw new ValueError(`LISTA training diverged (loss ${loss} in epoch ${epoch}): learningRate = ${p.learningRate} is too large for this problem; try a smaller one`);
        }
        step++;
        ops.adamStep(P, G, M, V, at.size, p.learningRate, BETA1, BETA2, EPSILON, 1 - BETA1 ** step, 1 - BETA2 ** step);
        const theta = base.view(base.at(P, at.theta), A);
        for (let a = 0; a < A; a++) if (!(theta[a] >= 0)) theta[a] = 0;
        total += loss * nb;
      }
      lossHistory.push(total / N);
      p.onEpoch?.(epoch, total / N);
    }
    return { params: Float64Array.from(base.view(P, at.size)), lossHistory };
  });
}

/** Codes of the rows of X (N × F) by the network with parameters P, in blocks of rows. */
export function infer<H>(ops: LearnedOps<H>, shape: Shape, params: Float64Array, X: Float64Array, N: number): Float64Array {
  const { base } = ops;
  const { F, A } = shape;
  const out = new Float64Array(N * A);
  if (N === 0) return out;
  const rows = Math.min(N, Math.max(16, Math.floor(BLOCK_ELEMENTS / Math.max(A, F))));
  base.scoped(() => {
    const P = base.from(params);
    const Xb = base.alloc(rows * F);
    const act = allocActivations(ops, shape, rows);
    for (let start = 0; start < N; start += rows) {
      const nb = Math.min(rows, N - start);
      base.view(Xb, nb * F).set(X.subarray(start * F, (start + nb) * F));
      forward(ops, shape, P, Xb, nb, act);
      out.set(base.view(base.at(act.Z, shape.T * nb * A), nb * A), start * A);
    }
  });
  return out;
}

/** Elements of one inference block's widest temporary: keeps it in cache. */
const BLOCK_ELEMENTS = 32768;
