// The fit every consumer page runs and the Node run repeats: a Gaussian mixture on seeded
// normal data, returning its bound after each iteration and its means.
export function gmmProbe({ GaussianMixture, Random }) {
  const gm = new GaussianMixture(GMM_OPTIONS).fit(gmmData(Random));
  return [...gm.lowerBoundHistory, ...gm.means.data];
}

// The same fit in a worker (elbo-wasm/worker), which must give the same numbers.
export async function gmmWorkerProbe({ GaussianMixture, Random, fitInWorker }) {
  const gm = await fitInWorker(new GaussianMixture(GMM_OPTIONS), gmmData(Random));
  return [...gm.lowerBoundHistory, ...gm.means.data];
}

const GMM_OPTIONS = { nComponents: 2, initParams: 'random', seed: 3, tol: 0, maxIter: 15, onWarning: () => {} };

function gmmData(Random) {
  const rng = new Random(5);
  const X = { data: rng.fillNormal(new Float64Array(300 * 3)), rows: 300, cols: 3 };
  for (let i = 0; i < 100; i++) X.data[i * 3] += 6;
  return X;
}

// Iris with three components from k-means: its bound after each iteration and its means.
export function irisProbe({ GaussianMixture }, X) {
  const gm = new GaussianMixture({ nComponents: 3, seed: 0, onWarning: () => {} }).fit(X);
  return [...gm.lowerBoundHistory, ...gm.means.data];
}

// Runs `work` once the page has loaded and publishes its result (or its error) on window.
export function publish(work) {
  work().then(
    (result) => { window.probeResult = { result }; },
    (error) => { window.probeResult = { error: `${error?.name}: ${error?.message}` }; },
  );
}
