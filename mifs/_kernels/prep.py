"""Preparation of a continuous column: scaling without temporaries."""

import numpy as np
from numba import njit

from mifs._kernels import CACHE


@njit(nogil=True, cache=CACHE)
def standardize(raw, out):
    """Write ``raw`` scaled to unit variance without centring into ``out``.

    First an exact power-of-two prescale brings the largest magnitude near
    1, so that the squares neither overflow nor underflow (scaling the
    values and their standard deviation by the same power of two leaves the
    quotient unchanged); a standard deviation below ``10 * eps`` counts as
    zero, as in scikit-learn's ``_handle_zeros_in_scale``.  Returns whether
    the column is constant and the mean absolute value after scaling.
    """
    n = raw.shape[0]
    top = 0.0
    for i in range(n):
        a = abs(raw[i])
        if a > top:
            top = a
    scale = 2.0 ** -np.floor(np.log2(top)) if top > 0.0 else 1.0
    total = 0.0
    for i in range(n):
        out[i] = raw[i] * scale
        total += out[i]
    mean = total / n
    squares = 0.0
    for i in range(n):
        d = out[i] - mean
        squares += d * d
    std = np.sqrt(squares / n)
    if std < 10 * np.finfo(np.float64).eps:
        std = 1.0
    lo = np.inf
    hi = -np.inf
    absolute = 0.0
    for i in range(n):
        v = out[i] / std
        out[i] = v
        if v < lo:
            lo = v
        if v > hi:
            hi = v
        absolute += abs(v)
    return lo == hi, absolute / n
