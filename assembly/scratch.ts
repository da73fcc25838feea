// Per-thread scratch: the packing buffers of GEMM, the small edge tiles of the mixture kernels,
// the k-means distance kernel's running minima and the mean-field block panel. Kernels never
// allocate, so this is one reservation of fixed size. The single-threaded build (and the main
// thread of the threaded one) use the reservation in the module's data segment; every worker of
// the threaded build points `scratchBase` at a region of its own (useScratch), since its
// instance shares the memory (and so the data segment) with every other thread, while globals
// stay per instance.

/** Bytes of a packed block of A in GEMM (see linalg/gemm.ts). */
export const PACK_A_BYTES = 128 * 1024;
/** Bytes of a packed block of B in GEMM. */
export const PACK_B_BYTES = 256 * 1024;
/** One register tile (4 rows × 2 vectors) for the edges of a GEMM or a mixture kernel. */
export const TILE_BYTES = 128;
/** The mean-field sweep's transposed block of Ĥ (see meanfield.ts). */
export const PANEL_BYTES = 64 * 1024;

const OFF_PACK_A: usize = 0;
const OFF_PACK_B: usize = OFF_PACK_A + PACK_A_BYTES;
const OFF_GEMM_EDGE: usize = OFF_PACK_B + PACK_B_BYTES;
const OFF_DIAG_EDGE: usize = OFF_GEMM_EDGE + TILE_BYTES;
const OFF_SCATTER_EDGE: usize = OFF_DIAG_EDGE + TILE_BYTES;
const OFF_MIN_TILE: usize = OFF_SCATTER_EDGE + TILE_BYTES;
const OFF_PANEL: usize = OFF_MIN_TILE + TILE_BYTES;
/** The whole per-thread reservation, a multiple of 64 bytes. */
const SCRATCH_BYTES: usize = (OFF_PANEL + PANEL_BYTES + 63) & ~63;

let scratchBase: usize = memory.data(<i32>SCRATCH_BYTES, 64);

/** Bytes of scratch one thread needs (a worker reserves this much, 64-byte aligned, for useScratch). */
export function scratchBytes(): i32 {
  return <i32>SCRATCH_BYTES;
}

/** Points this instance's kernels at the scratch region at `base` (64-byte aligned, scratchBytes() long). */
export function useScratch(base: usize): void {
  scratchBase = base;
}

@inline export function packA(): usize { return scratchBase + OFF_PACK_A; }
@inline export function packB(): usize { return scratchBase + OFF_PACK_B; }
@inline export function gemmEdge(): usize { return scratchBase + OFF_GEMM_EDGE; }
@inline export function diagEdge(): usize { return scratchBase + OFF_DIAG_EDGE; }
@inline export function scatterEdge(): usize { return scratchBase + OFF_SCATTER_EDGE; }
/** The running minima of 4 rows in k-means' distance kernel (kmeans/distance.ts): TILE_BYTES. */
@inline export function minTile(): usize { return scratchBase + OFF_MIN_TILE; }
@inline export function panel(): usize { return scratchBase + OFF_PANEL; }
