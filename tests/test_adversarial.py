"""Bugs found by an adversarial run (issue #12, part 5), each with its test,
and the numba cache items of part 4 (corrupt cache files, the compile notice).

References are ones we did not write: scikit-learn's estimators, closed
forms, and brute-force counts from the definitions.
"""

import math
import os
import pickle
import pkgutil
import shutil
import subprocess
import sys
import warnings
from collections import Counter
from importlib import import_module

import numpy as np
import pytest
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression
from sklearn.metrics import mutual_info_score
from sklearn.utils._param_validation import InvalidParameterError

import mifs._kernels as kernels
from mifs import InfoGainSplitter, KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information
from mifs._engine import prepare_continuous
from mifs._kernels import discrete

# --------------------------------------------------------------------------
# Scale must not matter: subnormal to huge columns
# --------------------------------------------------------------------------

N = 300
#: Values are whole numbers below 2**36 in magnitude: fine enough that no two
#: distances coincide (scikit-learn, with its own jitter, agrees to 1e-10),
#: small enough that their products with the subnormal scales below are
#: exact (5e-320 is 10120 * 2**-1074; 2**-1060 is 2**14 * 2**-1074).
BITS = 36


def _whole(rng, n=N):
    return rng.integers(-(2**BITS), 2**BITS, n).astype(np.float64)


RNG = np.random.default_rng(3)
X1 = _whole(RNG)
Y1 = X1 + _whole(RNG)
Z1 = _whole(RNG)
X_SCALE = np.column_stack([X1, Z1, _whole(RNG)])
Y_CLASS = (X1 > 0).astype(int) + (Z1 > 2 ** (BITS - 1))
assert all(len(np.unique(c)) == N for c in (*X_SCALE.T, Y1))

#: Powers of two scale exactly: the results must be bit-for-bit those at 1.
#: 2**-1060 and 5e-320 make every value subnormal (largest |x| below
#: 2.2e-308); 1e-310 some of them; the others are rounded, not exact.
EXACT_SCALES = [2.0**-1000, 2.0**-1060, 2.0**960]
ROUNDED_SCALES = [1e-300, 1e-310, 5e-320, 1e290]
assert np.abs(5e-320 * Y1).max() < np.finfo(np.float64).smallest_normal
assert np.array_equal(5e-320 * Y1 / 5e-320, Y1)  # exact


def _all_estimates(a):
    # the data are whole numbers at scale 1: say they are measurements, as the
    # rule of "auto" tells whole numbers (class labels) from the rest
    est = KSGEstimator(discrete_features=False, discrete_target=False, random_state=0)
    cls = KSGEstimator(discrete_features=False, random_state=0)
    alg2 = KSGEstimator(algorithm=2, discrete_features=False, discrete_target=False, random_state=0)
    return {
        "continuous target": est.fit(a * X_SCALE, a * Y1).mi_,
        "subnormal target only": est.fit(X_SCALE, a * Y1).mi_,
        "class target": cls.fit(a * X_SCALE, Y_CLASS).mi_,
        "algorithm 2": alg2.fit(a * X_SCALE, a * Y1).mi_,
        "pairwise": pairwise_mutual_information(a * X_SCALE, estimator=est, random_state=0),
        "estimate(x, y, z)": np.array([est.estimate(a * X1, a * Y1, a * Z1, discrete=False)]),
        "estimate of sets": np.array([est.estimate(a * X_SCALE[:, :2], a * Y1, discrete=False)]),
        "mixed sets": np.array([est.estimate(a * X1, Y_CLASS, a * Z1, discrete=(False, True, False))]),
    }


REFERENCE = _all_estimates(1.0)


def test_reference_scale_matches_scikit_learn():
    """At scale 1 the estimates are scikit-learn's (tie-free data)."""
    np.testing.assert_allclose(
        REFERENCE["continuous target"], mutual_info_regression(X_SCALE, Y1, random_state=0), rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(
        REFERENCE["class target"], mutual_info_classif(X_SCALE, Y_CLASS, random_state=0), rtol=0, atol=1e-10
    )
    assert REFERENCE["continuous target"][0] > 0.3  # the data carry information: a scale bug would show


@pytest.mark.parametrize("a", EXACT_SCALES + ROUNDED_SCALES)
def test_estimates_do_not_depend_on_scale(a):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow, no invalid value on the way
        got = _all_estimates(a)
    for what, ref in REFERENCE.items():
        assert np.isfinite(got[what][~np.isnan(ref)]).all(), what
        if a in EXACT_SCALES:
            np.testing.assert_array_equal(got[what], ref, err_msg=what)
        else:
            np.testing.assert_allclose(got[what], ref, rtol=0, atol=1e-12, err_msg=what)


def test_subnormal_column_is_not_constant_and_keeps_its_order():
    col = prepare_continuous(5e-324 * np.arange(1.0, 41.0), jitter=0.0, rng=None)
    assert not col.constant and col.n_codes == 40
    np.testing.assert_array_equal(col.order, np.arange(40))
    ref = np.arange(1.0, 41.0) / np.std(np.arange(1.0, 41.0))
    np.testing.assert_allclose(col.values, ref, rtol=1e-15)


def test_ties_are_exact_equality_of_raw_values_across_600_decades():
    """Scaling a column that spans 1e-300 .. 1e300 underflows its smallest
    values; their tie groups still follow the raw values."""
    rng = np.random.default_rng(0)
    raw = np.concatenate([[1e300, -1e300], rng.integers(1, 30, 200) * 1e-300])
    col = prepare_continuous(raw, 1e-10, rng)
    assert col.n_codes == len(np.unique(raw))
    for code in range(col.n_codes):
        assert len(np.unique(raw[col.codes == code])) == 1


@pytest.mark.parametrize("a", [2.0**-1060, 5e-320, 1e290])
def test_splitter_does_not_depend_on_scale(a):
    ref = InfoGainSplitter().fit(X_SCALE, Y_CLASS)
    got = InfoGainSplitter().fit(a * X_SCALE, Y_CLASS)
    assert ref.gains_.min() > 0
    np.testing.assert_array_equal(got.gains_, ref.gains_)
    np.testing.assert_allclose(got.thresholds_ / a, ref.thresholds_, rtol=1e-15)


def test_huge_columns_do_not_warn():
    X = np.random.default_rng(0).standard_normal((400, 3)) * 1e307
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        mi = KSGEstimator(random_state=0).fit(X, X[:, 0] / 1e307).mi_
    assert np.isfinite(mi).all()


# --------------------------------------------------------------------------
# Plug-in conditional MI with key spaces beyond int64
# --------------------------------------------------------------------------


def brute_cmi(x, y, z):
    """I(X; Y | Z) of the empirical distribution, from its definition."""
    n = len(x)
    xyz, xz, yz, zc = Counter(zip(x, y, z)), Counter(zip(x, z)), Counter(zip(y, z)), Counter(z)
    return sum(c / n * math.log(c * zc[k] / (xz[i, k] * yz[j, k])) for (i, j, k), c in xyz.items())


def _codes(rng, n=400):
    z = rng.integers(0, 4, n)
    x = rng.integers(0, 6, n)
    y = (x + z + rng.integers(0, 3, n)) % 5
    return x, y, z


def test_plugin_cmi_with_level_counts_whose_product_overflows_int64():
    """Nominal level counts of 2**40 each: the key spaces (2**80, 2**120)
    overflow int64 at any n; the combinations are re-coded by sorting."""
    x, y, z = _codes(np.random.default_rng(0))
    big = 2**40
    assert discrete.plugin_cmi(x, big, y, big, z, big) == pytest.approx(brute_cmi(x, y, z), abs=1e-12)
    assert discrete.plugin_mi(x, big, y, 2**62) == pytest.approx(mutual_info_score(x, y), abs=1e-12)


@pytest.mark.parametrize("limit", [1, 24, 30])
def test_recoded_joint_matches_the_dense_table(monkeypatch, limit):
    """Lowering the key-space limit forces the sorting path for some (24, 30:
    the pairs but not the codes) or all (1) of the joints."""
    rng = np.random.default_rng(1)
    for _ in range(5):
        x, y, z = _codes(rng)
        dense = discrete.plugin_cmi(x, 6, y, 5, z, 4)
        dense_mi = discrete.plugin_mi(x, 6, y, 5)
        monkeypatch.setattr(discrete, "KEY_LIMIT", limit)
        np.testing.assert_allclose(discrete.plugin_cmi(x, 6, y, 5, z, 4), dense, rtol=0, atol=1e-13)
        np.testing.assert_allclose(discrete.plugin_mi(x, 6, y, 5), dense_mi, rtol=0, atol=1e-13)
        assert dense == pytest.approx(brute_cmi(x, y, z), abs=1e-12)
        monkeypatch.undo()


def test_dense_pairs_are_the_lexicographic_codes_of_the_pairs():
    rng = np.random.default_rng(2)
    for n in (1, 2, 50, 500):
        a, b = rng.integers(0, 9, n), rng.integers(0, 4, n)
        codes, m = discrete._dense_pairs(a, b)
        uniques, inverse = np.unique(np.column_stack([a, b]), axis=0, return_inverse=True)
        assert m == len(uniques)
        np.testing.assert_array_equal(codes, inverse.ravel())


def test_public_paths_through_the_recoded_joint(monkeypatch):
    """estimate(x, y, z) and MRMRSelector(criterion="cmim") reach the plug-in
    CMI; with every joint re-coded they give the same numbers."""
    rng = np.random.default_rng(3)
    x, y, z = _codes(rng)
    X = np.column_stack([x, z, rng.integers(0, 3, 400), (x + rng.integers(0, 2, 400)) % 6])
    est = KSGEstimator(clip=False)
    value = est.estimate(x, y, z, discrete=True)
    sel = MRMRSelector(3, criterion="cmim", estimator=KSGEstimator(discrete_features=True)).fit(X, y)
    monkeypatch.setattr(discrete, "KEY_LIMIT", 1)
    assert est.estimate(x, y, z, discrete=True) == pytest.approx(brute_cmi(x, y, z), abs=1e-12)
    assert value == pytest.approx(brute_cmi(x, y, z), abs=1e-12)
    again = MRMRSelector(3, criterion="cmim", estimator=KSGEstimator(discrete_features=True)).fit(X, y)
    np.testing.assert_array_equal(again.selected_features_, sel.selected_features_)
    np.testing.assert_allclose(again.criterion_, sel.criterion_, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------
# Nested estimators are validated
# --------------------------------------------------------------------------

X_SMALL = np.random.default_rng(4).standard_normal((80, 3))
Y_SMALL = X_SMALL[:, 0] + 0.3 * np.random.default_rng(5).standard_normal(80)

ENTRY_POINTS = {
    "MIRanker": lambda est: MIRanker(est, k=1).fit(X_SMALL, Y_SMALL),
    "MIRanker with permutations": lambda est: MIRanker(est, k=1, n_permutations=3).fit(X_SMALL, Y_SMALL),
    "MRMRSelector": lambda est: MRMRSelector(2, estimator=est).fit(X_SMALL, Y_SMALL),
    "pairwise_mutual_information": lambda est: pairwise_mutual_information(X_SMALL, estimator=est),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("bad", [{"algorithm": 3}, {"n_neighbors": 0}, {"jitter": -1.0}])
def test_nested_estimator_parameters_are_validated(entry, bad):
    (name,) = bad
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of KSGEstimator"):
        ENTRY_POINTS[entry](KSGEstimator(**bad))


def test_nested_estimator_set_through_set_params_is_validated():
    ranker = MIRanker(KSGEstimator(), k=1).set_params(estimator__algorithm=3)
    with pytest.raises(InvalidParameterError, match="'algorithm'"):
        ranker.fit(X_SMALL, Y_SMALL)


# --------------------------------------------------------------------------
# threshold="significant" with too few permutations
# --------------------------------------------------------------------------


@pytest.mark.parametrize("alpha, least", [(0.05, 20), (0.1, 10), (0.2, 5), (0.051, 19)])
def test_significance_needs_enough_permutations(alpha, least):
    """With B permutations the smallest p-value is 1 / (1 + B); when it is not
    below alpha nothing can be selected, which is an error naming the least B."""
    with pytest.raises(ValueError, match=f"n_permutations >= {least}"):
        MIRanker(threshold="significant", n_permutations=least - 1, alpha=alpha).fit(X_SMALL, Y_SMALL)
    with pytest.raises(ValueError, match=f"at least {least}"):
        MIRanker(threshold="significant", alpha=alpha).fit(X_SMALL, Y_SMALL)
    # the error is not over-eager: least - 1 permutations give at best 1 / least, not below alpha ...
    p = MIRanker(k=1, n_permutations=least - 1, alpha=alpha, random_state=0).fit(X_SMALL, Y_SMALL).pvalues_
    assert p.min() == 1.0 / least and not p.min() < alpha
    # ... and with `least` the informative feature is selected
    ranker = MIRanker(threshold="significant", n_permutations=least, alpha=alpha, random_state=0)
    assert ranker.fit(X_SMALL, Y_SMALL).get_support()[0]


# --------------------------------------------------------------------------
# pairwise_mutual_information(random_state=...)
# --------------------------------------------------------------------------


def test_pairwise_random_state_makes_tied_data_reproducible():
    rng = np.random.default_rng(6)
    X = np.round(rng.standard_normal((300, 4)), 1)  # rounded: ties everywhere
    X[:, 1] += X[:, 0]
    first = pairwise_mutual_information(X, random_state=0)
    np.testing.assert_array_equal(pairwise_mutual_information(X, random_state=0), first)
    np.testing.assert_array_equal(pairwise_mutual_information(X, random_state=0, n_jobs=2), first)
    # it replaces the estimator's seed, and it is used: another seed moves the tied estimates
    np.testing.assert_array_equal(
        pairwise_mutual_information(X, estimator=KSGEstimator(random_state=7), random_state=0), first
    )
    other = pairwise_mutual_information(X, random_state=1)
    assert np.nanmax(np.abs(other - first)) > 1e-6
    np.testing.assert_array_equal(
        pairwise_mutual_information(X, estimator=KSGEstimator(random_state=1)), other
    )


# --------------------------------------------------------------------------
# numba cache: the compile notice and corrupt files (subprocesses)
# --------------------------------------------------------------------------

#: A fit that compiles a few small kernels, after a numba function of its own.
FIT_SCRIPT = """
import sys
import numba
import numpy as np

@numba.njit
def not_ours(x):
    return x + 1

not_ours(1)
print("-- fit --", file=sys.stderr, flush=True)
from mifs import KSGEstimator
rng = np.random.default_rng(0)
X = rng.integers(0, 4, (200, 2))
y = (X[:, 0] + rng.integers(0, 2, 200)) % 3
print(repr(KSGEstimator(discrete_features=True).fit(X, y).mi_.tolist()))
"""


def _run(cache_dir, script=FIT_SCRIPT):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS",)}
    env["NUMBA_CACHE_DIR"] = str(cache_dir)
    return subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(proc):
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    return out.strip().splitlines()[-1], err


@pytest.fixture(scope="module")
def populated_cache(tmp_path_factory):
    """A cache folder filled by one cold run; the run's result and stderr."""
    cache = tmp_path_factory.mktemp("numba-cache")
    result, err = _finish(_run(cache))
    return cache, result, err


def _cache_files(folder):
    return [os.path.join(root, f) for root, _, files in os.walk(folder) for f in files if f.endswith((".nbi", ".nbc"))]


def test_compile_notice_once_on_a_cold_cache_and_never_when_warm(populated_cache):
    cache, result, cold_err = populated_cache
    assert cold_err.count(kernels.NOTICE) == 1
    # numba functions of other packages do not trigger it
    assert cold_err.index("-- fit --") < cold_err.index(kernels.NOTICE)
    assert _cache_files(cache)
    warm_result, warm_err = _finish(_run(cache))
    assert warm_result == result
    assert "mifs:" not in warm_err and "Warning" not in warm_err


def _garbage(path):
    with open(path, "wb") as f:  # 0x00 is no pickle opcode: unpickling fails at once
        f.write(b"\x00" + np.random.default_rng(0).bytes(255))


def _empty(path):
    open(path, "wb").close()


def _wrong_pickle(path):
    with open(path, "wb") as f:  # a valid pickle, but not a compiled kernel
        pickle.dump(("not", "a", "kernel"), f)


def _corrupt_all_garbage(folder):
    for path in _cache_files(folder):
        _garbage(path)


def _corrupt_mixed(folder):
    """One kind of damage per kernel: both files empty; a valid index and a
    data file that unpickles to something else; a valid index and garbage data."""
    files = sorted(_cache_files(folder))
    kernels_ = sorted({os.path.basename(f).split("-")[0] for f in files})
    assert len(kernels_) >= 3, files
    damage = [
        lambda f: _empty(f),
        lambda f: f.endswith(".nbc") and _wrong_pickle(f),
        lambda f: f.endswith(".nbc") and _garbage(f),
    ]
    for name, hurt in zip(kernels_, damage):
        for f in files:
            if os.path.basename(f).split("-")[0] == name:
                hurt(f)


def test_corrupt_cache_files_are_recompiled_with_one_warning(populated_cache, tmp_path):
    """Every .nbi and .nbc garbage; or, in another folder, files empty or
    holding the wrong data: the fit recompiles, gives the same result, warns
    once naming the folder, and the next run loads the fresh cache silently
    (a compilation would print the notice)."""
    cache, result, _ = populated_cache
    folders = {}
    for name, corrupt in {"garbage": _corrupt_all_garbage, "mixed": _corrupt_mixed}.items():
        folders[name] = tmp_path / name
        shutil.copytree(cache, folders[name])
        corrupt(folders[name])
    procs = {name: _run(folder) for name, folder in folders.items()}  # in parallel: each recompiles
    for name, proc in procs.items():
        got, err = _finish(proc)
        assert got == result, name
        warned = [line for line in err.splitlines() if "RuntimeWarning" in line]
        assert len(warned) == 1, (name, err)
        assert str(folders[name]) in warned[0] and "recompiled" in warned[0], name
    got, err = _finish(_run(folders["mixed"]))
    assert got == result
    assert "mifs:" not in err and "Warning" not in err


def test_every_cached_kernel_recovers_from_corrupt_files():
    """Structural: each kernel module hands its kernels the recovering cache
    (a new kernel module that forgets ``recover_corrupt_cache`` fails here)."""
    from numba.core.dispatcher import Dispatcher

    if not kernels.CACHE:
        pytest.skip("caching is off")
    n_kernels = 0
    for info in pkgutil.iter_modules(kernels.__path__):
        module = import_module(f"{kernels.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, Dispatcher) and obj.py_func.__module__ == module.__name__:
                assert isinstance(obj._cache, kernels._RecoveringCache), f"{module.__name__}.{obj.__name__}"
                n_kernels += 1
    assert n_kernels > 20
