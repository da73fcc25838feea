import { describe, expect, it } from 'vitest';
import { BinarySparseCoding, Random, bytesInUse } from '../../src/index.js';
import { expectClose } from '../helpers.js';
import { allStates, klByEnumeration, logSumExp, matrix, randomBsc } from './models.js';

/** Signals drawn from the model itself (so the posterior is not degenerate). */
function signals(model: BinarySparseCoding, N: number, seed: number) {
  return model.sample(N, seed).V;
}

describe('BinarySparseCoding: the bound', () => {
  for (const schedule of ['sequential', 'parallel'] as const) {
    it(`${schedule}: L ≤ log p(v), and log p(v) − L = KL(q ‖ p(h|v)) computed by enumeration (to 1e-9)`, () => {
      for (const [seed, m, n] of [[1, 5, 3], [2, 4, 6], [3, 8, 8]]) {
        const model = randomBsc(seed, m, n);
        const V = signals(model, 4, seed + 100);
        const { hHat, elbo, converged } = model.infer(V, { schedule, maxIter: 500 });
        expect(converged).toBe(true);
        const logp = model.exactLogLikelihood(V);
        for (let r = 0; r < V.rows; r++) {
          expect(elbo[r]).toBeLessThanOrEqual(logp[r] + 1e-12 * Math.abs(logp[r]));
          const v = V.data.subarray(r * m, (r + 1) * m);
          const kl = klByEnumeration(n, hHat.data, r * n, (h) => model.logJoint(matrix(v, 1, m), matrix(h, 1, n))[0], logp[r]);
          expect(Math.abs(logp[r] - elbo[r] - kl)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(logp[r])));
        }
      }
    });
  }

  it('exactLogLikelihood is log Σ_h p(v, h) over all states and exactPosterior the marginals of p(h | v) (n ≤ 10)', () => {
    for (const n of [1, 4, 10]) {
      const m = 3;
      const model = randomBsc(10 + n, m, n);
      const V = signals(model, 3, 7);
      const { marginals, logLikelihood } = model.exactPosterior(V);
      for (let r = 0; r < V.rows; r++) {
        const v = matrix(V.data.subarray(r * m, (r + 1) * m), 1, m);
        const states = allStates(n);
        const joint = states.map((h) => model.logJoint(v, matrix(h, 1, n))[0]);
        const logp = logSumExp(joint);
        expect(Math.abs(logLikelihood[r] - logp)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(logp)));
        for (let i = 0; i < n; i++) {
          const want = states.reduce((s, h, k) => s + h[i] * Math.exp(joint[k] - logp), 0);
          expect(Math.abs(marginals.data[r * n + i] - want)).toBeLessThanOrEqual(1e-10);
        }
      }
    }
  });

  it('elbo(V, hHat) is the closed form E_q[log p(v, h)] + H(q) (checked by enumeration)', () => {
    const m = 4, n = 5;
    const model = randomBsc(21, m, n);
    const V = signals(model, 2, 3);
    const rng = new Random(4);
    const H = matrix(Array.from({ length: 2 * n }, () => rng.random()), 2, n);
    const L = model.elbo(V, H);
    for (let r = 0; r < 2; r++) {
      const v = matrix(V.data.subarray(r * m, (r + 1) * m), 1, m);
      let want = 0;
      for (const h of allStates(n)) {
        let q = 1;
        for (let i = 0; i < n; i++) q *= h[i] ? H.data[r * n + i] : 1 - H.data[r * n + i];
        want += q * (model.logJoint(v, matrix(h, 1, n))[0] - Math.log(q));
      }
      expect(Math.abs(L[r] - want)).toBeLessThanOrEqual(1e-10 * Math.abs(want));
    }
  });

  it('each sequential update ĥ_i = σ(b_i + vᵀβW:,i − ½W:,iᵀβW:,i − Σ_{j≠i} W:,jᵀβW:,i ĥ_j) never lowers L', () => {
    const m = 6, n = 7;
    const model = randomBsc(31, m, n, 1.5);
    const V = signals(model, 3, 5);
    const W = model.W.data, b = model.b, beta = model.beta;
    const rng = new Random(6);
    const H = matrix(Array.from({ length: 3 * n }, () => rng.random()), 3, n);
    let L = model.elbo(V, H);
    for (let sweep = 0; sweep < 3; sweep++) {
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < 3; r++) {
          let f = b[i];
          for (let k = 0; k < m; k++) f += V.data[r * m + k] * beta[k] * W[k * n + i] - 0.5 * W[k * n + i] * beta[k] * W[k * n + i];
          for (let j = 0; j < n; j++) {
            if (j === i) continue;
            let c = 0;
            for (let k = 0; k < m; k++) c += W[k * n + j] * beta[k] * W[k * n + i];
            f -= c * H.data[r * n + j];
          }
          H.data[r * n + i] = 1 / (1 + Math.exp(-f));
        }
        const next = model.elbo(V, H);
        for (let r = 0; r < 3; r++) expect(next[r]).toBeGreaterThanOrEqual(L[r] - 1e-12 * Math.abs(L[r]));
        L = next;
      }
    }
  });

  it('mean-field is exact (KL = 0) when WᵀβW is diagonal (orthogonal columns, equal β)', () => {
    const m = 6, n = 4;
    // Columns e_0 + e_1, e_2 − e_3, 2e_4, e_5 − e_0 + e_1: mutually orthogonal.
    const cols = [[1, 1, 0, 0, 0, 0], [0, 0, 1, -1, 0, 0], [0, 0, 0, 0, 2, 0], [-1, 1, 0, 0, 0, 1]];
    const W = new Float64Array(m * n);
    cols.forEach((c, i) => c.forEach((v, k) => { W[k * n + i] = v; }));
    const model = new BinarySparseCoding({ W: matrix(W, m, n), b: [0.3, -1, 0.2, -0.5], beta: new Float64Array(m).fill(2) });
    const V = signals(model, 5, 9);
    const { elbo } = model.infer(V);
    const logp = model.exactLogLikelihood(V);
    expectClose(elbo, logp, 1e-12, 1e-12);
  });

  it('the wasm sweeps agree with the reference engine, sequential and parallel', () => {
    const model = randomBsc(41, 9, 12, 0.7);
    const V = signals(model, 20, 1);
    for (const schedule of ['sequential', 'parallel'] as const) {
      const w = model.infer(V, { schedule, maxIter: 40, tol: 0 });
      const t = model.infer(V, { schedule, maxIter: 40, tol: 0, engine: 'reference' });
      expect(w.nIter).toBe(t.nIter);
      expectClose(w.hHat.data, t.hHat.data, 0, 1e-9);
      expectClose(w.elbo, t.elbo, 1e-10);
    }
  });

  it('reports non-convergence with a flag and a finite last change, never NaN', () => {
    const model = randomBsc(51, 6, 10, 3);
    const V = signals(model, 4, 2);
    const r = model.infer(V, { schedule: 'parallel', damping: 1, maxIter: 3, tol: 0 });
    expect(r.converged).toBe(false);
    expect(r.nIter).toBe(3);
    expect(Number.isFinite(r.change)).toBe(true);
    expect(r.hHat.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(r.elbo.every(Number.isFinite)).toBe(true);
  });
});

describe('BinarySparseCoding: variational EM', () => {
  const truth = randomBsc(61, 8, 5, 1.5);
  const X = truth.sample(300, 3).V;

  for (const engine of ['wasm', 'reference'] as const) {
    it(`${engine}: never lowers its bound, and the bound stays below the exact log-likelihood`, () => {
      const model = new BinarySparseCoding({ nHidden: 5, seed: 2 }).fit(X, { maxIter: 30, engine, tol: 0 });
      const h = model.lowerBoundHistory;
      expect(h.length).toBe(30);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1] - 1e-9 * Math.abs(h[i - 1]));
      expect(h[h.length - 1]).toBeGreaterThan(h[0]);
      const ll = model.exactLogLikelihood(X).reduce((s, v) => s + v, 0) / X.rows;
      expect(model.infer(X).elbo.reduce((s, v) => s + v, 0) / X.rows).toBeLessThanOrEqual(ll);
    });
  }

  it('wasm and reference fits agree', () => {
    const a = new BinarySparseCoding({ nHidden: 5, seed: 2 }).fit(X, { maxIter: 5, tol: 0 });
    const b = new BinarySparseCoding({ nHidden: 5, seed: 2 }).fit(X, { maxIter: 5, tol: 0, engine: 'reference' });
    expectClose(a.lowerBoundHistory, b.lowerBoundHistory, 1e-9);
    expectClose(a.W.data, b.W.data, 1e-6, 1e-8);
  });

  it('calls onIteration with the bound and stops when it returns false', () => {
    const seen: number[] = [];
    const model = new BinarySparseCoding({ nHidden: 3, seed: 1 }).fit(X, { maxIter: 50, onIteration: ({ iteration }) => { seen.push(iteration); return iteration < 4; } });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(model.nIter).toBe(4);
  });

  it('keeps wasm memory flat across repeated fits and inferences', () => {
    new BinarySparseCoding({ nHidden: 4, seed: 1 }).fit(X, { maxIter: 2 });
    const before = bytesInUse();
    for (let i = 0; i < 3; i++) {
      const model = new BinarySparseCoding({ nHidden: 4, seed: i }).fit(X, { maxIter: 3 });
      model.infer(X);
      model.exactPosterior(X);
    }
    expect(bytesInUse()).toBe(before);
    expect(before).toBe(0);
  });
});

describe('BinarySparseCoding: JSON', () => {
  it('round-trips a fitted model exactly through toJSON / fromJSON', () => {
    const truth = new BinarySparseCoding({ W: [[1, 0, 1], [0, 1, 1]], b: [-1, -1, -1], beta: [9, 9] });
    const { V } = truth.sample(200, 3);
    const model = new BinarySparseCoding({ nHidden: 3, seed: 2 }).fit(V, { maxIter: 10 });
    const back = BinarySparseCoding.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.W.data)).toEqual(Array.from(model.W.data));
    expect(Array.from(back.beta)).toEqual(Array.from(model.beta));
    expect(back.lowerBoundHistory).toEqual(model.lowerBoundHistory);
    expect([back.nIter, back.converged]).toEqual([model.nIter, model.converged]);
    expect(Array.from(back.infer(V).elbo)).toEqual(Array.from(model.infer(V).elbo));
    expect(() => BinarySparseCoding.fromJSON({ kind: 'GaussianMixture' } as never)).toThrow(/BinarySparseCoding.toJSON/);
  });
});

describe('BinarySparseCoding: Float32Array data', () => {
  it('runs the f32 sweeps and agrees with the f64 inference to f32 accuracy, for both schedules', () => {
    const truth = new BinarySparseCoding({ W: [[1, 0, 1, 0.5], [0, 1, 1, -0.5], [0.3, 0.2, 0, 1]], b: [-1, -1, -1, -2], beta: [9, 9, 4] });
    const { V } = truth.sample(300, 5);
    const V32 = { data: Float32Array.from(V.data), rows: V.rows, cols: V.cols };
    for (const schedule of ['sequential', 'parallel'] as const) {
      const o = { schedule, damping: schedule === 'parallel' ? 0.5 : 1, maxIter: 200, tol: 1e-7 };
      const a = truth.infer(V, o), b = truth.infer(V32, o);
      expect(b.converged).toBe(true);
      expectClose(b.hHat.data, a.hHat.data, 0, 2e-4);
      expectClose(b.elbo, a.elbo, 1e-5, 1e-4);
    }
  });
});
