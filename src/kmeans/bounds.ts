/**
 * What Hamerly's bounds need from the centres (assembly/kmeans/hamerly.ts): how far each centre
 * moved, half the distance from each centre to its nearest other, and the largest squared norm.
 * O(K²D) per iteration, against O(NKD) for the distances it saves.
 */

/** The per-centre quantities of one bounded pass. */
export interface CentreBounds {
  /** δ_k = ‖c_k − c_k(previous)‖ (zeros when there is no previous pass). */
  shifts: Float64Array;
  /** s_k = ½ min_{j≠k} ‖c_k − c_j‖ (+∞ when K = 1). */
  half: Float64Array;
  /** max_k ‖c_k‖². */
  maxNorm: number;
}

function distance(a: Float64Array, ao: number, b: Float64Array, bo: number, D: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += (a[ao + d] - b[bo + d]) ** 2;
  return Math.sqrt(s);
}

/** The bounds' view of `centres` (K × D) and of the centres of the previous pass (or null). */
export function centreBounds(centres: Float64Array, previous: Float64Array | null, K: number, D: number): CentreBounds {
  const shifts = new Float64Array(K), half = new Float64Array(K).fill(Infinity);
  let maxNorm = 0;
  for (let k = 0; k < K; k++) {
    if (previous) shifts[k] = distance(centres, k * D, previous, k * D, D);
    let n = 0;
    for (let d = 0; d < D; d++) n += centres[k * D + d] ** 2;
    maxNorm = Math.max(maxNorm, n);
    for (let j = 0; j < k; j++) {
      const h = distance(centres, k * D, centres, j * D, D) / 2;
      if (h < half[k]) half[k] = h;
      if (h < half[j]) half[j] = h;
    }
  }
  return { shifts, half, maxNorm };
}
