"""MRMRSelector against brute-force greedies, Peng's reference program, and the
properties that set the criteria apart."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mutual_info_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from mifs import KSGEstimator, MRMRSelector
from mifs._mrmr import CRITERIA, MIQ_FLOOR

# ----------------------------------------------------------------- references


def pair_codes(a, b):
    return np.unique(np.column_stack([a, b]), axis=0, return_inverse=True)[1].ravel()


def cmi(a, b, c):
    """I(a; b | c) by conditioning: sum over values of c of P(c) I(a; b | c = v)."""
    return sum((c == v).mean() * mutual_info_score(a[c == v], b[c == v]) for v in np.unique(c))


def brute_greedy(X, y, n_select, criterion, beta=1.0):
    """Greedy selection written out from the definitions, on plug-in estimates."""
    p = X.shape[1]
    rel = np.array([mutual_info_score(X[:, k], y) for k in range(p)])
    chosen = [int(np.argmax(rel))]
    values = [rel[chosen[0]]]
    while len(chosen) < n_select:
        best, best_value = None, -np.inf
        for k in range(p):
            if k in chosen:
                continue
            xk = X[:, k]
            if criterion in ("mid", "miq", "mifs"):
                red = [mutual_info_score(xk, X[:, j]) for j in chosen]
                if criterion == "mid":
                    value = rel[k] - np.mean(red)
                elif criterion == "miq":
                    value = rel[k] / max(np.mean(red), MIQ_FLOOR)
                else:
                    value = rel[k] - beta * np.sum(red)
            elif criterion == "cife":
                value = rel[k] - sum(mutual_info_score(xk, X[:, j]) - cmi(xk, X[:, j], y) for j in chosen)
            elif criterion == "jmi":
                value = sum(mutual_info_score(pair_codes(xk, X[:, j]), y) for j in chosen)
            elif criterion == "jmim":
                value = min(mutual_info_score(pair_codes(xk, X[:, j]), y) for j in chosen)
            else:
                value = min(cmi(xk, y, X[:, j]) for j in chosen)
            if value > best_value:
                best, best_value = k, value
        chosen.append(best)
        values.append(best_value)
    return chosen, np.array(values)


@pytest.fixture(scope="module")
def digits_subset():
    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    cols = rng.choice(np.flatnonzero(X.std(axis=0) > 2), size=14, replace=False)
    return X[:, cols].astype(int), y


@pytest.mark.parametrize("criterion", CRITERIA)
def test_discrete_data_matches_brute_force_greedy(digits_subset, criterion):
    X, y = digits_subset
    beta = 0.5 if criterion == "mifs" else None
    sel = MRMRSelector(6, criterion=criterion, beta=beta, estimator=KSGEstimator(discrete_features=True)).fit(X, y)
    chosen, values = brute_greedy(X, y, 6, criterion, beta=0.5 if beta else 1.0)
    assert sel.selected_features_.tolist() == chosen
    np.testing.assert_allclose(sel.criterion_, values, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sel.relevance_, [mutual_info_score(X[:, j], y) for j in chosen], atol=1e-12)


@pytest.mark.parametrize("criterion", ["MID", "MIQ"])
def test_matches_peng_reference_program(criterion, capfd):
    pymrmr = pytest.importorskip("pymrmr")
    pd = pytest.importorskip("pandas")
    X, y = load_digits(return_X_y=True)
    X = X.astype(int)
    df = pd.DataFrame(np.column_stack([y, X]), columns=["class"] + [f"p{j}" for j in range(64)])
    ref = pymrmr.mRMR(df, criterion, 15)
    capfd.readouterr()  # the reference program prints its own report
    ours = MRMRSelector(15, criterion=criterion.lower(), estimator=KSGEstimator(discrete_features=True)).fit(X, y)
    assert [f"p{j}" for j in ours.selected_features_] == ref


# ------------------------------------------------------ what sets them apart


@pytest.fixture(scope="module")
def xor_problem():
    rng = np.random.default_rng(1)
    n = 3000
    x0 = rng.integers(0, 2, n)
    x1 = (rng.random(n) < 0.2).astype(int)  # P(x1 = 1) = 0.2, independent of y on its own
    noise = rng.integers(0, 2, (n, 6))
    X = np.column_stack([noise[:, :3], x1, noise[:, 3:], x0])
    return X, x0 ^ x1


@pytest.mark.parametrize("criterion", ["jmi", "jmim", "cmim", "cife"])
def test_conditional_criteria_find_the_complementary_feature(xor_problem, criterion):
    X, y = xor_problem
    sel = MRMRSelector(2, criterion=criterion).fit(X, y)
    assert sel.selected_features_.tolist() == [7, 3]
    assert sel.redundancy_[1] < -0.4  # synergy: x1 adds far more than its own relevance


@pytest.mark.parametrize("criterion", ["mid", "miq", "mifs"])
def test_difference_criteria_cannot_see_it(xor_problem, criterion):
    """To mid/miq/mifs, x1 scores like a noise column: relevance ~0, redundancy ~0."""
    X, y = xor_problem
    sel = MRMRSelector(2, criterion=criterion).fit(X, y)
    assert sel.selected_features_[0] == 7
    mid_x1 = sel.scores_[3] - mutual_info_score(X[:, 3], X[:, 7])
    noise = [sel.scores_[j] - mutual_info_score(X[:, j], X[:, 7]) for j in (0, 1, 2, 4, 5, 6)]
    assert abs(mid_x1) < 0.005 and max(np.abs(noise)) < 0.005


@pytest.fixture(scope="module")
def near_copy_problem():
    rng = np.random.default_rng(2)
    n = 2000
    x0, x1 = rng.standard_normal((2, n))
    copy = x0 + 0.05 * rng.standard_normal(n)
    X = np.column_stack([x0, rng.standard_normal((n, 3)), copy, x1, rng.standard_normal((n, 2))])
    y = x0 + 0.8 * x1 + 0.3 * rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("criterion", ["mid", "miq", "mifs", "jmi", "jmim", "cmim"])
def test_near_copy_is_not_picked_second(near_copy_problem, criterion):
    X, y = near_copy_problem
    sel = MRMRSelector(2, criterion=criterion, random_state=0).fit(X, y)
    assert sel.selected_features_[0] in (0, 4)  # x0 or its copy, whichever estimates higher
    assert sel.selected_features_[1] == 5  # the independent informative feature


def test_relevance_ranking_alone_does_pick_the_copy(near_copy_problem):
    from mifs import MIRanker

    X, y = near_copy_problem
    assert set(MIRanker(k=2, random_state=0).fit(X, y).get_support(indices=True)) == {0, 4}


# ------------------------------------------------------------- how many


def test_auto_stops_at_the_informative_features():
    rng = np.random.default_rng(3)
    n = 1500
    X = rng.standard_normal((n, 9))
    y = X[:, 0] + 0.7 * X[:, 1] + 0.5 * X[:, 2] + 0.3 * rng.standard_normal(n)
    for criterion in ("mid", "jmi", "cmim"):
        sel = MRMRSelector("auto", criterion=criterion, random_state=0).fit(X, y)
        assert sorted(sel.selected_features_.tolist()) == [0, 1, 2], criterion


def test_auto_on_pure_noise_selects_nothing_and_warns():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((400, 4))
    y = rng.standard_normal(400)
    with pytest.warns(UserWarning, match="selected no feature"):
        sel = MRMRSelector("auto", random_state=0).fit(X, y)
    assert sel.selected_features_.size == 0 and not sel.support_.any()


def test_fraction_and_too_many(near_copy_problem):
    X, y = near_copy_problem
    assert MRMRSelector(0.25, random_state=0).fit(X, y).selected_features_.size == 2  # 25 % of 8
    with pytest.warns(UserWarning, match="greater than n_features=8"):
        sel = MRMRSelector(20, random_state=0).fit(X, y)
    assert sel.support_.all()
    assert sorted(sel.ranking_) == list(range(1, 9))


# ------------------------------------------------------------- the estimator


def test_fitted_attributes(near_copy_problem):
    X, y = near_copy_problem
    sel = MRMRSelector(4, criterion="mid", random_state=0).fit(X, y)
    assert sel.relevance_.shape == sel.redundancy_.shape == sel.criterion_.shape == (4,)
    np.testing.assert_allclose(sel.criterion_, sel.relevance_ - sel.redundancy_)
    assert sel.redundancy_[0] == 0 and sel.criterion_[0] == sel.relevance_[0]
    np.testing.assert_array_equal(sel.relevance_, sel.scores_[sel.selected_features_])
    raw = KSGEstimator(clip=False, random_state=0).fit(X, y).mi_
    np.testing.assert_array_equal(sel.scores_, raw)  # unclipped relevance of every feature
    np.testing.assert_array_equal(np.flatnonzero(sel.get_support()), np.sort(sel.selected_features_))
    np.testing.assert_array_equal(sel.ranking_[sel.selected_features_], [1, 2, 3, 4])
    assert (sel.ranking_[~sel.support_] == 5).all()
    assert sel.transform(X).shape == (X.shape[0], 4)


def test_same_result_for_any_n_jobs(near_copy_problem):
    X, y = near_copy_problem
    a = MRMRSelector(4, criterion="jmi", random_state=0, n_jobs=1).fit(X, y)
    b = MRMRSelector(4, criterion="jmi", random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.selected_features_, b.selected_features_)
    np.testing.assert_array_equal(a.criterion_, b.criterion_)


def test_mixed_data_and_pandas():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    n = 1500
    grade = rng.choice(["a", "b", "c"], n)
    df = pd.DataFrame(
        {
            "size": rng.standard_normal(n),
            "grade": grade,
            "grade_again": np.where(rng.random(n) < 0.97, grade, "a"),
            "noise": rng.standard_normal(n),
        }
    )
    y = df["size"] + (df["grade"] == "b") * 1.5 + 0.3 * rng.standard_normal(n)
    sel = MRMRSelector(2, random_state=0).fit(df, y)
    np.testing.assert_array_equal(sel.discrete_features_, [False, True, True, False])
    assert set(sel.get_feature_names_out()) == {"size", "grade"} or set(sel.get_feature_names_out()) == {
        "size",
        "grade_again",
    }
    out = sel.set_output(transform="pandas").transform(df)
    assert list(out.columns) == list(sel.get_feature_names_out())


def test_grid_search_over_estimator_parameters(near_copy_problem):
    X, y = near_copy_problem
    pipe = Pipeline(
        [("select", MRMRSelector(2, estimator=KSGEstimator(), random_state=0)), ("clf", LogisticRegression())]
    )
    grid = GridSearchCV(
        pipe, {"select__estimator__n_neighbors": [3, 5], "select__criterion": ["mid", "jmi"]}, cv=3
    ).fit(X[:600], (y[:600] > 0).astype(int))
    assert grid.best_estimator_.named_steps["select"].estimator_.n_neighbors in (3, 5)


def test_errors():
    X, y = np.random.default_rng(6).random((50, 4)), np.arange(50.0)
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="estimator"):
        MRMRSelector(2, estimator=LogisticRegression()).fit(X, y)

    class LooksLikeOne:
        def fit(self, X, y):
            return self

        def estimate(self, x, y, z=None):
            return 0.0

        def get_params(self, deep=True):
            return {}

    with pytest.raises(TypeError, match=r"protocol: fit\(X, y\) must set mi_"):
        MRMRSelector(2, estimator=LooksLikeOne()).fit(X, y)

    with pytest.raises(InvalidParameterError, match="criterion"):
        MRMRSelector(2, criterion="best").fit(X, y)
    with pytest.raises(InvalidParameterError, match="n_features_to_select"):
        MRMRSelector(1.5).fit(X, y)


def test_verbose_reports_steps(near_copy_problem, capsys):
    X, y = near_copy_problem
    MRMRSelector(3, verbose=1, random_state=0).fit(X, y)
    err = capsys.readouterr().err
    assert "3/3 [" in err and "steps/s" in err  # tqdm: count, rate and time


class _ProtocolOnly(BaseEstimator):
    """An estimator that offers only the documented protocol (fit setting
    mi_, and estimate), delegating to KSGEstimator: not a KSGEstimator."""

    def __init__(self, n_neighbors=3):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        self.mi_ = KSGEstimator(self.n_neighbors, clip=False, random_state=0).fit(X, y).mi_
        return self

    def estimate(self, x, y, z=None, *, discrete="auto"):
        return KSGEstimator(self.n_neighbors, clip=False, random_state=0).estimate(x, y, z, discrete=discrete)


@pytest.mark.parametrize("criterion", ["mid", "cife", "jmi", "cmim"])
def test_any_estimator_with_the_protocol_works(criterion):
    rng = np.random.default_rng(31)
    X = rng.integers(0, 3, (400, 6))
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 2, 400)) % 3
    ours = MRMRSelector(4, criterion=criterion, estimator=KSGEstimator(discrete_features=True)).fit(X, y)
    other = MRMRSelector(4, criterion=criterion, estimator=_ProtocolOnly()).fit(X, y)
    assert not isinstance(other.estimator_, KSGEstimator)
    np.testing.assert_array_equal(other.selected_features_, ours.selected_features_)
    np.testing.assert_allclose(other.criterion_, ours.criterion_, atol=1e-12)  # plug-in counts: no jitter


def test_settings_that_moved_to_the_estimator_warn_and_still_apply():
    rng = np.random.default_rng(32)
    X = rng.integers(0, 3, (300, 4)).astype(float)
    y = (X[:, 0] + rng.integers(0, 2, 300)) % 3
    with pytest.warns(FutureWarning, match=r"MRMRSelector\(discrete_features=...\) is deprecated"):
        old = MRMRSelector(2, discrete_features=False, random_state=0).fit(X, y)
    new = MRMRSelector(2, estimator=KSGEstimator(discrete_features=False), random_state=0).fit(X, y)
    assert not old.discrete_features_.any()
    np.testing.assert_array_equal(old.scores_, new.scores_)
