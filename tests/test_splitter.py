"""Tests for InfoGainSplitter and its kernels.

References used here: scikit-learn's DecisionTreeClassifier (root splits and
one-feature stumps), a brute-force split search written with plain numpy
entropies, and a brute-force Fayyad & Irani recursion in bits.
"""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import (
    check_global_output_transform_pandas,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
)

from mifs import InfoGainSplitter
from mifs._kernels import splits as kernels
from mifs._splitter import NodeSplit

CRITERIA = ["entropy", "gini", "gain_ratio"]


# --------------------------------------------------------------------------
# references


def _entropy(counts: np.ndarray, log=np.log) -> float:
    counts = np.asarray(counts, dtype=float)
    p = counts[counts > 0] / counts.sum()
    return float(-np.sum(p * log(p)))


def _gini(counts: np.ndarray) -> float:
    p = np.asarray(counts, dtype=float) / np.sum(counts)
    return float(1.0 - np.sum(p * p))


def _ref_score(left: np.ndarray, right: np.ndarray, criterion: str) -> float:
    n_l, n_r = left.sum(), right.sum()
    n = n_l + n_r
    if criterion == "gini":
        return _gini(left + right) - (n_l * _gini(left) + n_r * _gini(right)) / n
    gain = _entropy(left + right) - (n_l * _entropy(left) + n_r * _entropy(right)) / n
    if criterion == "gain_ratio":
        return gain / _entropy(np.array([n_l, n_r]))
    return gain


def _ref_candidates(x, y, w, n_classes, criterion, min_leaf):
    """Every admissible threshold of one feature with its score, brute force."""
    values = np.unique(x)
    out = []
    for a, b in zip(values[:-1], values[1:]):
        t = a / 2 + b / 2
        if t >= b:
            t = a
        left = x <= t
        if left.sum() < min_leaf or (~left).sum() < min_leaf:
            continue
        lc = np.bincount(y[left], w[left], minlength=n_classes)
        rc = np.bincount(y[~left], w[~left], minlength=n_classes)
        out.append((t, _ref_score(lc, rc, criterion)))
    return out


def _ref_best(x, y, w, n_classes, criterion, min_leaf, rtol=1e-10):
    """(threshold, score) of the first threshold whose score is maximal."""
    cands = _ref_candidates(x, y, w, n_classes, criterion, min_leaf)
    if not cands:
        return np.nan, -np.inf
    top = max(s for _, s in cands)
    tol = rtol * max(1.0, abs(top))
    return next((t, s) for t, s in cands if s >= top - tol)


def _ref_mdl_accepts(lc: np.ndarray, rc: np.ndarray) -> bool:
    """Fayyad & Irani's MDLP criterion, literally, in bits."""
    s = lc + rc
    n, n_l, n_r = s.sum(), lc.sum(), rc.sum()
    ent_s, ent_1, ent_2 = (_entropy(c, np.log2) for c in (s, lc, rc))
    gain = ent_s - (n_l * ent_1 + n_r * ent_2) / n
    k, k1, k2 = (int(np.count_nonzero(c)) for c in (s, lc, rc))
    delta = np.log2(3.0**k - 2) - (k * ent_s - k1 * ent_1 - k2 * ent_2)
    return bool(gain > np.log2(n - 1) / n + delta / n)


def _ref_cuts(x, y, w, n_classes, criterion, min_leaf, stopping, max_bins):
    """Recursive (or best-first when max_bins is set) discretisation, brute force."""

    def candidate(idx):
        t, s = _ref_best(x[idx], y[idx], w[idx], n_classes, criterion, min_leaf)
        if np.isnan(t):
            return None
        left, right = idx[x[idx] <= t], idx[x[idx] > t]
        if stopping == "mdl":
            lc = np.bincount(y[left], w[left], minlength=n_classes)
            rc = np.bincount(y[right], w[right], minlength=n_classes)
            ok = _ref_mdl_accepts(lc, rc)
        else:
            ok = s > 1e-12
        return (w[idx].sum() * s, x[idx].min(), t, left, right) if ok else None

    root = np.arange(len(x))
    if max_bins is None:

        def recurse(idx):
            c = candidate(idx)
            if c is None:
                return []
            return recurse(c[3]) + [c[2]] + recurse(c[4])

        return np.array(recurse(root))
    cuts = []
    pending = [c for c in [candidate(root)] if c is not None]
    while pending and len(cuts) < max_bins - 1:
        # largest priority first, leftmost interval among ties
        pending.sort(key=lambda c: (-c[0], c[1]))
        _, _, t, left, right = pending.pop(0)
        cuts.append(t)
        pending += [c for c in (candidate(left), candidate(right)) if c is not None]
    return np.sort(np.array(cuts))


def _sklearn_root(X, y, criterion, min_samples_leaf=1, sample_weight=None, random_state=0):
    """(feature, threshold, gain in nats / Gini units) of a depth-1 tree."""
    tree = DecisionTreeClassifier(
        max_depth=1,
        criterion=criterion,
        min_samples_leaf=min_samples_leaf,
        random_state=random_state,
    ).fit(X, y, sample_weight=sample_weight)
    t = tree.tree_
    if t.node_count == 1:
        return -1, np.nan, 0.0
    imp, wn = t.impurity, t.weighted_n_node_samples
    gain = imp[0] - (wn[1] * imp[1] + wn[2] * imp[2]) / wn[0]
    if criterion == "entropy":
        gain *= np.log(2.0)  # sklearn's entropy is in bits
    return int(t.feature[0]), float(t.threshold[0]), float(gain)


def _random_data(seed: int, n: int = 300):
    """Float32-exact continuous columns plus tied integer columns, 3 classes."""
    rng = np.random.default_rng(seed)
    cont = rng.normal(size=(n, 4)).astype(np.float32).astype(np.float64)
    ints = rng.integers(0, 8, size=(n, 3)).astype(np.float64)
    X = np.column_stack([cont, ints])
    y = rng.integers(0, 3, size=n)
    y[X[:, 1] > 0.5] = 2  # some signal
    return X, y


def _datasets():
    return {
        "breast_cancer": load_breast_cancer(return_X_y=True),
        "wine": load_wine(return_X_y=True),
        "random": _random_data(0),
    }


def _float32_exact(X):
    """X rounded to float32, asserting sklearn's float32 view keeps it distinct."""
    X32 = X.astype(np.float32).astype(np.float64)
    for j in range(X.shape[1]):
        # rounding must not merge distinct values and sklearn's 1e-7 tolerance
        # for ties must not bite; otherwise the comparison would be unfair
        assert len(np.unique(X32[:, j])) == len(np.unique(X[:, j]))
        gaps = np.diff(np.unique(X32[:, j]))
        assert gaps.size == 0 or gaps.min() > 1e-7
    return X32


# --------------------------------------------------------------------------
# agreement with scikit-learn's trees


@pytest.mark.parametrize("dataset", ["breast_cancer", "wine", "random"])
@pytest.mark.parametrize("criterion", ["entropy", "gini"])
@pytest.mark.parametrize("min_samples_leaf", [1, 25])
def test_root_split_matches_decision_tree(dataset, criterion, min_samples_leaf):
    X, y = _datasets()[dataset]
    X32 = _float32_exact(X)
    s = InfoGainSplitter(criterion, min_samples_leaf=min_samples_leaf).fit(X32, y)
    feature, threshold, gain = _sklearn_root(X32, y, criterion, min_samples_leaf)
    # the best feature must be unique, else sklearn's pick is random (see the
    # tie test below): the runner-up must be measurably worse
    runner_up = np.sort(s.gains_)[-2]
    assert s.best_gain_ - runner_up > 1e-9
    assert s.best_feature_ == feature
    assert s.best_threshold_ == threshold  # float32-exact data: bit for bit
    assert_allclose(s.best_gain_, gain, rtol=1e-12, atol=1e-15)

    # the float64 data give the same split up to float32 rounding
    s64 = InfoGainSplitter(criterion, min_samples_leaf=min_samples_leaf).fit(X, y)
    f64, t64, g64 = _sklearn_root(X, y, criterion, min_samples_leaf)
    assert s64.best_feature_ == f64
    assert abs(s64.best_threshold_ - t64) <= abs(np.spacing(np.float32(t64)))
    assert_allclose(s64.best_gain_, g64, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dataset", ["breast_cancer", "wine", "random"])
@pytest.mark.parametrize("criterion", ["entropy", "gini"])
def test_each_feature_matches_one_feature_stump(dataset, criterion):
    X, y = _datasets()[dataset]
    X32 = _float32_exact(X)
    s = InfoGainSplitter(criterion).fit(X32, y)
    s64 = InfoGainSplitter(criterion).fit(X, y)
    for j in range(X.shape[1]):
        _, threshold, gain = _sklearn_root(X32[:, [j]], y, criterion)
        assert s.thresholds_[j] == threshold, j
        assert_allclose(s.gains_[j], gain, rtol=1e-12, atol=1e-15)
        _, t64, _ = _sklearn_root(X[:, [j]], y, criterion)
        assert abs(s64.thresholds_[j] - t64) <= abs(np.spacing(np.float32(t64))), j


def test_weighted_root_split_matches_decision_tree():
    X, y = _random_data(1)
    w = np.random.default_rng(1).integers(1, 4, size=len(y)).astype(float)
    for criterion in ["entropy", "gini"]:
        s = InfoGainSplitter(criterion).fit(X, y, sample_weight=w)
        feature, threshold, gain = _sklearn_root(X, y, criterion, sample_weight=w)
        assert (s.best_feature_, s.best_threshold_) == (feature, threshold)
        assert_allclose(s.best_gain_, gain, rtol=1e-12)


def test_exactly_tied_features_pick_lowest_index():
    # Column 3 duplicates column 1, the most informative one: the gains tie
    # exactly.  We pick the lowest index; sklearn picks by its random feature
    # order, but always one of the tied pair with the same threshold and gain.
    X, y = _random_data(2)
    X = np.column_stack([X, X[:, 1]])
    s = InfoGainSplitter().fit(X, y)
    tied = np.flatnonzero(s.gains_ == s.best_gain_)
    assert_array_equal(tied, [1, X.shape[1] - 1])
    assert s.best_feature_ == 1
    picks = set()
    for seed in range(8):
        feature, threshold, gain = _sklearn_root(X, y, "entropy", random_state=seed)
        assert feature in tied and threshold == s.best_threshold_
        assert_allclose(gain, s.best_gain_, rtol=1e-12)
        picks.add(feature)
    assert picks <= set(tied)


# --------------------------------------------------------------------------
# brute-force references


@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("min_samples_leaf", [1, 4])
@pytest.mark.parametrize("weighted", [False, True])
def test_split_search_matches_brute_force(criterion, min_samples_leaf, weighted):
    rng = np.random.default_rng(3)
    n = 80
    X = np.column_stack(
        [rng.normal(size=n), rng.integers(0, 5, n), np.round(rng.normal(size=n), 1)]
    )
    y = rng.integers(0, 3, n)
    y[X[:, 0] > 0.8] = 1
    w = rng.uniform(0.2, 3.0, n) if weighted else np.ones(n)
    s = InfoGainSplitter(criterion, min_samples_leaf=min_samples_leaf).fit(X, y, sample_weight=w)
    for j in range(X.shape[1]):
        cands = _ref_candidates(X[:, j], y, w, 3, criterion, min_samples_leaf)
        top = max(sc for _, sc in cands)
        near = {t for t, sc in cands if sc >= top - 1e-10}
        assert s.thresholds_[j] in near
        assert_allclose(s.gains_[j], top, rtol=1e-10)
    best = int(np.argmax(s.gains_))
    assert s.best_feature_ == best


def test_within_feature_ties_take_smallest_threshold():
    # mirror-symmetric classes: cutting after the 2nd or before the 2nd-last
    # sample gives exactly the same gain
    x = np.arange(8.0)
    y = np.array([0, 0, 1, 1, 1, 1, 0, 0])
    for criterion in CRITERIA:
        s = InfoGainSplitter(criterion).fit(x[:, None], y)
        assert s.thresholds_[0] == 1.5


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    "criterion, min_samples_leaf, stopping, max_bins",
    [
        ("entropy", 1, "mdl", None),
        ("entropy", 3, "mdl", None),
        ("entropy", 1, "mdl", 3),
        ("gini", 1, "mdl", None),
        ("gain_ratio", 2, "mdl", None),
        ("entropy", 1, None, 5),
        ("gini", 2, None, 4),
        ("entropy", 5, None, None),
    ],
)
def test_discretisation_matches_brute_force(seed, criterion, min_samples_leaf, stopping, max_bins):
    rng = np.random.default_rng(seed)
    n = 120
    x = np.round(rng.uniform(0, 10, n), 2)  # a few ties
    # class depends on the interval of x, with label noise
    y = np.digitize(x, [2.5, 6.0, 8.0]) % 3
    flip = rng.random(n) < 0.15
    y[flip] = rng.integers(0, 3, flip.sum())
    X = np.column_stack([x, rng.normal(size=n)])
    s = InfoGainSplitter(
        criterion, min_samples_leaf=min_samples_leaf, stopping=stopping, max_bins=max_bins
    ).fit(X, y)
    w = np.ones(n)
    for j in range(2):
        ref = _ref_cuts(X[:, j], y, w, 3, criterion, min_samples_leaf, stopping, max_bins)
        assert_array_equal(s.cut_points_[j], ref)
        assert s.n_bins_[j] == len(ref) + 1
    if stopping == "mdl":
        assert len(s.cut_points_[0]) >= 1  # the signal is found


def test_mdl_textbook_step_gives_one_cut_at_the_midpoint():
    x = np.arange(40.0)
    y = (x >= 20).astype(int)
    s = InfoGainSplitter().fit(x[:, None], y)
    assert_array_equal(s.cut_points_[0], [19.5])
    assert s.best_threshold_ == 19.5
    assert_allclose(s.best_gain_, np.log(2.0))
    # three classes in three runs: two cuts
    y3 = np.digitize(x, [10, 30])
    s3 = InfoGainSplitter().fit(x[:, None], y3)
    assert_array_equal(s3.cut_points_[0], [9.5, 29.5])


@pytest.mark.parametrize("seed", range(5))
def test_mdl_pure_noise_gives_no_cuts(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 3))
    y = rng.integers(0, 2, 300)
    s = InfoGainSplitter().fit(X, y)
    assert all(len(c) == 0 for c in s.cut_points_)
    assert_array_equal(s.n_bins_, 1)
    assert_array_equal(s.transform(X), 0)
    # without a stopping rule the same noise is cut
    assert len(InfoGainSplitter(stopping=None, max_bins=4).fit(X, y).cut_points_[0]) == 3


def test_mdl_worked_small_cases():
    # Two samples of two classes, N = 2: the gain is 1 bit and the MDL cost is
    # (log2(1) + log2(3**2 - 2) - 2 * 1) / 2 = 0.404 bits -> cut.
    s = InfoGainSplitter().fit([[0.0], [1.0]], [0, 1])
    assert_array_equal(s.cut_points_[0], [0.5])
    # Four samples 0 0 1 0: the best cut is x <= 1.5 (parts {0, 0} and {1, 0},
    # gain 0.811 - 0.5 = 0.311 bits) but it costs
    # (log2(3) + log2(7) - (2 * 0.811 - 1 * 0 - 2 * 1)) / 4 = 1.19 bits -> no cut.
    s = InfoGainSplitter().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 0])
    assert s.best_threshold_ == 1.5 and len(s.cut_points_[0]) == 0


def test_max_bins_bounds_and_is_a_prefix_of_unlimited_cuts():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, 400)
    y = np.digitize(x, [1, 3, 5, 7, 9]) % 2
    full = InfoGainSplitter().fit(x[:, None], y).cut_points_[0]
    assert len(full) == 5
    for max_bins in range(2, 8):
        cuts = InfoGainSplitter(max_bins=max_bins).fit(x[:, None], y).cut_points_[0]
        assert len(cuts) == min(max_bins - 1, len(full))
        assert np.isin(cuts, full).all()


# --------------------------------------------------------------------------
# weights


@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("stopping, max_bins", [("mdl", None), (None, 6)])
def test_integer_weights_equal_repeated_rows(criterion, stopping, max_bins):
    rng = np.random.default_rng(7)
    n = 150
    X = np.column_stack([rng.uniform(0, 4, n), rng.integers(0, 6, n)])
    y = (X[:, 0] + rng.normal(0, 0.7, n) > 2).astype(int) + (X[:, 1] > 3)
    w = rng.integers(0, 4, n)  # zero weight == row removed
    params = dict(criterion=criterion, stopping=stopping, max_bins=max_bins)
    weighted = InfoGainSplitter(**params).fit(X, y, sample_weight=w)
    repeated = InfoGainSplitter(**params).fit(np.repeat(X, w, 0), np.repeat(y, w))
    assert_array_equal(weighted.thresholds_, repeated.thresholds_)
    assert_array_equal(weighted.gains_, repeated.gains_)
    for a, b in zip(weighted.cut_points_, repeated.cut_points_):
        assert_array_equal(a, b)
    assert any(len(c) for c in weighted.cut_points_)
    assert_array_equal(weighted.transform(X), repeated.transform(X))
    node_w = weighted.split(X, y, sample_weight=w)
    node_r = weighted.split(np.repeat(X, w, 0), np.repeat(y, w))
    assert node_w.feature == node_r.feature and node_w.threshold == node_r.threshold
    assert node_w.gain == node_r.gain
    assert_array_equal(node_w.left_counts, node_r.left_counts)
    assert_array_equal(node_w.right_counts, node_r.right_counts)


def test_scaling_weights_keeps_split_search():
    X, y = _random_data(4, n=200)
    w = np.random.default_rng(4).uniform(0.5, 2.0, 200)
    for criterion in CRITERIA:
        a = InfoGainSplitter(criterion).fit(X, y, sample_weight=w)
        b = InfoGainSplitter(criterion).fit(X, y, sample_weight=0.37 * w)
        assert_array_equal(a.thresholds_, b.thresholds_)
        assert_allclose(a.gains_, b.gains_, rtol=1e-10)


def test_bad_sample_weight():
    X, y = _random_data(0, n=20)
    with pytest.raises(ValueError, match="Negative values"):
        InfoGainSplitter().fit(X, y, sample_weight=-np.ones(20))
    with pytest.raises(ValueError, match="sample_weight"):
        InfoGainSplitter().fit(X, y, sample_weight=np.ones(19))


# --------------------------------------------------------------------------
# split() for tree builders


def test_split_agrees_with_fit_and_counts():
    X, y = load_wine(return_X_y=True)
    for criterion in CRITERIA:
        s = InfoGainSplitter(criterion).fit(X, y)
        node = s.split(X, y)
        assert isinstance(node, NodeSplit)
        assert (node.feature, node.threshold, node.gain) == (
            s.best_feature_,
            s.best_threshold_,
            s.best_gain_,
        )
        left = X[:, node.feature] <= node.threshold
        assert_array_equal(node.left_counts, np.bincount(y[left], minlength=3))
        assert_array_equal(node.right_counts, np.bincount(y[~left], minlength=3))
        assert_allclose(
            node.gain,
            _ref_score(node.left_counts, node.right_counts, criterion),
            rtol=1e-12,
        )


def test_split_on_a_child_node_keeps_class_alignment():
    X, y = load_wine(return_X_y=True)
    labels = np.array(["barolo", "grignolino", "barbera"])[y]
    s = InfoGainSplitter().fit(X, labels)
    child = X[:, s.best_feature_] > s.best_threshold_
    node = s.split(X[child], labels[child])
    assert len(node.left_counts) == 3
    counts = node.left_counts + node.right_counts
    expected = [np.sum(labels[child] == c) for c in s.classes_]
    assert_array_equal(counts, expected)
    # the child's own best split, by brute force
    j = node.feature
    codes = np.searchsorted(s.classes_, labels[child])
    t, g = _ref_best(X[child, j], codes, np.ones(child.sum()), 3, "entropy", 1)
    assert node.threshold == t
    assert_allclose(node.gain, g, rtol=1e-12)


def test_split_without_a_valid_threshold():
    X = np.ones((5, 2))
    y = np.array([0, 1, 0, 1, 1])
    s = InfoGainSplitter().fit(X, y)
    assert s.best_feature_ == -1 and np.isnan(s.best_threshold_) and s.best_gain_ == 0
    assert np.isnan(s.thresholds_).all() and (s.gains_ == 0).all()
    node = s.split(X, y, sample_weight=[1, 1, 1, 1, 2])
    assert node.feature == -1 and np.isnan(node.threshold) and node.gain == 0.0
    assert_array_equal(node.left_counts, [2, 4])
    assert_array_equal(node.right_counts, [0, 0])
    # min_samples_leaf unreachable on a varying feature
    s2 = InfoGainSplitter(min_samples_leaf=3).fit(np.arange(5.0)[:, None], y)
    assert s2.best_feature_ == -1 and len(s2.cut_points_[0]) == 0


def test_split_rejects_unseen_labels_and_needs_fit():
    X, y = load_wine(return_X_y=True)
    with pytest.raises(Exception, match="not fitted"):
        InfoGainSplitter().split(X, y)
    s = InfoGainSplitter().fit(X, y)
    with pytest.raises(ValueError, match="labels not seen in fit"):
        s.split(X, y + 1)
    with pytest.raises(ValueError, match="features"):
        s.split(X[:, :3], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        s.split(X, y[:-1])
    with pytest.raises(ValueError, match="1-D"):
        s.split(X, y[:, None])
    with pytest.raises(ValueError, match="Negative values"):
        s.split(X, y, sample_weight=-np.ones(len(y)))


# --------------------------------------------------------------------------
# transform, pandas, labels, errors


def test_transform_codes_values_equal_to_cut_go_left():
    x = np.arange(40.0)
    y = np.digitize(x, [10, 30])
    s = InfoGainSplitter().fit(x[:, None], y)
    Z = s.transform(np.array([[-1.0], [9.5], [9.50001], [29.5], [29.6], [100.0]]))
    assert Z.dtype == np.int64
    assert_array_equal(Z[:, 0], [0, 0, 1, 1, 2, 2])
    assert_array_equal(s.transform(x[:, None])[:, 0], y)


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.filterwarnings("ignore:X has feature names")
def test_pandas_in_and_out():
    X, y = load_wine(return_X_y=True, as_frame=True)
    s = InfoGainSplitter().set_output(transform="pandas").fit(X, y)
    assert_array_equal(s.feature_names_in_, X.columns)
    assert_array_equal(s.get_feature_names_out(), X.columns)
    Z = s.transform(X)
    assert isinstance(Z, pd.DataFrame)
    assert_array_equal(Z.columns, X.columns)
    assert_array_equal(Z.index, X.index)
    plain = InfoGainSplitter().fit(X.to_numpy(), y)
    assert_array_equal(Z.to_numpy(), plain.transform(X.to_numpy()))
    assert (Z.max() >= 1).all()  # wine features are all informative
    name = "InfoGainSplitter"
    check_set_output_transform(name, InfoGainSplitter())
    check_set_output_transform_pandas(name, InfoGainSplitter())
    check_global_output_transform_pandas(name, InfoGainSplitter())


def test_string_labels_and_pipeline():
    X, y = load_breast_cancer(return_X_y=True)
    names = np.array(["malignant", "benign"], dtype=object)[y]
    a = InfoGainSplitter().fit(X, y)
    b = InfoGainSplitter().fit(X, names)
    assert_array_equal(b.classes_, ["benign", "malignant"])
    assert_array_equal(a.thresholds_, b.thresholds_)
    assert_array_equal(a.gains_, b.gains_)
    pipe = make_pipeline(InfoGainSplitter(max_bins=4), DecisionTreeClassifier(random_state=0))
    assert pipe.fit(X, names).score(X, names) > 0.9
    assert clone(pipe).get_params()["infogainsplitter__max_bins"] == 4


def test_continuous_target_is_refused():
    X, _ = _random_data(0, n=30)
    with pytest.raises(ValueError, match="for class targets"):
        InfoGainSplitter().fit(X, np.linspace(0, 1, 30))


def test_bad_X_names_the_column():
    X, y = load_wine(return_X_y=True, as_frame=True)
    Xn = X.copy()
    Xn.iloc[4, 2] = np.nan
    with pytest.raises(ValueError, match=r"NaN in column 'ash' \(index 2\)"):
        InfoGainSplitter().fit(Xn, y)
    Xi = X.to_numpy().copy()
    Xi[0, 5] = np.inf
    with pytest.raises(ValueError, match="infinity in column 5"):
        InfoGainSplitter().fit(Xi, y)
    s = InfoGainSplitter().fit(X, y)
    with pytest.raises(ValueError, match="NaN in column 'ash'"):
        s.transform(Xn)
    Xs = X.copy()
    Xs["magnesium"] = "lots"
    with pytest.raises(ValueError, match="column 'magnesium'"):
        InfoGainSplitter().fit(Xs, y)


def test_inputs_are_not_modified():
    X, y = _random_data(5, n=100)
    w = np.random.default_rng(5).integers(0, 3, 100).astype(float)
    X0, y0, w0 = X.copy(), y.copy(), w.copy()
    s = InfoGainSplitter(stopping=None, max_bins=5).fit(X, y, sample_weight=w)
    s.transform(X)
    s.split(X, y, sample_weight=w)
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)
    assert_array_equal(w, w0)


def test_param_validation():
    check_param_validation("InfoGainSplitter", InfoGainSplitter())


def test_single_class_gives_zero_gains_and_no_cuts():
    X, _ = _random_data(6, n=40)
    s = InfoGainSplitter().fit(X, np.full(40, "only"))
    assert_array_equal(s.gains_, 0.0)
    assert all(len(c) == 0 for c in s.cut_points_)


# --------------------------------------------------------------------------
# parallelism and kernels


def test_results_identical_for_any_n_jobs():
    rng = np.random.default_rng(8)
    n, p = 5000, 24  # above the size where threads are used
    X = np.round(rng.normal(size=(n, p)), 2)
    y = (X[:, :4].sum(axis=1) + rng.normal(size=n) > 0).astype(int)
    w = rng.integers(1, 3, n)
    ref = InfoGainSplitter(n_jobs=1).fit(X, y, sample_weight=w)
    assert sum(len(c) for c in ref.cut_points_) > 0
    ref_node = ref.split(X, y)
    for n_jobs in [2, -1]:
        other = InfoGainSplitter(n_jobs=n_jobs).fit(X, y, sample_weight=w)
        assert_array_equal(other.thresholds_, ref.thresholds_)
        assert_array_equal(other.gains_, ref.gains_)
        for a, b in zip(other.cut_points_, ref.cut_points_):
            assert_array_equal(a, b)
        node = other.split(X, y)
        assert node.feature == ref_node.feature and node.gain == ref_node.gain
    with joblib.parallel_config(n_jobs=2):
        other = InfoGainSplitter().fit(X, y, sample_weight=w)
    assert_array_equal(other.gains_, ref.gains_)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 63, 64, 65, 3000])
def test_stable_argsort_matches_numpy(n):
    rng = np.random.default_rng(n)
    x = np.round(rng.normal(size=n) * 1e3, 0) * 10.0 ** rng.integers(-5, 5, n)
    x[: n // 3] = np.round(x[: n // 3], 0)  # plenty of ties
    x += 0.0  # no -0.0: numpy ranks it equal to 0.0, the bit-pattern sort before
    assert_array_equal(kernels.stable_argsort(x), np.argsort(x, kind="stable"))


def test_stable_argsort_signed_zeros_and_extremes():
    x = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, 5e-324, -5e-324, 0.0] * 20)
    order = kernels.stable_argsort(x)
    assert_array_equal(np.sort(order), np.arange(len(x)))
    assert (x[order][1:] >= x[order][:-1]).all()


def test_xlogx_table():
    table = kernels.xlogx_table(50)
    c = np.arange(1, 51)
    assert table[0] == 0.0
    assert_allclose(table[1:], c * np.log(c), rtol=1e-15)
