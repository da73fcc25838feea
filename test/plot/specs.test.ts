// The plot functions' Vega-Lite specifications: valid for Vega-Lite, drawing what they say
// (only the components in use, contours at the stated Mahalanobis radius) on axes that cover
// the data.
import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, GaussianMixture, boundSpec, componentsInUse, ellipseContour, mixtureSpec,
  pointsSpec, tilesSpec, type MixtureLike, type VegaLiteSpec,
} from '../../src/index.js';
import { loadIris } from '../../src/datasets/index.js';
import { ShapeError, ValueError } from '../../src/runtime/errors.js';
import { blobs } from '../mixture/data.js';
import { compile, viewOf } from './vega.js';

interface Row { x: number; y: number; label?: number; sigma?: number }
const layer = (spec: VegaLiteSpec, name: string) => (spec.layer as Array<{ name: string; data: { values: Row[] } }>).find((l) => l.name === name)!.data.values;
const quiet = { onWarning: () => {} };

async function fittedBayesian() {
  const { X } = await loadIris();
  const bgm = new BayesianGaussianMixture({ nComponents: 10, weightConcentrationPriorType: 'dirichlet_distribution', weightConcentrationPrior: 0.01, maxIter: 300, seed: 0, ...quiet }).fit(X);
  return { X, bgm };
}

describe('mixtureSpec', () => {
  it('compiles with Vega-Lite without a warning, for every covariance type', () => {
    const { X } = blobs(300, 2, 3, 4);
    for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 0, ...quiet }).fit(X);
      const { messages } = compile(mixtureSpec(gm, X, { title: covarianceType }));
      expect(messages, covarianceType).toEqual([]);
    }
  });

  it('draws only the components in use of a Bayesian mixture, and says how many of K they are', async () => {
    const { X, bgm } = await fittedBayesian();
    const used = componentsInUse(bgm);
    expect(used.length).toBeGreaterThan(1);
    expect(used.length).toBeLessThan(10);
    for (const k of used) expect(bgm.weights[k]).toBeGreaterThan(0.01);
    const spec = mixtureSpec(bgm, X);
    expect(new Set(layer(spec, 'contours').map((r) => r.label))).toEqual(new Set(used));
    expect(layer(spec, 'means').map((r) => r.label)).toEqual(used);
    expect((spec.title as { subtitle: string }).subtitle).toContain(`${used.length} of 10 components in use (weight > 0.01)`);
    expect(compile(spec).messages).toEqual([]);
  });

  it('takes the threshold of use as an option', () => {
    const model: MixtureLike = {
      covarianceType: 'spherical', weights: Float64Array.of(0.6, 0.3999, 1e-4),
      means: { data: Float64Array.of(0, 0, 5, 5, 10, 0), rows: 3, cols: 2 }, covariances: Float64Array.of(1, 1, 1),
    };
    const X = { data: Float64Array.of(0, 0, 5, 5, 1, 1), rows: 3, cols: 2 };
    expect(new Set(layer(mixtureSpec(model, X), 'means').map((r) => r.label))).toEqual(new Set([0, 1]));
    expect(new Set(layer(mixtureSpec(model, X, { minWeight: 0 }), 'means').map((r) => r.label))).toEqual(new Set([0, 1, 2]));
  });

  it('draws each contour at the stated number of standard deviations of the component', () => {
    const model: MixtureLike = {
      covarianceType: 'full', weights: Float64Array.of(1),
      means: { data: Float64Array.of(1, -2), rows: 1, cols: 2 }, covariances: Float64Array.of(4, 1.5, 1.5, 1),
    };
    const X = { data: Float64Array.of(0, 0, 2, -3), rows: 2, cols: 2 };
    const rows = layer(mixtureSpec(model, X, { sigmas: [1, 2] }), 'contours');
    const det = 4 * 1 - 1.5 * 1.5;
    for (const r of rows) {
      const dx = r.x - 1, dy = r.y + 2;
      const mahalanobis2 = (1 * dx * dx - 2 * 1.5 * dx * dy + 4 * dy * dy) / det; // (x − m)ᵀ Σ⁻¹ (x − m)
      expect(Math.sqrt(mahalanobis2)).toBeCloseTo(r.sigma!, 4);
    }
    expect(new Set(rows.map((r) => r.sigma))).toEqual(new Set([1, 2]));
  });

  it('has axes that cover every point and every contour it draws', async () => {
    const { X, bgm } = await fittedBayesian();
    const spec = mixtureSpec(bgm, X);
    const view = await viewOf(spec);
    const drawn = [...layer(spec, 'points'), ...layer(spec, 'contours')];
    for (const axis of ['x', 'y'] as const) {
      const [lo, hi] = view.scale(axis).domain() as [number, number];
      expect(lo).toBeLessThanOrEqual(Math.min(...drawn.map((r) => r[axis])));
      expect(hi).toBeGreaterThanOrEqual(Math.max(...drawn.map((r) => r[axis])));
    }
    view.finalize();
  });

  it('keeps a fixed domain when one is given (and clips what lies outside)', async () => {
    const { X } = blobs(200, 2, 2, 3);
    const gm = new GaussianMixture({ nComponents: 2, seed: 0, ...quiet }).fit(X);
    const view = await viewOf(mixtureSpec(gm, X, { domain: { x: [-10, 10], y: [-5, 5] } }));
    expect(view.scale('x').domain()).toEqual([-10, 10]);
    expect(view.scale('y').domain()).toEqual([-5, 5]);
    view.finalize();
  });

  it('rejects data whose columns are not the model\'s, and labels of the wrong length', () => {
    const { X } = blobs(100, 3, 2, 3);
    const gm = new GaussianMixture({ nComponents: 2, seed: 0, ...quiet }).fit(X);
    expect(() => mixtureSpec(gm, { data: X.data.subarray(0, 200), rows: 100, cols: 2 })).toThrow(ShapeError);
    expect(() => mixtureSpec(gm, X, { labels: [0, 1] })).toThrow(/labels must have 100 entries/);
    expect(() => mixtureSpec(gm, X, { sigmas: [0] })).toThrow(ValueError);
  });
});

describe('pointsSpec', () => {
  it('draws iris on its principal axes, coloured by class, as valid Vega-Lite', async () => {
    const { X, labels } = await loadIris();
    const spec = pointsSpec(X, { labels, legendTitle: 'species' });
    expect(layer(spec, 'points')).toHaveLength(150);
    expect(compile(spec).messages).toEqual([]);
    expect(() => pointsSpec({ data: Float64Array.of(1, 2), rows: 2, cols: 1 })).toThrow(/at least 2 columns/);
  });
});

describe('boundSpec', () => {
  it('plots the series against 1, 2, 3, … on a y axis that covers it and not zero', async () => {
    const history = [-1234.5678, -1100.25, -1090.125, -1089.9];
    const spec = boundSpec(history, { ylabel: 'mean log-likelihood' });
    expect(compile(spec).messages).toEqual([]);
    const view = await viewOf(spec);
    const [lo, hi] = view.scale('y').domain() as [number, number];
    expect(lo).toBeLessThanOrEqual(-1234.5678);
    expect(hi).toBeGreaterThanOrEqual(-1089.9);
    expect(hi).toBeLessThan(0);
    expect(view.scale('x').domain()[0]).toBe(1);
    view.finalize();
  });

  it('compiles with an empty history (a fit not started yet)', () => {
    expect(compile(boundSpec([])).messages).toEqual([]);
  });
});

describe('tilesSpec', () => {
  it('draws one square per pixel, reading images from rows or from columns alike', () => {
    const rows = { data: Float64Array.from({ length: 3 * 4 }, (_, i) => i - 5), rows: 3, cols: 4 };
    const cols = { data: new Float64Array(12), rows: 4, cols: 3 };
    for (let t = 0; t < 3; t++) for (let p = 0; p < 4; p++) cols.data[p * 3 + t] = rows.data[t * 4 + p];
    const a = tilesSpec(rows, { shape: [2, 2] }), b = tilesSpec(cols, { shape: [2, 2], layout: 'columns' });
    expect((a.data as { values: unknown[] }).values).toHaveLength(12);
    expect(b).toEqual(a);
    expect(compile(a).messages).toEqual([]);
    expect(compile(tilesSpec(rows, { colours: 'gray', columns: 1 })).messages).toEqual([]);
    expect(() => tilesSpec(rows, { shape: [3, 2] })).toThrow(/shape must multiply to the 4 pixels/);
  });

  it('scales each tile by its own largest magnitude', () => {
    const images = { data: Float64Array.of(1, -2, 100, 50), rows: 2, cols: 2 };
    const c = ((tilesSpec(images, { shape: [1, 2] }).data as { values: Array<{ c: number }> }).values).map((v) => v.c);
    expect(c).toEqual([0.5, -1, 1, 0.5]);
  });
});

describe('ellipseContour', () => {
  it('closes the curve and follows the principal axes of the covariance', () => {
    const xy = ellipseContour({ mean: [0, 0], covariance: [4, 0, 0, 1] }, 2, 4);
    expect(Array.from(xy)).toEqual([4, 0, expect.closeTo(0, 12), 2, -4, expect.closeTo(0, 12), expect.closeTo(0, 12), -2, 4, 0]);
  });
});

describe('the Vega-Lite check these tests use', () => {
  it('reports what Vega-Lite warns about (so a spec that Vega-Lite must repair fails above)', () => {
    const bad = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [{ a: 1 }] }, mark: 'line', encoding: { x: { field: 'a', type: 'quantitative', scale: { type: 'log', zero: true } } } };
    expect(compile(bad).messages).toEqual([expect.stringMatching(/^warn: .*"zero" is dropped/)]);
  });
});
