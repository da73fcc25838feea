"""scikit-learn peer of bench/suites/sparse.mjs, run on one thread:

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/sparse_sklearn.py encode \
        '{"seed": 1, "n": 10000, "atoms": 256, "features": 64, "k": 5, "noise": 0.15}' ALPHA TOL REPEAT N_LARS

Encodes the same synthetic problem as the suite (scripts/fixtures/sparse_problem.py generates
it bit-identically from the seed) with sparse_encode's lasso_cd — run as sparse_encode runs it
(Lasso with alpha / n_features, the precomputed Gram, warm_start), but with `tol` passed, which
sparse_encode does not expose — and with sparse_encode(algorithm='lasso_lars') on the first
N_LARS signals (it is slow). Prints JSON per algorithm: seconds (best of REPEAT), signals,
mean objective ½‖x − hD‖² + α‖h‖₁ and fraction of non-zeros.

    ... sparse_sklearn.py minibatch EPOCHS

MiniBatchDictionaryLearning on the digits (1797 × 64, sklearn.datasets.load_digits), 100
atoms, alpha 1, batch 256, fit_algorithm 'cd', EPOCHS epochs: seconds per epoch.
"""

import json
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "fixtures"))
import sparse_problem  # noqa: E402
from sklearn.decomposition import MiniBatchDictionaryLearning, sparse_encode  # noqa: E402
from sklearn.linear_model import Lasso  # noqa: E402


def objective(X, D, H, alpha):
    R = X - H @ D
    return 0.5 * np.sum(R * R, axis=1) + alpha * np.sum(np.abs(H), axis=1)


def lasso_cd(X, D, alpha, tol, max_iter=1000):
    gram = D @ D.T
    clf = Lasso(alpha=alpha / X.shape[1], fit_intercept=False, precompute=gram, max_iter=max_iter, warm_start=True, tol=tol)
    clf.fit(D.T, X.T, check_input=False)
    return clf.coef_


def best_of(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def encode(spec, alpha, tol, repeat, n_lars):
    X, D = sparse_problem.problem(**spec)
    XL = X[:n_lars]
    rows = {}
    for name, data, fn in (
        ("lasso_cd", X, lambda: lasso_cd(X, D, alpha, tol)),
        ("lasso_lars", XL, lambda: sparse_encode(XL, D, algorithm="lasso_lars", alpha=alpha)),
    ):
        seconds, H = best_of(fn, repeat)
        rows[name] = {
            "seconds": seconds,
            "signals": int(data.shape[0]),
            "meanObjective": float(np.mean(objective(data, D, H, alpha))),
            "nonzeroFraction": float(np.mean(H != 0)),
        }
    return rows


def minibatch(epochs):
    from sklearn.datasets import load_digits

    X = load_digits().data
    mb = MiniBatchDictionaryLearning(
        n_components=100, alpha=1.0, batch_size=256, max_iter=epochs, tol=0, max_no_improvement=None,
        fit_algorithm="cd", transform_algorithm="lasso_cd", shuffle=True, random_state=0,
    )
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mb.fit(X)
    seconds = time.perf_counter() - t
    return {"secondsPerEpoch": seconds / epochs, "epochs": epochs, "nSteps": int(mb.n_steps_)}


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "encode":
        spec = json.loads(sys.argv[2])
        out = encode(spec, float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        out = minibatch(int(sys.argv[2]))
    json.dump(out, sys.stdout)
    print()
