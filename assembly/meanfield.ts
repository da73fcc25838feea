// Mean-field fixed-point sweeps for binary latents (Goodfellow et al. §19.4).
//
// Every binary model here is brought to one form: log p̃(h) = aᵀh + ½ hᵀJh with J symmetric
// and zero on the diagonal (binary sparse coding: a = b + WᵀβV − ½ diag(WᵀβW),
// J = −offdiag(WᵀβW); a Boltzmann machine: a = b_free + W_fc v, J = W_ff). For a factorised
// q(h) = Π Bern(ĥ_i), the fixed point of coordinate i is ĥ_i = σ(a_i + Σ_j J_ij ĥ_j) = σ(f_i),
// and the field F = A + ĤJ is what every kernel below works from. Matrices are row-major,
// rows × n (one row per signal / clamped configuration); J is n × n.
import { FORM_NN, gemm } from './linalg/gemm';
import { dot } from './linalg/vector';
import { hsum } from './simd';
import { entropyBernoulliV, lane0, sigmoidV } from './vmath';
import { PANEL_BYTES, panel } from './scratch';

/** σ(x) for one value, with the same arithmetic as the vector lanes. */
@inline
function sigmoid1<T>(x: T): T {
  return lane0<T>(sigmoidV<T>(v128.splat<T>(x)));
}

/** F = A + ĤJ: one copy and one GEMM (rows × n × n). */
@inline
function meanFieldField<T>(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32): void {
  memory.copy(field, a, <usize>rows * <usize>n * sizeof<T>());
  gemm<T>(FORM_NN, h, J, field, rows, n, n, <T>1);
}

export function meanFieldFieldF64(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32): void { meanFieldField<f64>(a, J, h, field, rows, n); }
export function meanFieldFieldF32(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32): void { meanFieldField<f32>(a, J, h, field, rows, n); }

/** Rows of a block in the sequential sweep: four vectors' worth (8 f64 or 16 f32 rows). */
@inline function blockRows<T>(): i32 { return 4 * (16 / sizeof<T>()); }
/** Scratch for one block of Ĥ, transposed (n × blockRows): the per-thread panel of scratch.ts. */
const BLOCK_BYTES = PANEL_BYTES;

/**
 * One sequential sweep over every row: for i = 0 … n−1, f_i = a_i + Σ_j J_ij ĥ_j (J_ii = 0, so
 * the old ĥ_i drops out) and ĥ_i ← ĥ_i + η(σ(f_i) − ĥ_i). Each update maximises the bound along
 * coordinate i (η = 1) or moves towards that maximum (η < 1), so the bound never decreases.
 * Rows are independent, so blocks of blockRows rows are swept together: Ĥ of the block is
 * transposed into a scratch panel, and update i is one pass over row i of J with a broadcast
 * J_ij times four vectors of ĥ_j (one per lane group of rows) and a vector sigmoid. Rows left
 * over, and n too large for the panel, take the row-at-a-time path (a SIMD dot per update).
 * Returns max |Δĥ|.
 */
@inline
function meanFieldSequential<T>(a: usize, J: usize, h: usize, rows: i32, n: i32, damping: T): f64 {
  const L = 16 / sizeof<T>();
  const R = blockRows<T>();
  const rowBytes = <usize>n * sizeof<T>();
  const eta = v128.splat<T>(damping);
  let dv = v128.splat<T>(0);
  let maxDelta: T = 0;
  let r0 = 0;
  const hBlock = panel();
  if (<usize>n * <usize>R * sizeof<T>() <= <usize>BLOCK_BYTES) {
    const vb = <usize>L * sizeof<T>(); // bytes per vector
    for (; r0 + R <= rows; r0 += R) {
      // Pack: hBlock[j·R + k] = h[(r0 + k)·n + j].
      for (let k = 0; k < R; k++) {
        const src = h + <usize>(r0 + k) * rowBytes;
        for (let j = 0; j < n; j++) store<T>(hBlock + (<usize>(j * R + k)) * sizeof<T>(), load<T>(src + <usize>j * sizeof<T>()));
      }
      for (let i = 0; i < n; i++) {
        const Ji = J + <usize>i * rowBytes;
        let f0 = v128.splat<T>(0), f1 = f0, f2 = f0, f3 = f0;
        for (let j = 0; j < n; j++) {
          const c = v128.splat<T>(load<T>(Ji + <usize>j * sizeof<T>()));
          const p = hBlock + <usize>(j * R) * sizeof<T>();
          f0 = v128.add<T>(f0, v128.mul<T>(c, v128.load(p)));
          f1 = v128.add<T>(f1, v128.mul<T>(c, v128.load(p + vb)));
          f2 = v128.add<T>(f2, v128.mul<T>(c, v128.load(p + 2 * vb)));
          f3 = v128.add<T>(f3, v128.mul<T>(c, v128.load(p + 3 * vb)));
        }
        // f = a_i of each row + the sums: a is row-major, so the R values are n apart.
        const pi = hBlock + <usize>(i * R) * sizeof<T>();
        const ai = a + <usize>r0 * rowBytes + <usize>i * sizeof<T>();
        f0 = v128.add<T>(f0, gather<T>(ai, rowBytes));
        f1 = v128.add<T>(f1, gather<T>(ai + <usize>L * rowBytes, rowBytes));
        f2 = v128.add<T>(f2, gather<T>(ai + <usize>(2 * L) * rowBytes, rowBytes));
        f3 = v128.add<T>(f3, gather<T>(ai + <usize>(3 * L) * rowBytes, rowBytes));
        dv = v128.max<T>(dv, dampedUpdate<T>(pi, f0, eta));
        dv = v128.max<T>(dv, dampedUpdate<T>(pi + vb, f1, eta));
        dv = v128.max<T>(dv, dampedUpdate<T>(pi + 2 * vb, f2, eta));
        dv = v128.max<T>(dv, dampedUpdate<T>(pi + 3 * vb, f3, eta));
      }
      // Unpack.
      for (let k = 0; k < R; k++) {
        const dst = h + <usize>(r0 + k) * rowBytes;
        for (let j = 0; j < n; j++) store<T>(dst + <usize>j * sizeof<T>(), load<T>(hBlock + (<usize>(j * R + k)) * sizeof<T>()));
      }
    }
  }
  for (let r = r0; r < rows; r++) {
    const ar = a + <usize>r * rowBytes;
    const hr = h + <usize>r * rowBytes;
    for (let i = 0; i < n; i++) {
      const o = <usize>i * sizeof<T>();
      const old = load<T>(hr + o);
      const target = sigmoid1<T>(load<T>(ar + o) + <T>dot<T>(J + <usize>i * rowBytes, hr, n));
      const next: T = damping == 1 ? target : old + damping * (target - old);
      store<T>(hr + o, next);
      maxDelta = max<T>(maxDelta, abs<T>(next - old));
    }
  }
  maxDelta = max<T>(maxDelta, max<T>(v128.extract_lane<T>(dv, 0), v128.extract_lane<T>(dv, 1)));
  if (sizeof<T>() == 4) maxDelta = max<T>(maxDelta, max<T>(v128.extract_lane<T>(dv, 2), v128.extract_lane<T>(dv, 3)));
  return <f64>maxDelta;
}

/** Lanes of a vector from values `stride` bytes apart (one value per row). */
@inline
function gather<T>(p: usize, stride: usize): v128 {
  let v = v128.splat<T>(load<T>(p));
  v = v128.replace_lane<T>(v, 1, load<T>(p + stride));
  if (sizeof<T>() == 4) {
    v = v128.replace_lane<T>(v, 2, load<T>(p + 2 * stride));
    v = v128.replace_lane<T>(v, 3, load<T>(p + 3 * stride));
  }
  return v;
}

/** ĥ ← ĥ + η(σ(f) − ĥ) for the vector of ĥ at p; returns |Δĥ|. */
@inline
function dampedUpdate<T>(p: usize, f: v128, eta: v128): v128 {
  const old = v128.load(p);
  const d = v128.mul<T>(eta, v128.sub<T>(sigmoidV<T>(f), old));
  v128.store(p, v128.add<T>(old, d));
  return v128.abs<T>(d);
}

export function meanFieldSequentialF64(a: usize, J: usize, h: usize, rows: i32, n: i32, damping: f64): f64 { return meanFieldSequential<f64>(a, J, h, rows, n, damping); }
export function meanFieldSequentialF32(a: usize, J: usize, h: usize, rows: i32, n: i32, damping: f32): f64 { return meanFieldSequential<f32>(a, J, h, rows, n, damping); }

/**
 * One damped parallel sweep: F = A + ĤJ (one GEMM), then Ĥ ← Ĥ + η(σ(F) − Ĥ) element-wise.
 * On exit the field belongs to the Ĥ of the start of the sweep. Returns max |Δĥ|.
 */
@inline
function meanFieldParallel<T>(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32, damping: T): f64 {
  meanFieldField<T>(a, J, h, field, rows, n);
  const L = 16 / sizeof<T>();
  const total = rows * n;
  const eta = v128.splat<T>(damping);
  let dv = v128.splat<T>(0);
  let i = 0;
  for (; i <= total - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const old = v128.load(h + o);
    const d = v128.mul<T>(eta, v128.sub<T>(sigmoidV<T>(v128.load(field + o)), old));
    v128.store(h + o, v128.add<T>(old, d));
    dv = v128.max<T>(dv, v128.abs<T>(d));
  }
  let maxDelta: T = max<T>(v128.extract_lane<T>(dv, 0), v128.extract_lane<T>(dv, 1));
  if (sizeof<T>() == 4) {
    maxDelta = max<T>(maxDelta, max<T>(v128.extract_lane<T>(dv, 2), v128.extract_lane<T>(dv, 3)));
  }
  for (; i < total; i++) {
    const o = <usize>i * sizeof<T>();
    const old = load<T>(h + o);
    const d = damping * (sigmoid1<T>(load<T>(field + o)) - old);
    store<T>(h + o, old + d);
    maxDelta = max<T>(maxDelta, abs<T>(d));
  }
  return <f64>maxDelta;
}

export function meanFieldParallelF64(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32, damping: f64): f64 { return meanFieldParallel<f64>(a, J, h, field, rows, n, damping); }
export function meanFieldParallelF32(a: usize, J: usize, h: usize, field: usize, rows: i32, n: i32, damping: f32): f64 { return meanFieldParallel<f32>(a, J, h, field, rows, n, damping); }

/**
 * The mean-field bound per row, out_r (f64) = E_q[aᵀh + ½hᵀJh] + H(q) = ½ ĥᵀ(a + f) + Σ_i H(ĥ_i),
 * since E_q[h_i h_j] = ĥ_i ĥ_j for i ≠ j and J has a zero diagonal, so ĥᵀJĥ = ĥᵀ(f − a).
 * The field must equal A + ĤJ.
 */
@inline
function meanFieldBound<T>(a: usize, field: usize, h: usize, out: usize, rows: i32, n: i32): void {
  const L = 16 / sizeof<T>();
  const half = v128.splat<T>(0.5);
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>n * sizeof<T>();
    let acc = v128.splat<T>(0);
    let i = 0;
    for (; i <= n - L; i += L) {
      const o = base + <usize>i * sizeof<T>();
      const p = v128.load(h + o);
      const s = v128.add<T>(v128.load(a + o), v128.load(field + o));
      acc = v128.add<T>(acc, v128.add<T>(v128.mul<T>(half, v128.mul<T>(p, s)), entropyBernoulliV<T>(p)));
    }
    let s = hsum<T>(acc);
    for (; i < n; i++) {
      const o = base + <usize>i * sizeof<T>();
      const p = load<T>(h + o);
      s += <f64>(<T>0.5 * p * (load<T>(a + o) + load<T>(field + o))) + <f64>lane0<T>(entropyBernoulliV<T>(v128.splat<T>(p)));
    }
    store<f64>(out + (<usize>r << 3), s);
  }
}

export function meanFieldBoundF64(a: usize, field: usize, h: usize, out: usize, rows: i32, n: i32): void { meanFieldBound<f64>(a, field, h, out, rows, n); }
export function meanFieldBoundF32(a: usize, field: usize, h: usize, out: usize, rows: i32, n: i32): void { meanFieldBound<f32>(a, field, h, out, rows, n); }

/** Lanes of one colour of the checkerboard: even lane offsets (k = 0, 2) or odd ones. */
@inline
function laneMask<T>(odd: bool): v128 {
  if (sizeof<T>() == 8) return odd ? i64x2(0, -1) : i64x2(-1, 0);
  return odd ? i32x4(0, -1, 0, -1) : i32x4(-1, 0, -1, 0);
}

/** The damped update of site (i, j) of the grid from its four neighbours; returns |Δm|. */
@inline
function gridSite<T>(a: usize, m: usize, height: i32, width: i32, i: i32, j: i32, w: T, damping: T): T {
  const at = <usize>(i * width + j) * sizeof<T>();
  const rowStep = <usize>width * sizeof<T>();
  let s: T = 0;
  if (j > 0) s += load<T>(m + at - sizeof<T>());
  if (j < width - 1) s += load<T>(m + at + sizeof<T>());
  if (i > 0) s += load<T>(m + at - rowStep);
  if (i < height - 1) s += load<T>(m + at + rowStep);
  const old = load<T>(m + at);
  const d = damping * (sigmoid1<T>(load<T>(a + at) + w * s) - old);
  store<T>(m + at, old + d);
  return abs<T>(d);
}

/**
 * Half a checkerboard sweep over a height × width grid with bias a and one coupling w between
 * 4-neighbours: every site (i, j) with (i + j) mod 2 = colour gets m ← m + η(σ(a + w Σ_nb m_nb) − m).
 * Sites of one colour only neighbour the other colour, so they are updated together (a block
 * coordinate step: the bound never decreases). The interior is a vector stencil over whole rows
 * whose lanes of the other colour are written back unchanged (v128.bitselect). Returns max |Δm|.
 */
@inline
function isingCheckerboard<T>(a: usize, m: usize, height: i32, width: i32, w: T, damping: T, colour: i32): f64 {
  const L = 16 / sizeof<T>();
  const wv = v128.splat<T>(w);
  const eta = v128.splat<T>(damping);
  const zero = v128.splat<T>(0);
  const rowStep = <usize>width * sizeof<T>();
  let dv = zero;
  let maxDelta: T = 0;
  for (let i = 0; i < height; i++) {
    const row = m + <usize>i * rowStep;
    const ar = a + <usize>i * rowStep;
    const first = (colour + i) & 1; // the first column of this row's colour
    // Vector interior: columns j … j+L−1 with 1 ≤ j and j + L ≤ width − 1 (all 4 neighbours exist
    // left and right); j starts at 1, so lane k is column 1 + k and is ours when (1 + k) ≡ first.
    const mask = laneMask<T>(first == 0);
    let j = 1;
    for (; j + L <= width - 1; j += L) {
      const o = <usize>j * sizeof<T>();
      let s = v128.add<T>(v128.load(row + o - sizeof<T>()), v128.load(row + o + sizeof<T>()));
      if (i > 0) s = v128.add<T>(s, v128.load(row + o - rowStep));
      if (i < height - 1) s = v128.add<T>(s, v128.load(row + o + rowStep));
      const old = v128.load(row + o);
      const target = sigmoidV<T>(v128.add<T>(v128.load(ar + o), v128.mul<T>(wv, s)));
      const d = v128.bitselect(v128.mul<T>(eta, v128.sub<T>(target, old)), zero, mask);
      v128.store(row + o, v128.add<T>(old, d));
      dv = v128.max<T>(dv, v128.abs<T>(d));
    }
    // Edges and remainder, one site at a time: column 0 and columns j … width−1.
    if (first == 0) maxDelta = max<T>(maxDelta, gridSite<T>(a, m, height, width, i, 0, w, damping));
    if (((j - first) & 1) != 0) j++;
    for (; j < width; j += 2) maxDelta = max<T>(maxDelta, gridSite<T>(a, m, height, width, i, j, w, damping));
  }
  maxDelta = max<T>(maxDelta, max<T>(v128.extract_lane<T>(dv, 0), v128.extract_lane<T>(dv, 1)));
  if (sizeof<T>() == 4) {
    maxDelta = max<T>(maxDelta, max<T>(v128.extract_lane<T>(dv, 2), v128.extract_lane<T>(dv, 3)));
  }
  return <f64>maxDelta;
}

export function isingCheckerboardF64(a: usize, m: usize, height: i32, width: i32, w: f64, damping: f64, colour: i32): f64 { return isingCheckerboard<f64>(a, m, height, width, w, damping, colour); }
export function isingCheckerboardF32(a: usize, m: usize, height: i32, width: i32, w: f32, damping: f32, colour: i32): f64 { return isingCheckerboard<f32>(a, m, height, width, w, damping, colour); }
