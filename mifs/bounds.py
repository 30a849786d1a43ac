"""Bounds on the error of any classifier from mutual information.

:func:`fano_error_lower_bound`
    The smallest error probability any classifier of Y from X can reach,
    given :math:`I(X; Y)`: Fano's inequality inverted exactly.
:func:`fano_mutual_information_lower_bound`
    Conversely, the least :math:`I(X; Y)` that a given error probability
    requires.
:func:`gaussian_mixture_mutual_information`
    :math:`I(X; Y)` of the class-conditional Gaussian data model, the
    quantity these bounds take, by quadrature or Monte Carlo.

Information is in units of ``base`` (default ``e``: nats), as in
:mod:`mifs.information`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import solve_triangular
from scipy.optimize import brentq
from scipy.special import logsumexp, xlogy
from sklearn.utils import check_random_state

from mifs.information import _as_real_array, _check_covariance, _half_log_det, _log_base

__all__ = [
    "GaussianMixtureMI",
    "fano_error_lower_bound",
    "fano_mutual_information_lower_bound",
    "gaussian_mixture_mutual_information",
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


# --------------------------------------------------------------------------
# Mutual information of a Gaussian class-conditional model

# Monte Carlo sample size when none is given and X has several dimensions.
_DEFAULT_MC_SAMPLES = 100_000
# Quadrature covers each class density over its mean +- this many standard
# deviations; the mass outside, about 4e-33, cannot move the result.
_QUAD_HALF_WIDTH = 12.0
# Priors must sum to 1 within this tolerance.
_PRIOR_SUM_TOL = 1e-9


class GaussianMixtureMI(NamedTuple):
    """Result of :func:`gaussian_mixture_mutual_information`.

    Attributes
    ----------
    value : float
        :math:`I(X; Y)` in units of ``base``.
    stderr : float
        Its numerical uncertainty in the same units: the standard error of
        the Monte Carlo mean, or the quadrature's absolute error estimate.

    Examples
    --------
    A named tuple: read its fields by name or unpack it.

    >>> from mifs.bounds import gaussian_mixture_mutual_information
    >>> res = gaussian_mixture_mutual_information([0.0, 0.0], [1.0, 1.0], [0.5, 0.5])
    >>> res.value, bool(res.stderr < 1e-9)     # identical classes: no information
    (0.0, True)
    >>> value, stderr = gaussian_mixture_mutual_information([-10.0, 10.0], [1.0, 1.0], [0.5, 0.5])
    >>> round(value, 4)                # far apart: I(X; Y) = H(Y) = log 2
    0.6931
    """

    value: float
    stderr: float


def _check_mixture(
    means: ArrayLike, covariances: ArrayLike, priors: ArrayLike
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Priors, means of shape (C, d) and the Cholesky factor of each covariance."""
    pi = _as_real_array(priors, "priors")
    if pi.ndim != 1 or pi.size == 0:
        raise ValueError(f"priors must be a non-empty 1-D array (got shape {pi.shape})")
    if np.any(pi <= 0):
        raise ValueError("priors must be positive")
    if abs(float(pi.sum()) - 1.0) > _PRIOR_SUM_TOL:
        raise ValueError(f"priors must sum to 1 (got {float(pi.sum()):.12g})")
    n_classes = pi.size
    mu = _as_real_array(means, "means")
    if mu.ndim == 1:
        mu = mu.reshape(-1, 1)
    if mu.ndim != 2 or mu.shape[0] != n_classes or mu.shape[1] == 0:
        raise ValueError(
            f"means must have shape (n_classes, n_dims) with n_classes = {n_classes} "
            f"(the length of priors), or shape ({n_classes},) in one dimension "
            f"(got shape {np.shape(means)})"
        )
    dim = mu.shape[1]
    cov = _as_real_array(covariances, "covariances")
    if dim == 1 and cov.ndim == 1:
        cov = cov.reshape(-1, 1, 1)
    if cov.shape != (n_classes, dim, dim):
        raise ValueError(
            f"covariances must have shape (n_classes, n_dims, n_dims) = "
            f"({n_classes}, {dim}, {dim}) to match means and priors, or ({n_classes},) "
            f"variances in one dimension (got shape {np.shape(covariances)})"
        )
    chols = [_check_covariance(cov[c], f"covariances[{c}]")[1] for c in range(n_classes)]
    return pi, chols, mu


def _log_joint(
    x: np.ndarray, mu: np.ndarray, chols: list[np.ndarray], log_pi: np.ndarray
) -> np.ndarray:
    """log(prior_c * density_c(x)) for rows x, shape (n, C)."""
    n, dim = x.shape
    out = np.empty((n, mu.shape[0]))
    for c, chol in enumerate(chols):
        z = solve_triangular(chol, (x - mu[c]).T, lower=True)
        out[:, c] = -0.5 * np.sum(z * z, axis=0) - _half_log_det(chol)
    return out - 0.5 * dim * math.log(2 * math.pi) + log_pi


def _mixture_mi_quad(pi: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> tuple[float, float]:
    """I(X; Y) in nats in one dimension by adaptive quadrature, and its error estimate.

    I = H(Y) + sum_c pi_c E_c[log p(c | X)]; each expectation is integrated
    in standard units t = (x - mu_c) / sd_c with breakpoints at the other
    means, so no narrow component is stepped over.
    """
    from scipy.integrate import quad  # here, not at the top: scipy.integrate takes seconds to import

    log_pi = np.log(pi)
    means = mu[:, 0]
    total, error = 0.0, 0.0
    for c in range(pi.size):

        def integrand(t: float, c: int = c) -> float:
            x = means[c] + sd[c] * t
            log_joint = log_pi - np.log(sd) - 0.5 * ((x - means) / sd) ** 2
            return math.exp(-0.5 * t * t) * float(log_joint[c] - logsumexp(log_joint))

        inside = (means - means[c]) / sd[c]
        points = np.unique(np.concatenate(([0.0], inside[np.abs(inside) < _QUAD_HALF_WIDTH])))
        value, err = quad(
            integrand,
            -_QUAD_HALF_WIDTH,
            _QUAD_HALF_WIDTH,
            points=points,
            epsabs=1e-13,
            epsrel=1e-11,
            limit=500,
        )
        scale = pi[c] / math.sqrt(2 * math.pi)
        total += scale * value
        error += scale * err
    return float(-np.sum(xlogy(pi, pi))) + total, error


def _mixture_mi_monte_carlo(
    pi: np.ndarray, mu: np.ndarray, chols: list[np.ndarray], n_samples: int, random_state: Any
) -> tuple[float, float]:
    """I(X; Y) in nats, H(Y) minus the mean posterior entropy at samples, and its standard error."""
    rng = check_random_state(random_state)
    labels = rng.choice(pi.size, size=n_samples, p=pi)
    x = rng.standard_normal((n_samples, mu.shape[1]))
    for c, chol in enumerate(chols):
        rows = labels == c
        x[rows] = mu[c] + x[rows] @ chol.T
    log_joint = _log_joint(x, mu, chols, np.log(pi))
    log_post = log_joint - logsumexp(log_joint, axis=1, keepdims=True)
    h_post = -np.sum(np.exp(log_post) * log_post, axis=1)
    value = float(-np.sum(xlogy(pi, pi))) - float(h_post.mean())
    return value, float(h_post.std(ddof=1)) / math.sqrt(n_samples)


def gaussian_mixture_mutual_information(
    means: ArrayLike,
    covariances: ArrayLike,
    priors: ArrayLike,
    *,
    n_samples: int | None = None,
    random_state: Any = None,
    base: float = np.e,
) -> GaussianMixtureMI:
    r"""Mutual information between a label and its Gaussian class-conditional data.

    The data model: a label :math:`Y = c` with probability
    :math:`\pi_c`, and :math:`X \mid Y = c \sim N(\mu_c, \Sigma_c)`.  This
    gives the :math:`I(X; Y)` that :func:`fano_error_lower_bound` turns into
    the least error of any classifier for such data.

    Parameters
    ----------
    means : array-like of shape (n_classes, n_dims) or (n_classes,)
        Class means :math:`\mu_c`; a 1-D array is one scalar mean per class
        in one dimension.
    covariances : array-like of shape (n_classes, n_dims, n_dims) or (n_classes,)
        Class covariances :math:`\Sigma_c`, each symmetric positive
        definite; in one dimension also a 1-D array of variances.
    priors : array-like of shape (n_classes,)
        Class probabilities :math:`\pi_c`, positive and summing to 1.
    n_samples : int, default=None
        Monte Carlo sample size, at least 2.  ``None``: quadrature in one
        dimension, 100 000 samples in more.  An int uses Monte Carlo in any
        dimension.
    random_state : int, RandomState instance or None, default=None
        Seeds the Monte Carlo draws; unused by quadrature.
    base : float, default=e
        Logarithm base of the result; ``e`` for nats, 2 for bits.

    Returns
    -------
    GaussianMixtureMI
        Named tuple ``(value, stderr)``: the mutual information, clipped into
        its range :math:`[0, H(Y)]`, and its numerical uncertainty (the
        quadrature's absolute error estimate in one dimension, the standard
        error of the Monte Carlo mean otherwise), both in units of ``base``.

    See Also
    --------
    fano_error_lower_bound : The least error of any classifier, from the value.
    mifs.information.gaussian_mutual_information : The closed form between
        jointly Gaussian vectors.
    mifs.KSGEstimator : An estimate from samples instead of the model.

    Notes
    -----
    With the posterior :math:`p(c \mid x) = \pi_c f_c(x) / \sum_k \pi_k
    f_k(x)`,

    .. math:: I(X; Y) = H(Y) - E_X\bigl[H(Y \mid X = x)\bigr]
              = H(Y) + \sum_c \pi_c\, E_{X \sim f_c}\bigl[\log p(c \mid X)\bigr].

    There is no closed form in general.  In one dimension (and
    ``n_samples=None``) each expectation on the right is integrated by
    :func:`scipy.integrate.quad` over :math:`\mu_c \pm 12 \sigma_c`, in
    standard units, with breakpoints at the other classes' means; the
    result is accurate to about :math:`10^{-10}` nats.  Otherwise X is
    sampled from the model and the posterior entropy
    :math:`H(Y \mid X = x)`, computed exactly at each sample through
    log-sum-exp, is averaged: it lies in :math:`[0, \log C]`, so the
    estimate is unbiased with standard error at most
    :math:`\log C / (2 \sqrt{n})` (0.0011 nats for two classes at the
    default :math:`n = 10^5`).  The value returned is clipped into
    :math:`[0, H(Y)]`, which only removes rounding and sampling noise at the
    ends.  Closed forms: identical classes give 0, and classes far apart
    relative to their spread give :math:`H(Y)`.

    Examples
    --------
    Two equally likely classes one standard deviation apart share about
    0.16 bits with X:

    >>> from mifs.bounds import gaussian_mixture_mutual_information
    >>> res = gaussian_mixture_mutual_information([-0.5, 0.5], [1.0, 1.0], [0.5, 0.5], base=2)
    >>> round(res.value, 4)
    0.1607
    >>> res.stderr < 1e-9
    True

    In two dimensions the value comes from Monte Carlo with its standard error:

    >>> res = gaussian_mixture_mutual_information(
    ...     [[0, 0], [3, 0], [0, 3]], [np.eye(2)] * 3, [0.5, 0.25, 0.25], random_state=0)
    >>> round(res.value, 2), res.stderr < 0.005
    (0.8, True)
    """
    log_base = _log_base(base)
    pi, chols, mu = _check_mixture(means, covariances, priors)
    if n_samples is not None and (
        isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 2
    ):
        raise ValueError(f"n_samples must be None or an integer >= 2 (got {n_samples!r})")
    if pi.size == 1:
        return GaussianMixtureMI(0.0, 0.0)
    if n_samples is None and mu.shape[1] == 1:
        sd = np.array([chol[0, 0] for chol in chols])
        value, stderr = _mixture_mi_quad(pi, mu, sd)
    else:
        n = _DEFAULT_MC_SAMPLES if n_samples is None else int(n_samples)
        value, stderr = _mixture_mi_monte_carlo(pi, mu, chols, n, random_state)
    h_y = float(-np.sum(xlogy(pi, pi)))
    value = min(max(value, 0.0), h_y)
    return GaussianMixtureMI(float(value) / log_base, float(stderr) / log_base)
