"""Every public path gives, bit for bit, the numbers frozen in
``tests/reference/scores.npz`` (written by ``tests/reference/make_reference.py``
with the code as it was before the engine was restructured)."""

import warnings
from pathlib import Path

import numpy as np
import pytest

from tests.reference.make_reference import compute

FROZEN = Path(__file__).parent / "reference" / "scores.npz"
KEYS = sorted(np.load(FROZEN).files)


@pytest.fixture(scope="module")
def recomputed():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute()


def test_the_same_entries_are_computed(recomputed):
    assert KEYS == sorted(recomputed)


@pytest.mark.parametrize("key", KEYS)
def test_scores_are_bit_identical_to_the_frozen_ones(key, recomputed):
    expected = np.load(FROZEN)[key]
    got = np.asarray(recomputed[key], dtype=np.float64)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
