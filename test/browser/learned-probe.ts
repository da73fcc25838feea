// What the LISTA browser test runs on both sides: a seeded problem, a short fit, and the codes
// of held-out signals, so that Node and Chromium can be compared number for number.
import { LISTA, type LISTAJSON } from '../../src/index.js';
import { signals, sparseProblem } from '../learned/problem.js';

const problem = () => sparseProblem(200, 16, 10, 2, 41);

/** A short seeded fit; its JSON. */
export function fitListaProbe(): LISTAJSON {
  const { D, X } = problem();
  return new LISTA({ dictionary: D, alpha: 0.05, nLayers: 3, seed: 42, epochs: 3 }).fit(X).toJSON();
}

/** The codes of 64 held-out signals by the model saved in json, as plain numbers. */
export function transformListaProbe(json: LISTAJSON): number[] {
  const { D } = problem();
  return Array.from(LISTA.fromJSON(json).transform(signals(D, 64, 2, 43)).data);
}
