"""Tests of mifs.information against worked examples, closed forms, independent
references (scikit-learn, scipy optimisers, brute force) and the identities of
information theory."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import brentq, minimize
from sklearn.metrics import mutual_info_score

from mifs import information
from mifs.information import (
    binary_entropy,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    discrete_conditional_mutual_information,
    discrete_entropy,
    discrete_mutual_information,
    entropy,
    gaussian_entropy,
    gaussian_kl_divergence,
    gaussian_mutual_information,
    joint_entropy,
    js_divergence,
    kl_divergence,
    maxent_distribution,
    mutual_information,
)

LOG2 = math.log(2)
PROPERTY = settings(max_examples=60, deadline=None)


def h2(p: float) -> float:
    """Binary entropy in bits, written out."""
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def random_spd(rng: np.random.Generator, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d))
    return a @ a.T + d * np.eye(d)


# --------------------------------------------------------------------------
# Worked examples and closed forms


def test_xor_channel_joint_entropy():
    # Fair coin X, Y = X xor Z with Z ~ Bern(0.1).
    pxy = [[0.45, 0.05], [0.05, 0.45]]
    assert joint_entropy(pxy, base=2) == pytest.approx(1.469, abs=5e-4)
    assert joint_entropy(pxy, base=2) == pytest.approx(1 + h2(0.1), rel=1e-12)
    assert conditional_entropy(pxy, base=2) == pytest.approx(h2(0.1), rel=1e-12)
    assert mutual_information(pxy, base=2) == pytest.approx(1 - h2(0.1), rel=1e-12)


def test_symmetric_joint_mutual_information():
    pxy = np.array([[0.4, 0.1], [0.1, 0.4]])
    assert mutual_information(pxy, base=2) == pytest.approx(0.2781, abs=5e-5)
    assert mutual_information(pxy, base=2) == pytest.approx(1 - h2(0.2), rel=1e-12)


def test_one_hot_cross_entropy():
    ce = cross_entropy([1, 0, 0], [0.7, 0.2, 0.1], base=2)
    assert ce == pytest.approx(0.515, abs=5e-4)
    assert ce == pytest.approx(-math.log2(0.7), rel=1e-12)


@pytest.mark.parametrize("rho", [-0.95, -0.3, 0.0, 0.5, 0.9, 0.999])
def test_bivariate_gaussian_mutual_information(rho):
    cov = [[2.0, rho * math.sqrt(6.0)], [rho * math.sqrt(6.0), 3.0]]
    expected = -0.5 * math.log(1 - rho**2)
    assert gaussian_mutual_information(cov, x_dims=1) == pytest.approx(
        expected, rel=1e-10, abs=1e-15
    )
    assert gaussian_mutual_information(cov, 1, base=2) == pytest.approx(
        expected / LOG2, rel=1e-10, abs=1e-15
    )


def test_gaussian_mutual_information_block_determinants():
    rng = np.random.default_rng(0)
    cov = random_spd(rng, 5)
    for k in range(1, 5):
        expected = 0.5 * (
            np.linalg.slogdet(cov[:k, :k])[1]
            + np.linalg.slogdet(cov[k:, k:])[1]
            - np.linalg.slogdet(cov)[1]
        )
        assert gaussian_mutual_information(cov, k) == pytest.approx(expected, rel=1e-10)


def test_gaussian_mutual_information_of_independent_blocks_is_zero():
    assert gaussian_mutual_information(np.diag([1.0, 2.0, 3.0]), 2) == 0.0


@pytest.mark.parametrize("n", [1, 2, 6, 100])
@pytest.mark.parametrize("base", [math.e, 2, 10])
def test_uniform_entropy(n, base):
    assert entropy(np.full(n, 1 / n), base=base) == pytest.approx(math.log(n, base), abs=1e-12)


def test_entropy_of_a_point_mass_is_zero():
    assert entropy([0.0, 1.0, 0.0]) == 0.0


def test_binary_entropy():
    assert binary_entropy(0.5, base=2) == 1.0
    assert binary_entropy(0.0) == binary_entropy(1.0) == 0.0
    ps = np.linspace(0, 1, 11)
    np.testing.assert_allclose(binary_entropy(ps), [entropy([p, 1 - p]) for p in ps], rtol=1e-12)
    assert binary_entropy(ps.reshape(1, 11)).shape == (1, 11)
    assert isinstance(binary_entropy(0.3), float)


def test_kl_divergence_of_two_bernoullis():
    a, b = 0.3, 0.6
    expected = a * math.log(a / b) + (1 - a) * math.log((1 - a) / (1 - b))
    assert kl_divergence([a, 1 - a], [b, 1 - b]) == pytest.approx(expected, rel=1e-12)
    assert kl_divergence([a, 1 - a], [b, 1 - b], base=2) == pytest.approx(
        expected / LOG2, rel=1e-12
    )


def test_kl_and_cross_entropy_are_infinite_off_the_support():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    # q = 0 where p = 0 costs nothing.
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LOG2)


def test_js_divergence_of_disjoint_distributions_is_log_2():
    assert js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7]) == pytest.approx(LOG2, rel=1e-12)
    assert js_divergence([0.2, 0.8], [0.2, 0.8]) == 0.0


@pytest.mark.parametrize("variance", [0.01, 1.0, 7.5])
def test_gaussian_entropy_one_dimensional(variance):
    expected = 0.5 * math.log(2 * math.pi * math.e * variance)
    assert gaussian_entropy(variance) == pytest.approx(expected, rel=1e-12)
    assert gaussian_entropy([[variance]], base=2) == pytest.approx(expected / LOG2, rel=1e-12)


def test_gaussian_entropy_multivariate():
    rng = np.random.default_rng(1)
    cov = random_spd(rng, 4)
    expected = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    assert gaussian_entropy(cov) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("m0", "s0", "m1", "s1"), [(0, 1, 1, 2), (-3, 0.5, 2, 0.1), (1, 3, 1, 3)])
def test_gaussian_kl_divergence_one_dimensional(m0, s0, m1, s1):
    expected = math.log(s1 / s0) + (s0**2 + (m0 - m1) ** 2) / (2 * s1**2) - 0.5
    assert gaussian_kl_divergence(m0, s0**2, m1, s1**2) == pytest.approx(
        expected, rel=1e-12, abs=1e-15
    )


def test_gaussian_kl_divergence_multivariate():
    rng = np.random.default_rng(2)
    d = 4
    mean0, mean1 = rng.normal(size=d), rng.normal(size=d)
    cov0, cov1 = random_spd(rng, d), random_spd(rng, d)
    inv1 = np.linalg.inv(cov1)
    diff = mean1 - mean0
    expected = 0.5 * (
        np.trace(inv1 @ cov0)
        + diff @ inv1 @ diff
        - d
        + np.log(np.linalg.det(cov1) / np.linalg.det(cov0))
    )
    assert gaussian_kl_divergence(mean0, cov0, mean1, cov1) == pytest.approx(expected, rel=1e-10)
    assert gaussian_kl_divergence(mean0, cov0, mean0, cov0) == pytest.approx(0.0, abs=1e-12)


def test_conditional_mutual_information_of_xor():
    # X, Y fair independent coins, Z = X xor Y: I(X;Y) = 0 but I(X;Y|Z) = 1 bit.
    pxyz = np.zeros((2, 2, 2))
    for x in (0, 1):
        for y in (0, 1):
            pxyz[x, y, x ^ y] = 0.25
    assert mutual_information(pxyz.sum(axis=2)) == 0.0
    assert conditional_mutual_information(pxyz, base=2) == pytest.approx(1.0, rel=1e-12)


def test_conditional_mutual_information_by_hand():
    # Z a fair coin; given Z = 0, X and Y are independent; given Z = 1, the
    # 2x2 table [[0.4, 0.1], [0.1, 0.4]] conditional on Z.
    pxyz = np.zeros((2, 2, 2))
    pxyz[:, :, 0] = 0.5 * np.array([[0.25, 0.25], [0.25, 0.25]])
    pxyz[:, :, 1] = 0.5 * np.array([[0.4, 0.1], [0.1, 0.4]])
    expected_bits = 0.5 * 0.0 + 0.5 * (1 - h2(0.2))
    assert conditional_mutual_information(pxyz, base=2) == pytest.approx(expected_bits, rel=1e-12)


def test_conditional_mutual_information_with_empty_z_slices():
    rng = np.random.default_rng(3)
    pxyz = np.zeros((3, 2, 4))
    pxyz[:, :, [0, 2]] = rng.random((3, 2, 2))
    pxyz /= pxyz.sum()
    expected = conditional_mutual_information(pxyz[:, :, [0, 2]])
    assert conditional_mutual_information(pxyz) == pytest.approx(expected, rel=1e-12)


def test_joint_table_conventions():
    # Axis 0 is the conditioning variable of conditional_entropy.
    pxy = np.array([[0.5, 0.0], [0.25, 0.25]])
    assert conditional_entropy(pxy, base=2) == pytest.approx(0.5)
    assert conditional_entropy(pxy.T, base=2) == pytest.approx(0.75 * h2(1 / 3))


# --------------------------------------------------------------------------
# Properties on random distributions


@st.composite
def distributions(draw, shape):
    raw = draw(
        hnp.arrays(np.float64, shape, elements=st.floats(0, 1)).filter(lambda a: a.sum() > 1e-3)
    )
    return raw / raw.sum()


sizes = st.integers(1, 6)


@st.composite
def vectors(draw):
    return draw(distributions((draw(sizes),)))


@st.composite
def vector_pairs(draw):
    n = draw(sizes)
    return draw(distributions((n,))), draw(distributions((n,)))


@st.composite
def tables(draw, ndim=2):
    return draw(distributions(tuple(draw(sizes) for _ in range(ndim))))


@PROPERTY
@given(tables())
def test_joint_table_properties(pxy):
    hx, hy = entropy(pxy.sum(axis=1)), entropy(pxy.sum(axis=0))
    hxy, h_y_x, mi = joint_entropy(pxy), conditional_entropy(pxy), mutual_information(pxy)
    assert min(hxy, h_y_x, mi) >= 0
    assert hxy == pytest.approx(hx + h_y_x, abs=1e-12)  # chain rule
    assert mi == pytest.approx(mutual_information(pxy.T), abs=1e-12)  # symmetry
    assert mi == pytest.approx(hx + hy - hxy, abs=1e-12)
    assert mi <= min(hx, hy) + 1e-12


@PROPERTY
@given(vector_pairs())
def test_divergence_properties(pq):
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= 0
    assert kl_divergence(p, p) == 0.0
    # Pinsker's inequality: KL is positive as soon as p != q.
    assert kl >= 0.5 * np.abs(p - q).sum() ** 2 - 1e-12
    ce = cross_entropy(p, q)
    if math.isinf(kl):
        assert math.isinf(ce)
    else:
        assert ce == pytest.approx(entropy(p) + kl, abs=1e-12)
    js = js_divergence(p, q)
    assert js == pytest.approx(js_divergence(q, p), abs=1e-15)
    assert 0 <= js <= LOG2 + 1e-15
    assert js_divergence(p, q, base=2) <= 1 + 1e-15


@PROPERTY
@given(vectors(), st.sampled_from([2, 10, 0.5, 3.7]))
def test_base_conversion(p, base):
    assert entropy(p, base=base) == pytest.approx(entropy(p) / math.log(base), abs=1e-12)


@st.composite
def markov_chains(draw):
    """p(x, y, z) = p(x) p(y | x) p(z | y)."""
    nx, ny, nz = draw(sizes), draw(sizes), draw(sizes)
    px = draw(distributions((nx,)))
    py_x = np.array([draw(distributions((ny,))) for _ in range(nx)])
    pz_y = np.array([draw(distributions((nz,))) for _ in range(ny)])
    return px[:, None, None] * py_x[:, :, None] * pz_y[None, :, :]


@PROPERTY
@given(markov_chains())
def test_data_processing_inequality(pxyz):
    i_xy = mutual_information(pxyz.sum(axis=2))
    i_xz = mutual_information(pxyz.sum(axis=1))
    assert i_xz <= i_xy + 1e-12
    # X and Z are independent given Y.
    assert conditional_mutual_information(pxyz.transpose(0, 2, 1)) == pytest.approx(0.0, abs=1e-12)


@PROPERTY
@given(tables(ndim=3))
def test_conditional_mutual_information_properties(pxyz):
    nx, ny, nz = pxyz.shape
    cmi = conditional_mutual_information(pxyz)
    assert cmi >= 0
    assert cmi == pytest.approx(conditional_mutual_information(pxyz.transpose(1, 0, 2)), abs=1e-12)
    # Chain rule I(X; Y, Z) = I(X; Z) + I(X; Y | Z).
    i_x_yz = mutual_information(pxyz.reshape(nx, ny * nz))
    assert i_x_yz == pytest.approx(mutual_information(pxyz.sum(axis=1)) + cmi, abs=1e-12)


# --------------------------------------------------------------------------
# Maximum entropy

DIE = np.arange(1, 7)


def test_jaynes_die():
    res = maxent_distribution(DIE, [lambda x: x], [4.5])
    assert res.p.sum() == pytest.approx(1.0, abs=1e-14)
    assert res.p @ DIE == pytest.approx(4.5, abs=1e-9)
    assert res.lambdas[0] == pytest.approx(0.3710, abs=5e-5)

    # Independent answer: the root in lambda of the mean of p ~ exp(lambda x).
    def mean_gap(lam):
        w = np.exp(lam * DIE)
        return w @ DIE / w.sum() - 4.5

    lam = brentq(mean_gap, 0.0, 5.0, xtol=1e-14)
    assert res.lambdas[0] == pytest.approx(lam, abs=1e-9)
    expected = np.exp(lam * DIE) / np.exp(lam * DIE).sum()
    np.testing.assert_allclose(res.p, expected, rtol=1e-9)
    assert res.entropy == pytest.approx(entropy(expected), abs=1e-12)
    assert maxent_distribution(DIE, [lambda x: x], [4.5], base=2).entropy == pytest.approx(
        res.entropy / LOG2, abs=1e-12
    )


def test_no_constraints_gives_uniform():
    res = maxent_distribution(np.arange(5), [], [])
    np.testing.assert_allclose(res.p, np.full(5, 0.2), rtol=1e-15)
    assert res.lambdas.shape == (0,)
    assert res.entropy == pytest.approx(math.log(5))


def test_matching_the_unconstrained_mean_gives_uniform():
    res = maxent_distribution(DIE, [lambda x: x], [3.5])
    np.testing.assert_allclose(res.p, np.full(6, 1 / 6), rtol=1e-12)
    assert res.lambdas[0] == pytest.approx(0.0, abs=1e-12)


def test_two_moments_against_slsqp():
    support = np.arange(11.0)
    features = [lambda x: x, lambda x: x**2]
    targets = [3.0, 14.0]
    res = maxent_distribution(support, features, targets)

    constraints = [
        {"type": "eq", "fun": lambda p: p.sum() - 1},
        {"type": "eq", "fun": lambda p: p @ support - targets[0]},
        {"type": "eq", "fun": lambda p: p @ support**2 - targets[1]},
    ]
    ref = minimize(
        lambda p: np.sum(p * np.log(p)),
        np.full(11, 1 / 11),
        method="SLSQP",
        bounds=[(1e-12, 1)] * 11,
        constraints=constraints,
        options={"ftol": 1e-14, "maxiter": 500},
    )
    assert ref.success
    np.testing.assert_allclose(res.p, ref.x, atol=1e-6)
    assert res.entropy >= entropy(ref.x / ref.x.sum()) - 1e-9
    np.testing.assert_allclose([res.p @ support, res.p @ support**2], targets, rtol=1e-10)
    # Gibbs form: log p is affine in the features with slopes lambdas.
    log_p = np.log(res.p) - res.lambdas[0] * support - res.lambdas[1] * support**2
    np.testing.assert_allclose(log_p, log_p[0], atol=1e-9)


def test_multivariate_support():
    grid = np.array([(x, y) for x in range(3) for y in range(4)])
    res = maxent_distribution(grid, [lambda s: s[:, 0]], [1.5])
    table = res.p.reshape(3, 4)
    # Only x is constrained, so y stays uniform and independent of x.
    np.testing.assert_allclose(table.sum(axis=0), np.full(4, 0.25), rtol=1e-10)
    assert mutual_information(table) == pytest.approx(0.0, abs=1e-12)


def test_dependent_consistent_constraints():
    single = maxent_distribution(DIE, [lambda x: x], [4.5])
    double = maxent_distribution(DIE, [lambda x: x, lambda x: 2 * x], [4.5, 9.0])
    np.testing.assert_allclose(double.p, single.p, rtol=1e-9)
    # The multipliers are not unique, but any valid pair acts as the single one.
    assert double.lambdas @ [1, 2] == pytest.approx(single.lambdas[0], rel=1e-9)


@pytest.mark.parametrize(
    ("features", "targets", "expected"),
    [
        ([lambda x: x], [6.0], [0, 0, 0, 0, 0, 1]),
        ([lambda x: x], [1.0], [1, 0, 0, 0, 0, 0]),
        # Largest possible variance on a die: half the mass on each end.
        ([lambda x: x, lambda x: (x - 3.5) ** 2], [3.5, 6.25], [0.5, 0, 0, 0, 0, 0.5]),
    ],
)
def test_targets_on_the_boundary(features, targets, expected):
    res = maxent_distribution(DIE, features, targets)
    np.testing.assert_allclose(res.p, expected, atol=1e-12)


@pytest.mark.parametrize("target", [6 - 1e-6, 6 - 1e-10, 6 - 1e-13, 1 + 1e-11])
def test_targets_within_rounding_of_the_boundary(target):
    res = maxent_distribution(DIE, [lambda x: x], [target])

    def mean_gap(lam):
        w = np.exp(lam * (DIE - 3.5))
        return w @ DIE / w.sum() - target

    lam = brentq(mean_gap, -100, 100, xtol=1e-14)
    expected = np.exp(lam * (DIE - 3.5)) / np.exp(lam * (DIE - 3.5)).sum()
    np.testing.assert_allclose(res.p, expected, atol=1e-9)
    assert res.p @ DIE == pytest.approx(target, abs=1e-9)
    # Whether solved on the face or inside, the multipliers never run away.
    assert np.all(np.abs(res.lambdas) < 100)


@pytest.mark.parametrize("gap", [1e-8, 1e-9, 5e-10])
def test_two_constraints_within_rounding_of_the_boundary(gap):
    # Just below the largest variance of a die: all but a sliver of the mass on {1, 6}.
    res = maxent_distribution(DIE, [lambda x: x, lambda x: (x - 3.5) ** 2], [3.5, 6.25 - gap])
    np.testing.assert_allclose(res.p, [0.5, 0, 0, 0, 0, 0.5], atol=1e-8)
    assert np.all(np.abs(res.lambdas) < 100)


def test_boundary_face_keeps_maximum_entropy():
    # Mean 5.5 with E[(x - 5.5)^2] = 0.25 forces the mass onto {5, 6}, equally.
    res = maxent_distribution(DIE, [lambda x: x, lambda x: (x - 5.5) ** 2], [5.5, 0.25])
    np.testing.assert_allclose(res.p, [0, 0, 0, 0, 0.5, 0.5], atol=1e-10)


@pytest.mark.parametrize(
    ("features", "targets"),
    [
        ([lambda x: x], [7.0]),
        ([lambda x: x], [0.5]),
        ([lambda x: x, lambda x: 2 * x], [4.5, 8.0]),
        ([lambda x: x, lambda x: x**2], [3.5, 10.0]),  # variance above 6.25
        ([lambda x: np.ones_like(x)], [2.0]),
    ],
)
def test_infeasible_targets(features, targets):
    with pytest.raises(ValueError, match="infeasible"):
        maxent_distribution(DIE, features, targets)


def test_solution_is_checked_against_the_targets(monkeypatch):
    # Should the feasibility programme ever let an infeasible problem through,
    # the expectations of the solution still expose it.
    monkeypatch.setattr(
        information,
        "_positive_support",
        lambda basis: (np.ones(len(basis), bool), np.ones(len(basis))),
    )
    with pytest.raises(ValueError, match="infeasible to working precision"):
        maxent_distribution(DIE, [lambda x: x], [7.0])


def test_maxent_bad_arguments():
    with pytest.raises(ValueError, match="targets must have shape"):
        maxent_distribution(DIE, [lambda x: x], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"features\[0\] must be callable"):
        maxent_distribution(DIE, [3.0], [1.0])
    with pytest.raises(ValueError, match=r"features\[0\] must return one value per support point"):
        maxent_distribution(DIE, [lambda x: x[:3]], [1.0])
    with pytest.raises(ValueError, match="support"):
        maxent_distribution([], [lambda x: x], [1.0])
    with pytest.raises(ValueError, match="targets"):
        maxent_distribution(DIE, [lambda x: x], [np.nan])


# --------------------------------------------------------------------------
# Samples of discrete labels


def plugin_entropy(*columns) -> float:
    counts = np.array(list(Counter(zip(*columns, strict=True)).values()), dtype=float)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def miller_madow_entropy(*columns) -> float:
    cells = Counter(zip(*columns, strict=True))
    return plugin_entropy(*columns) + (len(cells) - 1) / (2 * len(columns[0]))


def brute_force_cmi(x, y, z) -> float:
    n = len(x)
    cxyz = Counter(zip(x, y, z, strict=True))
    cxz, cyz, cz = Counter(zip(x, z, strict=True)), Counter(zip(y, z, strict=True)), Counter(z)
    return sum(
        c / n * math.log(c * cz[k] / (cxz[i, k] * cyz[j, k])) for (i, j, k), c in cxyz.items()
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("n", "kx", "ky"), [(10, 2, 3), (500, 7, 4), (5000, 30, 50)])
def test_plugin_mutual_information_matches_sklearn_on_ints(seed, n, kx, ky):
    rng = np.random.default_rng(seed)
    x = rng.integers(kx, size=n)
    y = (x + rng.integers(ky, size=n)) % ky
    assert abs(discrete_mutual_information(x, y) - mutual_info_score(x, y)) <= 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_plugin_mutual_information_matches_sklearn_on_strings_and_bools(seed):
    rng = np.random.default_rng(seed)
    x = rng.choice(["apple", "pear", "fig", "kiwi"], size=300)
    y = np.where(rng.random(300) < 0.7, x, rng.choice(["a", "b"], size=300))
    b = rng.random(300) < 0.4
    assert abs(discrete_mutual_information(x, y) - mutual_info_score(x, y)) <= 1e-12
    assert abs(discrete_mutual_information(x, b) - mutual_info_score(x, b)) <= 1e-12
    assert abs(discrete_mutual_information(list(x), list(b)) - mutual_info_score(x, b)) <= 1e-12


def test_sample_measures_equal_measures_of_the_empirical_table():
    rng = np.random.default_rng(4)
    n = 2000
    x, y, z = rng.integers(3, size=n), rng.integers(4, size=n), rng.integers(2, size=n)
    y = np.where(rng.random(n) < 0.5, (x + z) % 4, y)
    table = np.zeros((3, 4, 2))
    np.add.at(table, (x, y, z), 1)
    table /= n
    assert discrete_entropy(x) == pytest.approx(entropy(table.sum(axis=(1, 2))), abs=1e-12)
    assert discrete_mutual_information(x, y, base=2) == pytest.approx(
        mutual_information(table.sum(axis=2), base=2), abs=1e-12
    )
    assert discrete_conditional_mutual_information(x, y, z) == pytest.approx(
        conditional_mutual_information(table), abs=1e-12
    )


@pytest.mark.parametrize("seed", range(3))
def test_conditional_mutual_information_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 400
    z = rng.choice(["lo", "mid", "hi"], size=n)
    x = rng.integers(4, size=n)
    y = np.where(rng.random(n) < 0.6, x, rng.integers(5, size=n))
    expected = brute_force_cmi(x.tolist(), y.tolist(), z.tolist())
    assert discrete_conditional_mutual_information(x, y, z) == pytest.approx(expected, abs=1e-12)


def test_miller_madow_against_hand_formulas():
    rng = np.random.default_rng(5)
    n = 300
    x = rng.integers(5, size=n).tolist()
    y = rng.choice(list("abc"), size=n).tolist()
    z = rng.integers(2, size=n).tolist()

    def mm(*cols):
        return miller_madow_entropy(*cols)

    assert discrete_entropy(x, estimator="miller_madow") == pytest.approx(mm(x), abs=1e-12)
    assert discrete_entropy(x, estimator="miller_madow") == pytest.approx(
        plugin_entropy(x) + (len(set(x)) - 1) / (2 * n), abs=1e-12
    )
    assert discrete_mutual_information(x, y, estimator="miller_madow") == pytest.approx(
        mm(x) + mm(y) - mm(x, y), abs=1e-12
    )
    assert discrete_conditional_mutual_information(
        x, y, z, estimator="miller_madow"
    ) == pytest.approx(mm(x, z) + mm(y, z) - mm(x, y, z) - mm(z), abs=1e-12)


def test_miller_madow_may_be_negative_for_independent_samples():
    x = np.repeat([0, 1], 2)
    y = np.tile([0, 1], 2)
    assert discrete_mutual_information(x, y) == 0.0
    # m_X + m_Y - m_XY - 1 = 2 + 2 - 4 - 1 = -1 over 2n = 8.
    assert discrete_mutual_information(x, y, estimator="miller_madow") == pytest.approx(-1 / 8)


def test_discrete_entropy_of_a_constant_is_zero():
    assert discrete_entropy(["a"] * 10) == 0.0
    assert discrete_entropy(["a"] * 10, estimator="miller_madow") == 0.0


def test_discrete_functions_accept_pandas_and_float_labels():
    s = pd.Series([1.5, 2.5, 1.5, 2.5, 1.5])
    t = pd.Series(["u", "v", "u", "v", "v"])
    assert discrete_mutual_information(s, t) == pytest.approx(
        mutual_info_score(s.map(str), t), abs=1e-12
    )
    assert discrete_entropy(s, base=2) == pytest.approx(h2(0.4), rel=1e-12)


def test_miller_madow_removes_the_bias_on_a_million_independent_samples():
    n, k = 1_000_000, 50
    rng = np.random.default_rng(6)
    x, y, z = (rng.integers(k, size=n) for _ in range(3))
    # For independent variables 2n * plug-in CMI is about chi-squared with
    # (k - 1)^2 k degrees of freedom: a bias of 0.06 nats, standard deviation 2.5e-4.
    bias = (k - 1) ** 2 * k / (2 * n)
    assert discrete_conditional_mutual_information(x, y, z) == pytest.approx(bias, abs=2e-3)
    assert abs(discrete_conditional_mutual_information(x, y, z, estimator="miller_madow")) < 2e-3


# --------------------------------------------------------------------------
# Input handling


def read_only(values) -> np.ndarray:
    arr = np.array(values)
    arr.flags.writeable = False
    return arr


def test_inputs_are_not_modified():
    p, q = read_only([0.2, 0.3, 0.5]), read_only([0.5, 0.25, 0.25])
    pxyz = read_only(np.full((2, 2, 2), 0.125))
    cov = read_only([[2.0, 0.5], [0.5, 1.0]])
    x = read_only([0, 1, 1, 0])
    entropy(p)
    kl_divergence(p, q)
    js_divergence(p, q)
    cross_entropy(p, q)
    joint_entropy(pxyz[0] * 2)
    conditional_mutual_information(pxyz)
    gaussian_kl_divergence(read_only([0.0, 1.0]), cov, read_only([1.0, 0.0]), cov)
    gaussian_mutual_information(cov, 1)
    discrete_conditional_mutual_information(x, x, x, estimator="miller_madow")
    np.testing.assert_array_equal(p, [0.2, 0.3, 0.5])
    np.testing.assert_array_equal(cov, [[2.0, 0.5], [0.5, 1.0]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: entropy([0.5, -0.1, 0.6]), "p must be non-negative"),
        (lambda: joint_entropy([[0.6, 0.6]]), r"pxy must sum to 1 \(got 1.2\)"),
        (lambda: entropy([0.5, 0.5 + 1e-6]), "p must sum to 1"),
        (lambda: entropy([np.nan, 1.0]), "p must not contain NaN"),
        (lambda: entropy([[0.5, 0.5]]), "p must be a 1-D"),
        (lambda: entropy([]), "p must not be empty"),
        (lambda: entropy(["a", "b"]), "p must be a real-valued"),
        (lambda: entropy([0.5j, 0.5]), "p must be a real-valued"),
        (lambda: kl_divergence([0.5, 0.5], [1 / 3] * 3), "p and q must have the same shape"),
        (lambda: cross_entropy([0.5, 0.5], [0.5, 0.6]), "q must sum to 1"),
        (lambda: js_divergence([0.5, 0.5], [np.inf, 0]), "q must not contain"),
        (lambda: binary_entropy(1.5), r"p must lie in \[0, 1\]"),
        (lambda: mutual_information([0.5, 0.5]), "pxy must be a 2-D"),
        (lambda: conditional_entropy([[0.5, -0.5], [0.5, 0.5]]), "pxy must be non-negative"),
        (lambda: conditional_mutual_information([[0.5, 0.5]]), "pxyz must be a 3-D"),
        (lambda: gaussian_entropy([[1.0, 2.0], [2.0, 1.0]]), "cov must be positive definite"),
        (lambda: gaussian_entropy([[1.0, 1.0], [1.0, 1.0]]), "cov must be positive definite"),
        (lambda: gaussian_entropy(-1.0), "cov must be positive definite"),
        (lambda: gaussian_entropy([[1.0, 0.5], [0.0, 1.0]]), "cov must be symmetric"),
        (lambda: gaussian_entropy([1.0, 2.0]), "cov must be a non-empty square"),
        (lambda: gaussian_entropy([[1.0, np.nan], [np.nan, 1.0]]), "cov must not contain NaN"),
        (
            lambda: gaussian_mutual_information(np.eye(3), 3),
            r"x_dims must be an integer in \[1, 2\]",
        ),
        (lambda: gaussian_mutual_information(np.eye(3), 0), "x_dims"),
        (lambda: gaussian_mutual_information(np.eye(3), 1.5), "x_dims"),
        (lambda: gaussian_mutual_information(np.eye(3), True), "x_dims"),
        (lambda: gaussian_mutual_information(1.0, 1), "cov must be at least 2x2"),
        (
            lambda: gaussian_kl_divergence([0, 0], np.eye(2), [0], np.eye(2)),
            r"mean1 must have shape \(2,\)",
        ),
        (lambda: gaussian_kl_divergence([0, 0], np.eye(2), [0, 0, 0], np.eye(3)), "cov0 and cov1"),
        (lambda: gaussian_kl_divergence(0, 1, 0, -1), "cov1 must be positive definite"),
        (lambda: entropy([0.5, 0.5], base=1), "base"),
        (lambda: entropy([0.5, 0.5], base=0), "base"),
        (lambda: entropy([0.5, 0.5], base=-2), "base"),
        (lambda: entropy([0.5, 0.5], base=np.nan), "base"),
        (lambda: gaussian_entropy(1.0, base="2"), "base"),
        (lambda: discrete_entropy([1, 2], base=1.0), "base"),
        (lambda: discrete_entropy([1, 2], estimator="grassberger"), "estimator"),
        (lambda: discrete_entropy([[1, 2]]), "x must be 1-D"),
        (lambda: discrete_entropy([]), "x must not be empty"),
        (lambda: discrete_entropy([1.0, np.nan]), "x must not contain NaN"),
        (lambda: discrete_entropy(np.array([1, "a", None], dtype=object)), "x must hold"),
        (
            lambda: discrete_mutual_information([1, 2], [1, 2, 3]),
            "x and y must have the same length",
        ),
        (lambda: discrete_mutual_information([1, 2], [[1, 2]]), "y must be 1-D"),
        (
            lambda: discrete_conditional_mutual_information([1, 2], [1, 2], [1]),
            r"x, y and z must have the same length \(got x: 2, y: 2, z: 1\)",
        ),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_sum_tolerance_is_one_part_in_a_billion():
    assert entropy([0.5, 0.5 + 1e-10]) == pytest.approx(LOG2)
