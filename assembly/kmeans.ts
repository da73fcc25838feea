// k-means kernels: the export table. The kernels are written once, generic over the element
// type T, in assembly/kmeans/*.ts (KERNELS.md's rule: GEMM-shaped work over fixed blocks of
// rows, block-sized temporaries, f64 accumulation) and exported here per type. Kernels that
// pass over the data take a range of rows [start, end) and index the whole data, with their
// sums in buffers the caller gives, so that ranges on block boundaries can run apart.
import { packCentres, sqDistances } from './kmeans/distance';
import { lloydPass } from './kmeans/lloyd';
import { hamerlyPass } from './kmeans/hamerly';
import { packCentresScreened, screenedLloydPass } from './kmeans/screen';
import { centreColumns, kmeansppPotentials, rowSqNorms, updateClosest } from './kmeans/seeding';

export function packCentresF64(c: usize, ct: usize, K: i32, D: i32): void { packCentres<f64>(c, ct, K, D); }
export function packCentresF32(c: usize, ct: usize, K: i32, D: i32): void { packCentres<f32>(c, ct, K, D); }

export function kmeansLloydPassF64(x: usize, xNorms: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32): void {
  lloydPass<f64>(x, xNorms, c, ct, g, w, labels, minDist, sums, counts, out, start, end, K, D);
}
export function kmeansLloydPassF32(x: usize, xNorms: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32): void {
  lloydPass<f32>(x, xNorms, c, ct, g, w, labels, minDist, sums, counts, out, start, end, K, D);
}

// The f32-screened Lloyd pass exists for f64 data only (f32 data has no cheaper screen).
export function packCentresScreenedF64(c: usize, cts: usize, norms: usize, K: i32, D: i32): void { packCentresScreened(c, cts, norms, K, D); }
export function kmeansScreenedPassF64(
  x: usize, xs: usize, xNorms: usize, c: usize, cts: usize, norms: usize, gs: usize, w: usize,
  labels: usize, minDist: usize, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32, incremental: i32,
): void {
  screenedLloydPass(x, xs, xNorms, c, cts, norms, gs, w, labels, minDist, sums, counts, out, start, end, K, D, incremental);
}

export function kmeansHamerlyPassF64(
  x: usize, xNorms: usize, c: usize, ct: usize, g: usize, xs: usize, idx: usize, w: usize, labels: usize, minDist: usize,
  lower: usize, shifts: usize, half: usize, maxNorm: f64, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32,
  incremental: i32,
): void {
  hamerlyPass<f64>(x, xNorms, c, ct, g, xs, idx, w, labels, minDist, lower, shifts, half, maxNorm, sums, counts, out, start, end, K, D, incremental);
}
export function kmeansHamerlyPassF32(
  x: usize, xNorms: usize, c: usize, ct: usize, g: usize, xs: usize, idx: usize, w: usize, labels: usize, minDist: usize,
  lower: usize, shifts: usize, half: usize, maxNorm: f64, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32,
  incremental: i32,
): void {
  hamerlyPass<f32>(x, xNorms, c, ct, g, xs, idx, w, labels, minDist, lower, shifts, half, maxNorm, sums, counts, out, start, end, K, D, incremental);
}

export function sqDistancesF64(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f64>(x, ct, g, out, rows, K, D);
}
export function sqDistancesF32(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f32>(x, ct, g, out, rows, K, D);
}

export function rowSqNormsF64(x: usize, xNorms: usize, start: i32, end: i32, D: i32): void { rowSqNorms<f64>(x, xNorms, start, end, D); }
export function rowSqNormsF32(x: usize, xNorms: usize, start: i32, end: i32, D: i32): void { rowSqNorms<f32>(x, xNorms, start, end, D); }

export function kmeansppPotentialsF64(x: usize, xNorms: usize, cct: usize, g: usize, closest: usize, w: usize, pots: usize, start: i32, end: i32, trials: i32, D: i32, candMin: usize, rows: i32): void {
  kmeansppPotentials<f64>(x, xNorms, cct, g, closest, w, pots, start, end, trials, D, candMin, rows);
}
export function kmeansppPotentialsF32(x: usize, xNorms: usize, cct: usize, g: usize, closest: usize, w: usize, pots: usize, start: i32, end: i32, trials: i32, D: i32, candMin: usize, rows: i32): void {
  kmeansppPotentials<f32>(x, xNorms, cct, g, closest, w, pots, start, end, trials, D, candMin, rows);
}

export function updateClosestF64(x: usize, c: usize, closest: usize, w: usize, start: i32, end: i32, D: i32): f64 {
  return updateClosest<f64>(x, c, closest, w, start, end, D);
}
export function updateClosestF32(x: usize, c: usize, closest: usize, w: usize, start: i32, end: i32, D: i32): f64 {
  return updateClosest<f32>(x, c, closest, w, start, end, D);
}

export function centreColumnsF64(x: usize, mean: usize, rows: i32, D: i32): f64 { return centreColumns<f64>(x, mean, rows, D); }
export function centreColumnsF32(x: usize, mean: usize, rows: i32, D: i32): f64 { return centreColumns<f32>(x, mean, rows, D); }
