"""Information-gain split search and supervised entropy (MDL) discretisation."""

from __future__ import annotations

from numbers import Integral
from typing import Any, NamedTuple

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from mifs._base import check_finite_columns, label_codes
from mifs._kernels import splits as _kernels
from mifs._prepared import parallel_map

__all__ = ["InfoGainSplitter", "NodeSplit"]

_CRITERIA = {
    "entropy": _kernels.ENTROPY,
    "gini": _kernels.GINI,
    "gain_ratio": _kernels.GAIN_RATIO,
}

# Problems smaller than this many matrix cells run in the calling thread:
# thread start-up would cost more than the split search itself.
_PARALLEL_MIN_CELLS = 100_000


class NodeSplit(NamedTuple):
    """The best split of one node, as returned by :meth:`InfoGainSplitter.split`.

    Attributes
    ----------
    feature : int
        Index of the split feature, ``-1`` when no feature has a valid
        threshold (every feature constant on the node, or ``min_samples_leaf``
        unreachable).
    threshold : float
        Samples with ``X[:, feature] <= threshold`` go left.  NaN when
        ``feature == -1``.
    gain : float
        The splitter's criterion for this split: information gain in nats,
        Gini decrease, or gain ratio.  ``0.0`` when ``feature == -1``.
    left_counts, right_counts : ndarray of shape (n_classes,)
        Weighted class counts of the two children, aligned with the fitted
        splitter's ``classes_``.  When ``feature == -1``, ``left_counts`` holds
        the node's class counts and ``right_counts`` is zero.
    """

    feature: int
    threshold: float
    gain: float
    left_counts: np.ndarray
    right_counts: np.ndarray


class InfoGainSplitter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Best decision-tree splits by information and supervised MDL discretisation.

    For every feature, finds the binary split ``x <= t`` that maximises the
    information gain (or Gini decrease, or gain ratio) about a class target,
    the split a decision tree would make at a node holding this data.  Its
    transform discretises each feature into intervals by the recursive entropy
    method of Fayyad & Irani (1993) with their minimum-description-length
    stopping rule, ready for discrete mutual-information feature selection.

    Parameters
    ----------
    criterion : {"entropy", "gini", "gain_ratio"}, default="entropy"
        What a split maximises.  ``"entropy"``: the information gain
        ``H(Y) - (n_l H(Y_l) + n_r H(Y_r)) / n`` in nats.  ``"gini"``: the
        decrease of Gini impurity, computed the same way.  ``"gain_ratio"``:
        the information gain divided by the split information
        ``H(n_l / n, n_r / n)`` (Quinlan's C4.5), maximised over all
        thresholds.  The criterion also chooses the cut of each interval in
        the discretisation (see Notes).

    max_bins : int >= 2 or None, default=None
        Largest number of intervals per feature in the discretisation.  Cuts
        are made best first (see Notes) until ``max_bins`` intervals exist or
        the stopping rule rejects every remaining candidate.  ``None``: no
        limit.

    min_samples_leaf : int >= 1, default=1
        Each side of a split, and each interval of the discretisation, must
        hold at least this many samples (rows with non-zero weight, counted
        without their weights, as scikit-learn's trees do).

    stopping : {"mdl"} or None, default="mdl"
        Rule deciding whether an interval of the discretisation is cut
        further.  ``"mdl"``: Fayyad & Irani's MDLP criterion.  ``None``: cut
        while the split improves the criterion by more than ``1e-12``; then
        ``max_bins`` (if given) alone bounds the number of intervals.

    n_jobs : int or None, default=None
        Number of threads over features, with joblib's meaning (``None``:
        one, unless inside a :func:`joblib.parallel_config` context; ``-1``:
        all cores).  Results do not depend on it.  Problems with fewer than
        100 000 matrix cells run in the calling thread.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels seen in :meth:`fit`, sorted.

    thresholds_ : ndarray of shape (n_features_in_,)
        Best threshold of each feature (``x <= t`` goes left); NaN for a
        feature without a valid split (constant, or ``min_samples_leaf``
        unreachable).

    gains_ : ndarray of shape (n_features_in_,)
        The criterion at each feature's best threshold (information gain in
        nats, Gini decrease or gain ratio); ``0.0`` for features without a
        valid split.

    best_feature_ : int
        The feature a tree would split on: the largest of ``gains_`` among
        features with a valid split, the lowest index among exact ties;
        ``-1`` when no feature has a valid split.

    best_threshold_ : float
        ``thresholds_[best_feature_]`` (NaN when ``best_feature_ == -1``).

    best_gain_ : float
        ``gains_[best_feature_]`` (``0.0`` when ``best_feature_ == -1``).

    cut_points_ : list of ndarray
        Per feature, the sorted cut points of the discretisation.

    n_bins_ : ndarray of shape (n_features_in_,)
        Number of intervals per feature, ``len(cut_points_[j]) + 1``.

    n_features_in_ : int
        Number of features seen during :meth:`fit`.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during :meth:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.tree.DecisionTreeClassifier : Its root split (``max_depth=1``) is
        ``best_feature_`` / ``best_threshold_`` for ``"entropy"`` and
        ``"gini"``.
    sklearn.preprocessing.KBinsDiscretizer : Unsupervised binning.

    Notes
    -----
    **Thresholds.** Candidate thresholds are the midpoints ``a / 2 + b / 2``
    of consecutive distinct sorted values, as in scikit-learn's trees (``a``
    when the midpoint rounds up to ``b``).  Among equal scores the smallest
    threshold of a feature, and then the lowest feature index, wins.
    scikit-learn computes in float32 on ``X`` and treats values closer than
    ``1e-7`` as equal; this splitter works on the float64 values exactly, so
    thresholds agree up to float32 rounding.  scikit-learn measures entropy in
    bits; gains here are in nats (multiply bits by ``ln 2``).  When two
    features tie exactly, scikit-learn's choice depends on its random feature
    order.

    **Sample weights** are frequency weights: a weight of 2 is the same as
    the row repeated, a weight of 0 the same as the row removed (zero-weight
    rows neither count towards ``min_samples_leaf`` nor create thresholds).

    **Gain ratio.** The split information of a valid split is positive, since
    both children hold positive weight; a split whose split information still
    evaluates to zero is given gain ratio 0.

    **Discretisation.** Each feature is sorted once; intervals are contiguous
    runs of the sorted values.  Every interval's candidate cut is its best
    split under ``criterion`` (for ``"entropy"`` this is exactly Fayyad &
    Irani's method).  With ``stopping="mdl"`` the candidate is kept iff its
    information gain passes the MDLP test

    .. math::

        \\mathrm{Gain} > \\frac{\\ln(N - 1)}{N} + \\frac{\\Delta}{N},\\quad
        \\Delta = \\ln(3^k - 2) - [k\\,\\mathrm{Ent}(S)
        - k_1\\mathrm{Ent}(S_1) - k_2\\mathrm{Ent}(S_2)],

    the paper's inequality (stated in bits) multiplied through by ``ln 2``,
    so the decisions are the same.  ``N`` is the total sample weight of the
    interval and ``k, k1, k2`` count the classes present in the interval and
    in its two parts.  Kept candidates are cut best first, by the interval's
    weight times the criterion improvement of its cut (ties: leftmost
    interval), the order in which a best-first tree grows; with
    ``max_bins=None`` the order does not matter and every kept cut is made, as
    in the paper's recursion.  With ``max_bins`` the cuts are therefore a
    subset of the unlimited ones: the most valuable first.  A value equal to
    a cut point falls in the interval to its left, as with ``x <= t``.

    Cost: ``O(n)`` per feature for the sort (radix sort on the float bits)
    plus ``O(n * n_classes)`` per sweep; the discretisation adds one sweep of
    each interval it examines.

    References
    ----------
    .. [1] U. M. Fayyad and K. B. Irani, "Multi-interval discretization of
       continuous-valued attributes for classification learning", Proc. 13th
       International Joint Conference on Artificial Intelligence (IJCAI-93),
       pp. 1022-1027, 1993.
    .. [2] J. R. Quinlan, "C4.5: Programs for Machine Learning", Morgan
       Kaufmann, 1993.
    .. [3] L. Breiman, J. Friedman, R. Olshen and C. Stone, "Classification
       and Regression Trees", Wadsworth, 1984.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import InfoGainSplitter
    >>> X = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0],
    ...               [4.0, 1.0], [5.0, 2.0], [6.0, 6.0]])
    >>> y = np.array(["a", "a", "a", "b", "b", "b"])
    >>> splitter = InfoGainSplitter().fit(X, y)
    >>> int(splitter.best_feature_), float(splitter.best_threshold_)
    (0, 3.5)
    >>> print(np.round(splitter.gains_, 4))  # nats: ln 2 for the perfect split
    [0.6931 0.3183]
    >>> [cuts.tolist() for cuts in splitter.cut_points_]  # MDL keeps one cut
    [[3.5], []]
    >>> splitter.transform([[3.5, 0.0], [3.6, 9.0]])
    array([[0, 0],
           [1, 0]])
    >>> node = splitter.split(X[2:], y[2:])  # one node of a tree builder
    >>> int(node.feature), float(node.threshold), node.left_counts.tolist()
    (0, 3.5, [1.0, 0.0])
    """

    _parameter_constraints: dict = {
        "criterion": [StrOptions(set(_CRITERIA))],
        "max_bins": [Interval(Integral, 2, None, closed="left"), None],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        "stopping": [StrOptions({"mdl"}), None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        criterion: str = "entropy",
        *,
        max_bins: int | None = None,
        min_samples_leaf: int = 1,
        stopping: str | None = "mdl",
        n_jobs: int | None = None,
    ) -> None:
        self.criterion = criterion
        self.max_bins = max_bins
        self.min_samples_leaf = min_samples_leaf
        self.stopping = stopping
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> InfoGainSplitter:
        """Find each feature's best split and discretise every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features, finite.
        y : array-like of shape (n_samples,)
            Class labels of any type (numbers, strings, booleans).  A
            continuous target is refused.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative frequency weights; ``None`` means all ones.

        Returns
        -------
        self : InfoGainSplitter
            The fitted splitter.

        Examples
        --------
        >>> import numpy as np
        >>> from mifs import InfoGainSplitter
        >>> X = np.array([[0.1], [0.4], [0.5], [0.9]])
        >>> splitter = InfoGainSplitter().fit(X, ["no", "no", "yes", "yes"])
        >>> splitter.classes_, splitter.thresholds_
        (array(['no', 'yes'], dtype='<U3'), array([0.45]))
        >>> print(round(splitter.best_gain_, 4))   # ln 2 nats: the split removes all uncertainty
        0.6931
        """
        X, y = self._validate_X(X, y, reset=True)
        self.classes_, codes = _encode_class_target(y)
        X, codes, w = _weighted_rows(X, codes, sample_weight)
        thresholds, scores, found, _, _, cut_flat, n_cuts = self._search(
            X, codes, w, discretise=True
        )
        self.thresholds_ = thresholds
        self.gains_ = scores
        if found.any():
            valid = np.flatnonzero(found)
            best = int(valid[np.argmax(scores[valid])])
            self.best_feature_ = best
            self.best_threshold_ = float(thresholds[best])
            self.best_gain_ = float(scores[best])
        else:
            self.best_feature_ = -1
            self.best_threshold_ = float("nan")
            self.best_gain_ = 0.0
        bounds = np.concatenate(([0], np.cumsum(n_cuts)))
        self.cut_points_ = [
            cut_flat[bounds[j] : bounds[j + 1]].copy() for j in range(n_cuts.shape[0])
        ]
        self.n_bins_ = n_cuts + 1
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Replace each value by the index of its interval.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Numeric features, finite.

        Returns
        -------
        X_binned : ndarray of shape (n_samples, n_features_in_), dtype int64
            ``X_binned[i, j]`` is the number of cut points of feature ``j``
            strictly below ``X[i, j]``: values equal to a cut point go to the
            interval on its left, like ``x <= t``.

        Examples
        --------
        >>> import numpy as np
        >>> from mifs import InfoGainSplitter
        >>> x = np.arange(30.0).reshape(-1, 1)
        >>> y = np.repeat([0, 1, 2], 10)                       # three classes in three runs
        >>> splitter = InfoGainSplitter().fit(x, y)
        >>> splitter.cut_points_
        [array([ 9.5, 19.5])]
        >>> splitter.transform([[0.0], [9.5], [9.6], [25.0]]).ravel()
        array([0, 0, 1, 2])
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        out = np.empty(X.shape, dtype=np.int64)
        for j, cuts in enumerate(self.cut_points_):
            out[:, j] = np.searchsorted(cuts, X[:, j], side="left")
        return out

    def split(self, X: Any, y: Any, sample_weight: Any = None) -> NodeSplit:
        """Best split of one node holding the samples ``(X, y)``.

        Uses the fitted splitter's hyper-parameters and classes; nothing
        fitted changes.  Meant to be called at every node of a tree builder
        after :meth:`fit` on the root data: only the split search runs, no
        discretisation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            The node's samples.
        y : array-like of shape (n_samples,)
            Their class labels, all among ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative frequency weights; ``None`` means all ones.

        Returns
        -------
        node : NodeSplit
            ``(feature, threshold, gain, left_counts, right_counts)`` with
            weighted class counts aligned with ``classes_``; ``feature`` is
            ``-1`` when the node has no valid split.

        Examples
        --------
        Fit on the root data, then ask for the best split of a child node:

        >>> import numpy as np
        >>> from mifs import InfoGainSplitter
        >>> X = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0]])
        >>> y = np.array([0, 1, 0, 1])
        >>> splitter = InfoGainSplitter().fit(X, y)
        >>> node = splitter.split(X[:2], y[:2])
        >>> node.feature, node.threshold, node.left_counts.tolist(), node.right_counts.tolist()
        (0, 1.5, [1.0, 0.0], [0.0, 1.0])
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        # y is checked by hand: sklearn's target validation would cost more
        # than the split search on a small node
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels, got shape {y.shape}.")
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y have inconsistent numbers of samples: {X.shape[0]} and "
                f"{y.shape[0]}."
            )
        codes = self._codes_of(y)
        X, codes, w = _weighted_rows(X, codes, sample_weight)
        thresholds, scores, found, left, right, _, _ = self._search(
            X, codes, w, discretise=False
        )
        if not found.any():
            counts = np.bincount(codes, weights=w, minlength=len(self.classes_))
            return NodeSplit(-1, float("nan"), 0.0, counts, np.zeros_like(counts))
        valid = np.flatnonzero(found)
        best = int(valid[np.argmax(scores[valid])])
        return NodeSplit(
            best, float(thresholds[best]), float(scores[best]), left[best], right[best]
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = []  # bin codes are integers
        return tags

    # ------------------------------------------------------------------ helpers

    def _validate_X(self, X: Any, y: Any = "no_validation", *, reset: bool) -> Any:
        """Validate ``X`` (and ``y`` when given) into finite C-ordered float64."""
        params = dict(reset=reset, dtype=np.float64, order="C", ensure_all_finite=False)
        try:
            if isinstance(y, str) and y == "no_validation":
                X_checked = validate_data(self, X, **params)
                out = X_checked
            else:
                out = validate_data(self, X, y, **params)
                X_checked = out[0]
        except ValueError as exc:
            column = _unconvertible_column(X)
            if column is not None:
                raise ValueError(
                    f"InfoGainSplitter needs numeric features, but column {column!r} "
                    "of X holds values that cannot be converted to float."
                ) from exc
            raise
        names = getattr(self, "feature_names_in_", None)
        check_finite_columns(
            X_checked,
            [f"{name!r} (index {j})" for j, name in enumerate(names)] if names is not None
            else [str(j) for j in range(X_checked.shape[1])],
            needs="InfoGainSplitter needs finite feature values",
        )
        return out

    def _codes_of(self, y: np.ndarray) -> np.ndarray:
        """Codes of labels into the fitted ``classes_``; unseen labels refused."""
        classes = self.classes_
        try:
            idx = np.searchsorted(classes, y)
        except TypeError as exc:
            raise ValueError(
                "y holds labels of another type than the classes seen in fit "
                f"({classes.dtype})."
            ) from exc
        seen = classes[np.minimum(idx, len(classes) - 1)] == y
        if not np.all(seen):
            unseen = np.unique(np.asarray(y)[~seen])
            raise ValueError(
                f"y contains labels not seen in fit: {unseen[:5].tolist()}; "
                f"the splitter was fitted on classes {classes.tolist()}."
            )
        return idx.astype(np.int64)

    def _search(
        self, X: np.ndarray, codes: np.ndarray, w: np.ndarray, *, discretise: bool
    ) -> tuple[np.ndarray, ...]:
        """Run the column kernel over all features, in threads when asked."""
        n_samples, n_features = X.shape
        args = (
            codes,
            w,
            len(self.classes_),
            _CRITERIA[self.criterion],
            self.min_samples_leaf,
            _xlogx_table(w),
            discretise,
            self.stopping == "mdl",
            -1 if self.max_bins is None else self.max_bins - 1,
        )
        all_columns = np.arange(n_features, dtype=np.int64)
        n_workers = min(effective_n_jobs(self.n_jobs), n_features)
        if n_workers <= 1 or n_samples * n_features < _PARALLEL_MIN_CELLS:
            return _kernels.column_splits(X, all_columns, *args)
        # Contiguous blocks, enough to balance the threads but each wide
        # enough for the kernel to gather its columns in few passes over X.
        n_blocks = max(n_workers, min(4 * n_workers, n_features // _kernels.GATHER))
        parts = parallel_map(
            lambda cols: _kernels.column_splits(X, cols, *args), all_columns, n_jobs=n_workers, n_blocks=n_blocks
        )
        return tuple(np.concatenate(arrays) for arrays in zip(*parts))


def _encode_class_target(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted class labels and int64 codes; refuse non-class targets."""
    y_type = type_of_target(y, input_name="y")
    if y_type.startswith("continuous"):
        raise ValueError(
            "InfoGainSplitter is for class targets, but y is continuous "
            f"(type_of_target(y) == {y_type!r}). Pass class labels, or bin a "
            "regression target into classes first."
        )
    if y_type == "unknown":
        raise ValueError(
            "Unknown label type: InfoGainSplitter needs class labels in y "
            "(numbers, strings or booleans)."
        )
    if y_type not in ("binary", "multiclass"):
        raise ValueError(
            "InfoGainSplitter needs a single column of class labels in y, "
            f"got a {y_type!r} target."
        )
    return label_codes(y, "y")


def _weighted_rows(
    X: np.ndarray, codes: np.ndarray, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate ``sample_weight`` and drop zero-weight rows (copies, never views)."""
    sw = _check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    )
    keep = sw > 0
    if keep.all():
        return X, codes, np.array(sw, dtype=np.float64)
    return X[keep], codes[keep], sw[keep]


def _xlogx_table(w: np.ndarray) -> np.ndarray:
    """``x log x`` table when every class count is an exact small integer."""
    total = float(w.sum())
    if total <= 4 * w.shape[0] + 1024 and np.array_equal(w, np.floor(w)):
        return _kernels.xlogx_table(int(total))
    return np.empty(0)


def _unconvertible_column(X: Any) -> Any:
    """Name of the first DataFrame column that cannot become float, else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc"):
        return None
    for position, name in enumerate(columns):
        try:
            np.asarray(X.iloc[:, position], dtype=np.float64)
        except (TypeError, ValueError):
            return name
    return None
