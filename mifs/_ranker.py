"""MIRanker: univariate feature selection by mutual information with the target."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.utils._param_validation import HasMethods, Hidden, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from mifs._base import Progress, validate_features
from mifs._ksg import KSGEstimator
from mifs._prepared import DEPRECATED, configured_estimator, draw_seed, permutation, prepare_data, record_fit


class MIRanker(SelectorMixin, BaseEstimator):
    """Rank features by their mutual information with the target and keep the best.

    The univariate filter of information-theoretic feature selection: each
    feature is scored by I(X_j; y), estimated by :class:`KSGEstimator`
    (k-nearest neighbours for continuous data, plug-in counts for discrete
    data, any mix of the two), optionally with a permutation test that gives
    each feature a p-value and a principled stopping rule.

    Parameters
    ----------
    estimator : KSGEstimator or None, default=None
        The mutual information estimator; ``None`` means ``KSGEstimator()``.
        It owns every estimation setting (``n_neighbors``,
        ``discrete_features``, ``missing_values``, ...), tunable as e.g.
        ``select__estimator__n_neighbors`` in a grid search; it is cloned
        and its parameters validated.  Any object with KSGEstimator's
        calling convention works (``est(X, y)`` returns one score per
        column).
    k : int or "all", default=10
        Number of top features to keep when neither ``percentile`` nor
        ``threshold`` is given.  More than the number of features warns and
        keeps all of them.
    percentile : float in (0, 100], default=None
        Keep this percentage of the features (rounded down, at least one).
    threshold : float or "significant", default=None
        Keep the features whose score is above this value (nats), or, with
        ``"significant"``, those whose permutation p-value is below
        ``alpha``.  The smallest p-value ``n_permutations`` permutations can
        give is ``1 / (1 + n_permutations)``, so this needs that to be below
        ``alpha`` (``n_permutations >= 20`` for ``alpha=0.05``); fewer
        permutations raise a ``ValueError``.
    n_permutations : int, default=0
        Permutations of the target for a test of each feature's
        independence from it; gives ``pvalues_``.
    alpha : float in (0, 1), default=0.05
        Significance level for ``threshold="significant"``.
    discrete_features : "auto", bool or array-like
        Deprecated since 0.2, removed in 0.3: set it on the estimator,
        ``MIRanker(KSGEstimator(discrete_features=...))``.  Until then a
        value still applies, with a ``FutureWarning``.
    missing_values : {"error", "pairwise"}
        Deprecated since 0.2, removed in 0.3: set it on the estimator,
        ``MIRanker(KSGEstimator(missing_values="pairwise"))``.
    random_state : int, RandomState instance or None, default=None
        Controls the randomness of the fit, as in scikit-learn's ensembles:
        the estimator's jitter and the permutations, when the estimator has
        no ``random_state`` of its own (an estimator's own is never
        overridden; a different value on both warns).
    n_jobs : int, default=None
        Parallel jobs over blocks of features (joblib's meaning), when the
        estimator has no ``n_jobs`` of its own.
    verbose : int, default=0
        With 1 or more, a progress bar of the features done (``tqdm``: rate
        and time left on stderr, a widget in a notebook).

    Attributes
    ----------
    scores_ : ndarray of shape (n_features_in_,)
        I(X_j; y) in nats, clipped at 0.
    ranking_ : ndarray of shape (n_features_in_,)
        Rank of every feature, 1 for the best.  Ties (such as several scores
        clipped to 0) are broken by the raw estimate, then by column order.
    pvalues_ : ndarray of shape (n_features_in_,)
        Permutation p-values, ``(1 + #{null >= observed}) / (1 + B)``; only
        with ``n_permutations > 0``.
    estimator_ : object
        The fitted clone of the estimator.
    discrete_features_ : ndarray of bool
        The resolved discrete-column mask (KSGEstimator only).
    discrete_target_ : bool
        Whether ``y`` was treated as classes (KSGEstimator only).
    n_samples_used_ : ndarray of int
        Rows used to score each feature (KSGEstimator only).
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    KSGEstimator : The mutual information estimator.
    MRMRSelector : Greedy selection that also accounts for redundancy.
    sklearn.feature_selection.SelectKBest : The same with a plain score function.

    Notes
    -----
    Selection order: ``percentile`` if given, else ``threshold`` if given,
    else ``k``; giving both ``percentile`` and ``threshold`` is an error.
    The estimates used for ranking are unclipped, so weak features keep
    their order instead of tying at 0.

    Examples
    --------
    >>> from sklearn.datasets import make_friedman1
    >>> from mifs import MIRanker
    >>> X, y = make_friedman1(n_samples=5000, n_features=8, random_state=0)
    >>> ranker = MIRanker(k=5, random_state=0).fit(X, y)
    >>> ranker.get_support(indices=True)         # the five informative features
    array([0, 1, 2, 3, 4])
    >>> ranker.ranking_
    array([3, 2, 5, 1, 4, 8, 6, 7])
    >>> ranker.transform(X).shape
    (5000, 5)
    """

    _parameter_constraints: dict = {
        "estimator": [None, HasMethods(["fit"]), callable],
        "k": [StrOptions({"all"}), Interval(Integral, 0, None, closed="left")],
        "percentile": [None, Interval(Real, 0, 100, closed="right")],
        "threshold": [None, StrOptions({"significant"}), Real],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "discrete_features": [Hidden(StrOptions({DEPRECATED})), StrOptions({"auto"}), "boolean", "array-like"],
        "missing_values": [Hidden(StrOptions({DEPRECATED})), StrOptions({"error", "pairwise"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        k=10,
        percentile=None,
        threshold=None,
        n_permutations=0,
        alpha=0.05,
        discrete_features=DEPRECATED,
        missing_values=DEPRECATED,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.k = k
        self.percentile = percentile
        self.threshold = threshold
        self.n_permutations = n_permutations
        self.alpha = alpha
        self.discrete_features = discrete_features
        self.missing_values = missing_values
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Score every feature against ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; DataFrames may mix numeric, bool, string and
            categorical columns.
        y : array-like of shape (n_samples,)
            Target, discrete (class labels of any type) or continuous.

        Returns
        -------
        self : MIRanker
            Fitted selector.

        Examples
        --------
        >>> from sklearn.datasets import load_wine
        >>> from mifs import MIRanker
        >>> X, y = load_wine(return_X_y=True)
        >>> ranker = MIRanker(k=3, n_permutations=99, random_state=0).fit(X, y)
        >>> ranker.get_support(indices=True)
        array([ 6,  9, 12])
        >>> ranker.pvalues_[[6, 9, 12]]     # the smallest 99 permutations can give
        array([0.01, 0.01, 0.01])
        """
        if self.percentile is not None and self.threshold is not None:
            raise ValueError("Give percentile or threshold, not both.")
        if self.threshold == "significant":
            self._check_significance_reachable()
        est = configured_estimator(
            self.estimator,
            owner=self,
            moved={"discrete_features": self.discrete_features, "missing_values": self.missing_values},
            shared={"random_state": self.random_state, "n_jobs": self.n_jobs},
        )
        if isinstance(est, KSGEstimator):
            data = prepare_data(est, X, y, owner=self, validate=False)
            progress = Progress(data.n_features) if self.verbose else None
            raw, null, levels = data.relevance(n_permutations=self.n_permutations, progress=progress)
            data.warn_many_levels(levels)
            record_fit(est, data, raw, owner=self)
            self.discrete_features_ = data.discrete_features
            self.discrete_target_ = bool(data.target.discrete)
            self.n_samples_used_ = data.used
        else:
            pairwise = getattr(est, "missing_values", "error") == "pairwise"
            features = validate_features(self, X, reset=True, allow_nan=pairwise)
            progress = Progress(features.n_features) if self.verbose else None
            raw, null = self._estimate_generic(est, X, y, features.n_samples)
            if progress is not None:
                progress(features.n_features)
        self.estimator_ = est
        self.scores_ = np.maximum(raw, 0.0)
        order = np.argsort(-raw, kind="mergesort")
        self.ranking_ = np.empty(raw.size, dtype=np.int64)
        self.ranking_[order] = np.arange(1, raw.size + 1)
        if self.n_permutations:
            self.pvalues_ = (1.0 + (null >= raw[:, None]).sum(axis=1)) / (1.0 + self.n_permutations)
        if isinstance(self.k, Integral) and self.k > raw.size and self.percentile is None and self.threshold is None:
            warnings.warn(
                f"k={self.k} is greater than n_features={raw.size}. All the features will be returned.",
                UserWarning,
            )
        return self

    def _check_significance_reachable(self) -> None:
        """``threshold="significant"`` keeps the features with a p-value below
        ``alpha``; the smallest p-value B permutations can give is 1 / (1 + B),
        so with too few permutations nothing could ever be selected."""
        least = max(1, int(1.0 / self.alpha) - 2)
        while not 1.0 / (1.0 + least) < self.alpha:  # the comparison of _get_support_mask
            least += 1
        if self.n_permutations == 0:
            raise ValueError(
                'threshold="significant" needs a permutation test: set n_permutations > 0 '
                f"(at least {least} for alpha={self.alpha})."
            )
        if self.n_permutations < least:
            raise ValueError(
                f'threshold="significant" with alpha={self.alpha} needs n_permutations >= {least}: '
                f"with n_permutations={self.n_permutations} the smallest attainable p-value, "
                f"1 / (1 + n_permutations) = {1.0 / (1.0 + self.n_permutations):.3g}, is not below alpha, "
                "so no feature could be selected."
            )

    def _estimate_generic(self, est, X, y, n_samples):
        """Scores from any callable estimator; permutations by calling it again,
        with the same permutations the KSGEstimator path uses."""
        score = est if callable(est) else (lambda X, y: clone(est).fit(X, y).mi_)
        raw = np.asarray(score(X, y), dtype=np.float64)
        seed = draw_seed(self.random_state)
        y_arr = np.asarray(y)
        null = np.zeros((raw.size, self.n_permutations))
        for t in range(self.n_permutations):
            null[:, t] = score(X, y_arr[permutation(seed, t, n_samples)])
        return raw, null

    def _get_support_mask(self):
        check_is_fitted(self, "scores_")
        n = self.scores_.size
        if self.percentile is not None:
            n_keep = max(1, int(np.floor(n * self.percentile / 100)))
            return self.ranking_ <= n_keep
        if self.threshold == "significant":
            return self.pvalues_ < self.alpha
        if self.threshold is not None:
            return self.scores_ > self.threshold
        if self.k == "all":
            return np.ones(n, dtype=bool)
        return self.ranking_ <= min(self.k, n)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

