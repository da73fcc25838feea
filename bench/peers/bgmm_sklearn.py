"""scikit-learn's BayesianGaussianMixture on the data elbo's benchmark wrote: seconds per VI
iteration from the same initial responsibilities (difference of fits with max_iter = 1 + iters and
1, tol = 0), and the lower bound reached. Usage: bgmm_sklearn.py DIR ITERS. DIR holds X.f64 and
resp.f64 (raw little-endian float64, N x D and N x K) and meta.json ({N, D, K, covariance_type,
weight_concentration_prior_type})."""
import json, sys, time, warnings
import numpy as np
from sklearn.mixture import BayesianGaussianMixture
from sklearn.exceptions import ConvergenceWarning

warnings.simplefilter("ignore", ConvergenceWarning)
d, iters = sys.argv[1], int(sys.argv[2])
meta = json.load(open(f"{d}/meta.json"))
N, D, K = meta["N"], meta["D"], meta["K"]
X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(N, D)
resp = np.fromfile(f"{d}/resp.f64", dtype="<f8").reshape(N, K)


class FromResp(BayesianGaussianMixture):
    """Starts from the saved responsibilities (as scripts/fixtures/bgmm.py does)."""

    def _initialize_parameters(self, X, random_state):
        self._initialize(X, resp.copy())


def fit(max_iter):
    m = FromResp(n_components=K, covariance_type=meta["covariance_type"], tol=0, max_iter=max_iter,
                 weight_concentration_prior_type=meta["weight_concentration_prior_type"], random_state=0)
    t0 = time.perf_counter()
    m.fit(X)
    return time.perf_counter() - t0, m

best = None
for _ in range(2):  # best of two, as the machine is shared
    t1, _m = fit(1)
    tn, m = fit(1 + iters)
    per = (tn - t1) / iters
    best = per if best is None else min(best, per)
from threadpoolctl import threadpool_info
print(json.dumps({"secondsPerIteration": best, "lowerBound": m.lower_bound_, "iterations": 1 + iters,
                  "sklearn": __import__("sklearn").__version__, "numpy": np.__version__,
                  "blas": [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()]}))
