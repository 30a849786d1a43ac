"""missing_values="pairwise": every estimate on the rows its variables share,
equal to the estimate on the explicitly filtered data."""

import numpy as np
import pytest

from mifs import KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information


def with_gaps(X, rate, seed):
    rng = np.random.default_rng(seed)
    X = X.astype(float).copy()
    X[rng.random(X.shape) < rate] = np.nan
    return X


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 600
    X = rng.standard_normal((n, 4))
    X[:, 3] = np.round(X[:, 3], 1)  # ties, so that the jitter matters
    y = X[:, 0] + X[:, 3] + 0.5 * rng.standard_normal(n)
    Xm = with_gaps(X, 0.15, 1)
    ym = y.copy()
    ym[np.random.default_rng(2).random(n) < 0.1] = np.nan
    return Xm, ym


def reference_column(X, y, j, **params):
    """Fit on the rows where column j and y are present, with column j at its
    own position (its jitter stream is keyed by the position)."""
    rows = ~np.isnan(X[:, j]) & ~np.isnan(y)
    Xf = np.zeros((rows.sum(), j + 1))
    Xf[:, j] = X[rows, j]
    return KSGEstimator(**params).fit(Xf, y[rows]).mi_[j], rows.sum()


@pytest.mark.parametrize("target", ["continuous", "classes"])
def test_fit_equals_filtered_fits(data, target):
    Xm, ym = data
    if target == "classes":
        ym = np.where(np.isnan(ym), np.nan, (ym > 0).astype(float))
    params = dict(clip=False, random_state=3, discrete_features=False)
    est = KSGEstimator(missing_values="pairwise", **params).fit(Xm, ym)
    for j in range(Xm.shape[1]):
        ref, n_used = reference_column(Xm, ym, j, **params)
        assert est.mi_[j] == ref  # bit for bit: same rows, same jitter stream
        assert est.n_samples_used_[j] == n_used
    assert (est.n_samples_used_ < Xm.shape[0]).all()


def test_default_is_an_error_naming_the_column(data):
    Xm, ym = data
    with pytest.raises(ValueError, match='NaN in column 0.*missing_values="pairwise"'):
        KSGEstimator().fit(Xm, np.nan_to_num(ym))
    with pytest.raises(ValueError, match='y contains NaN.*missing_values="pairwise"'):
        KSGEstimator().fit(np.nan_to_num(Xm), ym)


def test_infinity_is_still_an_error(data):
    Xm, ym = data
    Xi = Xm.copy()
    Xi[5, 2] = np.inf
    with pytest.raises(ValueError, match="infinity in column 2"):
        KSGEstimator(missing_values="pairwise").fit(Xi, ym)


def test_too_few_shared_rows_names_the_column(data):
    Xm, ym = data
    X2 = Xm.copy()
    X2[3:, 1] = np.nan
    with pytest.raises(ValueError, match="Column 1 of X and y are both present in only"):
        KSGEstimator(missing_values="pairwise").fit(X2, ym)


def test_pandas_missing_values_of_every_kind():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(4)
    n = 400
    grade = rng.choice(["a", "b", "c"], n).astype(object)
    df = pd.DataFrame(
        {
            "size": rng.standard_normal(n),
            "count": pd.array(rng.integers(0, 4, n), dtype="Int64"),
            "grade": pd.Categorical(grade),
            "name": grade.copy(),
        }
    )
    y = df["size"].to_numpy() + (grade == "b")
    df.loc[::7, "size"] = np.nan
    df.loc[::9, "count"] = pd.NA
    df.loc[::11, "grade"] = np.nan
    df.loc[::13, "name"] = None
    est = KSGEstimator(missing_values="pairwise", clip=False, random_state=0).fit(df, y)
    expected_rows = [n - len(range(0, n, step)) for step in (7, 9, 11, 13)]
    np.testing.assert_array_equal(est.n_samples_used_, expected_rows)
    np.testing.assert_array_equal(est.discrete_features_, [False, True, True, True])
    with pytest.raises(ValueError, match="column 'grade' of X contains missing values.*pairwise"):
        KSGEstimator().fit(df, y)
    with pytest.raises(ValueError, match="NaN in column 'size'"):
        KSGEstimator().fit(df[["size"]], y)


def test_estimate_uses_rows_where_all_are_present(data):
    Xm, ym = data
    est = KSGEstimator(missing_values="pairwise", clip=False, random_state=0)
    rows = ~np.isnan(Xm[:, 0]) & ~np.isnan(ym) & ~np.isnan(Xm[:, 3])
    assert est.estimate(Xm[:, 0], ym, Xm[:, 3]) == est.estimate(Xm[rows, 0], ym[rows], Xm[rows, 3])
    rows2 = ~np.isnan(Xm[:, :2]).any(axis=1) & ~np.isnan(ym)
    assert est.estimate(Xm[:, :2], ym) == est.estimate(Xm[rows2, :2], ym[rows2])


def test_ranker_scores_and_permutations(data):
    Xm, ym = data
    ranker = MIRanker(KSGEstimator(missing_values="pairwise"), k=2, n_permutations=9, random_state=0).fit(Xm, ym)
    ref = KSGEstimator(missing_values="pairwise", clip=False, random_state=0).fit(Xm, ym)
    np.testing.assert_array_equal(ranker.scores_, np.maximum(ref.mi_, 0))
    np.testing.assert_array_equal(ranker.n_samples_used_, ref.n_samples_used_)
    assert set(ranker.get_support(indices=True)) == {0, 3}
    assert np.all(ranker.pvalues_[[0, 3]] == 0.1)


@pytest.mark.parametrize("criterion", ["mid", "cife", "jmi", "cmim"])
def test_mrmr_terms_use_shared_rows(criterion):
    """On tie-free data the jitter decides nothing, so each term equals the
    estimate on the filtered rows whatever the streams."""
    rng = np.random.default_rng(5)
    n = 500
    X = rng.standard_normal((n, 5))
    y = X[:, 0] + 0.8 * X[:, 1] + 0.3 * rng.standard_normal(n)
    Xm = with_gaps(X, 0.1, 6)
    sel = MRMRSelector(2, criterion=criterion, estimator=KSGEstimator(missing_values="pairwise"), random_state=0).fit(Xm, y)
    first, second = sel.selected_features_
    est = KSGEstimator(clip=False, random_state=0)
    present = ~np.isnan(Xm)
    rel_rows = present[:, second]
    assert sel.relevance_[1] == pytest.approx(est.estimate(Xm[rel_rows, second], y[rel_rows]), abs=1e-12)
    pair_rows = present[:, first] & present[:, second]
    a, b = Xm[pair_rows, second], Xm[pair_rows, first]
    if criterion == "mid":
        expected = sel.relevance_[1] - est.estimate(a, b)
    elif criterion == "cife":
        expected = sel.relevance_[1] - (est.estimate(a, b) - est.estimate(a, b, y[pair_rows]))
    elif criterion == "jmi":
        expected = est.estimate(np.column_stack([a, b]), y[pair_rows])
    else:
        expected = est.estimate(a, y[pair_rows], b)
    assert sel.criterion_[1] == pytest.approx(expected, abs=1e-12)
    np.testing.assert_array_equal(sel.n_samples_used_, present.sum(axis=0))


def test_pairwise_matrix_uses_rows_each_pair_shares(data):
    Xm, _ = data
    m = pairwise_mutual_information(Xm[:, :3], estimator=KSGEstimator(missing_values="pairwise", random_state=0))
    est = KSGEstimator(random_state=0)
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        rows = ~np.isnan(Xm[:, a]) & ~np.isnan(Xm[:, b])
        assert m[a, b] == pytest.approx(est.estimate(Xm[rows, a], Xm[rows, b]), abs=1e-12)
