/** Exports of assembly/core.ts. */
export interface CoreKernels {
  heapBase(): number;
  noop(): void;
}
