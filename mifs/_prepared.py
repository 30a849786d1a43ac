"""The prepared data: the one way from a user's table to the kernels.

How data flows
--------------

::

    user table (numpy, pandas, any array-like; labels, numbers, NaN)
      -> a public estimator's fit / __call__ / estimate, or a function
      -> prepare_data(estimator, X, y)                       [this module]
           validate X once (mifs._base.validate_features: one float64
             value per cell, label columns as integer codes, NaN where
             missing; the column names), the target once (class codes or
             float64 values), the estimator's parameters once;
           decide the discrete columns (mifs._base.resolve_discrete);
           draw the fit's seed once (every jitter stream and permutation
             derives from it, keyed by the column's role and position);
           count the rows each column shares with the target
      -> PreparedData                                        [this module]
           owns the variables (raw columns, not yet scaled or sorted), the
           discrete mask, the seed, the rows used, the names, the columns
           prepared so far and the scratch pool; answers relevance of many
           columns (with permutation nulls), pairs, sets and conditional
           sets, always on the rows their variables share
      -> parallel_map over contiguous blocks of columns (or candidates, or
           pairs) through joblib: threads by default, any joblib backend
           (Dask, Ray) runs the same blocks with the same results
      -> mifs._engine: a Column is a variable prepared once (scaled to
           unit variance, jittered from its own stream and sorted; or
           reduced to codes) in a worker's scratch space; mi_pair / mi_sets
           pick the kernel for the pair or the sets
      -> mifs._kernels (numba): arrays in, arrays out, no validation

The layout contract: the engine hands the kernels float64 values and int64
codes and orders, one column at a time, gathered into the worker's scratch
space; the kernels never see the caller's dtype or strides.  Results do not
depend on the blocks, on ``n_jobs`` or on the joblib backend, because every
column draws its jitter from its own stream and every permutation is
regenerated from its own stream wherever it is needed.

Every public path goes through :func:`prepare_data`: ``KSGEstimator.fit``,
``__call__`` and ``estimate``; ``MIRanker``; ``MRMRSelector``;
``pairwise_mutual_information``; and, through them, the command line.
``InfoGainSplitter`` keeps its own validation (a class target, weights, no
missing values) and shares :func:`parallel_map`.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from mifs._base import (
    AUTO_MAX_LEVELS,
    Features,
    Target,
    all_finite,
    check_n_neighbors,
    resolve_discrete,
    user_stacklevel,
    validate_features,
    validate_target,
)
from mifs._engine import (
    CONDITION,
    FEATURE,
    TARGET,
    Column,
    Pool,
    Variable,
    WorkspacePool,
    make_variable,
    mi_pair,
    mi_sets,
    permutation,
    permuted,
    prepare,
    shared_rows,
)

# ------------------------------------------------------------ parallel map


def n_workers(n_jobs) -> int:
    """Workers joblib would use for ``n_jobs`` (inside any parallel_config)."""
    return max(1, effective_n_jobs(n_jobs))


def parallel_map(
    fn: Callable,
    items,
    *,
    n_jobs=None,
    n_blocks: int | None = None,
    parallel: Parallel | None = None,
    progress: Callable[[int], None] | None = None,
) -> list:
    """``[fn(block) for block in blocks of items]``, the blocks run in parallel.

    ``items`` (an int ``n`` for ``range(n)``, or an index array) is cut into
    ``n_blocks`` contiguous blocks (default: four per worker, so a slow block
    does not hold the others up), each dispatched through joblib (threads
    by default: the kernels release the GIL; any joblib backend, such as
    Dask's, receives the same blocks).  ``parallel`` reuses an open
    :class:`joblib.Parallel` (one thread pool for the many maps of a greedy
    selection).  ``progress(n_done)`` is called as blocks finish, with the
    number of items done.  The results come back in the order of the blocks.
    """
    items = np.arange(items) if np.ndim(items) == 0 else np.asarray(items)
    if items.size == 0:
        return []
    if n_blocks is None:
        n_blocks = 4 * n_workers(n_jobs)
    blocks = np.array_split(items, min(items.size, max(1, n_blocks)))
    if parallel is None:
        parallel = Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator" if progress else "list")
    results = parallel(delayed(fn)(block) for block in blocks)
    if progress is None:
        return list(results)
    out, done = [], 0
    for block, result in zip(blocks, results):
        out.append(result)
        done += block.size
        progress(done)
    return out


# ------------------------------------------------------------ helpers


def draw_seed(random_state) -> int:
    """One integer seed from ``random_state`` (int, RandomState or None)."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def usable_rows(features: Features, target: Target | None, n_neighbors: int) -> np.ndarray:
    """Per column, the rows where it and the target are both present; a
    ``ValueError`` names the first column with fewer than ``n_neighbors + 1``."""
    values = features.values
    has_gaps = target is not None and target.present is not None
    if not has_gaps and (values.dtype.kind != "f" or all_finite(values)):
        return np.full(features.n_features, features.n_samples, dtype=np.int64)  # nothing is missing
    used = np.empty(features.n_features, dtype=np.int64)
    for j in range(features.n_features):
        present = ~np.isnan(values[:, j]) if values.dtype.kind == "f" else np.ones(values.shape[0], bool)
        if has_gaps:
            present &= target.present
        used[j] = present.sum()
    short = np.flatnonzero(used < n_neighbors + 1)
    if short.size:
        j = int(short[0])
        partner = "and y are both" if target is not None else "is"
        raise ValueError(
            f"Column {features.names[j]} of X {partner} present in only {used[j]} rows; "
            f"n_neighbors={n_neighbors} needs at least {n_neighbors + 1}."
        )
    return used


class AnonymousOwner(BaseEstimator):
    """Stands in for the owner when validating data that belongs to no
    estimator (the variables of ``estimate``, a function's input)."""


# ------------------------------------------------------------ the prepared data


class PreparedData:
    """Validated data of one fit in the engine's layout, and the estimates on it.

    Built by :func:`prepare_data`.  Variables ``0 .. n_features - 1`` are
    the columns of X; the target, when there is one, is variable
    ``target_index``.  Columns are prepared (scaled, jittered, sorted, or
    coded) when first needed; :meth:`prepare_all` prepares every complete
    one in parallel and keeps it, for the greedy selections that reuse
    them at every step.

    Attributes
    ----------
    features : Features or None
        The validated X (``None`` for :func:`prepare_variables`).
    target : Target or None
    discrete : ndarray of bool
        Per variable (features, then the target).
    seed : int
        The fit's seed.
    n_neighbors, algorithm, jitter, n_jobs
        The estimator's settings.
    used : ndarray of int or None
        Rows each feature shares with the target.
    """

    def __init__(
        self,
        variables: list[Variable],
        names: list[str],
        *,
        n_neighbors: int,
        algorithm: int,
        jitter: float,
        seed: int,
        n_jobs,
        features: Features | None = None,
        target: Target | None = None,
        discrete_features: np.ndarray | None = None,
        used: np.ndarray | None = None,
    ):
        self.variables = variables
        self.features = features
        self.target = target
        self.discrete_features = discrete_features
        self.used = used
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.jitter = jitter
        self.seed = seed
        self.n_jobs = n_jobs
        self.pool = Pool(variables, jitter, seed, n_neighbors, names)
        self.scratch = WorkspacePool()

    # -- shape

    @property
    def n_features(self) -> int:
        return 0 if self.features is None else self.features.n_features

    @property
    def n_samples(self) -> int:
        return self.variables[0].raw.shape[0]

    @property
    def target_index(self) -> int:
        return self.n_features

    # -- columns

    def columns(self, *items) -> tuple[list[Column], int]:
        """Prepared columns of ``items`` (variable indices, or ``(index, perm)``
        pairs) on the rows they share, and the number of those rows."""
        return self.pool.columns(*items)

    def prepare_all(self, parallel: Parallel | None = None) -> None:
        """Prepare every variable without missing values once, in parallel,
        and keep it for the estimates to come."""
        pool = self.pool

        def block(idx):
            return [(int(i), pool.full(int(i))) for i in idx if pool.variables[i].present is None]

        for part in parallel_map(block, len(self.variables), n_jobs=self.n_jobs, parallel=parallel):
            for i, col in part:
                pool.set_full(i, col)

    # -- estimates

    def pair(self, a, b) -> float:
        """Raw I(a; b) of two variables (indices or ``(index, perm)``)."""
        (ca, cb), _ = self.columns(a, b)
        return mi_pair(ca, cb, self.n_neighbors, self.algorithm)

    def sets(self, x: Sequence, y: Sequence, z: Sequence | None = None) -> float:
        """Raw I(X; Y), or I(X; Y | Z), of sets of variables on their shared rows."""
        z = list(z or [])
        cols, _ = self.columns(*x, *y, *z)
        cx, cy, cz = cols[: len(x)], cols[len(x) : len(x) + len(y)], cols[len(x) + len(y) :]
        return mi_sets(cx, cy, cz or None, self.n_neighbors, self.algorithm)

    def relevance(
        self,
        columns=None,
        *,
        n_permutations: int = 0,
        perm: np.ndarray | None = None,
        progress=None,
        parallel: Parallel | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw I(X_j; y) for ``columns`` (default all), in parallel, with a
        permutation null.

        Returns the raw estimates, the estimates under ``n_permutations``
        permutations of the target (rows: columns) and the number of
        distinct values of each column.  Each worker prepares its columns in
        its own scratch space (O(n) memory per worker), and the target once
        for the whole fit; a column with missing values is estimated on the
        rows where it and the target are present.  ``progress(n_done)`` is
        called as blocks of columns finish.  With ``perm``, the columns'
        rows are permuted first (``new[i] = old[perm[i]]``, missing pattern
        included) and the target is not: the null of a greedy selection's
        stopping rule.
        """
        columns = np.arange(self.n_features) if columns is None else np.asarray(columns)
        if columns.size == 0:
            return np.zeros(0), np.zeros((0, n_permutations)), np.zeros(0, np.int64)
        target = self.variables[self.target_index]
        target_full = prepare(target, self.jitter, self.seed) if target.present is None else None
        n_blocks = 4 * n_workers(self.n_jobs) if progress is None else max(4 * n_workers(self.n_jobs), 50)

        def block(idx):
            if perm is not None:
                return self._permuted_relevance_block(idx, perm)
            return self._relevance_block(idx, target, target_full, n_permutations)

        parts = parallel_map(block, columns, n_jobs=self.n_jobs, n_blocks=n_blocks, parallel=parallel, progress=progress)
        return tuple(np.concatenate([part[i] for part in parts]) for i in range(3))

    def _relevance_block(self, idx, target: Variable, target_full: Column | None, n_permutations: int):
        m = idx.size
        mi = np.empty(m)
        null = np.empty((m, n_permutations))
        levels = np.empty(m, np.int64)
        ws, target_ws = self.scratch.acquire(), self.scratch.acquire()  # reused from column to column
        try:
            for b, j in enumerate(idx):
                var = self.variables[j]
                kept = self.pool._full[j]
                rows = shared_rows(var, target)
                col = kept if kept is not None and rows is None else prepare(var, self.jitter, self.seed, rows, ws)
                tcol = target_full if rows is None else prepare(target, self.jitter, self.seed, rows, target_ws)
                mi[b] = mi_pair(col, tcol, self.n_neighbors, self.algorithm, ws)
                n_used = tcol.codes.shape[0]
                for t in range(n_permutations):
                    perm = permutation(self.seed, t, n_used)
                    null[b, t] = mi_pair(col, permuted(tcol, perm), self.n_neighbors, self.algorithm, ws)
                levels[b] = col.n_codes
        finally:
            self.scratch.release(ws)
            self.scratch.release(target_ws)
        return mi, null, levels

    def _permuted_relevance_block(self, idx, perm: np.ndarray):
        mi = np.empty(idx.size)
        levels = np.empty(idx.size, np.int64)
        ws = self.scratch.acquire()
        try:
            for b, j in enumerate(idx):
                (col, y), _ = self.columns((int(j), perm), self.target_index)
                mi[b] = mi_pair(col, y, self.n_neighbors, self.algorithm, ws)
                levels[b] = col.n_codes
        finally:
            self.scratch.release(ws)
        return mi, np.empty((idx.size, 0)), levels

    def warn_many_levels(self, levels: np.ndarray) -> None:
        """Warn about discrete columns with so many levels that their plug-in
        MI is meaningless (``levels``: distinct values per column)."""
        n = self.n_samples
        for j, n_levels in enumerate(levels):
            if self.discrete_features[j] and n_levels > max(AUTO_MAX_LEVELS, n // 2):
                warnings.warn(
                    f"Column {self.features.names[j]} of X is treated as discrete but has {n_levels} distinct "
                    f"values in {n} samples: its plug-in mutual information is biased towards H(y). If it is "
                    "a continuous quantity, mark it continuous with discrete_features; if it is an identifier, "
                    "leave it out.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )


# ------------------------------------------------------------ any estimator


class ProtocolData:
    """The estimates of :class:`PreparedData` from any estimator with the
    protocol: ``est(X, y)`` (or ``fit(X, y)`` setting ``mi_``) for the
    relevance of every column, and ``est.estimate(x, y, z=None)`` for pairs,
    sets and conditional sets.  X is validated once; each estimate hands
    the estimator plain float arrays of the columns it needs (labels as
    codes), with the discrete specification of each variable."""

    def __init__(self, estimator, X, y, *, owner, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.features = validate_features(owner, X, reset=True, allow_nan=False)
        self.X_input = X
        self.y = np.asarray(y)
        own_jobs, own_seed = getattr(estimator, "n_jobs", None), getattr(estimator, "random_state", None)
        self.n_jobs = n_jobs if own_jobs is None else own_jobs
        self.seed = draw_seed(random_state if own_seed is None else own_seed)
        spec = getattr(estimator, "discrete_features", "auto")
        self.discrete_features = resolve_discrete("auto" if spec is None else spec, self.features)
        self.target = None
        self.used = None

    @property
    def n_features(self) -> int:
        return self.features.n_features

    @property
    def n_samples(self) -> int:
        return self.features.n_samples

    @property
    def target_index(self) -> int:
        return self.n_features

    def prepare_all(self, parallel=None) -> None:
        """Nothing to prepare: the estimator prepares its own variables."""

    def warn_many_levels(self, levels) -> None:
        """Nothing to warn about: levels are the estimator's business."""

    def _column(self, item) -> np.ndarray:
        j, perm = (item, None) if isinstance(item, (int, np.integer)) else item
        col = self.y if j == self.target_index else self.features.values[:, j]
        return col if perm is None else col[perm]

    def _variable(self, items) -> tuple[np.ndarray, object]:
        """The array of a variable (target alone, or feature columns) and its
        discrete specification."""
        keys = [(i, None) if isinstance(i, (int, np.integer)) else i for i in items]
        if any(j == self.target_index for j, _ in keys):
            if len(keys) != 1:
                raise ValueError("the target enters a set alone")
            return self._column(items[0]), "auto"
        mask = np.array([self.discrete_features[j] for j, _ in keys])
        return np.column_stack([self._column(i) for i in items]), mask

    def sets(self, x, y, z=None) -> float:
        groups = [list(x), list(y)] + ([list(z)] if z else [])
        arrays, specs = zip(*(self._variable(g) for g in groups))
        return float(self.estimator.estimate(*arrays, discrete=tuple(specs)))

    def pair(self, a, b) -> float:
        return self.sets([a], [b])

    def relevance(self, columns=None, *, n_permutations=0, perm=None, progress=None, parallel=None):
        if perm is None:
            score = self.estimator if callable(self.estimator) else None
            if score is None:
                fitted = copy.deepcopy(self.estimator).fit(self.X_input, self.y)
                if not hasattr(fitted, "mi_"):
                    raise TypeError(
                        f"{type(self.estimator).__name__} does not follow the estimator protocol: fit(X, y) must "
                        "set mi_ (one score per column), or the object must be callable as est(X, y)."
                    )
                raw = np.asarray(fitted.mi_, dtype=np.float64)
            else:
                raw = np.asarray(score(self.X_input, self.y), dtype=np.float64)
        else:
            raw = np.array([self.pair((j, perm), self.target_index) for j in range(self.n_features)])
        return raw, np.empty((raw.size, 0)), np.zeros(raw.size, np.int64)


# ------------------------------------------------------------ building it


def prepare_data(
    estimator, X, y=None, *, owner=None, reset: bool = True, target: bool = True, validate: bool = True
) -> PreparedData:
    """Validate ``X`` (and ``y``) once and prepare them for ``estimator``'s settings.

    ``estimator`` supplies ``n_neighbors``, ``algorithm``, ``jitter``,
    ``discrete_features``, ``discrete_target``, ``missing_values``,
    ``random_state`` and ``n_jobs`` (a :class:`~mifs.KSGEstimator`, whose
    parameters are validated here).  ``owner`` records ``n_features_in_``
    and ``feature_names_in_`` (default: ``estimator``).  With
    ``target=False`` there is no ``y`` (the feature-feature matrix).
    ``validate=False`` skips the parameter check (``fit`` has done it).
    """
    if validate and hasattr(estimator, "_validate_params"):
        estimator._validate_params()
    pairwise = estimator.missing_values == "pairwise"
    features = validate_features(estimator if owner is None else owner, X, reset=reset, allow_nan=pairwise)
    k = estimator.n_neighbors
    check_n_neighbors(k, features.n_samples)
    tgt = validate_target(y, features.n_samples, estimator.discrete_target, pairwise) if target else None
    used = usable_rows(features, tgt, k) if tgt is not None else None
    mask = resolve_discrete(estimator.discrete_features, features)
    seed = draw_seed(estimator.random_state)
    variables = [make_variable(features.values[:, j], bool(mask[j]), FEATURE, j) for j in range(features.n_features)]
    names = [f"column {nm} of X" for nm in features.names]
    if tgt is not None:
        raw = tgt.values
        if tgt.discrete and tgt.present is not None:
            raw = np.where(tgt.present, raw, np.nan)
        variables.append(make_variable(raw, tgt.discrete, TARGET, 0))
        names.append("y")
    return PreparedData(
        variables,
        names,
        n_neighbors=k,
        algorithm=estimator.algorithm,
        jitter=estimator.jitter,
        seed=seed,
        n_jobs=estimator.n_jobs,
        features=features,
        target=tgt,
        discrete_features=mask,
        used=used,
    )


def prepare_variables(estimator, variables: Sequence, specs: Sequence) -> tuple[PreparedData, list[list[int]]]:
    """Prepared data for ``estimator.estimate(x, y, z)``: each variable (an
    array of one or more columns, or a DataFrame or Series) validated with
    its own discrete specification; returns the data and, per variable, the
    indices of its columns.  Columns of x, y and z draw their jitter from
    the streams of the roles FEATURE, TARGET and CONDITION."""
    pairwise = estimator.missing_values == "pairwise"
    blocks, names, groups = [], [], []
    n_samples = None
    for role, (name, var, spec) in zip((FEATURE, TARGET, CONDITION), zip("xyz", variables, specs)):
        arr = var
        if not hasattr(var, "iloc"):
            arr = np.asarray(var)
            if arr.ndim == 1:
                arr = arr.reshape(-1, 1)
        elif getattr(var, "ndim", 2) == 1:
            arr = var.to_frame()
        features = validate_features(AnonymousOwner(), arr, reset=True, allow_nan=pairwise)
        if n_samples is None:
            n_samples = features.n_samples
        elif features.n_samples != n_samples:
            raise ValueError(f"{name} has {features.n_samples} samples but x has {n_samples}.")
        mask = resolve_discrete(spec, features)
        start = len(blocks)
        for j in range(features.n_features):
            blocks.append(make_variable(features.values[:, j], bool(mask[j]), role, j))
            names.append(f"column {features.names[j]} of {name}")
        groups.append(list(range(start, len(blocks))))
    data = PreparedData(
        blocks,
        names,
        n_neighbors=estimator.n_neighbors,
        algorithm=estimator.algorithm,
        jitter=estimator.jitter,
        seed=draw_seed(estimator.random_state),
        n_jobs=estimator.n_jobs,
    )
    rows = shared_rows(*blocks)
    check_n_neighbors(estimator.n_neighbors, n_samples if rows is None else int(rows.sum()))
    return data, groups


def record_fit(estimator, data: PreparedData, raw: np.ndarray, owner=None) -> None:
    """Set the fitted attributes of a KSGEstimator-like ``estimator`` from
    the prepared data of its fit and the raw estimates per column; with
    ``owner`` (the selector whose data it is), also the ``n_features_in_``
    and ``feature_names_in_`` recorded on the owner, so an estimator fitted
    through a selector is as fitted as one fitted alone."""
    estimator.mi_ = np.maximum(raw, 0.0) if getattr(estimator, "clip", True) else raw
    estimator.discrete_features_ = data.discrete_features
    estimator.discrete_target_ = bool(data.target.discrete)
    estimator.n_samples_used_ = data.used
    if owner is not None and owner is not estimator:
        estimator.n_features_in_ = owner.n_features_in_
        if hasattr(owner, "feature_names_in_"):
            estimator.feature_names_in_ = owner.feature_names_in_


#: Default of a selector's parameter that has moved to its estimator.
DEPRECATED = "deprecated"


def configured_estimator(est, *, owner, moved: dict, shared: dict):
    """A validated clone of a selector's estimator, configured for the fit.

    One home for each setting: estimation settings belong to the estimator.
    ``moved`` holds the selector's parameters that moved to the estimator
    (``discrete_features``, ``missing_values``): a value other than
    :data:`DEPRECATED` still applies, with a ``FutureWarning``, for one
    release.  ``shared`` holds the settings of the whole fit that a
    meta-estimator carries, as scikit-learn's ensembles do (``random_state``,
    ``n_jobs``): each fills in the estimator's when that one is ``None``;
    an estimator's own value is never overridden (a different one on both
    warns).  The clone estimates raw (unclipped) MI; its parameters are
    validated (scikit-learn's ``InvalidParameterError`` names a bad one).
    ``None`` means a :class:`~mifs.KSGEstimator`; a plain callable is used
    as is.
    """
    from sklearn.base import clone

    name = type(owner).__name__
    if est is None:
        from mifs._ksg import KSGEstimator

        est = KSGEstimator()
    for key, value in moved.items():
        if not (isinstance(value, str) and value == DEPRECATED):
            warnings.warn(
                f"{name}({key}=...) is deprecated since mifs 0.2 and will be removed in 0.3: it is a setting of "
                f"the estimator; pass {name}(KSGEstimator({key}=...)) (in a grid search: "
                f"'{name.lower()}__estimator__{key}').",
                FutureWarning,
                stacklevel=user_stacklevel(),
            )
    if not (hasattr(est, "get_params") and hasattr(est, "set_params")):
        return copy.deepcopy(est)  # a plain callable, or an object with the protocol only
    est = clone(est)
    params = est.get_params(deep=False)
    wanted = {"clip": False}
    wanted.update({k: v for k, v in moved.items() if not (isinstance(v, str) and v == DEPRECATED)})
    for key, value in shared.items():
        if value is None or key not in params:
            continue
        own = params[key]
        if own is None:
            wanted[key] = value
        elif own != value and not (key == "random_state" and not isinstance(value, (int, np.integer))):
            warnings.warn(
                f"{name}({key}={value!r}) differs from its estimator's {key}={own!r}; the estimator's is used.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
    est.set_params(**{key: value for key, value in wanted.items() if key in params})
    if hasattr(est, "_parameter_constraints") and hasattr(est, "_validate_params"):
        est._validate_params()
    return est
