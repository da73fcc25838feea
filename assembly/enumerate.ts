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
// drift by ~√(2²⁴)·eps·|q| in f32. Two passes: the first finds each row's largest exponent M_r,
// the second sums exp(value − M_r) with no rescaling, which also lets marginals be accumulated
// by prefix sums: bit j is on for a run of consecutive states, whose mass is S(end) − S(start).
//
// Incremental updates drift: each adds a rounding error of up to eps·S (S = max_r Σ|a_r| +
// ½Σ|J|, the largest magnitude a running sum can reach), so after P updates a state's value is
// off by ~P·eps·S, far more than the value itself when S is huge (a coupling of −1e22 turns
// log Z = 4.1 into 3.4e7). So every P states (P a power of two with 8·P·eps·S ≤ 1e-9, possibly 1)
// Jh, ½hᵀJh and a_rᵀh are recomputed from the bits that are on: then a value's error is relative
// to that state's own terms only, never to the path that led to it. For ordinary scales P is in
// the tens of thousands and the cost is nil.
import { expV, load2AsF64, lane0 } from './vmath';

/** Scalar e^x with the same arithmetic as the vector lanes. */
@inline
function exp1(x: f64): f64 {
  return lane0<f64>(expV<f64>(f64x2.splat(x)));
}

/**
 * One pass over the 2ⁿ states. Work (f64): g[n] (= Jh) | t[rows] (= a_rᵀh) | s[rows] (running
 * Σ exp(value − M)) | on[n·rows] (s at the state bit j last turned on; used with marg only).
 * First pass (sum = false): out_r = M_r = max_h value. Second pass: out_r = M_r + log s_r and,
 * when marg ≠ 0, marg[j·rows + r] = p(h_j = 1) under p(h) ∝ exp(a_rᵀh + ½hᵀJh).
 */
/** Recomputes g = Jh and t_r = a_rᵀh from the bits on in h, and returns ½hᵀJh = ½Σ_{i on} g_i. */
@inline
function recompute<T>(aT: usize, J: usize, n: i32, rows: i32, bits: u32, g: usize, t: usize): f64 {
  memory.fill(g, 0, <usize>n << 3);
  memory.fill(t, 0, <usize>rows << 3);
  for (let i = 0; i < n; i++) {
    if (((bits >> i) & 1) == 0) continue;
    const Ji = J + <usize>i * <usize>n * sizeof<T>();
    for (let c = 0; c < n; c++) store<f64>(g + (<usize>c << 3), load<f64>(g + (<usize>c << 3)) + <f64>load<T>(Ji + <usize>c * sizeof<T>()));
    const ai = aT + <usize>i * <usize>rows * sizeof<T>();
    for (let r = 0; r < rows; r++) store<f64>(t + (<usize>r << 3), load<f64>(t + (<usize>r << 3)) + <f64>load<T>(ai + <usize>r * sizeof<T>()));
  }
  let q: f64 = 0;
  for (let i = 0; i < n; i++) if (((bits >> i) & 1) != 0) q += load<f64>(g + (<usize>i << 3));
  return 0.5 * q;
}

/** The resync mask P − 1: P the largest power of two ≤ 2ⁿ with 8·P·eps·S ≤ 1e-9 (at least 1). */
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

@inline
function grayPass<T>(aT: usize, J: usize, n: i32, rows: i32, out: usize, marg: usize, work: usize, sum: bool, mask: u32): void {
  const g = work;
  const t = g + (<usize>n << 3);
  const s = t + (<usize>rows << 3);
  const on = s + (<usize>rows << 3);
  const withMarg = sum && marg != 0;
  memory.fill(g, 0, <usize>n << 3);
  memory.fill(t, 0, <usize>rows << 3);
  // The state h = 0 has value 0.
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 3;
    if (sum) store<f64>(s + o, exp1(-load<f64>(out + o)));
    else store<f64>(out + o, 0);
  }
  if (withMarg) memory.fill(marg, 0, (<usize>n * <usize>rows) << 3);
  let q: f64 = 0; // ½hᵀJh
  let bits: u32 = 0;
  const count: u32 = (<u32>1) << n;
  for (let k: u32 = 1; k < count; k++) {
    const j = <i32>ctz(k);
    const turnOn = ((bits >> j) & 1) == 0;
    bits ^= (<u32>1) << j;
    const exact = (k & mask) == 0;
    // On a resync state t already holds a_rᵀh: the row loop adds 0·a.
    const sg: f64 = exact ? 0 : turnOn ? 1 : -1;
    const sv = f64x2.splat(sg);
    if (exact) {
      q = recompute<T>(aT, J, n, rows, bits, g, t);
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
    const aj = aT + <usize>j * <usize>rows * sizeof<T>();
    const rowOff = (<usize>j * <usize>rows) << 3;
    const qv = f64x2.splat(q);
    let r = 0;
    for (; r <= rows - 2; r += 2) {
      const o = <usize>r << 3;
      const tv = f64x2.add(v128.load(t + o), f64x2.mul(sv, load2AsF64<T>(aj + <usize>r * sizeof<T>())));
      v128.store(t + o, tv);
      const value = f64x2.add(qv, tv);
      if (!sum) {
        v128.store(out + o, f64x2.max(v128.load(out + o), value));
        continue;
      }
      const sOld = v128.load(s + o);
      if (withMarg) {
        if (turnOn) v128.store(on + rowOff + o, sOld);
        else v128.store(marg + rowOff + o, f64x2.add(v128.load(marg + rowOff + o), f64x2.sub(sOld, v128.load(on + rowOff + o))));
      }
      v128.store(s + o, f64x2.add(sOld, expV<f64>(f64x2.sub(value, v128.load(out + o)))));
    }
    for (; r < rows; r++) {
      const o = <usize>r << 3;
      const tr = load<f64>(t + o) + sg * <f64>load<T>(aj + <usize>r * sizeof<T>());
      store<f64>(t + o, tr);
      const value = q + tr;
      if (!sum) {
        store<f64>(out + o, max<f64>(load<f64>(out + o), value));
        continue;
      }
      const sOld = load<f64>(s + o);
      if (withMarg) {
        if (turnOn) store<f64>(on + rowOff + o, sOld);
        else store<f64>(marg + rowOff + o, load<f64>(marg + rowOff + o) + (sOld - load<f64>(on + rowOff + o)));
      }
      store<f64>(s + o, sOld + exp1(value - load<f64>(out + o)));
    }
  }
  if (!sum) return;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 3;
    const total = load<f64>(s + o);
    if (withMarg) {
      for (let j = 0; j < n; j++) {
        const p = marg + ((<usize>j * <usize>rows) << 3) + o;
        let mass = load<f64>(p);
        // Bits still on after the last state close their run at the total.
        if (((bits >> j) & 1) != 0) mass += total - load<f64>(on + ((<usize>j * <usize>rows) << 3) + o);
        store<f64>(p, mass / total);
      }
    }
    store<f64>(out + o, load<f64>(out + o) + Math.log(total));
  }
}

/**
 * out_r = log Σ_h exp(a_rᵀh + ½hᵀJh) over h ∈ {0,1}ⁿ (n ≤ 30; 2ⁿ states), and, when marg ≠ 0,
 * the marginals p(h_j = 1) into marg (n × rows, f64). aT is n × rows, J is n × n (element
 * type T); out is f64 (rows); work is f64 of n + 2·rows (+ n·rows with marg) elements.
 */
@inline
function logPartition<T>(aT: usize, J: usize, n: i32, rows: i32, out: usize, marg: usize, work: usize): void {
  const mask = resyncMask<T>(aT, J, n, rows);
  grayPass<T>(aT, J, n, rows, out, marg, work, false, mask);
  grayPass<T>(aT, J, n, rows, out, marg, work, true, mask);
}

export function logPartitionF64(aT: usize, J: usize, n: i32, rows: i32, out: usize, marg: usize, work: usize): void { logPartition<f64>(aT, J, n, rows, out, marg, work); }
export function logPartitionF32(aT: usize, J: usize, n: i32, rows: i32, out: usize, marg: usize, work: usize): void { logPartition<f32>(aT, J, n, rows, out, marg, work); }
