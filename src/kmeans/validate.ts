/** Checks of KMeans' arguments at the door: each error names the argument and the bad value. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type Matrix } from '../runtime/matrix.js';
import type { KMeansInit } from './types.js';

/** Sample weights: one finite value ≥ 0 per row, not all 0; null when not given. */
export function checkSampleWeight(w: unknown, rows: number): Float64Array | null {
  if (w === undefined) return null;
  if (!(w instanceof Float64Array || w instanceof Float32Array || Array.isArray(w))) {
    throw new ShapeError(`sampleWeight must be a Float64Array, Float32Array or number[]; got ${describe(w)}`);
  }
  if (w.length !== rows) throw new ShapeError(`sampleWeight must have one value per row of X (${rows}); got ${w.length}`);
  const out = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const v = w[i] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ValueError(`sampleWeight[${i}] must be a finite number ≥ 0; got ${describe(v)}`);
    }
    total += out[i] = v;
  }
  if (!(total > 0)) throw new ValueError('sampleWeight must not be all 0');
  return out;
}

/** The init option: a method name, or K × D finite centres (D checked against X at fit). */
export function checkInit(init: unknown, K: number): 'k-means++' | 'random' | Matrix {
  if (init === 'k-means++' || init === 'random') return init;
  if (typeof init === 'string') throw new ValueError(`init must be 'k-means++', 'random' or a K × D matrix of centres; got ${describe(init)}`);
  const m = toMatrix(init as KMeansInit, 'init');
  if (m.rows !== K) throw new ShapeError(`init must have nClusters = ${K} rows; got ${m.rows}`);
  return { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** An optional callback. */
export function checkCallback(f: unknown, name: string): void {
  if (f !== undefined && typeof f !== 'function') throw new ValueError(`${name} must be a function; got ${describe(f)}`);
}
