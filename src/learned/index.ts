export { LISTA } from './LISTA.js';
export type { LISTAOptions, LISTAFitOptions, LISTAJSON } from './LISTA.js';
