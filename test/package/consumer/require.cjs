// CommonJS: require() of the ES module package (Node >= 20.19 / 22.12), then the same fit as
// node-probe.mjs, printed as JSON.
const { init, GaussianMixture, Random } = require('elbo-wasm');
const { gmmProbe } = require('./probe.js');

init().then(() => console.log(JSON.stringify({ gmm: gmmProbe({ GaussianMixture, Random }) })));
