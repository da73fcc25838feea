/**
 * The batched lasso encoder, written once over {@link Ops}: for blocks of rows, C = X_b Dᵀ (one
 * GEMM), then either coordinate descent on G = DDᵀ (the lassoCD kernel, one call per block) or
 * ISTA/FISTA, whose iteration is one GEMM Q = ZG over the block's unconverged rows plus two
 * row kernels (KERNELS.md). A row stops as soon as its duality gap is ≤ tol·‖x‖²; ISTA/FISTA
 * then move it out of the block's active rows, so a converged signal stops costing work.
 */
import type { Ops } from './ops.js';

/** Elements of one block's C (rows × atoms): keeps the per-block temporaries in cache. */
const BLOCK_ELEMENTS = 65536;
const MIN_BLOCK_ROWS = 16;

/** The lasso solvers. */
export type Algorithm = 'cd' | 'fista' | 'ista';
export const ALGORITHMS: readonly Algorithm[] = ['cd', 'fista', 'ista'];

export interface EncodeProblem<H> {
  /** Signals, N × F. */
  X: H;
  /** ‖x_n‖², per row (f64). */
  x2: Float64Array;
  /** Dictionary, A × F. */
  dict: H;
  /** Codes, N × A: the warm start on entry (zeros for none), the solution on exit. */
  codes: H;
  /** A precomputed Gram matrix DDᵀ (A × A), or null to compute it. */
  gram: H | null;
  N: number;
  F: number;
  A: number;
  alpha: number;
  algorithm: Algorithm;
  tol: number;
  maxIter: number;
  positive: boolean;
  /** λ_max(DDᵀ) with its margin (ISTA/FISTA only). */
  lipschitz: number;
}

export interface EncodeStats {
  /** Duality gap per row. */
  gap: Float64Array;
  /** ½‖x − hD‖² + α‖h‖₁ per row. */
  objective: Float64Array;
  /** Iterations per row: passes over the coordinates (cd) or proximal-gradient steps (ista, fista). */
  nIter: Int32Array;
}

/** Solves the N lasso problems of p in place (codes) and returns the per-row statistics. */
export function encode<H>(ops: Ops<H>, p: EncodeProblem<H>): EncodeStats {
  const { N, A, F } = p;
  const stats: EncodeStats = { gap: new Float64Array(N), objective: new Float64Array(N), nIter: new Int32Array(N) };
  if (N === 0) return stats;
  ops.scoped(() => {
    let gram = p.gram;
    if (!gram) {
      gram = ops.alloc(A * A);
      ops.gemmNT(p.dict, p.dict, gram, A, A, F, 0);
    }
    const blockRows = Math.min(N, Math.max(MIN_BLOCK_ROWS, Math.floor(BLOCK_ELEMENTS / A)));
    if (p.algorithm === 'cd' && ops.lassoCDBlocks) {
      // The wasm engine: the same blocks as the loop below, as one job for the thread pool.
      ops.lassoCDBlocks({ ...p, gram, blockRows, positive: p.positive ? 1 : 0 }, stats);
      return;
    }
    if (p.algorithm !== 'cd' && ops.proxBlocks) {
      ops.proxBlocks({ ...p, gram, blockRows, positive: p.positive ? 1 : 0, step: 1 / p.lipschitz, momentum: p.algorithm === 'fista' ? 1 : 0 }, stats);
      return;
    }
    const block: Block<H> = {
      gram, rows: 0, start: 0,
      C: ops.alloc(blockRows * A),
      x2: ops.allocF64(blockRows),
      gap: ops.allocF64(blockRows),
      obj: ops.allocF64(blockRows),
      iters: ops.allocF64(blockRows),
    };
    const solve = p.algorithm === 'cd' ? cdSolver(ops, p, blockRows) : proxSolver(ops, p, blockRows);
    for (let start = 0; start < N; start += blockRows) {
      const rows = Math.min(blockRows, N - start);
      block.rows = rows;
      block.start = start;
      ops.gemmNT(ops.at(p.X, start * F), p.dict, block.C, rows, A, F, 0);
      ops.view(block.x2, rows).set(p.x2.subarray(start, start + rows));
      solve(block, stats);
    }
  });
  return stats;
}

interface Block<H> {
  gram: H;
  rows: number;
  start: number;
  C: H;
  x2: H;
  gap: H;
  obj: H;
  iters: H;
}

type Solver<H> = (b: Block<H>, stats: EncodeStats) => void;

function cdSolver<H>(ops: Ops<H>, p: EncodeProblem<H>, _blockRows: number): Solver<H> {
  const { A } = p;
  const work = ops.alloc(2 * A * A + 11 * A);
  return (b, stats) => {
    const h = ops.at(p.codes, b.start * A);
    ops.lassoCD(b.gram, b.C, h, b.x2, b.gap, b.obj, b.iters, work, b.rows, A, p.alpha, p.tol, p.maxIter, p.positive ? 1 : 0);
    stats.gap.set(ops.view(b.gap, b.rows), b.start);
    stats.objective.set(ops.view(b.obj, b.rows), b.start);
    stats.nIter.set(ops.view(b.iters, b.rows), b.start);
  };
}

/**
 * ISTA/FISTA over a block. State per active row: Z (current codes), Q = ZG, the next point Y
 * and QY = YG, C, and the f64 scalars ‖x‖², t, objective, gap; Zn/Qn receive the next iterate.
 * Converged rows leave by swap-with-last, so the GEMM always runs on `active` contiguous rows.
 */
function proxSolver<H>(ops: Ops<H>, p: EncodeProblem<H>, blockRows: number): Solver<H> {
  const { A } = p;
  const n = blockRows * A;
  let Z = ops.alloc(n), Zn = ops.alloc(n), Q = ops.alloc(n), Qn = ops.alloc(n);
  const Y = ops.alloc(n), QY = ops.alloc(n);
  const t = ops.allocF64(blockRows);
  const momentum = p.algorithm === 'fista' ? 1 : 0;
  const positive = p.positive ? 1 : 0;
  const step = 1 / p.lipschitz;
  const index = new Int32Array(blockRows);
  return (b, stats) => {
    const { gram, C, x2, gap, obj } = b;
    let active = b.rows;
    for (let r = 0; r < active; r++) index[r] = b.start + r;
    ops.copy(ops.at(p.codes, b.start * A), Z, active * A);
    ops.gemmNN(Z, gram, Q, active, A, A, 0);
    ops.view(t, active).fill(1);
    ops.view(obj, active).fill(Infinity);
    // Objective and gap of the starting point (Y = Z): a warm start at the solution costs nothing.
    ops.fistaMomentum(Z, Z, Q, Q, C, Y, QY, x2, t, obj, gap, active, A, p.alpha, momentum, positive);
    let it = 0;
    const retire = () => {
      const g = ops.view(gap, active) as Float64Array;
      const xx = ops.view(x2, active) as Float64Array;
      for (let r = active - 1; r >= 0; r--) {
        if (!(g[r] <= p.tol * xx[r]) && it < p.maxIter) continue;
        const dst = index[r];
        ops.copy(ops.at(Z, r * A), ops.at(p.codes, dst * A), A);
        stats.gap[dst] = g[r];
        stats.objective[dst] = (ops.view(obj, active) as Float64Array)[r];
        stats.nIter[dst] = it;
        const last = active - 1;
        if (r !== last) {
          for (const h of [Z, Q, Y, QY, C]) ops.copy(ops.at(h, last * A), ops.at(h, r * A), A);
          for (const s of [x2, t, obj, gap]) ops.copy(ops.at(s, last), ops.at(s, r), 1);
          index[r] = index[last];
        }
        active = last;
      }
    };
    retire();
    while (active > 0) {
      ops.proxGrad(Y, QY, C, Zn, active * A, step, p.alpha * step, positive);
      ops.gemmNN(Zn, gram, Qn, active, A, A, 0);
      ops.fistaMomentum(Zn, Z, Qn, Q, C, Y, QY, x2, t, obj, gap, active, A, p.alpha, momentum, positive);
      [Z, Zn] = [Zn, Z];
      [Q, Qn] = [Qn, Q];
      it++;
      retire();
    }
  };
}

/**
 * ½‖x − hD‖² + α‖h‖₁ per row from the residual itself, R = HD − X (one GEMM per block of rows),
 * not from the Gram form ‖x‖² − 2h·c + hᵀGh that the solvers use inside their loops: that form
 * subtracts numbers of the size of ‖x‖² and hᵀGh and, far from the optimum or at large scales,
 * can come out negative. This one is a sum of non-negative terms, so it never can.
 */
export function residualObjective<H>(ops: Ops<H>, X: H, dict: H, codes: H, N: number, F: number, A: number, alpha: number): Float64Array {
  const out = new Float64Array(N);
  if (N === 0) return out;
  const blockRows = Math.min(N, Math.max(MIN_BLOCK_ROWS, Math.floor(BLOCK_ELEMENTS / Math.max(F, 1))));
  if (ops.residualObjectiveBlocks) {
    ops.residualObjectiveBlocks(X, dict, codes, out, N, F, A, alpha, blockRows);
    return out;
  }
  // The reference engine: the twin of the wasm kernel residualObjectiveBlock (same sums, same order).
  ops.scoped(() => {
    const R = ops.alloc(blockRows * F);
    for (let start = 0; start < N; start += blockRows) {
      const rows = Math.min(blockRows, N - start);
      ops.copy(ops.at(X, start * F), R, rows * F);
      ops.gemmNN(ops.at(codes, start * A), dict, R, rows, F, A, -1);
      const r = ops.view(R, rows * F);
      const h = ops.view(ops.at(codes, start * A), rows * A);
      for (let i = 0; i < rows; i++) {
        let rr = 0, l1 = 0;
        for (let j = 0; j < F; j++) rr += r[i * F + j] * r[i * F + j];
        for (let a = 0; a < A; a++) l1 += Math.abs(h[i * A + a]);
        out[start + i] = 0.5 * rr + alpha * l1;
      }
    }
  });
  return out;
}
