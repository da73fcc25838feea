// The plots as the command line renders them (vega, no browser): axes with ticks as Vega draws
// them, every label and title inside the picture, only the components in use drawn.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, boundSpec, componentsInUse, mixtureSpec, tilesSpec, type VegaLiteSpec } from '../../src/index.js';
import { loadIris } from '../../src/datasets/index.js';
import { markGroups, svgOf, ticksPerAxis, viewOf } from './vega.js';

/** The rendered picture's size and the bounds of everything in it (vega's own scenegraph, including text extents). */
async function extents(spec: VegaLiteSpec) {
  const view = await viewOf(spec);
  const svg = await view.toSVG();
  const [w, h] = [/width="(\d+(?:\.\d+)?)"/, /height="(\d+(?:\.\d+)?)"/].map((r) => Number(r.exec(svg)![1]));
  const [ox, oy] = view.origin();
  const b = (view.scenegraph() as unknown as { root: { bounds: { x1: number; y1: number; x2: number; y2: number } } }).root.bounds;
  view.finalize();
  return { w, h, x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy };
}

describe('plots rendered to SVG by vega', () => {
  it('a mixture on iris: more than two ticks per axis, one contour per component in use', async () => {
    const { X } = await loadIris();
    const bgm = new BayesianGaussianMixture({ nComponents: 10, weightConcentrationPriorType: 'dirichlet_distribution', weightConcentrationPrior: 0.01, maxIter: 300, seed: 0, onWarning: () => {} }).fit(X);
    const spec = mixtureSpec(bgm, X, { title: 'iris' });
    const svg = await svgOf(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    const ticks = ticksPerAxis(svg);
    expect(ticks).toHaveLength(2);
    for (const t of ticks) expect(t).toBeGreaterThan(2);
    expect(markGroups(svg, 'contours')).toBe(componentsInUse(bgm).length);
    expect(markGroups(svg, 'means')).toBe(1);
  });

  it('the bound: more than two ticks per axis, and long tick labels inside the picture', async () => {
    const history = Array.from({ length: 40 }, (_, i) => -123456.789 + 1000 * (1 - Math.exp(-i / 5)));
    const spec = boundSpec(history, { title: 'a bound with long tick labels', ylabel: 'lower bound' });
    const svg = await svgOf(spec);
    for (const t of ticksPerAxis(svg)) expect(t).toBeGreaterThan(2);
    expect(svg).toContain('−123,400'); // a label at full length, as vega formats it
    const e = await extents(spec);
    // Within half a pixel: lines are drawn on pixel centres.
    expect(e.x1).toBeGreaterThanOrEqual(-0.5);
    expect(e.y1).toBeGreaterThanOrEqual(-0.5);
    expect(e.x2).toBeLessThanOrEqual(e.w + 0.5);
    expect(e.y2).toBeLessThanOrEqual(e.h + 0.5);
  });

  it('tiles: one square per pixel and the title inside the picture', async () => {
    const images = { data: Float64Array.from({ length: 12 * 16 }, (_, i) => Math.sin(i)), rows: 12, cols: 16 };
    const spec = tilesSpec(images, { shape: [4, 4], columns: 6, pixel: 5, title: 'twelve 4 × 4 tiles with a title wider than the grid of tiles' });
    const svg = await svgOf(spec);
    expect(svg.match(/<path d="M[^"]*h5v5h-5Z"/g)).toHaveLength(12 * 16);
    const e = await extents(spec);
    expect(e.x1).toBeGreaterThanOrEqual(-0.5);
    expect(e.x2).toBeLessThanOrEqual(e.w + 0.5);
  });
});
