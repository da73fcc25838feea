import { describe, expect, it } from 'vitest';
import { BoltzmannMachine, IsingGrid, Random } from '../../src/index.js';
import { expectClose } from '../helpers.js';
import { allStates, klByEnumeration, logSumExp, randomBoltzmann } from './models.js';

/** The free units of a clamp, and the full state with free units set from h. */
function withClamp(clamp: Float64Array, h: Float64Array): Float64Array {
  const x = Float64Array.from(clamp);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) x[i] = h[k++];
  return x;
}

function freeCount(clamp: Float64Array): number {
  return clamp.filter((v) => Number.isNaN(v)).length;
}

const CLAMPS = (n: number, rng: Random): Float64Array[] => [
  new Float64Array(n).fill(NaN),
  Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? rng.int(2) : NaN)),
  Float64Array.from({ length: n }, (_, i) => (i < n - 2 ? rng.int(2) : NaN)),
];

describe('BoltzmannMachine', () => {
  for (const schedule of ['sequential', 'parallel'] as const) {
    it(`${schedule}: L ≤ log Σ_h exp(−E(v, h)), and the gap is KL(q ‖ p(h|v)) by enumeration (to 1e-9)`, () => {
      const rng = new Random(1);
      for (const [seed, n] of [[1, 5], [2, 8], [3, 10]]) {
        const bm = randomBoltzmann(seed, n, 0.6);
        for (const clamp of CLAMPS(n, rng)) {
          const r = bm.meanField(clamp, { schedule, maxIter: 2000, damping: schedule === 'parallel' ? 0.3 : 1 });
          expect(r.converged).toBe(true);
          const logZ = bm.exactLogPartition(clamp);
          expect(r.lowerBound).toBeLessThanOrEqual(logZ + 1e-12 * Math.abs(logZ));
          const free = Float64Array.from(r.marginals.filter((_, i) => Number.isNaN(clamp[i])));
          const kl = klByEnumeration(freeCount(clamp), free, 0, (h) => -bm.energy(withClamp(clamp, h)), logZ);
          expect(Math.abs(logZ - r.lowerBound - kl)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(logZ)));
        }
      }
    });
  }

  it('exactLogPartition and exactMarginals agree with a brute-force sum over exp(−E(x)) (n ≤ 10)', () => {
    const rng = new Random(2);
    for (const n of [1, 3, 7, 10]) {
      const bm = randomBoltzmann(10 + n, n);
      for (const clamp of CLAMPS(n, rng)) {
        const k = freeCount(clamp);
        const states = allStates(k).map((h) => withClamp(clamp, h));
        const values = states.map((x) => -bm.energy(x));
        const logZ = logSumExp(values);
        expect(Math.abs(bm.exactLogPartition(clamp) - logZ)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(logZ)));
        const want = new Float64Array(n);
        states.forEach((x, s) => x.forEach((v, i) => { want[i] += v * Math.exp(values[s] - logZ); }));
        expectClose(bm.exactMarginals(clamp), want, 0, 1e-11);
      }
    }
  });

  it('mean-field is exact (KL = 0, marginals σ(b)) when W = 0', () => {
    const n = 9;
    const b = new Random(3).fillNormal(new Float64Array(n), 0, 2);
    const bm = new BoltzmannMachine({ W: { data: new Float64Array(n * n), rows: n, cols: n }, b });
    const r = bm.meanField();
    expect(Math.abs(r.lowerBound - bm.exactLogPartition())).toBeLessThanOrEqual(1e-12);
    expectClose(r.marginals, b.map((v) => 1 / (1 + Math.exp(-v))), 1e-12);
  });

  it('sequential sweeps never lower the bound (the bound after k sweeps rises with k)', () => {
    const bm = randomBoltzmann(4, 12, 1.2);
    let prev = -Infinity;
    for (let k = 1; k <= 12; k++) {
      const L = bm.meanField(undefined, { maxIter: k, tol: 0 }).lowerBound;
      expect(L).toBeGreaterThanOrEqual(prev - 1e-12 * Math.abs(prev));
      prev = L;
    }
  });

  it('lowerBound(marginals) recomputes the bound of meanField in closed form', () => {
    const bm = randomBoltzmann(5, 7);
    const clamp = Float64Array.of(1, NaN, NaN, 0, NaN, NaN, NaN);
    const r = bm.meanField(clamp);
    expect(bm.lowerBound(r.marginals, clamp)).toBeCloseTo(r.lowerBound, 12);
  });

  it('the wasm sweeps agree with the reference engine', () => {
    const bm = randomBoltzmann(6, 40, 0.3);
    for (const schedule of ['sequential', 'parallel'] as const) {
      const w = bm.meanField(undefined, { schedule, maxIter: 30, tol: 0 });
      const t = bm.meanField(undefined, { schedule, maxIter: 30, tol: 0, engine: 'reference' });
      expectClose(w.marginals, t.marginals, 0, 1e-10);
      expect(Math.abs(w.lowerBound - t.lowerBound)).toBeLessThanOrEqual(1e-10 * Math.abs(t.lowerBound));
    }
  });

  it('reports a parallel schedule that oscillates as not converged, with its last change', () => {
    // Two units that repel strongly, started just off their symmetric fixed point: undamped
    // parallel updates switch both on, then both off, forever.
    const bm = new BoltzmannMachine({ W: [[0, -8], [-8, 0]], b: [4.2, 4.2] });
    const r = bm.meanField(undefined, { schedule: 'parallel', damping: 1, maxIter: 50 });
    expect(r.converged).toBe(false);
    expect(r.change).toBeGreaterThan(0.5);
    expect(Number.isFinite(r.lowerBound)).toBe(true);
    expect(bm.meanField(undefined, { schedule: 'sequential' }).converged).toBe(true);
  });
});

/** A seeded 24 × 24 binary image: a disc and a bar. */
function shape(height: number, width: number): Float64Array {
  const img = new Float64Array(height * width);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const disc = (i - 9) ** 2 + (j - 9) ** 2 <= 36;
      const bar = i >= 15 && i <= 19 && j >= 4 && j <= 21;
      img[i * width + j] = disc || bar ? 1 : 0;
    }
  }
  return img;
}

describe('IsingGrid', () => {
  it('denoises a binary image with 12% flipped pixels better than the noisy input', () => {
    const H = 24, W = 24;
    const clean = shape(H, W);
    const rng = new Random(7);
    const noisy = clean.map((v) => (rng.random() < 0.12 ? 1 - v : v));
    const errors = (img: ArrayLike<number>) => Array.from(img).filter((v, i) => v !== clean[i]).length;
    const grid = IsingGrid.fromSpins({ height: H, width: W, coupling: 0.7, field: noisy.map((v) => 1.0 * (2 * v - 1)) });
    const r = grid.meanField();
    expect(r.converged).toBe(true);
    const restored = r.marginals.map((p) => (p > 0.5 ? 1 : 0));
    expect(errors(noisy)).toBeGreaterThan(40);
    expect(errors(restored)).toBeLessThan(errors(noisy) / 3);
  });

  it('bounds log Z from below on a grid small enough to enumerate, and its bound is the dense machine\'s', () => {
    const rng = new Random(8);
    const grid = new IsingGrid({ height: 4, width: 5, coupling: 0.9, bias: rng.fillNormal(new Float64Array(20)) });
    const r = grid.meanField();
    const bm = grid.toBoltzmannMachine();
    expect(r.lowerBound).toBeLessThanOrEqual(bm.exactLogPartition());
    expect(bm.lowerBound(r.marginals)).toBeCloseTo(r.lowerBound, 11);
  });

  it('checkerboard half-sweeps never lower the bound', () => {
    const rng = new Random(9);
    const grid = new IsingGrid({ height: 9, width: 13, coupling: 1.5, bias: rng.fillNormal(new Float64Array(117), 0, 2) });
    let prev = -Infinity;
    for (let k = 1; k <= 10; k++) {
      const L = grid.meanField({ maxIter: k, tol: 0 }).lowerBound;
      expect(L).toBeGreaterThanOrEqual(prev - 1e-12 * Math.abs(prev));
      prev = L;
    }
  });

  it('the wasm checkerboard agrees with the reference engine, and its fixed point with the dense sequential one', () => {
    const rng = new Random(10);
    const grid = new IsingGrid({ height: 7, width: 11, coupling: 0.4, bias: rng.fillNormal(new Float64Array(77)) });
    const w = grid.meanField({ damping: 0.8 });
    const t = grid.meanField({ damping: 0.8, engine: 'reference' });
    expect(w.nIter).toBe(t.nIter);
    expectClose(w.marginals, t.marginals, 0, 1e-12);
    // Weak coupling: the fixed point is unique, so every schedule finds it.
    expectClose(grid.toBoltzmannMachine().meanField().marginals, w.marginals, 0, 1e-7);
  });
});
