"""scikit-learn's GaussianMixture on the data elbo's benchmark wrote: seconds per EM iteration
from the same explicit init (tol = 0, max_iter = 1 + ITERS, the mean time between iteration ends
from iteration 2 on, as elbo measures itself: sklearn_timing.py), and the bound reached. Usage: gmm_sklearn.py DIR ITERS. DIR holds X.f64, weights.f64, means.f64,
precisions.f64 (raw little-endian float64) and meta.json ({N, D, K, covariance_type})."""
import json, os, sys, warnings
sys.path.insert(0, os.path.dirname(__file__))
from sklearn_timing import seconds_per_iteration
import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.exceptions import ConvergenceWarning

warnings.simplefilter("ignore", ConvergenceWarning)
d, iters = sys.argv[1], int(sys.argv[2])
meta = json.load(open(f"{d}/meta.json"))
N, D, K, ct = meta["N"], meta["D"], meta["K"], meta["covariance_type"]
X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(N, D)
w = np.fromfile(f"{d}/weights.f64", dtype="<f8")
m = np.fromfile(f"{d}/means.f64", dtype="<f8").reshape(K, D)
p = np.fromfile(f"{d}/precisions.f64", dtype="<f8")
p = p.reshape({"full": (K, D, D), "tied": (D, D), "diag": (K, D), "spherical": (K,)}[ct])

def make(max_iter):
    return GaussianMixture(n_components=K, covariance_type=ct, tol=0, max_iter=max_iter, verbose=2, verbose_interval=1,
                           weights_init=w, means_init=m, precisions_init=p, init_params="random", random_state=0)

best, gm = seconds_per_iteration(make, X, 1 + iters)
from threadpoolctl import threadpool_info
print(json.dumps({"secondsPerIteration": best, "lowerBound": gm.lower_bound_, "iterations": 1 + iters,
                  "sklearn": __import__("sklearn").__version__, "numpy": np.__version__,
                  "blas": [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()]}))
