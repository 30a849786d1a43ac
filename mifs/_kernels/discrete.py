"""Plug-in information of discrete samples given as dense integer codes.

Entropies come from counts: a dense table when the number of cells is
small, a sort of the combined keys otherwise, so memory stays O(n) even for
columns with many levels.  Mutual information is H(X) + H(Y) - H(X, Y) and
conditional mutual information H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z), in
nats, not clipped.

The key of a combination of two code arrays is ``a * nb + b``, in
``[0, na * nb)``.  When that product exceeds :data:`KEY_LIMIT` (int64: three
variables with about n levels each overflow it from n = 2.1e6 on) the
combinations are first re-coded densely by sorting their pairs of codes,
so every key stays below ``n * nb``; the entropies are the same.
"""

import numpy as np
from numba import njit

from mifs._kernels import CACHE, as_int64, recover_corrupt_cache


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _entropy_of_counts(counts, n):
    h = 0.0
    for c in counts:
        if c > 0:
            h -= c * np.log(c / n)
    return h / n


@njit(nogil=True, cache=CACHE, error_model="numpy")
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


def entropy_codes(a, na):
    """Plug-in entropy of codes ``a`` in ``[0, na)``."""
    return _entropy_of_keys(as_int64(a), int(na))


#: Largest key space ``na * nb`` combined by arithmetic; larger ones are
#: re-coded by sorting (a module attribute, so tests can lower it).
KEY_LIMIT = 2**63 - 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _pair_keys(a, b, nb):
    keys = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        keys[i] = a[i] * nb + b[i]
    return keys


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _dense_pairs(a, b):
    """Dense codes ``0 .. m-1`` of the pairs ``(a[i], b[i])`` that occur, in
    lexicographic order, and their number ``m``: two stable sorts, no
    products of codes."""
    n = a.shape[0]
    by_b = np.argsort(b, kind="mergesort")
    a_by_b = np.empty(n, a.dtype)
    for t in range(n):
        a_by_b[t] = a[by_b[t]]
    then_a = np.argsort(a_by_b, kind="mergesort")
    codes = np.empty(n, np.int64)
    m = 0
    prev = 0
    for t in range(n):
        i = by_b[then_a[t]]
        if t == 0 or a[i] != a[prev] or b[i] != b[prev]:
            m += 1
        codes[i] = m - 1
        prev = i
    return codes, m


def _joint(a, na, b, nb):
    """Keys of the pairs of ``a`` (codes below ``na``) and ``b`` (below ``nb``)
    and the size of their key space: ``a * nb + b`` while ``na * nb`` fits
    below :data:`KEY_LIMIT`, dense codes of the pairs that occur otherwise."""
    if int(na) * int(nb) <= KEY_LIMIT:
        return _pair_keys(a, b, nb), int(na) * int(nb)
    return _dense_pairs(a, b)


def plugin_mi(a, na, b, nb):
    """Plug-in I(a; b) of two code arrays."""
    a, b, na, nb = as_int64(a), as_int64(b), int(na), int(nb)
    ab, nab = _joint(a, na, b, nb)
    return _entropy_of_keys(a, na) + _entropy_of_keys(b, nb) - _entropy_of_keys(ab, nab)


def plugin_cmi(a, na, b, nb, c, nc):
    """Plug-in I(a; b | c) of three code arrays, for any numbers of levels."""
    a, b, c, na, nb, nc = as_int64(a), as_int64(b), as_int64(c), int(na), int(nb), int(nc)
    ac, nac = _joint(a, na, c, nc)
    bc, nbc = _joint(b, nb, c, nc)
    ab, nab = _joint(a, na, b, nb)
    abc, nabc = _joint(ab, nab, c, nc)
    return (
        _entropy_of_keys(ac, nac)
        + _entropy_of_keys(bc, nbc)
        - _entropy_of_keys(abc, nabc)
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


recover_corrupt_cache(globals())
