// The responsiveness probe, shared by the page (in Chromium) and by Node: 100k rows in 8-D
// around 4 centres, and a Gaussian mixture fit of fixed length (tol 0) on them; in the page,
// requestAnimationFrame keeps counting frames while the fit runs.
import type * as Elbo from '../../src/index.js';

/** Rows of the data set; the issue asks for a fit of 100k rows. */
export const ROWS = 100_000;
const D = 8;

/** The model: 8 full-covariance components, 20 EM iterations whatever the bound does. */
export const OPTIONS = { nComponents: 8, maxIter: 20, tol: 0, seed: 1, onWarning: () => {} };

/** The data, the same in Node and in the page (seeded). */
export function responsivenessData(R: typeof Elbo.Random): { data: Float64Array; rows: number; cols: number } {
  const rng = new R(7);
  const data = Float64Array.from({ length: ROWS * D }, (_, i) => rng.normal() + 3 * (Math.floor(i / D) % 4 === (i % D) % 4 ? 1 : 0));
  return { data, rows: ROWS, cols: D };
}

/** What the page reports about one fit. */
export interface FrameReport {
  /** The fitted model's file. */
  json: unknown;
  /** Frames drawn while the fit ran. */
  frames: number;
  /** EM iterations the fit reported. */
  iterations: number;
  /** Of the intervals between two consecutive iterations, those in which at least one frame was drawn. */
  intervalsWithFrames: number;
}

/**
 * Runs `fit` while requestAnimationFrame counts frames, and records the frame count at each
 * iteration the fit reports. No clock is read: a main thread that computes the fit itself runs
 * no frame callback until it returns, so no frame falls between two of its iterations; a fit in
 * a worker leaves frames coming between its progress messages.
 */
export async function watchFrames(fit: (onIteration: () => void) => Promise<{ toJSON(): unknown }>): Promise<FrameReport> {
  let frames = 0;
  let running = true;
  const tick = () => {
    frames++;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  while (frames < 5) await new Promise((r) => setTimeout(r, 20));
  const atStart = frames;
  const atIteration: number[] = [];
  const model = await fit(() => atIteration.push(frames));
  const atEnd = frames;
  running = false;
  let intervalsWithFrames = 0;
  for (let i = 1; i < atIteration.length; i++) if (atIteration[i] > atIteration[i - 1]) intervalsWithFrames++;
  return { json: model.toJSON(), frames: atEnd - atStart, iterations: atIteration.length, intervalsWithFrames };
}
