"""Compile every numba kernel ahead: ``mifs warmup``.

The kernels are compiled on first use and cached on disk (see
:mod:`mifs._kernels`).  On a cold cache the first fit of an estimator waits
10-40 s for the compiler; :func:`warmup` pays that once, up front, by
running each public estimator on tiny generated data along every path that
reaches a kernel: continuous, discrete and mixed columns, class and
continuous targets, joint and conditional estimates, permutation tests,
each family of mRMR criteria, the pairwise matrix, split search and MDL
discretisation, missing values, and the array layouts the estimators pass
on (contiguous and strided columns, read-only arrays).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

#: Rows of the generated data: enough for every path, little enough to run at once.
N_ROWS = 80


def _data(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n = N_ROWS
    a = rng.standard_normal(n)
    X = np.column_stack(
        [
            a,  # continuous
            a + 0.5 * rng.standard_normal(n),  # continuous, dependent
            rng.integers(0, 4, n).astype(np.float64),  # whole numbers, few levels: discrete
            np.round(rng.standard_normal(n), 1),  # continuous with ties
        ]
    )
    y_class = (a + 0.3 * rng.standard_normal(n) > 0).astype(np.int64)
    y_cont = a + 0.5 * rng.standard_normal(n)
    X_missing = X.copy()
    X_missing[::7, 0] = np.nan
    X_missing[3::11, 2] = np.nan
    y_missing = y_cont.copy()
    y_missing[5::13] = np.nan
    readonly = X.copy()
    readonly.setflags(write=False)
    readonly_fortran = np.asfortranarray(X)
    readonly_fortran.setflags(write=False)
    y_readonly = y_cont.copy()
    y_readonly.setflags(write=False)
    return dict(
        X=X,
        X_fortran=np.asfortranarray(X),
        X_readonly=readonly,  # strided read-only columns (memory-mapped input)
        X_readonly_fortran=readonly_fortran,  # contiguous read-only columns
        y_readonly=y_readonly,
        X_int=rng.integers(0, 3, (n, 3)),
        y_class=y_class,
        y_labels=np.where(y_class == 1, "yes", "no").astype(object),
        y_cont=y_cont,
        X_missing=X_missing,
        y_missing=y_missing,
        weights=rng.uniform(0.5, 2.0, n),
    )


def _ksg(d: dict) -> None:
    from mifs import KSGEstimator

    for X in (d["X"], d["X_fortran"], d["X_readonly"], d["X_readonly_fortran"], d["X_int"]):
        for y in (d["y_class"], d["y_cont"], d["y_readonly"]):
            KSGEstimator(random_state=0).fit(X, y)
    KSGEstimator(algorithm=2, random_state=0).fit(d["X"], d["y_cont"])
    KSGEstimator(discrete_features=False, jitter=0.0, random_state=0).fit(d["X"], d["y_cont"])


def _estimate(d: dict) -> None:
    from mifs import KSGEstimator

    X, yc, yk = d["X"], d["y_cont"], d["y_class"]
    for algorithm in (1, 2):
        est = KSGEstimator(algorithm=algorithm, random_state=0)
        est.estimate(X[:, :2], yc)  # continuous sets
        est.estimate(X[:, 0], yc, X[:, 1])  # conditional, continuous
        est.estimate(X[:, [0, 2]], yk, X[:, [1, 3]])  # mixed sets, mixed condition
        est.estimate(X[:, 0], yk)  # continuous-discrete
        est.estimate(X[:, 2], yk, d["X_int"][:, 0])  # all discrete, conditional
        est.estimate(X[:, 2], yk)  # all discrete
        est.estimate(X[:, 3], X[:, 3])  # ties everywhere
    KSGEstimator(missing_values="pairwise", random_state=0).estimate(
        d["X_missing"][:, :2], d["y_missing"], d["X_missing"][:, 2]
    )


def _ranker(d: dict) -> None:
    from mifs import KSGEstimator, MIRanker

    for y in (d["y_class"], d["y_labels"], d["y_cont"]):
        MIRanker(k=2, n_permutations=3, random_state=0).fit(d["X"], y)
    MIRanker(KSGEstimator(missing_values="pairwise"), k=2, n_permutations=3, random_state=0).fit(
        d["X_missing"], d["y_missing"]
    )


def _mrmr(d: dict) -> None:
    from mifs import KSGEstimator, MRMRSelector
    from mifs._mrmr import CRITERIA

    for criterion in CRITERIA:
        for y in (d["y_class"], d["y_cont"]):
            MRMRSelector(3, criterion=criterion, random_state=0).fit(d["X"], y)
        MRMRSelector(3, criterion=criterion, estimator=KSGEstimator(missing_values="pairwise"), random_state=0).fit(
            d["X_missing"], d["y_missing"]
        )
    MRMRSelector("auto", criterion="jmi", random_state=0).fit(d["X"], d["y_class"])


def _pairwise(d: dict) -> None:
    from mifs import KSGEstimator, pairwise_mutual_information

    pairwise_mutual_information(d["X"], estimator=KSGEstimator(random_state=0))
    pairwise_mutual_information(d["X_missing"], estimator=KSGEstimator(missing_values="pairwise", random_state=0))


def _splitter(d: dict) -> None:
    from mifs import InfoGainSplitter

    X, y = d["X"], d["y_class"]
    for criterion in ("entropy", "gini", "gain_ratio"):
        splitter = InfoGainSplitter(criterion).fit(X, y)
        splitter.transform(X)
        splitter.split(X[:30], y[:30])
    InfoGainSplitter(max_bins=3, stopping=None).fit(X, y, sample_weight=d["weights"])
    InfoGainSplitter().fit(d["X_readonly"], d["y_labels"])


def _rare_kernels(d: dict) -> None:
    """Kernels that only unusual inputs reach (codes of pairs of labels too
    many to number by products), called directly."""
    from mifs._kernels import discrete

    dense_pairs = getattr(discrete, "_dense_pairs", None)
    if dense_pairs is not None:
        codes = d["X_int"][:, 0].astype(np.int64)
        dense_pairs(codes, codes[::-1].copy())


#: (what, how) for every step of the warm-up.
STEPS: list[tuple[str, Callable[[dict], None]]] = [
    ("KSGEstimator: continuous, discrete and mixed columns", _ksg),
    ("KSGEstimator.estimate: joint and conditional", _estimate),
    ("MIRanker: permutation tests, missing values", _ranker),
    ("MRMRSelector: every criterion", _mrmr),
    ("pairwise_mutual_information", _pairwise),
    ("InfoGainSplitter: splits and MDL discretisation", _splitter),
    ("kernels for rare inputs", _rare_kernels),
]


def warmup(*, verbose: bool = True, stream=None) -> float:
    """Compile (or load from the cache) every numba kernel of mifs.

    Runs each public estimator on tiny generated data along every path
    that reaches a kernel, so that later runs, in this process or any other
    sharing the on-disk cache, start at full speed.

    Parameters
    ----------
    verbose : bool, default=True
        Print one line per step, with its time, on ``stream``.
    stream : file-like, default=None
        Where to print; ``None`` means ``sys.stderr``.

    Returns
    -------
    float
        Seconds taken.

    Examples
    --------
    >>> from mifs._warmup import warmup
    >>> seconds = warmup(verbose=False)   # doctest: +SKIP
    """
    import logging
    import warnings

    out = sys.stderr if stream is None else stream
    start = time.perf_counter()
    data = _data()
    notice = logging.getLogger("mifs.compile")  # "run 'mifs warmup'" would be odd here
    level = notice.level
    notice.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tiny data is meant to be odd (ties, few rows)
            for what, step in STEPS:
                t0 = time.perf_counter()
                step(data)
                if verbose:
                    print(f"  {what:<55} {time.perf_counter() - t0:6.1f} s", file=out, flush=True)
    finally:
        notice.setLevel(level)
    return time.perf_counter() - start
