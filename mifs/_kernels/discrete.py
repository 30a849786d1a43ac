"""Plug-in information of discrete samples given as dense integer codes.

Entropies come from counts: a dense table when the number of cells is
small, a sort of the combined keys otherwise, so memory stays O(n) even for
columns with many levels.  Mutual information is H(X) + H(Y) - H(X, Y) and
conditional mutual information H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z), in
nats, not clipped.
"""

import numpy as np
from numba import njit

from mifs._kernels import CACHE


@njit(nogil=True, cache=CACHE)
def _entropy_of_counts(counts, n):
    h = 0.0
    for c in counts:
        if c > 0:
            h -= c * np.log(c / n)
    return h / n


@njit(nogil=True, cache=CACHE)
def _entropy_of_keys(keys, n_cells):
    """Entropy of the empirical distribution of integer ``keys`` in ``[0, n_cells)``."""
    n = keys.shape[0]
    if n_cells <= max(4 * n, 1 << 20):
        counts = np.zeros(n_cells, np.int64)
        for v in keys:
            counts[v] += 1
        return _entropy_of_counts(counts, n)
    srt = np.sort(keys)
    h = 0.0
    t = 0
    while t < n:
        u = t + 1
        while u < n and srt[u] == srt[t]:
            u += 1
        c = u - t
        h -= c * np.log(c / n)
        t = u
    return h / n


@njit(nogil=True, cache=CACHE)
def entropy_codes(a, na):
    """Plug-in entropy of codes ``a`` in ``[0, na)``."""
    return _entropy_of_keys(a, na)


@njit(nogil=True, cache=CACHE)
def _pair_keys(a, b, nb):
    keys = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        keys[i] = a[i] * nb + b[i]
    return keys


@njit(nogil=True, cache=CACHE)
def plugin_mi(a, na, b, nb):
    """Plug-in I(a; b) of two code arrays."""
    hab = _entropy_of_keys(_pair_keys(a, b, nb), na * nb)
    return _entropy_of_keys(a, na) + _entropy_of_keys(b, nb) - hab


@njit(nogil=True, cache=CACHE)
def plugin_cmi(a, na, b, nb, c, nc):
    """Plug-in I(a; b | c) of three code arrays (``na * nb * nc < 2**63``)."""
    ac = _pair_keys(a, c, nc)
    bc = _pair_keys(b, c, nc)
    abc = _pair_keys(_pair_keys(a, b, nb), c, nc)
    return (
        _entropy_of_keys(ac, na * nc)
        + _entropy_of_keys(bc, nb * nc)
        - _entropy_of_keys(abc, na * nb * nc)
        - _entropy_of_keys(c, nc)
    )


def combine_codes(code_arrays):
    """Dense codes ``0 .. m-1`` of the combinations of several code arrays
    that occur, and their number ``m`` (plain numpy: re-factorising after
    each step keeps the codes below n, so the products never overflow)."""
    if not code_arrays:
        return np.zeros(0, np.int64), 1
    combined = code_arrays[0]
    n_codes = int(combined.max()) + 1 if combined.size else 1
    for codes in code_arrays[1:]:
        width = int(codes.max()) + 1
        uniques, combined = np.unique(combined * width + codes, return_inverse=True)
        n_codes = len(uniques)
    if len(code_arrays) == 1:
        uniques, combined = np.unique(combined, return_inverse=True)
        n_codes = len(uniques)
    return combined.astype(np.int64), n_codes
