/** Exports of assembly/enumerate.ts. Pointers are byte offsets into wasm memory. */
export interface EnumerateKernels {
  /** out_r (f64) = log Σ_{h ∈ {0,1}ⁿ} exp(a_rᵀh + ½hᵀJh) by Gray-code enumeration (n ≤ 30), in f64; aT n × rows, J n × n; marg (f64 n × rows, or 0) gets p(h_j = 1); work f64 of n + 2·rows (+ n·rows with marg). */
  logPartitionF64(aT: number, J: number, n: number, rows: number, out: number, marg: number, work: number): void;
  /** As logPartitionF64, on f32 data. */
  logPartitionF32(aT: number, J: number, n: number, rows: number, out: number, marg: number, work: number): void;
}
