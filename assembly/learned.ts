// Learned approximate inference (LISTA, Gregor & LeCun 2010): the element-wise parts of one
// unrolled layer's forward and backward pass, the code-error loss and the Adam update. The
// matrix products of the layers (B = XW + ZS, the gradients XᵀG, ZᵀG, GSᵀ) are the GEMM
// kernels of linalg; these kernels are what lies between them. Thresholds θ are per atom
// (a vector of length A, one per column of the rows×A blocks).
import { shrinkV } from './sparse/shrink';
import { hsum } from './simd';

/** Z = S_θ(B) row by row, θ_a the threshold of column a (θ ≥ 0); in place allowed (z == b). */
@inline
function listaShrink<T>(b: usize, z: usize, theta: usize, rows: i32, A: i32, nonneg: bool): void {
  const L = 16 / sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>A * sizeof<T>();
    let a = 0;
    for (; a <= A - L; a += L) {
      const o = <usize>a * sizeof<T>();
      v128.store(z + row + o, shrinkV<T>(v128.load(b + row + o), v128.load(theta + o), nonneg));
    }
    for (; a < A; a++) {
      const o = <usize>a * sizeof<T>();
      const v = shrinkV<T>(v128.splat<T>(load<T>(b + row + o)), v128.splat<T>(load<T>(theta + o)), nonneg);
      store<T>(z + row + o, v128.extract_lane<T>(v, 0));
    }
  }
}

export function listaShrinkF64(b: usize, z: usize, theta: usize, rows: i32, A: i32, positive: i32): void {
  if (positive) listaShrink<f64>(b, z, theta, rows, A, true);
  else listaShrink<f64>(b, z, theta, rows, A, false);
}
export function listaShrinkF32(b: usize, z: usize, theta: usize, rows: i32, A: i32, positive: i32): void {
  if (positive) listaShrink<f32>(b, z, theta, rows, A, true);
  else listaShrink<f32>(b, z, theta, rows, A, false);
}

/**
 * Backward through Z = S_θ(B): the soft threshold's derivative is the indicator of the entries
 * that pass (|b| > θ, or b > θ when nonneg), so G_B = G_Z ∘ 1[pass]; and ∂z/∂θ = −sign(b) on
 * those entries, so gθ_a −= Σ_r sign(b_ra)·G_B[r, a] (gθ accumulates: the caller zeroes it
 * once per batch, and the layers, which share θ, add up). In place allowed (gb == gz).
 */
@inline
function listaShrinkBackward<T>(b: usize, gz: usize, gb: usize, theta: usize, gtheta: usize, rows: i32, A: i32, nonneg: bool): void {
  const L = 16 / sizeof<T>();
  const signBit = v128.splat<T>(<T>-0.0);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>A * sizeof<T>();
    let a = 0;
    for (; a <= A - L; a += L) {
      const o = <usize>a * sizeof<T>();
      const bv = v128.load(b + row + o);
      const pass = nonneg ? v128.gt<T>(bv, v128.load(theta + o)) : v128.gt<T>(v128.abs<T>(bv), v128.load(theta + o));
      const g = v128.and(v128.load(gz + row + o), pass);
      v128.store(gb + row + o, g);
      // sign(b)·g by flipping g's sign bit where b is negative (g is 0 where b does not pass).
      const sg = nonneg ? g : v128.xor(g, v128.and(bv, signBit));
      v128.store(gtheta + o, v128.sub<T>(v128.load(gtheta + o), sg));
    }
    for (; a < A; a++) {
      const o = <usize>a * sizeof<T>();
      const bv = load<T>(b + row + o);
      const t = load<T>(theta + o);
      const pass = nonneg ? bv > t : abs<T>(bv) > t;
      const g: T = pass ? load<T>(gz + row + o) : <T>0;
      store<T>(gb + row + o, g);
      store<T>(gtheta + o, load<T>(gtheta + o) - (nonneg || bv > 0 ? g : -g));
    }
  }
}

export function listaShrinkBackwardF64(b: usize, gz: usize, gb: usize, theta: usize, gtheta: usize, rows: i32, A: i32, positive: i32): void {
  if (positive) listaShrinkBackward<f64>(b, gz, gb, theta, gtheta, rows, A, true);
  else listaShrinkBackward<f64>(b, gz, gb, theta, gtheta, rows, A, false);
}
export function listaShrinkBackwardF32(b: usize, gz: usize, gb: usize, theta: usize, gtheta: usize, rows: i32, A: i32, positive: i32): void {
  if (positive) listaShrinkBackward<f32>(b, gz, gb, theta, gtheta, rows, A, true);
  else listaShrinkBackward<f32>(b, gz, gb, theta, gtheta, rows, A, false);
}

/**
 * The squared code error and its gradient over n elements: returns Σ (z − h)² (in f64) and
 * stores g = scale·(z − h), the gradient of scale/2 · Σ (z − h)².
 */
@inline
function codeErrorGrad<T>(z: usize, h: usize, g: usize, n: i32, scale: T): f64 {
  const L = 16 / sizeof<T>();
  const sv = v128.splat<T>(scale);
  let acc = v128.splat<T>(0);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const d = v128.sub<T>(v128.load(z + o), v128.load(h + o));
    acc = v128.add<T>(acc, v128.mul<T>(d, d));
    v128.store(g + o, v128.mul<T>(sv, d));
  }
  let s = hsum<T>(acc);
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    const d = load<T>(z + o) - load<T>(h + o);
    s += <f64>(d * d);
    store<T>(g + o, scale * d);
  }
  return s;
}

export function codeErrorGradF64(z: usize, h: usize, g: usize, n: i32, scale: f64): f64 { return codeErrorGrad<f64>(z, h, g, n, scale); }
export function codeErrorGradF32(z: usize, h: usize, g: usize, n: i32, scale: f64): f64 { return codeErrorGrad<f32>(z, h, g, n, <f32>scale); }

/**
 * One Adam step (Kingma & Ba 2015) over n parameters p with gradient g and moments m, v:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  p ← p − lr·(m/c₁)/(√(v/c₂) + ε),
 * with the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ computed by the caller.
 */
@inline
function adamStep<T>(p: usize, g: usize, m: usize, v: usize, n: i32, lr: T, beta1: T, beta2: T, eps: T, c1: T, c2: T): void {
  const L = 16 / sizeof<T>();
  const b1 = v128.splat<T>(beta1), b2 = v128.splat<T>(beta2);
  const a1 = v128.splat<T>(<T>1 - beta1), a2 = v128.splat<T>(<T>1 - beta2);
  const lv = v128.splat<T>(lr), ev = v128.splat<T>(eps), c1v = v128.splat<T>(c1), c2v = v128.splat<T>(c2);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const gv = v128.load(g + o);
    const mv = v128.add<T>(v128.mul<T>(b1, v128.load(m + o)), v128.mul<T>(a1, gv));
    const vv = v128.add<T>(v128.mul<T>(b2, v128.load(v + o)), v128.mul<T>(a2, v128.mul<T>(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const step = v128.div<T>(v128.div<T>(mv, c1v), v128.add<T>(v128.sqrt<T>(v128.div<T>(vv, c2v)), ev));
    v128.store(p + o, v128.sub<T>(v128.load(p + o), v128.mul<T>(lv, step)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    const gs = load<T>(g + o);
    const ms = beta1 * load<T>(m + o) + (<T>1 - beta1) * gs;
    const vs = beta2 * load<T>(v + o) + (<T>1 - beta2) * (gs * gs);
    store<T>(m + o, ms);
    store<T>(v + o, vs);
    store<T>(p + o, load<T>(p + o) - lr * ((ms / c1) / (<T>sqrt<T>(vs / c2) + eps)));
  }
}

export function adamStepF64(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, eps: f64, c1: f64, c2: f64): void {
  adamStep<f64>(p, g, m, v, n, lr, beta1, beta2, eps, c1, c2);
}
export function adamStepF32(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, eps: f64, c1: f64, c2: f64): void {
  adamStep<f32>(p, g, m, v, n, <f32>lr, <f32>beta1, <f32>beta2, <f32>eps, <f32>c1, <f32>c2);
}

/**
 * The logistic layer's backward pass over n elements: gu = gq ∘ q(1 − q), with q = σ(u) the
 * layer's output (the BinarySparseCoding encoder's unrolled mean-field layers). In place allowed
 * (gu == gq).
 */
@inline
function sigmoidBackward<T>(q: usize, gq: usize, gu: usize, n: i32): void {
  const L = 16 / sizeof<T>();
  const one = v128.splat<T>(1);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const qv = v128.load(q + o);
    v128.store(gu + o, v128.mul<T>(v128.load(gq + o), v128.mul<T>(qv, v128.sub<T>(one, qv))));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    const qs = load<T>(q + o);
    store<T>(gu + o, load<T>(gq + o) * (qs * (<T>1 - qs)));
  }
}

export function sigmoidBackwardF64(q: usize, gq: usize, gu: usize, n: i32): void { sigmoidBackward<f64>(q, gq, gu, n); }
export function sigmoidBackwardF32(q: usize, gq: usize, gu: usize, n: i32): void { sigmoidBackward<f32>(q, gq, gu, n); }

/**
 * Back through one sequential mean-field layer of the BscEncoder: y (rows × n) came from x by
 * u_i = c_i + Σ_{j<i} J_ij y_j + Σ_{j≥i} J_ij x_j, y_i = σ(u_i) in the order i = 0 … n−1 (the
 * forward pass is meanFieldSequential with a = c). Per row, in the reverse order,
 * gu_i += y_i(1 − y_i)·(gy_i + Σ_{k>i} J_ki gu_k) (gu holds on entry the gradient reaching the
 * logits directly, gy the gradient reaching y from outside the layer); then
 * gx_j = Σ_{i≤j} J_ij gu_i and gJ_ij += gu_i·(y_j if j < i, else x_j), summed over the rows in
 * row order. Scalar, in the twin's order of operations (src/reference/learned.ts).
 */
@inline
function encoderSweepBackward<T>(y: usize, x: usize, gy: usize, J: usize, gu: usize, gx: usize, gJ: usize, rows: i32, n: i32): void {
  const S = sizeof<T>();
  const rowBytes = <usize>n * S;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    for (let i = n - 1; i >= 0; i--) {
      let s: T = load<T>(gy + o + <usize>i * S);
      for (let k = i + 1; k < n; k++) s += load<T>(J + <usize>k * rowBytes + <usize>i * S) * load<T>(gu + o + <usize>k * S);
      const yi = load<T>(y + o + <usize>i * S);
      const p = gu + o + <usize>i * S;
      store<T>(p, load<T>(p) + yi * (<T>1 - yi) * s);
    }
    for (let j = 0; j < n; j++) {
      let s: T = 0;
      for (let i = 0; i <= j; i++) s += load<T>(J + <usize>i * rowBytes + <usize>j * S) * load<T>(gu + o + <usize>i * S);
      store<T>(gx + o + <usize>j * S, s);
    }
    for (let i = 0; i < n; i++) {
      const g = load<T>(gu + o + <usize>i * S);
      const gi = gJ + <usize>i * rowBytes;
      for (let j = 0; j < n; j++) {
        const v = j < i ? load<T>(y + o + <usize>j * S) : load<T>(x + o + <usize>j * S);
        store<T>(gi + <usize>j * S, load<T>(gi + <usize>j * S) + g * v);
      }
    }
  }
}

export function encoderSweepBackwardF64(y: usize, x: usize, gy: usize, J: usize, gu: usize, gx: usize, gJ: usize, rows: i32, n: i32): void {
  encoderSweepBackward<f64>(y, x, gy, J, gu, gx, gJ, rows, n);
}
export function encoderSweepBackwardF32(y: usize, x: usize, gy: usize, J: usize, gu: usize, gx: usize, gJ: usize, rows: i32, n: i32): void {
  encoderSweepBackward<f32>(y, x, gy, J, gu, gx, gJ, rows, n);
}
