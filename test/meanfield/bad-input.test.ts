import { describe, expect, it } from 'vitest';
import { BinarySparseCoding, BoltzmannMachine, IsingGrid, LinearGaussian, NotFittedError, ShapeError, ValueError } from '../../src/index.js';
import { matrix, randomBoltzmann, randomBsc } from './models.js';

describe('bad input is answered with a typed error naming the argument', () => {
  const bsc = randomBsc(1, 4, 3);
  const V = matrix(new Float64Array(8), 2, 4);

  it('BinarySparseCoding: shapes that disagree with the model', () => {
    expect(() => bsc.infer(matrix(new Float64Array(6), 2, 3))).toThrow(ShapeError);
    expect(() => bsc.infer(matrix(new Float64Array(6), 2, 3))).toThrow(/V must have 4 columns/);
    expect(() => bsc.elbo(V, matrix(new Float64Array(4), 2, 2))).toThrow(/hHat must have 3 columns/);
    expect(() => bsc.elbo(V, matrix(new Float64Array(3), 1, 3))).toThrow(/hHat must have 2 rows/);
    expect(() => bsc.logJoint(V, matrix([0, 1, 2, 0, 0, 0], 2, 3))).toThrow(/H must hold only 0 and 1/);
    expect(() => new BinarySparseCoding({ W: [[1, 2]], b: [0], beta: [1] })).toThrow(/b must have length 2/);
    expect(() => new BinarySparseCoding({ W: [[1, 2]], nHidden: 3 })).toThrow(/nHidden must equal/);
  });

  it('BinarySparseCoding: β ≤ 0, non-finite values, hHat outside [0, 1]', () => {
    expect(() => new BinarySparseCoding({ W: [[1, 2]], beta: [0] })).toThrow(ValueError);
    expect(() => new BinarySparseCoding({ W: [[1, 2]], beta: [-1] })).toThrow(/beta must be > 0/);
    expect(() => new BinarySparseCoding({ W: [[1, NaN]] })).toThrow(/W must contain only finite values/);
    expect(() => bsc.infer(matrix([0, 0, Infinity, 0, 0, 0, 0, 0], 2, 4))).toThrow(/V must contain only finite values; V\[0\]\[2\]/);
    expect(() => bsc.elbo(V, matrix([0, 0.5, 1.5, 0, 0, 0], 2, 3))).toThrow(/hHat must lie in \[0, 1\]/);
  });

  it('damping outside (0, 1], unknown schedule or engine, bad maxIter', () => {
    for (const damping of [0, -0.5, 1.5, NaN]) expect(() => bsc.infer(V, { damping })).toThrow(/damping must lie in \(0, 1\]/);
    expect(() => bsc.infer(V, { schedule: 'random' as never })).toThrow(/schedule must be 'sequential' or 'parallel'/);
    expect(() => bsc.infer(V, { engine: 'gpu' as never })).toThrow(/engine must be/);
    expect(() => bsc.infer(V, { maxIter: 0 })).toThrow(/maxIter must be an integer ≥ 1/);
    expect(() => new IsingGrid({ height: 2, width: 2, coupling: 1 }).meanField({ damping: 2 })).toThrow(/damping/);
  });

  it('n too large for enumeration, refused before any work', () => {
    const big = randomBsc(2, 3, 25);
    const Vb = matrix(new Float64Array(3), 1, 3);
    expect(() => big.exactLogLikelihood(Vb)).toThrow(/exact enumeration is limited to 24 latent units/);
    expect(() => big.exactPosterior(Vb)).toThrow(ValueError);
    const bm = randomBoltzmann(3, 26);
    expect(() => bm.exactLogPartition()).toThrow(/2\^26 states/);
    // Clamping units brings the free count under the limit.
    expect(Number.isFinite(bm.exactLogPartition(Float64Array.from({ length: 26 }, (_, i) => (i < 6 ? 1 : NaN))))).toBe(true);
  });

  it('BoltzmannMachine: non-symmetric W, non-zero diagonal, non-square W, bad clamps', () => {
    expect(() => new BoltzmannMachine({ W: [[0, 1], [2, 0]] })).toThrow(/W must be symmetric; W\[1\]\[0\] = 2 but W\[0\]\[1\] = 1/);
    expect(() => new BoltzmannMachine({ W: [[1, 0], [0, 0]] })).toThrow(/W must have a zero diagonal/);
    expect(() => new BoltzmannMachine({ W: [[0, 1, 0], [1, 0, 0]] })).toThrow(/W must be square/);
    expect(() => new BoltzmannMachine({ W: [[0, 1], [1, 0]], b: [1] })).toThrow(/b must have length 2/);
    const bm = new BoltzmannMachine({ W: [[0, 1], [1, 0]] });
    expect(() => bm.meanField([0.5, NaN])).toThrow(/clamp must hold 0 or 1 \(observed\) or NaN \(free\); clamp\[0\] is 0.5/);
    expect(() => bm.meanField([1])).toThrow(/clamp must have length 2/);
  });

  it('LinearGaussian: ψ ≤ 0, shapes, unknown fit method', () => {
    expect(() => new LinearGaussian({ W: [[1], [2]], psi: [1, 0] })).toThrow(/psi must be > 0 everywhere; psi\[1\] is 0/);
    expect(() => new LinearGaussian({ W: [[1], [2]], mean: [1, 2, 3] })).toThrow(/mean must have length 2/);
    const lg = new LinearGaussian({ W: [[1], [2]] });
    expect(() => lg.logLikelihood([[1, 2, 3]])).toThrow(/V must have 2 columns/);
    expect(() => lg.fit([[1, 2], [3, 4]], { method: 'gibbs' as never })).toThrow(/method must be 'em' or 'variational'/);
  });

  it('models without parameters say so', () => {
    expect(() => new BinarySparseCoding({ nHidden: 3 }).infer(V)).toThrow(NotFittedError);
    expect(() => new LinearGaussian({ nComponents: 2 }).logLikelihood(V)).toThrow(NotFittedError);
    expect(() => new BinarySparseCoding({})).toThrow(/nHidden must be an integer/);
  });
});
