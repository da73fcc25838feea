// The mean-field models never answer NaN: exact enumeration at any scale, typed errors where a
// model's own parameters leave f64, and a warning whenever sweeps or fits stop short.
import { describe, expect, it } from 'vitest';
import { BinarySparseCoding, BoltzmannMachine, IsingGrid, LinearGaussian, Random, ValueError } from '../../src/index.js';
import { enumerate } from '../../src/meanfield/quadratic.js';
import { matrix, randomBoltzmann, randomBsc } from './models.js';

/** log Σ_h exp(aᵀh + ½hᵀJh), each state's value summed from its own terms only (no running sums). */
function bruteLogZ(a: ArrayLike<number>, J: ArrayLike<number>, n: number): number {
  const values: number[] = [];
  for (let state = 0; state < 2 ** n; state++) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (!((state >> i) & 1)) continue;
      v += a[i];
      for (let j = 0; j < i; j++) if ((state >> j) & 1) v += J[i * n + j];
    }
    values.push(v);
  }
  const M = Math.max(...values);
  return M + Math.log(values.reduce((s, v) => s + Math.exp(v - M), 0));
}

/** The Ising grid's a and J, as BoltzmannMachine sees them. */
function gridForm(g: IsingGrid): { a: Float64Array; J: Float64Array; n: number } {
  const bm = g.toBoltzmannMachine();
  return { a: bm.b, J: bm.W, n: bm.n };
}

describe('exact enumeration at any scale', () => {
  it('IsingGrid 3×3 with coupling −1e22: log Z is the brute-force 4.143, not 3.4e7', () => {
    const g = new IsingGrid({ height: 3, width: 3, coupling: -1e22 });
    const { a, J, n } = gridForm(g);
    const truth = bruteLogZ(a, J, n);
    expect(truth).toBeCloseTo(4.143134726391533, 12);
    expect(g.toBoltzmannMachine().exactLogPartition()).toBeCloseTo(truth, 12);
  });

  it('agrees with the state-by-state sum for couplings from 1e-300 to 1e300, both signs, with biases, on both engines', () => {
    const rng = new Random(8);
    for (const scale of [1e-300, 1e-20, 1, 1e8, 1e22, 1e100, 1e300]) {
      for (const sign of [-1, 1]) {
        const n = 9;
        const a = Float64Array.from({ length: n }, () => rng.normal() * (scale > 1 ? 3 : 1));
        const J = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (rng.random() < 0.5) J[i * n + j] = J[j * n + i] = sign * scale * (0.5 + rng.random());
        const truth = bruteLogZ(a, J, n);
        const q = { a, J, rows: 1, n };
        for (const engine of ['wasm', 'reference'] as const) {
          const got = enumerate(q, false, engine).logZ[0];
          expect(Math.abs(got - truth), `${engine} scale ${sign * scale}: ${got} vs ${truth}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(truth)));
        }
      }
    }
  });

  it('refuses a log Z beyond f64 with an error naming W and b', () => {
    const n = 4;
    const W = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) W[i * n + j] = 1e308;
    expect(() => new BoltzmannMachine({ W: { data: W, rows: n, cols: n } }).exactLogPartition()).toThrow(/^log Z is beyond f64: W and b/);
  });
});

describe('parameters beyond f64 are typed errors, never NaN beside converged: true', () => {
  it('BinarySparseCoding with W = 1e300·I: a ValueError naming W and beta', () => {
    expect(() => new BinarySparseCoding({ W: [[1e300, 0], [0, 1e300]] })).toThrow(ValueError);
    expect(() => new BinarySparseCoding({ W: [[1e300, 0], [0, 1e300]] })).toThrow(/^W and beta give .* beyond f64: every entry of Wᵀ·diag\(beta\)·W must be finite/);
    // Large but representable: finite bounds, converged.
    const bsc = new BinarySparseCoding({ W: [[1e100, 0], [0, 1e100]], beta: [1, 1], onWarning: () => {} });
    const r = bsc.infer([[1e100, 0], [0, 2e100]]);
    expect(r.elbo.every(Number.isFinite)).toBe(true);
    expect(r.converged).toBe(true);
  });

  it('BinarySparseCoding refuses V whose statistics overflow, naming V', () => {
    const bsc = randomBsc(2, 3, 2);
    expect(() => bsc.infer([[1e200, 0, 0]])).toThrow(/^the bound of row 0 of V is not finite: V \(max \|v\| = 1\.00e\+200\)/);
    expect(() => new BinarySparseCoding({ nHidden: 2 }).fit([[1e160, 0], [0, 1], [1, 1]])).toThrow(/^V column 0 has Σ v² beyond f64/);
  });

  it('LinearGaussian with W = [[1e200], [1]]: a ValueError naming W and psi', () => {
    expect(() => new LinearGaussian({ W: [[1e200], [1]] })).toThrow(ValueError);
    expect(() => new LinearGaussian({ W: [[1e200], [1]] })).toThrow(/^W and psi give the posterior precision I \+ WᵀΨ⁻¹W an entry \[0\]\[0\] beyond f64/);
    // Huge loadings with noise to match are fine: Λ = 1 + 1e300/1e300 + 1 stays finite.
    const lg = new LinearGaussian({ W: [[1e150], [1]], psi: [1e300, 1] });
    const V = [[1e150, 1]];
    expect(Number.isFinite(lg.meanField(V).elbo[0])).toBe(true);
    expect(Number.isFinite(lg.kl(V)[0])).toBe(true);
  });
});

describe('every mean-field model warns through onWarning when it stops at maxIter', () => {
  it('BinarySparseCoding.infer and fit', () => {
    const messages: string[] = [];
    const bsc = new BinarySparseCoding({ W: [[1, 0.9, 0.5], [0.8, 1, 0.7]], b: [-1, -1, -1], beta: [4, 4], onWarning: (m) => messages.push(m) });
    const r = bsc.infer([[1, 0.1], [0.9, 1.1]], { maxIter: 1, tol: 1e-12 });
    expect(r.converged).toBe(false);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^BinarySparseCoding\.infer did not converge in 1 sweeps \(last largest change .* above tol = 1e-12\)/);
    messages.length = 0;
    bsc.infer([[1, 0.1], [0.9, 1.1]]);
    expect(messages).toEqual([]);
    const V = randomBsc(3, 4, 3).sample(40, 1).V;
    const learner = new BinarySparseCoding({ nHidden: 3, seed: 1, onWarning: (m) => messages.push(m) }).fit(V, { maxIter: 2, tol: 1e-12 });
    expect(learner.converged).toBe(false);
    expect(messages).toEqual(['BinarySparseCoding did not converge in 2 iterations (last change of the bound above tol = 1e-12); try a larger maxIter or tol']);
  });

  it('LinearGaussian.meanField and fit', () => {
    const messages: string[] = [];
    const lg = new LinearGaussian({ W: [[1, 0.5], [0, 1], [1, 1]], psi: [0.1, 0.2, 0.1], onWarning: (m) => messages.push(m) });
    expect(lg.meanField([[1, 2, 0.5]], { maxIter: 1, tol: 1e-14 }).converged).toBe(false);
    expect(messages[0]).toMatch(/^LinearGaussian\.meanField did not converge in 1 sweeps/);
    messages.length = 0;
    const V = lg.sample(50, 2).V;
    new LinearGaussian({ nComponents: 2, seed: 1, onWarning: (m) => messages.push(m) }).fit(V, { maxIter: 2, tol: 1e-14 });
    new LinearGaussian({ nComponents: 2, seed: 1, onWarning: (m) => messages.push(m) }).fit(V, { method: 'variational', maxIter: 2, tol: 1e-14 });
    expect(messages).toEqual([
      'LinearGaussian did not converge in 2 iterations (last change of the bound above tol = 1e-14); try a larger maxIter or tol',
      'LinearGaussian did not converge in 2 iterations (last change of the bound above tol = 1e-14); try a larger maxIter or tol',
    ]);
  });

  it('BoltzmannMachine.meanField and IsingGrid.meanField (and its BoltzmannMachine)', () => {
    const messages: string[] = [];
    const bm = new BoltzmannMachine({ W: { data: randomBoltzmann(4, 6).W, rows: 6, cols: 6 }, onWarning: (m) => messages.push(m) });
    expect(bm.meanField(undefined, { maxIter: 1, tol: 1e-12 }).converged).toBe(false);
    expect(messages[0]).toMatch(/^BoltzmannMachine\.meanField did not converge in 1 sweeps/);
    messages.length = 0;
    const grid = new IsingGrid({ height: 4, width: 4, coupling: 0.8, bias: new Array(16).fill(-0.5), onWarning: (m) => messages.push(m) });
    expect(grid.meanField({ maxIter: 1, tol: 1e-12 }).converged).toBe(false);
    grid.toBoltzmannMachine().meanField(undefined, { maxIter: 1, tol: 1e-12 });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^IsingGrid\.meanField did not converge in 1 sweeps/);
    expect(messages[1]).toMatch(/^BoltzmannMachine\.meanField did not converge in 1 sweeps/);
    messages.length = 0;
    grid.meanField();
    bm.meanField();
    expect(messages).toEqual([]);
    const spins = IsingGrid.fromSpins({ height: 2, width: 2, coupling: 0.3, field: [0.1, 0.2, 0.3, 0.4], onWarning: (m) => messages.push(m) });
    spins.meanField({ maxIter: 1, tol: 1e-14 });
    expect(messages).toHaveLength(1);
  });

  it('a tol of 0 asks for every sweep and does not warn', () => {
    const messages: string[] = [];
    const bsc = new BinarySparseCoding({ W: [[1, 0.9], [0.8, 1]], onWarning: (m) => messages.push(m) });
    bsc.infer(matrix([1, 0.1], 1, 2), { maxIter: 3, tol: 0 });
    expect(messages).toEqual([]);
  });
});
