import { describe, expect, it } from 'vitest';
import { LISTA, ShapeError, ValueError, sparseEncode, type Matrix } from '../../src/index.js';
import { allocActivations, allocGradients, backward, forward, layout, type Shape } from '../../src/learned/network.js';
import { makeLearnedOps } from '../../src/learned/ops.js';
import { istaParams } from '../../src/learned/params.js';
import { Random } from '../../src/index.js';
import { sparseProblem } from './problem.js';

const ENGINES = ['reference', 'wasm'] as const;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** The loss mean((z_T − h)²) of one block and its gradient, through the engine's ops. */
function lossAndGradient(engine: 'reference' | 'wasm', s: Shape, P: Float64Array, X: Float64Array, H: Float64Array, rows: number): { loss: number; grad: Float64Array } {
  const ops = makeLearnedOps(engine);
  const { base } = ops;
  try {
    const p = base.from(P), x = base.from(X), h = base.from(H), g = base.alloc(layout(s).size);
    const act = allocActivations(ops, s, rows);
    const gr = allocGradients(ops, s, rows);
    forward(ops, s, p, x, rows, act);
    const loss = backward(ops, s, p, x, h, rows, act, gr, g);
    return { loss, grad: Float64Array.from(base.view(g, layout(s).size)) };
  } finally {
    base.release();
  }
}

describe('LISTA gradients', () => {
  for (const engine of ENGINES) {
    for (const positive of [false, true]) {
      it(`match central finite differences of the loss (${engine}${positive ? ', positive' : ''})`, () => {
        const { D, X } = sparseProblem(12, 6, 5, 2, 3);
        const s: Shape = { F: 5, A: 6, T: 3, positive };
        const rng = new Random(4);
        // Start off ISTA (perturbed weights and thresholds) so that every parameter matters.
        const P = istaParams(D.data, s, 0.05).map((v) => v + 0.05 * rng.normal());
        const at = layout(s);
        for (let a = 0; a < s.A; a++) P[at.theta + a] = Math.abs(P[at.theta + a]);
        const H = new Float64Array(12 * 6).map(() => (positive ? Math.abs(rng.normal()) : rng.normal()) * 0.3);
        const { grad } = lossAndGradient(engine, s, P, X.data, H, 12);
        const step = 1e-6;
        let checked = 0;
        for (let i = 0; i < at.size; i++) {
          const up = P.slice(); up[i] += step;
          const down = P.slice(); down[i] -= step;
          const fd = (lossAndGradient(engine, s, up, X.data, H, 12).loss - lossAndGradient(engine, s, down, X.data, H, 12).loss) / (2 * step);
          expect(Math.abs(fd - grad[i]), `parameter ${i}: finite difference ${fd}, gradient ${grad[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
          if (grad[i] !== 0) checked++;
        }
        expect(checked).toBeGreaterThan(at.size / 2);
      });
    }
  }

  it('agree between the wasm kernels and the reference twin (to 1e-12)', () => {
    const { D, X } = sparseProblem(40, 16, 9, 3, 5);
    const s: Shape = { F: 9, A: 16, T: 4, positive: false };
    const rng = new Random(6);
    const P = istaParams(D.data, s, 0.1).map((v) => v + 0.02 * rng.normal());
    const H = new Float64Array(40 * 16).map(() => rng.normal() * 0.2);
    const r = lossAndGradient('reference', s, P, X.data, H, 40);
    const w = lossAndGradient('wasm', s, P, X.data, H, 40);
    expect(Math.abs(r.loss - w.loss)).toBeLessThanOrEqual(1e-12 * r.loss);
    expect(maxAbsDiff(r.grad, w.grad)).toBeLessThanOrEqual(1e-12 * Math.max(...r.grad.map(Math.abs)));
  });
});

describe('LISTA at initialisation', () => {
  const { D, X } = sparseProblem(50, 24, 16, 3, 7);
  for (const engine of ENGINES) {
    for (const positive of [false, true]) {
      it(`gives the codes of T ISTA steps from zero for T = 1, 2, 3, 8 (${engine}${positive ? ', positive' : ''})`, () => {
        for (const nLayers of [1, 2, 3, 8]) {
          const lista = new LISTA({ dictionary: D, alpha: 0.1, nLayers, positive, engine });
          const ista = sparseEncode(X, D, { alpha: 0.1, algorithm: 'ista', maxIter: nLayers, tol: 0, positive, engine }).codes.data;
          const z = lista.transform(X).data;
          // The same map; only the association of the sums differs (xW + zS against
          // z − (zG − xDᵀ)/L), so the codes agree to rounding.
          expect(maxAbsDiff(z, ista)).toBeLessThanOrEqual(1e-13 * Math.max(1, ...Array.from(ista, Math.abs)));
          // Many codes are exactly zero in both: the threshold acts identically.
          let sameZeros = 0;
          for (let i = 0; i < z.length; i++) if ((z[i] === 0) === (ista[i] === 0)) sameZeros++;
          expect(sameZeros).toBe(z.length);
        }
      });
    }
  }
});
