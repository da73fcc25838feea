// The fit every consumer page runs and the Node run repeats: a Gaussian mixture on seeded
// normal data, returning its bound after each iteration and its means.
export function gmmProbe({ GaussianMixture, Random }) {
  const rng = new Random(5);
  const X = { data: rng.fillNormal(new Float64Array(300 * 3)), rows: 300, cols: 3 };
  for (let i = 0; i < 100; i++) X.data[i * 3] += 6;
  const gm = new GaussianMixture({ nComponents: 2, initParams: 'random', seed: 3, tol: 0, maxIter: 15, onWarning: () => {} }).fit(X);
  return [...gm.lowerBoundHistory, ...gm.means.data];
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
