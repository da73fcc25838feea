// The one wasm module: every kernel family re-exported from here.
export * from './core';
export * from './linalg';
export * from './mixture';
export * from './special';
export * from './reduce';
export * from './sparse';
export * from './meanfield';
export * from './enumerate';
export * from './kmeans';
export * from './hmm';
