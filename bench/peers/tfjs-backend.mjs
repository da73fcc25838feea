// TensorFlow.js for the peer benchmarks: tfjs-core with the wasm backend (SIMD, one thread, like
// elbo) and the plain-JavaScript cpu backend. Both compute in float32 only. Dev-only: the
// library never imports this.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf };

/** Peer id → tfjs backend name. */
export const TFJS_PEERS = { 'tfjs-wasm': 'wasm', 'tfjs-cpu': 'cpu' };

let ready = false;

/**
 * Switches tfjs to `backend` ('wasm' | 'cpu'). The wasm backend loads its .wasm files from
 * node_modules (a file path in Node); its multithreaded build is disabled so that every peer
 * in the single-thread table runs on one core.
 */
export async function useBackend(backend) {
  if (!ready) {
    setWasmPaths(fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    ready = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  if (backend === 'cpu') {
    // The cpu backend advises installing tfjs-node on its first tensor in Node; say it once, here.
    const warn = console.warn;
    console.warn = () => {};
    try { tf.tidy(() => tf.scalar(0).dataSync()); } finally { console.warn = warn; }
  }
}

/** What the wasm backend runs: SIMD and thread support as tfjs detected them. */
export async function wasmFeatures() {
  return { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
}

/** tfjs package versions for the JSON. */
export const TFJS_VERSION = tf.version_core;
