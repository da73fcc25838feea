// Resident memory around a large fit, and after dispose(): what README's "Memory" note reports.
// Run after `npm run build`: node --expose-gc scripts/dispose-memory.mjs [N = K, default 6000]
import { dispose, GaussianMixture, init, Random, wasmMemory } from '../dist/index.js';

const n = Number(process.argv[2] ?? 6000);
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const rss = () => { globalThis.gc?.(); return process.memoryUsage().rss; };
await init();
const rng = new Random(1);
const X = { data: rng.fillNormal(new Float64Array(n * 2)), rows: n, cols: 2 };
const before = rss();
new GaussianMixture({ nComponents: n, maxIter: 1, initParams: 'random', onWarning: () => {} }).fit(X);
const wasm = wasmMemory().buffer.byteLength;
const after = rss();
dispose();
for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 50)); globalThis.gc?.(); }
const released = rss();
console.log(`N = K = ${n}, D = 2: resident ${mib(before)} before the fit, ${mib(after)} after it (wasm memory ${mib(wasm)}), ${mib(released)} after dispose()`);
