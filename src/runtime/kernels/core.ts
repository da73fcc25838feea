/** Exports of assembly/core.ts. */
export interface CoreKernels {
  /** First byte of wasm memory after the module's static data: where workspaces start. */
  heapBase(): number;
  /** Does nothing: measures the cost of a call across the boundary. */
  noop(): void;
  /** Bytes of per-thread scratch (GEMM packing buffers, edge tiles) a thread of the threaded build needs. */
  scratchBytes(): number;
  /** Points this instance's kernels at its own scratch region (64-byte aligned, scratchBytes() long). */
  useScratch(base: number): void;
  /** Sets `bytes` bytes at `ptr` to zero. */
  zeroBytes(ptr: number, bytes: number): void;
}
