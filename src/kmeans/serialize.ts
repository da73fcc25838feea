/**
 * KMeans ⇄ plain JSON. Loading checks everything — types, integers, finiteness, lengths — and
 * names the field path of the first problem, e.g. `json.clusterCenters.data[5] must be a finite
 * number; got null`, so a damaged file is never half-loaded.
 */
import { ValueError } from '../runtime/errors.js';
import { describe, type SerializedMatrix } from '../runtime/matrix.js';
import { checkSeed } from '../runtime/validate.js';
import type { KMeansAlgorithm, KMeansJSON } from './types.js';

/** The fitted state of a KMeans. */
export interface KMeansFit {
  centres: Float64Array;
  nFeatures: number;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** The options a saved KMeans keeps. */
export type SavedKMeansOptions = KMeansJSON['options'];

function fail(path: string, what: string, v: unknown): never {
  throw new ValueError(`${path} must be ${what}; got ${describe(v)}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v;
}

function integer(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(path, `an integer ≥ ${min}`, v);
  return v;
}

function finiteArray(v: unknown, path: string, length: number): number[] {
  if (!Array.isArray(v)) fail(path, `an array of ${length} numbers`, v);
  if (v.length !== length) throw new ValueError(`${path} must have length ${length}; got ${v.length}`);
  v.forEach((x, i) => finite(x, `${path}[${i}]`));
  return v as number[];
}

function matrix(v: unknown, path: string, rows: number, cols: number): SerializedMatrix {
  const m = object(v, path);
  integer(m.rows, `${path}.rows`, rows);
  if (m.rows !== rows) throw new ValueError(`${path}.rows must be ${rows}; got ${describe(m.rows)}`);
  if (m.cols !== cols) throw new ValueError(`${path}.cols must be ${cols}; got ${describe(m.cols)}`);
  return { rows, cols, data: finiteArray(m.data, `${path}.data`, rows * cols) };
}

export function toJSON(o: SavedKMeansOptions, f: KMeansFit): KMeansJSON {
  const K = o.nClusters, D = f.nFeatures;
  return {
    kind: 'KMeans',
    version: 1,
    options: { ...o, init: typeof o.init === 'string' ? o.init : { ...o.init, data: o.init.data.slice() } },
    nFeatures: D,
    clusterCenters: { rows: K, cols: D, data: Array.from(f.centres) },
    labels: Array.from(f.labels),
    inertia: f.inertia,
    nIter: f.nIter,
    converged: f.converged,
  };
}

export function fromJSON(json: unknown): { options: SavedKMeansOptions; fitted: KMeansFit } {
  const j = object(json, 'json');
  if (j.kind !== 'KMeans') fail('json.kind', "'KMeans'", j.kind);
  if (j.version !== 1) fail('json.version', '1 (the only format this version reads)', j.version);
  const o = object(j.options, 'json.options');
  const K = integer(o.nClusters, 'json.options.nClusters', 1);
  const D = integer(j.nFeatures, 'json.nFeatures', 1);
  let init: SavedKMeansOptions['init'];
  if (o.init === 'k-means++' || o.init === 'random') init = o.init;
  else init = matrix(o.init, 'json.options.init', K, D);
  if (o.algorithm !== 'lloyd' && o.algorithm !== 'elkan') fail('json.options.algorithm', "'lloyd' or 'elkan'", o.algorithm);
  const tol = finite(o.tol, 'json.options.tol');
  if (tol < 0) fail('json.options.tol', 'a finite number ≥ 0', tol);
  const options: SavedKMeansOptions = {
    nClusters: K, init, nInit: integer(o.nInit, 'json.options.nInit', 1), maxIter: integer(o.maxIter, 'json.options.maxIter', 1),
    tol, seed: checkSeed(o.seed, 'json.options.seed'), algorithm: o.algorithm as KMeansAlgorithm,
  };
  const centres = matrix(j.clusterCenters, 'json.clusterCenters', K, D);
  if (!Array.isArray(j.labels)) fail('json.labels', 'an array of cluster labels', j.labels);
  const labels = Int32Array.from(j.labels as unknown[], (v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= K) fail(`json.labels[${i}]`, `an integer in [0, ${K - 1}]`, v);
    return v;
  });
  const inertia = finite(j.inertia, 'json.inertia');
  if (inertia < 0) fail('json.inertia', 'a finite number ≥ 0', inertia);
  if (typeof j.converged !== 'boolean') fail('json.converged', 'a boolean', j.converged);
  return {
    options,
    fitted: {
      centres: Float64Array.from(centres.data), nFeatures: D, labels, inertia,
      nIter: integer(j.nIter, 'json.nIter', 0), converged: j.converged,
    },
  };
}
