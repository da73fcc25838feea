/**
 * The blocks of one kind of k-means pass in wasm memory, and the partial results each block
 * writes: a pass runs as a thread-pool job over blocks fixed by the data's shape (passBlockRows),
 * each block into its own slots, and the slots are then added in block order on the calling
 * thread. Which thread ran a block never changes what it wrote, so the totals are the same bytes
 * for any thread count and for the single-threaded build.
 */
import { kernels } from '../runtime/kernels.js';
import type { Buffer, Workspace } from '../runtime/memory.js';
import type { ArgSpec, BlockStep } from '../runtime/threads/block-job.js';
import { runBlocks } from '../runtime/threads/parallel.js';
import { passBlockRows } from './data.js';

/** The arguments of a kernel over the block's rows [start, end). */
export const ROW_RANGE: ArgSpec[] = [{ perRow: 1 }, { perRow: 1, rows: 1 }];

export class BlockPartials {
  readonly blockRows: number;
  readonly nBlocks: number;
  /** nBlocks × size f64: each block's partial results. */
  private readonly parts: Buffer;
  /** size f64: their totals. */
  private readonly totals: Buffer;

  /**
   * Blocks of a pass over `rows` rows of D features against `width` centres, each writing up to
   * `size` f64 (`name` says what they are, for out-of-memory messages).
   */
  constructor(ws: Workspace, readonly rows: number, width: number, D: number, readonly size: number, name: string) {
    this.blockRows = passBlockRows(rows, width, D, size);
    this.nBlocks = Math.ceil(rows / this.blockRows);
    this.parts = ws.f64(this.nBlocks * size, { name, dims: [['blocks', this.nBlocks], ['values', size]] });
    this.totals = ws.f64(size);
  }

  /**
   * Runs `step` over every block with its `stride` (≤ size) partial results at `part(offset)`,
   * the first `zeroed` of them (all by default) zeroed first, the others left as the last pass
   * wrote them; returns their totals (colSums over the blocks as rows: added one after the
   * other from 0), a view valid until the next allocation.
   */
  sum(label: string, stride: number, step: (part: (offset: number) => ArgSpec) => BlockStep, zeroed = stride): Float64Array {
    const part = (offset: number): ArgSpec => ({ base: this.parts.ptr + offset * 8, perBlock: stride * 8 });
    runBlocks({ label, nRows: this.rows, blockRows: this.blockRows, steps: [{ kernel: 'zeroBytes', args: [part(0), zeroed * 8] }, step(part)] });
    kernels().colSumsF64(this.parts.ptr, this.totals.ptr, this.nBlocks, stride);
    return (this.totals.view() as Float64Array).subarray(0, stride);
  }

  /** Runs a kernel that returns an f64 over every block; returns the blocks' values added in block order. */
  sumResults(label: string, step: BlockStep): number {
    runBlocks({ label, nRows: this.rows, blockRows: this.blockRows, steps: [{ ...step, result: this.parts.ptr }] });
    const values = this.parts.view();
    let total = 0;
    for (let b = 0; b < this.nBlocks; b++) total += values[b];
    return total;
  }
}
