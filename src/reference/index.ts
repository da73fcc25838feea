export * from './linalg.js';
