/**
 * The log-densities log w_k N(x | μ_k, Σ_k) of blocks of rows on the wasm kernels, as the
 * mixture engine's E-step (engine-wasm.ts) and the GaussianHMM's emissions (hmm/emission-gaussian.ts)
 * both compute them: the block size, the parameters' layout in wasm memory and the kernel calls
 * of one block (the fused triangular projection for full, one projection for tied, diagLogProb
 * for diag and spherical), before whatever each adds (the mixture's softmax, the HMM's nothing).
 */
import type { DType } from '../runtime/matrix.js';
import type { Buffer } from '../runtime/memory.js';
import type { ArgSpec, BlockStep } from '../runtime/threads/block-job.js';
import { componentBias } from './engine.js';
import type { CovarianceType, GaussianParams } from './types.js';

/** Elements of the per-block projection temporary (≈ 512 KiB in f64): keeps it in cache. */
const BLOCK_ELEMENTS = 65536;
const MIN_BLOCK_ROWS = 16;
/**
 * Blocks at least, when there are rows enough (MIN_BLOCK_ROWS each): a small data set, such as
 * one of partialFit's 1,000-row batches, still has blocks for the pool's threads to share (one
 * block of 1,024 rows before). Fixed, as every block size, by the data's shape alone.
 */
const MIN_BLOCKS = 4;
/** Elements projectLogProb may read past P_all and c (one two-vector tile of f32). */
export const TILE_PAD = 8;

/** Columns of a block's projection temporary: K·D (full), D (tied), none (diag, spherical). */
export function projectionCols(type: CovarianceType, K: number, D: number): number {
  return type === 'full' ? K * D : type === 'tied' ? D : 0;
}

/** Rows of a block of n rows' log-densities: the projection temporary within BLOCK_ELEMENTS, and MIN_BLOCKS blocks at least when there are rows enough. */
export function densityBlockRows(n: number, type: CovarianceType, K: number, D: number): number {
  const byElements = Math.floor(BLOCK_ELEMENTS / Math.max(projectionCols(type, K, D), K, 1));
  return Math.max(1, Math.min(n, Math.max(MIN_BLOCK_ROWS, Math.min(Math.ceil(n / MIN_BLOCKS), byElements))));
}

/** Components rounded up to a two-vector tile: the row stride of diagLogProb's transposed parameters. */
export function paddedComponents(K: number, dtype: DType): number {
  const tile = dtype === 'f32' ? 8 : 4;
  return Math.ceil(K / tile) * tile;
}

/** Elements of the parameter matrix P_all (padded: projectLogProb reads a tile past its end). */
export function parameterElements(type: CovarianceType, K: number, D: number, ldk: number): number {
  return (type === 'full' ? D * K * D : type === 'tied' ? D * D : 2 * D * ldk) + TILE_PAD;
}

/** 1 when every D × D block is upper triangular, 2 when every one is lower, 0 otherwise. */
export function triangularity(pc: Float64Array, K: number, D: number): number {
  let upper = true, lower = true;
  for (let k = 0; k < K && (upper || lower); k++) {
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
      const v = pc[k * D * D + i * D + j];
      if (v !== 0 && i > j) upper = false;
      if (v !== 0 && i < j) lower = false;
    }
  }
  return upper ? 1 : lower ? 2 : 0;
}

/** The wasm buffers the log-density kernels read their parameters from. */
export interface DensityParameters {
  /** P_all (full: D × K·D, P_all[i, k·D + j] = P_k[i, j]; tied: P) or, diag and spherical, the means and precisions transposed (2D × ldk). */
  pMat: Buffer;
  /** c_k = (μ_k − o)ᵀ P_k (K × D; full and tied). */
  cVec: Buffer;
  /** The per-component constants (componentBias; ldk long). */
  bias: Buffer;
}

/**
 * Writes the parameters into the kernels' layout (in the buffers' element type), in the frame of
 * the data: `mu`, the means minus the origin. Diag and spherical: the centred means and the
 * precisions p = P², transposed to D × ldk (padding 0); full and tied: P and c_k = (μ_k − o)ᵀ P_k.
 */
export function loadDensityParameters(b: DensityParameters, params: GaussianParams, mu: Float64Array, type: CovarianceType, K: number, D: number, ldk: number): void {
  const pc = params.precisionsCholesky;
  const bias = componentBias(params, type);
  if (type === 'diag' || type === 'spherical') {
    const T = new Float64Array(2 * D * ldk);
    for (let k = 0; k < K; k++) {
      for (let d = 0; d < D; d++) {
        const p = type === 'diag' ? pc[k * D + d] : pc[k];
        T[d * ldk + k] = mu[k * D + d];
        T[(D + d) * ldk + k] = p * p;
      }
    }
    b.pMat.set(T);
    b.bias.set(new Float64Array(ldk)).set(bias); // the padding lanes are computed, never stored: keep them finite
    return;
  }
  b.bias.set(bias);
  const P = b.pMat.view();
  const c = b.cVec.view();
  // full: P_all[i, k·D + j] = P_k[i, j], so one GEMM projects a row on every component.
  if (type === 'full') {
    for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) P[i * K * D + k * D + j] = pc[k * D * D + i * D + j];
  } else {
    for (let i = 0; i < D * D; i++) P[i] = pc[i];
  }
  for (let k = 0; k < K; k++) {
    const o = type === 'full' ? k * D * D : 0;
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += mu[k * D + i] * pc[o + i * D + j];
      c[k * D + j] = s;
    }
  }
}

/** Where one block's log-densities come from and go. */
export interface DensityBlock extends DensityParameters {
  type: CovarianceType;
  dtype: DType;
  K: number;
  D: number;
  ldk: number;
  blockRows: number;
  /** The data in the frame (rows of D elements of dtype). */
  x: Buffer;
  /** Per thread: one block's projections (projectionCols elements a row; full and tied). */
  proj: Buffer;
  /** Where the log-densities go (K elements of dtype a row of the block). */
  out: ArgSpec;
}

/** One block's kernel calls for precision factors of the given triangularity (triangularity()). */
export function logDensitySteps(b: DensityBlock, tri: number): BlockStep[] {
  const { type, dtype, K, D, ldk, blockRows, out } = b;
  const sfx = dtype === 'f32' ? 'F32' : 'F64';
  const size = dtype === 'f32' ? 4 : 8;
  const xb = { base: b.x.ptr, perRow: D * size };
  const rows = { rows: 1 };
  if (type === 'full' && tri !== 0) {
    // Triangular P_k (always, after an M-step or from precisionsInit): the fused kernel skips their zeros.
    return [{ kernel: `projectLogProb${sfx}`, args: [xb, b.pMat.ptr, b.cVec.ptr, b.bias.ptr, out, rows, K, D, tri] }];
  }
  if (type === 'full' || type === 'tied') {
    const cols = projectionCols(type, K, D);
    const proj = { base: b.proj.ptr, perThread: blockRows * cols * size };
    return [
      { kernel: `gemmNN${sfx}`, args: [xb, b.pMat.ptr, proj, rows, cols, D, 0] },
      { kernel: `logProbFromProjection${sfx}`, args: [proj, b.cVec.ptr, b.bias.ptr, out, rows, K, D, type === 'tied' ? 1 : 0] },
    ];
  }
  return [{ kernel: `diagLogProb${sfx}`, args: [xb, b.pMat.ptr, b.pMat.ptr + D * ldk * size, b.bias.ptr, out, rows, K, D, ldk] }];
}
