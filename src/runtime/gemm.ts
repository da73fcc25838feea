/**
 * GEMM for the models: C(m×n) = op(A)·op(B) + beta·C, one kernel call when the product is small
 * or there is one thread, else a job of the thread pool over fixed pieces of the product. Either
 * way C holds the same bytes, because the pieces never cut through a sum the kernel does in one
 * go (assembly/linalg/gemm.ts):
 *
 * - panels of C (blocks of rows or of columns): an element of C depends only on its row of
 *   op(A), its column of op(B) and k, so computing it in a panel changes nothing;
 * - when C is too small to cut (the statistics UᵀU of dictionary learning: K × K over N rows),
 *   chunks of the depth k of exactly the kernel's depth block KC: the kernel sums an element
 *   as ((chunk₀ + beta·C) + chunk₁) + chunk₂ …, each chunk a register sum from zero, so the
 *   chunks computed apart (P_b, beta = 0) and added to C in block order give the same bytes.
 *
 * Piece sizes depend on the shape and the element type only, never on the thread count.
 */
import { kernels, typed } from './kernels.js';
import type { DType } from './matrix.js';
import { wasmMemory, withWorkspace, type Buffer } from './memory.js';
import type { ArgSpec } from './threads/block-job.js';
import { runBlocks, threadCount } from './threads/parallel.js';

/** Which operand is stored transposed: C = A·B (NN), A·Bᵀ (NT) or Aᵀ·B (TN). */
export type GemmForm = 'NN' | 'NT' | 'TN';

/**
 * Multiply-adds (m·n·k) from which a product goes to the pool: 2²² is about 0.4 ms on one thread
 * of the 2-core test machine, against a few µs for the calling thread to post a job and tens of
 * µs for a sleeping worker to wake. Where exactly a split starts to pay is not measured (that
 * machine was shared with other jobs); the bytes do not depend on it.
 */
export const PARALLEL_GEMM_WORK = 2 ** 22;

/** The kernel's blocking (assembly/linalg/gemm.ts): depth KC, and C rows / columns per packed block. */
const KC = 256;
const MC = { f64: 64, f32: 128 } as const;
const NC = { f64: 128, f32: 256 } as const;
/** A split into this many C panels or more is taken even when depth chunks would be more. */
const ENOUGH_PANELS = 4;
/** Bytes of depth-chunk partial products held at once (one job's worth): bounds the memory of a depth split. */
const PARTS_BYTES = 8 << 20;

/**
 * C = op(A)·op(B) + beta·C over buffers in wasm memory: a, b, c are byte addresses (a
 * {@link Buffer}'s `ptr`) of row-major, contiguous matrices in `dtype`, op(A) m×k (A stored k×m
 * for 'TN'), op(B) k×n (B stored n×k for 'NT'), C m×n, which must not overlap A or B. beta = 0
 * overwrites C. Products of at least PARALLEL_GEMM_WORK (2²²) multiply-adds run on every thread
 * of the pool; the result has the same bytes as one call of the kernel `gemm{form}F64`
 * (`…F32`) for any thread count.
 *
 * @example
 * ```ts
 * import { init, gemm, withWorkspace, Random } from 'elbo-wasm';
 * await init();
 * const rng = new Random(0), n = 1000;
 * const C = withWorkspace((ws) => {
 *   const a = ws.copyIn(rng.fillNormal(new Float64Array(n * n))), b = ws.copyIn(rng.fillNormal(new Float64Array(n * n)));
 *   const c = ws.f64(n * n);
 *   gemm('NN', 'f64', a.ptr, b.ptr, c.ptr, n, n, n, 0);   // C = A·B on all threads
 *   return c.readF64();
 * });
 * ```
 */
export function gemm(form: GemmForm, dtype: DType, a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void {
  const plan = threadCount() > 1 && m * n * k >= PARALLEL_GEMM_WORK ? planOf(dtype, m, n, k) : null;
  if (plan === null) typed(`gemm${form}`, dtype)(a, b, c, m, n, k, beta);
  else if (plan === 'depth') depthChunks(form, dtype, a, b, c, m, n, k, beta);
  else panels(form, dtype, plan, a, b, c, m, n, k, beta);
}

type Plan = 'rows' | 'cols' | 'depth' | null;

/** How to cut the product: panels of C when there are enough, else depth chunks, else not at all. */
function planOf(dtype: DType, m: number, n: number, k: number): Plan {
  const rowPanels = Math.ceil(m / MC[dtype]);
  const colPanels = Math.ceil(n / NC[dtype]);
  const panels = Math.max(rowPanels, colPanels);
  const chunks = Math.ceil(k / KC);
  // Column panels as wide as the kernel's packed block of B cost nothing extra; row panels
  // repack B once per panel (1/MC of the work).
  const cut: Plan = colPanels >= rowPanels ? 'cols' : 'rows';
  if (panels >= ENOUGH_PANELS || (panels >= 2 && panels >= chunks)) return cut;
  return chunks >= 2 ? 'depth' : null;
}

/** Where op(A)(i, p), op(B)(p, j) sit in the stored operands (element strides), and their leading dimensions. */
function strides(form: GemmForm, m: number, n: number, k: number) {
  const aRow = form === 'TN' ? 1 : k, aDepth = form === 'TN' ? m : 1;
  const bDepth = form === 'NT' ? 1 : n, bCol = form === 'NT' ? k : 1;
  return { aRow, aDepth, bDepth, bCol, lda: form === 'TN' ? m : k, ldb: form === 'NT' ? k : n };
}

/** Blocks of rows or columns of C, each one strided kernel call writing its own panel. */
function panels(form: GemmForm, dtype: DType, cut: 'rows' | 'cols', a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void {
  const size = dtype === 'f32' ? 4 : 8;
  const s = strides(form, m, n, k);
  const byRows = cut === 'rows';
  const args: ArgSpec[] = byRows
    ? [{ base: a, perRow: s.aRow * size }, b, { base: c, perRow: n * size }, { rows: 1 }, n, k]
    : [a, { base: b, perRow: s.bCol * size }, { base: c, perRow: size }, m, { rows: 1 }, k];
  runBlocks({
    label: `a ${m}×${n}×${k} GEMM (${form}, panels of ${cut})`,
    nRows: byRows ? m : n,
    blockRows: byRows ? MC[dtype] : NC[dtype],
    steps: [{ kernel: `gemm${form}Strided${dtype === 'f32' ? 'F32' : 'F64'}`, args: [...args, beta, s.lda, s.ldb, n] }],
  });
}

/**
 * Depth chunks of KC: each block computes its chunk P_b = op(A)[:, chunk]·op(B)[chunk, :] into
 * a buffer of its own, then C = (beta·C + P₀) + P₁ + … in block order on the calling thread.
 * Jobs take PARTS_BYTES of chunks at a time, so the memory stays bounded for any k.
 */
function depthChunks(form: GemmForm, dtype: DType, a: number, b: number, c: number, m: number, n: number, k: number, beta: number): void {
  const size = dtype === 'f32' ? 4 : 8;
  const s = strides(form, m, n, k);
  const partBytes = m * n * size;
  const perJob = Math.max(2, Math.floor(PARTS_BYTES / partBytes)) * KC;
  const k_ = kernels();
  const axpy = dtype === 'f32' ? k_.axpyF32 : k_.axpyF64;
  withWorkspace((ws) => {
    const parts = ws.alloc(dtype, Math.ceil(Math.min(perJob, k) / KC) * m * n);
    for (let p0 = 0; p0 < k; p0 += perJob) {
      const depth = Math.min(perJob, k - p0);
      runBlocks({
        label: `a ${m}×${n}×${k} GEMM (${form}, depth chunks)`,
        nRows: depth,
        blockRows: KC,
        steps: [{
          kernel: `gemm${form}Strided${dtype === 'f32' ? 'F32' : 'F64'}`,
          args: [
            { base: a + p0 * s.aDepth * size, perRow: s.aDepth * size }, { base: b + p0 * s.bDepth * size, perRow: s.bDepth * size },
            { base: parts.ptr, perBlock: partBytes }, m, n, { rows: 1 }, 0, s.lda, s.ldb, n,
          ],
        }],
      });
      for (let q = 0; q * KC < depth; q++) {
        const part = parts.ptr + q * partBytes;
        if (p0 + q * KC > 0) axpy(m * n, 1, part, c);
        else if (beta === 0) new Uint8Array(wasmMemory().buffer).copyWithin(c, part, part + partBytes);
        else {
          // The kernel's first chunk: P₀ + beta·C (beta = 1 adds C as it is).
          if (beta !== 1) typed('scale', dtype)(m * n, beta, c);
          axpy(m * n, 1, part, c);
        }
      }
    }
  });
}
