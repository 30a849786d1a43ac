"""KSGEstimator: k-nearest-neighbour mutual information, as an estimator object."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils._param_validation import Interval, Options, StrOptions

from mifs._prepared import prepare_data, prepare_variables, record_fit


class KSGEstimator(BaseEstimator):
    """Mutual information between each feature and a target, by k-nearest neighbours.

    The Kraskov-Stögbauer-Grassberger (KSG) family of estimators, chosen per
    pair of variables from their type:

    - continuous-continuous: KSG algorithm 1 or 2 (Kraskov et al. 2004),
      max-norm;
    - continuous-discrete: Ross (2014);
    - discrete-discrete: plug-in counts (equal to
      :func:`sklearn.metrics.mutual_info_score`);
    - conditional MI (:meth:`estimate` with ``z``): Frenzel and Pompe (2007);
    - exact ties: a point whose k-th neighbour is at distance zero (it has at
      least ``k`` exact duplicates) uses the counts of Gao, Kannan, Oh and
      Viswanath (2017), so mixtures of discrete and continuous values are
      estimated consistently: I(X; X) of a three-valued column stays below
      H(X).

    With the defaults the numbers are those of scikit-learn's
    :func:`~sklearn.feature_selection.mutual_info_regression` and
    :func:`~sklearn.feature_selection.mutual_info_classif` (continuous
    columns scaled to unit variance without centring, ``1e-10`` relative
    jitter, strict neighbour radius, results clipped at 0), computed many
    times faster, and every setting is an ordinary hyper-parameter.

    Parameters
    ----------
    n_neighbors : int, default=3
        Number of neighbours ``k``.  Larger values lower the variance and
        raise the bias.
    algorithm : {1, 2}, default=1
        KSG algorithm for pairs of continuous variables.  Conditional MI and
        pairs involving a discrete variable always use the algorithm-1 form.
    discrete_features : "auto", bool or array-like, default="auto"
        Which columns of X are discrete.  ``"auto"``: bool, string, object
        and pandas categorical columns are; a numeric column, whatever its
        dtype, is discrete when its values look like labels: at most two
        distinct values, or whole numbers with few distinct values for the
        number of rows (at most 20 with 3 rows each on average; between 20
        and sqrt(n) is a close call, decided as discrete with a warning).
        Measurements stay continuous even when recorded as integers
        (prices in whole dollars, counts with many values).  A bool applies
        to every column; an array is a boolean mask, column indices, or
        DataFrame column names.  See the user guide, "Discrete, continuous
        and mixed data", for the full rule.
    discrete_target : "auto" or bool, default="auto"
        Whether ``y`` is discrete (class labels).  ``"auto"``: labels
        (strings, objects, bools) are classes and a numeric target follows
        the rule of ``discrete_features``, so iris's labels are classes but
        a regression target of whole numbers (such as
        :func:`~sklearn.datasets.load_diabetes`'s) is continuous; a close
        call warns.  Unlike scikit-learn's ``type_of_target``, a float
        target of many whole numbers is not taken for classes.
    jitter : float, default=1e-10
        Relative amplitude of the noise added to continuous columns to break
        ties, as scikit-learn does: ``jitter * max(1, mean|x|)`` times a
        standard normal draw, after scaling to unit variance.  0 disables it;
        exact duplicates are then handled by Gao et al.'s rule alone.
    clip : bool, default=True
        Clip every estimate at 0, as scikit-learn does.  ``False`` returns
        the raw estimate, which keeps the order of weak features (the
        selectors use raw estimates).
    missing_values : {"error", "pairwise"}, default="error"
        ``"error"``: NaN in X or y is an error.  ``"pairwise"``: every
        estimate uses the rows where its variables (and the condition) are
        all present; NaN, None and pandas' missing values count as missing.
        Each column keeps its jitter stream, so the estimate equals the one
        on the data filtered to those rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the jitter.  Every column draws from its own stream derived
        from this seed, so results do not depend on ``n_jobs``.
    n_jobs : int, default=None
        Parallel jobs over blocks of columns (joblib's meaning: ``None`` is
        1 unless in a :func:`joblib.parallel_config` context, ``-1`` all
        cores).  Threads by default; any joblib backend, such as Dask's,
        runs the same blocks.

    Attributes
    ----------
    mi_ : ndarray of shape (n_features_in_,)
        I(X_j; y) in nats.
    discrete_features_ : ndarray of bool of shape (n_features_in_,)
        The resolved discrete-column mask.
    discrete_target_ : bool
        Whether ``y`` was treated as discrete.
    n_samples_used_ : ndarray of int of shape (n_features_in_,)
        Rows used for each column: all of them unless
        ``missing_values="pairwise"`` dropped rows with a missing value.
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when X is a DataFrame with string column names.

    See Also
    --------
    MIRanker : Select features by their mutual information with the target.
    sklearn.feature_selection.mutual_info_classif : The reference for class targets.
    sklearn.feature_selection.mutual_info_regression : The reference for continuous targets.

    Notes
    -----
    On data without exact ties the estimates equal scikit-learn's to about
    1e-12 at the sizes of the tests (n up to a few thousand).  The jitter
    only decides ties and distances that coincide to about 1e-10 (relative);
    such near-coincidences become likely at large n (a handful of points per
    column at n = 1e5), and as the jitter is drawn differently (see below)
    the results then differ by about 1e-6.  On data with ties
    (rounded measurements, mixtures) they agree within scikit-learn's own
    spread across seeds, for two reasons: scikit-learn draws one block of
    noise for the whole matrix while mifs draws one stream per column (no
    n-by-p noise array, and results independent of ``n_jobs``); and a point
    with at least ``k`` exact duplicates follows Gao et al.'s rule, where
    scikit-learn's noise would turn the duplicates into a neighbourhood of
    radius 1e-10 whose counts are random.  Also, scikit-learn finds
    neighbours in classes with at most ``2k`` members by a brute-force
    Euclidean expansion whose rounding can move a point across the radius;
    mifs computes exact distances.  Discrete features are detected
    automatically; pass ``discrete_features=False`` for scikit-learn's
    treatment of dense input.

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer, P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138 (2004).
    .. [2] B. C. Ross, "Mutual information between discrete and continuous
       data sets", PLoS ONE 9(2): e87357 (2014).
    .. [3] S. Frenzel, B. Pompe, "Partial mutual information for coupling
       analysis of multivariate time series", Phys. Rev. Lett. 99, 204101
       (2007).
    .. [4] W. Gao, S. Kannan, S. Oh, P. Viswanath, "Estimating mutual
       information for discrete-continuous mixtures", NeurIPS (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import KSGEstimator
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((2000, 2))
    >>> y = X[:, 0] + 0.5 * rng.standard_normal(2000)
    >>> est = KSGEstimator(random_state=0).fit(X, y)
    >>> est.mi_.round(2)          # truth: 0.80 and 0
    array([0.8, 0. ])
    >>> from sklearn.feature_selection import SelectKBest
    >>> SelectKBest(KSGEstimator(n_neighbors=5, random_state=0), k=1).fit(X, y).get_support()
    array([ True, False])
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "algorithm": [Options(Integral, {1, 2})],
        "discrete_features": [StrOptions({"auto"}), "boolean", "array-like"],
        "discrete_target": [StrOptions({"auto"}), "boolean"],
        "jitter": [Interval(Real, 0, None, closed="left")],
        "clip": ["boolean"],
        "missing_values": [StrOptions({"error", "pairwise"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        n_neighbors=3,
        *,
        algorithm=1,
        discrete_features="auto",
        discrete_target="auto",
        jitter=1e-10,
        clip=True,
        missing_values="error",
        random_state=None,
        n_jobs=None,
    ):
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.discrete_features = discrete_features
        self.discrete_target = discrete_target
        self.jitter = jitter
        self.clip = clip
        self.missing_values = missing_values
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Estimate I(X_j; y) for every column of X.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; DataFrames may mix numeric, bool, string and
            categorical columns.
        y : array-like of shape (n_samples,)
            Target, discrete (class labels of any type) or continuous.

        Returns
        -------
        self : KSGEstimator
            Fitted estimator with ``mi_``.

        Examples
        --------
        >>> from sklearn.datasets import load_wine
        >>> from mifs import KSGEstimator
        >>> X, y = load_wine(return_X_y=True)
        >>> est = KSGEstimator(random_state=0).fit(X, y)
        >>> int(est.mi_.argmax()), round(float(est.mi_.max()), 2)   # flavanoids
        (6, 0.67)
        >>> est.discrete_target_
        True
        """
        data = prepare_data(self, X, y, validate=False)
        raw, _, levels = data.relevance()
        data.warn_many_levels(levels)
        record_fit(self, data, raw)
        return self

    def __call__(self, X, y):
        """I(X_j; y) for every column, without fitting this instance.

        Equivalent to ``clone(self).fit(X, y).mi_``.  This makes the
        estimator a ``score_func``: ``SelectKBest(KSGEstimator(), k=10)``
        replaces ``SelectKBest(mutual_info_classif, k=10)``, with
        ``n_neighbors`` and ``random_state`` tunable as
        ``selectkbest__score_func__n_neighbors``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Target.

        Returns
        -------
        ndarray of shape (n_features,)
            I(X_j; y) in nats.

        Examples
        --------
        >>> import numpy as np
        >>> from mifs import KSGEstimator
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((500, 3))
        >>> y = X[:, 0] - X[:, 2] + 0.5 * rng.standard_normal(500)
        >>> KSGEstimator(random_state=0)(X, y).round(2)
        array([0.35, 0.  , 0.27])
        """
        return clone(self).fit(X, y).mi_

    def estimate(self, x, y, z=None, *, discrete="auto") -> float:
        """I(x; y), or I(x; y | z) when ``z`` is given, in nats.

        Parameters
        ----------
        x, y : array-like of shape (n_samples,) or (n_samples, n_columns)
            The two variables; each may have several columns, continuous,
            discrete or mixed.
        z : array-like of shape (n_samples,) or (n_samples, n_columns), default=None
            The conditioning variable.
        discrete : "auto", bool or tuple, default="auto"
            Which columns are discrete: ``"auto"`` applies the rule of
            ``discrete_features`` to every column of x, y and z; a bool
            applies to all of them; a tuple gives one specification per
            variable (``(spec_x, spec_y)`` or ``(spec_x, spec_y, spec_z)``),
            each ``"auto"``, a bool, a mask or indices.

        Returns
        -------
        float
            The estimate (clipped at 0 when ``clip=True``).

        Examples
        --------
        >>> import numpy as np
        >>> from mifs import KSGEstimator
        >>> rng = np.random.default_rng(0)
        >>> z = rng.standard_normal(3000)
        >>> x = z + 0.5 * rng.standard_normal(3000)
        >>> y = z + 0.5 * rng.standard_normal(3000)
        >>> est = KSGEstimator(n_neighbors=5, random_state=0)
        >>> round(est.estimate(x, y), 2)            # truth 0.51
        0.52
        >>> round(est.estimate(x, y, z), 2)         # truth 0: independent given z
        0.0
        """
        self._validate_params()
        variables = [x, y] if z is None else [x, y, z]
        specs = discrete if isinstance(discrete, tuple) else (discrete,) * len(variables)
        if len(specs) != len(variables):
            raise ValueError(
                f"discrete has {len(specs)} entries but {len(variables)} variables were given."
            )
        data, groups = prepare_variables(self, variables, specs)
        value = data.sets(*groups)
        return max(float(value), 0.0) if self.clip else float(value)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
