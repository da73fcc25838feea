/**
 * The demo's HMM section: a synthetic three-regime series, a GaussianHMM fitted by Baum-Welch,
 * its Viterbi path plotted over the series, and a factorial HMM's structured mean-field bound
 * against exact inference (the chain-vs-coupled contrast in two numbers).
 */
import { FactorialHMM, GaussianHMM } from '../../hmm/index.js';
import { sequenceSpec } from '../../plot/index.js';
import type { VegaLiteSpec } from '../../plot/spec.js';
import { Random } from '../../runtime/random.js';

/** What the section needs from the demo: a line of output, a plot writer, the results object. */
export interface DemoOutput {
  say(text: string): void;
  save(name: string, spec: VegaLiteSpec): Promise<void>;
  results: Record<string, unknown>;
}

/** A sticky three-regime series (levels −2, 1, 4; switching with probability 0.03 per step). */
function regimes(T: number, seed: number): { X: number[][]; truth: number[] } {
  const rng = new Random(seed);
  const levels = [-2, 1, 4];
  const X: number[][] = [], truth: number[] = [];
  let z = 0;
  for (let t = 0; t < T; t++) {
    if (t > 0 && rng.random() < 0.03) z = (z + 1 + rng.int(2)) % 3;
    truth.push(z);
    X.push([levels[z] + 0.8 * rng.normal()]);
  }
  return { X, truth };
}

export async function hmmDemo(out: DemoOutput): Promise<void> {
  const { X, truth } = regimes(400, 3);
  const hmm = new GaussianHMM({ nComponents: 3, nIter: 100, seed: 1 }).fit(X);
  const { states } = hmm.decode(X);
  // States are found up to their order: relabel each decoded state by its majority true regime.
  const votes = Array.from({ length: 3 }, () => [0, 0, 0]);
  states.forEach((s, t) => votes[s][truth[t]]++);
  const relabel = votes.map((v) => v.indexOf(Math.max(...v)));
  const correct = states.reduce((n, s, t) => n + (relabel[s] === truth[t] ? 1 : 0), 0);
  out.say(`\nGaussianHMM on a 400-step three-regime series: ${hmm.converged ? 'converged' : 'stopped'} after ${hmm.nIter} Baum-Welch iterations; the Viterbi path matches the regimes at ${correct} of 400 steps.`);
  await out.save('hmm-decoded.svg', sequenceSpec(X.map((r) => r[0]), states, { title: 'A three-regime series and its Viterbi path (GaussianHMM, 3 states)' }));
  const Y = hmmCoupled(300, 4);
  const f = new FactorialHMM({ nChains: 6, nStates: 2, nIter: 30, seed: 2, onWarning: () => {} }).fit(Y);
  const elbo = f.elbo(Y), exact = f.exactLogLikelihood(Y);
  out.say(`FactorialHMM, 6 coupled chains (64 joint states): structured mean-field bound ${elbo.toFixed(2)} ≤ exact log p ${exact.toFixed(2)} (gap ${(exact - elbo).toFixed(2)} nats).`);
  out.results.hmm = { nIter: hmm.nIter, viterbiAgreement: correct / 400, factorialElbo: elbo, factorialExact: exact };
}

/** 6 two-state chains, each adding ±1 to one of three features, plus noise. */
function hmmCoupled(T: number, seed: number): number[][] {
  const rng = new Random(seed);
  const s = new Array(6).fill(0);
  const Y: number[][] = [];
  for (let t = 0; t < T; t++) {
    for (let m = 0; m < 6; m++) if (rng.random() < 0.05) s[m] = 1 - s[m];
    Y.push([0, 1, 2].map((d) => s[d] + s[d + 3] * (d + 1) + 0.3 * rng.normal()));
  }
  return Y;
}
