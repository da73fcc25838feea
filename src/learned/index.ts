export { LISTA } from './LISTA.js';
export type { LISTAOptions, LISTAFitOptions, LISTAJSON } from './LISTA.js';
export { BscEncoder } from './BscEncoder.js';
export type { BscEncoderOptions, BscEncoderJSON } from './BscEncoder.js';
