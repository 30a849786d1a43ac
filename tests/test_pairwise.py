"""pairwise_mutual_information: the symmetric feature-feature matrix."""

import numpy as np
import pytest
from sklearn.metrics import mutual_info_score

from mifs import KSGEstimator, pairwise_mutual_information


def test_matrix_matches_estimates_of_each_pair():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(600)
    labels = rng.integers(0, 3, 600)
    X = np.column_stack([a, a + 0.3 * rng.standard_normal(600), labels, labels + (a > 0), rng.standard_normal(600)])
    est = KSGEstimator(clip=False, random_state=0)
    m = pairwise_mutual_information(X, estimator=est)
    np.testing.assert_array_equal(m, m.T)
    for i in range(5):
        for j in range(i + 1, 5):
            ref = KSGEstimator(clip=False, discrete_features=bool(i in (2, 3) and j in (2, 3)), random_state=0)
            if (i in (2, 3)) == (j in (2, 3)):
                expected = ref.estimate(X[:, i], X[:, j], discrete=(i in (2, 3)))
            else:
                expected = ref.estimate(X[:, i], X[:, j], discrete=(i in (2, 3), j in (2, 3)))
            assert m[i, j] == pytest.approx(expected, abs=1e-12)
    assert m[2, 3] == pytest.approx(mutual_info_score(X[:, 2], X[:, 3]), abs=1e-12)
    # the diagonal: H(X) for discrete columns, NaN for continuous ones
    p = np.bincount(labels) / 600
    assert m[2, 2] == pytest.approx(-(p * np.log(p)).sum())
    assert np.isnan(m[0, 0]) and np.isnan(m[4, 4])
    np.testing.assert_array_equal(pairwise_mutual_information(X, estimator=est, n_jobs=2), m)


def test_dataframe_in_dataframe_out():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.standard_normal(300), "colour": rng.choice(["r", "g"], 300)})
    df["y"] = df["x"] + (df["colour"] == "r")
    m = pairwise_mutual_information(df, estimator=KSGEstimator(random_state=0))
    assert list(m.index) == list(m.columns) == ["x", "colour", "y"]
    assert (m.fillna(0).to_numpy() >= 0).all()  # clipped, as the estimator asks


def test_errors():
    with pytest.raises(TypeError, match="KSGEstimator"):
        pairwise_mutual_information(np.ones((10, 2)), estimator=object())
    with pytest.raises(ValueError, match="at least 4 samples"):
        pairwise_mutual_information(np.random.default_rng(0).random((3, 2)))
