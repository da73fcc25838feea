// `elbo kmeans` on the shipped iris: exit 0, the files it promises, and a model KMeans.fromJSON reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMeans } from '../../src/index.js';
import { elbo, scratch } from './run.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

describe('elbo kmeans', () => {
  it('clusters iris, shows progress with the initialisation time, and writes the model, labels and centres', async () => {
    const r = await elbo(['kmeans', 'iris', '-k', '3', '--seed', '0', '--out', 'km.json', '--labels', 'labels.csv', '--centers', 'centres.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('KMeans: 3 clusters on 150 rows × 4 features');
    expect(r.stdout).toMatch(/converged after \d+ iterations; inertia 78\.85/);
    expect(r.stderr).toMatch(/^kmeans: iteration +1\/300 +inertia \d/m);
    expect(r.stderr).toMatch(/\(init \d+\.\d+ s\)/);
    const labels = readFileSync(join(dir, 'labels.csv'), 'utf-8').trim().split('\n').map(Number);
    expect(labels).toHaveLength(150);
    const km = KMeans.fromJSON(JSON.parse(readFileSync(join(dir, 'km.json'), 'utf-8')));
    expect(Array.from(km.labels)).toEqual(labels);
    expect(readFileSync(join(dir, 'centres.csv'), 'utf-8').trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('gives --json a summary with the inertia, and rejects a bad option by name', async () => {
    const r = await elbo(['kmeans', 'iris', '-k', '2', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'kmeans', rows: 150, cols: 4, nClusters: 2, converged: true });
    const bad = await elbo(['kmeans', 'iris', '--init', 'kmeans'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/init/);
  });
});
