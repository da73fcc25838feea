import { describe, expect, it } from 'vitest';
import { sequenceSpec, ShapeError } from '../../src/index.js';
import { compile, svgOf } from './vega.js';

describe('sequenceSpec', () => {
  it('plots each step once, coloured by its decoded state', () => {
    const spec = sequenceSpec([0.5, 1.5, -2], Int32Array.of(0, 1, 1), { title: 'path' });
    const values = (spec.data as { values: { t: number; value: number; state: string }[] }).values;
    expect(values).toEqual([{ t: 1, value: 0.5, state: 'state 0' }, { t: 2, value: 1.5, state: 'state 1' }, { t: 3, value: -2, state: 'state 1' }]);
    const layers = spec.layer as { encoding?: { color?: { field: string } } }[];
    expect(layers.some((l) => l.encoding?.color?.field === 'state')).toBe(true);
  });

  it('compiles with Vega-Lite without a warning and renders one point per step', async () => {
    const values = Array.from({ length: 50 }, (_, t) => Math.sin(t / 5));
    const spec = sequenceSpec(values, values.map((v) => (v > 0 ? 1 : 0)));
    expect(compile(spec).messages).toEqual([]);
    const svg = await svgOf(spec);
    expect((svg.match(/<path[^>]*role-graphics-symbol|class="mark-symbol/g) ?? []).length).toBeGreaterThan(0);
  });

  it('refuses values and states of different lengths', () => {
    expect(() => sequenceSpec([1, 2], [0])).toThrow(ShapeError);
  });
});
