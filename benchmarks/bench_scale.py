"""MIRanker under load: time and peak memory at n up to 1e6 rows, p = 20.

Each configuration runs in a fresh child process: it builds the data,
compiles the kernels on a small problem, and fits ``MIRanker(k=10,
n_jobs=2)`` while a thread samples the resident memory
(``benchmarks/_common.py``): the peak minus the level before the fit is the
extra memory of the fit beyond the input.  Printed
per row and per row per worker: constant bytes per row as n grows means
the extra memory is O(n) per worker (no n x n, n x p x k or n x p buffer).
Rows over the target of issue #13 (extra peak memory at most 1.3 times
the size of X, at n = 1e6, p = 20, n_jobs = 2) are marked with ``*``.

Run:  python benchmarks/bench_scale.py [--sizes 100000 300000 1000000] [--p 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, sys
import numpy as np
from _common import peak_extra
from mifs import MIRanker
target, n, p, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(0)
X = rng.standard_normal((n, p))
y = X[:, :5] @ np.array([1.0, 0.8, 0.6, 0.4, 0.2]) + rng.standard_normal(n)
if target == "classif":
    y = np.digitize(y, np.quantile(y, [0.33, 0.66]))
MIRanker(k=3, random_state=0).fit(X[:2000], y[:2000])  # compile or load the kernels
extra, elapsed = peak_extra(lambda: MIRanker(k=10, random_state=0, n_jobs=n_jobs).fit(X, y))
print(json.dumps(dict(seconds=elapsed, extra=extra, x_bytes=X.nbytes)))
"""


TARGET_RATIO = 1.3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"MIRanker(k=10, n_jobs={args.n_jobs}), p = {args.p}; extra peak memory beyond the input\n")
    head = f"{'target':<11}{'n':>9}{'time s':>9}{'X MiB':>8}{'extra MiB':>11}{'bytes/row':>11}{'per worker':>12}{'x size of X':>13}"
    print(head)
    print("-" * len(head))
    for target in ("classif", "regression"):
        for n in args.sizes:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, target, str(n), str(args.p), str(args.n_jobs)],
                capture_output=True, text=True, check=True, cwd=os.path.dirname(os.path.abspath(__file__)),
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            per_row = r["extra"] / n
            ratio = r["extra"] / r["x_bytes"]
            print(
                f"{target:<11}{n:>9}{r['seconds']:>9.2f}{r['x_bytes'] / 2**20:>8.0f}{r['extra'] / 2**20:>11.1f}"
                f"{per_row:>11.0f}{per_row / args.n_jobs:>12.0f}{ratio:>13.2f}{' *' if ratio > TARGET_RATIO else ''}",
                flush=True,
            )


if __name__ == "__main__":
    main()
