/** Exports of assembly/core.ts. */
export interface CoreKernels {
  /** First byte of wasm memory after the module's static data: where workspaces start. */
  heapBase(): number;
  /** Does nothing: measures the cost of a call across the boundary. */
  noop(): void;
}
