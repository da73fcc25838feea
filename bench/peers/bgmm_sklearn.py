"""scikit-learn's BayesianGaussianMixture on the data elbo's benchmark wrote: seconds per VI
iteration from the same initial responsibilities (tol = 0, max_iter = 1 + ITERS, the mean time
between iteration ends from iteration 2 on, as elbo measures itself: sklearn_timing.py), and the
lower bound reached. Usage: bgmm_sklearn.py DIR ITERS. DIR holds X.f64 and
resp.f64 (raw little-endian float64, N x D and N x K) and meta.json ({N, D, K, covariance_type,
weight_concentration_prior_type})."""
import json, os, sys, warnings
sys.path.insert(0, os.path.dirname(__file__))
from sklearn_timing import seconds_per_iteration
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


def make(max_iter):
    return FromResp(n_components=K, covariance_type=meta["covariance_type"], tol=0, max_iter=max_iter,
                    weight_concentration_prior_type=meta["weight_concentration_prior_type"], random_state=0,
                    verbose=2, verbose_interval=1)

best, m = seconds_per_iteration(make, X, 1 + iters)
from threadpoolctl import threadpool_info
print(json.dumps({"secondsPerIteration": best, "lowerBound": m.lower_bound_, "iterations": 1 + iters,
                  "sklearn": __import__("sklearn").__version__, "numpy": np.__version__,
                  "blas": [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()]}))
