"""MIRanker(k=10) against SelectKBest(mutual_info_*, k=10), end to end.

n = 1e5 rows, p = 50 continuous features, a class target and a continuous
target; both sides use ``n_jobs=2`` on the same data in one process, warm
(numba compilation and scikit-learn's worker start-up happen before the
timings).  Each timing is the best of ``--repeat`` runs.  Also printed: the
time of the bare KSGEstimator, to show the selector adds no measurable
overhead.

Run:  python benchmarks/bench_ranker.py [--n 100000] [--p 50]
"""

from __future__ import annotations

import argparse
from functools import partial

import numpy as np
from _common import best_of


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--p", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from sklearn.feature_selection import SelectKBest, mutual_info_classif, mutual_info_regression

    from mifs import KSGEstimator, MIRanker

    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, args.p))
    y_reg = X[:, :5] @ np.array([1.0, 0.8, 0.6, 0.4, 0.2]) + rng.standard_normal(args.n)
    y_cls = np.digitize(y_reg, np.quantile(y_reg, [0.33, 0.66]))

    small = (X[:2000], y_cls[:2000], y_reg[:2000])
    MIRanker(k=10, random_state=0).fit(small[0], small[1])
    MIRanker(k=10, random_state=0).fit(small[0], small[2])
    mutual_info_classif(small[0], small[1], n_jobs=2, random_state=0)

    print(f"n = {args.n}, p = {args.p}, k = 10, n_jobs = 2 on both sides, best of {args.repeat}\n")
    head = f"{'target':<11}{'sklearn s':>11}{'mifs s':>9}{'ratio':>8}{'KSGEstimator s':>16}{'same top 10':>13}"
    print(head)
    print("-" * len(head))
    for name, y, score in (
        ("classif", y_cls, mutual_info_classif),
        ("regression", y_reg, mutual_info_regression),
    ):
        ref = SelectKBest(partial(score, n_jobs=2, random_state=0), k=10)
        ours = MIRanker(k=10, random_state=0, n_jobs=2)
        bare = KSGEstimator(random_state=0, n_jobs=2)
        t_ref, _ = best_of(lambda: ref.fit(X, y), args.repeat)
        t_ours, _ = best_of(lambda: ours.fit(X, y), args.repeat)
        t_bare, _ = best_of(lambda: bare.fit(X, y), args.repeat)
        same = set(ref.get_support(indices=True)) == set(ours.get_support(indices=True))
        print(f"{name:<11}{t_ref:>11.3f}{t_ours:>9.3f}{t_ref / t_ours:>7.1f}x{t_bare:>16.3f}{str(same):>13}")


if __name__ == "__main__":
    main()
