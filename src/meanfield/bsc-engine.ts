/**
 * Binary sparse coding over one data set for the length of an inference or a fit: the data V
 * sits in the engine (wasm memory or a TS array) once; each iteration sets the parameters
 * (A = VβW + (b − ½ diag C) by one GEMM, J), runs the mean-field sweeps, and reads the bound
 * and the sufficient statistics (ĤᵀĤ, VᵀĤ by GEMMs).
 */
import { kernels } from '../runtime/kernels.js';
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

  constructor(V: Float64Array, private readonly N: number, private readonly m: number, private readonly n: number) {
    this.q = new WasmQuadratic(N, n);
    try {
      const ws = this.q.ws;
      this.V = ws.copyIn(V);
      this.betaW = ws.f64(m * n);
      this.bias = ws.f64(n);
      this.HtH = ws.f64(n * n);
      this.VtH = ws.f64(m * n);
      this.sumH = ws.f64(n);
    } catch (e) {
      this.q.release();
      throw e;
    }
  }

  setParams(p: BscParams): void {
    const k = kernels();
    const { betaW, J, bias } = couplings(p);
    this.betaW.set(betaW);
    this.bias.set(bias);
    this.q.setJ(J);
    k.gemmNNF64(this.V.ptr, this.betaW.ptr, this.q.a.ptr, this.N, this.n, this.m, 0);
    k.addRowVectorF64(this.q.a.ptr, this.bias.ptr, this.N, this.n);
  }

  stats(): Omit<BscStats, 'sumV2'> {
    const k = kernels();
    const { N, m, n } = this;
    const h = this.q.hBuf.ptr;
    k.gemmTNF64(h, h, this.HtH.ptr, n, n, N, 0);
    k.gemmTNF64(this.V.ptr, h, this.VtH.ptr, m, n, N, 0);
    k.colSumsF64(h, this.sumH.ptr, N, n);
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

export function bscEngine(engine: Engine, V: Float64Array, N: number, m: number, n: number): BscEngine {
  return engine === 'reference' ? new ReferenceBsc(V, N, m, n) : new WasmBsc(V, N, m, n);
}
