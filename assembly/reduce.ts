// Reductions and broadcasts over arrays and row-major matrices (rows × cols): sums and sums
// of squares (accumulated in f64), per-row sums / maxima / argmaxima / squared norms, column
// sums, and the row-vector broadcasts x[r,:] += v and x[r,:] ∘= v.
import { firstIndexOf, maxOf, sumOf } from './vmath';

export function sumF64(x: usize, n: i32): f64 { return sumOf<f64>(x, n, false); }
export function sumF32(x: usize, n: i32): f64 { return sumOf<f32>(x, n, false); }
export function sumSquaresF64(x: usize, n: i32): f64 { return sumOf<f64>(x, n, true); }
export function sumSquaresF32(x: usize, n: i32): f64 { return sumOf<f32>(x, n, true); }

/** max_i |x_i| over n f64 values: 0 when n = 0, NaN when one is NaN (exact: no rounding). */
export function maxAbsF64(x: usize, n: i32): f64 {
  let m0 = f64x2.splat(0), m1 = m0;
  let nan = v128.splat<i32>(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = x + (<usize>i << 3);
    const v0 = f64x2.abs(v128.load(p)), v1 = f64x2.abs(v128.load(p, 16));
    m0 = f64x2.pmax(m0, v0);
    m1 = f64x2.pmax(m1, v1);
    nan = v128.or(nan, v128.or(f64x2.ne(v0, v0), f64x2.ne(v1, v1)));
  }
  m0 = f64x2.pmax(m0, m1);
  let m = max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
  for (; i < n; i++) {
    const v = Math.abs(load<f64>(x + (<usize>i << 3)));
    if (v != v) return NaN;
    if (v > m) m = v;
  }
  return v128.any_true(nan) ? NaN : m;
}

/** out_r = Σ_j x_rj (or Σ_j x_rj² when `squares`), accumulated in f64, rounded once to T. */
@inline
function rowSums<T>(x: usize, out: usize, rows: i32, cols: i32, squares: bool): void {
  const rowBytes = <usize>cols * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    store<T>(out + <usize>r * sizeof<T>(), <T>sumOf<T>(x + <usize>r * rowBytes, cols, squares));
  }
}

export function rowSumsF64(x: usize, out: usize, rows: i32, cols: i32): void { rowSums<f64>(x, out, rows, cols, false); }
export function rowSumsF32(x: usize, out: usize, rows: i32, cols: i32): void { rowSums<f32>(x, out, rows, cols, false); }
export function rowSumSquaresF64(x: usize, out: usize, rows: i32, cols: i32): void { rowSums<f64>(x, out, rows, cols, true); }
export function rowSumSquaresF32(x: usize, out: usize, rows: i32, cols: i32): void { rowSums<f32>(x, out, rows, cols, true); }

/** out_r = max_j x_rj (NaN if the row has a NaN, −Inf if cols = 0). */
@inline
function rowMax<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    store<T>(out + <usize>r * sizeof<T>(), maxOf<T>(x + <usize>r * rowBytes, cols));
  }
}

export function rowMaxF64(x: usize, out: usize, rows: i32, cols: i32): void { rowMax<f64>(x, out, rows, cols); }
export function rowMaxF32(x: usize, out: usize, rows: i32, cols: i32): void { rowMax<f32>(x, out, rows, cols); }

/** out_r (i32) = the first j where x_rj is the row maximum; −1 for a row holding a NaN or for cols = 0. */
@inline
function rowArgmax<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    store<i32>(out + (<usize>r << 2), firstIndexOf<T>(xr, cols, maxOf<T>(xr, cols)));
  }
}

export function rowArgmaxF64(x: usize, out: usize, rows: i32, cols: i32): void { rowArgmax<f64>(x, out, rows, cols); }
export function rowArgmaxF32(x: usize, out: usize, rows: i32, cols: i32): void { rowArgmax<f32>(x, out, rows, cols); }

// ---- one row against a vector of length cols ----------------------------------------------

/** d_j += s_j (or d_j *= s_j when `multiply`) for j < n. */
@inline
function combineInto<T>(d: usize, s: usize, n: i32, multiply: bool): void {
  const L = 16 / sizeof<T>();
  let j = 0;
  for (; j <= n - L; j += L) {
    const o = <usize>j * sizeof<T>();
    const a = v128.load(d + o);
    const b = v128.load(s + o);
    v128.store(d + o, multiply ? v128.mul<T>(a, b) : v128.add<T>(a, b));
  }
  for (; j < n; j++) {
    const o = <usize>j * sizeof<T>();
    store<T>(d + o, multiply ? load<T>(d + o) * load<T>(s + o) : load<T>(d + o) + load<T>(s + o));
  }
}

/**
 * Columns of narrow rows (up to four vectors) summed with the running sums in registers: added
 * row after row in memory, each sum waits for the store and reload of the one before, which made
 * the column means of a 1,000 × 8 batch cost more than copying it in.
 */
const NARROW_VECTORS = 4;

/**
 * out_j = Σ_r x_rj in T, each column's sum taken row after row from 0 (the order block
 * reductions rely on): in registers for narrow rows, else each row added to out across columns.
 */
@inline
function colSums<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  const L = 16 / sizeof<T>();
  const rowBytes = <usize>cols * sizeof<T>();
  if (cols <= NARROW_VECTORS * L) {
    narrowColSums<T>(x, out, rows, cols, rowBytes);
    return;
  }
  memory.fill(out, 0, <usize>cols * sizeof<T>());
  for (let r = 0; r < rows; r++) combineInto<T>(out, x + <usize>r * rowBytes, cols, false);
}

/** colSums for cols ≤ NARROW_VECTORS·L: up to four vector sums in registers, then the last cols mod L columns one by one. */
@inline
function narrowColSums<T>(x: usize, out: usize, rows: i32, cols: i32, rowBytes: usize): void {
  const L = 16 / sizeof<T>();
  const nv = cols / L;
  let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0;
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>r * rowBytes;
    if (nv > 0) a0 = v128.add<T>(a0, v128.load(p));
    if (nv > 1) a1 = v128.add<T>(a1, v128.load(p, 16));
    if (nv > 2) a2 = v128.add<T>(a2, v128.load(p, 32));
    if (nv > 3) a3 = v128.add<T>(a3, v128.load(p, 48));
  }
  if (nv > 0) v128.store(out, a0);
  if (nv > 1) v128.store(out, a1, 16);
  if (nv > 2) v128.store(out, a2, 32);
  if (nv > 3) v128.store(out, a3, 48);
  for (let j = nv * L; j < cols; j++) {
    const o = <usize>j * sizeof<T>();
    let s: T = 0;
    for (let r = 0; r < rows; r++) s += load<T>(x + <usize>r * rowBytes + o);
    store<T>(out + o, s);
  }
}

export function colSumsF64(x: usize, out: usize, rows: i32, cols: i32): void { colSums<f64>(x, out, rows, cols); }
export function colSumsF32(x: usize, out: usize, rows: i32, cols: i32): void { colSums<f32>(x, out, rows, cols); }

/** x[r,:] += v (`multiply` false) or x[r,:] ∘= v (true) for every row r, in place; for narrow rows with v in registers. */
@inline
function broadcastRows<T>(x: usize, v: usize, rows: i32, cols: i32, multiply: bool): void {
  const L = 16 / sizeof<T>();
  const rowBytes = <usize>cols * sizeof<T>();
  if (cols > NARROW_VECTORS * L) {
    for (let r = 0; r < rows; r++) combineInto<T>(x + <usize>r * rowBytes, v, cols, multiply);
    return;
  }
  const nv = cols / L;
  const zero = v128.splat<T>(0);
  const v0 = nv > 0 ? v128.load(v) : zero, v1 = nv > 1 ? v128.load(v, 16) : zero;
  const v2 = nv > 2 ? v128.load(v, 32) : zero, v3 = nv > 3 ? v128.load(v, 48) : zero;
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>r * rowBytes;
    if (nv > 0) v128.store(p, combined<T>(v128.load(p), v0, multiply));
    if (nv > 1) v128.store(p, combined<T>(v128.load(p, 16), v1, multiply), 16);
    if (nv > 2) v128.store(p, combined<T>(v128.load(p, 32), v2, multiply), 32);
    if (nv > 3) v128.store(p, combined<T>(v128.load(p, 48), v3, multiply), 48);
    for (let j = nv * L; j < cols; j++) {
      const o = p + <usize>j * sizeof<T>();
      const s = load<T>(v + <usize>j * sizeof<T>());
      store<T>(o, multiply ? load<T>(o) * s : load<T>(o) + s);
    }
  }
}

@inline
function combined<T>(a: v128, b: v128, multiply: bool): v128 {
  return multiply ? v128.mul<T>(a, b) : v128.add<T>(a, b);
}

export function addRowVectorF64(x: usize, v: usize, rows: i32, cols: i32): void { broadcastRows<f64>(x, v, rows, cols, false); }
export function addRowVectorF32(x: usize, v: usize, rows: i32, cols: i32): void { broadcastRows<f32>(x, v, rows, cols, false); }
export function mulColsF64(x: usize, v: usize, rows: i32, cols: i32): void { broadcastRows<f64>(x, v, rows, cols, true); }
export function mulColsF32(x: usize, v: usize, rows: i32, cols: i32): void { broadcastRows<f32>(x, v, rows, cols, true); }
