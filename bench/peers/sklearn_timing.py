"""Per-iteration timing of a scikit-learn mixture, by the same rule as elbo's benchmarks: the
time between the ends of consecutive iterations (scikit-learn's own verbose=2 "time lapse"
lines), from iteration 2 on, so that setup and initialisation are excluded."""
import contextlib, io, re

LAPSE = re.compile(r"Iteration (\d+)\s+time lapse ([0-9.eE+-]+)s")


def seconds_per_iteration(make, X, iterations, repeats=2):
    """Fits make(max_iter=iterations, verbose=2, verbose_interval=1) `repeats` times; returns
    (the best mean lapse over iterations 2..iterations, the last fitted model)."""
    best, model = None, None
    for _ in range(repeats):
        model = make(iterations)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            model.fit(X)
        lapses = [float(t) for i, t in LAPSE.findall(out.getvalue()) if int(i) >= 2]
        if not lapses:
            raise RuntimeError("scikit-learn printed no iteration timings")
        per = sum(lapses) / len(lapses)
        best = per if best is None else min(best, per)
    return best, model
