/**
 * The Node-only entry `elbo-wasm/io`: data files read into matrices, synchronously, as the
 * command line reads them — for engines that read shards where they are (a Beam worker, a
 * queue's consumer). Kept out of the main entries, which browsers share.
 */
export { readMatrixFile, parseMatrixFile } from './cli/matrix-file.js';
export { DataError } from './cli/errors.js';
