import { describe, expect, it } from 'vitest';
import { loadDigits, loadIris } from '../src/datasets/index.js';

describe('shipped data sets', () => {
  it('loads iris: 150 × 4, three classes of 50', async () => {
    const d = await loadIris();
    expect([d.X.rows, d.X.cols]).toEqual([150, 4]);
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([0, 1, 2].map((c) => d.labels.filter((l) => l === c).length)).toEqual([50, 50, 50]);
    expect(Array.from(d.X.data.slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
  });

  it('loads digits: 1797 × 64 pixels in 0..16, labels 0..9', async () => {
    const d = await loadDigits();
    expect([d.X.rows, d.X.cols]).toEqual([1797, 64]);
    expect(d.imageShape).toEqual([8, 8]);
    expect(Math.min(...d.X.data)).toBe(0);
    expect(Math.max(...d.X.data)).toBe(16);
    expect(new Set(d.labels).size).toBe(10);
  });
});
