"""pomegranate 0.14.8 peer of elbo's Baum-Welch benchmark: the same sequences and the same start
(read from raw little-endian f64 files in a directory with meta.json), timed per iteration on
one thread (n_jobs=1). Prints JSON: seconds per iteration, the log-likelihood after the fit.

pomegranate's fit(max_iterations=n) makes n + 1 updates (one before its loop): the time of a
fit with n iterations is divided by n + 1.
"""
import json
import os
import sys
import time

import numpy as np
import pomegranate
from pomegranate import HiddenMarkovModel, IndependentComponentsDistribution, NormalDistribution


def main(directory, iterations):
    meta = json.load(open(os.path.join(directory, "meta.json")))
    K, D = meta["K"], meta["D"]
    load = lambda name: np.fromfile(os.path.join(directory, name), dtype="<f8")  # noqa: E731
    X = load("X.bin").reshape(-1, D)
    lengths = meta["lengths"]
    starts = np.cumsum([0] + lengths[:-1])
    seqs = [X[s:s + n] for s, n in zip(starts, lengths)]
    pi, A = load("startProb.bin"), load("transMat.bin").reshape(K, K)
    means, covars = load("means.bin").reshape(K, D), load("covars.bin").reshape(K, D)

    def model():
        dists = [IndependentComponentsDistribution([NormalDistribution(means[k, d], np.sqrt(covars[k, d])) for d in range(D)])
                 for k in range(K)]
        return HiddenMarkovModel.from_matrix(A, dists, pi)

    best = float("inf")
    for _ in range(2):
        m = model()
        t = time.perf_counter()
        m.fit(seqs, algorithm="baum-welch", max_iterations=iterations - 1, stop_threshold=1e-300, n_jobs=1)
        best = min(best, (time.perf_counter() - t) / iterations)
    log_lik = float(sum(m.log_probability(s) for s in seqs))
    print(json.dumps({"seconds": best, "logLikAfter": log_lik, "iterations": iterations, "pomegranate": pomegranate.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
