"""MRMRSelector: greedy forward selection by information-theoretic criteria."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel
from sklearn.base import BaseEstimator, _fit_context
from sklearn.feature_selection import SelectorMixin
from sklearn.utils._param_validation import HasMethods, Hidden, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from mifs._base import Progress
from mifs._ksg import KSGEstimator
from mifs._prepared import DEPRECATED, PreparedData, ProtocolData, configured_estimator, parallel_map, permutation, prepare_data

#: MIQ divides relevance by ``max(mean redundancy, MIQ_FLOOR)`` (nats).
MIQ_FLOOR = 1e-3
#: Permutations of the candidate per step for ``n_features_to_select="auto"``.
AUTO_PERMUTATIONS = 19

CRITERIA = ("mid", "miq", "mifs", "cife", "jmi", "jmim", "cmim")


def _pair_terms(criterion: str, data: PreparedData, cand, new: int, t: int) -> tuple:
    """The quantities a criterion needs for one candidate (an index, or an
    ``(index, perm)`` pair for the null of "auto") and one selected feature,
    each on the rows its variables share (``t``: the target's index)."""
    if criterion in ("mid", "miq", "mifs"):
        return (data.pair(cand, new),)
    if criterion == "cife":
        return (data.pair(cand, new), data.sets([cand], [new], [t]))
    if criterion in ("jmi", "jmim"):
        return (data.sets([cand, new], [t]),)
    return (data.sets([cand], [t], [new]),)  # cmim


def _block_terms(criterion, data, cands, new, t, perm=None):
    """Terms of candidates ``cands`` against the selected ``new``; with ``perm``
    the candidates' rows are permuted first (the null of ``"auto"``)."""
    items = [int(c) for c in cands] if perm is None else [(int(c), perm) for c in cands]
    return np.array([_pair_terms(criterion, data, c, new, t) for c in items], dtype=np.float64)


class _Tally:
    """Running totals of a criterion over the selected features, per candidate."""

    def __init__(self, criterion: str, n: int, beta: float):
        self.criterion = criterion
        self.beta = beta
        self.count = 0
        self.total = np.zeros(n)  # sums (mid, miq, mifs, cife, jmi)
        self.lowest = np.full(n, np.inf)  # minima (jmim, cmim)
        self.gain_at_lowest = np.zeros(n)  # jmim: I(X_k, X_j; Y) - I(X_j; Y) at the minimising j
        self.relevance_of_selected = 0.0

    def add(self, terms: np.ndarray, idx: np.ndarray, rel_new: float) -> None:
        """Fold in the terms of a newly selected feature for candidates ``idx``."""
        c = self.criterion
        if c in ("mid", "miq", "mifs", "jmi"):
            self.total[idx] += terms[:, 0]
        elif c == "cife":
            self.total[idx] += terms[:, 0] - terms[:, 1]
        else:
            lower = terms[:, 0] < self.lowest[idx]
            self.lowest[idx] = np.where(lower, terms[:, 0], self.lowest[idx])
            if c == "jmim":
                self.gain_at_lowest[idx] = np.where(lower, terms[:, 0] - rel_new, self.gain_at_lowest[idx])
        self.count += 1
        self.relevance_of_selected += rel_new

    def values(self, rel: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Criterion and redundancy of candidates ``idx`` with relevance ``rel``."""
        c, s = self.criterion, self.count
        if s == 0:
            return rel.copy(), np.zeros_like(rel)
        if c in ("mid", "miq"):
            red = self.total[idx] / s
            crit = rel - red if c == "mid" else rel / np.maximum(red, MIQ_FLOOR)
        elif c in ("mifs", "cife"):
            red = (self.beta if c == "mifs" else 1.0) * self.total[idx]
            crit = rel - red
        elif c == "jmi":
            crit = self.total[idx]
            red = rel - (crit - self.relevance_of_selected) / s
        elif c == "jmim":
            crit = self.lowest[idx]
            red = rel - self.gain_at_lowest[idx]
        else:  # cmim
            crit = self.lowest[idx]
            red = rel - crit
        return crit, red


class MRMRSelector(SelectorMixin, BaseEstimator):
    """Greedy information-theoretic feature selection: mRMR, JMI, CMIM and relatives.

    Features are added one at a time.  The first is the most relevant
    (largest I(X_k; Y)); each next one maximises the criterion given the
    set S already selected:

    ========  ==========================================================
    ``mid``   I(X_k;Y) - mean_{j in S} I(X_k;X_j)          (Peng et al. 2005)
    ``miq``   I(X_k;Y) / mean_{j in S} I(X_k;X_j)          (Peng et al. 2005)
    ``mifs``  I(X_k;Y) - beta * sum_{j in S} I(X_k;X_j)    (Battiti 1994)
    ``cife``  I(X_k;Y) - sum_{j in S} [I(X_k;X_j) - I(X_k;X_j|Y)]   (Lin & Tang 2006)
    ``jmi``   sum_{j in S} I(X_k,X_j;Y)                     (Yang & Moody 1999)
    ``jmim``  min_{j in S} I(X_k,X_j;Y)                     (Bennasar et al. 2015)
    ``cmim``  min_{j in S} I(X_k;Y|X_j)                     (Fleuret 2004)
    ========  ==========================================================

    The conditional criteria (cife, jmi, jmim, cmim) see complementary
    features: with y = x0 xor x1 and x1 useless on its own, they pick x1
    right after x0, which mid, miq and mifs cannot.  All estimates come from
    one :class:`KSGEstimator`: k-nearest-neighbour estimators for continuous
    and mixed data, plug-in counts for discrete data.

    Parameters
    ----------
    n_features_to_select : int, float or "auto", default=10
        How many features to select.  A float in (0, 1) is a fraction of the
        features (at least one).  ``"auto"`` stops at the first step whose
        best criterion value does not beat the best value of 19 copies of
        the problem with the candidates' rows permuted (a permutation test
        at the 5% level of whether the best candidate adds information); it
        stops after at most ``n_features`` steps and costs about 20 times a
        selection of the same size.
    criterion : {"mid", "miq", "mifs", "cife", "jmi", "jmim", "cmim"}, default="mid"
        The selection criterion (table above).
    estimator : KSGEstimator, object or None, default=None
        The estimator of every mutual information; ``None`` means
        ``KSGEstimator()``.  It owns every estimation setting
        (``n_neighbors``, ``discrete_features``, ``missing_values``, ...),
        tunable through the selector, e.g.
        ``select__estimator__n_neighbors``; it is cloned and its parameters
        validated.  Any object with the protocol works: ``fit(X, y)``
        setting ``mi_`` (or ``est(X, y)`` returning one score per column)
        and ``estimate(x, y, z=None, *, discrete=...)``; a KSGEstimator
        takes the fast path that prepares every column once.
    beta : float, default=None
        Weight of the redundancy in ``"mifs"``; ``None`` means 1.
    discrete_features : "auto", bool or array-like
        Deprecated since 0.2, removed in 0.3: set it on the estimator,
        ``MRMRSelector(estimator=KSGEstimator(discrete_features=...))``.
        Until then a value still applies, with a ``FutureWarning``.
    missing_values : {"error", "pairwise"}
        Deprecated since 0.2, removed in 0.3: set it on the estimator.
    random_state : int, RandomState instance or None, default=None
        Controls the randomness of the fit, as in scikit-learn's ensembles:
        the estimator's jitter and the permutations of ``"auto"`` when the
        estimator has no ``random_state`` of its own (an estimator's own is
        never overridden; a different value on both warns).
    n_jobs : int, default=None
        Parallel jobs over the candidates of each step (joblib's meaning),
        when the estimator has no ``n_jobs`` of its own.
    verbose : int, default=0
        With 1 or more, a progress bar of the selection steps (``tqdm``: rate
        and time left on stderr, a widget in a notebook).

    Attributes
    ----------
    selected_features_ : ndarray of int
        Column indices in the order they were selected.
    support_ : ndarray of bool of shape (n_features_in_,)
        Mask of the selected columns.
    ranking_ : ndarray of int of shape (n_features_in_,)
        Selection step of every column (1 for the first); unselected columns
        get ``len(selected_features_) + 1``.
    relevance_ : ndarray
        I(X_k; Y) of the feature chosen at each step.
    redundancy_ : ndarray
        What the criterion discounted from the chosen feature's relevance at
        each step: the redundancy term for mid, miq, mifs and cife; for jmi,
        jmim and cmim, relevance minus what the feature adds given the
        selected features (mean, or at the minimising feature, of
        I(X_k; Y | X_j)).  Negative values mean synergy.  0 at step one.
    criterion_ : ndarray
        The criterion value of the chosen feature at each step.
    scores_ : ndarray of shape (n_features_in_,)
        I(X_j; Y) of every feature.
    estimator_ : KSGEstimator or object
        The estimator used: a clone, configured for the fit.
    discrete_target_ : bool
        Whether ``y`` was treated as classes (KSGEstimator only).
    discrete_features_ : ndarray of bool
        The resolved discrete-column mask.
    n_samples_used_ : ndarray of int of shape (n_features_in_,)
        Rows used for the relevance of each feature.
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    MIRanker : Univariate ranking by relevance alone.
    KSGEstimator : The estimator of every term.

    Notes
    -----
    Estimates are used unclipped: clipping at 0 would tie every weak
    feature and, in the quotient of ``"miq"``, turn noise into huge scores.
    ``"miq"`` divides by ``max(mean redundancy, 1e-3 nats)``.  Ties in the
    criterion go to the lowest column index.  Work is cached: every column
    is scaled, jittered and sorted once, relevance is estimated once, and
    each step estimates only the newly selected feature against the
    remaining candidates, in one parallel pass.

    ``"auto"`` permutes the candidates rather than the target: permuting y
    would also erase the information of the features already selected, so
    for jmi and jmim the criterion of the permuted problem would always be
    far below and the selection would never stop.  The candidates are
    permuted together (one row permutation per round), which keeps their
    dependence on each other and breaks only their dependence on y and on
    the selected features, and the test compares maxima over candidates, so
    picking the best of many noise features is not mistaken for a signal.

    References
    ----------
    .. [1] H. Peng, F. Long, C. Ding, "Feature selection based on mutual
       information: criteria of max-dependency, max-relevance, and
       min-redundancy", IEEE TPAMI 27(8), 2005.
    .. [2] G. Brown, A. Pocock, M.-J. Zhao, M. Luján, "Conditional
       likelihood maximisation: a unifying framework for information
       theoretic feature selection", JMLR 13, 2012.
    .. [3] F. Fleuret, "Fast binary feature selection with conditional
       mutual information", JMLR 5, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import MRMRSelector
    >>> rng = np.random.default_rng(0)
    >>> x0 = rng.integers(0, 2, 2000)
    >>> x1 = (rng.random(2000) < 0.2).astype(int)          # useless alone
    >>> X = np.column_stack([rng.integers(0, 2, (2000, 3)), x1, x0])
    >>> y = x0 ^ x1
    >>> jmi = MRMRSelector(2, criterion="jmi").fit(X, y)
    >>> jmi.selected_features_
    array([4, 3])
    >>> jmi.criterion_.round(2)      # x1 completes x0: I(x0, x1; y) = H(y)
    array([0.17, 0.69])
    >>> MRMRSelector(2, criterion="mid").fit(X, y).criterion_.round(2)  # to mid, x1 is noise
    array([0.17, 0.  ])
    """

    _parameter_constraints: dict = {
        "n_features_to_select": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
        ],
        "criterion": [StrOptions(set(CRITERIA))],
        "estimator": [None, HasMethods(["fit", "estimate"])],
        "beta": [None, Interval(Real, 0, None, closed="left")],
        "discrete_features": [Hidden(StrOptions({DEPRECATED})), StrOptions({"auto"}), "boolean", "array-like"],
        "missing_values": [Hidden(StrOptions({DEPRECATED})), StrOptions({"error", "pairwise"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_features_to_select=10,
        *,
        criterion="mid",
        estimator=None,
        beta=None,
        discrete_features=DEPRECATED,
        missing_values=DEPRECATED,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_features_to_select = n_features_to_select
        self.criterion = criterion
        self.estimator = estimator
        self.beta = beta
        self.discrete_features = discrete_features
        self.missing_values = missing_values
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Select features greedily.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; DataFrames may mix numeric, bool, string and
            categorical columns.
        y : array-like of shape (n_samples,)
            Target, discrete (class labels of any type) or continuous.

        Returns
        -------
        self : MRMRSelector
            Fitted selector.

        Examples
        --------
        >>> from sklearn.datasets import load_wine
        >>> from mifs import MRMRSelector
        >>> X, y = load_wine(return_X_y=True)
        >>> selector = MRMRSelector(3, criterion="jmi", random_state=0).fit(X, y)
        >>> selector.selected_features_
        array([ 6,  9, 12])
        >>> selector.criterion_.round(2)     # sum of I(X_k, X_j; y) over the selected X_j
        array([0.67, 0.95, 1.78])
        """
        est = configured_estimator(
            self.estimator,
            owner=self,
            moved={"discrete_features": self.discrete_features, "missing_values": self.missing_values},
            shared={"random_state": self.random_state, "n_jobs": self.n_jobs},
        )  # validated there
        if isinstance(est, KSGEstimator):
            data = prepare_data(est, X, y, owner=self, validate=False)
        else:
            data = ProtocolData(est, X, y, owner=self, random_state=self.random_state, n_jobs=self.n_jobs)
        p = data.n_features
        n_select = self._n_to_select(p)
        beta = 1.0 if self.beta is None else float(self.beta)
        with Parallel(n_jobs=data.n_jobs, prefer="threads") as parallel:
            data.prepare_all(parallel)
            relevance, _, levels = data.relevance(parallel=parallel)
            data.warn_many_levels(levels)
            steps = self._greedy(data, relevance, n_select, beta, parallel)
        chosen, rel_steps, red_steps, crit_steps = steps
        if not chosen:
            warnings.warn(
                'n_features_to_select="auto" selected no feature: none beats the permuted candidates.',
                UserWarning,
            )
        self.estimator_ = est
        self.discrete_features_ = data.discrete_features
        if data.target is not None:
            self.discrete_target_ = bool(data.target.discrete)
        self.n_samples_used_ = data.used
        self.scores_ = relevance
        self.selected_features_ = np.array(chosen, dtype=np.int64)
        self.support_ = np.zeros(p, dtype=bool)
        self.support_[self.selected_features_] = True
        self.ranking_ = np.full(p, len(chosen) + 1, dtype=np.int64)
        self.ranking_[self.selected_features_] = np.arange(1, len(chosen) + 1)
        self.relevance_ = np.array(rel_steps)
        self.redundancy_ = np.array(red_steps)
        self.criterion_ = np.array(crit_steps)
        return self

    def _greedy(self, data: PreparedData, relevance, n_select, beta, parallel):
        """The forward selection; returns the chosen columns and, per step,
        relevance, redundancy and criterion of the chosen one."""
        p = relevance.size
        n = data.n_samples

        def step_terms(idx, j, perm=None):
            def block(cands):
                return _block_terms(self.criterion, data, cands, j, p, perm)

            return np.vstack(parallel_map(block, idx, n_jobs=data.n_jobs, parallel=parallel))

        tally = _Tally(self.criterion, p, beta)
        auto = n_select is None
        if auto:
            # the null of "auto": the candidates' rows permuted together, one permutation per round
            perms = [permutation(data.seed, 1000 + b, n) for b in range(AUTO_PERMUTATIONS)]
            null_tallies = [_Tally(self.criterion, p, beta) for _ in perms]
            null_rel = np.vstack([data.relevance(perm=perm, parallel=parallel)[0] for perm in perms])
        progress = Progress(p if auto else n_select, "steps") if self.verbose else None
        remaining = np.arange(p)
        chosen, rel_steps, red_steps, crit_steps = [], [], [], []
        while remaining.size and (auto or len(chosen) < n_select):
            crit, red = tally.values(relevance[remaining], remaining)
            best = int(np.argmax(crit))  # first maximum: the lowest column index wins ties
            if auto:
                null_best = max(
                    t.values(null_rel[b, remaining], remaining)[0].max() for b, t in enumerate(null_tallies)
                )
                if crit[best] <= null_best:
                    break
            j = int(remaining[best])
            chosen.append(j)
            rel_steps.append(relevance[j])
            red_steps.append(red[best])
            crit_steps.append(crit[best])
            remaining = np.delete(remaining, best)
            if progress is not None:
                progress(len(chosen))
            if remaining.size == 0 or (not auto and len(chosen) == n_select):
                break
            tally.add(step_terms(remaining, j), remaining, relevance[j])
            if auto:
                for perm, null_tally in zip(perms, null_tallies):
                    null_tally.add(step_terms(remaining, j, perm), remaining, relevance[j])
        if progress is not None and len(chosen) < progress.total:
            progress(progress.total)
        return chosen, rel_steps, red_steps, crit_steps

    def _n_to_select(self, p: int) -> int | None:
        nfs = self.n_features_to_select
        if isinstance(nfs, str):
            return None
        if isinstance(nfs, Integral):
            if nfs > p:
                warnings.warn(
                    f"n_features_to_select={nfs} is greater than n_features={p}. All the features will be selected.",
                    UserWarning,
                )
            return min(int(nfs), p)
        return max(1, int(nfs * p))

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
