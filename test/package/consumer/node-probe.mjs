// The same fits as the pages, in Node, from the installed package: printed as JSON.
import { init, GaussianMixture, Random } from 'elbo-wasm';
import { loadIris } from 'elbo-wasm/datasets';
import { fitInWorker } from 'elbo-wasm/worker';
import { gmmProbe, gmmWorkerProbe, irisProbe } from './probe.js';

await init();
const { X } = await loadIris();
const gmm = gmmProbe({ GaussianMixture, Random });
// The worker entry in Node (a worker thread) gives the same numbers as the fit here.
const inWorker = await gmmWorkerProbe({ GaussianMixture, Random, fitInWorker });
if (JSON.stringify(inWorker) !== JSON.stringify(gmm)) throw new Error(`elbo-wasm/worker fitted ${inWorker}; here: ${gmm}`);
console.log(JSON.stringify({ gmm, iris: irisProbe({ GaussianMixture }, X) }));
