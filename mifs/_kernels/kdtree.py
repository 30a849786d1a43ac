"""Flat-array KD-tree under the max-norm (Chebyshev distance).

The tree follows the layout of scikit-learn's ``BinaryTree``: the points are
permuted so that every node covers a contiguous slice ``[start, end)`` of the
permutation, children of node ``i`` are ``2i + 1`` and ``2i + 2`` (an implicit
heap), and each node stores the bounding box of its points.  A tree is a tuple
of plain arrays, so it pickles and crosses process boundaries as data.

Queries answer the two questions the KSG family asks:

* :func:`knn_radius`: for every point of the tree, the distance to its k-th
  nearest *other* point (the point itself is excluded by index, exact
  duplicates are not), optionally with the largest per-block coordinate
  distance among those k neighbours (KSG algorithm 2 needs the marginal
  extents of the neighbour set);
* :func:`count_within_into`: for every point, how many points of the tree
  lie strictly closer than a per-point radius (the point itself included).
  A radius of exactly zero counts the exact duplicates, as scikit-learn's
  ``query_radius`` does with ``nextafter(0, 0) == 0``.  Nodes that lie
  entirely inside the radius are counted at once.

Layout (issue #13): every kernel here takes float64 values, int32 tree
indices (:data:`INDEX`: a tree holds fewer than 2**31 points, and half-width
indices halve the scratch space of a build) and int64 per-point counts,
all C-contiguous and writable, and writes into arrays its caller preallocated
(the engine lends them from a worker's scratch space), so each kernel
compiles once and allocates nothing of size n.  Both queries have a
``*_parallel`` twin (numba ``prange`` over blocks of points, each point
writing only its own output slot): the same per-point code, so the same
numbers, for one large estimate.  :func:`make_tree`, :func:`knn_distance`
and :func:`count_within` are plain-Python conveniences that allocate.

Distances are never computed with ``fastmath``: the counts depend on strict
comparisons.
"""

import numpy as np
from numba import njit, prange

from mifs._kernels import CACHE, as_float64, as_int64, recover_corrupt_cache

LEAF_SIZE = 8

#: dtype of the indices inside a tree (orders, permutation, node bounds).
INDEX = np.int32
#: Most points a tree can hold.
MAX_POINTS = np.iinfo(INDEX).max

#: Leaves (queries) or points (counts) per block of the parallel variants.
LEAVES_PER_BLOCK = 64
POINTS_PER_BLOCK = 512

# Tree tuple layout: (data, perm, node_start, node_end, node_lo, node_hi)
#   data       (n, d) float64   points in tree order
#   perm       (n,)   int32     data[p] is the input point perm[p]
#   node_start (m,)   int32
#   node_end   (m,)   int32
#   node_lo    (m, d) float64   bounding box per node
#   node_hi    (m, d) float64


def n_nodes_for(n_samples: int, leaf_size: int = LEAF_SIZE) -> int:
    """Number of nodes of the balanced implicit tree over ``n_samples`` points."""
    n_levels = 1 + int(np.log2(max(1, (n_samples - 1) // leaf_size)))
    return 2**n_levels - 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def build(points, orders, node_start, node_end, node_lo, node_hi, flags, buf):
    """Build the tree over ``points`` (n, d), in place.

    ``orders`` (d, n) int32 holds, per dimension, the indices of the points sorted
    by that coordinate (``np.argsort(points[:, j])``).  The build keeps every
    row sorted while splitting: a node's points occupy the same slice of
    every row, the split takes the lower half of the row of the widest
    dimension, and the other rows are partitioned stably.  Bounding boxes are
    read off the ends of the slices.  Cost ``O(d n log n)`` after the sorts.

    Outputs, all preallocated: ``node_start``, ``node_end`` (m,) and
    ``node_lo``, ``node_hi`` (m, d) for ``m = n_nodes_for(n)`` nodes;
    ``points`` is permuted in place into tree order (cycle by cycle, so the
    tree needs no second copy of the points) and ``orders[0]`` becomes the
    permutation (``points[p]`` is the input point ``orders[0, p]``); the
    other rows of ``orders`` are left as scratch.  ``flags`` (n,) bool and
    ``buf`` (n,) int32 are scratch; nothing is allocated.  The tree is
    ``(points, orders[0], node_start, node_end, node_lo, node_hi)``.
    """
    n, d = points.shape
    n_nodes = node_start.shape[0]
    for i in range(n):  # (a loop: a slice assignment costs numba more to compile)
        flags[i] = False
    node_start[0] = 0
    node_end[0] = n
    first_leaf = (n_nodes - 1) // 2
    for node in range(n_nodes):
        s = node_start[node]
        e = node_end[node]
        for j in range(d):
            node_lo[node, j] = points[orders[j, s], j]
            node_hi[node, j] = points[orders[j, e - 1], j]
        if node >= first_leaf:
            continue
        split = 0
        spread = -1.0
        for j in range(d):
            w = node_hi[node, j] - node_lo[node, j]
            if w > spread:
                spread = w
                split = j
        mid = s + (e - s) // 2
        for t in range(s, mid):
            flags[orders[split, t]] = True
        for j in range(d):
            if j == split:
                continue
            # branch-free stable partition: both writes always happen and
            # the flag decides which cursor advances (a <= t, so in place)
            a = s
            b = 0
            for t in range(s, e):
                idx = orders[j, t]
                f = np.int64(flags[idx])
                orders[j, a] = idx
                buf[b] = idx
                a += f
                b += 1 - f
            for t in range(b):
                orders[j, a + t] = buf[t]
        for t in range(s, mid):
            flags[orders[split, t]] = False
        left = 2 * node + 1
        node_start[left] = s
        node_end[left] = mid
        node_start[left + 1] = mid
        node_end[left + 1] = e
    # points[p] <- points[perm[p]] in place, one cycle of the permutation at
    # a time; flags (all False again) mark the positions already written
    perm = orders[0]
    tmp = np.empty(d)
    for start in range(n):
        if flags[start]:
            continue
        for j in range(d):
            tmp[j] = points[start, j]
        cur = start
        while True:
            flags[cur] = True
            nxt = perm[cur]
            if nxt == start:
                for j in range(d):
                    points[cur, j] = tmp[j]
                break
            for j in range(d):
                points[cur, j] = points[nxt, j]
            cur = nxt


def tree_arrays(n: int, d: int, n_nodes: int) -> tuple:
    """Fresh node arrays for :func:`build`: ``(node_start, node_end, node_lo, node_hi)``."""
    return (np.empty(n_nodes, INDEX), np.empty(n_nodes, INDEX), np.empty((n_nodes, d)), np.empty((n_nodes, d)))


def make_tree(points: np.ndarray, leaf_size: int = LEAF_SIZE):
    """Sort every coordinate and build the tree over a copy of ``points``
    (a convenience that allocates; the engine builds in its scratch space)."""
    data = np.array(points, dtype=np.float64, order="C")  # a copy: build permutes it
    n, d = data.shape
    orders = np.ascontiguousarray(np.argsort(data, axis=0, kind="stable").T, dtype=INDEX)
    nodes = tree_arrays(n, d, n_nodes_for(n, leaf_size))
    build(data, orders, *nodes, np.empty(n, np.bool_), np.empty(n, INDEX))
    return (data, orders[0].copy(), *nodes)


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _knn_leaves(tree, kvec, blocks, first, last, kmax, rad_tree, ext_tree):
    """The k-NN search of :func:`knn_radius` for the points of leaves
    ``first .. last - 1``, written in tree order into ``rad_tree`` (n,) and
    ``ext_tree`` (b, n); ``kmax`` is at least the largest ``k``."""
    data, perm, node_start, node_end, node_lo, node_hi = tree
    best_d = np.empty(kmax)
    best_i = np.empty(kmax, np.int64)
    stack = np.empty(64, np.int64)
    gap = np.empty(64)  # the distance from the point to the box of each stacked node
    d = data.shape[1]
    n_nodes = node_start.shape[0]
    first_leaf = (n_nodes - 1) // 2
    n_blocks = blocks.shape[0] - 1
    same_k = kvec.shape[0] == 1
    # The distances are written out in place (max-norm to a point, to a box):
    # as numba functions inlined at each use they took a sixth of the
    # compile time, and called they ran twice as slow.
    for leaf in range(first, last):
        for p in range(node_start[leaf], node_end[leaf]):
            k = kvec[0] if same_k else kvec[perm[p]]
            filled = 0
            # Search the point's own leaf, then climb: at each level, unless
            # the ball of the current k-th distance lies inside the node
            # reached, search the sibling subtree, nearer child first,
            # skipping every box not closer than the current k-th distance.
            # One leaf scan serves all (the insertion code once: factored
            # into a function it ran three times slower, measured).
            node = leaf
            subtree = leaf
            while True:
                top = 0
                stack[0] = subtree
                m = 0.0
                for j in range(d):
                    v = data[p, j]
                    g = node_lo[subtree, j] - v
                    if g > m:
                        m = g
                    g = v - node_hi[subtree, j]
                    if g > m:
                        m = g
                gap[0] = m
                while top >= 0:
                    cur = stack[top]
                    box = gap[top]
                    top -= 1
                    if filled == k and box >= best_d[k - 1]:
                        continue
                    if cur >= first_leaf:
                        for q in range(node_start[cur], node_end[cur]):
                            if q == p:
                                continue
                            if d == 2:  # the common two-column case unrolled
                                dist = max(abs(data[p, 0] - data[q, 0]), abs(data[p, 1] - data[q, 1]))
                            else:
                                dist = 0.0
                                for j in range(d):
                                    g = abs(data[p, j] - data[q, j])
                                    if g > dist:
                                        dist = g
                            if filled < k:
                                pos = filled
                                filled += 1
                            elif dist < best_d[k - 1]:
                                pos = k - 1
                            else:
                                continue
                            while pos > 0 and best_d[pos - 1] > dist:
                                best_d[pos] = best_d[pos - 1]
                                best_i[pos] = best_i[pos - 1]
                                pos -= 1
                            best_d[pos] = dist
                            best_i[pos] = q
                    else:
                        left = 2 * cur + 1
                        # both children's box distances, left then right
                        for side in range(2):
                            child = left + side
                            m = 0.0
                            for j in range(d):
                                v = data[p, j]
                                g = node_lo[child, j] - v
                                if g > m:
                                    m = g
                                g = v - node_hi[child, j]
                                if g > m:
                                    m = g
                            gap[top + 1 + side] = m
                            stack[top + 1 + side] = child
                        if gap[top + 1] <= gap[top + 2]:  # nearer child on top
                            stack[top + 1] = left + 1
                            stack[top + 2] = left
                            m = gap[top + 1]
                            gap[top + 1] = gap[top + 2]
                            gap[top + 2] = m
                        top += 2
                if node == 0:
                    break
                if filled == k:
                    r = best_d[k - 1]
                    inside = True
                    for j in range(d):
                        v = data[p, j]
                        # same subtractions as the distances, so that rounding agrees
                        if v - node_lo[node, j] < r or node_hi[node, j] - v < r:
                            inside = False
                            break
                    if inside:
                        break
                subtree = node + 1 if node % 2 == 1 else node - 1
                node = (node - 1) // 2
            rad_tree[p] = best_d[k - 1]
            for b in range(n_blocks):
                m = 0.0
                for t in range(k):
                    q = best_i[t]
                    for j in range(blocks[b], blocks[b + 1]):
                        g = abs(data[p, j] - data[q, j])
                        if g > m:
                            m = g
                ext_tree[b, p] = m


def knn_radius(tree, kvec, blocks, rad_tree, ext_tree, radius, extent):
    """k-th neighbour distance of every point, excluding the point itself.

    The search starts in the point's own leaf and climbs towards the root:
    at each level it searches the sibling subtree (nearer child first,
    skipping every box not closer than the current k-th distance), and it
    stops once the ball of the current k-th distance lies inside the box of
    the node reached, since no point outside that node can then be closer.

    Parameters
    ----------
    tree : tuple
        From :func:`build`.
    kvec : (n,) or (1,) int64
        Number of neighbours per point (input order), ``1 <= k <= n - 1``;
        one entry: the same ``k`` for every point.
    blocks : (b + 1,) int64
        Column boundaries of ``b`` coordinate blocks (for example
        ``[0, dx, dx + dy]``).  For each block the largest coordinate distance
        to any of the k neighbours is returned (KSG algorithm 2).  Pass
        ``[0]`` (no block) when only the radius is needed.
    rad_tree : (n,) float64, ext_tree : (b, n) float64
        Scratch: the results in tree order, scattered to input order in one
        pass at the end (scattered writes inside the search would miss the
        cache each time).
    radius : (n,) float64, extent : (b, n) float64
        Output, input order: the distance to the k-th nearest other point,
        and per block the largest coordinate distance to the k neighbours.

    The search is the kernel :func:`_knn_leaves`, called here over all
    leaves (from Python: a jitted wrapper would compile, and optimise the
    search, a second time).
    """
    n_nodes = tree[2].shape[0]
    kmax = int(kvec[0]) if kvec.shape[0] == 1 else int(kvec.max())
    _knn_leaves(tree, kvec, blocks, (n_nodes - 1) // 2, n_nodes, kmax, rad_tree, ext_tree)
    perm = tree[1]
    radius[perm] = rad_tree
    if extent.shape[0]:
        extent[:, perm] = ext_tree


@njit(nogil=True, cache=CACHE, error_model="numpy", parallel=True)
def knn_radius_parallel(tree, kvec, blocks, rad_tree, ext_tree, radius, extent):
    """:func:`knn_radius` on numba's threads: blocks of ``LEAVES_PER_BLOCK``
    leaves searched in parallel (same per-point code, same results)."""
    n = tree[0].shape[0]
    n_nodes = tree[2].shape[0]
    first_leaf = (n_nodes - 1) // 2
    kmax = np.int64(1)  # not a literal 1: _knn_leaves would compile once more
    for i in range(kvec.shape[0]):
        kmax = max(kmax, kvec[i])
    n_leaves = n_nodes - first_leaf
    n_chunks = (n_leaves + LEAVES_PER_BLOCK - 1) // LEAVES_PER_BLOCK
    for c in prange(n_chunks):
        first = first_leaf + c * LEAVES_PER_BLOCK
        last = min(n_nodes, first + LEAVES_PER_BLOCK)
        _knn_leaves(tree, kvec, blocks, first, last, kmax, rad_tree, ext_tree)
    perm = tree[1]
    for p in prange(n):
        i = perm[p]
        radius[i] = rad_tree[p]
        for b in range(extent.shape[0]):
            extent[b, i] = ext_tree[b, p]


def knn_distance(tree, kvec, blocks):
    """:func:`knn_radius` with fresh outputs (a convenience for callers and
    tests): returns ``radius`` (n,) and ``extent`` (n, b)."""
    n = tree[0].shape[0]
    kvec, blocks = as_int64(kvec), as_int64(blocks)
    b = blocks.shape[0] - 1
    radius, extent = np.empty(n), np.empty((b, n))
    knn_radius(tree, kvec, blocks, np.empty(n), np.empty((b, n)), radius, extent)
    return radius, extent.T


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _count_points(tree, rad_tree, inclusive, first, last, count_tree):
    """The counts of :func:`count_within_into` for tree positions
    ``first .. last - 1`` (radii and counts in tree order)."""
    data, perm, node_start, node_end, node_lo, node_hi = tree
    stack = np.empty(64, np.int64)
    d = data.shape[1]
    n_nodes = node_start.shape[0]
    first_leaf = (n_nodes - 1) // 2
    for p in range(first, last):
        r = rad_tree[p]
        incl = inclusive or r == 0.0
        c = 0
        top = 0
        stack[0] = 0
        while top >= 0:
            node = stack[top]
            top -= 1
            lo_d = 0.0  # the distances to the box: nearest and farthest
            hi_d = 0.0
            for j in range(d):
                v = data[p, j]
                g = node_lo[node, j] - v
                if g > lo_d:
                    lo_d = g
                g = v - node_hi[node, j]
                if g > lo_d:
                    lo_d = g
                g = v - node_lo[node, j]
                if g > hi_d:
                    hi_d = g
                g = node_hi[node, j] - v
                if g > hi_d:
                    hi_d = g
            if lo_d > r or (lo_d == r and not incl):
                continue
            if hi_d < r or (hi_d == r and incl):
                c += node_end[node] - node_start[node]
                continue
            if node >= first_leaf:
                for q in range(node_start[node], node_end[node]):
                    dist = 0.0
                    for j in range(d):
                        g = abs(data[p, j] - data[q, j])
                        if g > dist:
                            dist = g
                    if dist < r or (dist == r and incl):
                        c += 1
            else:
                stack[top + 1] = 2 * node + 2
                stack[top + 2] = 2 * node + 1
                top += 2
        count_tree[p] = c


def count_within_into(tree, radius, inclusive, rad_tree, count_tree, counts):
    """Points of the tree within ``radius[i]`` of every point ``i``.

    With ``inclusive=False`` a point counts when its distance is strictly
    smaller than the radius (KSG algorithm 1, Ross, Frenzel-Pompe), except
    that a radius of zero counts the exact duplicates.  With
    ``inclusive=True`` the comparison is ``<=`` (KSG algorithm 2).  The point
    itself is always included in its own count.  ``radius`` (n,) is in
    input order and so are the ``counts`` (n,) written; ``rad_tree`` (n,)
    float64 and ``count_tree`` (n,) int64 are scratch (the radii gathered
    into tree order and the counts scattered back in one pass each around
    the kernel :func:`_count_points`).
    """
    perm = tree[1]
    np.take(radius, perm, out=rad_tree, mode="clip")  # "raise" would buffer out
    _count_points(tree, rad_tree, bool(inclusive), 0, perm.shape[0], count_tree)
    counts[perm] = count_tree


@njit(nogil=True, cache=CACHE, error_model="numpy", parallel=True)
def count_within_into_parallel(tree, radius, inclusive, rad_tree, count_tree, counts):
    """:func:`count_within_into` on numba's threads, ``POINTS_PER_BLOCK``
    points per block (same per-point code, same results)."""
    perm = tree[1]
    n = perm.shape[0]
    for p in prange(n):
        rad_tree[p] = radius[perm[p]]
    n_chunks = (n + POINTS_PER_BLOCK - 1) // POINTS_PER_BLOCK
    for c in prange(n_chunks):
        first = c * POINTS_PER_BLOCK
        _count_points(tree, rad_tree, inclusive, first, min(n, first + POINTS_PER_BLOCK), count_tree)
    for p in prange(n):
        counts[perm[p]] = count_tree[p]


def count_within(tree, radius, inclusive):
    """:func:`count_within_into` with a fresh output (a convenience)."""
    n = tree[1].shape[0]
    counts = np.empty(n, np.int64)
    count_within_into(tree, as_float64(radius), bool(inclusive), np.empty(n), np.empty(n, np.int64), counts)
    return counts


recover_corrupt_cache(globals())
