"""Input validation shared by the public estimators.

Validation happens once, here, at the public boundary.  It produces plain
arrays in the layout the kernels want and raises a clear error naming the
parameter or column for anything the estimators cannot handle.  Inputs are
never modified: a float64 numpy array is used as it is (read only), anything
else is converted into a new array.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import check_array, validate_data

#: Under ``"auto"``, a numeric column of whole numbers with at most this many
#: distinct values (and enough rows per value) is a column of labels.
AUTO_MAX_LEVELS = 20
#: ... when its values have on average at least this many rows each.
AUTO_ROWS_PER_LEVEL = 3


@dataclass(frozen=True)
class Features:
    """A validated feature matrix.

    Attributes
    ----------
    values : ndarray of shape (n_samples, n_features)
        Numeric values; columns of labels (strings, categories) hold integer
        codes.  May be the caller's own array (never written to).
    kinds : tuple of str
        Per column: ``"bool"``, ``"int"``, ``"float"`` or ``"label"``
        (strings, objects and pandas categoricals).
    names : tuple of str
        Per column, the name used in messages: ``"'age'"`` for a DataFrame
        column, ``"3"`` otherwise.
    columns : ndarray of str or None
        The DataFrame's column names (``None`` for other input).
    """

    values: np.ndarray
    kinds: tuple
    names: tuple
    columns: np.ndarray | None = None

    @property
    def n_samples(self) -> int:
        return self.values.shape[0]

    @property
    def n_features(self) -> int:
        return self.values.shape[1]


@dataclass(frozen=True)
class Target:
    """A validated target: class codes or continuous values."""

    discrete: bool
    values: np.ndarray  # int64 codes 0..n_classes-1 (-1 where missing), or float64 values (NaN where missing)
    classes: np.ndarray | None
    present: np.ndarray | None = None  # rows where y is present; None when none is missing

    @property
    def n_classes(self) -> int:
        return 0 if self.classes is None else len(self.classes)


def _is_pandas_df(X) -> bool:
    return hasattr(X, "iloc") and hasattr(X, "dtypes") and hasattr(X, "columns")


def _is_missing(values: np.ndarray) -> np.ndarray:
    """Missing entries (None, NaN, pandas.NA) of an object array."""
    try:
        import pandas as pd
    except ImportError:
        return np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in values], dtype=bool)
    return np.asarray(pd.isna(values), dtype=bool)


def label_codes(values, what: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct labels of a 1-D array and the code of each value.

    The one label coding of the package: codes are int64 ``0 .. m - 1`` in
    the sorted order of the labels (as :func:`numpy.unique` sorts them).
    Labels that cannot be compared with each other raise a ``TypeError``
    naming ``what``.
    """
    try:
        classes, codes = np.unique(values, return_inverse=True)
    except TypeError as exc:
        raise TypeError(
            f"{what} holds values that cannot be compared as labels: argument must be a string or a number ({exc})."
        ) from None
    return classes, codes.reshape(-1).astype(np.int64, copy=False)


def _label_codes(values: np.ndarray, what: str, allow_missing: bool = False) -> np.ndarray:
    """Codes of a column of labels (sorted order of the labels), as floats;
    missing values (None, NaN, pandas.NA) become NaN when allowed."""
    values = np.asarray(values, dtype=object)
    missing = _is_missing(values)
    if missing.any() and not allow_missing:
        raise ValueError(
            f"{what} contains missing values (None or NaN)"
            ' (remove or impute them, or pass missing_values="pairwise" to use the rows where each pair is present).'
        )
    present = values[~missing]
    _, codes = label_codes(present.astype(str) if _mixed_types(present) else present, what)
    out = np.full(values.shape[0], np.nan)
    out[~missing] = codes
    return out


def _mixed_types(values: np.ndarray) -> bool:
    types = {type(v) for v in values[: min(len(values), 1000)]}
    return len(types) > 1 and any(t is str for t in types)


def _convert_object_column(col: np.ndarray, what: str, allow_missing: bool) -> tuple[np.ndarray, str]:
    """An object column: numbers become floats, anything else label codes."""
    try:
        return np.asarray(col, dtype=np.float64), "float"
    except (TypeError, ValueError):
        return _label_codes(col, what, allow_missing), "label"


def _frame_columns(X, allow_missing: bool) -> tuple[np.ndarray, list[str], list[str]]:
    """Convert a pandas DataFrame column by column."""
    import pandas as pd

    n, p = X.shape
    names = [str(c) for c in X.columns]
    kinds: list[str] = []
    dtypes = list(X.dtypes)
    numeric = [
        pd.api.types.is_numeric_dtype(dt) and not isinstance(dt, pd.CategoricalDtype) for dt in dtypes
    ]
    out = np.empty((n, p), dtype=np.float64)
    for j, (name, dt) in enumerate(zip(names, dtypes)):
        what = f"column '{name}' of X"
        col = X.iloc[:, j]
        if isinstance(dt, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy().astype(np.float64)
            if (codes < 0).any():
                if not allow_missing:
                    raise ValueError(
                        f"{what} contains missing values"
                        ' (remove or impute them, or pass missing_values="pairwise" to use the rows where each pair'
                        " is present)."
                    )
                codes[codes < 0] = np.nan
            out[:, j] = codes
            kinds.append("label")
        elif pd.api.types.is_bool_dtype(dt):
            arr = col.to_numpy(dtype=np.float64, na_value=np.nan)
            out[:, j] = arr
            kinds.append("bool")
        elif pd.api.types.is_complex_dtype(dt):
            raise ValueError(f"Complex data not supported: {what} has dtype {dt}.")
        elif numeric[j]:
            out[:, j] = col.to_numpy(dtype=np.float64, na_value=np.nan)
            kinds.append("int" if pd.api.types.is_integer_dtype(dt) else "float")
        elif pd.api.types.is_datetime64_any_dtype(dt) or pd.api.types.is_timedelta64_dtype(dt):
            raise TypeError(f"{what} has dtype {dt}; convert it to numbers before estimating information.")
        else:
            converted, kind = _convert_object_column(col.to_numpy(dtype=object), what, allow_missing)
            out[:, j] = converted
            kinds.append(kind)
    return out, kinds, names


def validate_features(estimator, X, *, reset: bool, allow_nan: bool = False) -> Features:
    """Validate ``X`` and record or check ``n_features_in_``/``feature_names_in_``.

    Raises a ``ValueError`` naming the column for NaN or infinite values
    (unless ``allow_nan``), and for complex data; ``TypeError`` for values
    that are neither numbers nor labels.
    """
    if _is_pandas_df(X):
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        if X.shape[0] < 1:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
        if X.shape[1] < 1:
            raise ValueError(f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
        values, kinds, colnames = _frame_columns(X, allow_nan)
        names = tuple(f"'{c}'" for c in colnames)
        columns = np.asarray(colnames, dtype=object)
    else:
        arr = validate_data(
            estimator, X, reset=reset, dtype=None, ensure_all_finite=False, accept_sparse=False
        )
        if arr.dtype.kind == "c":
            raise ValueError("Complex data not supported.")
        names = tuple(str(j) for j in range(arr.shape[1]))
        columns = None
        if arr.dtype.kind == "b":
            kinds = ["bool"] * arr.shape[1]
            values = arr
        elif arr.dtype.kind in "iu":
            kinds = ["int"] * arr.shape[1]
            values = arr
        elif arr.dtype.kind == "f":
            kinds = ["float"] * arr.shape[1]
            values = arr
        else:
            values = np.empty(arr.shape, dtype=np.float64)
            kinds = []
            for j in range(arr.shape[1]):
                values[:, j], kind = _convert_object_column(arr[:, j], f"column {j} of X", allow_nan)
                kinds.append(kind)
    check_finite_columns(values, names, allow_nan=allow_nan)
    return Features(values=values, kinds=tuple(kinds), names=names, columns=columns)


def all_finite(values: np.ndarray) -> bool:
    """Quick test that a float array holds neither NaN nor infinity: its sum
    is finite.  No n-by-p temporary; ``False`` may also mean that a sum of
    values near 1e308 overflowed (callers then look closer), without a
    warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(values.sum()))


def check_finite_columns(
    values: np.ndarray, names, *, allow_nan: bool = False, needs: str = "mutual information needs finite values"
) -> None:
    """NaN is an error unless missing values are allowed; infinity always is.

    The message names the first offending column and ends with ``needs``.
    """
    if values.dtype.kind != "f" or all_finite(values):
        return
    finite = np.isfinite(values) | np.isnan(values) if allow_nan else np.isfinite(values)
    ok = finite.all(axis=0)
    if ok.all():
        return
    j = int(np.flatnonzero(~ok)[0])
    col = values[:, j]
    if not allow_nan and np.isnan(col).any():
        raise ValueError(
            f"Input X contains NaN in column {names[j]}; {needs} (remove or impute them, or pass "
            'missing_values="pairwise" where an estimator offers it).'
        )
    raise ValueError(f"Input X contains infinity in column {names[j]}; {needs}.")


@dataclass(frozen=True)
class TypeGuess:
    """What :func:`infer_numeric` decided about a numeric column, and why."""

    discrete: bool
    borderline: bool
    n_levels: int  # distinct values (-1: more than were counted)
    n_rows: int  # present values
    whole: bool  # all values are whole numbers

    def describe(self) -> str:
        kind = "whole-number " if self.whole else ""
        return f"{self.n_levels} distinct {kind}values in {self.n_rows} rows"


def _n_levels(col: np.ndarray, limit: int) -> int:
    """Distinct values of ``col`` (finite floats or integers), or -1 when
    there are more than ``limit``.  O(n) for whole numbers over a short
    range, else a sort; a prefix is checked first so long continuous
    columns stop early."""
    head = col[: 8 * (limit + 1)]
    if np.unique(head).size > limit:
        return -1
    if col.dtype.kind in "biu" or (col.size and np.array_equal(col, np.floor(col))):
        lo, hi = col.min(), col.max()
        if int(hi) - int(lo) < max(4 * col.size, 1 << 16):  # Python ints: no overflow near the int64 limits
            return int(np.count_nonzero(np.bincount((col - lo).astype(np.int64))))
    m = np.unique(col).size
    return m if m <= limit else -1


def infer_numeric(values: np.ndarray) -> TypeGuess:
    """Decide whether a numeric column (or target) holds labels or measurements.

    The rule, with ``m`` distinct values among ``n`` present (non-NaN) rows:

    1. ``m <= 2``: discrete (a binary column, whatever its values).
    2. Values that are not all whole numbers: continuous.
    3. ``m <= AUTO_MAX_LEVELS`` (20) and ``n >= AUTO_ROWS_PER_LEVEL * m``
       (3 rows per value on average): discrete.
    4. ``m > max(20, sqrt(n))`` or ``n < 2 m`` (most values seen once or
       twice, as measurements are): continuous.
    5. Otherwise the call is close (20 < m <= sqrt(n): a count, a score or
       an age as much as a label; or few rows per value): discrete when
       ``n >= 3 m``, continuous otherwise, and ``borderline`` is set so the
       caller warns.

    The dtype does not matter: a float column of 0/1 is discrete, an int64
    column of prices in whole dollars is continuous.
    """
    col = np.asarray(values)
    if col.dtype.kind == "b":
        return TypeGuess(True, False, 2, col.size, True)
    if col.dtype.kind == "f":
        head = col[:64]
        head = head[~np.isnan(head)]
        if not np.array_equal(head, np.floor(head)) and np.unique(head).size > 2:
            return TypeGuess(False, False, -1, int(np.count_nonzero(~np.isnan(col))), False)  # the common case
        if np.isnan(col).any():
            col = col[~np.isnan(col)]
    n = col.size
    if n == 0:
        return TypeGuess(False, False, 0, 0, True)
    limit = max(AUTO_MAX_LEVELS, int(np.sqrt(n)))
    whole = col.dtype.kind in "iu" or bool(np.array_equal(col, np.floor(col)))
    if not whole:
        m = _n_levels(col, 2)
        if m != -1:
            return TypeGuess(True, False, m, n, False)
        return TypeGuess(False, False, -1, n, False)
    m = _n_levels(col, limit)
    if m != -1 and m <= 2:
        return TypeGuess(True, False, m, n, True)
    if m != -1 and m <= AUTO_MAX_LEVELS and n >= AUTO_ROWS_PER_LEVEL * m:
        return TypeGuess(True, False, m, n, True)
    if m == -1 or n < 2 * m:
        return TypeGuess(False, False, m, n, True)
    return TypeGuess(n >= AUTO_ROWS_PER_LEVEL * m, True, m, n, True)


def user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside
    mifs and scikit-learn (the user's call), whatever the path to it."""
    import os

    sklearn_dir = os.path.dirname(os.path.dirname(os.path.abspath(check_array.__code__.co_filename)))
    skip = (os.path.dirname(os.path.abspath(__file__)), sklearn_dir)
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(skip):
        frame, level = frame.f_back, level + 1
    return level


def _warn_borderline_features(borderline, features: Features) -> None:
    parts = []
    for discrete in (True, False):
        cols = [f"{name} ({guess.describe()})" for name, guess in borderline if guess.discrete == discrete]
        if cols:
            kind = "discrete (labels)" if discrete else "continuous (measurements)"
            parts.append(f"as {kind}: column{'s' if len(cols) > 1 else ''} " + ", ".join(cols))
    warnings.warn(
        "Close calls between labels and measurements in X, decided "
        + "; ".join(parts)
        + ". To decide yourself, pass discrete_features listing the discrete columns (names, indices or a "
        "boolean mask; the columns left out are continuous).",
        UserWarning,
        stacklevel=user_stacklevel(),
    )


def _warn_borderline_target(guess: TypeGuess) -> None:
    chosen, other = ("as classes", "False") if guess.discrete else ("as continuous", "True")
    warnings.warn(
        f"y has {guess.describe()}; treated {chosen}, a close call. "
        f"Pass discrete_target={other} to treat it otherwise.",
        UserWarning,
        stacklevel=user_stacklevel(),
    )


def resolve_discrete(discrete_features, features: Features) -> np.ndarray:
    """Boolean mask of the columns to treat as discrete.

    ``"auto"``: bool and label columns (strings, objects, pandas
    categoricals) are discrete; a numeric column (of any dtype) is discrete
    when its values look like labels (:func:`infer_numeric`), and one
    ``UserWarning`` lists the columns whose type was a close call.  A bool
    applies to every column (label columns are always discrete).  An array
    is a boolean mask, column indices, or column names of a DataFrame.
    """
    p = features.n_features
    kinds = features.kinds
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise ValueError(f"discrete_features must be 'auto', a bool or an array; got {discrete_features!r}.")
        mask = np.zeros(p, dtype=bool)
        borderline = []
        for j, kind in enumerate(kinds):
            if kind in ("bool", "label"):
                mask[j] = True
            else:
                guess = infer_numeric(features.values[:, j])
                mask[j] = guess.discrete
                if guess.borderline:
                    borderline.append((features.names[j], guess))
        if borderline:
            _warn_borderline_features(borderline, features)
    elif isinstance(discrete_features, (bool, np.bool_)):
        mask = np.full(p, bool(discrete_features))
    else:
        spec = np.asarray(discrete_features)
        if spec.ndim != 1:
            raise ValueError("discrete_features must be 1-D: a boolean mask, indices or column names.")
        if spec.dtype.kind == "b":
            if spec.shape[0] != p:
                raise ValueError(
                    f"discrete_features is a boolean mask of length {spec.shape[0]} but X has {p} columns."
                )
            mask = spec.copy()
        elif spec.dtype.kind in "iu":
            if spec.size and (spec.min() < -p or spec.max() >= p):
                raise ValueError(f"discrete_features holds column indices outside [0, {p}): {spec.tolist()}.")
            mask = np.zeros(p, dtype=bool)
            mask[spec] = True
        elif spec.dtype.kind in "OU":
            if features.columns is None:
                raise ValueError("discrete_features holds column names but X has no column names.")
            lookup = {str(name): j for j, name in enumerate(features.columns)}
            unknown = [str(s) for s in spec if str(s) not in lookup]
            if unknown:
                raise ValueError(f"discrete_features names columns that X does not have: {unknown}.")
            mask = np.zeros(p, dtype=bool)
            mask[[lookup[str(s)] for s in spec]] = True
        elif spec.size == 0:
            mask = np.zeros(p, dtype=bool)
        else:
            raise ValueError(
                f"discrete_features must be 'auto', a bool, a boolean mask, indices or names; got dtype {spec.dtype}."
            )
    labels = np.array([kind == "label" for kind in kinds])
    if (labels & ~mask).any():
        j = int(np.flatnonzero(labels & ~mask)[0])
        raise ValueError(
            f"Column {features.names[j]} of X holds labels (strings or categories) and cannot be treated as "
            "continuous; mark it discrete in discrete_features."
        )
    return mask


def validate_target(y, n_samples: int, discrete_target, allow_nan: bool = False) -> Target:
    """Validate ``y`` against ``n_samples`` and decide whether it is discrete.

    ``discrete_target="auto"``: labels (strings, objects, bools) are
    classes; a numeric target is discrete when its values look like labels
    (:func:`infer_numeric`), with a ``UserWarning`` when that is a close call.
    With ``allow_nan``, missing entries (NaN, None) are allowed and marked in
    ``Target.present``; the classes and the checks use the present ones.
    """
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None: "
            "mutual information is measured against a target."
        )
    y = check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=False, input_name="y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one target); got shape {y.shape}.")
    if y.shape[0] != n_samples:
        raise ValueError(f"y has {y.shape[0]} samples but X has {n_samples}.")
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported in y.")
    if y.dtype.kind == "f":
        missing = np.isnan(y)
        if np.isinf(y).any():
            raise ValueError("Input y contains infinity.")
    elif y.dtype.kind == "O":
        missing = _is_missing(y)
    else:
        missing = np.zeros(y.shape[0], dtype=bool)
    if missing.any() and not allow_nan:
        raise ValueError(
            'Input y contains NaN (missing values); pass missing_values="pairwise" to use the rows where y is present.'
        )
    present = None if not missing.any() else ~missing
    seen = y if present is None else y[present]
    if seen.size == 0:
        raise ValueError("y has no present values.")
    if y.dtype.kind == "O":
        try:  # an object array of numbers is numbers
            y = np.asarray(np.where(missing, np.nan, y), dtype=np.float64)
            seen = y if present is None else y[present]
        except (TypeError, ValueError):
            pass
    if isinstance(discrete_target, str):
        if discrete_target != "auto":
            raise ValueError(f"discrete_target must be 'auto' or a bool; got {discrete_target!r}.")
        if seen.dtype.kind in "biuf":
            guess = infer_numeric(seen)
            discrete = guess.discrete
            if guess.borderline:
                _warn_borderline_target(guess)
        else:
            discrete = True  # strings and other labels
    else:
        discrete = bool(discrete_target)
    if discrete:
        if seen.dtype.kind == "O" and _mixed_types(seen):
            seen = seen.astype(str)
        classes, seen_codes = label_codes(seen, "y")
        if len(classes) < 2:
            raise ValueError(f"y has 1 class ({classes[0]}); at least two classes are needed.")
        codes = np.full(y.shape[0], -1, dtype=np.int64)
        codes[slice(None) if present is None else present] = seen_codes
        return Target(discrete=True, values=codes, classes=classes, present=present)
    if y.dtype.kind not in "biuf":
        raise ValueError("y holds labels, not numbers; it can only be used as a discrete target.")
    values = np.asarray(y, dtype=np.float64)
    if seen.min() == seen.max():
        raise ValueError("y is constant; mutual information with a constant target is 0 for every feature.")
    return Target(discrete=False, values=values, classes=None, present=present)


def check_n_neighbors(n_neighbors: int, n_samples: int) -> None:
    """KSG needs at least ``n_neighbors + 1`` samples."""
    if n_samples < n_neighbors + 1:
        raise ValueError(
            f"n_neighbors={n_neighbors} needs at least {n_neighbors + 1} samples; got n_samples = {n_samples}."
        )


class Progress:
    """Progress of a long fit, shown by :mod:`tqdm` (a notebook widget in
    Jupyter, a bar with rate and time left on stderr elsewhere).

    ``progress(done)`` reports the number of units done so far; the bar
    closes when ``done`` reaches ``total``.
    """

    def __init__(self, total: int, label: str = "features", stream=None):
        from tqdm.auto import tqdm

        self.total = total
        self.bar = tqdm(total=total, unit=label, file=stream, leave=True, dynamic_ncols=True, mininterval=0.2)
        self.done = 0

    def __call__(self, done: int) -> None:
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done
        if done >= self.bar.total:
            self.bar.close()
