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

Layout (issue #13): the kernels see only float64 values and int64 codes
and orders, C-contiguous and writable, so that each compiles once.  A raw
column, whatever its dtype and strides (a column of a C-ordered matrix,
int, bool, float32, read-only or memory-mapped), is gathered into that
layout in one pass when it is prepared; every O(n) array a kernel needs
besides its inputs and its result is lent from the worker's
:class:`Workspace` (one scratch buffer, laid out per estimate so that
arrays whose lifetimes do not overlap share memory).
"""

from __future__ import annotations

import mmap
import threading
import weakref
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from numba import get_num_threads
from scipy.special import digamma

from mifs._kernels import as_float64, as_int64, kdtree
from mifs._kernels.discrete import combine_codes, plugin_cmi, plugin_mi
from mifs._kernels.ksg import ksg_pair_sum, ksg_terms
from mifs._kernels.prep import standardize
from mifs._kernels.sorted1d import (
    counts_in_order,
    counts_in_order_parallel,
    group_sizes,
    joint_tie_counts,
    ross_mi,
    tie_runs,
)

#: Points from which one estimate of :func:`mi_sets` runs its neighbour
#: searches and counts on numba's threads (``parallel=None``).
PARALLEL_MIN_POINTS = 20_000


@lru_cache(maxsize=8)
def digamma_table(n: int) -> np.ndarray:
    """``psi[m]`` = digamma(m) for ``m = 1 .. n`` (``psi[0]`` is unused)."""
    psi = np.empty(n + 1)
    psi[0] = np.nan
    psi[1:] = digamma(np.arange(1, n + 1, dtype=np.float64))
    psi.setflags(write=False)
    return psi


@lru_cache(maxsize=4)
def _identity(n: int) -> np.ndarray:
    """``0 .. n - 1``: the codes of every column without ties (each value its
    own group), one array shared by all of them; never written."""
    return np.arange(n, dtype=np.int64)


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

    def scratch(self, words: int) -> np.ndarray:
        """At least ``words`` 8-byte words of scratch memory (a float64
        array) for one estimate: its contents are undefined, and its views
        are valid until the next call.

        The buffer belongs to the calling thread and is shared by every
        workspace the thread uses (one estimate runs at a time per thread),
        so a task that holds two workspaces (a column's and the target's,
        say) or a thread that gets another workspace from the pool for its
        next task does not grow a second one; it lives as long as a
        workspace that used it, so it is dropped with the fit.  It only
        grows, so a worker whose columns lose rows to missing values keeps
        it."""
        shared = _thread_scratch()
        self._shared = shared  # keeps it alive with this workspace
        if shared.buf is None or shared.buf.shape[0] < words:
            shared.buf = None  # unmapped before the larger one is mapped
            shared.layouts.clear()  # views into the old buffer
            shared.buf = _scratch_words(words)
        return shared.buf

    def layout(self, key, words: int, make):
        """``make(arena)`` for an arena of ``words`` words of :meth:`scratch`:
        the views an estimate lays out, made once per ``key`` (its kind
        and sizes) and kept while the scratch buffer is, so that a worker
        does not rebuild a dozen views for every column."""
        buf = self.scratch(words)
        layouts = self._shared.layouts
        views = layouts.get(key)
        if views is None:
            if len(layouts) >= 32:  # columns of many lengths (missing values)
                layouts.clear()
            views = layouts[key] = make(_Arena(buf))
        return views


class _ThreadScratch:
    """The scratch buffer of one thread and the views laid out in it."""

    def __init__(self):
        self.buf: np.ndarray | None = None
        self.layouts: dict = {}


_local = threading.local()


def _thread_scratch() -> _ThreadScratch:
    """This thread's scratch, while a workspace holds it (the thread itself
    keeps only a weak reference: no memory outlives the workspaces)."""
    ref = getattr(_local, "scratch", None)
    shared = ref() if ref is not None else None
    if shared is None:
        shared = _ThreadScratch()
        _local.scratch = weakref.ref(shared)
    return shared


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


#: Scratch of at least this many bytes is mapped from the system directly.
_MAPPED = 1 << 20


def _scratch_words(words: int) -> np.ndarray:
    """``words`` float64 of scratch.  A large buffer is an anonymous memory
    map, handed back to the system when it is dropped: from malloc's heap a
    freed buffer of tens of megabytes may stay resident (glibc raises its
    mmap threshold after the first such free), so that a workspace that
    outgrows its scratch, or a one-off preparation, would leave its old
    buffer in the process's memory."""
    words = max(words, 1)
    if 8 * words < _MAPPED:
        return np.empty(words)
    return np.frombuffer(mmap.mmap(-1, 8 * words), dtype=np.float64)


class _Arena:
    """Typed views at fixed word offsets of a scratch buffer.  Each
    estimate lays out its arrays explicitly, so that an array placed over
    another whose last use is past shares its memory; every view is
    C-contiguous and writable."""

    def __init__(self, buf: np.ndarray):
        self.buf = buf

    def floats(self, at: int, shape) -> np.ndarray:
        return self.buf[at : at + _size(shape)].reshape(shape)

    def ints(self, at: int, shape) -> np.ndarray:
        return self.buf[at : at + _size(shape)].view(np.int64).reshape(shape)

    def indices(self, at: int, shape) -> np.ndarray:
        """int32 (tree indices), two per word."""
        size = _size(shape)
        return self.buf[at : at + _words(4 * size)].view(np.int32)[:size].reshape(shape)

    def flags(self, at: int, n: int) -> np.ndarray:
        """``n`` booleans in ``ceil(n / 8)`` words."""
        return self.buf[at : at + _words(n)].view(np.bool_)[:n]


def _layout(ws: Workspace | None, key, words: int, make):
    """The views ``make(arena)`` of one estimate, from ``ws`` (kept there)
    or from a fresh buffer."""
    if ws is None:
        return make(_Arena(_scratch_words(words)))
    return ws.layout(key, words, make)


def _new_arena(ws: Workspace | None, words: int) -> _Arena:
    return _Arena(_scratch_words(words) if ws is None else ws.scratch(words))


def _words(n_bytes: int) -> int:
    return (n_bytes + 7) // 8


def _size(shape) -> int:
    if isinstance(shape, int):
        return shape
    size = 1
    for extent in shape:
        size *= extent
    return size


def _prepare_views(n: int, arena: _Arena) -> tuple:
    """Scratch of :func:`prepare_continuous`: the raw values as float64,
    the scaled values (then tie_runs' float scratch), two int rows."""
    return arena.floats(0, n), arena.floats(n, n), arena.ints(2 * n, n), arena.ints(3 * n, n)


def prepare_continuous(
    raw: np.ndarray, jitter: float, rng: np.random.Generator | None, ws: Workspace | None = None
) -> Column:
    """Scale ``raw`` to unit variance (no centring), jitter it and sort it.

    ``raw`` is not modified; any dtype and memory layout is first gathered
    into float64 scratch in one pass (the kernels' layout).  A constant
    column is returned unjittered.  One sort serves both the estimates and
    the groups of equal raw values: the jitter only swaps raw values closer
    than itself, which :func:`tie_runs` repairs in linear time (with a real
    sort of the raw values when there are too many such swaps).  With
    ``ws`` the column's values and codes live in the workspace (until its
    next column); a column without ties gets the codes ``0 .. n - 1``
    shared by all such columns.
    """
    raw = np.asarray(raw)
    n = raw.shape[0]
    raw64, tmp, srt, group = _layout(ws, ("prepare", n), 4 * n, partial(_prepare_views, n))
    raw64[:] = raw  # converts the dtype and gathers a strided column
    values = _scratch(ws, "values", (n,))
    scaled = tmp if jitter > 0 else values
    constant, mean_abs = standardize(raw64, scaled)
    if constant:
        if scaled is not values:
            values[:] = scaled
        return Column(discrete=False, codes=np.zeros(n, np.int64), n_codes=1, values=values, order=np.arange(n))
    if jitter > 0:
        rng.standard_normal(out=values)
        values *= jitter * max(1.0, mean_abs)
        values += scaled
    order = np.argsort(values)
    # ties are exact equality of the raw values, not of the scaled ones: in a
    # column spanning 600 decades the scaling underflows the smallest values
    # (tmp: the scaled values are not needed any more)
    n_codes = tie_runs(raw64, order, tmp, srt, group)
    if n_codes < 0:  # the jitter reordered too many raw values: sort them
        n_codes = tie_runs(raw64, np.argsort(raw64), tmp, srt, group)
    if n_codes == n:  # no ties: tie_runs numbered the values 0 .. n - 1
        codes = _identity(n)
    else:
        codes = _scratch(ws, "codes", (n,), np.int64)
        codes[:] = group
    return Column(discrete=False, codes=codes, n_codes=n_codes, values=values, order=order)


def prepare_discrete(raw: np.ndarray) -> Column:
    """Integer codes of the distinct values of ``raw``."""
    uniques, codes = np.unique(raw, return_inverse=True)
    codes = np.ascontiguousarray(codes.reshape(-1), dtype=np.int64)  # intp already: no copy
    return Column(discrete=True, codes=codes, n_codes=len(uniques))


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
    ``ws`` supplies scratch space (without it, one buffer per call)."""
    if a.constant or b.constant:
        return 0.0
    n = a.codes.shape[0]
    if a.discrete and b.discrete:
        return plugin_mi(a.codes, a.n_codes, b.codes, b.n_codes)
    psi = digamma_table(n)
    if a.discrete or b.discrete:
        c, d = (b, a) if a.discrete else (a, b)
        tie_rows = 6 if c.n_codes < n else 0  # ross_mi needs int64 rows for ties
        views = _layout(ws, ("ross", n, tie_rows), (4 + tie_rows) * n, partial(_ross_views, n, tie_rows))
        return ross_mi(
            as_float64(c.values), as_int64(c.order), as_int64(d.codes), d.n_codes, as_int64(c.codes), c.n_codes,
            n_neighbors, psi, *views,
        )
    return _ksg_pair(a, b, n_neighbors, algorithm, psi, ws)


def _ross_views(n: int, tie_rows: int, arena: _Arena) -> tuple:
    """Scratch of :func:`ross_mi`: 3n floats, 2n int32, the ties' int64 rows."""
    return arena.floats(0, (3, n)), arena.indices(3 * n, (2, n)), arena.ints(4 * n, (tie_rows, n))


_NO_BLOCKS = np.zeros(1, np.int64)  # knn_radius: the radius only
_XY_BLOCKS = np.array([0, 1, 2], np.int64)  # and the extents in x and in y
_NONE = np.zeros(0, np.int64)
_EMPTY_EXTENT = np.zeros((0, 0))  # no block: nothing is read or written


@lru_cache(maxsize=16)
def _same_k(k: int) -> np.ndarray:
    """``[k]``: the same ``k`` for every point (never written)."""
    return np.array([k], np.int64)


def _ksg_views(n: int, alg2: bool, ties: bool, arena: _Arena) -> tuple:
    """The scratch layout of :func:`_ksg_pair`, in words of 8 bytes (``n``
    points, ``h = ceil(n / 2)``, tree indices int32), phase by phase; an
    array placed over another is written only after the last read of the
    one below::

        build:  [0, 2n) pts -> tree data      [2n, 3n) orders (2, n) -> perm
                [3n, 3n + h) buf    then flags, nodes (about 0.8n)
        knn:    rad_tree over orders[1] and buf (dead after the build);
                the radius is scattered over the data once the search is
                done: radius [0, n)   (algorithm 2: ext_tree and radius
                after the nodes, extent (2, n) over the data)
        counts: srt [n, 2n) (algorithm 2: [4n, 5n)), nx [2n, 3n), ny [3n, 4n)
        ties:   dup_joint [0, n), dup_x [n, 2n), dup_y [4n, 5n), scratch [5n, 8n)
    """
    m = kdtree.n_nodes_for(n)
    layout = _ksg_words(n, alg2, ties)
    build_end, nodes_at, flags_at = layout[1:]
    pts = arena.floats(0, (n, 2))
    orders = arena.indices(2 * n, (2, n))
    nodes = (
        arena.indices(nodes_at, m),
        arena.indices(nodes_at + _words(4 * m), m),
        arena.floats(nodes_at + 2 * _words(4 * m), (m, 2)),
        arena.floats(nodes_at + 2 * _words(4 * m) + 2 * m, (m, 2)),
    )
    build = (pts, orders, *nodes, arena.flags(flags_at, n), arena.indices(3 * n, n))
    tree = (pts, orders[0], *nodes)
    rad_tree = arena.floats((5 * n + 1) // 2, n)  # over orders[1] and buf
    if alg2:
        ext_tree, radius = arena.floats(build_end, (2, n)), arena.floats(build_end + 2 * n, n)
        extent = arena.floats(0, (2, n))  # over the data, after the search
        query = (tree, _XY_BLOCKS, rad_tree, ext_tree, radius, extent)
        srt = arena.floats(4 * n, n)
    else:
        radius = arena.floats(0, n)  # over the data, after the search
        query = (tree, _NO_BLOCKS, rad_tree, _EMPTY_EXTENT, radius, _EMPTY_EXTENT)
        srt = arena.floats(n, n)
    counts = (srt, arena.ints(2 * n, n), arena.ints(3 * n, n))
    tie_views = None
    if ties:  # dup_joint, dup_x, dup_y, then the scratch of the counts
        tie_views = tuple(arena.ints(at, n) for at in (0, n, 4 * n, 5 * n, 6 * n, 7 * n))
    return build, query, counts, tie_views


def _ksg_words(n: int, alg2: bool, ties: bool) -> tuple[int, int, int, int]:
    """Words of :func:`_ksg_views`, and where the build's arrays end, the
    nodes start and the flags start."""
    m = kdtree.n_nodes_for(n)
    flags_at = 3 * n + _words(4 * n)
    nodes_at = flags_at + _words(n)
    build_end = nodes_at + 2 * _words(4 * m) + 4 * m
    words = max(build_end + (3 * n if alg2 else 0), 5 * n if alg2 else 4 * n, 8 * n if ties else 0)
    return words, build_end, nodes_at, flags_at


def _ksg_pair(a: Column, b: Column, k: int, algorithm: int, psi: np.ndarray, ws: Workspace | None) -> float:
    """KSG estimate of I(a; b) for two continuous columns: the 2-D tree,
    the k-NN radius, the marginal counts on the sorted columns and, with
    ties in both, Gao et al.'s duplicate counts; all in one scratch layout
    (:func:`_ksg_views`)."""
    n = a.values.shape[0]
    if n > kdtree.MAX_POINTS:
        raise ValueError(f"{n} rows: the KD-tree holds at most {kdtree.MAX_POINTS}.")
    alg2 = algorithm == 2
    ties = a.n_codes < n and b.n_codes < n
    key = ("ksg", n, alg2, ties)
    build, query, (srt, nx, ny), tie_views = _layout(ws, key, _ksg_words(n, alg2, ties)[0], partial(_ksg_views, n, alg2, ties))
    x, y = as_float64(a.values), as_float64(b.values)
    x_order, y_order = as_int64(a.order), as_int64(b.order)

    pts, orders = build[:2]
    pts[:, 0] = x
    pts[:, 1] = y
    orders[0] = x_order
    orders[1] = y_order
    kdtree.build(*build)
    tree, blocks, rad_tree, ext_tree, radius, extent = query
    kdtree.knn_radius(tree, _same_k(k), blocks, rad_tree, ext_tree, radius, extent)

    if alg2:  # counts within each neighbour set's extent, the point included
        counts_in_order(x, x_order, extent[0], True, srt, nx)
        counts_in_order(y, y_order, extent[1], True, srt, ny)
    else:
        counts_in_order(x, x_order, radius, False, srt, nx)
        counts_in_order(y, y_order, radius, False, srt, ny)

    if ties:
        gx, gy = as_int64(a.codes), as_int64(b.codes)
        dup_joint, dup_x, dup_y, perm, bounds, tally = tie_views
        joint_tie_counts(gx, a.n_codes, gy, dup_joint, perm, bounds, tally)
        group_sizes(gx, a.n_codes, perm, dup_x)
        group_sizes(gy, b.n_codes, perm, dup_y)
    else:
        dup_joint = dup_x = dup_y = _NONE
    return ksg_pair_sum(nx, ny, dup_joint, dup_x, dup_y, k, algorithm, psi)


def _group_sizes(codes: np.ndarray, n_codes: int) -> np.ndarray:
    return np.bincount(codes, minlength=n_codes)[codes]


def _parallel(parallel: bool | None, n: int) -> bool:
    """Whether one estimate over ``n`` points runs its queries on numba's
    threads: asked for (``True``) or large (``None``), numba has more than
    one thread, and this is the main thread, never a worker thread of a
    parallel map (nested parallel kernels; numba's workqueue layer aborts
    when two threads launch parallel kernels at once)."""
    if parallel is False or get_num_threads() < 2:
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    return parallel is True or n >= PARALLEL_MIN_POINTS


class _Space:
    """A product of columns restricted to the kept points: its continuous
    coordinates, the codes of its discrete part and of exact raw equality."""

    def __init__(self, columns: list[Column], keep: np.ndarray | None):
        self.continuous = [c for c in columns if not c.discrete]
        sel = slice(None) if keep is None else keep
        self.values = [as_float64(c.values[sel]) for c in self.continuous]
        self.orders = None if keep is not None else [as_int64(c.order) for c in self.continuous]
        discrete = [c.codes[sel] for c in columns if c.discrete]
        self.group, self.n_group = combine_codes(discrete) if discrete else (None, 1)
        self.columns = columns
        self.keep = keep

    @property
    def n_points(self) -> int:
        return self.values[0].shape[0] if self.values else self.group.shape[0]

    @property
    def dim(self) -> int:
        """Coordinates of the tree: the continuous columns, and one for the discrete part."""
        return len(self.values) + (self.group is not None)

    def duplicates(self) -> np.ndarray:
        """How many other points have exactly the same raw values in this space."""
        n = self.n_points
        if any(c.n_codes == c.codes.shape[0] for c in self.continuous):
            return np.zeros(n, np.int64)  # a tie-free column: no exact duplicates
        sel = slice(None) if self.keep is None else self.keep
        codes, n_codes = combine_codes([c.codes[sel] for c in self.columns])
        return _group_sizes(codes, n_codes) - 1

    def tree(self, arena: _Arena) -> tuple[tuple, int]:
        """The KD-tree over this space's points, built in ``arena`` from
        word 0: the continuous coordinates, with the discrete part as one
        widely spaced coordinate (neighbours always within the same group),
        sorted per coordinate.  Returns the tree and the first free word."""
        n, d = self.n_points, self.dim
        if n > kdtree.MAX_POINTS:
            raise ValueError(f"{n} rows: the KD-tree holds at most {kdtree.MAX_POINTS}.")
        m = kdtree.n_nodes_for(n)
        pts = arena.floats(0, (n, d))
        orders = arena.indices(n * d, (d, n))
        for j, v in enumerate(self.values):
            pts[:, j] = v
            orders[j] = self.orders[j] if self.orders is not None else np.argsort(v)
        if self.group is not None:
            span = max((float(v.max() - v.min()) for v in self.values), default=0.0)
            spacing = 2.0 ** np.ceil(np.log2(2.0 * span + 2.0))
            np.multiply(self.group, spacing, out=pts[:, d - 1])
            orders[d - 1] = np.argsort(self.group, kind="stable")
        at = n * d + _words(4 * n * d)
        buf = arena.indices(at, n)
        at += _words(4 * n)
        flags = arena.flags(at, n)
        at += _words(n)
        nodes = (
            arena.indices(at, m),
            arena.indices(at + _words(4 * m), m),
            arena.floats(at + 2 * _words(4 * m), (m, d)),
            arena.floats(at + 2 * _words(4 * m) + d * m, (m, d)),
        )
        kdtree.build(pts, orders, *nodes, flags, buf)
        return (pts, orders[0], *nodes), self.tree_words(n, d)

    @staticmethod
    def tree_words(n: int, d: int) -> int:
        """Scratch words of :meth:`tree`."""
        m = kdtree.n_nodes_for(n)
        return n * d + _words(4 * n * d) + _words(4 * n) + _words(n) + 2 * _words(4 * m) + 2 * d * m

    def counts(self, radius: np.ndarray, inclusive: bool, ws: Workspace | None, parallel: bool) -> np.ndarray:
        """Points of this space within ``radius`` of each point, itself included."""
        if not self.values:
            return _group_sizes(self.group, self.n_group)
        n = self.n_points
        out = np.empty(n, np.int64)
        if len(self.values) == 1 and self.group is None:
            order = self.orders[0] if self.orders is not None else np.argsort(self.values[0])
            count = counts_in_order_parallel if parallel else counts_in_order
            count(self.values[0], order, radius, inclusive, _new_arena(ws, n).floats(0, n), out)
            return out
        words = self.tree_words(n, self.dim)
        arena = _new_arena(ws, words + 2 * n)
        tree, at = self.tree(arena)
        count = kdtree.count_within_into_parallel if parallel else kdtree.count_within_into
        count(tree, radius, inclusive, arena.floats(at, n), arena.ints(at + n, n), out)
        return out


def mi_sets(
    x: list[Column],
    y: list[Column],
    z: list[Column] | None,
    n_neighbors: int,
    algorithm: int = 1,
    ws: Workspace | None = None,
    parallel: bool | None = None,
) -> float:
    """Raw estimate of I(X; Y) or, with ``z``, I(X; Y | Z), in nats.

    All-discrete problems use plug-in counts.  Otherwise the k-NN radius is
    taken in the joint space (neighbours restricted to the same discrete
    group; ``k`` lowered to the group size minus one and points alone in
    their group left out, as in Ross 2014 and scikit-learn) and the
    marginal counts give KSG algorithm 1 (or 2, for purely continuous
    I(X; Y)) and the Frenzel-Pompe estimator for I(X; Y | Z).

    ``ws`` lends the scratch space of the trees.  ``parallel``: run the
    neighbour searches and counts on numba's threads (same numbers); by
    default (``None``) when the estimate has at least
    :data:`PARALLEL_MIN_POINTS` points and is called from the main thread,
    so that the many estimates of a parallel map stay one thread each.
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
    m = joint.n_points
    psi = digamma_table(n)
    pure = not z and not any(c.discrete for c in all_cols)
    alg2 = algorithm == 2 and pure
    threads = _parallel(parallel, m)
    dx = sum(1 for c in x if not c.discrete)
    blocks = np.array([0, dx, joint.dim], np.int64) if alg2 else _NO_BLOCKS
    n_blocks = blocks.shape[0] - 1
    arena = _new_arena(ws, _Space.tree_words(m, joint.dim) + (1 + n_blocks) * m)
    tree, at = joint.tree(arena)
    rho, extent = np.empty(m), np.empty((n_blocks, m))
    knn = kdtree.knn_radius_parallel if threads else kdtree.knn_radius
    knn(tree, kvec, blocks, arena.floats(at, m), arena.floats(at + m, (n_blocks, m)), rho, extent)
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
            [s.counts(extent[b], True, ws, threads) - 1 for b, s in enumerate(spaces_minus)]
        )
    else:
        minus_counts = np.column_stack([s.counts(rho, False, ws, threads) for s in spaces_minus])
    plus_counts = (
        np.column_stack([s.counts(rho, False, ws, threads) for s in spaces_plus])
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
