/** Exports of assembly/mixture.ts. Pointers are byte offsets into wasm memory. */
export interface MixtureKernels {
  /** out[n,k] = bias[k] − ½‖y[n, block k] − c_k‖² (shared ≠ 0: every k reads the same D columns). */
  logProbFromProjectionF64(y: number, c: number, bias: number, out: number, rows: number, K: number, D: number, shared: number): void;
  /** As logProbFromProjectionF64, on f32 data. */
  logProbFromProjectionF32(y: number, c: number, bias: number, out: number, rows: number, K: number, D: number, shared: number): void;
  /** out[n,k] = bias[k] − ½Σ_d precT[d,k]·(x[n,d] − meansT[d,k])²; meansT, precT D × ldk and bias ldk long, ldk ≥ K rounded up to 2·lanes. */
  diagLogProbF64(x: number, meansT: number, precT: number, bias: number, out: number, rows: number, K: number, D: number, ldk: number): void;
  /** As diagLogProbF64, on f32 data. */
  diagLogProbF32(x: number, meansT: number, precT: number, bias: number, out: number, rows: number, K: number, D: number, ldk: number): void;
  /** s1[k,d] += Σ_n r_nk (x_nd − c_kd) and s2[k,d] += Σ_n r_nk (x_nd − c_kd)² (resp rows × K; centres, s1, s2 K × D). */
  diagScatterBlockF64(x: number, resp: number, centres: number, s1: number, s2: number, rows: number, K: number, D: number): void;
  /** As diagScatterBlockF64, on f32 data. */
  diagScatterBlockF32(x: number, resp: number, centres: number, s1: number, s2: number, rows: number, K: number, D: number): void;
  /** y (f64) = x (f32). */
  castF32ToF64(x: number, y: number, n: number): void;
  /** y (f32) = x (f64), rounded to nearest. */
  castF64ToF32(x: number, y: number, n: number): void;
  /** Σ x_i log x_i with 0 log 0 = 0 (f64 accumulation). */
  sumXLogXF64(x: number, n: number): number;
  /** As sumXLogXF64, on f32 data. */
  sumXLogXF32(x: number, n: number): number;
  /** out[n,k] = bias[k] − ½‖x_n·P_k − c_k‖², P_all D × (K·D); tri 1/2 = every P_k upper/lower triangular; P_all and c padded by 2·lanes − 1. */
  projectLogProbF64(x: number, pAll: number, c: number, bias: number, out: number, rows: number, K: number, D: number, tri: number): void;
  /** As projectLogProbF64, on f32 data. */
  projectLogProbF32(x: number, pAll: number, c: number, bias: number, out: number, rows: number, K: number, D: number, tri: number): void;
  /** Lower triangles of S_k += Σ_n r_nk (x_n − c_k)(x_n − c_k)ᵀ for every k; z is rows × D-rounded-up scratch. */
  scatterBlockF64(x: number, resp: number, centres: number, s: number, z: number, rows: number, K: number, D: number): void;
  /** As scatterBlockF64, on f32 data. */
  scatterBlockF32(x: number, resp: number, centres: number, s: number, z: number, rows: number, K: number, D: number): void;
}
