"""numpy and scikit-learn peers of bench/peers.mjs (`npm run bench:peers`), on the data the
benchmark wrote as raw little-endian float64 files in DIR, with BLAS pinned by the caller
(OPENBLAS_NUM_THREADS). Prints JSON. Usage:

    numpy_peers.py gemm DIR SIZES               numpy A @ B, f64 and f32 (A_n.f64, B_n.f64)
    numpy_peers.py lasso DIR TARGET TOLS        sparse_encode's lasso_cd (as sparse_sklearn.py runs
                                                it, with tol) over the ladder TOLS until the mean
                                                objective is <= TARGET; lasso_lars once
    numpy_peers.py fista DIR TARGET MAXITER     FISTA in numpy (the algorithm of tfjs-fista.mjs)
    numpy_peers.py meanfield DIR SWEEPS DAMPING the damped parallel mean-field sweep of tfjs-meanfield.mjs

Times are the best of repeated runs after a warm-up, like the JavaScript peers (bestOf in
bench/lib.mjs): repeat while the total stays under BUDGET seconds.
"""
import json
import os
import sys
import time

import numpy as np

BUDGET = 1.0


def best_of(fn, budget=BUDGET):
    t = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t
    if first > budget:  # slow cases: the warm-up and one more run
        t = time.perf_counter(); out = fn(); s = time.perf_counter() - t
        return min(first, s), out
    best = float("inf")
    total = 0.0
    runs = 0
    while runs < 3 or total < budget:
        t = time.perf_counter(); out = fn(); s = time.perf_counter() - t
        best, total, runs = min(best, s), total + s, runs + 1
        if runs >= 50:
            break
    return best, out


def load(d, name, shape):
    return np.fromfile(os.path.join(d, name), dtype="<f8").reshape(shape)


def meta(d):
    with open(os.path.join(d, "meta.json")) as f:
        return json.load(f)


def gemm(d, sizes):
    out = []
    for n in sizes:
        a, b = load(d, f"A_{n}.f64", (n, n)), load(d, f"B_{n}.f64", (n, n))
        for dtype in ("f64", "f32"):
            x, y = (a, b) if dtype == "f64" else (a.astype(np.float32), b.astype(np.float32))
            s, _ = best_of(lambda: x @ y)
            out.append({"size": n, "dtype": dtype, "seconds": s})
    return out


def sparse_data(d):
    m = meta(d)
    N, A, F = m["N"], m["A"], m["F"]
    return load(d, "X.f64", (N, F)), load(d, "D.f64", (A, F)), m["alpha"]


def mean_objective(X, D, H, alpha):
    R = X - H @ D
    return float(np.mean(0.5 * np.sum(R * R, axis=1) + alpha * np.sum(np.abs(H), axis=1)))


def lasso(d, target, tols):
    sys.path.insert(0, os.path.dirname(__file__))
    from sparse_sklearn import lasso_cd  # Lasso as sparse_encode runs it, with tol passed
    from sklearn.decomposition import sparse_encode
    X, D, alpha = sparse_data(d)
    rows = {}
    for tol in tols:
        t = time.perf_counter()
        H = lasso_cd(X, D, alpha, tol)
        s = time.perf_counter() - t
        obj = mean_objective(X, D, H, alpha)
        if obj <= target or tol == tols[-1]:
            t = time.perf_counter(); lasso_cd(X, D, alpha, tol); s = min(s, time.perf_counter() - t)
            rows["lasso_cd"] = {"seconds": s, "tol": tol, "objective": obj, "nonzeroFraction": float(np.mean(H != 0)), "reached": obj <= target}
            break
    t = time.perf_counter()
    H = sparse_encode(X, D, algorithm="lasso_lars", alpha=alpha)
    s = time.perf_counter() - t
    obj = mean_objective(X, D, H, alpha)
    rows["lasso_lars"] = {"seconds": s, "objective": obj, "nonzeroFraction": float(np.mean(H != 0)), "reached": obj <= target}
    return rows


def fista(d, target, max_iter, check_every=10):
    X, D, alpha = sparse_data(d)

    def run():
        L = np.linalg.eigvalsh(D @ D.T)[-1] * 1.001
        thr = alpha / L
        h = np.zeros((X.shape[0], D.shape[0]))
        z = h.copy()
        t, it, obj = 1.0, 0, float("inf")
        while it < max_iter:
            t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
            u = z - ((z @ D - X) @ D.T) / L
            h_next = np.sign(u) * np.maximum(np.abs(u) - thr, 0)
            z = h_next + ((t - 1) / t_next) * (h_next - h)
            h, t, it = h_next, t_next, it + 1
            if it % check_every == 0:
                obj = mean_objective(X, D, h, alpha)
                if obj <= target:
                    break
        return h, it, obj

    s, (h, it, obj) = best_of(run)
    return {"seconds": s, "iterations": it, "objective": obj, "nonzeroFraction": float(np.mean(h != 0)), "reached": obj <= target}


def meanfield(d, sweeps, damping):
    m = meta(d)
    N, mv, n = m["N"], m["m"], m["n"]
    V, W = load(d, "V.f64", (N, mv)), load(d, "W.f64", (mv, n))
    b, beta = load(d, "b.f64", (n,)), load(d, "beta.f64", (mv,))

    def run():
        betaW = W * beta[:, None]
        C = W.T @ betaW
        J = -(C - np.diag(np.diag(C)))
        A = V @ betaW + (b - 0.5 * np.diag(C))
        H = np.tile(1 / (1 + np.exp(-b)), (N, 1))
        for _ in range(sweeps):
            H = H + damping * (1 / (1 + np.exp(-(A + H @ J))) - H)
        return H

    s, H = best_of(run)
    H.astype("<f8").tofile(os.path.join(d, "H_numpy.f64"))
    return {"seconds": s}


if __name__ == "__main__":
    what, d = sys.argv[1], sys.argv[2]
    if what == "gemm":
        out = gemm(d, [int(s) for s in sys.argv[3].split(",")])
    elif what == "lasso":
        out = lasso(d, float(sys.argv[3]), [float(t) for t in sys.argv[4].split(",")])
    elif what == "fista":
        out = fista(d, float(sys.argv[3]), int(sys.argv[4]))
    elif what == "meanfield":
        out = meanfield(d, int(sys.argv[3]), float(sys.argv[4]))
    else:
        raise SystemExit(f"unknown peer {what}")
    from threadpoolctl import threadpool_info
    import sklearn
    print(json.dumps({"result": out, "numpy": np.__version__, "sklearn": sklearn.__version__,
                      "blas": [{k: i.get(k) for k in ("internal_api", "num_threads")} for i in threadpool_info()]}))
