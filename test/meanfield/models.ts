// Seeded random models and brute-force oracles for the mean-field tests.
import { BinarySparseCoding, BoltzmannMachine, Random, type Matrix } from '../../src/index.js';

export function randomBsc(seed: number, m: number, n: number, scale = 1): BinarySparseCoding {
  const rng = new Random(seed);
  const W = rng.fillNormal(new Float64Array(m * n), 0, scale);
  const b = rng.fillNormal(new Float64Array(n), -0.5, 1);
  const beta = Float64Array.from({ length: m }, () => 0.5 + 2 * rng.random());
  return new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b, beta });
}

export function randomBoltzmann(seed: number, n: number, scale = 1): BoltzmannMachine {
  const rng = new Random(seed);
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) W[i * n + j] = W[j * n + i] = scale * rng.normal();
  return new BoltzmannMachine({ W: { data: W, rows: n, cols: n }, b: rng.fillNormal(new Float64Array(n)) });
}

export function matrix(data: ArrayLike<number>, rows: number, cols: number): Matrix<Float64Array> {
  return { data: Float64Array.from(data), rows, cols };
}

/** Every binary state of n units, as rows of a (2ⁿ × n) matrix. */
export function allStates(n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let s = 0; s < 2 ** n; s++) out.push(Float64Array.from({ length: n }, (_, i) => (s >> i) & 1));
  return out;
}

export function logSumExp(values: number[]): number {
  const M = Math.max(...values);
  return M + Math.log(values.reduce((s, v) => s + Math.exp(v - M), 0));
}

/** log q(h) for a factorised Bernoulli q with means p, at a binary state h (−Inf where q(h) = 0). */
export function logQ(p: ArrayLike<number>, h: ArrayLike<number>, offset = 0): number {
  let s = 0;
  for (let i = 0; i < h.length; i++) s += Math.log(h[i] === 1 ? p[offset + i] : 1 - p[offset + i]);
  return s;
}

/**
 * KL(q ‖ p) = Σ_h q(h)(log q(h) − log p(h)) by enumeration, with log p(h) = logJoint(h) − logZ.
 */
export function klByEnumeration(n: number, p: ArrayLike<number>, offset: number, logJoint: (h: Float64Array) => number, logZ: number): number {
  let kl = 0;
  for (const h of allStates(n)) {
    const lq = logQ(p, h, offset);
    if (lq === -Infinity) continue;
    kl += Math.exp(lq) * (lq - (logJoint(h) - logZ));
  }
  return kl;
}
