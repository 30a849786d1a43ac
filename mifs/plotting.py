"""Plots of mutual-information scores, selection paths and information diagrams.

matplotlib is an optional dependency (the ``plot`` extra,
``pip install "mifs[plot]"``); it is imported when a plot is drawn, not when
this module is imported.  Every function draws on the Axes given as ``ax``,
or on a new figure when ``ax`` is None, and returns the Axes.

:func:`plot_scores`
    Horizontal bars of I(X_j; y) per feature, best on top, with permutation
    p-values when the ranker has them.
:func:`plot_selection_path`
    Relevance, redundancy and criterion at each step of an
    :class:`~mifs.MRMRSelector`.
:func:`plot_information_diagram`
    The two-circle diagram of H(X), H(Y), I(X; Y), H(X | Y) and H(Y | X) of
    two discrete (or explicitly binned) samples.
:func:`plot_mi_matrix`
    Heatmap of the feature-feature matrix of
    :func:`~mifs.pairwise_mutual_information`.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from scipy.optimize import brentq
from sklearn.exceptions import NotFittedError

__all__ = [
    "plot_information_diagram",
    "plot_mi_matrix",
    "plot_scores",
    "plot_selection_path",
]

_INSTALL_HINT = 'mifs.plotting needs matplotlib, which is not installed; install it with: pip install "mifs[plot]"'

# Colours: the Tableau palette matplotlib uses by default, named here so that
# the plots look the same under any style.
_BLUE, _ORANGE, _GREEN, _GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f"


def _pyplot():
    """``matplotlib.pyplot``, or an ImportError that names the extra to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return plt


def _new_axes(ax, figsize):
    """``ax`` itself, or the Axes of a new figure of size ``figsize``."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _unit(base: float) -> str:
    if base == 2:
        return "bits"
    if base == math.e:
        return "nats"
    return f"log base {base:g}"


def _feature_names(obj, n: int) -> list[str]:
    names = getattr(obj, "feature_names_in_", None)
    if names is not None and len(names) == n:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(n)]


# --------------------------------------------------------------------------
# scores


def _scores_of(obj) -> tuple[np.ndarray, list[str], np.ndarray | None, np.ndarray | None, float]:
    """Scores, names, p-values, ranking and significance level of ``obj``."""
    from mifs import KSGEstimator, MIRanker, MRMRSelector

    if isinstance(obj, (MIRanker, MRMRSelector, KSGEstimator)):
        attr = "mi_" if isinstance(obj, KSGEstimator) else "scores_"
        if not hasattr(obj, attr):
            raise NotFittedError(
                f"This {type(obj).__name__} instance is not fitted yet: call fit(X, y) before plot_scores."
            )
        scores = np.asarray(getattr(obj, attr), dtype=np.float64)
        pvalues = getattr(obj, "pvalues_", None)
        ranking = getattr(obj, "ranking_", None) if isinstance(obj, MIRanker) else None
        alpha = float(getattr(obj, "alpha", 0.05))
        return scores, _feature_names(obj, scores.size), pvalues, ranking, alpha
    if hasattr(obj, "fit") and hasattr(obj, "get_params"):
        raise TypeError(
            "plot_scores takes a fitted MIRanker, MRMRSelector or KSGEstimator, or an array or "
            f"pandas Series of scores; got a {type(obj).__name__}."
        )
    index = obj.index if hasattr(obj, "iloc") else None  # a pandas Series
    try:
        scores = np.asarray(obj, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "plot_scores takes a fitted MIRanker, MRMRSelector or KSGEstimator, or a 1-D array or "
            f"pandas Series of numbers; got {type(obj).__name__}."
        ) from None
    if scores.ndim != 1:
        raise ValueError(f"scores must be 1-D, one value per feature; got shape {scores.shape}.")
    names = [str(i) for i in index] if index is not None else [f"x{j}" for j in range(scores.size)]
    return scores, names, None, None, 0.05


def plot_scores(ranker_or_scores: Any, *, top: int | None = 20, ax: Any = None):
    """Horizontal bar chart of the mutual information of each feature, best on top.

    Parameters
    ----------
    ranker_or_scores : MIRanker, MRMRSelector, KSGEstimator, Series or array-like
        A fitted :class:`~mifs.MIRanker` (its ``scores_``, and its
        ``pvalues_`` when fitted with ``n_permutations > 0``), a fitted
        :class:`~mifs.MRMRSelector` (its ``scores_``, the raw relevance
        I(X_j; y) of every feature, which can be slightly negative), a fitted
        :class:`~mifs.KSGEstimator` (its ``mi_``), a pandas Series of scores
        indexed by feature name, or a 1-D array of scores.  Names come from
        ``feature_names_in_`` or the Series index, else ``x0, x1, ...``.
    top : int or None, default=20
        Show this many of the best features; ``None`` shows all of them.
    ax : matplotlib Axes, default=None
        Axes to draw on; ``None`` makes a new figure sized to the bars.

    Returns
    -------
    ax : matplotlib Axes
        The Axes with one bar per feature shown, in ``ax.patches`` from the
        best down.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the ranker, selector or estimator is not fitted.
    TypeError
        If ``ranker_or_scores`` is another estimator, or not numbers.
    ValueError
        If the scores are not a 1-D array of finite values, or ``top`` is not
        a positive integer.

    Notes
    -----
    Features are ordered by the ranker's ``ranking_`` for an
    :class:`~mifs.MIRanker` (which breaks ties among scores clipped to 0 by
    the raw estimate), and by decreasing score otherwise, ties in column
    order.  With permutation p-values each bar is labelled ``p = ...``, and
    bars with a p-value below the ranker's ``alpha`` are drawn in the
    "significant" colour; the smallest p-value a test with B permutations
    can give is 1 / (B + 1).

    Examples
    --------
    >>> from sklearn.datasets import make_friedman1
    >>> from mifs import MIRanker
    >>> from mifs.plotting import plot_scores
    >>> X, y = make_friedman1(n_samples=1000, n_features=8, random_state=0)
    >>> ranker = MIRanker(k=5, n_permutations=19, random_state=0).fit(X, y)
    >>> ax = plot_scores(ranker, top=6)
    >>> type(ax).__name__, len(ax.patches)
    ('Axes', 6)
    >>> ax.get_yticklabels()[0].get_text()     # the best feature on top
    'x3'
    """
    scores, names, pvalues, ranking, alpha = _scores_of(ranker_or_scores)
    if scores.size == 0:
        raise ValueError("There are no scores to plot.")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite; got NaN or infinite values.")
    if top is not None and (isinstance(top, bool) or not isinstance(top, Integral) or top < 1):
        raise ValueError(f"top must be a positive integer or None; got {top!r}.")
    order = np.argsort(ranking, kind="mergesort") if ranking is not None else np.argsort(-scores, kind="mergesort")
    if top is not None:
        order = order[:top]
    n = order.size
    ax = _new_axes(ax, (6.4, 1.2 + 0.32 * n))
    rows = np.arange(n)
    values = scores[order]
    if pvalues is not None:
        p = np.asarray(pvalues)[order]
        significant = p < alpha
        colours = [_BLUE if s else _GREY for s in significant]
    else:
        colours = [_BLUE] * n
    ax.barh(rows, values, color=colours, height=0.7)
    ax.set_yticks(rows, [names[j] for j in order])
    ax.invert_yaxis()  # the best feature on top
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel("mutual information with the target (nats)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    if pvalues is not None:
        span = max(float(values.max()), 0.0) - min(float(values.min()), 0.0) or 1.0
        for row, value, pv in zip(rows, values, p):
            ax.text(max(value, 0.0) + 0.01 * span, row, f"p = {pv:.3f}", va="center", fontsize=8)
        ax.set_xlim(right=max(float(values.max()), 0.0) + 0.22 * span)
        from matplotlib.patches import Patch

        ax.legend(
            handles=[
                Patch(color=_BLUE, label=f"p < {alpha:g}"),
                Patch(color=_GREY, label=f"p \u2265 {alpha:g}"),
            ],
            loc="lower right",
            title="permutation test",
            fontsize=8,
            title_fontsize=8,
        )
    return ax


# --------------------------------------------------------------------------
# selection path


def plot_selection_path(mrmr_selector: Any, ax: Any = None):
    """Relevance, redundancy and criterion of the feature chosen at each step of mRMR.

    Parameters
    ----------
    mrmr_selector : MRMRSelector
        A fitted :class:`~mifs.MRMRSelector`.
    ax : matplotlib Axes, default=None
        Axes to draw on; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The Axes with three lines, ``relevance_``, ``redundancy_`` and
        ``criterion_`` against the step, the x ticks labelled with the
        names of the chosen features.  For ``criterion="miq"``, whose
        criterion is a ratio rather than nats, the criterion is drawn on a
        secondary y axis (``ax.right_ax``).

    Raises
    ------
    TypeError
        If ``mrmr_selector`` is not an MRMRSelector.
    sklearn.exceptions.NotFittedError
        If it is not fitted.
    ValueError
        If it selected no feature (``n_features_to_select="auto"`` can stop
        before the first step).

    Notes
    -----
    Step one has redundancy 0 and criterion equal to the relevance.  For
    ``jmi``, ``jmim`` and ``cmim`` the redundancy is the relevance minus what
    the feature adds given those already selected, so it is negative when
    the feature is complementary (synergy): see ``redundancy_`` in
    :class:`~mifs.MRMRSelector`.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import MRMRSelector
    >>> from mifs.plotting import plot_selection_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 2, (1000, 4))
    >>> y = X[:, 0] ^ X[:, 1]
    >>> selector = MRMRSelector(3, criterion="jmi").fit(X, y)
    >>> ax = plot_selection_path(selector)
    >>> ax.get_legend_handles_labels()[1]
    ['relevance', 'redundancy', 'criterion']
    >>> [label.get_text() for label in ax.get_xticklabels()]   # the xor pair first
    ['x1', 'x0', 'x2']
    """
    from mifs import MRMRSelector

    if not isinstance(mrmr_selector, MRMRSelector):
        raise TypeError(f"plot_selection_path takes a fitted MRMRSelector; got {type(mrmr_selector).__name__}.")
    if not hasattr(mrmr_selector, "criterion_"):
        raise NotFittedError(
            "This MRMRSelector instance is not fitted yet: call fit(X, y) before plot_selection_path."
        )
    chosen = np.asarray(mrmr_selector.selected_features_)
    if chosen.size == 0:
        raise ValueError("The selector selected no feature: there is no selection path to plot.")
    names = _feature_names(mrmr_selector, mrmr_selector.n_features_in_)
    steps = np.arange(1, chosen.size + 1)
    ax = _new_axes(ax, (max(4.8, 1.2 + 0.55 * chosen.size), 4.0))
    handles = ax.plot(steps, mrmr_selector.relevance_, "o-", color=_BLUE, label="relevance")
    handles += ax.plot(steps, mrmr_selector.redundancy_, "s--", color=_ORANGE, label="redundancy")
    criterion = mrmr_selector.criterion
    if criterion == "miq":
        right = ax.twinx()
        handles += right.plot(steps, mrmr_selector.criterion_, "^-", color=_GREEN, label="criterion")
        right.set_ylabel("criterion (relevance / redundancy)")
        ax.right_ax = right
    else:
        handles += ax.plot(steps, mrmr_selector.criterion_, "^-", color=_GREEN, label="criterion")
    ax.axhline(0.0, color="black", linewidth=0.8)
    rotation = 45 if chosen.size > 6 or max(len(names[j]) for j in chosen) > 6 else 0
    if rotation:
        ax.set_xticks(steps, [names[j] for j in chosen], rotation=rotation, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(steps, [names[j] for j in chosen])
    ax.set_xlabel("feature chosen at each step")
    ax.set_ylabel("nats")
    ax.grid(alpha=0.3)
    ax.legend(
        handles=handles, labels=[h.get_label() for h in handles], fontsize=8, ncols=3,
        loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
        title=f"selection path, criterion={criterion!r}", title_fontsize=10,
    )
    return ax


# --------------------------------------------------------------------------
# information diagram


def _as_labels(v, name: str, bins: int | None) -> tuple[np.ndarray, bool]:
    """Discrete labels of a sample and whether it was binned.

    Labels (bool, integer, string, object, categorical) and floats that are
    all integers are used as they are; other floats are cut into ``bins``
    quantile bins, or refused when ``bins`` is None.
    """
    if hasattr(v, "cat") and hasattr(v, "dtype") and str(v.dtype) == "category":
        arr = np.asarray(v.cat.codes)
    else:
        arr = np.asarray(v)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, one value per sample; got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty.")
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} must not be complex.")
    if arr.dtype.kind != "f":
        return arr, False
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if np.all(arr == np.round(arr)):
        return arr, False
    if bins is None:
        raise ValueError(
            f"{name} holds continuous values: the entropy of a continuous variable is differential and "
            "has no two-circle diagram.  Pass bins=... to cut it into quantile bins (the diagram then "
            "shows the binned variables), or discretise it yourself, e.g. with InfoGainSplitter."
        )
    edges = np.quantile(arr, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    return np.searchsorted(np.unique(edges), arr, side="left"), True


def _lens_area(r1: float, r2: float, d: float) -> float:
    """Area of the intersection of two discs of radii r1, r2 with centres d apart."""
    if d >= r1 + r2:
        return 0.0
    if d <= abs(r1 - r2):
        return math.pi * min(r1, r2) ** 2
    a1 = r1 * r1 * math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1))
    a2 = r2 * r2 * math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2))
    tri = 0.5 * math.sqrt(max((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2), 0.0))
    return a1 + a2 - tri


def _centre_distance(r1: float, r2: float, overlap: float) -> float:
    """Distance of the centres at which the discs overlap by ``overlap`` (area)."""
    lo, hi = abs(r1 - r2), r1 + r2
    if overlap <= 0.0:
        return hi
    if overlap >= math.pi * min(r1, r2) ** 2:
        return lo
    return brentq(lambda d: _lens_area(r1, r2, d) - overlap, lo, hi, xtol=1e-12)


def plot_information_diagram(
    x: Any,
    y: Any,
    ax: Any = None,
    *,
    bins: int | None = None,
    names: tuple[str, str] | None = None,
    base: float = math.e,
    decimals: int = 3,
):
    r"""The two-circle information diagram of two discrete variables, with its values.

    The left disc has area H(X), the right one H(Y), and their overlap
    I(X; Y); the crescents are H(X | Y) and H(Y | X), and the union
    H(X, Y).  Every quantity is written in its region.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Paired samples.  Labels (bool, integer, string, object or pandas
        categorical values) and floats that are all whole numbers are used
        as they are.  Other floats are continuous: they need ``bins``.
    ax : matplotlib Axes, default=None
        Axes to draw on; ``None`` makes a new figure.
    bins : int >= 2, default=None
        Cut each continuous sample into this many equal-frequency (quantile)
        bins before estimating; values tied across a bin edge stay together,
        so there can be fewer bins.  ``None`` refuses continuous samples.
    names : tuple of two str, default=None
        Names of the two variables, written under H(X) and H(Y) (the
        formulas always say X and Y); by default the ``name`` of a pandas
        Series, else none.
    base : float, default=e
        Logarithm base: ``e`` gives nats, 2 gives bits.
    decimals : int, default=3
        Decimals of the values written in the diagram.

    Returns
    -------
    ax : matplotlib Axes
        The Axes with the two discs; the values are the texts of
        ``ax.texts``, in the order H(X), H(Y), H(X|Y), I(X;Y), H(Y|X).  A
        region too narrow for its text gets it below the discs, with a line
        to the region.

    Raises
    ------
    ValueError
        If a sample is continuous and ``bins`` is None, if the samples have
        different lengths, or if they are empty or not 1-D.

    Notes
    -----
    All quantities are plug-in estimates, the entropies of the empirical
    distributions, from :func:`mifs.information.discrete_entropy` and
    :func:`mifs.information.discrete_mutual_information`:
    :math:`H(X|Y) = H(X) - I(X;Y)` and :math:`H(X,Y) = H(X) + H(Y) - I(X;Y)`.
    The plug-in entropy is biased low by about (m - 1) / 2n for m observed
    values in n samples.

    The entropy of a continuous variable is a differential entropy: it can
    be negative and changes with the units of the variable, so it has no
    area to draw.  With ``bins`` the diagram is that of the binned
    variables: H of a binned variable grows like the log of the number of
    bins, and I(X; Y) of binned variables is at most that of the continuous
    ones (it approaches it as the bins shrink, while n allows).  For
    continuous data prefer :class:`~mifs.KSGEstimator` for I(X; Y); use this
    diagram to show how the quantities relate.

    Examples
    --------
    A fair coin X and Y = X xor Z, Z a coin that shows 1 one time in ten:

    >>> import numpy as np
    >>> from mifs.plotting import plot_information_diagram
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 2, 5000)
    >>> y = x ^ (rng.random(5000) < 0.1)
    >>> ax = plot_information_diagram(x, y, base=2)
    >>> print(ax.texts[3].get_text())   # the overlap; truth 1 - h(0.1) = 0.531 bits
    I(X;Y)
    0.523
    """
    from mifs.information import discrete_entropy, discrete_mutual_information

    if bins is not None and (isinstance(bins, bool) or not isinstance(bins, Integral) or bins < 2):
        raise ValueError(f"bins must be an integer >= 2 or None; got {bins!r}.")
    if isinstance(decimals, bool) or not isinstance(decimals, Integral) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer; got {decimals!r}.")
    if names is None:
        names = tuple(
            str(getattr(v, "name")) if getattr(v, "name", None) is not None else default
            for v, default in ((x, "X"), (y, "Y"))
        )
    elif len(names) != 2:
        raise ValueError(f"names must hold two names; got {names!r}.")
    nx, ny = names
    lx, binned_x = _as_labels(x, "x", bins)
    ly, binned_y = _as_labels(y, "y", bins)
    if lx.shape[0] != ly.shape[0]:
        raise ValueError(f"x and y must have the same length; got {lx.shape[0]} and {ly.shape[0]}.")
    hx = discrete_entropy(lx, base=base)
    hy = discrete_entropy(ly, base=base)
    mi = min(discrete_mutual_information(lx, ly, base=base), hx, hy)
    h_x_given_y, h_y_given_x = max(hx - mi, 0.0), max(hy - mi, 0.0)
    h_joint = hx + hy - mi

    ax = _new_axes(ax, (6.4, 4.4))
    from matplotlib.patches import Circle

    total = max(hx, hy, 1e-12)
    r1, r2 = math.sqrt(hx / (math.pi * total)), math.sqrt(hy / (math.pi * total))
    d = _centre_distance(r1, r2, mi / total) if r1 > 0 and r2 > 0 else r1 + r2 + 0.1
    if mi <= 0:
        d += 0.05  # a visible gap: the discs do not meet
    for centre, radius, colour in ((0.0, r1, _BLUE), (d, r2, _ORANGE)):
        ax.add_patch(Circle((centre, 0.0), radius, facecolor=colour, alpha=0.35, edgecolor=colour, linewidth=2))
    fmt = f"{{:.{decimals}f}}"
    # the regions along the line of the centres: (start, end) of each
    regions = [
        (-r1, min(d - r2, r1)),  # H(X|Y)
        (max(d - r2, -r1), min(r1, d + r2)),  # I(X;Y)
        (max(r1, d - r2), d + r2),  # H(Y|X)
    ]
    texts = [
        f"H(X|Y)\n{fmt.format(h_x_given_y)}",
        f"I(X;Y)\n{fmt.format(mi)}",
        f"H(Y|X)\n{fmt.format(h_y_given_x)}",
    ]
    size = 10
    span = d + r2 + r1
    height = max(r1, r2)
    row = -height - 0.18 * span  # labels that do not fit in their region go here
    ax.set_xlim(-r1 - 0.25 * span, d + r2 + 0.25 * span)
    ax.set_ylim(row - 0.12 * span, height + 0.08 * span)
    ax.set_aspect("equal")
    box = ax.get_window_extent()
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    points_per_unit = min(box.width / (right - left), box.height / (top - bottom)) * 72 / ax.figure.dpi
    named = (nx, ny) != ("X", "Y")
    label_x = f"H(X) = {fmt.format(hx)}" + (f"\nX: {nx}" if named else "")
    label_y = f"H(Y) = {fmt.format(hy)}" + (f"\nY: {ny}" if named else "")
    ax.text(-0.7071 * r1, 0.7071 * r1 + 0.02 * span, label_x, ha="right", va="bottom", fontsize=size)
    ax.text(d + 0.7071 * r2, 0.7071 * r2 + 0.02 * span, label_y, ha="left", va="bottom", fontsize=size)
    any_outside = False
    for k, ((lo, hi), text) in enumerate(zip(regions, texts)):
        weight = "bold" if k == 1 else "normal"
        needed = 0.62 * size * max(len(line) for line in text.split("\n")) / points_per_unit
        centre = (lo + hi) / 2
        if hi - lo >= 1.1 * needed:
            ax.text(centre, 0.0, text, ha="center", va="center", fontsize=size, fontweight=weight)
        else:
            any_outside = True
            slot = -r1 + span * (1 + 2 * k) / 6
            ax.annotate(
                text, xy=(centre, 0.0), xytext=(slot, row), ha="center", va="top", fontsize=size,
                fontweight=weight, arrowprops={"arrowstyle": "-", "color": "#404040", "linewidth": 0.8},
            )
    if not any_outside:
        ax.set_ylim(-height - 0.1 * span, height + 0.08 * span)
    binned = [sym for sym, b in (("X", binned_x), ("Y", binned_y)) if b]
    note = f"; {' and '.join(binned)} in {bins} quantile bins" if binned else ""
    ax.set_title(f"H(X,Y) = {fmt.format(h_joint)} {_unit(base)} (plug-in{note})", fontsize=size)
    ax.set_axis_off()
    return ax


# --------------------------------------------------------------------------
# matrix


def _precomputed_matrix(obj) -> tuple[np.ndarray, list[str]] | None:
    """``obj`` as a square symmetric MI matrix with names, or None if it is not one."""
    index = getattr(obj, "index", None)
    columns = getattr(obj, "columns", None)
    if index is not None and columns is not None and list(index) != list(columns):
        return None
    try:
        arr = np.asarray(obj, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        return None
    off = ~np.eye(arr.shape[0], dtype=bool)
    if not np.isfinite(arr[off]).all() or not np.allclose(arr, arr.T, equal_nan=True, rtol=0, atol=1e-12):
        return None
    names = [str(c) for c in columns] if columns is not None else [f"x{j}" for j in range(arr.shape[0])]
    return arr, names


def plot_mi_matrix(
    mi_matrix_or_X: Any,
    *,
    estimator: Any = None,
    precomputed: bool | str = "auto",
    names: Any = None,
    annotate: bool | None = None,
    cmap: str = "viridis",
    n_jobs: int | None = None,
    ax: Any = None,
):
    """Heatmap of the mutual information between every pair of features.

    Parameters
    ----------
    mi_matrix_or_X : ndarray, DataFrame or array-like
        Either the output of :func:`mifs.pairwise_mutual_information` (an
        ndarray, or a DataFrame whose index equals its columns), or a
        feature matrix ``X`` of shape (n_samples, n_features), which is
        passed to :func:`~mifs.pairwise_mutual_information` with
        ``estimator`` and ``n_jobs``.
    estimator : KSGEstimator, default=None
        Estimator for a feature matrix; ``None`` means ``KSGEstimator()``.
    precomputed : bool or "auto", default="auto"
        Whether ``mi_matrix_or_X`` is already the MI matrix.  ``"auto"``:
        it is when it is square, numeric and symmetric (to 1e-12, NaN
        entries in the same places) with finite off-diagonal entries, and
        ``estimator`` is None; anything else is a feature matrix.
    names : sequence of str, default=None
        Feature names; by default the DataFrame's columns, else
        ``x0, x1, ...``.
    annotate : bool, default=None
        Write each value in its cell; ``None`` does so for at most 12
        features.
    cmap : str or Colormap, default="viridis"
        Colour map of the off-diagonal values.
    n_jobs : int, default=None
        Parallel jobs when the matrix is computed here.
    ax : matplotlib Axes, default=None
        Axes to draw on; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The Axes with the heatmap (``ax.images[0]``, its array the matrix
        with the diagonal masked); the colourbar is on the same figure.

    Raises
    ------
    ValueError
        If ``precomputed=True`` and the input is not a square symmetric
        matrix, or ``names`` has the wrong length.
    TypeError
        If ``precomputed=True`` is combined with an ``estimator``.

    Notes
    -----
    The colour scale covers the off-diagonal entries, from 0 (or the
    smallest value, when unclipped estimates are negative) to the largest.
    The diagonal is drawn in light grey: it holds I(X_j; X_j) = H(X_j) for a
    discrete column, written in its cell when values are annotated, and NaN
    for a continuous column, whose self-information is infinite, left blank.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import KSGEstimator, pairwise_mutual_information
    >>> from mifs.plotting import plot_mi_matrix
    >>> rng = np.random.default_rng(0)
    >>> a = rng.standard_normal(500)
    >>> X = np.column_stack([a, a + 0.5 * rng.standard_normal(500), rng.standard_normal(500)])
    >>> ax = plot_mi_matrix(X, estimator=KSGEstimator(random_state=0))
    >>> ax.images[0].get_array().shape
    (3, 3)
    >>> m = pairwise_mutual_information(X, estimator=KSGEstimator(random_state=0))
    >>> ax = plot_mi_matrix(m, names=["a", "a + noise", "b"])
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['a', 'a + noise', 'b']
    """
    from mifs import KSGEstimator, pairwise_mutual_information

    if precomputed not in (True, False, "auto"):
        raise ValueError(f'precomputed must be True, False or "auto"; got {precomputed!r}.')
    if precomputed is True and estimator is not None:
        raise TypeError("estimator is only used to compute the matrix from X; do not pass it with precomputed=True.")
    if estimator is not None and not isinstance(estimator, KSGEstimator):
        raise TypeError(f"estimator must be a KSGEstimator; got {type(estimator).__name__}.")
    found = None if precomputed is False or estimator is not None else _precomputed_matrix(mi_matrix_or_X)
    if precomputed is True and found is None:
        raise ValueError(
            "precomputed=True needs a square symmetric matrix of mutual information with finite "
            "off-diagonal entries, such as the output of pairwise_mutual_information."
        )
    if found is None:
        m = pairwise_mutual_information(mi_matrix_or_X, estimator=estimator, n_jobs=n_jobs)
        found = _precomputed_matrix(m)
        assert found is not None
    matrix, default_names = found
    p = matrix.shape[0]
    if names is None:
        names = default_names
    else:
        names = [str(n) for n in names]
        if len(names) != p:
            raise ValueError(f"names has {len(names)} entries but the matrix has {p} features.")
    if annotate is None:
        annotate = p <= 12

    _pyplot()
    from matplotlib import colormaps

    diag = np.eye(p, dtype=bool)
    shown = np.ma.masked_array(matrix, mask=diag | np.isnan(matrix))
    off = matrix[~diag]
    vmin = min(0.0, float(off.min())) if off.size else 0.0
    vmax = float(off.max()) if off.size and off.max() > vmin else vmin + 1.0
    colours = (colormaps[cmap] if isinstance(cmap, str) else cmap).with_extremes(bad="#e6e6e6")
    side = min(11.0, 2.5 + 0.45 * p)
    ax = _new_axes(ax, (side + 1.2, side))
    image = ax.imshow(shown, cmap=colours, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="mutual information (nats)", shrink=0.8)
    ticks = np.arange(p)
    if p > 3 or max(map(len, names)) > 5:
        ax.set_xticks(ticks, names, rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names)
    if annotate:
        mid = vmin + 0.6 * (vmax - vmin)
        for i in range(p):
            for j in range(p):
                value = matrix[i, j]
                if np.isnan(value):
                    continue
                if i == j:
                    ax.text(j, i, f"H={value:.2f}", ha="center", va="center", fontsize=8, color="#404040")
                else:
                    colour = "black" if value > mid else "white"
                    ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_title("pairwise mutual information")
    return ax
