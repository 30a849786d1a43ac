"""Tests of mifs.bounds: Fano's inequality inverted exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from mifs.bounds import fano_error_lower_bound, fano_mutual_information_lower_bound


def fano(p: float, n_classes: int) -> float:
    """h(P) + P log(M - 1) in nats, written out."""
    h = -sum(v * math.log(v) for v in (p, 1 - p) if v > 0)
    return h + p * math.log(n_classes - 1)


def test_no_information_about_uniform_labels_leaves_guessing():
    assert fano_error_lower_bound(0.0, 100) == pytest.approx(0.99, abs=1e-15)
    assert fano_error_lower_bound(0.0, 2) == 0.5


@pytest.mark.parametrize("n_classes", [2, 3, 10, 100])
@pytest.mark.parametrize("label_entropy", [None, 0.3, 0.6])
def test_full_information_allows_zero_error(n_classes, label_entropy):
    h = math.log(n_classes) if label_entropy is None else label_entropy
    assert fano_error_lower_bound(h, n_classes, label_entropy=label_entropy) == 0.0


@pytest.mark.parametrize("info_bits", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_binary_labels_invert_the_binary_entropy(info_bits):
    # Solve h(P) = 1 - I (bits) on [0, 1/2] by hand.
    target = 1.0 - info_bits
    expected = (
        brentq(
            lambda p: -p * math.log2(p) - (1 - p) * math.log2(1 - p) - target,
            1e-300,
            0.5,
            xtol=1e-15,
        )
        if target < 1
        else 0.5
    )
    assert fano_error_lower_bound(info_bits, 2, base=2) == pytest.approx(expected, abs=1e-12)


def test_binary_known_value():
    # h(0.11) is half a bit, to three decimals.
    assert fano_error_lower_bound(0.5, 2, base=2) == pytest.approx(0.11, abs=5e-4)


@pytest.mark.parametrize("n_classes", [2, 3, 7, 50])
def test_decreasing_in_mutual_information(n_classes):
    info = np.linspace(0, math.log(n_classes), 200)
    bound = fano_error_lower_bound(info, n_classes)
    assert np.all(np.diff(bound) < 0)
    assert bound[0] == pytest.approx(1 - 1 / n_classes)
    assert bound[-1] == 0.0


@pytest.mark.parametrize("n_classes", [2, 3, 10, 1000])
def test_at_least_the_loose_relaxation(n_classes):
    h = math.log(n_classes)
    info = np.linspace(0, h, 101)
    loose = (h - info - math.log(2)) / math.log(n_classes)
    bound = fano_error_lower_bound(info, n_classes)
    assert np.all(bound >= loose)
    # Strictly tighter wherever the equivocation is positive.
    assert np.all(bound[:-1] > np.maximum(loose[:-1], 0))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 10_000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_root_satisfies_fano_with_equality(n_classes, entropy_fraction, info_fraction):
    h = entropy_fraction * math.log(n_classes)
    info = info_fraction * h
    p = fano_error_lower_bound(info, n_classes, label_entropy=h)
    assert 0 <= p <= 1 - 1 / n_classes
    assert fano(p, n_classes) == pytest.approx(h - info, abs=1e-10)


def test_bits_and_nats_agree():
    info_bits, h_bits = np.array([0.2, 1.0, 2.5]), 3.0
    bits = fano_error_lower_bound(info_bits, 10, label_entropy=h_bits, base=2)
    nats = fano_error_lower_bound(info_bits * math.log(2), 10, label_entropy=h_bits * math.log(2))
    np.testing.assert_allclose(bits, nats, rtol=1e-12)


def test_shapes():
    assert isinstance(fano_error_lower_bound(0.1, 3), float)
    assert isinstance(fano_error_lower_bound(np.float64(0.1), 3), float)
    out = fano_error_lower_bound([[0.1, 0.2], [0.3, 0.4]], 3)
    assert out.shape == (2, 2)
    assert out[0, 1] == fano_error_lower_bound(0.2, 3)
    assert fano_error_lower_bound([], 3).shape == (0,)


def test_tolerates_rounding_at_the_ends():
    h = math.log(5)
    assert fano_error_lower_bound(-1e-13, 5) == pytest.approx(0.8)
    assert fano_error_lower_bound(h + 1e-13, 5) == 0.0


@pytest.mark.parametrize("n_classes", [2, 4, 20])
def test_mutual_information_bound_inverts_the_error_bound(n_classes):
    h = 0.8 * math.log(n_classes)
    info = np.linspace(0.01, h, 25)
    error = fano_error_lower_bound(info, n_classes, label_entropy=h)
    back = fano_mutual_information_lower_bound(error, n_classes, label_entropy=h)
    np.testing.assert_allclose(back, info, atol=1e-10)


def test_mutual_information_bound_values():
    # Zero error needs all of H(Y); guessing needs nothing.
    assert fano_mutual_information_lower_bound(0.0, 10, base=2) == pytest.approx(math.log2(10))
    assert fano_mutual_information_lower_bound(0.9, 10) == pytest.approx(0.0, abs=1e-15)
    # Always wrong on two classes is as informative as always right.
    assert fano_mutual_information_lower_bound(1.0, 2) == pytest.approx(math.log(2))
    assert fano_mutual_information_lower_bound(0.05, 10, base=2) == pytest.approx(
        math.log2(10) - fano(0.05, 10) / math.log(2), rel=1e-12
    )
    assert fano_mutual_information_lower_bound([0.0, 0.5], 2).shape == (2,)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fano_error_lower_bound(0.1, 1), "n_classes must be an integer >= 2"),
        (lambda: fano_error_lower_bound(0.1, 2.5), "n_classes"),
        (lambda: fano_error_lower_bound(0.1, True), "n_classes"),
        (lambda: fano_error_lower_bound(-0.1, 3), "mutual_info must be non-negative"),
        (lambda: fano_error_lower_bound(np.nan, 3), "mutual_info"),
        (lambda: fano_error_lower_bound(2.0, 3), "mutual_info must not exceed label_entropy"),
        (
            lambda: fano_error_lower_bound(0.5, 3, label_entropy=0.4),
            "mutual_info must not exceed label_entropy",
        ),
        (
            lambda: fano_error_lower_bound(0.1, 3, label_entropy=1.2),
            r"label_entropy must lie in \[0, log\(n_classes\)\]",
        ),
        (lambda: fano_error_lower_bound(0.1, 3, label_entropy=-0.5), "label_entropy"),
        (
            lambda: fano_error_lower_bound(0.1, 3, label_entropy=[0.5, 0.6]),
            "label_entropy must be a scalar",
        ),
        (lambda: fano_error_lower_bound(0.1, 3, base=1), "base"),
        (lambda: fano_mutual_information_lower_bound(1.5, 3), r"error must lie in \[0, 1\]"),
        (lambda: fano_mutual_information_lower_bound(0.1, 0), "n_classes"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --------------------------------------------------------------------------
# gaussian_mixture_mutual_information: closed forms, an independent
# integration, and the KSG estimator on samples.

from scipy.integrate import trapezoid  # noqa: E402

from mifs import KSGEstimator  # noqa: E402
from mifs.bounds import GaussianMixtureMI, gaussian_mixture_mutual_information  # noqa: E402


def mixture_mi_by_grid(means, sds, priors) -> float:
    """I = H(X) - sum_c pi_c H(N(mu_c, sd_c^2)) in nats: H(X) by the trapezoid rule.

    The grid joins a fine uniform grid around each class, so narrow classes
    are resolved.
    """
    means, sds, priors = map(np.asarray, (means, sds, priors))
    grids = [np.linspace(m - 14 * s, m + 14 * s, 200_001) for m, s in zip(means, sds, strict=True)]
    x = np.unique(np.concatenate(grids))
    dens = (
        priors * np.exp(-0.5 * ((x[:, None] - means) / sds) ** 2) / (sds * math.sqrt(2 * math.pi))
    )
    f = dens.sum(axis=1)
    integrand = np.where(f > 0, -f * np.log(np.where(f > 0, f, 1.0)), 0.0)
    h_x = trapezoid(integrand, x)
    return h_x - float(np.sum(priors * 0.5 * np.log(2 * math.pi * math.e * sds**2)))


def sample_mixture(means, covs, priors, n, seed):
    rng = np.random.default_rng(seed)
    y = rng.choice(len(priors), size=n, p=priors)
    x = np.empty((n, len(means[0])))
    for c in range(len(priors)):
        rows = y == c
        x[rows] = rng.multivariate_normal(means[c], covs[c], size=rows.sum())
    return x, y


@pytest.mark.parametrize("n_samples", [None, 5000])
def test_identical_classes_share_no_information(n_samples):
    res = gaussian_mixture_mutual_information(
        [1.5, 1.5, 1.5], [2.0, 2.0, 2.0], [0.2, 0.3, 0.5], n_samples=n_samples, random_state=0
    )
    assert isinstance(res, GaussianMixtureMI)
    assert res.value == pytest.approx(0.0, abs=1e-12)
    cov = [[2.0, 0.3], [0.3, 1.0]]
    res = gaussian_mixture_mutual_information(
        [[1, 2], [1, 2]], [cov, cov], [0.4, 0.6], random_state=0
    )
    assert res.value == pytest.approx(0.0, abs=1e-12)
    assert res.stderr == pytest.approx(0.0, abs=1e-12)


def test_far_apart_classes_reveal_the_label():
    priors = np.array([0.2, 0.3, 0.5])
    h_y = -float(np.sum(priors * np.log(priors)))
    res = gaussian_mixture_mutual_information([0.0, 100.0, 200.0], [1.0, 1.0, 1.0], priors)
    assert res.value == pytest.approx(h_y, abs=1e-10)
    means = [[0, 0, 0], [60, 0, 0], [0, 60, 0]]
    res = gaussian_mixture_mutual_information(
        means, [np.eye(3)] * 3, priors, n_samples=2000, random_state=0
    )
    assert res.value == pytest.approx(h_y, abs=1e-10)
    assert gaussian_mixture_mutual_information(
        means, [np.eye(3)] * 3, priors, base=2, n_samples=2000
    ).value == (pytest.approx(h_y / math.log(2), abs=1e-10))


@pytest.mark.parametrize(
    ("means", "sds", "priors"),
    [
        ([-0.5, 0.5], [1.0, 1.0], [0.5, 0.5]),
        ([0.0, 1.0, 3.0], [1.0, 0.5, 2.0], [0.2, 0.5, 0.3]),
        ([0.0, 0.0], [1.0, 3.0], [0.7, 0.3]),  # equal means, unequal spreads
        ([0.0, 0.4], [1.0, 0.05], [0.9, 0.1]),  # a narrow class inside a wide one
        ([0.0, 0.4], [1.0, 0.01], [0.5, 0.5]),  # narrower: quad needs the breakpoint
    ],
)
def test_one_dimension_matches_an_independent_integration(means, sds, priors):
    res = gaussian_mixture_mutual_information(means, np.square(sds), priors)
    assert res.value == pytest.approx(mixture_mi_by_grid(means, sds, priors), abs=1e-8)
    assert res.stderr < 1e-8
    # Monte Carlo agrees within its reported standard error.
    mc = gaussian_mixture_mutual_information(
        means, np.square(sds), priors, n_samples=20_000, random_state=1
    )
    assert abs(mc.value - res.value) < 4 * mc.stderr


def test_equal_covariances_reduce_to_one_dimension():
    # With a shared covariance and two classes, the posterior depends on x
    # only through the discriminant direction: I(X; Y) is that of two unit
    # variance classes at the Mahalanobis distance of the means.
    cov = np.array([[2.0, 1.2], [1.2, 1.0]])
    means = np.array([[0.0, 0.0], [1.0, -0.5]])
    diff = means[1] - means[0]
    distance = math.sqrt(diff @ np.linalg.solve(cov, diff))
    exact = gaussian_mixture_mutual_information([0.0, distance], [1.0, 1.0], [0.3, 0.7])
    mc = gaussian_mixture_mutual_information(
        means, [cov, cov], [0.3, 0.7], n_samples=200_000, random_state=0
    )
    assert abs(mc.value - exact.value) < 4 * mc.stderr
    assert mc.stderr < 1e-3


def test_monte_carlo_standard_error_matches_its_spread():
    means, covs, priors = [[0, 0], [1, 1]], [np.eye(2), np.diag([2.0, 0.5])], [0.5, 0.5]
    runs = [
        gaussian_mixture_mutual_information(means, covs, priors, n_samples=2000, random_state=s)
        for s in range(30)
    ]
    spread = np.std([r.value for r in runs], ddof=1)
    reported = np.mean([r.stderr for r in runs])
    assert 0.6 < spread / reported < 1.5
    again = gaussian_mixture_mutual_information(means, covs, priors, n_samples=2000, random_state=3)
    assert again == runs[3]


def test_agrees_with_the_ksg_estimator_on_samples():
    # KSG (Ross's continuous-discrete form, k = 3) on n = 4000 draws of this
    # model: across 20 seeds its bias is below 0.001 nats and its standard
    # deviation 0.014, so the mean of four runs (sd 0.007) lies within
    # 0.03 nats of the truth with a margin of four standard deviations.
    means = np.array([[0.0, 0.0], [1.5, 0.0], [0.0, 1.5]])
    covs = np.array([np.eye(2), [[1.0, 0.5], [0.5, 1.0]], np.diag([0.5, 2.0])])
    priors = np.array([0.5, 0.3, 0.2])
    truth = gaussian_mixture_mutual_information(
        means, covs, priors, n_samples=200_000, random_state=0
    )
    assert truth.stderr < 1e-3
    ksg = KSGEstimator(n_neighbors=3, random_state=0)
    estimates = [
        ksg.estimate(*sample_mixture(means, covs, priors, 4000, seed), discrete=(False, True))
        for seed in range(4)
    ]
    assert np.mean(estimates) == pytest.approx(truth.value, abs=0.03)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([0, 1], [1, 1], [0.5, 0.6]), {}, "priors must sum to 1"),
        (([0, 1], [1, 1], [1.2, -0.2]), {}, "priors must be positive"),
        (([0, 1], [1, 1], [[0.5, 0.5]]), {}, "priors must be a non-empty 1-D array"),
        (([0, 1, 2], [1, 1], [0.5, 0.5]), {}, "means must have shape"),
        (([[0, 0], [1, 1]], [1, 1], [0.5, 0.5]), {}, "covariances must have shape"),
        (
            ([[0, 0], [1, 1]], [np.eye(2), -np.eye(2)], [0.5, 0.5]),
            {},
            r"covariances\[1\] must be positive definite",
        ),
        (
            ([[0, 0], [1, 1]], [np.eye(2), [[1, 2], [0, 1]]], [0.5, 0.5]),
            {},
            r"covariances\[1\] must be symmetric",
        ),
        (([0, 1], [1, 0], [0.5, 0.5]), {}, r"covariances\[1\] must be positive definite"),
        (([0, np.nan], [1, 1], [0.5, 0.5]), {}, "means must not contain NaN"),
        (
            ([0, 1], [1, 1], [0.5, 0.5]),
            {"n_samples": 1},
            "n_samples must be None or an integer >= 2",
        ),
        (([0, 1], [1, 1], [0.5, 0.5]), {"n_samples": 10.0}, "n_samples"),
        (([0, 1], [1, 1], [0.5, 0.5]), {"base": 1}, "base"),
    ],
)
def test_gaussian_mixture_bad_input_names_the_argument(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        gaussian_mixture_mutual_information(*args, **kwargs)


def test_a_single_class_carries_no_information():
    assert gaussian_mixture_mutual_information([[0.0, 1.0]], [np.eye(2)], [1.0]) == (0.0, 0.0)
