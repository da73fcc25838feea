"""scikit-learn whole fits on the data elbo's benchmark wrote, one thread (OMP/BLAS pinned by
the caller and threadpoolctl here): time from calling fit to its return, as a user meets it.
Usage: wholefit_sklearn.py DIR MODEL K [MAX_ITER]   (MODEL: gmm | gmm-given | bgmm | kmeans | kmeans-init)
DIR holds X.f64 (raw little-endian float64, N × D), meta.json ({N, D}) and, for kmeans-init,
init.f64 (K × D initial centres). gmm / bgmm run at default options with n_components = K
(random_state 0) and report the seconds spent in _initialize_parameters (k-means);
kmeans runs KMeans(n_clusters=K, n_init=1, algorithm='lloyd', random_state=0), kmeans-init the
same from the given centres; gmm-given runs GaussianMixture(n_components=K, max_iter=MAX_ITER,
random_state=0) with weights_init, means_init and precisions_init from weights.f64 (K),
means.f64 (K × D) and precisions.f64 (K × D × D) in DIR (scikit-learn still runs its k-means
start, then overrides what it found)."""
import json, sys, time, warnings
import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture
from threadpoolctl import threadpool_limits

warnings.simplefilter("ignore", ConvergenceWarning)
d, model, K = sys.argv[1], sys.argv[2], int(sys.argv[3])
meta = json.load(open(f"{d}/meta.json"))
X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(meta["N"], meta["D"])
init_seconds = [0.0]


def timed_init(cls):
    class Timed(cls):
        def _initialize_parameters(self, X, random_state):
            t0 = time.perf_counter()
            super()._initialize_parameters(X, random_state)
            init_seconds[0] += time.perf_counter() - t0
    return Timed


with threadpool_limits(limits=1):
    if model == "gmm":
        est = timed_init(GaussianMixture)(n_components=K, random_state=0)
    elif model == "gmm-given":
        D = meta["D"]
        est = timed_init(GaussianMixture)(
            n_components=K, random_state=0, max_iter=int(sys.argv[4]),
            weights_init=np.fromfile(f"{d}/weights.f64", dtype="<f8"),
            means_init=np.fromfile(f"{d}/means.f64", dtype="<f8").reshape(K, D),
            precisions_init=np.fromfile(f"{d}/precisions.f64", dtype="<f8").reshape(K, D, D))
    elif model == "bgmm":
        est = timed_init(BayesianGaussianMixture)(n_components=K, random_state=0)
    elif model == "kmeans":
        est = KMeans(n_clusters=K, n_init=1, algorithm="lloyd", random_state=0)
    else:
        init = np.fromfile(f"{d}/init.f64", dtype="<f8").reshape(K, meta["D"])
        est = KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd")
    # KMeans fits are short: the best of `repeats` runs (wall and this process's CPU time), as
    # elbo's side takes the best of its 5 runs (after 2 warm-up runs: V8 compiles the wasm in
    # tiers while it runs); the mixtures' fits run once.
    repeats = 5 if model.startswith("kmeans") else 1
    seconds = cpu_seconds = float("inf")
    for _ in range(repeats):
        init_seconds[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        est.fit(X)
        seconds = min(seconds, time.perf_counter() - t0)
        cpu_seconds = min(cpu_seconds, time.process_time() - c0)

out = {"seconds": seconds, "cpuSeconds": cpu_seconds, "nIter": int(est.n_iter_), "sklearn": __import__("sklearn").__version__, "numpy": np.__version__}
if model in ("gmm", "gmm-given", "bgmm"):
    out.update({"initSeconds": init_seconds[0], "lowerBound": float(est.lower_bound_), "converged": bool(est.converged_)})
else:
    out.update({"inertia": float(est.inertia_)})
print(json.dumps(out))
