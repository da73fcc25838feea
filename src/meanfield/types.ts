/** Options and results shared by the mean-field models. */
import type { Matrix } from '../runtime/matrix.js';

/** Order of the fixed-point updates: one unit at a time, or all at once (damped). */
export type Schedule = 'sequential' | 'parallel';

/** Which implementation runs the sweeps: the wasm kernels or the plain-TypeScript twins. */
export type Engine = 'wasm' | 'reference';

/** Options of a mean-field inference. */
export interface MeanFieldOptions {
  /** Sweeps at most (default 200). */
  maxIter?: number;
  /** Stop when no ĥ_i moves by more than this in a sweep (default 1e-8). */
  tol?: number;
  /**
   * 'sequential' (default): ĥ_i updated one at a time, each update never lowers the bound.
   * 'parallel': all units from the previous sweep at once (a GEMM per sweep), damped; faster
   * per sweep, but may oscillate without damping.
   */
  schedule?: Schedule;
  /** Step η ∈ (0, 1] of ĥ ← ĥ + η(σ(field) − ĥ) (default 1 sequential, 0.5 parallel). */
  damping?: number;
  /** 'wasm' (default) or 'reference' (the plain-TypeScript twin of the same sweeps). */
  engine?: Engine;
}

/** How a fixed-point iteration ended: converged, or stopped at maxIter with its last change. */
export interface ConvergenceInfo {
  /** Sweeps run. */
  nIter: number;
  /** True when the last sweep moved no ĥ_i by more than tol. */
  converged: boolean;
  /** max |Δĥ| in the last sweep. */
  change: number;
}

/** Progress of a fit, passed to `onIteration`. */
export interface FitIterationInfo {
  /** 1-based iteration. */
  iteration: number;
  /** Mean bound per row after it. */
  lowerBound: number;
  /** lowerBound minus the previous one (Infinity on the first iteration). */
  change: number;
}

/** Result of a fit's history. */
export interface FitHistory {
  lowerBoundHistory: number[];
  converged: boolean;
  nIter: number;
}

export type { Matrix };
