/**
 * The typed table of the wasm module's exports. Each kernel family declares its exports in
 * src/runtime/kernels/<family>.ts, mirroring assembly/<family>.ts.
 */
import type { CoreKernels } from './kernels/core.js';
import type { LinalgKernels } from './kernels/linalg.js';
import type { MixtureKernels } from './kernels/mixture.js';
import type { IncompleteKernels } from './kernels/incomplete.js';
import type { ReduceKernels } from './kernels/reduce.js';
import type { SparseKernels } from './kernels/sparse.js';
import type { SpecialKernels } from './kernels/special.js';
import type { MeanfieldKernels } from './kernels/meanfield.js';
import type { EnumerateKernels } from './kernels/enumerate.js';
import type { LearnedKernels } from './kernels/learned.js';
import type { KmeansKernels } from './kernels/kmeans.js';
import type { HmmKernels } from './kernels/hmm.js';
import type { DType } from './matrix.js';
import { InitError } from './errors.js';

/** Every export of build/elbo.wasm. */
export interface Kernels extends CoreKernels, LinalgKernels, MixtureKernels, IncompleteKernels, SpecialKernels, ReduceKernels, SparseKernels, MeanfieldKernels, EnumerateKernels, LearnedKernels, KmeansKernels, HmmKernels {}

/** Names of the kernels that exist for both element types (`dotF64` and `dotF32` → `dot`). */
export type TypedKernelName = {
  [K in keyof Kernels]: K extends `${infer B}F64` ? (`${B}F32` extends keyof Kernels ? B : never) : never;
}[keyof Kernels];

let table: Kernels | null = null;
let disposed = false;

/** Installs the exports after instantiation (called by init). */
export function setKernels(exports: Kernels): void {
  table = exports;
  disposed = false;
}

/** Drops the exports (dispose): the instance can then be garbage-collected. */
export function clearKernels(): void {
  table = null;
  disposed = true;
}

/** True once init() has finished. */
export function isReady(): boolean {
  return table !== null;
}

/** The kernel table; throws an InitError-like message when init() has not run. */
export function kernels(): Kernels {
  if (!table) {
    throw new InitError(disposed
      ? "elbo's WebAssembly instance was released by dispose(): call `await init()` again before using it"
      : 'elbo is not initialised: call `await init()` once before using it');
  }
  return table;
}

/** The f64 or f32 instance of a kernel, chosen by element type. */
export function typed<N extends TypedKernelName>(name: N, dtype: DType): Kernels[`${N}F64`] {
  const k = kernels() as unknown as Record<string, Kernels[`${N}F64`]>;
  return k[name + (dtype === 'f32' ? 'F32' : 'F64')];
}
