"""Preparation of a continuous column: scaling without temporaries."""

import math

import numpy as np
from numba import njit

from mifs._kernels import CACHE, recover_corrupt_cache


@njit(nogil=True, cache=CACHE, error_model="numpy")
def standardize(raw, out):
    """Write ``raw`` scaled to unit variance without centring into ``out``.

    First an exact power-of-two prescale brings the largest magnitude into
    ``[0.5, 1)``, so that the squares neither overflow nor underflow
    (scaling the values and their standard deviation by the same power of
    two leaves the quotient unchanged).  The prescale is ``ldexp`` by the
    binary exponent of the largest magnitude, which is exact and cannot
    overflow for any finite column, subnormal (down to 5e-324) or huge (up
    to 1.8e308): a power of two as a float would overflow for a column
    below 2**-1023.  A standard deviation below ``10 * eps`` (after the
    prescale, so independent of the column's scale) counts as zero, as in
    scikit-learn's ``_handle_zeros_in_scale``.  Returns whether the column
    is constant and the mean absolute value after scaling.
    """
    n = raw.shape[0]
    top = 0.0
    for i in range(n):
        a = abs(raw[i])
        if a > top:
            top = a
    shift = -math.frexp(top)[1] if top > 0.0 else 0
    total = 0.0
    for i in range(n):
        out[i] = math.ldexp(raw[i], shift)
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


recover_corrupt_cache(globals())
