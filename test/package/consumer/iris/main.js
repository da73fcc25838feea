// The zero-configuration entry (elbo.wasm inlined) and the data sets entry.
import { init, GaussianMixture } from 'elbo-wasm/inline';
import { loadIris } from 'elbo-wasm/datasets';
import { irisProbe, publish } from '../probe.js';

publish(async () => {
  await init();
  const { X } = await loadIris();
  return irisProbe({ GaussianMixture }, X);
});
