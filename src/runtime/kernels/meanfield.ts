/**
 * Exports of assembly/meanfield.ts: mean-field sweeps for binary latents in the form
 * log p̃(h) = aᵀh + ½hᵀJh (J symmetric, zero diagonal, n × n). Pointers are byte offsets into
 * wasm memory; a, h and field are row-major rows × n in the element type; field = a + ĤJ.
 */
export interface MeanfieldKernels {
  /** field = a + h·J (a copy and one GEMM). */
  meanFieldFieldF64(a: number, J: number, h: number, field: number, rows: number, n: number): void;
  /** As meanFieldFieldF64, on f32 data. */
  meanFieldFieldF32(a: number, J: number, h: number, field: number, rows: number, n: number): void;
  /** One sequential sweep: per unit i, f_i = a_i + J[i,:]·ĥ and ĥ_i ← ĥ_i + η(σ(f_i) − ĥ_i) (blocks of rows swept together); returns max |Δĥ|. */
  meanFieldSequentialF64(a: number, J: number, h: number, rows: number, n: number, damping: number): number;
  /** As meanFieldSequentialF64, on f32 data. */
  meanFieldSequentialF32(a: number, J: number, h: number, rows: number, n: number, damping: number): number;
  /** One damped parallel sweep: field = a + ĤJ (GEMM), Ĥ ← Ĥ + η(σ(field) − Ĥ); returns max |Δĥ| (field is then one step stale). */
  meanFieldParallelF64(a: number, J: number, h: number, field: number, rows: number, n: number, damping: number): number;
  /** As meanFieldParallelF64, on f32 data. */
  meanFieldParallelF32(a: number, J: number, h: number, field: number, rows: number, n: number, damping: number): number;
  /** out_r (f64) = ½ ĥ_rᵀ(a_r + f_r) + Σ_i H(ĥ_ri), the mean-field bound of each row; needs field = a + ĤJ. */
  meanFieldBoundF64(a: number, field: number, h: number, out: number, rows: number, n: number): void;
  /** As meanFieldBoundF64, on f32 data. */
  meanFieldBoundF32(a: number, field: number, h: number, out: number, rows: number, n: number): void;
  /** Half a checkerboard sweep of a height × width grid (bias a, 4-neighbour coupling w) over sites with (i+j) mod 2 = colour; returns max |Δm|. */
  isingCheckerboardF64(a: number, m: number, height: number, width: number, w: number, damping: number, colour: number): number;
  /** As isingCheckerboardF64, on f32 data. */
  isingCheckerboardF32(a: number, m: number, height: number, width: number, w: number, damping: number, colour: number): number;
}
