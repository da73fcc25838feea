// Exact log-partition functions of binary quadratic models by enumerating all 2ⁿ states:
//
//   out_r = log Σ_{h ∈ {0,1}ⁿ} exp(a_rᵀh + ½ hᵀJh),   J symmetric with a zero diagonal,
//
// the form every binary model of the meanfield family is brought to (see meanfield.ts). States
// are visited in Gray-code order, so consecutive states differ in one bit j, and flipping it by
// s = ±1 changes ½hᵀJh by s·(Jh)_j and Jh by s·J[j, :]: O(n) shared work per state, and O(1)
// per row (t_r = a_rᵀh moves by s·a_rj). Rows run two at a time in f64x2 lanes, which is why a
// is passed transposed (aT, n × rows): the values a_{·j} of all rows are contiguous.
//
// Everything accumulates in f64, also for f32 inputs: 2²⁴ incremental updates of ½hᵀJh would
// drift by ~√(2²⁴)·eps·|q| in f32.
//
// The sequence is cut into fixed ranges of states (src/meanfield/enumeration.ts picks them from
// n alone), one block of the thread pool each. A range starts from its first state's bits,
// recomputed exactly, and makes two passes: the first finds each row's largest exponent M_r in
// the range, the second sums exp(value − M_r) with no rescaling, which also lets marginals be
// accumulated by prefix sums: bit j is on for a run of consecutive states, whose mass is
// S(end) − S(start). The ranges' (M, S, masses) are then combined in range order
// (logPartitionCombine), so the answer does not depend on which thread ran which range.
//
// Incremental updates drift: each adds a rounding error of up to eps·S (S = max_r Σ|a_r| +
// ½Σ|J|, the largest magnitude a running sum can reach), so after P updates a state's value is
// off by ~P·eps·S, far more than the value itself when S is huge (a coupling of −1e22 turns
// log Z = 4.1 into 3.4e7). So every P states (P a power of two with 8·P·eps·S ≤ 1e-9, possibly 1;
// the same P for every range and row, from grayResyncMask) Jh, ½hᵀJh and a_rᵀh are recomputed
// from the bits that are on: then a value's error is relative to that state's own terms only,
// never to the path that led to it. For ordinary scales P is in the tens of thousands and the
// cost is nil.
import { expV, load2AsF64, lane0 } from './vmath';

/** Scalar e^x with the same arithmetic as the vector lanes. */
@inline
function exp1(x: f64): f64 {
  return lane0<f64>(expV<f64>(f64x2.splat(x)));
}

/**
 * Recomputes g = Jh and t_r = a_rᵀh from the bits on in h, and returns ½hᵀJh = ½Σ_{i on} g_i.
 * a_{ir} is at aT + (i·lda + r)·sizeof<T>().
 */
@inline
function recompute<T>(aT: usize, lda: i32, J: usize, n: i32, rows: i32, bits: u32, g: usize, t: usize): f64 {
  memory.fill(g, 0, <usize>n << 3);
  memory.fill(t, 0, <usize>rows << 3);
  for (let i = 0; i < n; i++) {
    if (((bits >> i) & 1) == 0) continue;
    const Ji = J + <usize>i * <usize>n * sizeof<T>();
    for (let c = 0; c < n; c++) store<f64>(g + (<usize>c << 3), load<f64>(g + (<usize>c << 3)) + <f64>load<T>(Ji + <usize>c * sizeof<T>()));
    const ai = aT + <usize>i * <usize>lda * sizeof<T>();
    for (let r = 0; r < rows; r++) store<f64>(t + (<usize>r << 3), load<f64>(t + (<usize>r << 3)) + <f64>load<T>(ai + <usize>r * sizeof<T>()));
  }
  let q: f64 = 0;
  for (let i = 0; i < n; i++) if (((bits >> i) & 1) != 0) q += load<f64>(g + (<usize>i << 3));
  return 0.5 * q;
}

/** The resync mask P − 1: P the largest power of two ≤ 2ⁿ with 8·P·eps·S ≤ 1e-9 (at least 1). aT is n × rows. */
@inline
function resyncMask<T>(aT: usize, J: usize, n: i32, rows: i32): u32 {
  let sa: f64 = 0;
  for (let r = 0; r < rows; r++) {
    let s: f64 = 0;
    for (let i = 0; i < n; i++) s += abs<f64>(<f64>load<T>(aT + (<usize>i * <usize>rows + <usize>r) * sizeof<T>()));
    sa = max<f64>(sa, s);
  }
  let sj: f64 = 0;
  for (let i = 0; i < n * n; i++) sj += abs<f64>(<f64>load<T>(J + <usize>i * sizeof<T>()));
  const S = sa + 0.5 * sj;
  let P: u32 = (<u32>1) << n;
  const limit: f64 = 1e-9 / (8 * f64.EPSILON);
  while (P > 1 && <f64>P * S > limit) P >>= 1;
  return P - 1;
}

/**
 * One pass over the states first … first + count − 1 of the Gray-code sequence (state k has
 * bits k ^ (k >> 1)). Work (f64): g[n] (= Jh) | t[rows] (= a_rᵀh) | on[n·rows] (the sum at the
 * state bit j last turned on; used with marg only). First pass (sum = false): mx_r = max value
 * in the range. Second pass: sm_r = Σ exp(value − mx_r) and, when marg ≠ 0,
 * marg[j·rows + r] = Σ over the range's states with h_j = 1 of exp(value − mx_r).
 */
@inline
function rangePass<T>(aT: usize, lda: i32, J: usize, n: i32, rows: i32, mask: u32, first: u32, count: u32,
  mx: usize, sm: usize, marg: usize, work: usize, sum: bool): void {
  const g = work;
  const t = g + (<usize>n << 3);
  const on = t + (<usize>rows << 3);
  const withMarg = sum && marg != 0;
  let bits: u32 = first ^ (first >> 1);
  let q = recompute<T>(aT, lda, J, n, rows, bits, g, t);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 3;
    const value = q + load<f64>(t + o);
    if (sum) store<f64>(sm + o, exp1(value - load<f64>(mx + o)));
    else store<f64>(mx + o, value);
  }
  if (withMarg) {
    memory.fill(marg, 0, (<usize>n * <usize>rows) << 3);
    // Bits on in the first state open their run at mass 0.
    for (let j = 0; j < n; j++) if (((bits >> j) & 1) != 0) memory.fill(on + ((<usize>j * <usize>rows) << 3), 0, <usize>rows << 3);
  }
  const end = first + count;
  for (let k: u32 = first + 1; k < end; k++) {
    const j = <i32>ctz(k);
    const turnOn = ((bits >> j) & 1) == 0;
    bits ^= (<u32>1) << j;
    const exact = (k & mask) == 0;
    // On a resync state t already holds a_rᵀh: the row loop adds 0·a.
    const sg: f64 = exact ? 0 : turnOn ? 1 : -1;
    const sv = f64x2.splat(sg);
    if (exact) {
      q = recompute<T>(aT, lda, J, n, rows, bits, g, t);
    } else {
      q += sg * load<f64>(g + (<usize>j << 3));
      const Jj = J + <usize>j * <usize>n * sizeof<T>();
      let i = 0;
      for (; i <= n - 2; i += 2) {
        const o = <usize>i << 3;
        v128.store(g + o, f64x2.add(v128.load(g + o), f64x2.mul(sv, load2AsF64<T>(Jj + <usize>i * sizeof<T>()))));
      }
      for (; i < n; i++) {
        const o = <usize>i << 3;
        store<f64>(g + o, load<f64>(g + o) + sg * <f64>load<T>(Jj + <usize>i * sizeof<T>()));
      }
    }
    const aj = aT + <usize>j * <usize>lda * sizeof<T>();
    const rowOff = (<usize>j * <usize>rows) << 3;
    const qv = f64x2.splat(q);
    let r = 0;
    for (; r <= rows - 2; r += 2) {
      const o = <usize>r << 3;
      const tv = f64x2.add(v128.load(t + o), f64x2.mul(sv, load2AsF64<T>(aj + <usize>r * sizeof<T>())));
      v128.store(t + o, tv);
      const value = f64x2.add(qv, tv);
      if (!sum) {
        v128.store(mx + o, f64x2.max(v128.load(mx + o), value));
        continue;
      }
      const sOld = v128.load(sm + o);
      if (withMarg) {
        if (turnOn) v128.store(on + rowOff + o, sOld);
        else v128.store(marg + rowOff + o, f64x2.add(v128.load(marg + rowOff + o), f64x2.sub(sOld, v128.load(on + rowOff + o))));
      }
      v128.store(sm + o, f64x2.add(sOld, expV<f64>(f64x2.sub(value, v128.load(mx + o)))));
    }
    for (; r < rows; r++) {
      const o = <usize>r << 3;
      const tr = load<f64>(t + o) + sg * <f64>load<T>(aj + <usize>r * sizeof<T>());
      store<f64>(t + o, tr);
      const value = q + tr;
      if (!sum) {
        store<f64>(mx + o, max<f64>(load<f64>(mx + o), value));
        continue;
      }
      const sOld = load<f64>(sm + o);
      if (withMarg) {
        if (turnOn) store<f64>(on + rowOff + o, sOld);
        else store<f64>(marg + rowOff + o, load<f64>(marg + rowOff + o) + (sOld - load<f64>(on + rowOff + o)));
      }
      store<f64>(sm + o, sOld + exp1(value - load<f64>(mx + o)));
    }
  }
  if (!withMarg) return;
  // Bits still on after the range's last state close their run at the range's total.
  for (let j = 0; j < n; j++) {
    if (((bits >> j) & 1) == 0) continue;
    for (let r = 0; r < rows; r++) {
      const o = <usize>r << 3;
      const p = marg + ((<usize>j * <usize>rows) << 3) + o;
      store<f64>(p, load<f64>(p) + (load<f64>(sm + o) - load<f64>(on + ((<usize>j * <usize>rows) << 3) + o)));
    }
  }
}

/**
 * One range of the enumeration (states first … first + count − 1), for rows sharing J: per row
 * the range's largest exponent mx_r, its scaled sum sm_r = Σ exp(a_rᵀh + ½hᵀJh − mx_r) and, when
 * marg ≠ 0, the scaled masses marg[j·rows + r] of the states with h_j = 1. a_{ir} is at
 * aT + (i·lda + r)·sizeof<T>() (so a block of rows of an n × lda matrix); J is n × n; mx, sm are
 * f64 (rows), marg f64 (n × rows); work f64 of n + rows (+ n·rows with marg) elements.
 */
@inline
function logPartitionRange<T>(aT: usize, lda: i32, J: usize, n: i32, rows: i32, mask: u32, first: u32, count: u32,
  mx: usize, sm: usize, marg: usize, work: usize): void {
  rangePass<T>(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work, false);
  rangePass<T>(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work, true);
}

export function grayResyncMaskF64(aT: usize, J: usize, n: i32, rows: i32): f64 { return <f64>resyncMask<f64>(aT, J, n, rows); }
export function grayResyncMaskF32(aT: usize, J: usize, n: i32, rows: i32): f64 { return <f64>resyncMask<f32>(aT, J, n, rows); }

export function logPartitionRangeF64(aT: usize, lda: i32, J: usize, n: i32, rows: i32, mask: u32, first: u32, count: u32, mx: usize, sm: usize, marg: usize, work: usize): void {
  logPartitionRange<f64>(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work);
}
export function logPartitionRangeF32(aT: usize, lda: i32, J: usize, n: i32, rows: i32, mask: u32, first: u32, count: u32, mx: usize, sm: usize, marg: usize, work: usize): void {
  logPartitionRange<f32>(aT, lda, J, n, rows, mask, first, count, mx, sm, marg, work);
}

/**
 * Combines `ranges` results of logPartitionRange in range order: for each row, M = max_b mx_b,
 * S = Σ_b sm_b·e^(mx_b − M) and out_r = M + log S; with marg ≠ 0, margOut[j·ld + r] =
 * Σ_b marg_b[j, r]·e^(mx_b − M) / S = p(h_j = 1). Range b's results are at mx + b·rows,
 * sm + b·rows and marg + b·n·rows (f64); mx is overwritten with the weights e^(mx_b − M).
 */
export function logPartitionCombine(mx: usize, sm: usize, marg: usize, ranges: i32, n: i32, rows: i32, out: usize, margOut: usize, ld: i32): void {
  const stride = <usize>rows << 3;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 3;
    let M = -Infinity;
    for (let b = 0; b < ranges; b++) M = max<f64>(M, load<f64>(mx + <usize>b * stride + o));
    let S: f64 = 0;
    for (let b = 0; b < ranges; b++) {
      const p = mx + <usize>b * stride + o;
      const w = exp1(load<f64>(p) - M);
      store<f64>(p, w);
      S += load<f64>(sm + <usize>b * stride + o) * w;
    }
    store<f64>(out + o, M + Math.log(S));
    if (marg == 0) continue;
    for (let j = 0; j < n; j++) {
      let mass: f64 = 0;
      for (let b = 0; b < ranges; b++) mass += load<f64>(marg + ((<usize>b * <usize>n + <usize>j) * stride) + o) * load<f64>(mx + <usize>b * stride + o);
      store<f64>(margOut + ((<usize>j * <usize>ld + <usize>r) << 3), mass / S);
    }
  }
}
