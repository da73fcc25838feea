/**
 * IsingGrid: a Boltzmann machine on a height × width grid of binary units with one coupling
 * between 4-neighbours, whose mean-field sweeps use the checkerboard schedule.
 */
import { kernels } from '../runtime/kernels.js';
import { withWorkspace } from '../runtime/memory.js';
import { ShapeError } from '../runtime/errors.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import * as ref from '../reference/index.js';
import { BoltzmannMachine } from './BoltzmannMachine.js';
import { largest, requireFinite, sweepsMessage, warningSink, type WarningSink } from './guards.js';
import type { ConvergenceInfo, Engine } from './types.js';
import { checkDamping, checkEngine, checkFinite, checkInteger, checkNonNegative, checkParamVector } from './validate.js';

/** Constructor options of {@link IsingGrid} ({0,1} units). */
export interface IsingGridOptions {
  /** Rows of the grid. */
  height: number;
  /** Columns of the grid. */
  width: number;
  /** w in −E(x) = Σ_i a_i x_i + w Σ_{i~j} x_i x_j (sum over neighbouring pairs). */
  coupling: number;
  /** a, row-major height × width (default 0). */
  bias?: Float64Array | number[];
  /** Receives the warning when `meanField` sweeps stop at maxIter (default console.warn). */
  onWarning?: (message: string) => void;
}

/** Options of {@link IsingGrid.meanField}. */
export interface IsingMeanFieldOptions {
  /** Full sweeps (both colours) at most (default 200). */
  maxIter?: number;
  /** Stop when no marginal moves by more than this in a sweep (default 1e-8). */
  tol?: number;
  /** Step η ∈ (0, 1] (default 1: each half-sweep is an exact block update). */
  damping?: number;
  /** Starting marginals (default ½ everywhere). */
  init?: Float64Array | number[];
  /** 'wasm' (default) or 'reference'. */
  engine?: Engine;
}

const OPTION_KEYS = optionKeys<IsingGridOptions>()(['height', 'width', 'coupling', 'bias', 'onWarning']);
const MEAN_FIELD_KEYS = optionKeys<IsingMeanFieldOptions>()(['maxIter', 'tol', 'damping', 'init', 'engine']);
const FROM_SPINS_KEYS = optionKeys<Parameters<typeof IsingGrid.fromSpins>[0]>()(['height', 'width', 'coupling', 'field', 'onWarning']);

/** Result of {@link IsingGrid.meanField}. */
export interface IsingMeanField extends ConvergenceInfo {
  /** q(x_i = 1), row-major height × width. */
  marginals: Float64Array;
  /** The bound on log Z. */
  lowerBound: number;
}

/**
 * A grid Boltzmann machine (Ising model in {0,1} units). Sites of one colour of the
 * checkerboard only neighbour the other colour, so a half-sweep updates all of one colour at
 * once — a vectorised stencil — and still never lowers the bound.
 *
 * @example
 * ```ts
 * import { init, IsingGrid } from 'elbo-wasm';
 * await init();
 * // Denoising: spins s = 2x − 1, prior coupling J, evidence field h·y from a noisy ±1 image y.
 * const grid = IsingGrid.fromSpins({ height: 24, width: 24, coupling: 0.8, field: y.map((v) => 1.2 * v) });
 * const { marginals } = grid.meanField();
 * const clean = marginals.map((p) => (p > 0.5 ? 1 : 0));
 * ```
 */
export class IsingGrid {
  /** Rows of the grid. */
  readonly height: number;
  /** Columns of the grid. */
  readonly width: number;
  /** Coupling w between neighbouring units, as in IsingGridOptions. */
  readonly coupling: number;
  private readonly a: Float64Array;
  private readonly onWarning: WarningSink;

  constructor(options: IsingGridOptions) {
    options = checkOptions(options, OPTION_KEYS, 'IsingGrid');
    this.height = checkInteger(options.height, 'height', 1);
    this.width = checkInteger(options.width, 'width', 1);
    this.coupling = checkFinite(options.coupling, 'coupling');
    const n = this.height * this.width;
    this.a = options.bias === undefined ? new Float64Array(n) : checkParamVector(options.bias, 'bias', n);
    this.onWarning = warningSink(options.onWarning);
  }

  /**
   * The grid for spins s ∈ {−1, +1} with −E(s) = Σ_i field_i s_i + J Σ_{i~j} s_i s_j, in {0,1}
   * units x = (s + 1)/2: coupling 4J and bias 2·field_i − 2J·(number of neighbours of i); the
   * two energies differ by a constant only, so the marginals agree (p(s_i = 1) = q(x_i = 1)).
   */
  static fromSpins(o: { height: number; width: number; coupling: number; field: Float64Array | number[]; onWarning?: (message: string) => void }): IsingGrid {
    o = checkOptions(o, FROM_SPINS_KEYS, 'IsingGrid.fromSpins');
    const height = checkInteger(o.height, 'height', 1), width = checkInteger(o.width, 'width', 1);
    const J = checkFinite(o.coupling, 'coupling');
    const field = checkParamVector(o.field, 'field', height * width);
    const bias = new Float64Array(height * width);
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const degree = (i > 0 ? 1 : 0) + (i < height - 1 ? 1 : 0) + (j > 0 ? 1 : 0) + (j < width - 1 ? 1 : 0);
        bias[i * width + j] = 2 * field[i * width + j] - 2 * J * degree;
      }
    }
    return new IsingGrid({ height, width, coupling: 4 * J, bias, onWarning: o.onWarning });
  }

  /** The bias a (a copy). */
  get bias(): Float64Array { return Float64Array.from(this.a); }

  /** Mean-field inference with the checkerboard schedule: colour 0, then colour 1, per sweep. */
  meanField(options: IsingMeanFieldOptions = {}): IsingMeanField {
    options = checkOptions(options, MEAN_FIELD_KEYS, 'IsingGrid.meanField');
    const maxIter = checkInteger(options.maxIter ?? 200, 'maxIter', 1);
    const tol = checkNonNegative(options.tol ?? 1e-8, 'tol');
    const damping = checkDamping(options.damping ?? 1);
    const engine = checkEngine(options.engine ?? 'wasm');
    const { height, width, coupling } = this;
    const n = height * width;
    const m0 = options.init === undefined ? new Float64Array(n).fill(0.5) : checkParamVector(options.init, 'init', n);
    m0.forEach((v, i) => { if (!(v >= 0 && v <= 1)) throw new ShapeError(`init must lie in [0, 1]; init[${i}] is ${v}`); });
    let nIter = 0, change = Infinity, converged = false;
    const sweepWith = (half: (colour: number) => number): void => {
      while (nIter < maxIter) {
        change = Math.max(half(0), half(1));
        nIter++;
        if (change <= tol) { converged = true; return; }
      }
    };
    let marginals: Float64Array;
    if (engine === 'reference') {
      marginals = Float64Array.from(m0);
      sweepWith((c) => ref.isingCheckerboard(this.a, marginals, height, width, coupling, damping, c));
    } else {
      marginals = withWorkspace((ws) => {
        const pa = ws.copyIn(this.a), pm = ws.copyIn(m0);
        const k = kernels();
        sweepWith((c) => k.isingCheckerboardF64(pa.ptr, pm.ptr, height, width, coupling, damping, c));
        return pm.readF64();
      });
    }
    const lowerBound = this.lowerBound(marginals);
    requireFinite([lowerBound], () => `the mean-field bound is not finite: coupling (${coupling}) and bias (max |a| = ${largest(this.a).toPrecision(3)}) are too large for its sums in f64; scale them down`);
    if (!converged && tol > 0) this.onWarning(sweepsMessage('IsingGrid.meanField', maxIter, change, tol));
    return { marginals, lowerBound, nIter, converged, change };
  }

  /** L(q) = Σ a_i m_i + w Σ_{i~j} m_i m_j + Σ H(m_i): the mean-field bound on log Z at marginals m. */
  lowerBound(m: Float64Array): number {
    const { height, width, coupling, a } = this;
    let s = 0;
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const at = i * width + j, p = m[at];
        s += a[at] * p;
        if (j < width - 1) s += coupling * p * m[at + 1];
        if (i < height - 1) s += coupling * p * m[at + width];
        if (p > 0 && p < 1) s -= p * Math.log(p) + (1 - p) * Math.log1p(-p);
      }
    }
    return s;
  }

  /** The same model as a dense {@link BoltzmannMachine} (n = height·width units; for small grids). */
  toBoltzmannMachine(): BoltzmannMachine {
    const { height, width, coupling } = this;
    const n = height * width;
    const W = new Float64Array(n * n);
    const link = (p: number, q: number) => { W[p * n + q] = W[q * n + p] = coupling; };
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        if (j < width - 1) link(i * width + j, i * width + j + 1);
        if (i < height - 1) link(i * width + j, (i + 1) * width + j);
      }
    }
    return new BoltzmannMachine({ W: { data: W, rows: n, cols: n }, b: this.a, onWarning: this.onWarning });
  }
}
