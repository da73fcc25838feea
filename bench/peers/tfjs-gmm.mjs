// GaussianMixture EM written in TensorFlow.js ops: what a JavaScript user would write today,
// following scikit-learn's algorithm (E-step on the precision Cholesky factors, M-step with
// reg_covar on the diagonal) from the same explicit init as every other peer. float32 on the
// device; the D × D Cholesky factorisations of the M-step run in plain JavaScript (tfjs has no
// Cholesky), as they would in a user's code. The data stay on the device for the whole fit.
// Products with a transposed operand transpose it explicitly: tfjs-wasm's matMul with
// transposeA/transposeB is 4–8× slower at these shapes.
import { tf } from './tfjs-backend.mjs';

const LOG_2PI = Math.log(2 * Math.PI);

/** Lower Cholesky factor of the D × D matrix a (row-major), in f64. */
function cholesky(a, D) {
  const l = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    let s = a[j * D + j];
    for (let k = 0; k < j; k++) s -= l[j * D + k] ** 2;
    if (!(s > 0)) throw new Error('covariance not positive definite');
    const d = Math.sqrt(s);
    l[j * D + j] = d;
    for (let i = j + 1; i < D; i++) {
      let t = a[i * D + j];
      for (let k = 0; k < j; k++) t -= l[i * D + k] * l[j * D + k];
      l[i * D + j] = t / d;
    }
  }
  return l;
}

/** (L⁻¹)ᵀ for lower L: the upper factor U with UUᵀ = (LLᵀ)⁻¹ (scikit-learn's precisions_cholesky_). */
function invTransposeLower(l, D) {
  const inv = new Float64Array(D * D);
  for (let c = 0; c < D; c++) {
    for (let i = 0; i < D; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i * D + k] * inv[k * D + c];
      inv[i * D + c] = s / l[i * D + i];
    }
  }
  const u = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) u[i * D + j] = inv[j * D + i];
  return u;
}

/** Precision Cholesky factors (K × D × D, upper) and their log-determinants from precisions. */
function fromPrecisions(prec, K, D) {
  const pc = new Float32Array(K * D * D), logDet = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    // cholesky(precision) lower L: precision = LLᵀ, and (x−μ)ᵀP(x−μ) = ‖(x−μ)L‖².
    const l = cholesky(prec.subarray(k * D * D, (k + 1) * D * D), D);
    let s = 0;
    for (let i = 0; i < D; i++) { s += Math.log(l[i * D + i]); for (let j = 0; j < D; j++) pc[k * D * D + i * D + j] = l[i * D + j]; }
    logDet[k] = s;
  }
  return { pc, logDet };
}

/** Same from covariances (scikit-learn's _compute_precision_cholesky). */
function fromCovariances(cov, K, D) {
  const pc = new Float32Array(K * D * D), logDet = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    const u = invTransposeLower(cholesky(cov.subarray(k * D * D, (k + 1) * D * D), D), D);
    let s = 0;
    for (let i = 0; i < D; i++) { s += Math.log(u[i * D + i]); for (let j = 0; j < D; j++) pc[k * D * D + i * D + j] = u[i * D + j]; }
    logDet[k] = s;
  }
  return { pc, logDet };
}

/** Mean of a row vector tensor, summed in f64 on the host (the bound, like elbo's f64 accumulation). */
function hostMean(t) {
  const v = t.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/**
 * Fits the mixture for `maxIter` EM iterations (tol = 0) and calls onIteration(lowerBound) after
 * each; returns the bound of the last E-step. `problem` is gmmProblem()'s output, `w` the workload.
 */
export function tfjsGmmFit(w, problem, { maxIter, onIteration, regCovar = 1e-6 }) {
  const { N, D, K, covarianceType } = w;
  const X = tf.tensor2d(Float32Array.from(problem.X.data), [N, D]);
  const state = {
    logW: tf.tensor1d(Float32Array.from(problem.weights, Math.log)),
    means: tf.tensor2d(Float32Array.from(problem.means), [K, D]),
  };
  let lowerBound = -Infinity;
  const X2 = covarianceType === 'diag' ? tf.square(X) : null;
  if (covarianceType === 'full') {
    const f = fromPrecisions(problem.precisions, K, D);
    state.pc = tf.tensor3d(f.pc, [K, D, D]);
    state.logDet = tf.tensor1d(f.logDet);
  } else if (covarianceType === 'diag') {
    state.pc = tf.sqrt(tf.tensor2d(Float32Array.from(problem.precisions), [K, D]));
    state.logDet = tf.sum(tf.log(state.pc), 1);
  } else throw new Error(`covariance type ${covarianceType} not written in tfjs`);
  const replace = (next) => { for (const k of Object.keys(next)) { state[k]?.dispose(); state[k] = next[k]; } };
  try {
    for (let it = 0; it < maxIter; it++) {
      // E-step: weighted log-probabilities, their log-sum-exp (the bound) and responsibilities.
      const { lse, resp } = tf.tidy(() => {
        let maha;
        if (covarianceType === 'full') {
          const P = tf.reshape(tf.transpose(state.pc, [1, 0, 2]), [D, K * D]); // D × (K·D)
          const b = tf.reshape(tf.matMul(tf.expandDims(state.means, 1), state.pc), [1, K * D]); // μ_k P_k
          const Y = tf.sub(tf.matMul(X, P), b);
          maha = tf.sum(tf.reshape(tf.square(Y), [N, K, D]), 2);
        } else {
          const prec = tf.square(state.pc);
          maha = tf.add(tf.sub(tf.matMul(X2, tf.transpose(prec)), tf.mul(2, tf.matMul(X, tf.transpose(tf.mul(state.means, prec))))),
            tf.sum(tf.mul(tf.square(state.means), prec), 1));
        }
        const wlp = tf.add(tf.add(tf.mul(-0.5, tf.add(maha, D * LOG_2PI)), state.logDet), state.logW);
        const lse = tf.logSumExp(wlp, 1);
        return { lse, resp: tf.exp(tf.sub(wlp, tf.expandDims(lse, 1))) };
      });
      lowerBound = hostMean(lse);
      lse.dispose();
      // M-step.
      const next = tf.tidy(() => {
        const nk = tf.add(tf.sum(resp, 0), 10 * 2.220446049250313e-16);
        const respT = tf.transpose(resp);
        const means = tf.div(tf.matMul(respT, X), tf.expandDims(nk, 1));
        const out = { logW: tf.log(tf.div(nk, N)), means };
        if (covarianceType === 'full') {
          const mu = means.arraySync();
          const nkHost = nk.dataSync();
          const cov = new Float64Array(K * D * D);
          for (let k = 0; k < K; k++) {
            const diff = tf.sub(X, tf.tensor1d(mu[k]));
            const rk = tf.slice(resp, [0, k], [N, 1]);
            const c = tf.matMul(tf.transpose(tf.mul(diff, rk)), diff).dataSync();
            for (let i = 0; i < D * D; i++) cov[k * D * D + i] = c[i] / nkHost[k];
            for (let i = 0; i < D; i++) cov[k * D * D + i * D + i] += regCovar;
          }
          const f = fromCovariances(cov, K, D);
          out.pc = tf.tensor3d(f.pc, [K, D, D]);
          out.logDet = tf.tensor1d(f.logDet);
        } else {
          const avgX2 = tf.div(tf.matMul(respT, X2), tf.expandDims(nk, 1));
          const cov = tf.add(tf.sub(avgX2, tf.square(means)), regCovar);
          out.pc = tf.rsqrt(cov);
          out.logDet = tf.sum(tf.log(out.pc), 1);
        }
        return out;
      });
      resp.dispose();
      replace(next);
      onIteration?.(lowerBound);
    }
  } finally {
    for (const t of Object.values(state)) t.dispose();
    X.dispose();
    X2?.dispose();
  }
  return { lowerBound };
}
