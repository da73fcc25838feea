// The same fits as the pages, in Node, from the installed package: printed as JSON.
import { init, GaussianMixture, Random } from 'elbo-wasm';
import { loadIris } from 'elbo-wasm/datasets';
import { gmmProbe, irisProbe } from './probe.js';

await init();
const { X } = await loadIris();
console.log(JSON.stringify({ gmm: gmmProbe({ GaussianMixture, Random }), iris: irisProbe({ GaussianMixture }, X) }));
