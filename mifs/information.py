r"""Information measures on probability distributions and on discrete samples.

Every measure is returned in units of ``base``: the default ``base=e`` gives
nats, as :func:`scipy.stats.entropy` and
:func:`sklearn.metrics.mutual_info_score` do, and ``base=2`` gives bits.
Terms with zero probability contribute nothing (the convention
:math:`0 \log 0 = 0`).

Distributions (1-D probability vectors)
    :func:`entropy`, :func:`binary_entropy`, :func:`cross_entropy`,
    :func:`kl_divergence`, :func:`js_divergence`.
Joint tables (``pxy`` with axis 0 = X, axis 1 = Y; ``pxyz`` with axes X, Y, Z)
    :func:`joint_entropy`, :func:`conditional_entropy`,
    :func:`mutual_information`, :func:`conditional_mutual_information`.
Gaussian closed forms
    :func:`gaussian_entropy`, :func:`gaussian_mutual_information`,
    :func:`gaussian_kl_divergence`.
Maximum entropy
    :func:`maxent_distribution`, returning a :class:`MaxEntResult`.
Samples of discrete labels (ints, strings, bools)
    :func:`discrete_entropy`, :func:`discrete_mutual_information`,
    :func:`discrete_conditional_mutual_information`, with plug-in and
    Miller--Madow estimators.

Invalid input raises :class:`ValueError` naming the offending argument. Inputs
are never modified.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.linalg import solve_triangular
from scipy.optimize import linprog, minimize
from scipy.special import logsumexp, rel_entr, softmax, xlogy

from mifs._base import label_codes
from mifs._kernels.discrete import combine_codes

__all__ = [
    "MaxEntResult",
    "binary_entropy",
    "conditional_entropy",
    "conditional_mutual_information",
    "cross_entropy",
    "discrete_conditional_mutual_information",
    "discrete_entropy",
    "discrete_mutual_information",
    "entropy",
    "gaussian_entropy",
    "gaussian_kl_divergence",
    "gaussian_mutual_information",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "maxent_distribution",
    "mutual_information",
]

# A distribution must sum to 1 within this tolerance.
_SUM_TOL = 1e-9
# A covariance must equal its transpose within this fraction of its largest entry.
_SYMMETRY_TOL = 1e-8
# Maximum entropy, with each feature's distance from its target scaled into
# [-1, 1]: constraint directions that every distribution meets to within
# _RANK_TOL are dropped, and the solution must meet each target to within
# _MAXENT_TOL.
_RANK_TOL = 1e-10
_MAXENT_TOL = 1e-8
# Newton steps after the trust region, each taken only while it shrinks the gradient.
_NEWTON_POLISH_STEPS = 20
_ESTIMATORS = ("plugin", "miller_madow")


# --------------------------------------------------------------------------
# Validation helpers


def _log_base(base: float) -> float:
    """Natural logarithm of ``base``: dividing nats by it gives units of ``base``."""
    if (
        isinstance(base, bool)
        or not isinstance(base, numbers.Real)
        or not math.isfinite(base)
        or base <= 0
        or base == 1
    ):
        raise ValueError(f"base must be a positive finite number other than 1 (got {base!r})")
    return math.log(base)


def _as_real_array(x: ArrayLike, name: str) -> np.ndarray:
    """``x`` as a finite float64 array, without copying when it already is one."""
    arr = np.asarray(x)
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a real-valued array") from None
    elif arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a real-valued array (got dtype {arr.dtype})")
    arr = arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must not contain NaN or infinite values")
    return arr


def _check_distribution(p: ArrayLike, name: str, ndim: int) -> np.ndarray:
    """A non-negative ``ndim``-dimensional array summing to 1."""
    arr = _as_real_array(p, name)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array (got {arr.ndim}-D)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative")
    total = float(arr.sum())
    if abs(total - 1.0) > _SUM_TOL:
        raise ValueError(f"{name} must sum to 1 (got {total:.12g})")
    return arr


def _check_pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Two probability vectors of the same shape."""
    p = _check_distribution(p, "p", ndim=1)
    q = _check_distribution(q, "q", ndim=1)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape (got {p.shape} and {q.shape})")
    return p, q


def _check_covariance(cov: ArrayLike, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A symmetric positive-definite matrix (a scalar is a 1x1 variance) and its
    lower Cholesky factor."""
    arr = _as_real_array(cov, name)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty square matrix or a scalar variance "
            f"(got shape {arr.shape})"
        )
    if np.any(np.abs(arr - arr.T) > _SYMMETRY_TOL * np.abs(arr).max()):
        raise ValueError(f"{name} must be symmetric")
    try:
        chol = np.linalg.cholesky(arr)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be positive definite") from None
    # A pivot at rounding level means the matrix is singular to working precision.
    if np.min(np.diag(chol)) ** 2 <= arr.shape[0] * np.finfo(float).eps * np.max(np.diag(arr)):
        raise ValueError(f"{name} must be positive definite (it is singular to working precision)")
    return arr, chol


def _check_mean(mean: ArrayLike, name: str, dim: int) -> np.ndarray:
    """A mean vector of length ``dim`` (a scalar when ``dim`` is 1)."""
    arr = _as_real_array(mean, name)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.shape != (dim,):
        raise ValueError(
            f"{name} must have shape ({dim},) to match the covariance (got {arr.shape})"
        )
    return arr


def _half_log_det(chol: np.ndarray) -> float:
    """Half the log-determinant of a matrix from its Cholesky factor."""
    return float(np.sum(np.log(np.diag(chol))))


def _entropy_nats(p: np.ndarray) -> float:
    """Shannon entropy in nats of a validated distribution of any shape."""
    return max(0.0, float(-np.sum(xlogy(p, p))))


def _relative_entropy_nats(p: np.ndarray, log_q: np.ndarray) -> float:
    """Sum of p (log p - log q) in nats over cells with p > 0, given log q there.

    Working with logarithms, no ratio or product of small probabilities can
    overflow or underflow. Rounding below zero is clipped.
    """
    return max(0.0, float(np.sum(p * (np.log(p) - log_q))))


def _kl_nats(p: np.ndarray, q: np.ndarray) -> float:
    """D(p || q) in nats; infinite where q = 0 < p."""
    positive = p > 0
    if np.any(q[positive] == 0):
        return math.inf
    return _relative_entropy_nats(p[positive], np.log(q[positive]))


def _check_estimator(estimator: str) -> str:
    if estimator not in _ESTIMATORS:
        raise ValueError(f"estimator must be one of {_ESTIMATORS} (got {estimator!r})")
    return estimator


def _label_codes(**samples: ArrayLike) -> list[np.ndarray]:
    """Each 1-D label sample as integer codes 0..k-1; all must have the same length."""
    codes = []
    for name, x in samples.items():
        arr = np.asarray(x)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D (got {arr.ndim}-D)")
        if arr.size == 0:
            raise ValueError(f"{name} must not be empty")
        if arr.dtype.kind in "fc" and np.isnan(arr).any():
            raise ValueError(f"{name} must not contain NaN")
        try:
            codes.append(label_codes(arr, name)[1])
        except TypeError:
            raise ValueError(f"{name} must hold mutually comparable labels") from None
    lengths = {name: len(c) for name, c in zip(samples, codes, strict=True)}
    if len(set(lengths.values())) > 1:
        *first, last = lengths
        listed = ", ".join(f"{name}: {n}" for name, n in lengths.items())
        raise ValueError(f"{', '.join(first)} and {last} must have the same length (got {listed})")
    return codes


def _sample_entropy_nats(codes: np.ndarray, estimator: str) -> float:
    """Plug-in or Miller--Madow entropy in nats of factorised labels."""
    counts = np.bincount(codes)  # every code occurs, so m = counts.size
    n = codes.size
    h = math.log(n) - float(np.sum(xlogy(counts, counts))) / n
    if estimator == "miller_madow":
        h += (counts.size - 1) / (2 * n)
    return h


# --------------------------------------------------------------------------
# Distributions


def entropy(p: ArrayLike, *, base: float = np.e) -> float:
    r"""Shannon entropy of a discrete distribution.

    Parameters
    ----------
    p : array-like of shape (n,)
        Probabilities, non-negative and summing to 1.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`H(p)`, in units of ``base``.

    See Also
    --------
    joint_entropy : Entropy of a joint table.
    discrete_entropy : Entropy estimated from samples.

    Notes
    -----
    .. math:: H(p) = -\sum_i p_i \log p_i, \qquad 0 \log 0 = 0.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, ch. 2.

    Examples
    --------
    >>> from mifs.information import entropy
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> round(entropy([0.25, 0.25, 0.5]), 4)
    1.0397
    """
    log_base = _log_base(base)
    return _entropy_nats(_check_distribution(p, "p", ndim=1)) / log_base


def binary_entropy(p: ArrayLike, *, base: float = np.e) -> float | np.ndarray:
    r"""Entropy of a Bernoulli variable, elementwise.

    Parameters
    ----------
    p : float or array-like
        Success probabilities, each in [0, 1].
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float or ndarray
        :math:`h(p)` in units of ``base``: a float for scalar ``p``, else an
        array of the shape of ``p``.

    Notes
    -----
    .. math:: h(p) = -p \log p - (1 - p) \log (1 - p).

    Examples
    --------
    >>> from mifs.information import binary_entropy
    >>> binary_entropy(0.5, base=2)
    1.0
    >>> binary_entropy([0.0, 0.11, 1.0], base=2).round(3)
    array([0. , 0.5, 0. ])
    """
    log_base = _log_base(base)
    arr = _as_real_array(p, "p")
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError("p must lie in [0, 1]")
    h = (0.0 - xlogy(arr, arr) - xlogy(1 - arr, 1 - arr)) / log_base  # +0.0, never -0.0
    return float(h) if h.ndim == 0 else h


def cross_entropy(p: ArrayLike, q: ArrayLike, *, base: float = np.e) -> float:
    r"""Cross-entropy of a model distribution ``q`` relative to a true ``p``.

    Parameters
    ----------
    p : array-like of shape (n,)
        True distribution.
    q : array-like of shape (n,)
        Model distribution.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`H(p, q)` in units of ``base``; ``inf`` where some
        :math:`q_i = 0 < p_i`.

    See Also
    --------
    kl_divergence : :math:`H(p, q) = H(p) + D(p \| q)`.

    Notes
    -----
    .. math:: H(p, q) = -\sum_i p_i \log q_i.

    Examples
    --------
    One-hot truth against a prediction of (0.7, 0.2, 0.1):

    >>> from mifs.information import cross_entropy
    >>> round(cross_entropy([1, 0, 0], [0.7, 0.2, 0.1], base=2), 3)
    0.515
    """
    log_base = _log_base(base)
    p, q = _check_pair(p, q)
    return float(-np.sum(xlogy(p, q))) / log_base


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: float = np.e) -> float:
    r"""Kullback--Leibler divergence of ``q`` from ``p``.

    Parameters
    ----------
    p, q : array-like of shape (n,)
        Distributions.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`D(p \| q) \ge 0` in units of ``base``, zero if and only if
        ``p == q``; ``inf`` where some :math:`q_i = 0 < p_i`.

    Notes
    -----
    .. math:: D(p \| q) = \sum_i p_i \log \frac{p_i}{q_i}.

    Rounding errors below zero are clipped to 0.

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On information and sufficiency",
       *Ann. Math. Statist.* 22(1), 1951.

    Examples
    --------
    >>> from mifs.information import kl_divergence
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1], base=2), 4)
    0.737
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    log_base = _log_base(base)
    p, q = _check_pair(p, q)
    return _kl_nats(p, q) / log_base


def js_divergence(p: ArrayLike, q: ArrayLike, *, base: float = np.e) -> float:
    r"""Jensen--Shannon divergence between two distributions.

    Parameters
    ----------
    p, q : array-like of shape (n,)
        Distributions.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`JS(p, q)` in units of ``base``: symmetric, finite, between 0
        and :math:`\log 2`.

    See Also
    --------
    scipy.spatial.distance.jensenshannon : Its square root, a metric.

    Notes
    -----
    .. math::
        JS(p, q) = \tfrac12 D(p \| m) + \tfrac12 D(q \| m),
        \qquad m = \tfrac12 (p + q).

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy",
       *IEEE Trans. Inf. Theory* 37(1), 1991.

    Examples
    --------
    >>> from mifs.information import js_divergence
    >>> js_divergence([1, 0], [0, 1], base=2)
    1.0
    """
    log_base = _log_base(base)
    p, q = _check_pair(p, q)
    with np.errstate(divide="ignore"):
        log_p, log_q = np.log(p), np.log(q)
    # log m from the logarithms: (p + q) / 2 itself can underflow to 0.
    log_m = np.logaddexp(log_p, log_q) - math.log(2)
    on_p, on_q = p > 0, q > 0
    js = _relative_entropy_nats(p[on_p], log_m[on_p]) + _relative_entropy_nats(
        q[on_q], log_m[on_q]
    )
    return 0.5 * js / log_base


# --------------------------------------------------------------------------
# Joint tables


def joint_entropy(pxy: ArrayLike, *, base: float = np.e) -> float:
    r"""Joint entropy of two discrete variables from their joint table.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities :math:`p(x, y)`; axis 0 is X, axis 1 is Y.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`H(X, Y)` in units of ``base``.

    Notes
    -----
    .. math:: H(X, Y) = -\sum_{x, y} p(x, y) \log p(x, y).

    Examples
    --------
    A fair coin X and :math:`Y = X \oplus Z` with :math:`Z \sim
    \mathrm{Bern}(0.1)`:

    >>> from mifs.information import joint_entropy
    >>> round(joint_entropy([[0.45, 0.05], [0.05, 0.45]], base=2), 3)
    1.469
    """
    log_base = _log_base(base)
    return _entropy_nats(_check_distribution(pxy, "pxy", ndim=2)) / log_base


def conditional_entropy(pxy: ArrayLike, *, base: float = np.e) -> float:
    r"""Conditional entropy :math:`H(Y \mid X)` from a joint table.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities :math:`p(x, y)`; axis 0 is X (the conditioning
        variable), axis 1 is Y.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`H(Y \mid X) = H(X, Y) - H(X)` in units of ``base``.

    Notes
    -----
    .. math::
        H(Y \mid X) = -\sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x)}.

    Examples
    --------
    >>> from mifs.information import conditional_entropy
    >>> round(conditional_entropy([[0.45, 0.05], [0.05, 0.45]], base=2), 3)
    0.469
    """
    log_base = _log_base(base)
    pxy = _check_distribution(pxy, "pxy", ndim=2)
    px = pxy.sum(axis=1, keepdims=True)
    # Every term is <= 0 because p(x, y) <= p(x), so the sum is never negative.
    return float(-np.sum(rel_entr(pxy, px))) / log_base


def mutual_information(pxy: ArrayLike, *, base: float = np.e) -> float:
    r"""Mutual information of two discrete variables from their joint table.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities :math:`p(x, y)`; axis 0 is X, axis 1 is Y.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`I(X; Y) \ge 0` in units of ``base``.

    See Also
    --------
    discrete_mutual_information : The same from samples.

    Notes
    -----
    .. math::
        I(X; Y) = \sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x) p(y)}
        = D(p_{XY} \| p_X \otimes p_Y).

    Rounding errors below zero are clipped to 0.

    Examples
    --------
    >>> from mifs.information import mutual_information
    >>> round(mutual_information([[0.4, 0.1], [0.1, 0.4]], base=2), 4)
    0.2781
    """
    log_base = _log_base(base)
    pxy = _check_distribution(pxy, "pxy", ndim=2)
    x, y = np.nonzero(pxy)
    log_independent = np.log(pxy.sum(axis=1)[x]) + np.log(pxy.sum(axis=0)[y])
    return _relative_entropy_nats(pxy[x, y], log_independent) / log_base


def conditional_mutual_information(pxyz: ArrayLike, *, base: float = np.e) -> float:
    r"""Conditional mutual information :math:`I(X; Y \mid Z)` from a joint table.

    Parameters
    ----------
    pxyz : array-like of shape (n_x, n_y, n_z)
        Joint probabilities :math:`p(x, y, z)`; axes are X, Y, Z.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`I(X; Y \mid Z) \ge 0` in units of ``base``.

    See Also
    --------
    discrete_conditional_mutual_information : The same from samples.

    Notes
    -----
    .. math::
        I(X; Y \mid Z) = \sum_{x, y, z} p(x, y, z)
        \log \frac{p(z)\, p(x, y, z)}{p(x, z)\, p(y, z)}.

    Rounding errors below zero are clipped to 0.

    Examples
    --------
    Two fair coins and their sum: independent, yet dependent given the sum.

    >>> import numpy as np
    >>> from mifs.information import conditional_mutual_information
    >>> pxyz = np.zeros((2, 2, 3))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         pxyz[x, y, x + y] = 0.25
    >>> round(conditional_mutual_information(pxyz, base=2), 6)
    0.5
    """
    log_base = _log_base(base)
    pxyz = _check_distribution(pxyz, "pxyz", ndim=3)
    x, y, z = np.nonzero(pxyz)
    # log of p(x, z) p(y, z) / p(z), the joint under conditional independence.
    log_independent = (
        np.log(pxyz.sum(axis=1)[x, z])
        + np.log(pxyz.sum(axis=0)[y, z])
        - np.log(pxyz.sum(axis=(0, 1))[z])
    )
    return _relative_entropy_nats(pxyz[x, y, z], log_independent) / log_base


# --------------------------------------------------------------------------
# Gaussian closed forms


def gaussian_entropy(cov: ArrayLike, *, base: float = np.e) -> float:
    r"""Differential entropy of a multivariate normal distribution.

    Parameters
    ----------
    cov : float or array-like of shape (d, d)
        Covariance matrix, symmetric positive definite; a scalar is a
        variance.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`h(X)` in units of ``base``; negative for small covariances.

    Notes
    -----
    .. math:: h(X) = \tfrac12 \log \det (2 \pi e \Sigma)
        = \tfrac{d}{2} \log (2 \pi e) + \tfrac12 \log \det \Sigma.

    The determinant comes from a Cholesky factorisation, which also rejects
    matrices that are not positive definite.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, theorem 8.4.1.

    Examples
    --------
    >>> from mifs.information import gaussian_entropy
    >>> round(gaussian_entropy(1.0), 4)
    1.4189
    >>> round(gaussian_entropy([[1.0, 0.0], [0.0, 1.0]]), 4)
    2.8379
    """
    log_base = _log_base(base)
    cov, chol = _check_covariance(cov, "cov")
    h = 0.5 * cov.shape[0] * math.log(2 * math.pi * math.e) + _half_log_det(chol)
    return h / log_base


def gaussian_mutual_information(cov: ArrayLike, x_dims: int, *, base: float = np.e) -> float:
    r"""Mutual information between the two blocks of a multivariate normal.

    Parameters
    ----------
    cov : array-like of shape (d, d)
        Covariance of the joint vector :math:`(X, Y)`, symmetric positive
        definite, with :math:`d \ge 2`.
    x_dims : int
        Number of leading coordinates forming X, in ``[1, d - 1]``; the rest
        form Y.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`I(X; Y) \ge 0` in units of ``base``.

    Notes
    -----
    .. math::
        I(X; Y) = \tfrac12 \log
        \frac{\det \Sigma_{XX} \det \Sigma_{YY}}{\det \Sigma}.

    For a bivariate normal with correlation :math:`\rho` this is
    :math:`-\tfrac12 \log(1 - \rho^2)`. It is computed from the Cholesky
    factor of :math:`\Sigma`, whose trailing block factors the Schur
    complement :math:`\Sigma_{YY} - \Sigma_{YX} \Sigma_{XX}^{-1}
    \Sigma_{XY}`, so :math:`\det \Sigma_{XX}` cancels exactly.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs.information import gaussian_mutual_information
    >>> rho = 0.9
    >>> round(gaussian_mutual_information([[1, rho], [rho, 1]], x_dims=1), 6)
    0.830366
    >>> round(float(-0.5 * np.log(1 - rho**2)), 6)
    0.830366
    """
    log_base = _log_base(base)
    cov, chol = _check_covariance(cov, "cov")
    d = cov.shape[0]
    if d < 2:
        raise ValueError(f"cov must be at least 2x2 to split into X and Y (got shape {cov.shape})")
    if isinstance(x_dims, bool) or not isinstance(x_dims, numbers.Integral) or not 1 <= x_dims < d:
        raise ValueError(f"x_dims must be an integer in [1, {d - 1}] (got {x_dims!r})")
    chol_yy = np.linalg.cholesky(cov[x_dims:, x_dims:])
    mi = _half_log_det(chol_yy) - _half_log_det(chol[x_dims:, x_dims:])
    return max(0.0, mi) / log_base


def gaussian_kl_divergence(
    mean0: ArrayLike,
    cov0: ArrayLike,
    mean1: ArrayLike,
    cov1: ArrayLike,
    *,
    base: float = np.e,
) -> float:
    r"""Kullback--Leibler divergence between two multivariate normals.

    Parameters
    ----------
    mean0 : float or array-like of shape (d,)
        Mean of :math:`P_0 = N(\mu_0, \Sigma_0)`.
    cov0 : float or array-like of shape (d, d)
        Covariance of :math:`P_0`, symmetric positive definite.
    mean1 : float or array-like of shape (d,)
        Mean of :math:`P_1 = N(\mu_1, \Sigma_1)`.
    cov1 : float or array-like of shape (d, d)
        Covariance of :math:`P_1`, symmetric positive definite.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        :math:`D(P_0 \| P_1) \ge 0` in units of ``base``.

    Notes
    -----
    .. math::
        D(P_0 \| P_1) = \tfrac12 \left[
        \operatorname{tr}(\Sigma_1^{-1} \Sigma_0)
        + (\mu_1 - \mu_0)^\top \Sigma_1^{-1} (\mu_1 - \mu_0)
        - d + \log \frac{\det \Sigma_1}{\det \Sigma_0} \right].

    With Cholesky factors :math:`\Sigma_i = L_i L_i^\top` the trace is
    :math:`\| L_1^{-1} L_0 \|_F^2`, so no inverse is formed.

    Examples
    --------
    >>> from mifs.information import gaussian_kl_divergence
    >>> round(gaussian_kl_divergence(0.0, 1.0, 1.0, 4.0), 6)
    0.443147
    """
    log_base = _log_base(base)
    cov0, chol0 = _check_covariance(cov0, "cov0")
    cov1, chol1 = _check_covariance(cov1, "cov1")
    if cov0.shape != cov1.shape:
        raise ValueError(
            f"cov0 and cov1 must have the same shape (got {cov0.shape} and {cov1.shape})"
        )
    d = cov0.shape[0]
    diff = _check_mean(mean1, "mean1", d) - _check_mean(mean0, "mean0", d)
    scaled = solve_triangular(chol1, chol0, lower=True)
    whitened = solve_triangular(chol1, diff, lower=True)
    kl = 0.5 * (np.sum(scaled**2) + whitened @ whitened - d)
    kl += _half_log_det(chol1) - _half_log_det(chol0)
    return max(0.0, float(kl)) / log_base


# --------------------------------------------------------------------------
# Maximum entropy


@dataclass(frozen=True)
class MaxEntResult:
    r"""Maximum-entropy distribution returned by :func:`maxent_distribution`.

    Attributes
    ----------
    p : ndarray of shape (n_support,)
        Probabilities on the support points.
    lambdas : ndarray of shape (n_features,)
        Lagrange multipliers with :math:`p(x) \propto \exp(\sum_m \lambda_m
        g_m(x))` (natural logarithm) wherever :math:`p(x) > 0`.
    entropy : float
        Entropy of ``p``, in units of the ``base`` given to
        :func:`maxent_distribution`.

    Examples
    --------
    With no constraint the maximum-entropy distribution is uniform:

    >>> from mifs.information import maxent_distribution
    >>> res = maxent_distribution([0, 1, 2, 3], [], [], base=2)
    >>> res.p, res.lambdas.shape, round(res.entropy, 6)
    (array([0.25, 0.25, 0.25, 0.25]), (0,), 2.0)
    """

    p: np.ndarray
    lambdas: np.ndarray
    entropy: float


def _constraint_basis(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal basis ``u`` (n, r) for the constraints ``a.T @ p = 0``, and
    the (m, r) matrix ``w`` with ``a @ w == u``.

    A right singular vector ``v`` with singular value ``s`` has
    ``|a @ v| <= s`` at every point, so every distribution meets that
    combination of constraints to within ``s``, small next to the entries of
    ``a``, which are of order one: directions with ``s <= _RANK_TOL`` are
    dropped. Dependent constraints thus cost nothing.
    """
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    keep = s > _RANK_TOL
    return u[:, keep], vt[keep].T / s[keep]


def _positive_support(basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask of the points that some distribution ``p`` with ``basis.T @ p == 0``
    can give positive probability, and unnormalised weights of one such
    distribution, positive on all of them.

    One linear programme over the cone ``{q >= 0 : basis.T @ q = 0}``: maximise
    ``sum(y)`` with ``0 <= y_i <= min(q_i, 1)``. Scaled sums of feasible points
    stay feasible, so ``y_i = 1`` exactly where ``q_i`` can be positive; no
    point qualifies when the constraints are infeasible.
    """
    n, r = basis.shape
    eye = sparse.eye(n, format="csr")
    result = linprog(
        c=np.concatenate([np.zeros(n), -np.ones(n)]),
        A_ub=sparse.hstack([-eye, eye]),
        b_ub=np.zeros(n),
        A_eq=np.hstack([basis.T, np.zeros((r, n))]),
        b_eq=np.zeros(r),
        bounds=[(0, None)] * n + [(0, 1)] * n,
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"maxent_distribution: linear programme failed ({result.message})")
    return result.x[n:] > 0.5, result.x[:n]


def _maxent_on_support(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-entropy ``p`` with ``a.T @ p == 0`` and multipliers ``lambdas``
    with ``p`` proportional to ``exp(a @ lambdas)``.

    Minimises the convex dual ``log sum_x exp(b(x) . mu)`` over an orthonormal
    basis ``b`` of the constraints (scaled to unit root-mean-square), so the
    Hessian, the covariance of ``b`` under ``p``, has full rank and does not
    inherit the scales of the features.
    """
    n = a.shape[0]
    basis, to_lambdas = _constraint_basis(a)
    scale = math.sqrt(n)
    b = basis * scale
    mu = np.zeros(b.shape[1])
    if not mu.size:  # with no effective constraint the uniform distribution is optimal
        return np.full(n, 1.0 / n), to_lambdas @ mu

    def gradient(mu: np.ndarray) -> np.ndarray:
        return b.T @ softmax(b @ mu)

    def hessian(mu: np.ndarray) -> np.ndarray:
        p = softmax(b @ mu)
        mean = b.T @ p
        return (b.T * p) @ b - np.outer(mean, mean)

    mu = minimize(
        lambda mu: float(logsumexp(b @ mu)),
        mu,
        jac=gradient,
        hess=hessian,
        method="trust-exact",
        options={"gtol": 1e-8},
    ).x
    # The trust region stops once the dual stops changing in floating point;
    # Newton steps judged by the gradient alone go on while they shrink it.
    grad = gradient(mu)
    for _ in range(_NEWTON_POLISH_STEPS):
        candidate = mu - np.linalg.lstsq(hessian(mu), grad)[0]
        candidate_grad = gradient(candidate)
        if not np.linalg.norm(candidate_grad) < np.linalg.norm(grad):
            break
        mu, grad = candidate, candidate_grad
    return softmax(b @ mu), to_lambdas @ (mu * scale)


def maxent_distribution(
    support: ArrayLike,
    features: Sequence[Callable[[np.ndarray], ArrayLike]],
    targets: ArrayLike,
    *,
    base: float = np.e,
) -> MaxEntResult:
    r"""Maximum-entropy distribution on a finite support under moment constraints.

    Finds the distribution :math:`p` on the support points of maximum entropy
    subject to :math:`E_p[g_m(X)] = t_m` for every feature :math:`g_m`.

    Parameters
    ----------
    support : array-like of shape (n_support, ...)
        The support points; ``support[i]`` is point i (a number, or a row for
        multivariate points).
    features : sequence of callables
        Feature functions :math:`g_m`. Each is called once with the support
        array and must return one real value per support point.
    targets : array-like of shape (n_features,)
        Required expectations :math:`t_m`.
    base : float, default=e
        Logarithm base for the reported entropy. The multipliers always use
        the natural logarithm.

    Returns
    -------
    MaxEntResult
        ``p`` (probabilities on the support), ``lambdas`` (multipliers,
        :math:`p(x) \propto \exp(\sum_m \lambda_m g_m(x))`) and
        ``entropy``.

    Raises
    ------
    ValueError
        If no distribution on the support meets the targets: a target outside
        the convex hull of the feature values, or constraints that contradict
        each other.

    Notes
    -----
    The solution has the Gibbs form :math:`p_\lambda(x) = \exp(\lambda
    \cdot g(x)) / Z(\lambda)`, with :math:`\lambda` minimising the convex
    dual

    .. math:: \log Z(\lambda) - \lambda \cdot t,

    whose gradient is :math:`E_{p_\lambda}[g] - t` and Hessian
    :math:`\operatorname{Cov}_{p_\lambda}[g]`; it is minimised by a
    trust-region Newton method with these exact derivatives, then polished by
    Newton steps on the gradient. The constraints are first rewritten in an
    orthonormal basis of the deviations :math:`g_m(x) - t_m`, each scaled by
    its largest absolute value on the support; combinations that every
    distribution meets to within :math:`10^{-10}` of that scale are dropped.
    Linearly dependent but consistent features are therefore fine (their
    multipliers are not unique, and one valid set is returned). The solution
    meets every target to within :math:`10^{-8}` of the same scale, or a
    ValueError is raised.

    Feasibility is settled beforehand by a linear programme. When the targets
    lie on the boundary of the feasible set (say a mean of 6 on a die), the
    maximum-entropy distribution gives probability zero to some points; it is
    found on the remaining points, where the Gibbs form holds (formally the
    multipliers are infinite).

    References
    ----------
    .. [1] E. T. Jaynes, "Information theory and statistical mechanics",
       *Phys. Rev.* 106(4), 1957.
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, ch. 12.

    Examples
    --------
    Jaynes' die whose long-run average is 4.5 instead of 3.5:

    >>> import numpy as np
    >>> from mifs.information import maxent_distribution
    >>> res = maxent_distribution(np.arange(1, 7), [lambda x: x], [4.5])
    >>> res.p.round(4)
    array([0.0544, 0.0788, 0.1142, 0.1654, 0.2398, 0.3475])
    >>> res.lambdas.round(4)
    array([0.371])
    >>> round(float(res.p @ np.arange(1, 7)), 6)
    4.5
    """
    log_base = _log_base(base)
    support = np.asarray(support)
    if support.ndim == 0 or len(support) == 0:
        raise ValueError("support must be a non-empty sequence of points")
    n = len(support)
    features = list(features)
    targets = _as_real_array(targets, "targets")
    if targets.shape != (len(features),):
        raise ValueError(
            f"targets must have shape ({len(features)},), one value per feature "
            f"(got {targets.shape})"
        )
    values = np.empty((n, len(features)))
    for m, g in enumerate(features):
        if not callable(g):
            raise ValueError(f"features[{m}] must be callable")
        column = _as_real_array(g(support), f"features[{m}](support)")
        if column.shape != (n,):
            raise ValueError(
                f"features[{m}] must return one value per support point "
                f"(shape ({n},), got {column.shape})"
            )
        values[:, m] = column
    # The constraints read E_p[a] = 0, each column of a scaled into [-1, 1].
    centred = values - targets
    scale = np.abs(centred).max(axis=0)
    scale[scale == 0] = 1.0  # a feature equal to its target everywhere
    a = centred / scale

    basis, _ = _constraint_basis(a)
    active, weights = (
        _positive_support(basis) if basis.shape[1] else (np.ones(n, dtype=bool), np.ones(n))
    )
    if not active.any():
        raise ValueError(
            "targets are infeasible: no distribution on the support has these expectations "
            "(a target lies outside the convex hull of the feature values, or the constraints "
            "contradict each other)"
        )
    face = a[active]
    if not active.all():
        # On the boundary the targets are met only to the tolerance of the linear
        # programme; centring on its solution, which is positive on every active
        # point, guarantees that the dual has a minimiser.
        face = face - weights[active] @ face / weights[active].sum()
    p = np.zeros(n)
    p[active], lambdas = _maxent_on_support(face)

    if np.any(np.abs(a.T @ p) > _MAXENT_TOL):
        raise ValueError(
            "targets are infeasible to working precision: the closest maximum-entropy "
            f"solution has expectations {values.T @ p} instead of {targets}"
        )
    lambdas = lambdas / scale
    return MaxEntResult(p=p, lambdas=lambdas, entropy=_entropy_nats(p) / log_base)


# --------------------------------------------------------------------------
# Samples of discrete labels


def discrete_entropy(x: ArrayLike, *, estimator: str = "plugin", base: float = np.e) -> float:
    r"""Entropy of a discrete variable estimated from samples of its labels.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        Labels: integers, strings, booleans or any comparable values.
    estimator : {"plugin", "miller_madow"}, default="plugin"
        ``"plugin"`` is the entropy of the empirical distribution;
        ``"miller_madow"`` adds the first-order bias correction.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        Estimated :math:`H(X)` in units of ``base``.

    Notes
    -----
    With :math:`n_k` samples of label :math:`k`, :math:`n` samples and
    :math:`m` distinct labels observed,

    .. math::
        \hat H = -\sum_k \frac{n_k}{n} \log \frac{n_k}{n}, \qquad
        \hat H_{MM} = \hat H + \frac{m - 1}{2n}.

    The plug-in estimate is biased low by about :math:`(m - 1) / 2n` nats,
    which Miller--Madow removes to first order.

    References
    ----------
    .. [1] G. A. Miller, "Note on the bias of information estimates", in
       *Information Theory in Psychology*, 1955.
    .. [2] L. Paninski, "Estimation of entropy and mutual information",
       *Neural Computation* 15(6), 2003.

    Examples
    --------
    >>> from mifs.information import discrete_entropy
    >>> discrete_entropy(["a", "b", "a", "b"], base=2)
    1.0
    >>> round(discrete_entropy(["a", "b", "a", "b"], estimator="miller_madow", base=2), 4)
    1.1803
    """
    log_base = _log_base(base)
    estimator = _check_estimator(estimator)
    (codes,) = _label_codes(x=x)
    return max(0.0, _sample_entropy_nats(codes, estimator)) / log_base


def discrete_mutual_information(
    x: ArrayLike, y: ArrayLike, *, estimator: str = "plugin", base: float = np.e
) -> float:
    r"""Mutual information of two discrete variables estimated from samples.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Paired labels: integers, strings, booleans or any comparable values.
    estimator : {"plugin", "miller_madow"}, default="plugin"
        Entropy estimator used in every term, see :func:`discrete_entropy`.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        Estimated :math:`I(X; Y)` in units of ``base``. The plug-in value
        equals :func:`sklearn.metrics.mutual_info_score` (in nats).

    See Also
    --------
    mutual_information : The same on a joint table.

    Notes
    -----
    .. math:: \hat I(X; Y) = \hat H(X) + \hat H(Y) - \hat H(X, Y),

    the entropies estimated from the same samples. With :math:`m_X, m_Y,
    m_{XY}` the numbers of distinct labels and label pairs observed,
    Miller--Madow gives

    .. math::
        \hat I_{MM} = \hat I + \frac{m_X + m_Y - m_{XY} - 1}{2n}.

    The plug-in value is clipped at 0 (it is non-negative up to rounding);
    the Miller--Madow value is not, and can be slightly negative for
    independent variables.

    Examples
    --------
    >>> from mifs.information import discrete_mutual_information
    >>> discrete_mutual_information([0, 0, 1, 1], ["a", "a", "b", "b"], base=2)
    1.0
    >>> discrete_mutual_information([0, 0, 1, 1], [True, False, True, False])
    0.0
    """
    log_base = _log_base(base)
    estimator = _check_estimator(estimator)
    cx, cy = _label_codes(x=x, y=y)
    mi = (
        _sample_entropy_nats(cx, estimator)
        + _sample_entropy_nats(cy, estimator)
        - _sample_entropy_nats(combine_codes([cx, cy])[0], estimator)
    )
    return (max(0.0, mi) if estimator == "plugin" else mi) / log_base


def discrete_conditional_mutual_information(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    *,
    estimator: str = "plugin",
    base: float = np.e,
) -> float:
    r"""Conditional mutual information of discrete variables estimated from samples.

    Parameters
    ----------
    x, y, z : array-like of shape (n_samples,)
        Paired labels: integers, strings, booleans or any comparable values.
    estimator : {"plugin", "miller_madow"}, default="plugin"
        Entropy estimator used in every term, see :func:`discrete_entropy`.
    base : float, default=e
        Logarithm base; ``e`` gives nats, 2 gives bits.

    Returns
    -------
    float
        Estimated :math:`I(X; Y \mid Z)` in units of ``base``.

    See Also
    --------
    conditional_mutual_information : The same on a joint table.

    Notes
    -----
    .. math::
        \hat I(X; Y \mid Z) = \hat H(X, Z) + \hat H(Y, Z)
        - \hat H(X, Y, Z) - \hat H(Z),

    the entropies estimated from the same samples. With :math:`m` the number
    of distinct label combinations observed for each set of variables,
    Miller--Madow gives

    .. math::
        \hat I_{MM} = \hat I + \frac{m_{XZ} + m_{YZ} - m_{XYZ} - m_Z}{2n}.

    The plug-in value is clipped at 0 (it is non-negative up to rounding);
    the Miller--Madow value is not.

    Examples
    --------
    Two fair coins are independent, but not given their sum:

    >>> from mifs.information import discrete_conditional_mutual_information
    >>> x = [0, 0, 1, 1]
    >>> y = [0, 1, 0, 1]
    >>> z = [0, 1, 1, 2]
    >>> round(discrete_conditional_mutual_information(x, y, z, base=2), 6)
    0.5
    """
    log_base = _log_base(base)
    estimator = _check_estimator(estimator)
    cx, cy, cz = _label_codes(x=x, y=y, z=z)
    cxz = combine_codes([cx, cz])[0]
    cyz = combine_codes([cy, cz])[0]
    cmi = (
        _sample_entropy_nats(cxz, estimator)
        + _sample_entropy_nats(cyz, estimator)
        - _sample_entropy_nats(combine_codes([cxz, cy])[0], estimator)
        - _sample_entropy_nats(cz, estimator)
    )
    return (max(0.0, cmi) if estimator == "plugin" else cmi) / log_base
