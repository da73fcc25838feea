// The objective-against-work plot: one line per method, rendered by vega without warnings.
import { describe, expect, it } from 'vitest';
import { LISTA, lassoObjective, sparseEncode, workSpec } from '../../src/index.js';
import { signals, sparseProblem } from '../learned/problem.js';
import { compile, svgOf, ticksPerAxis } from './vega.js';

describe('workSpec', () => {
  it('draws LISTA after T layers beside ISTA after k iterations, one line each, with no vega warnings', async () => {
    const { D, X } = sparseProblem(300, 16, 10, 2, 51);
    const Xtest = signals(D, 50, 2, 52);
    const alpha = 0.05;
    const ks = [1, 2, 3, 4, 5, 6];
    const ista = ks.map((k) => lassoObjective(Xtest, D, sparseEncode(Xtest, D, { alpha, algorithm: 'ista', maxIter: k, tol: 0 }).codes, alpha));
    const layers = [1, 2, 3];
    const lista = layers.map((T) => lassoObjective(Xtest, D, new LISTA({ dictionary: D, alpha, nLayers: T, seed: 1, epochs: 5 }).fit(X).transform(Xtest), alpha));
    const spec = workSpec([{ name: 'ISTA', work: ks, value: ista }, { name: 'LISTA', work: layers, value: lista }], { title: 'objective against work', logY: true });
    expect(compile(spec).messages).toEqual([]);
    const values = (spec.data as { values: { method: string }[] }).values;
    expect(values.filter((v) => v.method === 'ISTA')).toHaveLength(6);
    expect(values.filter((v) => v.method === 'LISTA')).toHaveLength(3);
    const svg = await svgOf(spec);
    expect(svg).toContain('LISTA');
    for (const t of ticksPerAxis(svg)) expect(t).toBeGreaterThan(1);
    expect(svg).toMatch(/mark-line role-mark/);
    expect(svg).toContain('ISTA');
  });

  it('leaves out non-finite points, and non-positive ones on a log axis', () => {
    const spec = workSpec([{ name: 'a', work: [1, 2, 3, 4], value: [1, NaN, 0, 2] }], { logY: true });
    expect((spec.data as { values: unknown[] }).values).toEqual([{ method: 'a', work: 1, value: 1 }, { method: 'a', work: 4, value: 2 }]);
  });
});
