// The one wasm module: every kernel family re-exported from here.
export * from './core';
export { scratchBytes, useScratch } from './scratch';
export * from './linalg';
export * from './mixture';
export * from './incomplete';
export * from './special';
export * from './reduce';
export * from './sparse';
export * from './meanfield';
export * from './enumerate';
export * from './learned';
export * from './kmeans';
export * from './hmm';
