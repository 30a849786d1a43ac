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
