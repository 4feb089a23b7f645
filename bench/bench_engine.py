"""Time widgets.engine.MLPClassifier.fit against scikit-learn's, same process.

Run as ``.venv/bin/python bench/bench_engine.py``. For each size the two
estimators get the same data, arguments and seed; the script prints the
best-of-N fit time of each, the speed-up (scikit-learn time / engine time),
the largest relative difference of the fitted parameters (parity) and the
peak memory of one fit of each, measured with tracemalloc in a separate run
(tracemalloc slows Python down, so it never overlaps the timed runs).

Targets: speed-up >= 5 (playground), >= 2 (medium), >= 1.5 (large), parity
<= 1e-6 and engine peak memory <= scikit-learn's. A parity or memory miss
makes the script exit with status 1; a speed-up below target is only noted
(timings depend on what else the machine is doing).

Each size runs a fixed number of epochs (tol=0, no early stop), same seed.
The playground uses sgd (scikit-learn's defaults: momentum 0.9, Nesterov);
medium and large use scikit-learn's default solver, adam.
"""

import argparse
import gc
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from widgets.engine import MLPClassifier

# Fixed numbers of epochs: tol=0 and a patience above max_iter make both
# libraries run exactly max_iter epochs.
FIXED_EPOCHS = dict(tol=0.0, n_iter_no_change=10**6)

SIZES = [
    {
        "name": "playground",
        "data": lambda: make_moons(500, noise=0.2, random_state=0),
        "params": dict(
            hidden_layer_sizes=(4, 2),
            batch_size=10,
            solver="sgd",
            learning_rate_init=0.01,
            max_iter=60,
        ),
        "repeats": 9,
        "target": 5.0,
    },
    {
        "name": "medium",
        "data": lambda: make_classification(5000, 10, n_informative=6, n_classes=3, random_state=0),
        "params": dict(hidden_layer_sizes=(32, 32), batch_size=32, max_iter=8),
        "repeats": 3,
        "target": 2.0,
    },
    {
        "name": "large",
        "data": lambda: make_classification(
            50000, 20, n_informative=10, n_classes=2, random_state=0
        ),
        "params": dict(hidden_layer_sizes=(64, 64), batch_size=200, max_iter=4),
        "repeats": 2,
        "target": 1.5,
    },
]


def fit(estimator_class, X, y, params):
    estimator = estimator_class(random_state=0, **FIXED_EPOCHS, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
    return estimator


def best_times(estimator_classes, X, y, params, repeats):
    """Best-of-``repeats`` fit time of each class, runs interleaved.

    Alternating the two libraries makes a burst of load from elsewhere on the
    machine hit both alike; the minimum is the least disturbed run.
    """
    times = {cls: [] for cls in estimator_classes}
    for _ in range(repeats):
        for cls in estimator_classes:
            gc.collect()
            start = time.perf_counter()
            fit(cls, X, y, params)
            times[cls].append(time.perf_counter() - start)
    return [min(times[cls]) for cls in estimator_classes]


def peak_memory(estimator_class, X, y, params):
    gc.collect()
    tracemalloc.start()
    fit(estimator_class, X, y, params)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def parity(ours, theirs):
    """Largest relative difference over all fitted parameters and the loss curve."""
    worst = 0.0
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))))
    curve_a, curve_b = np.array(ours.loss_curve_), np.array(theirs.loss_curve_)
    worst = max(worst, float(np.max(np.abs(curve_a - curve_b) / np.abs(curve_b))))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=[s["name"] for s in SIZES])
    parser.add_argument("--no-memory", action="store_true", help="skip tracemalloc runs")
    args = parser.parse_args()

    header = (
        f"{'size':<11}{'n x d':>11}{'sklearn s':>11}{'engine s':>10}"
        f"{'speed-up':>10}{'target':>8}{'parity':>10}{'sk peak KiB':>13}"
        f"{'eng peak KiB':>13}"
    )
    print(header)
    print("-" * len(header))
    failures, slow = [], []
    for size in SIZES:
        if size["name"] not in args.sizes:
            continue
        X, y = size["data"]()
        params = size["params"]
        ours = fit(MLPClassifier, X, y, params)
        theirs = fit(SklearnMLPClassifier, X, y, params)
        difference = parity(ours, theirs)
        sklearn_time, engine_time = best_times(
            (SklearnMLPClassifier, MLPClassifier), X, y, params, size["repeats"]
        )
        if args.no_memory:
            sklearn_peak = engine_peak = float("nan")
        else:
            sklearn_peak = peak_memory(SklearnMLPClassifier, X, y, params) / 2**10
            engine_peak = peak_memory(MLPClassifier, X, y, params) / 2**10
        speed_up = sklearn_time / engine_time
        print(
            f"{size['name']:<11}{f'{X.shape[0]}x{X.shape[1]}':>11}{sklearn_time:>11.3f}"
            f"{engine_time:>10.3f}{speed_up:>9.1f}x{size['target']:>7.1f}x"
            f"{difference:>10.1e}"
            f"{sklearn_peak:>13.1f}{engine_peak:>13.1f}"
        )
        if difference > 1e-6:
            failures.append(f"{size['name']}: parity {difference:.1e} > 1e-6")
        if engine_peak > sklearn_peak:
            failures.append(f"{size['name']}: engine peak memory above scikit-learn's")
        if speed_up < size["target"]:
            # Reported, not failed: timings depend on the machine's load.
            slow.append(
                f"{size['name']}: speed-up {speed_up:.1f}x below the "
                f"{size['target']}x target (machine busy? run again)"
            )
    if slow:
        print("\n".join(["", "NOTE:"] + slow))
    if failures:
        print("\n".join(["", "PROBLEMS:"] + failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
