export * from './linalg.js';
export * from './mixture.js';
