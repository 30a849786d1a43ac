"""Type inference: which columns (and targets) are labels and which are measurements.

The cases of issue #12: a regression target of whole numbers must stay a
regression target, integer prices must stay measurements, labels stay
labels whatever their dtype, and a close call warns once, saying what was
chosen and how to choose.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_digits, load_iris
from sklearn.feature_selection import mutual_info_regression

from mifs import KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information
from mifs._base import AUTO_MAX_LEVELS, infer_numeric


def no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


# ------------------------------------------------------------ the cases


def test_diabetes_target_is_a_regression_target():
    X, y = load_diabetes(return_X_y=True)  # 214 distinct whole numbers in 442 rows
    assert np.array_equal(y, np.round(y)) and len(np.unique(y)) == 214
    est = no_warnings(KSGEstimator(random_state=0).fit, X, y)
    assert est.discrete_target_ is False
    as_regression = KSGEstimator(discrete_target=False, random_state=0).fit(X, y)
    np.testing.assert_array_equal(est.mi_, as_regression.mi_)
    # The regression ranking of scikit-learn's own estimator, averaged over seeds, leads with bmi and s5;
    # as classes, age (column 0, no information about the progress score) was among the top five.
    reference = np.mean([mutual_info_regression(X, y, random_state=s) for s in range(5)], axis=0)
    ranker = MIRanker(k=2, random_state=0).fit(X, y)
    assert set(ranker.get_support(indices=True)) == set(np.argsort(-reference)[:2]) == {2, 8}
    assert 0 not in MIRanker(k=5, random_state=0).fit(X, y).get_support(indices=True)


def test_rounded_prices_are_measurements_and_noise_levels_do_not_win():
    rng = np.random.default_rng(0)
    n = 5000
    size = rng.lognormal(4.5, 0.4, n)  # floor area
    price = np.round(1500 * size + rng.normal(0, 20000, n)).astype(np.int64)  # whole dollars
    assert len(np.unique(price)) > 2000
    noise = rng.integers(0, 3, n)  # a pure-noise three-level column
    X = pd.DataFrame({"size": size, "noise": noise})
    est = no_warnings(KSGEstimator(random_state=0).fit, X, price)
    assert est.discrete_target_ is False
    assert est.discrete_features_.tolist() == [False, True]
    assert est.mi_[0] > 0.5 and est.mi_[1] < 0.02  # as ~5000 classes the noise column scored 1.09 nats
    assert MIRanker(k=1, random_state=0).fit(X, price).get_feature_names_out().tolist() == ["size"]
    # the same prices as an int64 *feature* are continuous too
    est = no_warnings(KSGEstimator(random_state=0).fit, pd.DataFrame({"price": price}), size)
    assert est.discrete_features_.tolist() == [False]


@pytest.mark.parametrize("loader", [load_iris, load_digits])
def test_int_labels_are_classes(loader):
    X, y = loader(return_X_y=True)
    assert y.dtype.kind == "i"
    est = no_warnings(KSGEstimator(random_state=0).fit, X, y)
    assert est.discrete_target_ is True
    for cast in (np.float64, np.float32, lambda v: pd.Series(v, dtype="Int64")):
        assert no_warnings(KSGEstimator(random_state=0).fit, X, cast(y)).discrete_target_ is True


def test_digits_pixels_are_discrete_and_iris_measurements_continuous():
    X, y = load_digits(return_X_y=True)  # whole numbers 0..16 in 1797 rows
    assert no_warnings(KSGEstimator(random_state=0).fit, X, y).discrete_features_.all()
    X, y = load_iris(return_X_y=True)  # lengths in cm, one decimal
    assert not no_warnings(KSGEstimator(random_state=0).fit, X, y).discrete_features_.any()


def test_binary_float_columns_are_discrete():
    rng = np.random.default_rng(1)
    flag = rng.integers(0, 2, 300).astype(float)
    odd_flag = np.where(flag > 0, 1.7, -0.3)  # two values, not whole numbers
    X = np.column_stack([flag, odd_flag, rng.standard_normal(300)])
    y = flag + rng.standard_normal(300)
    est = no_warnings(KSGEstimator(random_state=0).fit, X, y)
    assert est.discrete_features_.tolist() == [True, True, False]
    assert est.mi_[0] == pytest.approx(est.mi_[1], abs=1e-12)  # the same partition of the rows
    y01 = rng.integers(0, 2, 300).astype(float)
    assert no_warnings(KSGEstimator().fit, X, y01).discrete_target_ is True


def test_strings_bools_and_categoricals_stay_discrete():
    rng = np.random.default_rng(2)
    n = 200
    df = pd.DataFrame(
        {
            "text": rng.choice(["a", "b", "c"], n),
            "flag": rng.random(n) < 0.5,
            "cat": pd.Categorical(rng.choice(["x", "y"], n)),
            "many_text": [f"v{i % 40}" for i in range(n)],  # 40 labels: still labels
        }
    )
    est = KSGEstimator(random_state=0).fit(df, rng.standard_normal(n))
    assert est.discrete_features_.all()
    assert KSGEstimator().fit(df, rng.choice(["u", "v"], n)).discrete_target_ is True


# ------------------------------------------------------------ close calls warn


def test_a_close_call_on_a_feature_warns_once_naming_the_columns_and_the_override():
    rng = np.random.default_rng(3)
    n = 10000
    df = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),  # 72 whole numbers in 10000 rows: a close call
            "visits": rng.integers(0, 50, n),  # another
            "x": rng.standard_normal(n),
        }
    )
    y = rng.integers(0, 2, n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = KSGEstimator(random_state=0).fit(df, y)
    assert len(caught) == 1  # one warning for the fit, listing both columns
    text = str(caught[0].message)
    assert "'age'" in text and "'visits'" in text and "72 distinct whole-number values in 10000 rows" in text
    assert "as discrete (labels): columns 'age'" in text and "pass discrete_features" in text
    assert est.discrete_features_.tolist() == [True, True, False]
    # choosing explicitly silences it
    est = no_warnings(KSGEstimator(discrete_features=["age"], random_state=0).fit, df, y)
    assert est.discrete_features_.tolist() == [True, False, False]


def test_a_close_call_on_the_target_warns_with_the_override():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5000, 2))
    y = rng.integers(0, 40, 5000)  # 40 whole numbers in 5000 rows
    with pytest.warns(UserWarning, match=r"y has 40 distinct whole-number values in 5000 rows; treated as classes") as rec:
        est = KSGEstimator(random_state=0).fit(X, y)
    assert "discrete_target=False" in str(rec[0].message)
    assert est.discrete_target_ is True
    assert no_warnings(KSGEstimator(discrete_target=False).fit, X, y).discrete_target_ is False


def test_few_rows_per_value_is_a_close_call_decided_continuous():
    rng = np.random.default_rng(5)
    y = np.arange(25) % 10  # 10 values, 2.5 rows each
    X = rng.standard_normal((25, 1))
    with pytest.warns(UserWarning, match="treated as continuous"):
        assert KSGEstimator(n_neighbors=2).fit(X, y).discrete_target_ is False


def test_the_selectors_and_the_pairwise_matrix_use_the_same_rule():
    X, y = load_diabetes(return_X_y=True)
    sel = no_warnings(MRMRSelector(3, random_state=0).fit, X, y)
    assert sel.discrete_features_.tolist() == [False, True] + [False] * 8
    rng = np.random.default_rng(6)
    price = np.round(rng.lognormal(10, 1, 3000)).astype(np.int64)
    both = np.column_stack([price, price + rng.integers(0, 1000, 3000)])
    matrix = no_warnings(pairwise_mutual_information, both, estimator=KSGEstimator(random_state=0))
    assert np.isnan(np.diag(matrix)).all()  # continuous: no plug-in self-information on the diagonal


# ------------------------------------------------------------ the rule itself


@pytest.mark.parametrize(
    "values, discrete, borderline",
    [
        (np.array([0.0, 1.0] * 50), True, False),  # a flag
        (np.array([-0.3, 1.7] * 3), True, False),  # two values, few rows: still binary
        (np.tile(np.arange(20.0), 3), True, False),  # 20 values, 3 rows each
        (np.tile(np.arange(20), 2), False, True),  # 20 values, 2 rows each: close, a measurement
        (np.tile(np.arange(20), 1), False, False),  # 20 values, 1 row each: a measurement
        (np.arange(100), False, False),  # all distinct: a measurement (or an identifier)
        (np.tile(np.arange(30), 40), True, True),  # 30 values in 1200 rows (sqrt = 34): close, labels
        (np.tile(np.arange(40), 30), False, False),  # 40 values in 1200 rows: beyond sqrt(n)
        (np.linspace(0, 1, 7).repeat(10), False, False),  # 7 levels, not whole numbers: measurements
    ],
)
def test_rule_table(values, discrete, borderline):
    guess = infer_numeric(values)
    assert (guess.discrete, guess.borderline) == (discrete, borderline)


@pytest.mark.parametrize("seed", range(20))
def test_level_count_matches_unique(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    scale = [1, 5, 50, 10**6, 10**12][seed % 5]
    col = rng.integers(-scale, scale + 1, n)
    if seed % 2:
        col = col.astype(np.float64)
    if seed % 3 == 0:
        col = col * 0.5  # half of them are no longer whole
    guess = infer_numeric(col)
    m = len(np.unique(col))
    whole = bool(np.all(col == np.floor(col)))
    if guess.n_levels != -1:
        assert guess.n_levels == m
    limit = max(AUTO_MAX_LEVELS, int(np.sqrt(n)))
    if whole and m <= limit:
        assert guess.n_levels == m
    # the decision, from the rule as documented
    if m <= 2:
        expected = True
    elif not whole:
        expected = False
    elif m <= AUTO_MAX_LEVELS and n >= 3 * m:
        expected = True
    elif m > limit or n < 2 * m:
        expected = False
    else:
        expected = n >= 3 * m
    assert guess.discrete == expected


def test_missing_values_are_left_out_of_the_count():
    col = np.array([0.0, 1.0, np.nan] * 20)
    guess = infer_numeric(col)
    assert guess.discrete and guess.n_levels == 2 and guess.n_rows == 40


def test_extreme_integers_do_not_overflow_the_count():
    big = np.iinfo(np.int64)
    assert infer_numeric(np.array([big.min, big.max, 0] * 10)).n_levels == 3
    assert infer_numeric(np.array([big.max, big.max - 1] * 10 + [big.max - 2])).n_levels == 3
    assert infer_numeric(np.array([2**64 - 1, 0, 5] * 10, dtype=np.uint64)).n_levels == 3
