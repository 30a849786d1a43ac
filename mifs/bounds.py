"""Bounds on the error of any classifier from mutual information.

:func:`fano_error_lower_bound`
    The smallest error probability any classifier of Y from X can reach,
    given :math:`I(X; Y)`: Fano's inequality inverted exactly.
:func:`fano_mutual_information_lower_bound`
    Conversely, the least :math:`I(X; Y)` that a given error probability
    requires.

Information is in units of ``base`` (default ``e``: nats), as in
:mod:`mifs.information`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq
from scipy.special import xlogy

from mifs.information import _as_real_array, _log_base

__all__ = [
    "fano_error_lower_bound",
    "fano_mutual_information_lower_bound",
]

# Slack for rounding in the inputs, relative to H(Y) (absolute below one nat).
_TOL = 1e-12


def _check_n_classes(n_classes: int) -> int:
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2 (got {n_classes!r})")
    return int(n_classes)


def _label_entropy_nats(label_entropy: float | None, n_classes: int, log_base: float) -> float:
    """H(Y) in nats; ``None`` means uniform labels, H(Y) = log M."""
    h_max = math.log(n_classes)
    if label_entropy is None:
        return h_max
    arr = _as_real_array(label_entropy, "label_entropy")
    if arr.ndim != 0:
        raise ValueError(f"label_entropy must be a scalar (got shape {arr.shape})")
    h = float(arr) * log_base
    if not -_TOL <= h <= h_max * (1 + _TOL):
        raise ValueError(
            f"label_entropy must lie in [0, log(n_classes)] = [0, {h_max / log_base:.6g}] "
            f"(got {float(arr)!r})"
        )
    return min(max(h, 0.0), h_max)


def _fano_nats(error: ArrayLike, n_classes: int) -> np.ndarray:
    """Fano's function h(P) + P log(M - 1) in nats."""
    return -xlogy(error, error) - xlogy(1 - error, 1 - error) + error * math.log(n_classes - 1)


def _invert_fano(equivocation: float, n_classes: int) -> float:
    """Smallest P in [0, 1 - 1/M] with h(P) + P log(M - 1) >= ``equivocation``.

    Fano's function rises from 0 at P = 0 to log M at P = 1 - 1/M, so the
    answer is its root there.
    """
    top = 1.0 - 1.0 / n_classes
    if equivocation <= 0.0:
        return 0.0
    if equivocation >= math.log(n_classes):
        return top
    return brentq(
        lambda p: _fano_nats(p, n_classes) - equivocation,
        0.0,
        top,
        xtol=np.finfo(float).tiny,
        maxiter=200,
    )


def fano_error_lower_bound(
    mutual_info: ArrayLike,
    n_classes: int,
    *,
    label_entropy: float | None = None,
    base: float = np.e,
) -> float | np.ndarray:
    r"""Least error probability of any classifier, from Fano's inequality.

    Given the mutual information between observations X and a label Y with
    M classes, no classifier :math:`\hat Y(X)` can reach an error
    probability below the value returned.

    Parameters
    ----------
    mutual_info : float or array-like
        :math:`I(X; Y)`, in units of ``base``; each value in
        ``[0, label_entropy]``.
    n_classes : int
        Number of classes M, at least 2.
    label_entropy : float, default=None
        :math:`H(Y)` in units of ``base``, in ``[0, log M]``. ``None`` means
        uniform labels, :math:`H(Y) = \log M`.
    base : float, default=e
        Logarithm base of ``mutual_info`` and ``label_entropy``; ``e`` for
        nats, 2 for bits.

    Returns
    -------
    float or ndarray
        The bound :math:`P_e \in [0, 1 - 1/M]`: a float for scalar
        ``mutual_info``, else an array of its shape.

    See Also
    --------
    fano_mutual_information_lower_bound : The inverse question.
    mifs.information.discrete_mutual_information : An estimate of
        ``mutual_info`` from samples.

    Notes
    -----
    Fano's inequality bounds the equivocation :math:`H(Y \mid X) = H(Y) -
    I(X; Y)` of any classifier with error probability :math:`P_e`:

    .. math:: H(Y) - I(X; Y) \le h(P_e) + P_e \log (M - 1),

    with :math:`h` the binary entropy. The right side increases from 0 to
    :math:`\log M` as :math:`P_e` goes from 0 to :math:`1 - 1/M`, so the
    bound is its exact inverse, found with :func:`scipy.optimize.brentq`.

    The bound usually quoted, :math:`P_e \ge (H(Y) - I(X; Y) - \log 2) /
    \log M`, follows from replacing :math:`h(P_e)` by its maximum
    :math:`\log 2` and :math:`\log(M - 1)` by :math:`\log M`. Both steps
    give away slack, so that relaxation is never above the exact inverse and
    is far below it for few classes or small equivocation: for two classes
    it is never positive, while the exact bound is :math:`h^{-1}(H(Y) -
    I(X; Y))`.

    References
    ----------
    .. [1] R. M. Fano, *Transmission of Information*, MIT Press, 1961.
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, section 2.10.

    Examples
    --------
    A feature with no information about 100 equally likely classes leaves
    only guessing:

    >>> from mifs.bounds import fano_error_lower_bound
    >>> round(fano_error_lower_bound(0.0, 100), 6)
    0.99

    Half a bit about a fair binary label; the relaxation would give 0:

    >>> round(fano_error_lower_bound(0.5, 2, base=2), 4)
    0.11
    >>> fano_error_lower_bound([0.0, 1.0, 2.0], 4, base=2).round(4)
    array([0.75  , 0.1893, 0.    ])
    """
    log_base = _log_base(base)
    n_classes = _check_n_classes(n_classes)
    h = _label_entropy_nats(label_entropy, n_classes, log_base)
    info = _as_real_array(mutual_info, "mutual_info") * log_base
    tol = _TOL * max(1.0, h)
    if np.any(info < -tol):
        raise ValueError("mutual_info must be non-negative")
    if np.any(info > h + tol):
        raise ValueError(
            f"mutual_info must not exceed label_entropy ({h / log_base:.6g}): I(X; Y) <= H(Y)"
        )
    equivocation = np.maximum(h - info, 0.0)
    bound = np.array([_invert_fano(c, n_classes) for c in equivocation.ravel()])
    bound = bound.reshape(equivocation.shape)
    return float(bound) if bound.ndim == 0 else bound


def fano_mutual_information_lower_bound(
    error: ArrayLike,
    n_classes: int,
    *,
    label_entropy: float | None = None,
    base: float = np.e,
) -> float | np.ndarray:
    r"""Least mutual information that a given classification error requires.

    If some classifier of a label Y with M classes from observations X has
    error probability ``error``, then :math:`I(X; Y)` is at least the value
    returned.

    Parameters
    ----------
    error : float or array-like
        Error probabilities :math:`P_e`, each in [0, 1].
    n_classes : int
        Number of classes M, at least 2.
    label_entropy : float, default=None
        :math:`H(Y)` in units of ``base``, in ``[0, log M]``. ``None`` means
        uniform labels, :math:`H(Y) = \log M`.
    base : float, default=e
        Logarithm base of ``label_entropy`` and of the result.

    Returns
    -------
    float or ndarray
        The bound on :math:`I(X; Y)` in units of ``base``: a float for scalar
        ``error``, else an array of its shape.

    See Also
    --------
    fano_error_lower_bound : Its inverse on :math:`[0, 1 - 1/M]`.

    Notes
    -----
    Fano's inequality read the other way:

    .. math:: I(X; Y) \ge \max\bigl(0,\; H(Y) - h(P_e) - P_e \log (M - 1)\bigr).

    Examples
    --------
    Classifying ten equally likely classes with 5% error takes at least
    about 2.88 bits:

    >>> from mifs.bounds import fano_mutual_information_lower_bound
    >>> round(fano_mutual_information_lower_bound(0.05, 10, base=2), 4)
    2.877
    """
    log_base = _log_base(base)
    n_classes = _check_n_classes(n_classes)
    h = _label_entropy_nats(label_entropy, n_classes, log_base)
    error = _as_real_array(error, "error")
    if np.any((error < 0) | (error > 1)):
        raise ValueError("error must lie in [0, 1]")
    info = np.maximum(h - _fano_nats(error, n_classes), 0.0) / log_base
    return float(info) if info.ndim == 0 else info
