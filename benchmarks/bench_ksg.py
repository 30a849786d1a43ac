"""KSGEstimator against scikit-learn's mutual_info_classif / mutual_info_regression.

Both run on the same data in one process, both with ``n_jobs=2``, warm:
the first call of mifs (numba compilation, or loading the on-disk cache) is
timed and reported separately.  Each timing is the best of ``--repeat``
runs.  Also printed: how the time grows from the smallest to the largest
``n`` against ``n log n``, and the extra peak memory of one fit, measured in
a fresh child process by sampling its resident memory during the fit
(``benchmarks/_common.py``), per row and relative to the size of X.

Run:  python benchmarks/bench_ksg.py            (n = 1e4, 1e5, 1e6)
      python benchmarks/bench_ksg.py --quick    (n = 1e4, 1e5)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
from _common import best_of


def make_data(n: int, p: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    signal = X[:, 0] + np.sin(2 * X[:, min(1, p - 1)])
    y_reg = signal + rng.standard_normal(n)
    y_cls = np.digitize(y_reg, np.quantile(y_reg, [0.33, 0.66]))
    return X, y_cls, y_reg


def run_timings(sizes, features, repeat, skip_sklearn_above):
    from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

    from mifs import KSGEstimator

    X, y_cls, y_reg = make_data(2000, 2)
    # start scikit-learn's worker processes before timing, as mifs is compiled before timing
    mutual_info_classif(X, y_cls, random_state=0, n_jobs=2)
    mutual_info_regression(X, y_reg, random_state=0, n_jobs=2)
    t0 = time.perf_counter()
    KSGEstimator(discrete_features=False, random_state=0).fit(X, y_cls)
    KSGEstimator(discrete_features=False, random_state=0).fit(X, y_reg)
    print(f"first calls (numba compile or cache load): {time.perf_counter() - t0:.2f} s\n")

    rows = []
    header = f"{'target':<10}{'n':>9}{'p':>4}{'sklearn s':>12}{'mifs s':>10}{'ratio':>9}{'max |diff|':>12}"
    print(header)
    print("-" * len(header))
    for n in sizes:
        for p in features:
            X, y_cls, y_reg = make_data(n, p)
            for target, y, ref_fn in (
                ("classif", y_cls, mutual_info_classif),
                ("regression", y_reg, mutual_info_regression),
            ):
                est = KSGEstimator(discrete_features=False, random_state=0, n_jobs=2)
                t_mifs, _ = best_of(lambda: est.fit(X, y), repeat)
                ours = est.mi_
                if n <= skip_sklearn_above:
                    t_ref, _ = best_of(lambda: ref_fn(X, y, random_state=0, n_jobs=2), 1 if n >= 10**6 else repeat)
                    ref = ref_fn(X, y, random_state=0, n_jobs=2) if n < 10**6 else None
                    diff = float(np.abs(ours - ref).max()) if ref is not None else float("nan")
                else:
                    t_ref, diff = float("nan"), float("nan")
                ratio = t_ref / t_mifs
                rows.append(dict(target=target, n=n, p=p, sklearn=t_ref, mifs=t_mifs, ratio=ratio, diff=diff))
                print(f"{target:<10}{n:>9}{p:>4}{t_ref:>12.3f}{t_mifs:>10.3f}{ratio:>8.1f}x{diff:>12.1e}")
    return rows


def growth(rows, sizes):
    lo, hi = min(sizes), max(sizes)
    nlogn = (hi * np.log(hi)) / (lo * np.log(lo))
    print(f"\ngrowth of the mifs time from n = {lo:g} to n = {hi:g} (n log n would be {nlogn:.0f}x):")
    for target in ("classif", "regression"):
        for p in sorted({r["p"] for r in rows}):
            t = {r["n"]: r["mifs"] for r in rows if r["target"] == target and r["p"] == p}
            if lo in t and hi in t:
                print(f"  {target:<10} p={p:<3} {t[hi] / t[lo]:8.0f}x")


CHILD = r"""
import json, sys, numpy as np
sys.path.insert(0, {bench_dir!r})
from bench_ksg import make_data
from _common import peak_extra
which, target, n, p = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
X, y_cls, y_reg = make_data(n, p)
y = y_cls if target == "classif" else y_reg
if which == "mifs":
    from mifs import KSGEstimator
    small = make_data(500, 2)
    KSGEstimator(discrete_features=False, random_state=0).fit(small[0], small[1 if target == "classif" else 2])
    fit = lambda: KSGEstimator(discrete_features=False, random_state=0, n_jobs=2).fit(X, y)
else:
    from sklearn.feature_selection import mutual_info_classif, mutual_info_regression
    fn = mutual_info_classif if target == "classif" else mutual_info_regression
    fn(X[:500], y[:500], random_state=0)
    fit = lambda: fn(X, y, random_state=0, n_jobs=1)
extra, _ = peak_extra(fit)
print(json.dumps(dict(extra=extra, x_bytes=X.nbytes)))
"""


def memory(n: int, p: int):
    bench_dir = os.path.dirname(os.path.abspath(__file__))
    code = CHILD.format(bench_dir=bench_dir)
    print(f"\nextra peak memory of one fit, n = {n:g}, p = {p} (X is {n * p * 8 / 2**20:.0f} MiB):")
    for which in ("mifs", "sklearn"):
        for target in ("classif", "regression"):
            out = subprocess.run(
                [sys.executable, "-c", code, which, target, str(n), str(p)],
                capture_output=True,
                text=True,
                check=True,
            )
            res = json.loads(out.stdout.strip().splitlines()[-1])
            extra = res["extra"]
            print(
                f"  {which:<8}{target:<11}{extra / 2**20:9.1f} MiB  "
                f"{extra / n:8.0f} bytes/row  {extra / res['x_bytes']:5.2f} x size of X"
            )
    print("  (sklearn measured with n_jobs=1: the memory of its worker processes would not be counted)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e4 and 1e5 only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-sklearn-above", type=float, default=1e6)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args(argv)
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    import numba
    import sklearn

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"numba {numba.__version__}; {os.cpu_count()} CPUs ({platform.processor() or platform.machine()})"
    )
    rows = run_timings(sizes, [1, 20], args.repeat, args.skip_sklearn_above)
    growth(rows, sizes)
    if not args.no_memory:
        memory(max(sizes), 20)


if __name__ == "__main__":
    main()
