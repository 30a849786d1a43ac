"""The estimation engine behind the public estimators.

A *column* is prepared once (:func:`prepare_continuous`,
:func:`prepare_discrete`) and then enters any number of estimates:

* a continuous column is scaled to unit variance without centring, jittered
  by ``jitter * max(1, mean|x|)`` standard normal noise (as scikit-learn
  does), and sorted; the groups of exactly equal *raw* values are kept for
  Gao et al.'s tie rule;
* a discrete column is reduced to integer codes.

The jitter of a column comes from its own random stream, keyed by the
estimator's seed and the column's position, so a column gets the same noise
in every estimate it enters, whichever worker computes it, and no array of
noise for the whole matrix is ever allocated.

:func:`mi_pair` estimates I(a; b) for two single columns with the fastest
kernel for the pair (KSG in 2-D, Ross by sorting, or plug-in counts);
:func:`mi_sets` estimates I(X; Y) and I(X; Y | Z) for sets of columns, any
mix of continuous and discrete, with one KD-tree per space: discrete columns
enter as a group coordinate spaced so far apart that a neighbour is always
found within the same group (the discrete metric), which makes Ross's
estimator and Frenzel-Pompe's conditional estimator special cases of one
computation.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import digamma

from mifs._kernels import kdtree
from mifs._kernels.discrete import combine_codes, plugin_cmi, plugin_mi
from mifs._kernels.ksg import counts_in_order, ksg_1d, ksg_terms
from mifs._kernels.prep import standardize
from mifs._kernels.sorted1d import ross_mi, tie_runs


@lru_cache(maxsize=8)
def digamma_table(n: int) -> np.ndarray:
    """``psi[m]`` = digamma(m) for ``m = 1 .. n`` (``psi[0]`` is unused)."""
    psi = np.empty(n + 1)
    psi[0] = np.nan
    psi[1:] = digamma(np.arange(1, n + 1, dtype=np.float64))
    psi.setflags(write=False)
    return psi


@dataclass(frozen=True)
class Column:
    """One prepared variable.

    ``codes`` identifies exactly equal raw values (the labels of a discrete
    column, the tie groups of a continuous one) with ``n_codes`` distinct
    codes.  Continuous columns also carry ``values`` (scaled and jittered)
    and ``order`` (their argsort).
    """

    discrete: bool
    codes: np.ndarray
    n_codes: int
    values: np.ndarray | None = None
    order: np.ndarray | None = None

    @property
    def constant(self) -> bool:
        return self.n_codes == 1


#: Roles that key the random streams of the jitter.
TARGET, FEATURE, CONDITION = 0, 1, 2


def column_rng(seed: int, role: int, index: int) -> np.random.Generator:
    """The jitter stream of the ``index``-th column of a ``role`` (TARGET,
    FEATURE or CONDITION); permutation tests use role 3."""
    return np.random.default_rng([seed, role, index])


class Workspace:
    """Scratch arrays of one worker, reused from column to column.

    Fresh arrays of a million points are faulted into memory page by page
    each time they are allocated; a worker that estimates many columns of
    the same length keeps its scratch space instead.  Columns prepared in a
    workspace are views into it, valid until the next column is prepared.
    """

    def __init__(self):
        self._buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple, dtype=np.float64) -> np.ndarray:
        buf = self._buffers.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._buffers[name] = np.empty(shape, dtype)
        return buf


class WorkspacePool:
    """Workspaces lent to the tasks of one fit, so that each thread reuses
    one instead of each task allocating its own; dropped with the fit.
    Pickled (for process-based joblib backends) it starts empty."""

    def __init__(self):
        self._free: list[Workspace] = []
        self._lock = threading.Lock()

    def acquire(self) -> Workspace:
        with self._lock:
            return self._free.pop() if self._free else Workspace()

    def release(self, ws: Workspace) -> None:
        with self._lock:
            self._free.append(ws)

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self.__init__()


def _scratch(ws: Workspace | None, name: str, shape: tuple, dtype=np.float64) -> np.ndarray:
    return np.empty(shape, dtype) if ws is None else ws.get(name, shape, dtype)


def prepare_continuous(
    raw: np.ndarray, jitter: float, rng: np.random.Generator | None, ws: Workspace | None = None
) -> Column:
    """Scale ``raw`` to unit variance (no centring), jitter it and sort it.

    ``raw`` is not modified.  A constant column is returned unjittered.
    One sort serves both the estimates and the groups of equal raw values:
    the jitter only swaps raw values closer than itself, which
    :func:`tie_runs` repairs in linear time (with a real sort of the raw
    values when there are too many such swaps).
    """
    raw = np.asarray(raw)
    if raw.dtype != np.float64:
        raw = raw.astype(np.float64)
    n = raw.shape[0]
    scaled = _scratch(ws, "scaled", (n,))
    constant, mean_abs = standardize(raw, scaled)
    if constant:
        return Column(discrete=False, codes=np.zeros(n, np.int64), n_codes=1, values=scaled, order=np.arange(n))
    if jitter > 0:
        x = _scratch(ws, "jittered", (n,))
        rng.standard_normal(out=x)
        x *= jitter * max(1.0, mean_abs)
        x += scaled
    else:
        x = scaled
    order = np.argsort(x)
    codes = _scratch(ws, "codes", (n,), np.int64)
    vals = _scratch(ws, "tie_vals", (n,))
    srt = _scratch(ws, "tie_order", (n,), np.int64)
    # ties are exact equality of the raw values, not of the scaled ones: in a
    # column spanning 600 decades the scaling underflows the smallest values
    n_codes = tie_runs(raw, order, vals, srt, codes)
    if n_codes < 0:  # the jitter reordered too many raw values: sort them
        n_codes = tie_runs(raw, np.argsort(raw), vals, srt, codes)
    return Column(discrete=False, codes=codes, n_codes=n_codes, values=x, order=order)


def prepare_discrete(raw: np.ndarray) -> Column:
    """Integer codes of the distinct values of ``raw``."""
    uniques, codes = np.unique(raw, return_inverse=True)
    return Column(discrete=True, codes=codes.astype(np.int64), n_codes=len(uniques))


def permuted(col: Column, perm: np.ndarray) -> Column:
    """``col`` with its samples reordered by ``perm`` (``new[i] = old[perm[i]]``),
    without sorting again: the sort order is carried through the permutation."""
    if col.discrete:
        return Column(discrete=True, codes=col.codes[perm], n_codes=col.n_codes)
    inverse = np.empty_like(perm)
    inverse[perm] = np.arange(perm.shape[0])
    return Column(
        discrete=False,
        codes=col.codes[perm],
        n_codes=col.n_codes,
        values=col.values[perm],
        order=inverse[col.order],
    )


def permutation(seed: int, index: int, n: int) -> np.ndarray:
    """The ``index``-th permutation of a permutation test, the same in every worker."""
    return np.random.default_rng([seed, 3, index]).permutation(n)


@dataclass(frozen=True)
class Variable:
    """A variable before preparation: its raw values (NaN where missing),
    whether it is discrete, and the key ``(role, index)`` of its jitter
    stream.  ``present`` marks the rows with a value (``None``: all)."""

    raw: np.ndarray
    discrete: bool
    role: int
    index: int
    present: np.ndarray | None = None


def make_variable(raw: np.ndarray, discrete: bool, role: int, index: int) -> Variable:
    raw = np.asarray(raw)
    present = None
    if raw.dtype.kind == "f":
        missing = np.isnan(raw)
        if missing.any():
            present = ~missing
    return Variable(raw=raw, discrete=discrete, role=role, index=index, present=present)


def prepare(
    var: Variable, jitter: float, seed: int, rows: np.ndarray | None = None, ws: Workspace | None = None
) -> Column:
    """Prepare ``var`` on all its rows, or on the rows of the mask ``rows``.

    A variable keeps its jitter stream whatever the rows: the estimate on a
    subset of rows equals the estimate on the data filtered to those rows.
    """
    raw = var.raw if rows is None else var.raw[rows]
    if var.discrete:
        return prepare_discrete(raw)
    return prepare_continuous(raw, jitter, column_rng(seed, var.role, var.index), ws)


def shared_rows(*variables: Variable) -> np.ndarray | None:
    """Rows where every one of ``variables`` is present (``None``: all rows)."""
    rows = None
    for var in variables:
        if var.present is not None:
            rows = var.present.copy() if rows is None else rows & var.present
    return rows


class Pool:
    """Variables prepared once on all rows and kept; when values are missing,
    each estimate re-prepares its variables on the rows they share.

    ``perm`` arguments permute a variable's rows (``new[i] = old[perm[i]]``),
    missing pattern included, for permutation tests.
    """

    def __init__(
        self, variables: list[Variable], jitter: float, seed: int, n_neighbors: int, names: list[str] | None = None
    ):
        self.variables = variables
        self.jitter = jitter
        self.seed = seed
        self.n_neighbors = n_neighbors
        self.names = names if names is not None else [str(i) for i in range(len(variables))]
        self._full: list[Column | None] = [None] * len(variables)

    def set_full(self, i: int, col: Column) -> None:
        self._full[i] = col

    def variable(self, i: int, perm: np.ndarray | None = None) -> Variable:
        var = self.variables[i]
        if perm is None:
            return var
        return make_variable(var.raw[perm], var.discrete, var.role, var.index)

    def full(self, i: int) -> Column:
        col = self._full[i]
        if col is None:
            col = self._full[i] = prepare(self.variables[i], self.jitter, self.seed)
        return col

    def columns(self, *items) -> tuple[list[Column], int]:
        """Prepared columns of ``items`` (indices, or ``(index, perm)`` pairs)
        on the rows they share, and the number of those rows."""
        keys = [(item, None) if isinstance(item, (int, np.integer)) else item for item in items]
        variables = [self.variable(i, perm) for i, perm in keys]
        rows = shared_rows(*variables)
        if rows is None:
            cols = [self.full(i) if perm is None else permuted(self.full(i), perm) for i, perm in keys]
            return cols, cols[0].codes.shape[0]
        n_rows = int(rows.sum())
        if n_rows < self.n_neighbors + 1:
            names = ", ".join(self.names[i] for i, _ in keys)
            raise ValueError(
                f"{names} are all present in only {n_rows} rows; n_neighbors={self.n_neighbors} "
                f"needs at least {self.n_neighbors + 1}."
            )
        return [prepare(v, self.jitter, self.seed, rows) for v in variables], n_rows


def mi_pair(a: Column, b: Column, n_neighbors: int, algorithm: int, ws: Workspace | None = None) -> float:
    """Raw (unclipped) estimate of I(a; b) in nats for two single columns;
    ``ws`` supplies scratch space."""
    if a.constant or b.constant:
        return 0.0
    n = a.codes.shape[0]
    if a.discrete and b.discrete:
        return plugin_mi(a.codes, a.n_codes, b.codes, b.n_codes)
    psi = digamma_table(n)
    if a.discrete or b.discrete:
        c, d = (b, a) if a.discrete else (a, b)
        return ross_mi(
            c.values, c.order, d.codes, d.n_codes, c.codes, c.n_codes, n_neighbors, psi,
            _scratch(ws, "ross_f", (3, n)), _scratch(ws, "ross_i", (5, n), np.int64),
        )
    return ksg_1d(
        a.values, a.order, b.values, b.order, a.codes, a.n_codes, b.codes, b.n_codes,
        n_neighbors, algorithm, psi, kdtree.n_nodes_for(n),
    )


def _group_sizes(codes: np.ndarray, n_codes: int) -> np.ndarray:
    return np.bincount(codes, minlength=n_codes)[codes]


class _Space:
    """A product of columns restricted to the kept points: its continuous
    coordinates, the codes of its discrete part and of exact raw equality."""

    def __init__(self, columns: list[Column], keep: np.ndarray | None):
        self.continuous = [c for c in columns if not c.discrete]
        sel = slice(None) if keep is None else keep
        self.values = [c.values[sel] for c in self.continuous]
        self.orders = None if keep is not None else [c.order for c in self.continuous]
        discrete = [c.codes[sel] for c in columns if c.discrete]
        self.group, self.n_group = combine_codes(discrete) if discrete else (None, 1)
        self.columns = columns
        self.keep = keep

    def duplicates(self) -> np.ndarray:
        """How many other points have exactly the same raw values in this space."""
        n = self.values[0].shape[0] if self.values else self.group.shape[0]
        if any(c.n_codes == c.codes.shape[0] for c in self.continuous):
            return np.zeros(n, np.int64)  # a tie-free column: no exact duplicates
        sel = slice(None) if self.keep is None else self.keep
        codes, n_codes = combine_codes([c.codes[sel] for c in self.columns])
        return _group_sizes(codes, n_codes) - 1

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """Coordinates for a KD-tree, with the discrete part as one widely
        spaced coordinate, and the per-coordinate sort orders."""
        cols = list(self.values)
        orders = list(self.orders) if self.orders is not None else [np.argsort(v) for v in cols]
        if self.group is not None:
            span = max((float(v.max() - v.min()) for v in cols), default=0.0)
            spacing = 2.0 ** np.ceil(np.log2(2.0 * span + 2.0))
            cols.append(self.group * spacing)
            orders.append(np.argsort(self.group, kind="stable"))
        pts = np.ascontiguousarray(np.column_stack(cols))
        return pts, np.ascontiguousarray(np.vstack(orders))

    def counts(self, radius: np.ndarray, inclusive: bool) -> np.ndarray:
        """Points of this space within ``radius`` of each point, itself included."""
        if not self.values:
            return _group_sizes(self.group, self.n_group)
        if len(self.values) == 1 and self.group is None:
            order = self.orders[0] if self.orders is not None else np.argsort(self.values[0])
            return counts_in_order(self.values[0], order, radius, inclusive)
        pts, orders = self.points()
        tree = kdtree.build(pts, orders, kdtree.n_nodes_for(pts.shape[0]))
        return kdtree.count_within(tree, radius, inclusive)


def mi_sets(
    x: list[Column], y: list[Column], z: list[Column] | None, n_neighbors: int, algorithm: int = 1
) -> float:
    """Raw estimate of I(X; Y) or, with ``z``, I(X; Y | Z), in nats.

    All-discrete problems use plug-in counts.  Otherwise the k-NN radius is
    taken in the joint space (neighbours restricted to the same discrete
    group; ``k`` lowered to the group size minus one and points alone in
    their group left out, as in Ross 2014 and scikit-learn) and the
    marginal counts give KSG algorithm 1 (or 2, for purely continuous
    I(X; Y)) and the Frenzel-Pompe estimator for I(X; Y | Z).
    """
    z = z or []
    all_cols = x + y + z
    if any(c.constant for c in x + y):
        return 0.0
    if all(c.discrete for c in all_cols):
        cx, ncx = combine_codes([c.codes for c in x])
        cy, ncy = combine_codes([c.codes for c in y])
        if not z:
            return plugin_mi(cx, ncx, cy, ncy)
        cz, ncz = combine_codes([c.codes for c in z])
        return plugin_cmi(cx, ncx, cy, ncy, cz, ncz)
    n = all_cols[0].codes.shape[0]
    discrete = [c.codes for c in all_cols if c.discrete]
    keep = None
    if discrete:
        joint_group, n_joint = combine_codes(discrete)
        size = _group_sizes(joint_group, n_joint)
        if (size < 2).any():
            keep = np.flatnonzero(size >= 2)
            size = size[keep]
            if keep.size < 2:
                return 0.0
        kvec = np.minimum(n_neighbors, size - 1).astype(np.int64)
    else:
        kvec = np.full(n, n_neighbors, np.int64)
    joint = _Space(all_cols, keep)
    m = joint.values[0].shape[0]
    psi = digamma_table(n)
    pure = not z and not any(c.discrete for c in all_cols)
    alg2 = algorithm == 2 and pure
    pts, orders = joint.points()
    tree = kdtree.build(pts, orders, kdtree.n_nodes_for(m))
    dx = sum(1 for c in x if not c.discrete)
    blocks = np.array([0, dx, pts.shape[1]] if alg2 else [0, pts.shape[1]], np.int64)
    rho, extent = kdtree.knn_distance(tree, kvec, blocks)
    if z:
        plus_spaces = [z]
        minus_spaces = [x + z, y + z]
    else:
        plus_spaces = []
        minus_spaces = [x, y]
    spaces_plus = [_Space(cols, keep) for cols in plus_spaces]
    spaces_minus = [_Space(cols, keep) for cols in minus_spaces]
    if alg2:
        minus_counts = np.column_stack(
            [s.counts(np.ascontiguousarray(extent[:, b]), True) - 1 for b, s in enumerate(spaces_minus)]
        )
    else:
        minus_counts = np.column_stack([s.counts(rho, False) for s in spaces_minus])
    plus_counts = (
        np.column_stack([s.counts(rho, False) for s in spaces_plus])
        if spaces_plus
        else np.zeros((m, 0), np.int64)
    )
    dup_joint = joint.duplicates()
    gao = dup_joint >= kvec
    if gao.any():
        plus_dups = (
            np.column_stack([s.duplicates() for s in spaces_plus]) if spaces_plus else np.zeros((m, 0), np.int64)
        )
        minus_dups = np.column_stack([s.duplicates() for s in spaces_minus])
    else:
        plus_dups = np.zeros((m, len(spaces_plus)), np.int64)
        minus_dups = np.zeros((m, len(spaces_minus)), np.int64)
    mean_terms = ksg_terms(kvec, dup_joint, plus_counts, plus_dups, minus_counts, minus_dups, psi)
    if alg2:
        mean_terms -= np.mean(np.where(gao, 0.0, 1.0 / kvec))
    return (0.0 if z else psi[m]) + mean_terms
