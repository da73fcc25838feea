/** Test data for the Beam integration: clusters away from the origin, shards of unequal sizes, shard files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mat { data: Float64Array; rows: number; cols: number }

/** A small seeded generator (xorshift) with Box–Muller normals: the tests need no library for noise. */
function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** n rows around three centres near (105, 105, 105). */
export function clusters(n: number, seed = 7): Mat {
  const normal = normals(seed);
  const centres = [[5, 5, 5], [9, 4, 6], [6, 10, 3]];
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) data[i * 3 + d] = 100 + centres[i % 3][d] + normal() * (0.5 + 0.3 * d);
  return { data, rows: n, cols: 3 };
}

/** Seven shard sizes, unequal, one of them a single row (700 rows in all). */
export const SEVEN = [150, 1, 97, 203, 60, 120, 69];

/** X cut into consecutive shards of the given sizes. */
export function cut(X: Mat, sizes: number[]): Mat[] {
  let start = 0;
  return sizes.map((rows) => {
    const m = { data: X.data.slice(start * X.cols, (start + rows) * X.cols), rows, cols: X.cols };
    start += rows;
    return m;
  });
}

/** A .npy file (version 1.0, little-endian float64, C order) of m. */
export function npyBytes(m: Mat): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.length * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  new Float64Array(out.buffer, 10 + header.length).set(m.data);
  return out;
}

/** CSV text of m with a header line; JavaScript prints each double so that it reads back exactly. */
export function csvText(m: Mat): string {
  const lines = [Array.from({ length: m.cols }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < m.rows; i++) lines.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), String).join(','));
  return lines.join('\n') + '\n';
}

/** Writes the shards to a fresh directory, alternately .npy and .csv; returns their paths. */
export function writeShards(shards: Mat[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'elbo-beam-'));
  return shards.map((m, i) => {
    const file = join(dir, `part-${i}.${i % 2 === 0 ? 'npy' : 'csv'}`);
    writeFileSync(file, i % 2 === 0 ? npyBytes(m) : csvText(m));
    return file;
  });
}

/** max |a − b| / max |b|. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}
