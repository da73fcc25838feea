/** Plain-TypeScript twins of assembly/mixture.ts. */
import type { FloatArray } from '../runtime/matrix.js';

/** out[n,k] = bias[k] − ½‖y[n, block k] − c_k‖² (shared ≠ 0: every k reads the same D columns). */
export function logProbFromProjection(y: FloatArray, c: FloatArray, bias: FloatArray, out: FloatArray, rows: number, K: number, D: number, shared: number): void {
  const stride = shared ? D : K * D;
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < K; k++) {
      const o = n * stride + (shared ? 0 : k * D);
      let s = 0;
      for (let j = 0; j < D; j++) {
        const d = y[o + j] - c[k * D + j];
        s += d * d;
      }
      out[n * K + k] = bias[k] - 0.5 * s;
    }
  }
}

/** out[n,k] = bias[k] − ½·Σ_d precT[d,k]·(x[n,d] − meansT[d,k])², meansT and precT D × ldk. */
export function diagLogProb(x: FloatArray, meansT: FloatArray, precT: FloatArray, bias: FloatArray, out: FloatArray, rows: number, K: number, D: number, ldk: number): void {
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let d = 0; d < D; d++) {
        const t = x[n * D + d] - meansT[d * ldk + k];
        q += precT[d * ldk + k] * t * t;
      }
      out[n * K + k] = bias[k] - 0.5 * q;
    }
  }
}

/** s1[k,d] += Σ_n r_nk (x_nd − c_kd), s2[k,d] += Σ_n r_nk (x_nd − c_kd)² (resp rows × K; centres, s1, s2 K × D). */
export function diagScatterBlock(x: FloatArray, resp: FloatArray, centres: FloatArray, s1: FloatArray, s2: FloatArray, rows: number, K: number, D: number): void {
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < K; k++) {
      const r = resp[n * K + k];
      for (let d = 0; d < D; d++) {
        const t = x[n * D + d] - centres[k * D + d];
        s1[k * D + d] += r * t;
        s2[k * D + d] += r * t * t;
      }
    }
  }
}

/** y = x, converting the element type. */
export function castF32ToF64(x: Float32Array, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = x[i];
}

/** y = x rounded to f32. */
export function castF64ToF32(x: Float64Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = x[i];
}

/** Σ x_i log x_i with 0 log 0 = 0. */
export function sumXLogX(x: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) if (x[i] !== 0) s += x[i] * Math.log(x[i]);
  return s;
}

/** out[n,k] = bias[k] − ½‖x_n·P_k − c_k‖² with P_all D × (K·D) (`tri` is only a hint to the kernel). */
export function projectLogProb(x: FloatArray, pAll: FloatArray, c: FloatArray, bias: FloatArray, out: FloatArray, rows: number, K: number, D: number, tri: number): void {
  void tri;
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let j = 0; j < D; j++) {
        let y = 0;
        for (let p = 0; p < D; p++) y += x[n * D + p] * pAll[p * K * D + k * D + j];
        const d = y - c[k * D + j];
        q += d * d;
      }
      out[n * K + k] = bias[k] - 0.5 * q;
    }
  }
}

/**
 * Lower triangles (i ≥ j) of S_k += Σ_n r_nk (x_n − c_k)(x_n − c_k)ᵀ for every component k
 * (S is K·D·D); `z` is the kernel's scratch and unused here.
 */
export function scatterBlock(x: FloatArray, resp: FloatArray, centres: FloatArray, s: FloatArray, z: FloatArray | null, rows: number, K: number, D: number): void {
  void z;
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < rows; n++) {
      const r = resp[n * K + k];
      for (let i = 0; i < D; i++) {
        const di = x[n * D + i] - centres[k * D + i];
        for (let j = 0; j <= i; j++) s[k * D * D + i * D + j] += r * di * (x[n * D + j] - centres[k * D + j]);
      }
    }
  }
}
