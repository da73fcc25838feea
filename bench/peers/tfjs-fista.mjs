// sparseEncode written in TensorFlow.js ops: FISTA (Beck & Teboulle) on all signals at once,
//   h ← soft(z − ∇/L, α/L),  ∇ = (zD − x)Dᵀ,  z ← h + (t−1)/t' (h − h_prev),
// with step 1/L, L = λ_max(DDᵀ) by power iteration on the device. float32. Every `checkEvery`
// iterations the per-signal objectives ½‖x − hD‖² + α‖h‖₁ are read back and averaged in f64; it
// stops once the mean is ≤ target (or after maxIter). The gradient uses the residual form
// (two N × A × F products) since F = 64 < A / 2. Dᵀ is formed once: tfjs-wasm's matMul with
// transposeB is ~8× slower than on an explicitly transposed operand at these shapes.
import { tf } from './tfjs-backend.mjs';

/** λ_max of DDᵀ by power iteration (D atoms × features), with a 0.1 % margin for the step. */
function lipschitz(Dt, DtT, iters = 100) {
  return tf.tidy(() => {
    const G = tf.matMul(Dt, DtT);
    let v = tf.ones([G.shape[0], 1]);
    let lam = 0;
    for (let i = 0; i < iters; i++) {
      const u = tf.matMul(G, v);
      const norm = tf.norm(u);
      lam = norm.dataSync()[0] / tf.norm(v).dataSync()[0];
      v = tf.div(u, norm);
    }
    return lam * 1.001;
  });
}

/**
 * Encodes X (N × F) over D (A × F) with penalty α. Returns { codes (Float32Array N × A),
 * iterations, meanObjective (the last device check) }.
 */
export function tfjsFista(X, D, N, F, A, alpha, { target = -Infinity, maxIter = 1000, checkEvery = 10 } = {}) {
  const Xt = tf.tensor2d(X instanceof Float32Array ? X : Float32Array.from(X), [N, F]);
  const Dt = tf.tensor2d(D instanceof Float32Array ? D : Float32Array.from(D), [A, F]);
  const DtT = tf.transpose(Dt);
  const L = lipschitz(Dt, DtT);
  const thr = alpha / L;
  let h = tf.zeros([N, A]);
  let z = tf.zeros([N, A]);
  let t = 1;
  let it = 0, mean = Infinity;
  const objective = () => {
    const rows = tf.tidy(() => {
      const r = tf.sub(Xt, tf.matMul(h, Dt));
      return tf.add(tf.mul(0.5, tf.sum(tf.square(r), 1)), tf.mul(alpha, tf.sum(tf.abs(h), 1)));
    });
    const v = rows.dataSync();
    rows.dispose();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    return s / N;
  };
  try {
    while (it < maxIter) {
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const beta = (t - 1) / tNext;
      const [hNext, zNext] = tf.tidy(() => {
        const grad = tf.matMul(tf.sub(tf.matMul(z, Dt), Xt), DtT);
        const u = tf.sub(z, tf.div(grad, L));
        const hn = tf.mul(tf.sign(u), tf.relu(tf.sub(tf.abs(u), thr)));
        return [hn, tf.add(hn, tf.mul(beta, tf.sub(hn, h)))];
      });
      h.dispose(); z.dispose();
      h = hNext; z = zNext; t = tNext; it++;
      if (it % checkEvery === 0) {
        mean = objective();
        if (mean <= target) break;
      }
    }
    return { codes: h.dataSync().slice(), iterations: it, meanObjective: mean };
  } finally {
    h.dispose(); z.dispose(); Xt.dispose(); Dt.dispose(); DtT.dispose();
  }
}
