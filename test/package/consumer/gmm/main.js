// The URL-based default entry with nothing else: init() fetches elbo.wasm, then one fit.
import { init, GaussianMixture, Random } from 'elbo-wasm';
import { gmmProbe, publish } from '../probe.js';

publish(async () => {
  await init();
  return gmmProbe({ GaussianMixture, Random });
});
