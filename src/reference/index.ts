export * from './linalg.js';
export * from './mixture.js';
export * from './special.js';
export * from './reduce.js';
export * from './sparse.js';
export * from './meanfield.js';
export * from './enumerate.js';
export * from './kmeans.js';
