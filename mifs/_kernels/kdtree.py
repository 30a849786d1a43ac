"""Flat-array KD-tree under the max-norm (Chebyshev distance).

The tree follows the layout of scikit-learn's ``BinaryTree``: the points are
permuted so that every node covers a contiguous slice ``[start, end)`` of the
permutation, children of node ``i`` are ``2i + 1`` and ``2i + 2`` (an implicit
heap), and each node stores the bounding box of its points.  A tree is a tuple
of plain arrays, so it pickles and crosses process boundaries as data.

Queries answer the two questions the KSG family asks:

* ``knn_distance``: for every point of the tree, the distance to its k-th
  nearest *other* point (the point itself is excluded by index, exact
  duplicates are not), optionally with the largest per-block coordinate
  distance among those k neighbours (KSG algorithm 2 needs the marginal
  extents of the neighbour set);
* ``count_within``: for every point, how many points of the tree lie strictly
  closer than a per-point radius (the point itself included).  A radius of
  exactly zero counts the exact duplicates, as scikit-learn's ``query_radius``
  does with ``nextafter(0, 0) == 0``.  Nodes that lie entirely inside the
  radius are counted at once.

Everything here is arrays in, arrays out: no validation, no allocation per
point.  Distances are never computed with ``fastmath``: the counts depend on
strict comparisons.
"""

import numpy as np
from numba import njit

from mifs._kernels import CACHE, recover_corrupt_cache

LEAF_SIZE = 8

# Tree tuple layout: (data, order, node_start, node_end, node_lo, node_hi)
#   data       (n, d) float64   points in tree order (a permuted copy)
#   order      (n,)   int64     data[p] is the input point order[p]
#   node_start (m,)   int64
#   node_end   (m,)   int64
#   node_lo    (m, d) float64   bounding box per node
#   node_hi    (m, d) float64


def n_nodes_for(n_samples: int, leaf_size: int = LEAF_SIZE) -> int:
    """Number of nodes of the balanced implicit tree over ``n_samples`` points."""
    n_levels = 1 + int(np.log2(max(1, (n_samples - 1) // leaf_size)))
    return 2**n_levels - 1


@njit(nogil=True, cache=CACHE)
def build(points, orders, n_nodes):
    """Build the tree over ``points`` (n, d) with ``n_nodes`` nodes.

    ``orders`` (d, n) holds, per dimension, the indices of the points sorted
    by that coordinate (``np.argsort(points[:, j])``).  The build keeps every
    row sorted while splitting: a node's points occupy the same slice of
    every row, the split takes the lower half of the row of the widest
    dimension, and the other rows are partitioned stably.  Bounding boxes are
    read off the ends of the slices.  Cost ``O(d n log n)`` after the sorts.
    The rows of ``orders`` are used as scratch space (pass a copy).
    """
    n, d = points.shape
    node_start = np.empty(n_nodes, np.int64)
    node_end = np.empty(n_nodes, np.int64)
    node_lo = np.empty((n_nodes, d))
    node_hi = np.empty((n_nodes, d))
    node_start[0] = 0
    node_end[0] = n
    first_leaf = (n_nodes - 1) // 2
    is_left = np.zeros(n, np.bool_)
    buf = np.empty(n, np.int64)
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
            is_left[orders[split, t]] = True
        for j in range(d):
            if j == split:
                continue
            # branch-free stable partition: both writes always happen and
            # the flag decides which cursor advances (a <= t, so in place)
            a = s
            b = 0
            for t in range(s, e):
                idx = orders[j, t]
                f = np.int64(is_left[idx])
                orders[j, a] = idx
                buf[b] = idx
                a += f
                b += 1 - f
            for t in range(b):
                orders[j, a + t] = buf[t]
        for t in range(s, mid):
            is_left[orders[split, t]] = False
        left = 2 * node + 1
        node_start[left] = s
        node_end[left] = mid
        node_start[left + 1] = mid
        node_end[left + 1] = e
    perm = orders[0].copy()
    data = np.empty((n, d))
    for p in range(n):
        for j in range(d):
            data[p, j] = points[perm[p], j]
    return data, perm, node_start, node_end, node_lo, node_hi


def make_tree(points: np.ndarray, leaf_size: int = LEAF_SIZE):
    """Sort every coordinate and build the tree (a convenience for callers)."""
    orders = np.argsort(points, axis=0, kind="stable").T.copy()
    return build(points, orders, n_nodes_for(points.shape[0], leaf_size))


@njit(nogil=True, cache=CACHE, inline="always")
def _point_dist(data, p, q):
    """Max-norm distance between points ``p`` and ``q`` of the tree; the
    common two-column case is unrolled (the branch is always predicted)."""
    if data.shape[1] == 2:
        return max(abs(data[p, 0] - data[q, 0]), abs(data[p, 1] - data[q, 1]))
    dist = 0.0
    for j in range(data.shape[1]):
        g = abs(data[p, j] - data[q, j])
        if g > dist:
            dist = g
    return dist


@njit(nogil=True, cache=CACHE, inline="always")
def _min_dist(node_lo, node_hi, node, data, p):
    """Max-norm distance from point ``p`` to the bounding box of ``node``."""
    m = 0.0
    for j in range(data.shape[1]):
        v = data[p, j]
        g = node_lo[node, j] - v
        if g > m:
            m = g
        g = v - node_hi[node, j]
        if g > m:
            m = g
    return m


@njit(nogil=True, cache=CACHE, inline="always")
def _max_dist(node_lo, node_hi, node, data, p):
    """Largest max-norm distance from point ``p`` to a corner of ``node``."""
    m = 0.0
    for j in range(data.shape[1]):
        v = data[p, j]
        g = v - node_lo[node, j]
        if g > m:
            m = g
        g = node_hi[node, j] - v
        if g > m:
            m = g
    return m


@njit(nogil=True, cache=CACHE)
def knn_distance(tree, kvec, blocks):
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
    kvec : (n,) int64
        Number of neighbours per point (input order), ``1 <= k <= n - 1``.
    blocks : (b + 1,) int64
        Column boundaries of ``b`` coordinate blocks (for example
        ``[0, dx, dx + dy]``).  For each block the largest coordinate distance
        to any of the k neighbours is returned (KSG algorithm 2).  Pass
        ``[0, d]`` when only the radius is needed.

    Returns
    -------
    radius : (n,) float64
        Distance to the k-th nearest other point (input order).
    extent : (n, b) float64
        Per-block largest distance to the k neighbours (input order).
    """
    data, order, node_start, node_end, node_lo, node_hi = tree
    n, d = data.shape
    n_nodes = node_start.shape[0]
    first_leaf = (n_nodes - 1) // 2
    n_blocks = blocks.shape[0] - 1
    kmax = 1
    for i in range(n):
        if kvec[i] > kmax:
            kmax = kvec[i]
    # results in tree order first, scattered to input order in a tight loop at
    # the end: scattered writes inside the search would miss the cache each time
    k_tree = np.empty(n, np.int64)
    for p in range(n):
        k_tree[p] = kvec[order[p]]
    rad_tree = np.empty(n)
    ext_tree = np.zeros((n, n_blocks))
    best_d = np.empty(kmax)
    best_i = np.empty(kmax, np.int64)
    stack = np.empty(64, np.int64)
    for leaf in range(first_leaf, n_nodes):
        for p in range(node_start[leaf], node_end[leaf]):
            k = k_tree[p]
            filled = 0
            # The leaf scans below (this one and the siblings' further down)
            # repeat the same insertion code on purpose: as a numba function
            # called twice it ran three times slower (measured).
            for q in range(node_start[leaf], node_end[leaf]):
                if q == p:
                    continue
                dist = _point_dist(data, p, q)
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
            node = leaf
            while node > 0:
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
                sib = node + 1 if node % 2 == 1 else node - 1
                node = (node - 1) // 2
                top = 0
                stack[0] = sib
                while top >= 0:
                    cur = stack[top]
                    top -= 1
                    if filled == k and _min_dist(node_lo, node_hi, cur, data, p) >= best_d[k - 1]:
                        continue
                    if cur >= first_leaf:
                        for q in range(node_start[cur], node_end[cur]):
                            dist = _point_dist(data, p, q)
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
                        right = left + 1
                        if _min_dist(node_lo, node_hi, left, data, p) <= _min_dist(node_lo, node_hi, right, data, p):
                            stack[top + 1] = right
                            stack[top + 2] = left
                        else:
                            stack[top + 1] = left
                            stack[top + 2] = right
                        top += 2
            rad_tree[p] = best_d[k - 1]
            for b in range(n_blocks):
                m = 0.0
                for t in range(k):
                    q = best_i[t]
                    for j in range(blocks[b], blocks[b + 1]):
                        g = abs(data[p, j] - data[q, j])
                        if g > m:
                            m = g
                ext_tree[p, b] = m
    radius = np.empty(n)
    extent = np.empty((n, n_blocks))
    for p in range(n):
        i = order[p]
        radius[i] = rad_tree[p]
        for b in range(n_blocks):
            extent[i, b] = ext_tree[p, b]
    return radius, extent


@njit(nogil=True, cache=CACHE)
def count_within(tree, radius, inclusive):
    """Points of the tree within ``radius[i]`` of every point ``i``.

    With ``inclusive=False`` a point counts when its distance is strictly
    smaller than the radius (KSG algorithm 1, Ross, Frenzel-Pompe), except
    that a radius of zero counts the exact duplicates.  With
    ``inclusive=True`` the comparison is ``<=`` (KSG algorithm 2).  The point
    itself is always included in its own count.  ``radius`` is in input order
    and so is the result.
    """
    data, order, node_start, node_end, node_lo, node_hi = tree
    n, d = data.shape
    n_nodes = node_start.shape[0]
    first_leaf = (n_nodes - 1) // 2
    # radii gathered into tree order and counts scattered back in tight loops
    # (see knn_distance)
    rad_tree = np.empty(n)
    for p in range(n):
        rad_tree[p] = radius[order[p]]
    count_tree = np.empty(n, np.int64)
    stack = np.empty(64, np.int64)
    for p in range(n):
        r = rad_tree[p]
        incl = inclusive or r == 0.0
        c = 0
        top = 0
        stack[0] = 0
        while top >= 0:
            node = stack[top]
            top -= 1
            lo_d = _min_dist(node_lo, node_hi, node, data, p)
            if lo_d > r or (lo_d == r and not incl):
                continue
            hi_d = _max_dist(node_lo, node_hi, node, data, p)
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
    counts = np.empty(n, np.int64)
    for p in range(n):
        counts[order[p]] = count_tree[p]
    return counts


recover_corrupt_cache(globals())
