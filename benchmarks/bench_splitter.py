"""Best root split: mifs.InfoGainSplitter against DecisionTreeClassifier(max_depth=1).

Both run in this process, on the same data and the same cores, warm: numba's
compilation (or loading of its on-disk cache) happens on a small problem first
and is reported separately.  Each timing is the best of ``--repeat`` runs.

    python benchmarks/bench_splitter.py [--n 200000] [--p 20] [--repeat 5]

Rows:

* ``sklearn DecisionTreeClassifier(max_depth=1).fit`` -- the reference.
* ``mifs split(), n_jobs=1`` / ``n_jobs=-1`` -- the best split of the node,
  the same work as the depth-1 tree (validation, sorting, sweeping).
* ``mifs fit(), n_jobs=-1`` -- split search plus the MDL discretisation of
  every feature, for information.

The ratio is sklearn's time over ours (> 1: mifs is faster).  A benchmark, not
a test: it never fails on a timing, only if the two disagree on the split.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _common import best_of
from sklearn.tree import DecisionTreeClassifier

from mifs import InfoGainSplitter


def make_data(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    logit = 1.5 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] * X[:, 3]
    y = (logit + rng.logistic(size=n) > 0).astype(np.int64)
    return X, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    X, y = make_data(args.n, args.p)
    print(f"n = {args.n}, p = {args.p}, classes = 2, cores = {os.cpu_count()}")

    t0 = time.perf_counter()
    small = InfoGainSplitter().fit(X[:500], y[:500])
    small.split(X[:500], y[:500])
    print(f"first call (numba compile or cache load): {time.perf_counter() - t0:.2f} s")

    tree = DecisionTreeClassifier(max_depth=1, criterion="entropy", random_state=0)
    serial = InfoGainSplitter(n_jobs=1).fit(X, y)
    threaded = InfoGainSplitter(n_jobs=-1).fit(X, y)

    # the two must agree before their times mean anything
    tree.fit(X, y)
    node = threaded.split(X, y)
    feature, threshold = int(tree.tree_.feature[0]), float(tree.tree_.threshold[0])
    assert node.feature == feature, (node.feature, feature)
    assert abs(node.threshold - threshold) <= abs(np.spacing(np.float32(threshold)))
    print(f"agreement: feature {feature}, threshold {node.threshold:.6f} "
          f"(sklearn {threshold:.6f}), gain {node.gain:.6f} nats")

    rows = [
        ("sklearn DecisionTreeClassifier(max_depth=1).fit", lambda: tree.fit(X, y)),
        ("mifs InfoGainSplitter.split, n_jobs=1", lambda: serial.split(X, y)),
        ("mifs InfoGainSplitter.split, n_jobs=-1", lambda: threaded.split(X, y)),
        ("mifs InfoGainSplitter.fit (+ MDL cuts), n_jobs=-1", lambda: threaded.fit(X, y)),
    ]
    times = [best_of(fn, args.repeat)[0] for _, fn in rows]
    reference = times[0]
    print(f"\n{'method':<52} {'time (s)':>9} {'ratio':>7}")
    for (name, _), t in zip(rows, times):
        print(f"{name:<52} {t:>9.4f} {reference / t:>6.2f}x")
    print(f"\nbest split speed-up over sklearn (split, n_jobs=-1): {reference / times[2]:.2f}x")


if __name__ == "__main__":
    main()
