/**
 * Exact enumeration on the wasm kernels and the thread pool: log Z_r = log Σ_h exp(a_rᵀh +
 * ½hᵀJh) over all 2ⁿ states, cut into the fixed ranges of the Gray-code sequence that
 * reference.grayRangeBits(n) gives (one block each), whose partial log-sum-exps and moments are
 * combined in range order. Ranges depend on n alone and rows are independent problems, so the
 * bytes are the same for any thread count and for the single-threaded build.
 */
import { kernels, typed } from '../runtime/kernels.js';
import type { DType, FloatArray } from '../runtime/matrix.js';
import { withWorkspace } from '../runtime/memory.js';
import { grayRangeBits } from '../reference/enumerate.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';

/** Rows per job: bounds the ranges' partial results (ranges × rows × (n + 2) f64) for any number of rows. */
const ROWS_PER_JOB = 256;

/**
 * log Z_r per row (f64, rows) and, with `withMarginals`, the marginals p(h_j = 1) laid out
 * n × rows, of the quadratic form with aT (n × rows) and J (n × n) in `dtype` (sums in f64).
 */
export function logPartition(aT: FloatArray, J: FloatArray, n: number, rows: number, dtype: DType, withMarginals: boolean): { logZ: Float64Array; marg: Float64Array | null } {
  return withWorkspace((ws) => {
    const size = dtype === 'f32' ? 4 : 8;
    const pa = ws.copyIn(aT, dtype), pJ = ws.copyIn(J, dtype);
    const mask = typed('grayResyncMask', dtype)(pa.ptr, pJ.ptr, n, rows);
    const bits = grayRangeBits(n);
    const ranges = 2 ** (n - bits);
    const chunk = Math.min(rows, ROWS_PER_JOB);
    const workLength = n + chunk + (withMarginals ? n * chunk : 0);
    const mx = ws.f64(ranges * chunk), sm = ws.f64(ranges * chunk);
    const parts = withMarginals ? ws.f64(ranges * n * chunk) : null;
    const work = ws.f64(threadCount() * workLength);
    const out = ws.f64(rows), marg = withMarginals ? ws.f64(n * rows) : null;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const cr = Math.min(chunk, rows - r0);
      runBlocks({
        label: `exact enumeration of 2^${n} states`,
        nRows: 2 ** n,
        blockRows: 2 ** bits,
        steps: [{
          kernel: `logPartitionRange${dtype === 'f32' ? 'F32' : 'F64'}`,
          args: [
            pa.ptr + r0 * size, rows, pJ.ptr, n, cr, mask, { perRow: 1 }, { rows: 1 },
            { base: mx.ptr, perBlock: cr * 8 }, { base: sm.ptr, perBlock: cr * 8 },
            parts ? { base: parts.ptr, perBlock: n * cr * 8 } : 0, { base: work.ptr, perThread: workLength * 8 },
          ],
        }],
      });
      kernels().logPartitionCombine(mx.ptr, sm.ptr, parts ? parts.ptr : 0, ranges, n, cr, out.ptr + r0 * 8, marg ? marg.ptr + r0 * 8 : 0, rows);
    }
    return { logZ: out.readF64(), marg: marg ? marg.readF64() : null };
  });
}
