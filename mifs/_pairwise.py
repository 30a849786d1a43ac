"""The matrix of mutual information between every pair of features."""

from __future__ import annotations

import numpy as np
from joblib import Parallel
from sklearn.base import clone

from mifs._kernels.discrete import entropy_codes
from mifs._ksg import KSGEstimator
from mifs._prepared import AnonymousOwner, parallel_map, prepare_data


def pairwise_mutual_information(X, *, estimator=None, random_state=None, n_jobs=None):
    """Mutual information between every pair of columns of X, in nats.

    Every column is prepared once (scaled, jittered and sorted, or reduced to
    codes) and the pairs are estimated in parallel with the estimator's
    settings: KSG for two continuous columns, Ross's estimator for a
    continuous and a discrete one, plug-in counts for two discrete ones.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Features; DataFrames may mix numeric, bool, string and categorical
        columns.
    estimator : KSGEstimator or None, default=None
        Supplies ``n_neighbors``, ``algorithm``, ``discrete_features``,
        ``jitter``, ``clip``, ``missing_values`` and ``random_state``;
        ``None`` means ``KSGEstimator()``.  Its parameters are validated
        (sklearn's ``InvalidParameterError`` names a bad one).  With
        ``missing_values="pairwise"`` each pair uses the rows where both
        columns are present.
    random_state : int, RandomState instance or None, default=None
        Seeds the jitter that breaks ties in continuous columns; when set it
        replaces the estimator's own ``random_state``.  With ``None`` (and an
        estimator without a seed) two calls on data with ties (rounded
        values) may differ in the last digits shown; with an int they are
        identical, whatever ``n_jobs``.
    n_jobs : int, default=None
        Parallel jobs over pairs (joblib's meaning); when set it replaces the
        estimator's own ``n_jobs``.

    Returns
    -------
    ndarray or DataFrame of shape (n_features, n_features)
        Symmetric; entry (i, j) is I(X_i; X_j).  The diagonal holds
        I(X_j; X_j) = H(X_j) (plug-in) for discrete columns and NaN for
        continuous ones, whose self-information is infinite.  A DataFrame,
        indexed by the column names on both axes, when X is a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from mifs import KSGEstimator, pairwise_mutual_information
    >>> rng = np.random.default_rng(0)
    >>> a = rng.standard_normal(2000)
    >>> X = np.column_stack([a, a + 0.5 * rng.standard_normal(2000), rng.standard_normal(2000)])
    >>> pairwise_mutual_information(X, estimator=KSGEstimator(random_state=0)).round(2)
    array([[ nan, 0.81, 0.  ],
           [0.81,  nan, 0.  ],
           [0.  , 0.  ,  nan]])

    On rounded data the jitter decides ties; a seed makes the matrix
    reproducible:

    >>> rounded = X.round(1)
    >>> first = pairwise_mutual_information(rounded, random_state=0)
    >>> again = pairwise_mutual_information(rounded, random_state=0, n_jobs=2)
    >>> np.array_equal(first, again, equal_nan=True)
    True
    """
    if estimator is not None and not isinstance(estimator, KSGEstimator):
        raise TypeError(f"estimator must be a KSGEstimator; got {type(estimator).__name__}.")
    est = clone(KSGEstimator() if estimator is None else estimator)
    if n_jobs is not None:
        est.set_params(n_jobs=n_jobs)
    if random_state is not None:
        est.set_params(random_state=random_state)
    data = prepare_data(est, X, owner=AnonymousOwner(), target=False)
    p = data.n_features
    pairs = np.array([(a, b) for a in range(p) for b in range(a + 1, p)], dtype=np.int64).reshape(-1, 2)
    out = np.full((p, p), np.nan)
    with Parallel(n_jobs=est.n_jobs, prefer="threads") as parallel:
        data.prepare_all(parallel)
        if pairs.size:

            def block(idx):
                return np.array([data.pair(int(a), int(b)) for a, b in pairs[idx]])

            values = np.concatenate(parallel_map(block, len(pairs), n_jobs=est.n_jobs, parallel=parallel))
            if est.clip:
                values = np.maximum(values, 0.0)
            out[pairs[:, 0], pairs[:, 1]] = values
            out[pairs[:, 1], pairs[:, 0]] = values
    for j in np.flatnonzero(data.discrete_features):
        (col,), _ = data.columns(int(j))
        out[j, j] = entropy_codes(col.codes, col.n_codes)
    features = data.features
    if features.columns is not None:
        import pandas as pd

        return pd.DataFrame(out, index=features.columns, columns=features.columns)
    return out
