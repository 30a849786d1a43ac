"""Hardening: bad input, edge data, inputs left alone, determinism, threads,
property tests and a read-only installation, across every public estimator."""

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.base import clone
from sklearn.metrics import mutual_info_score
from sklearn.utils._param_validation import InvalidParameterError

from mifs import (
    InfoGainSplitter,
    KSGEstimator,
    MIClassifier,
    MIRanker,
    MRMRSelector,
    pairwise_mutual_information,
)

RNG = np.random.default_rng(0)
N = 120
X_GOOD = RNG.standard_normal((N, 3))
Y_CLASS = (X_GOOD[:, 0] + 0.5 * RNG.standard_normal(N) > 0).astype(int)


def estimators():
    """One small instance of every public estimator."""
    return {
        "KSGEstimator": KSGEstimator(random_state=0),
        "MIRanker": MIRanker(k=2, random_state=0),
        "MRMRSelector": MRMRSelector(2, random_state=0),
        "InfoGainSplitter": InfoGainSplitter(),
        "MIClassifier": MIClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
    }


NAMES = list(estimators())
MI_NAMES = ["KSGEstimator", "MIRanker", "MRMRSelector"]


def fit(name, X, y, **params):
    est = estimators()[name].set_params(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings of the tiny classifier
        return est.fit(X, y)


def result(est, X):
    """What a fitted estimator produces, for comparisons."""
    if isinstance(est, KSGEstimator):
        return est.mi_
    if isinstance(est, MIClassifier):
        return est.predict_proba(X)
    return est.transform(X)


# ------------------------------------------------------------- bad input

BAD = {
    "NaN": (np.where(np.arange(N * 3).reshape(N, 3) == 4, np.nan, X_GOOD), Y_CLASS, r"NaN"),
    "+inf": (np.where(np.arange(N * 3).reshape(N, 3) == 4, np.inf, X_GOOD), Y_CLASS, r"inf"),
    "-inf": (np.where(np.arange(N * 3).reshape(N, 3) == 4, -np.inf, X_GOOD), Y_CLASS, r"inf"),
    "empty X": (np.empty((0, 3)), np.empty(0), r"0 sample"),
    "3-D X": (X_GOOD.reshape(N, 3, 1), Y_CLASS, r"dim 3"),
    "complex": (X_GOOD + 1j, Y_CLASS, r"[Cc]omplex"),
    "y wrong length": (X_GOOD, Y_CLASS[:-1], r"(y has 119 samples but X has 120|inconsistent numbers of samples)"),
    "NaN in y": (X_GOOD, np.where(np.arange(N) == 3, np.nan, 1.0 * Y_CLASS), r"NaN"),
    "single class": (X_GOOD, np.ones(N, int), r"1 class"),
    "one sample": (X_GOOD[:1], Y_CLASS[:1], r"(n_samples = 1|1 sample|1 class|one sample)"),
}


# a pure or one-sample node is valid input for a splitter (see the test below)
VALID_FOR_SPLITTER = {"single class", "one sample"}


@pytest.mark.parametrize(
    "name, case",
    [(n, c) for n in NAMES for c in BAD if not (n == "InfoGainSplitter" and c in VALID_FOR_SPLITTER)],
)
def test_bad_input_raises_a_clear_error(name, case):
    X, y, message = BAD[case]
    with pytest.raises((ValueError, TypeError), match=message):
        fit(name, X, y)


def test_splitter_on_a_pure_or_single_sample_node():
    for X, y in ((X_GOOD, np.ones(N, int)), (X_GOOD[:1], Y_CLASS[:1])):
        split = InfoGainSplitter().fit(X, y)
        assert split.best_gain_ == 0.0 and all(c.size == 0 for c in split.cut_points_)


@pytest.mark.parametrize("name", MI_NAMES)
def test_fewer_samples_than_neighbours(name):
    with pytest.raises(ValueError, match="n_neighbors=3 needs at least 4 samples"):
        fit(name, X_GOOD[:3], Y_CLASS[:3])


@pytest.mark.parametrize(
    "name, params",
    [
        ("KSGEstimator", {"n_neighbors": 0}),
        ("KSGEstimator", {"algorithm": 3}),
        ("KSGEstimator", {"missing_values": "drop"}),
        ("MIRanker", {"k": -1}),
        ("MIRanker", {"alpha": 2.0}),
        ("MRMRSelector", {"criterion": "mrmr"}),
        ("MRMRSelector", {"n_features_to_select": 0}),
        ("InfoGainSplitter", {"criterion": "log_loss"}),
        ("MIClassifier", {"loss": "hinge"}),
    ],
)
def test_unknown_parameter_values_name_the_parameter(name, params):
    (param,) = params
    with pytest.raises(InvalidParameterError, match=param):
        fit(name, X_GOOD, Y_CLASS, **params)


@pytest.mark.parametrize("name", ["MIRanker", "MRMRSelector"])
def test_asking_for_more_features_than_there_are_warns_and_keeps_all(name):
    est = estimators()[name].set_params(**{"k" if name == "MIRanker" else "n_features_to_select": 5})
    with pytest.warns(UserWarning, match="greater than n_features=3"):
        est.fit(X_GOOD, Y_CLASS)
    assert est.get_support().all()


def test_no_kernel_error_ever_reaches_the_user():
    """Validation happens before the kernels: the errors above are ours, and a
    string column that cannot be continuous is refused up front."""
    X = np.array([["a", 1.0], ["b", 2.0]] * 10, dtype=object)
    with pytest.raises(ValueError, match="labels.*cannot be treated as continuous"):
        KSGEstimator(discrete_features=[False, False]).fit(X, np.arange(20) % 2)


# ------------------------------------------------------------- edge data


def test_constant_columns_score_zero():
    X = np.column_stack([np.full(N, 2.5), X_GOOD[:, 0], np.zeros(N)])
    assert KSGEstimator(random_state=0).fit(X, Y_CLASS).mi_[[0, 2]].tolist() == [0.0, 0.0]
    with pytest.warns(UserWarning, match="Column 1 of X is treated as discrete but has 120 distinct values"):
        assert KSGEstimator(discrete_features=True).fit(X, Y_CLASS).mi_[[0, 2]].tolist() == [0.0, 0.0]
    assert MIRanker(k=1, random_state=0).fit(X, Y_CLASS).scores_[[0, 2]].tolist() == [0.0, 0.0]
    assert MRMRSelector(1, random_state=0).fit(X, Y_CLASS).scores_[[0, 2]].tolist() == [0.0, 0.0]
    assert InfoGainSplitter().fit(X, Y_CLASS).gains_[[0, 2]].tolist() == [0.0, 0.0]


def test_duplicated_rows():
    """Discrete plug-in estimates do not change when every row is repeated;
    continuous ones stay finite (exact duplicates are point masses, Gao's rule)."""
    Xd = RNG.integers(0, 4, (N, 3))
    once = KSGEstimator().fit(Xd, Y_CLASS).mi_
    np.testing.assert_allclose(KSGEstimator().fit(np.tile(Xd, (3, 1)), np.tile(Y_CLASS, 3)).mi_, once, atol=1e-12)
    twice = KSGEstimator(random_state=0).fit(np.tile(X_GOOD, (2, 1)), np.tile(Y_CLASS, 2)).mi_
    assert np.isfinite(twice).all() and (twice >= 0).all()


def test_all_tied_columns():
    X = np.column_stack([np.repeat([0.5, 1.5], N // 2), np.repeat([1.0, 2.0, 3.0, 4.0], N // 4)])
    est = KSGEstimator(discrete_features=False, random_state=0).fit(X, Y_CLASS)
    plug_in = [mutual_info_score(np.unique(X[:, j], return_inverse=True)[1], Y_CLASS) for j in range(2)]
    assert np.isfinite(est.mi_).all()
    np.testing.assert_allclose(est.mi_, plug_in, atol=0.05)  # Gao's rule on pure atoms is close to plug-in


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e150, 1e300])
def test_huge_and_tiny_scales(scale):
    ref = KSGEstimator(random_state=0).fit(X_GOOD, Y_CLASS).mi_
    np.testing.assert_allclose(KSGEstimator(random_state=0).fit(X_GOOD * scale, Y_CLASS).mi_, ref, atol=1e-9)
    y = X_GOOD[:, 0] + RNG.standard_normal(N)
    ref = KSGEstimator(random_state=0).fit(X_GOOD, y).mi_
    np.testing.assert_allclose(KSGEstimator(random_state=0).fit(X_GOOD, y * scale).mi_, ref, atol=1e-9)
    splitter = InfoGainSplitter().fit(X_GOOD * scale, Y_CLASS)
    assert splitter.best_feature_ == InfoGainSplitter().fit(X_GOOD, Y_CLASS).best_feature_
    assert np.isfinite(splitter.thresholds_).all()


@pytest.mark.parametrize("name", NAMES)
def test_dtypes_layouts_and_memory_maps(name, tmp_path):
    ref = result(fit(name, X_GOOD, Y_CLASS), X_GOOD)
    f32 = X_GOOD.astype(np.float32)
    ref32 = result(fit(name, f32.astype(np.float64), Y_CLASS), X_GOOD)
    np.testing.assert_allclose(result(fit(name, f32, Y_CLASS), f32), ref32, atol=1e-6)
    np.testing.assert_array_equal(result(fit(name, np.asfortranarray(X_GOOD), Y_CLASS), X_GOOD), ref)
    ro = X_GOOD.copy()
    ro.setflags(write=False)
    np.testing.assert_array_equal(result(fit(name, ro, Y_CLASS), ro), ref)
    path = tmp_path / "X.npy"
    np.save(path, X_GOOD)
    mm = np.load(path, mmap_mode="r")
    np.testing.assert_array_equal(result(fit(name, mm, Y_CLASS), mm), ref)
    ints = RNG.integers(0, 3, (N, 3))
    fit(name, ints, Y_CLASS)
    fit(name, ints.astype(bool), Y_CLASS)
    single = fit(name, X_GOOD[:, :1], Y_CLASS)
    assert single.n_features_in_ == 1


def test_integer_and_bool_columns_are_discrete_and_plug_in():
    ints = RNG.integers(0, 3, (N, 2))
    X = np.column_stack([ints, ints[:, 0] > 0])
    for data in (ints, X.astype(bool)):
        est = KSGEstimator().fit(data, Y_CLASS)
        assert est.discrete_features_.all()
        np.testing.assert_allclose(est.mi_, [mutual_info_score(c, Y_CLASS) for c in data.T], atol=1e-12)


def test_pandas_categorical_and_nullable_dtypes():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "f": pd.array(X_GOOD[:, 0], dtype="Float64"),
            "i": pd.array(RNG.integers(0, 3, N), dtype="Int64"),
            "b": pd.array(RNG.random(N) < 0.5, dtype="boolean"),
            "c": pd.Categorical(RNG.choice(["x", "y", "z"], N)),
            "s": pd.array(RNG.choice(["p", "q"], N), dtype="string"),
        }
    )
    est = KSGEstimator(random_state=0).fit(df, Y_CLASS)
    np.testing.assert_array_equal(est.discrete_features_, [False, True, True, True, True])
    np.testing.assert_allclose(est.mi_[3], mutual_info_score(df["c"], Y_CLASS), atol=1e-12)
    for name in MI_NAMES:
        fit(name, df, Y_CLASS)
    numeric = df[["f", "i", "b"]]
    for name in ("InfoGainSplitter", "MIClassifier"):
        fit(name, numeric, Y_CLASS)


# ------------------------------------------------------ inputs and results


@pytest.mark.parametrize("name", NAMES)
def test_inputs_are_never_modified(name):
    X = X_GOOD.copy()
    y = Y_CLASS.copy()
    est = fit(name, X, y)
    result(est, X)
    np.testing.assert_array_equal(X, X_GOOD)
    np.testing.assert_array_equal(y, Y_CLASS)
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X_GOOD, columns=["a", "b", "c"])
    before = df.copy()
    result(fit(name, df, pd.Series(Y_CLASS)), df)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("name", NAMES)
def test_pickle_and_clone_give_the_same_results(name):
    est = fit(name, X_GOOD, Y_CLASS)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(result(restored, X_GOOD), result(est, X_GOOD))
    refit = clone(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refit.fit(X_GOOD, Y_CLASS)
    np.testing.assert_array_equal(result(refit, X_GOOD), result(est, X_GOOD))


@pytest.mark.parametrize("name", ["KSGEstimator", "MIRanker", "MRMRSelector", "InfoGainSplitter"])
def test_bit_identical_for_any_n_jobs(name):
    X = np.round(RNG.standard_normal((300, 6)), 1)  # ties: the jitter matters
    y = X[:, 0] + X[:, 1] + RNG.standard_normal(300)
    y_class = (y > 0).astype(int)
    target = y_class if name == "InfoGainSplitter" else y
    runs = [result(fit(name, X, target, n_jobs=j), X) for j in (1, 2, -1)]
    for other in runs[1:]:
        np.testing.assert_array_equal(other, runs[0])


def test_two_threads_fitting_at_once_match_sequential_fits():
    X = RNG.standard_normal((400, 5))
    y = X[:, 0] + RNG.standard_normal(400)
    jobs = {
        "ksg": lambda: KSGEstimator(random_state=1).fit(X, y).mi_,
        "mrmr": lambda: MRMRSelector(3, criterion="jmi", random_state=2).fit(X, y).criterion_,
        "ranker": lambda: MIRanker(k=2, n_permutations=5, random_state=3).fit(X, y).pvalues_,
        "pairwise": lambda: pairwise_mutual_information(X, estimator=KSGEstimator(random_state=4)),
    }
    sequential = {key: job() for key, job in jobs.items()}
    threaded = {}

    def run(key):
        threaded[key] = jobs[key]()

    threads = [threading.Thread(target=run, args=(key,)) for key in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for key in jobs:
        np.testing.assert_array_equal(threaded[key], sequential[key])


# ----------------------------------------------------------- property tests

shapes = st.tuples(st.integers(8, 60), st.integers(1, 4))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_]))
def test_scores_are_finite_and_non_negative(data, shape, dtype):
    if dtype is np.bool_:
        elements = st.booleans()
    elif np.issubdtype(dtype, np.integer):
        elements = st.integers(-5, 5)
    else:
        elements = st.floats(-1e6, 1e6, allow_nan=False, width=32)
    X = data.draw(hnp.arrays(dtype, shape, elements=elements))
    y = data.draw(hnp.arrays(np.int64, shape[0], elements=st.integers(0, 2)))
    if len(np.unique(y)) < 2:
        y[0] = 1 - y[0] % 2 if y[0] != 1 else 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mi = KSGEstimator(random_state=0).fit(X, y).mi_
    assert np.isfinite(mi).all() and (mi >= 0).all()


@settings(max_examples=40, deadline=None)
@given(
    codes=hnp.arrays(np.int64, st.integers(10, 80), elements=st.integers(0, 4)),
    labels=hnp.arrays(np.int64, 5, elements=st.integers(-1000, 1000), unique=True),
    seed=st.integers(0, 1000),
)
def test_discrete_mi_invariances(codes, labels, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, codes.size)
    if len(np.unique(y)) < 2:
        return
    est = KSGEstimator(discrete_features=True)  # "auto" may call 5 codes in 11 rows continuous
    base = est.fit(codes[:, None], y).mi_[0]
    relabelled = np.sort(labels)[codes]  # a strictly monotone map of the values
    assert est.fit(relabelled[:, None], y).mi_[0] == pytest.approx(base, abs=1e-12)
    perm = rng.permutation(codes.size)  # rows permuted together
    assert est.fit(codes[perm, None], y[perm]).mi_[0] == pytest.approx(base, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.integers(2, 5))
def test_permuting_columns_permutes_the_scores(seed, p):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, (80, p))
    y = (X[:, 0] + rng.integers(0, 2, 80)) % 3
    order = rng.permutation(p)
    mi = KSGEstimator().fit(X, y).mi_
    np.testing.assert_allclose(KSGEstimator().fit(X[:, order], y).mi_, mi[order], atol=1e-12)


# ------------------------------------------------- a read-only installation


def test_cache_location_falls_back_then_turns_caching_off(monkeypatch):
    import mifs._kernels as kernels

    monkeypatch.setattr(kernels.config, "CACHE_DIR", kernels.config.CACHE_DIR)
    tmp = tempfile.gettempdir()
    monkeypatch.setattr(kernels, "_writable", lambda path: path.startswith(tmp) and "mifs-numba-cache" in path)
    assert kernels._cache_location("/read-only/site-packages/mifs/_kernels") is True
    assert "mifs-numba-cache" in kernels.config.CACHE_DIR
    monkeypatch.setattr(kernels, "_writable", lambda path: False)
    assert kernels._cache_location("/read-only/site-packages/mifs/_kernels") is False


def test_read_only_installation_imports_and_fits(tmp_path):
    """Install the package into a read-only folder and run it where neither the
    package's __pycache__ nor the home cache can be written (blocked by files,
    which stops even root), with NUMBA_CACHE_DIR unset."""
    import mifs

    site = tmp_path / "site"
    shutil.copytree(os.path.dirname(mifs.__file__), site / "mifs", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in (site / "mifs", site / "mifs" / "_kernels"):
        (folder / "__pycache__").write_text("not a folder")
    (tmp_path / "home").write_text("not a folder either")
    temp = tmp_path / "tmp"
    temp.mkdir()
    for root, dirs, files in os.walk(site):
        for entry in dirs + files:
            os.chmod(os.path.join(root, entry), 0o555 if entry in dirs else 0o444)
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH")}
    env.update(HOME=str(tmp_path / "home" / "x"), TMPDIR=str(temp), PYTHONPATH=str(site))
    code = (
        "import numpy as np, mifs, numba.core.config as c; "
        "assert mifs.__file__.startswith(%r); "
        "X = np.random.default_rng(0).standard_normal((200, 3)); y = X[:, 0] > 0; "
        "print(mifs.KSGEstimator(random_state=0).fit(X, y).mi_.round(6).tolist()); "
        "mifs.MRMRSelector(2, criterion='jmi').fit(X, y); mifs.InfoGainSplitter().fit(X, y); "
        "print(c.CACHE_DIR)" % str(site)
    )
    try:
        # run outside the repository: ``python -c`` puts the working folder first on sys.path
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=temp, capture_output=True, text=True, timeout=600
        )
    finally:
        for root, dirs, files in os.walk(site):
            for entry in dirs + files:
                os.chmod(os.path.join(root, entry), 0o755)
    assert proc.returncode == 0, proc.stderr[-2000:]
    mi_line, cache_line = proc.stdout.strip().splitlines()[-2:]
    X = np.random.default_rng(0).standard_normal((200, 3))
    np.testing.assert_allclose(eval(mi_line), KSGEstimator(random_state=0).fit(X, X[:, 0] > 0).mi_, atol=1e-6)
    assert cache_line.startswith(str(temp)) and os.listdir(cache_line)  # compiled kernels were cached there
