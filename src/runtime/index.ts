export * from './errors.js';
export * from './matrix.js';
export { Random } from './random.js';
export { Workspace, Buffer, withWorkspace, wasmMemory, bytesInUse, type BufferLabel } from './memory.js';
export { isInitialized, type InitOptions, type InitResult } from './instantiate.js';
export { dispose } from './dispose.js';
export { kernels, typed, type Kernels, type TypedKernelName } from './kernels.js';
export { gemm, type GemmForm } from './gemm.js';
