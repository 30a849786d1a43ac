"""MRMRSelector against the mRMR greedies people build today.

(a) the same MID greedy built from scikit-learn's mutual_info_regression
    (relevance once, then at each step the MI of the remaining columns with
    the newly selected one), the way sklearn-based mRMR code does it;
(b) mrmr_selection's mrmr_regression (pip install mrmr_selection), the
    popular mRMR package, which scores with F-statistics and correlation,
    not mutual information.

All run on the same data in one process with n_jobs=2, warm; times are the
best of --repeat runs (one run for the sklearn greedy at large n).  Printed:
times, the ratio to mifs, and whether the selected set equals mifs's.

Run:  python benchmarks/bench_mrmr.py           (all cases; the sklearn greedy takes minutes)
      python benchmarks/bench_mrmr.py --quick   (n = 1e4 only)
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import best_of


def make_data(n: int, p: int, seed: int = 0):
    """Three quarters of the columns share a latent factor (pairwise MI about
    0.06 nats, so every redundancy is clearly positive), the first ten of
    them drive y; the last quarter is independent noise.

    scikit-learn's greedy clips every estimate at 0 and mifs uses raw
    estimates, so the two can only be compared where the estimates that
    decide the selection are clearly positive: then they are equal.
    """
    rng = np.random.default_rng(seed)
    n_block = 3 * p // 4
    factor = rng.standard_normal((n, 1))
    X = rng.standard_normal((n, p))
    X[:, :n_block] += 0.7 * factor
    y = X[:, :10] @ np.linspace(1.0, 0.3, 10) + 0.5 * rng.standard_normal(n)
    return X, y


def sklearn_greedy(X, y, n_select: int, n_jobs: int = 2) -> list[int]:
    from sklearn.feature_selection import mutual_info_regression

    relevance = mutual_info_regression(X, y, random_state=0, n_jobs=n_jobs)
    chosen = [int(np.argmax(relevance))]
    remaining = [j for j in range(X.shape[1]) if j != chosen[0]]
    redundancy = np.zeros(X.shape[1])
    while len(chosen) < n_select:
        redundancy[remaining] += mutual_info_regression(
            X[:, remaining], X[:, chosen[-1]], random_state=0, n_jobs=n_jobs
        )
        crit = relevance[remaining] - redundancy[remaining] / len(chosen)
        chosen.append(remaining.pop(int(np.argmax(crit))))
    return chosen


def mrmr_selection(X, y, n_select: int) -> list[int]:
    import pandas as pd
    from mrmr import mrmr_regression

    df = pd.DataFrame(X, columns=[str(j) for j in range(X.shape[1])])
    return [int(c) for c in mrmr_regression(X=df, y=pd.Series(y), K=n_select, n_jobs=2, show_progress=False)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-sklearn-above", type=float, default=1e5, help="skip (a) for larger n")
    args = parser.parse_args(argv)

    from mifs import MRMRSelector

    Xs, ys = make_data(2000, 12)
    MRMRSelector(3, random_state=0).fit(Xs, ys)  # compile or load the numba cache
    sklearn_greedy(Xs, ys, 2)  # start scikit-learn's worker processes
    try:
        mrmr_selection(Xs, ys, 2)
        have_peer = True
    except ImportError:
        have_peer = False
        print("mrmr_selection not installed: column (b) skipped\n")

    cases = [(10**4, 40), (10**4, 100)] if args.quick else [(10**4, 40), (10**5, 40), (10**4, 100), (5 * 10**4, 100)]
    head = (
        f"{'n':>7}{'p':>5}{'mifs s':>9}{'(a) sklearn greedy s':>22}{'ratio':>8}{'same set':>10}"
        f"{'(b) mrmr_selection s':>22}{'overlap':>9}"
    )
    print("select 10 features, criterion MID, n_jobs=2\n")
    print(head)
    print("-" * len(head))
    for n, p in cases:
        X, y = make_data(n, p)
        sel = MRMRSelector(10, criterion="mid", estimator=KSGEstimator(discrete_features=False), random_state=0, n_jobs=2)
        t_mifs, fitted = best_of(lambda: sel.fit(X, y), args.repeat)
        ours = set(fitted.selected_features_.tolist())
        if n <= args.skip_sklearn_above:
            t_sk, chosen = best_of(lambda: sklearn_greedy(X, y, 10), 1 if n > 10**4 else args.repeat)
            sk_cols = f"{t_sk:>22.2f}{t_sk / t_mifs:>7.1f}x{str(set(chosen) == ours):>10}"
        else:
            sk_cols = f"{'skipped':>22}{'':>8}{'':>10}"
        if have_peer:
            t_peer, peer = best_of(lambda: mrmr_selection(X, y, 10), args.repeat)
            peer_cols = f"{t_peer:>22.2f}{len(set(peer) & ours):>6}/10"
        else:
            peer_cols = ""
        print(f"{n:>7}{p:>5}{t_mifs:>9.2f}{sk_cols}{peer_cols}")
    print(
        "\n(b) scores with F-statistics and correlations, not mutual information: "
        "'overlap' counts the features it shares with mifs."
    )


if __name__ == "__main__":
    main()
