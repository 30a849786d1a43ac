"""Issue #13, kernel level: one layout for the kernels, each compiles once,
scratch from the workspace, a parallel variant for one large estimate, and
the same numbers, bit for bit.

* Every public estimator gives the same scores on float32, int, bool,
  Fortran-ordered, strided, read-only and memory-mapped input as on the
  same values in a plain C-ordered float64 matrix, and afterwards no numba
  kernel holds more than one compiled signature (``tests/conftest.py``
  also fails the whole run when one does).
* The parallel kernels give the serial kernels' numbers.
* The scores on the benchmarks' data equal, bit for bit, those of the code
  before the change (frozen below as hexadecimal floats, computed with
  commit d9a9e01); the large problems (n = 30 000) run ``estimate`` on
  numba's threads.
* A pair estimate with a warm workspace allocates no array of n elements.
"""

import os
import subprocess
import sys
import textwrap
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from mifs import InfoGainSplitter, KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information
from mifs._engine import Workspace, column_rng, mi_pair, mi_sets, prepare_continuous, prepare_discrete
from mifs._kernels import kdtree, sorted1d
from tests.conftest import kernel_signatures

ROOT = Path(__file__).resolve().parents[1]


def _problem(n=300, seed=13):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4))
    X[:, 3] = np.round(X[:, 3], 1)  # ties
    y_cont = X[:, 0] + 0.5 * X[:, 1] ** 2 + 0.5 * rng.standard_normal(n)
    y_class = (X[:, 0] + 0.5 * rng.standard_normal(n) > 0).astype(np.int64) + (X[:, 2] > 1)
    return X, y_cont, y_class


def _scores(X, y_cont, y_class) -> dict:
    """Every public path on (X, y): KSG (both algorithms, both targets),
    estimate, ranker with permutations, two mRMR criteria, pairwise MI and
    the splitter."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cont = dict(discrete_features=False, random_state=0)
        out["ksg_cont"] = KSGEstimator(**cont).fit(X, y_cont).mi_
        out["ksg_class"] = KSGEstimator(**cont).fit(X, y_class).mi_
        out["ksg_alg2"] = KSGEstimator(algorithm=2, **cont).fit(X, y_cont).mi_
        est = KSGEstimator(random_state=0)
        out["estimate_xyz"] = est.estimate(X[:, 0], y_cont, X[:, 1:3], discrete=False)
        out["estimate_mixed"] = est.estimate(X[:, :2], y_class, X[:, 3], discrete=(False, True, True))
        ranker = MIRanker(KSGEstimator(**cont), k=2, n_permutations=5).fit(X, y_class)
        out["ranker"] = np.concatenate([ranker.scores_, ranker.pvalues_])
        for criterion in ("mid", "jmi", "cmim"):
            sel = MRMRSelector(2, criterion=criterion, estimator=KSGEstimator(**cont)).fit(X, y_class)
            out[f"mrmr_{criterion}"] = np.concatenate([sel.selected_features_, sel.criterion_])
        out["pairwise"] = np.asarray(pairwise_mutual_information(X, estimator=KSGEstimator(**cont)))
        splitter = InfoGainSplitter().fit(X, y_class)
        out["splitter"] = np.concatenate([splitter.thresholds_, np.ravel(splitter.transform(X))])
    return out


def _assert_same(got: dict, ref: dict) -> None:
    assert got.keys() == ref.keys()
    for key in ref:
        assert_array_equal(np.asarray(got[key], dtype=np.float64), np.asarray(ref[key], dtype=np.float64), err_msg=key)


def _assert_one_signature_each() -> None:
    multi = {name: sigs for name, sigs in kernel_signatures().items() if len(sigs) > 1}
    assert not multi, f"kernels compiled more than once: {multi}"


def _memmap(a, tmp_path, name):
    path = tmp_path / f"{name}.dat"
    mm = np.memmap(path, dtype=a.dtype, mode="w+", shape=a.shape)
    mm[:] = a
    mm.flush()
    del mm
    return np.memmap(path, dtype=a.dtype, mode="r", shape=a.shape)


def _read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


# (X, y_cont, y_class) in another layout -> the same values as plain float64 / int64 arrays
LAYOUTS = {
    "fortran": lambda X, yc, yk, tmp: (np.asfortranarray(X), yc, yk),
    "strided": lambda X, yc, yk, tmp: (np.repeat(X, 2, axis=1)[:, ::2], np.repeat(yc, 2)[::2], yk),
    "read-only": lambda X, yc, yk, tmp: (_read_only(X), _read_only(yc), _read_only(yk)),
    "memmap": lambda X, yc, yk, tmp: (_memmap(X, tmp, "X"), _memmap(yc, tmp, "yc"), _memmap(yk, tmp, "yk")),
    "float32": lambda X, yc, yk, tmp: (X.astype(np.float32), yc.astype(np.float32), yk.astype(np.int32)),
    "int32": lambda X, yc, yk, tmp: (np.round(4 * X).astype(np.int32), np.round(4 * yc).astype(np.int32), yk),
    "int64-fortran": lambda X, yc, yk, tmp: (np.asfortranarray(np.round(4 * X).astype(np.int64)), yc, yk),
    "bool": lambda X, yc, yk, tmp: (X > 0.3, yc, yk.astype(np.uint8)),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_gives_the_float64_scores_and_compiles_nothing_new(layout, tmp_path):
    X, y_cont, y_class = _problem()
    Xl, ycl, ykl = LAYOUTS[layout](X, y_cont, y_class, tmp_path)
    # the reference: the same values, as a C-ordered float64 matrix and plain targets
    ref = _scores(np.array(Xl, dtype=np.float64, order="C"), np.array(ycl, dtype=np.float64), np.array(ykl, np.int64))
    _assert_one_signature_each()
    got = _scores(Xl, ycl, ykl)
    _assert_same(got, ref)
    _assert_one_signature_each()


def test_inputs_are_not_modified():
    X, y_cont, y_class = _problem()
    copies = X.copy(), y_cont.copy(), y_class.copy()
    _scores(X, y_cont, y_class)
    for a, b in zip((X, y_cont, y_class), copies):
        assert_array_equal(a, b)


# ------------------------------------------------------------ parallel variants


def _tied_points(rng, n, d):
    pts = rng.standard_normal((n, d))
    pts[: n // 3] = np.round(pts[: n // 3], 1)
    return pts


@pytest.mark.parametrize("d", [1, 2, 4])
def test_parallel_tree_queries_equal_the_serial_ones(d):
    rng = np.random.default_rng(d)
    n = 3000
    pts = _tied_points(rng, n, d)
    tree = kdtree.make_tree(pts)
    kvec = rng.integers(1, 6, n).astype(np.int64)
    blocks = np.array([0, 1, d] if d > 1 else [0, 1], np.int64)
    b = blocks.size - 1
    results = []
    for knn in (kdtree.knn_radius, kdtree.knn_radius_parallel):
        radius, extent = np.empty(n), np.empty((b, n))
        knn(tree, kvec, blocks, np.empty(n), np.empty((b, n)), radius, extent)
        results.append((radius, extent))
    assert_array_equal(results[0][0], results[1][0])
    assert_array_equal(results[0][1], results[1][1])
    radius = results[0][0]
    radius[::7] = 0.0
    for inclusive in (False, True):
        counts = []
        for count in (kdtree.count_within_into, kdtree.count_within_into_parallel):
            out = np.empty(n, np.int64)
            count(tree, radius, inclusive, np.empty(n), np.empty(n, np.int64), out)
            counts.append(out)
        assert_array_equal(counts[0], counts[1])
        if d == 1:
            values = np.ascontiguousarray(pts[:, 0])
            order = np.argsort(values)
            for count in (sorted1d.counts_in_order, sorted1d.counts_in_order_parallel):
                out = np.empty(n, np.int64)
                count(values, order, radius, inclusive, np.empty(n), out)
                assert_array_equal(out, counts[0])


def _columns(n, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n)
    b = a + 0.5 * rng.standard_normal(n)
    c = np.round(rng.standard_normal(n), 1)
    labels = rng.integers(0, 3, n)
    labels[:1] = 7  # a class of one point: left out
    cont = [prepare_continuous(v, 1e-10, column_rng(1, 1, j)) for j, v in enumerate((a, b, c))]
    return cont, prepare_discrete(labels)


@pytest.mark.parametrize("algorithm", [1, 2])
def test_one_estimate_on_threads_equals_the_serial_one(algorithm):
    (a, b, c), d = _columns(4000)
    cases = [([a], [b], None), ([a, c], [b], None), ([a], [b], [c]), ([a], [d], [c]), ([a, d], [b], [c])]
    for x, y, z in cases:
        serial = mi_sets(x, y, z, 3, algorithm, parallel=False)
        threads = mi_sets(x, y, z, 3, algorithm, parallel=True)
        assert serial == threads
        assert mi_sets(x, y, z, 3, algorithm, ws=Workspace(), parallel=False) == serial


def test_estimates_from_worker_threads_stay_serial(monkeypatch):
    """A large estimate runs on numba's threads only from the main thread:
    the many estimates of a parallel map (joblib threads) never nest
    parallel kernels."""
    import threading

    import mifs._engine as engine

    (a, b, c), d = _columns(engine.PARALLEL_MIN_POINTS)

    def refuse(*args):
        raise AssertionError("a parallel kernel from a worker thread")

    expected = mi_sets([a], [b], [c], 3, parallel=False)
    monkeypatch.setattr(kdtree, "knn_radius_parallel", refuse)
    monkeypatch.setattr(kdtree, "count_within_into_parallel", refuse)
    monkeypatch.setattr(sorted1d, "counts_in_order_parallel", refuse)
    monkeypatch.setattr(engine, "counts_in_order_parallel", refuse)
    got = []
    worker = threading.Thread(target=lambda: got.append(mi_sets([a], [b], [c], 3)))
    worker.start()
    worker.join()
    assert got == [expected]


# ------------------------------------------------------------ scratch space


@pytest.mark.parametrize("kind", ["ksg", "ksg2", "ties", "ross", "ross-ties"])
def test_a_pair_estimate_takes_its_scratch_from_the_workspace(kind):
    n = 200_000
    rng = np.random.default_rng(5)
    x = rng.standard_normal(n)
    if kind.endswith("ties"):
        x = np.round(x, 1)
    a = prepare_continuous(x, 1e-10, column_rng(2, 1, 0))
    if kind.startswith("ross"):
        b = prepare_discrete(rng.integers(0, 4, n))
    else:
        y = x + rng.standard_normal(n)
        b = prepare_continuous(np.round(y, 1) if kind == "ties" else y, 1e-10, column_rng(2, 1, 1))
    algorithm = 2 if kind == "ksg2" else 1
    ws = Workspace()
    first = mi_pair(a, b, 3, algorithm, ws)  # compiles, and the workspace grows
    tracemalloc.start()
    try:
        again = mi_pair(a, b, 3, algorithm, ws)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert again == first == mi_pair(a, b, 3, algorithm)  # without a workspace: the same
    assert peak < n  # bytes: no array of n elements (4n or 8n bytes), only numpy's casting buffers


def test_the_workspace_serves_columns_of_any_length():
    rng = np.random.default_rng(6)
    ws = Workspace()
    for n in (5000, 800, 3000):
        x, y = rng.standard_normal(n), rng.standard_normal(n)
        fresh = [prepare_continuous(v, 1e-10, column_rng(3, 1, j)) for j, v in enumerate((x, y))]
        a = prepare_continuous(x, 1e-10, column_rng(3, 1, 0), ws)
        assert_array_equal(a.values, fresh[0].values)
        assert_array_equal(a.codes, fresh[0].codes)
        assert mi_pair(a, fresh[1], 3, 1, ws) == mi_pair(fresh[0], fresh[1], 3, 1)


# ------------------------------------------------------------ the conftest check


def test_a_second_signature_fails_the_test_run(tmp_path):
    """``tests/conftest.py`` turns a kernel compiled twice into a failed run."""
    (tmp_path / "test_twice.py").write_text(
        textwrap.dedent(
            """
            import numpy as np
            from mifs._kernels import splits

            def test_int32_compiles_a_second_signature():
                splits.xlogx_table(3)
                splits.xlogx_table(np.int32(3))
            """
        )
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
        # its own numba cache: the second signature must not reach the shared one
        env=dict(os.environ, PYTHONPATH=str(ROOT), NUMBA_CACHE_DIR=str(tmp_path / "numba")),
    )
    assert "1 passed" in run.stdout
    assert run.returncode == 1, run.stdout + run.stderr
    assert "mifs._kernels.splits.xlogx_table: 2 signatures" in run.stdout


# ------------------------------------------------------------ the numbers before the change


def _bench_small():
    """``benchmarks/bench_coldstart.py``'s data."""
    rng = np.random.default_rng(0)
    n, p = 500, 5
    X = rng.standard_normal((n, p))
    y_cont = X[:, :3] @ np.array([1.0, 0.7, 0.4]) + rng.standard_normal(n)
    y_class = np.digitize(y_cont, np.quantile(y_cont, [0.33, 0.66]))
    return X, y_cont, y_class


def _bench_large(n=30_000):
    """``benchmarks/bench_ksg.py``'s data at n = 30 000, p = 3."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 3))
    y_reg = X[:, 0] + np.sin(2 * X[:, 1]) + rng.standard_normal(n)
    y_cls = np.digitize(y_reg, np.quantile(y_reg, [0.33, 0.66]))
    return X, y_cls, y_reg


def _bench_scores() -> dict:
    out = {}
    X, y_cont, y_class = _bench_small()
    out["small/ksg_regression"] = KSGEstimator(random_state=0).fit(X, y_cont).mi_
    out["small/ksg_classif"] = KSGEstimator(random_state=0).fit(X, y_class).mi_
    out["small/ksg_alg2"] = KSGEstimator(algorithm=2, random_state=0).fit(X, y_cont).mi_
    out["small/estimate_xyz"] = [KSGEstimator(random_state=0).estimate(X[:, 0], y_cont, X[:, 1:3])]
    ranker = MIRanker(k=3, n_permutations=20, random_state=0).fit(X, y_class)
    out["small/ranker_scores"] = ranker.scores_
    out["small/ranker_pvalues"] = ranker.pvalues_
    for criterion in ("mid", "jmi", "cmim"):
        sel = MRMRSelector(3, criterion=criterion, random_state=0).fit(X, y_class)
        out[f"small/mrmr_{criterion}_selected"] = sel.selected_features_
        out[f"small/mrmr_{criterion}_criterion"] = sel.criterion_
    out["small/pairwise"] = np.asarray(pairwise_mutual_information(X, random_state=0)).ravel()
    splitter = InfoGainSplitter().fit(X, y_class)
    out["small/splitter_thresholds"] = splitter.thresholds_
    out["small/splitter_transform"] = np.asarray(splitter.transform(X), dtype=float).ravel()[:50]
    X, y_cls, y_reg = _bench_large()
    est = KSGEstimator(random_state=0)
    out["large/ksg_classif"] = KSGEstimator(discrete_features=False, random_state=0).fit(X, y_cls).mi_
    out["large/ksg_regression"] = KSGEstimator(discrete_features=False, random_state=0).fit(X, y_reg).mi_
    out["large/estimate_xyz"] = [est.estimate(X[:, 0], y_reg, X[:, 1:3])]
    out["large/estimate_xy_alg2"] = [KSGEstimator(algorithm=2, random_state=0).estimate(X[:, :2], y_reg)]
    out["large/estimate_mixed"] = [est.estimate(X[:, :2], y_reg, y_cls, discrete=(False, False, True))]
    out["large/estimate_class"] = [est.estimate(X[:, :2], y_cls, discrete=(False, True))]
    return out


def test_benchmark_scores_are_bit_identical_to_the_code_before_the_change():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = _bench_scores()
    assert got.keys() == FROZEN.keys()
    for key, hexes in FROZEN.items():
        expected = np.array([float.fromhex(h) for h in hexes])
        assert_array_equal(np.ravel(np.asarray(got[key], dtype=np.float64)), expected, err_msg=key)


# Computed with commit d9a9e01 (before issue #13) by the code of _bench_scores.
FROZEN = {
    "small/ksg_regression": [
        "0x1.9e21ea2bbe660p-3", "0x1.925b86064d480p-4", "0x1.f8ede2562d300p-5", "0x1.40d597ad0f780p-5", "0x0.0p+0",
    ],
    "small/ksg_classif": [
        "0x1.86a8a1ccd87a0p-3", "0x1.92056b8d7ce40p-4", "0x1.c58a33fc80f00p-6", "0x1.39d48446c4a80p-5",
        "0x1.015d6edcbed00p-4",
    ],
    "small/ksg_alg2": [
        "0x1.91dc5433030a0p-3", "0x1.c16dfd9abe640p-4", "0x1.b1a8368f9f400p-5", "0x1.5189487b68900p-5",
        "0x1.a91a969366100p-6",
    ],
    "small/estimate_xyz": [
        "0x1.6c77979b89d23p-2",
    ],
    "small/ranker_scores": [
        "0x1.86a8a1ccd87a0p-3", "0x1.92056b8d7ce40p-4", "0x1.c58a33fc80f00p-6", "0x1.39d48446c4a80p-5",
        "0x1.015d6edcbed00p-4",
    ],
    "small/ranker_pvalues": [
        "0x1.8618618618618p-5", "0x1.8618618618618p-5", "0x1.e79e79e79e79ep-3", "0x1.2492492492492p-3",
        "0x1.8618618618618p-4",
    ],
    "small/mrmr_mid_selected": [
        "0x0.0p+0", "0x1.0000000000000p+0", "0x1.8000000000000p+1",
    ],
    "small/mrmr_mid_criterion": [
        "0x1.86a8a1ccd87a0p-3", "0x1.4921afd23b700p-3", "0x1.48d21646b9c80p-6",
    ],
    "small/mrmr_jmi_selected": [
        "0x0.0p+0", "0x1.0000000000000p+0", "0x1.0000000000000p+1",
    ],
    "small/mrmr_jmi_criterion": [
        "0x1.86a8a1ccd87a0p-3", "0x1.7a50e01c46230p-2", "0x1.9f859b0b403b0p-2",
    ],
    "small/mrmr_cmim_selected": [
        "0x0.0p+0", "0x1.0000000000000p+0", "0x1.0000000000000p+1",
    ],
    "small/mrmr_cmim_criterion": [
        "0x1.86a8a1ccd87a0p-3", "0x1.745eb9b754065p-3", "0x1.d1388bd178a39p-5",
    ],
    "small/pairwise": [
        "nan", "0x0.0p+0", "0x1.a57aba0e3c800p-8", "0x1.815bad2729700p-6", "0x1.d2d42a296c300p-5", "0x0.0p+0", "nan",
        "0x1.2dc124937b400p-6", "0x1.a8a46ecceb400p-7", "0x1.d97088b9a5700p-5", "0x1.a57aba0e3c800p-8",
        "0x1.2dc124937b400p-6", "nan", "0x1.4ac4ec06e9100p-6", "0x1.4c19a32aa7080p-5", "0x1.815bad2729700p-6",
        "0x1.a8a46ecceb400p-7", "0x1.4ac4ec06e9100p-6", "nan", "0x0.0p+0", "0x1.d2d42a296c300p-5",
        "0x1.d97088b9a5700p-5", "0x1.4c19a32aa7080p-5", "0x0.0p+0", "nan",
    ],
    "small/splitter_thresholds": [
        "-0x1.6417b71a91623p-2", "-0x1.0b40823d340f3p-1", "-0x1.6089d08e406c8p-2", "-0x1.062c272b99f03p+1",
        "0x1.a99bac0499f1cp+0",
    ],
    "small/splitter_transform": [
        "0x1.0000000000000p+0", "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0",
        "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0", "0x0.0p+0",
        "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0",
        "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0",
        "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0",
        "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0",
        "0x0.0p+0", "0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0", "0x1.0000000000000p+0", "0x0.0p+0", "0x0.0p+0",
        "0x0.0p+0",
    ],
    "large/ksg_classif": [
        "0x1.844cff987a680p-3", "0x1.7698b54017900p-4", "0x1.f02f5bbafc000p-11",
    ],
    "large/ksg_regression": [
        "0x1.081a2f69aee40p-2", "0x1.dc99130df4800p-4", "0x1.d77d6cd518000p-9",
    ],
    "large/estimate_xyz": [
        "0x1.620199e09cea5p-2",
    ],
    "large/estimate_xy_alg2": [
        "0x1.d4a2c626eac60p-2",
    ],
    "large/estimate_mixed": [
        "0x1.f87e19aedbbb5p-4",
    ],
    "large/estimate_class": [
        "0x1.56f48aeff7aa0p-2",
    ],
}
