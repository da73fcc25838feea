// Binary sparse coding mean-field inference written in TensorFlow.js ops: the damped parallel
// sweep elbo runs with schedule 'parallel' (Goodfellow eq. 19.44 for all units at once),
//   A = VβW + b − ½ diag(C),  J = −offdiag(C),  C = WᵀβW,
//   Ĥ ← Ĥ + η(σ(A + ĤJ) − Ĥ),
// from the prior means σ(b), for a fixed number of sweeps. float32.
import { tf } from './tfjs-backend.mjs';

/** Returns Ĥ (Float32Array N × n) after `sweeps` sweeps. */
export function tfjsMeanField({ V, W, b, beta, N, m, n }, { sweeps, damping }) {
  const Vt = tf.tensor2d(Float32Array.from(V.data), [N, m]);
  const { A, J } = tf.tidy(() => {
    const Wt = tf.tensor2d(Float32Array.from(W), [m, n]);
    const betaW = tf.mul(Wt, tf.tensor2d(Float32Array.from(beta), [m, 1]));
    const C = tf.matMul(tf.transpose(Wt), betaW);
    const diag = tf.mul(C, tf.eye(n));
    const J = tf.neg(tf.sub(C, diag));
    const bias = tf.sub(tf.tensor1d(Float32Array.from(b)), tf.mul(0.5, tf.sum(diag, 0)));
    return { A: tf.add(tf.matMul(Vt, betaW), bias), J };
  });
  let H = tf.tidy(() => tf.tile(tf.expandDims(tf.sigmoid(tf.tensor1d(Float32Array.from(b))), 0), [N, 1]));
  try {
    for (let s = 0; s < sweeps; s++) {
      const next = tf.tidy(() => tf.add(H, tf.mul(damping, tf.sub(tf.sigmoid(tf.add(A, tf.matMul(H, J))), H))));
      H.dispose();
      H = next;
    }
    return H.dataSync().slice();
  } finally {
    H.dispose(); A.dispose(); J.dispose(); Vt.dispose();
  }
}
