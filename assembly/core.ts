// Memory layout shared with src/runtime: everything from heapBase() upwards belongs to the
// TypeScript workspace allocator. Kernels never allocate.

/** First byte above the module's static data; the workspace allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Does nothing: lets benchmarks measure the cost of one call across the JS/wasm boundary. */
export function noop(): void {}

/** bytes at ptr = 0: clears a per-block partial before kernels that accumulate into it. */
export function zeroBytes(ptr: usize, bytes: i32): void {
  memory.fill(ptr, 0, <usize>bytes);
}
