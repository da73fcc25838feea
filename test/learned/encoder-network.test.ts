// BscEncoder's network: T unrolled parallel mean-field sweeps with learned weights. Its
// hand-written gradient against finite differences of the training loss (sequential layers: the
// mean over signals of log(δ + D) + D, D = KL(ĥ ‖ q_T); parallel ones: the cross-entropy), the
// two engines against
// each other, and the start: T layers before training are T undamped sweeps from 0.
import { describe, expect, it } from 'vitest';
import { BscEncoder, Random } from '../../src/index.js';
import {
  allocEncoderActivations, allocEncoderGradients, encoderBackward, encoderForward, encoderLayout, encoderLoss, layerOutput, LOSS_FLOOR, type EncoderShape,
} from '../../src/learned/encoder-network.js';
import { makeLearnedOps } from '../../src/learned/ops.js';
import { randomBsc } from '../meanfield/models.js';

const ENGINES = ['reference', 'wasm'] as const;

/** The training loss of q_T against the targets (encoderLoss for the shape's schedule), its gradient and Σ (q_T − ĥ)², through the engine's ops. */
function run(engine: 'reference' | 'wasm', s: EncoderShape, P: Float64Array, X1: Float64Array, T: Float64Array, rows: number): { loss: number; grad: Float64Array; sse: number } {
  const ops = makeLearnedOps(engine);
  const { base } = ops;
  const size = encoderLayout(s).size;
  try {
    const p = base.from(P), x = base.from(X1), t = base.from(T), g = base.alloc(size);
    const act = allocEncoderActivations(ops, s, rows), gr = allocEncoderGradients(ops, s, rows);
    encoderForward(ops, s, p, x, rows, act);
    const q = Float64Array.from(base.view(layerOutput(ops, s, act, rows, s.T), rows * s.n));
    const sse = encoderBackward(ops, s, p, x, t, rows, act, gr, g);
    return { loss: encoderLoss(q, T, rows, s.n, s.sequential), grad: Float64Array.from(base.view(g, size)), sse };
  } finally {
    base.release();
  }
}

function problem(seed: number, rows: number, m: number, n: number, T: number, sequential: boolean) {
  const rng = new Random(seed);
  const s: EncoderShape = { k: m + 1, n, T, sequential };
  const P = rng.fillNormal(new Float64Array(encoderLayout(s).size), 0, 0.4);
  const X1 = rng.fillNormal(new Float64Array(rows * (m + 1)));
  for (let r = 0; r < rows; r++) X1[r * (m + 1) + m] = 1;
  const target = Float64Array.from({ length: rows * n }, () => rng.random());
  return { s, P, X1, target };
}

describe('the BscEncoder network', () => {
  for (const engine of ENGINES) for (const sequential of [false, true]) {
    it(`has the gradient of the training loss, by central finite differences (${engine}, ${sequential ? 'sequential' : 'parallel'} layers, T = 1, 3)`, () => {
      for (const T of [1, 3]) {
        const { s, P, X1, target } = problem(3 + T, 7, 4, 5, T, sequential);
        const { grad } = run(engine, s, P, X1, target, 7);
        const step = 1e-6;
        let checked = 0;
        for (let i = 0; i < P.length; i++) {
          const up = P.slice(); up[i] += step;
          const down = P.slice(); down[i] -= step;
          const fd = (run(engine, s, up, X1, target, 7).loss - run(engine, s, down, X1, target, 7).loss) / (2 * step);
          expect(Math.abs(fd - grad[i]), `T = ${T}, parameter ${i}: finite difference ${fd}, gradient ${grad[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
          if (grad[i] !== 0) checked++;
        }
        // Every parameter moves the loss, except the first sequential layer's couplings to units
        // not yet updated (j ≥ i), which multiply its input q₀ = 0: their gradient is exactly zero.
        expect(checked).toBe(sequential ? P.length - (s.n * (s.n + 1)) / 2 : P.length);
      }
    });
  }

  it('weighs each signal by 1/(δ + its divergence) + 1: the gradient holds for targets within ~δ of the output too (finite differences, sequential layers)', () => {
    const { s, P, X1 } = problem(11, 6, 4, 5, 2, true);
    // Targets a hair from the network's own output: each row's KL(ĥ ‖ q_T) is of the order of δ,
    // where the loss's curvature is largest.
    const ops = makeLearnedOps('reference');
    const act = allocEncoderActivations(ops, s, 6);
    encoderForward(ops, s, ops.base.from(P), ops.base.from(X1), 6, act);
    const q = Float64Array.from(ops.base.view(layerOutput(ops, s, act, 6, s.T), 6 * s.n));
    ops.base.release();
    const rng = new Random(12);
    const target = q.map((v) => Math.min(1, Math.max(0, v + 2e-3 * rng.normal())));
    const { grad, loss } = run('reference', s, P, X1, target, 6);
    expect(loss).toBeLessThan(Math.log(100 * LOSS_FLOOR));
    const step = 1e-8;
    let largest = 0;
    for (const i of [0, 3, s.k * s.n - 1, s.k * s.n + 7, P.length - 1]) {
      const up = P.slice(); up[i] += step;
      const down = P.slice(); down[i] -= step;
      const fd = (run('reference', s, up, X1, target, 6).loss - run('reference', s, down, X1, target, 6).loss) / (2 * step);
      expect(Math.abs(fd - grad[i]), `parameter ${i}: finite difference ${fd}, gradient ${grad[i]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(fd)));
      largest = Math.max(largest, Math.abs(grad[i]));
    }
    // Near δ the gradient is large (that is the weighting), not vanishing.
    expect(largest).toBeGreaterThan(1);
  });

  for (const sequential of [false, true]) {
    it(`is the same on the wasm kernels and the reference twin (to 1e-12; ${sequential ? 'sequential' : 'parallel'} layers)`, () => {
      const { s, P, X1, target } = problem(9, 33, 6, 7, 4, sequential);
      const r = run('reference', s, P, X1, target, 33), w = run('wasm', s, P, X1, target, 33);
      expect(Math.abs(r.sse - w.sse)).toBeLessThanOrEqual(1e-12 * r.sse);
      const scale = Math.max(...r.grad.map(Math.abs));
      for (let i = 0; i < r.grad.length; i++) expect(Math.abs(r.grad[i] - w.grad[i])).toBeLessThanOrEqual(1e-12 * scale);
    });
  }
});

describe('BscEncoder at initialisation', () => {
  for (const engine of ENGINES) for (const schedule of ['parallel', 'sequential'] as const) {
    it(`predicts what T undamped ${schedule} mean-field sweeps from ĥ = 0 give, for T = 1, 2, 3, 6 (${engine})`, () => {
      const model = randomBsc(8, 9, 6, 0.6);
      const V = model.sample(40, 2).V;
      const zeros = { data: new Float64Array(40 * 6), rows: 40, cols: 6 };
      for (const nLayers of [1, 2, 3, 6]) {
        const q = new BscEncoder(model, { nLayers, schedule, engine }).predict(V).data;
        const sweeps = model.infer(V, { init: zeros, schedule, damping: 1, maxIter: nLayers, tol: 0, engine }).hHat.data;
        // The same map; the logits are summed in another order (vA + c + qS against a + qJ).
        for (let i = 0; i < q.length; i++) expect(Math.abs(q[i] - sweeps[i]), `T = ${nLayers}, entry ${i}`).toBeLessThanOrEqual(1e-13);
      }
    });
  }
});
