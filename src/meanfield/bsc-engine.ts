/**
 * Binary sparse coding over one data set for the length of an inference or a fit: the data V
 * sits in the engine (wasm memory or a TS array) once; each iteration sets the parameters
 * (A = VβW + (b − ½ diag C) by one GEMM, J), runs the mean-field sweeps, and reads the bound
 * and the sufficient statistics (ĤᵀĤ, VᵀĤ by GEMMs).
 */
import { gemm } from '../runtime/gemm.js';
import { typed } from '../runtime/kernels.js';
import type { DType, FloatArray } from '../runtime/matrix.js';
import type { Buffer } from '../runtime/memory.js';
import * as ref from '../reference/index.js';
import { couplings, type BscParams, type BscStats } from './bsc.js';
import { ReferenceQuadratic, WasmQuadratic, type QuadraticEngine } from './quadratic.js';
import type { Engine } from './types.js';

export interface BscEngine {
  readonly q: QuadraticEngine;
  setParams(p: BscParams): void;
  /** Statistics of the current Ĥ (sumV2 is the caller's). */
  stats(): Omit<BscStats, 'sumV2'>;
  release(): void;
}

class WasmBsc implements BscEngine {
  readonly q: WasmQuadratic;
  private readonly V: Buffer;
  private readonly betaW: Buffer;
  private readonly bias: Buffer;
  private readonly HtH: Buffer;
  private readonly VtH: Buffer;
  private readonly sumH: Buffer;

  private readonly dtype: DType;

  /** Float32Array data runs every kernel in f32 (the bound is still accumulated in f64). */
  constructor(V: FloatArray, private readonly N: number, private readonly m: number, private readonly n: number) {
    this.dtype = V instanceof Float32Array ? 'f32' : 'f64';
    this.q = new WasmQuadratic(N, n, this.dtype);
    try {
      const ws = this.q.ws;
      const t = this.dtype;
      this.V = ws.copyIn(V);
      this.betaW = ws.alloc(t, m * n);
      this.bias = ws.alloc(t, n);
      this.HtH = ws.alloc(t, n * n);
      this.VtH = ws.alloc(t, m * n);
      this.sumH = ws.alloc(t, n);
    } catch (e) {
      this.q.release();
      throw e;
    }
  }

  setParams(p: BscParams): void {
    const { betaW, J, bias } = couplings(p);
    this.betaW.set(betaW);
    this.bias.set(bias);
    this.q.setJ(J);
    gemm('NN', this.dtype, this.V.ptr, this.betaW.ptr, this.q.a.ptr, this.N, this.n, this.m, 0);
    typed('addRowVector', this.dtype)(this.q.a.ptr, this.bias.ptr, this.N, this.n);
  }

  stats(): Omit<BscStats, 'sumV2'> {
    const { N, m, n, dtype } = this;
    const h = this.q.hBuf.ptr;
    gemm('TN', dtype, h, h, this.HtH.ptr, n, n, N, 0);
    gemm('TN', dtype, this.V.ptr, h, this.VtH.ptr, m, n, N, 0);
    typed('colSums', dtype)(h, this.sumH.ptr, N, n);
    return { N, sumH: this.sumH.readF64(), HtH: this.HtH.readF64(), VtH: this.VtH.readF64() };
  }

  release(): void { this.q.release(); }
}

class ReferenceBsc implements BscEngine {
  readonly q: ReferenceQuadratic;

  constructor(private readonly V: Float64Array, private readonly N: number, private readonly m: number, private readonly n: number) {
    this.q = new ReferenceQuadratic(N, n);
  }

  setParams(p: BscParams): void {
    const { betaW, J, bias } = couplings(p);
    this.q.setJ(J);
    ref.gemmNN(this.V, betaW, this.q.a, this.N, this.n, this.m, 0);
    ref.addRowVector(this.q.a, bias, this.N, this.n);
  }

  stats(): Omit<BscStats, 'sumV2'> {
    const { N, m, n } = this;
    const h = this.q.hArr;
    const HtH = new Float64Array(n * n), VtH = new Float64Array(m * n), sumH = new Float64Array(n);
    ref.gemmTN(h, h, HtH, n, n, N, 0);
    ref.gemmTN(this.V, h, VtH, m, n, N, 0);
    ref.colSums(h, sumH, N, n);
    return { N, sumH, HtH, VtH };
  }

  release(): void {}
}

/** The engine for V: 'wasm' in V's element type, or the f64 TypeScript reference. */
export function bscEngine(engine: Engine, V: FloatArray, N: number, m: number, n: number): BscEngine {
  return engine === 'reference' ? new ReferenceBsc(Float64Array.from(V), N, m, n) : new WasmBsc(V, N, m, n);
}
