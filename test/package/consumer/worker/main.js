// The fit worker entry: the same fit as gmm/, in a Web Worker that the bundler builds from
// new Worker(new URL('./worker-main.js', import.meta.url), { type: 'module' }).
import { GaussianMixture, Random } from 'elbo-wasm';
import { fitInWorker } from 'elbo-wasm/worker';
import { gmmWorkerProbe, publish } from '../probe.js';

publish(() => gmmWorkerProbe({ GaussianMixture, Random, fitInWorker }));
