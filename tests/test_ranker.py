"""MIRanker: selection rules, real data, permutation tests, the sklearn ecosystem, Dask."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    make_classification,
    make_friedman1,
)
from sklearn.feature_selection import mutual_info_classif
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mutual_info_score
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from mifs import KSGEstimator, MIRanker


@pytest.fixture(scope="module")
def noisy_problem():
    # true MI 0.45, 0.16, 0.08 nats for columns 0, 1, 2; the others are noise
    # (the estimates spread by about 0.02 nats at this n)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2000, 8))
    y = 1.6 * X[:, 0] + 1.1 * X[:, 1] + 0.8 * X[:, 2] + 0.3 * rng.standard_normal(2000)
    return X, y


# ------------------------------------------------------------------ real data


def test_breast_cancer_scores_are_the_estimators():
    X, y = load_breast_cancer(return_X_y=True)
    ranker = MIRanker(k=5, random_state=0).fit(X, y)
    ref = KSGEstimator(random_state=0).fit(X, y).mi_
    np.testing.assert_array_equal(ranker.scores_, ref)
    assert set(ranker.get_support(indices=True)) == set(np.argsort(-ref)[:5])
    np.testing.assert_allclose(
        ranker.scores_, mutual_info_classif(X, y, random_state=0), atol=0.02
    )  # ties: agreement within scikit-learn's own spread (see test_ksg)


def test_digits_pixels_are_discrete_and_plug_in():
    X, y = load_digits(return_X_y=True)
    ranker = MIRanker(k=10, random_state=0).fit(X, y)
    assert ranker.discrete_features_.all()  # 17 integer levels per pixel
    expected = np.array([mutual_info_score(X[:, j], y) for j in range(X.shape[1])])
    np.testing.assert_allclose(ranker.scores_, expected, atol=1e-12)
    assert ranker.scores_[0] == 0.0  # a constant (always blank) corner pixel


def test_diabetes_continuous_target():
    X, y = load_diabetes(return_X_y=True)
    ranker = MIRanker(KSGEstimator(discrete_target=False), k=2, random_state=0).fit(X, y)
    # body-mass index (2) and the serum measurement s5 (8) are the strongest
    # single predictors of disease progression
    assert set(ranker.get_support(indices=True)) == {2, 8}


@pytest.mark.parametrize("seed", [0, 1])
def test_friedman1_informative_features_rank_top_five(seed):
    X, y = make_friedman1(n_samples=5000, n_features=10, random_state=seed)
    ranker = MIRanker(k=5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ranker.get_support(indices=True), [0, 1, 2, 3, 4])
    assert set(ranker.ranking_[:5]) == {1, 2, 3, 4, 5}


def test_make_classification_informative_features_first():
    X, y = make_classification(
        n_samples=2000, n_features=12, n_informative=3, n_redundant=0, shuffle=False, random_state=0
    )
    ranker = MIRanker(k=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ranker.get_support(indices=True), [0, 1, 2])


# ------------------------------------------------------------- selection rules


def test_selection_by_k_percentile_threshold(noisy_problem):
    X, y = noisy_problem
    ranker = MIRanker(k=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ranker.get_support(indices=True), [0, 1])
    assert ranker.set_params(k="all").get_support().all()
    ranker = MIRanker(percentile=40, random_state=0).fit(X, y)  # 40 % of 8 -> 3
    np.testing.assert_array_equal(ranker.get_support(indices=True), [0, 1, 2])
    ranker = MIRanker(threshold=0.1, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ranker.get_support(), ranker.scores_ > 0.1)
    assert 1 <= ranker.get_support().sum() <= 3


def test_ranking_is_a_stable_order_of_raw_estimates(noisy_problem):
    X, y = noisy_problem
    X2 = np.column_stack([X[:, 0], X[:, 0], X[:, 1:]])  # column 1 duplicates column 0
    ranker = MIRanker(k=1, random_state=0).fit(X2, y)
    assert ranker.scores_[0] == ranker.scores_[1]
    assert ranker.ranking_[0] == 1 and ranker.ranking_[1] == 2  # the tie goes to the earlier column
    assert sorted(ranker.ranking_) == list(range(1, X2.shape[1] + 1))
    raw = ranker.estimator_.mi_
    assert np.all(np.diff(raw[np.argsort(ranker.ranking_)]) <= 0)  # ranks follow the raw estimates


def test_k_larger_than_n_features_warns_and_keeps_all(noisy_problem):
    X, y = noisy_problem
    with pytest.warns(UserWarning, match="k=20 is greater than n_features=8"):
        ranker = MIRanker(k=20, random_state=0).fit(X, y)
    assert ranker.get_support().all()


def test_bad_parameters():
    X, y = np.random.default_rng(0).random((30, 3)), np.arange(30.0)
    with pytest.raises(ValueError, match="percentile or threshold, not both"):
        MIRanker(percentile=50, threshold=0.1).fit(X, y)
    with pytest.raises(ValueError, match="n_permutations > 0"):
        MIRanker(threshold="significant").fit(X, y)
    with pytest.raises(InvalidParameterError, match="alpha"):
        MIRanker(alpha=1.5).fit(X, y)
    with pytest.raises(InvalidParameterError, match="k"):
        MIRanker(k=-1).fit(X, y)


# --------------------------------------------------------- permutation test


def test_permutation_pvalues(noisy_problem):
    X, y = noisy_problem
    ranker = MIRanker(n_permutations=99, threshold="significant", random_state=0).fit(X, y)
    assert ranker.get_support().sum() == 3
    p = ranker.pvalues_
    assert np.all(p[:3] == 0.01)  # the smallest p-value 99 permutations can give
    assert np.all(p[3:] > 0.05)
    assert np.all((p > 0) & (p <= 1))
    np.testing.assert_array_equal(ranker.get_support(indices=True), [0, 1, 2])
    again = MIRanker(n_permutations=99, threshold="significant", random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(again.pvalues_, p)


def test_permutation_pvalues_are_uniform_under_independence():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((300, 40))
    y = rng.integers(0, 2, 300)
    p = MIRanker(n_permutations=49, random_state=0).fit(X, y).pvalues_
    # 40 null p-values: mean 0.5 with standard deviation 0.29 / sqrt(40) = 0.046
    assert 0.35 < p.mean() < 0.65
    assert (p < 0.05).sum() <= 6


def test_fast_path_equals_generic_callable_on_tie_free_data(noisy_problem):
    X, y = noisy_problem
    fast = MIRanker(k="all", n_permutations=9, random_state=0).fit(X, y)

    def score(X, y):
        return KSGEstimator(clip=False, random_state=0)(X, y)

    generic = MIRanker(score, k="all", n_permutations=9, random_state=0).fit(X, y)
    np.testing.assert_array_equal(generic.scores_, fast.scores_)
    np.testing.assert_array_equal(generic.pvalues_, fast.pvalues_)


# ------------------------------------------------------------- the ecosystem


def test_estimator_settings_and_overrides(noisy_problem):
    X, y = noisy_problem
    inner = KSGEstimator(n_neighbors=7, random_state=3)
    kept = MIRanker(inner, k=3).fit(X, y)
    assert kept.estimator_.n_neighbors == 7 and kept.estimator_.random_state == 3
    assert inner.get_params()["clip"] is True  # the user's object is not touched
    # the selector's random_state and n_jobs fill in an estimator's unset ones, never override them
    filled = MIRanker(KSGEstimator(), k=3, random_state=1, n_jobs=2).fit(X, y)
    assert filled.estimator_.random_state == 1 and filled.estimator_.n_jobs == 2
    with pytest.warns(UserWarning, match=r"random_state=1\) differs from its estimator's random_state=3"):
        kept = MIRanker(inner, k=3, random_state=1).fit(X, y)
    assert kept.estimator_.random_state == 3
    # settings that moved to the estimator still work for one release, with a FutureWarning
    with pytest.warns(FutureWarning, match=r"MIRanker\(discrete_features=...\) is deprecated"):
        old = MIRanker(inner, k=3, discrete_features=False).fit(X, y)
    new = MIRanker(KSGEstimator(n_neighbors=7, random_state=3, discrete_features=False), k=3).fit(X, y)
    assert old.estimator_.discrete_features is False
    np.testing.assert_array_equal(old.scores_, new.scores_)
    with pytest.warns(FutureWarning, match="missing_values"):
        MIRanker(k=3, missing_values="pairwise").fit(X, y)


def test_nested_estimator_is_fully_fitted(noisy_problem):
    X, y = noisy_problem
    ranker = MIRanker(KSGEstimator(random_state=0), k=3).fit(X, y)
    alone = KSGEstimator(random_state=0, clip=False).fit(X, y)
    est = ranker.estimator_
    assert est.n_features_in_ == X.shape[1] and est.discrete_target_ == alone.discrete_target_
    np.testing.assert_array_equal(est.mi_, alone.mi_)
    np.testing.assert_array_equal(est.n_samples_used_, alone.n_samples_used_)


def test_pandas_in_and_out():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(2)
    n = 500
    df = pd.DataFrame(
        {
            "signal": rng.standard_normal(n),
            "noise": rng.standard_normal(n),
            "city": rng.choice(["Oslo", "Lima", "Pune"], n),
            "grade": pd.Categorical(rng.choice(["a", "b"], n)),
        }
    )
    y = (df["signal"] + (df["city"] == "Lima") > 0.5).astype(int)
    ranker = MIRanker(k=2, random_state=0).fit(df, y)
    np.testing.assert_array_equal(ranker.feature_names_in_, df.columns)
    np.testing.assert_array_equal(ranker.discrete_features_, [False, False, True, True])
    np.testing.assert_array_equal(ranker.get_feature_names_out(), ["signal", "city"])
    out = ranker.set_output(transform="pandas").transform(df)
    assert list(out.columns) == ["signal", "city"]
    assert out["city"].tolist() == df["city"].tolist()
    plain = MIRanker(k=2, random_state=0).fit(df, y).transform(df)
    assert plain.shape == (n, 2)


def test_pipeline_grid_search_cross_validation_clone_pickle(noisy_problem):
    X, y = noisy_problem
    y_cls = (y > 0).astype(int)
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("select", MIRanker(KSGEstimator(), random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    grid = GridSearchCV(
        pipe, {"select__k": [1, 3], "select__estimator__n_neighbors": [3, 6]}, cv=3
    ).fit(X, y_cls)
    assert grid.best_params_["select__k"] == 3
    assert grid.best_estimator_.named_steps["select"].estimator_.n_neighbors in (3, 6)
    scores = cross_val_score(pipe.set_params(select__k=3), X, y_cls, cv=3)
    assert scores.mean() > 0.75
    ranker = MIRanker(k=3, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(ranker))
    np.testing.assert_array_equal(restored.transform(X), ranker.transform(X))
    refit = clone(ranker).fit(X, y)
    np.testing.assert_array_equal(refit.scores_, ranker.scores_)


def test_verbose_shows_a_progress_bar(noisy_problem, capsys):
    X, y = noisy_problem
    MIRanker(k=3, verbose=1, random_state=0).fit(X, y)
    err = capsys.readouterr().err
    assert "8/8 [" in err and "features/s" in err and "100%" in err  # tqdm: count, rate and time


# ----------------------------------------------------------------- scale out


def test_dask_cluster_gives_the_same_scores(noisy_problem):
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    X, y = noisy_problem
    local = MIRanker(k=3, n_permutations=3, random_state=0, n_jobs=2).fit(X, y)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        with parallel_config(backend="dask"):
            remote = MIRanker(k=3, n_permutations=3, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(remote.scores_, local.scores_)
    np.testing.assert_array_equal(remote.pvalues_, local.pvalues_)
