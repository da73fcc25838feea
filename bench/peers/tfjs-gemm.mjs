// GEMM in TensorFlow.js: tf.matMul of two float32 n × n tensors already on the device (the
// kernels run synchronously on the wasm and cpu backends; the result is disposed, not read).
import { tf } from './tfjs-backend.mjs';

/** A function running one product, and a release for its tensors. */
export function tfjsGemm(a32, b32, n) {
  const a = tf.tensor2d(a32, [n, n]), b = tf.tensor2d(b32, [n, n]);
  return {
    run: () => { tf.matMul(a, b).dispose(); },
    release: () => { a.dispose(); b.dispose(); },
  };
}
