"""One-dimensional kernels: sorting and searching instead of trees.

* :func:`counts_in_order` counts, for every point of a column, the points
  within its radius, by branch-free binary searches over the sorted column
  run in lockstep batches so that their memory loads overlap (with a
  parallel twin for one large estimate).
* :func:`tie_runs` finds the groups of exactly equal raw values along the
  order of the jittered values, repairing in linear time the few swaps the
  jitter makes between raw values closer than itself.
* :func:`ross_mi` is the estimator of Ross (2014) for a continuous variable
  against a discrete one, with the tie rule of Gao et al. (2017) for points
  that have at least ``k`` exact duplicates within their class; each count
  is searched only between the point and its nearest same-class neighbours
  outside the radius.

Distances are ``abs(a - b)`` of float64 values, compared strictly: this is
what scikit-learn's ``query_radius(..., nextafter(r, 0))`` counts.

Every kernel takes C-contiguous, writable float64 and int64 arrays and
writes into scratch and output arrays its caller lends (see
:mod:`mifs._kernels`), so each compiles once and allocates nothing of size n.
"""

import numpy as np
from numba import njit, prange

from mifs._kernels import CACHE, as_float64, recover_corrupt_cache


BATCH = 16
#: Sorted positions per block of :func:`counts_in_order_parallel`.
POSITIONS_PER_BLOCK = 4096


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _count_batches(srt, order, radius, inclusive, first, last, out):
    """The counts of :func:`counts_in_order` for sorted positions
    ``first .. last - 1``.

    Each boundary is a branch-free binary search over the whole sorted
    array; searches run ``BATCH`` at a time in lockstep so that their memory
    loads overlap instead of waiting on each other (three times faster than
    one search at a time).  A strict count (``inclusive=False``) compares
    distances with ``nextafter(radius, 0)`` as scikit-learn does, so that a
    zero radius counts the exact duplicates.
    """
    n = srt.shape[0]
    vv = np.empty(BATCH)
    rr = np.empty(BATCH)
    hi = np.empty(BATCH, np.int64)
    lo = np.empty(BATCH, np.int64)
    for t0 in range(first, last, BATCH):
        m = min(BATCH, last - t0)
        for b in range(m):
            r = radius[order[t0 + b]]
            rr[b] = r if inclusive else np.nextafter(r, 0.0)
            vv[b] = srt[t0 + b]
            hi[b] = 0
            lo[b] = 0
        size = n
        while size > 1:
            half = size >> 1
            for b in range(m):
                h = hi[b] + half
                hi[b] = h if srt[h] - vv[b] <= rr[b] else hi[b]
                g = lo[b] + half
                lo[b] = g if vv[b] - srt[g] > rr[b] else lo[b]
            size -= half
        for b in range(m):
            right = hi[b] + (1 if srt[hi[b]] - vv[b] <= rr[b] else 0)
            left = lo[b] + (1 if vv[b] - srt[lo[b]] > rr[b] else 0)
            out[order[t0 + b]] = right - left


def counts_in_order(values, order, radius, inclusive, srt, out):
    """For every point ``i``, how many points ``j`` (itself included) have
    ``|values[j] - values[i]|`` within ``radius[i]``: strictly closer
    (``inclusive=False``; a zero radius counts the exact duplicates) or at
    most as far (``inclusive=True``).

    ``order`` sorts ``values``; ``radius`` and the counts written to
    ``out`` (n,) int64 are in input order; ``srt`` (n,) float64 is scratch
    (the sorted values, gathered in one pass).  The searches, the kernel
    :func:`_count_batches`, run in sorted order, each reading its radius
    from and writing its count to the point's own slot.
    """
    np.take(values, order, out=srt, mode="clip")  # "raise" would buffer out
    _count_batches(srt, order, radius, bool(inclusive), 0, srt.shape[0], out)


@njit(nogil=True, cache=CACHE, error_model="numpy", parallel=True)
def counts_in_order_parallel(values, order, radius, inclusive, srt, out):
    """:func:`counts_in_order` on numba's threads (blocks of sorted
    positions; same per-point code, same results)."""
    n = values.shape[0]
    for t in prange(n):
        srt[t] = values[order[t]]
    n_chunks = (n + POSITIONS_PER_BLOCK - 1) // POSITIONS_PER_BLOCK
    for c in prange(n_chunks):
        first = c * POSITIONS_PER_BLOCK
        _count_batches(srt, order, radius, inclusive, first, min(n, first + POSITIONS_PER_BLOCK), out)


def count_sorted(srt, radius, inclusive):
    """For every position ``t`` of the sorted array ``srt``, how many
    elements lie within ``radius[t]`` of ``srt[t]`` (itself included):
    :func:`counts_in_order` of an array already in order (a convenience
    that allocates)."""
    srt = as_float64(srt)
    n = srt.shape[0]
    out = np.empty(n, np.int64)
    counts_in_order(srt, np.arange(n, dtype=np.int64), as_float64(radius), bool(inclusive), np.empty(n), out)
    return out


@njit(nogil=True, cache=CACHE, error_model="numpy")
def tie_runs(raw, order, vals, srt, group):
    """Group ids of exactly equal values of ``raw``, written into ``group``.

    Returns ``n_groups``: equal values of ``raw`` share a group id and
    different values do not (ids in increasing order of the values, except
    that a column without ties gets ``0 .. n-1`` in input order), or ``-1``
    when it gives up (see below).  ``order`` is a permutation that sorts
    ``raw`` up to ties, usually the argsort of the jittered values: the
    jitter may swap raw values closer than itself, so the order is first
    repaired by insertion, which costs O(n + inversions); if that takes more
    than ``4n`` moves the raw values need a real sort, and the caller is
    asked for one.  ``vals`` (float) and ``srt`` (int) are scratch arrays of
    length n.
    """
    n = raw.shape[0]
    for t in range(n):  # one tight gather, then contiguous work
        vals[t] = raw[order[t]]
    tie_free = True
    for t in range(1, n):
        if vals[t] <= vals[t - 1]:
            tie_free = False
            break
    if tie_free:  # every value distinct: any distinct ids will do
        for i in range(n):
            group[i] = i
        return n
    for t in range(n):
        srt[t] = order[t]
    moves = 0
    for t in range(1, n):
        cur = srt[t]
        v = vals[t]
        u = t
        while u > 0 and vals[u - 1] > v:
            srt[u] = srt[u - 1]
            vals[u] = vals[u - 1]
            u -= 1
        srt[u] = cur
        vals[u] = v
        moves += t - u
        if moves > 4 * n:
            return -1
    g = 0
    group[srt[0]] = 0
    for t in range(1, n):
        if vals[t] != vals[t - 1]:
            g += 1
        group[srt[t]] = g
    return g + 1


@njit(nogil=True, cache=CACHE, error_model="numpy", inline="always")
def joint_tie_counts(gx, n_gx, gy, out, perm, bounds, tally):
    """For each point, how many other points share both its x group and its
    y group, written to ``out`` (n,).

    ``gx`` holds codes below ``n_gx`` and ``gy`` codes below the length of
    ``tally``.  A counting sort by ``gx`` lists each x group's points
    (``perm`` (n,), ``bounds`` (n_gx + 1,)), then each group tallies its y
    codes in ``tally`` (at least max(gy) + 1 long), reset after the group:
    O(n + n_gx) with no sort and no allocation.
    """
    n = gx.shape[0]
    for g in range(n_gx + 1):
        bounds[g] = 0
    for i in range(n):
        bounds[gx[i] + 1] += 1
    for g in range(n_gx):
        bounds[g + 1] += bounds[g]
    for i in range(n):  # bounds[g] moves from the start to the end of group g
        g = gx[i]
        perm[bounds[g]] = i
        bounds[g] += 1
    for v in range(tally.shape[0]):
        tally[v] = 0
    lo = 0
    for g in range(n_gx):
        hi = bounds[g]
        for t in range(lo, hi):
            tally[gy[perm[t]]] += 1
        for t in range(lo, hi):
            i = perm[t]
            out[i] = tally[gy[i]] - 1
        for t in range(lo, hi):
            tally[gy[perm[t]]] = 0
        lo = hi


@njit(nogil=True, cache=CACHE, error_model="numpy", inline="always")
def group_sizes(group, n_groups, size, out):
    """How many other points share each point's group, written to ``out``;
    ``size`` (at least ``n_groups`` long) is scratch."""
    for g in range(n_groups):
        size[g] = 0
    for i in range(group.shape[0]):
        size[group[i]] += 1
    for i in range(group.shape[0]):
        out[i] = size[group[i]] - 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def ross_mi(x, order, labels, n_classes, raw_group, n_groups, k, psi, fbuf, ibuf, tbuf):
    """Mutual information between continuous ``x`` and class ``labels`` (Ross 2014).

    Parameters
    ----------
    x : (n,) float64
        Continuous values (scaled and jittered).
    order : (n,) int64
        ``argsort(x)``.
    labels : (n,) int64
        Class codes in ``0 .. n_classes - 1``.
    raw_group, n_groups : (n,) int64, int
        Group ids of exactly equal raw (un-jittered) values and their number,
        from :func:`tie_runs`; ``n_groups == n`` when the raw column has no
        ties.
    k : int
        Number of neighbours.
    psi : (n + 1,) float64
        ``psi[m]`` is the digamma function at ``m`` (``psi[0]`` unused).
    fbuf, ibuf, tbuf : (3, n) float64, (2, n) int32 and, when
        ``n_groups < n``, (6, n) int64 (otherwise (0, n))
        Scratch space, reused by the caller from column to column so that
        no fresh memory has to be faulted in for every estimate; positions
        and labels in int32 (fewer than 2**31 points and classes), the
        ties' groups and counts in int64 as everywhere.

    Returns
    -------
    float
        The raw (unclipped) estimate in nats.  Points whose class has a
        single member are left out, as scikit-learn does.  A point with at
        least ``k`` exact duplicates in its own class uses Gao et al.'s counts
        (the duplicates as neighbours, the equal values as the marginal
        count) instead of a zero radius.
    """
    n = x.shape[0]
    # (np.empty and loops: np.zeros and slice copies cost numba more to compile)
    class_count = np.empty(n_classes, np.int64)
    for c in range(n_classes):
        class_count[c] = 0
    for i in range(n):
        class_count[labels[i]] += 1
    # kept points (classes with >= 2 members), listed class by class, each
    # class in increasing order of x; xs holds all kept points sorted
    start = np.empty(n_classes + 1, np.int64)
    fill = np.empty(n_classes, np.int64)
    start[0] = 0
    for c in range(n_classes):
        fill[c] = start[c]
        start[c + 1] = start[c] + (class_count[c] if class_count[c] >= 2 else 0)
    keep_n = start[n_classes]
    if keep_n < 2:
        return 0.0
    ties = n_groups < n
    xs = fbuf[0, :keep_n]
    cls_vals = fbuf[1, :keep_n]
    x_srt = fbuf[2]
    pos_of = ibuf[0, :keep_n]
    lab_srt = ibuf[1]
    # the rows of tbuf exist only when there are ties (otherwise never touched)
    unused = np.empty(0, np.int64)
    grp_srt = tbuf[0] if ties else unused
    grp = tbuf[1, :keep_n] if ties else unused
    lab = tbuf[2, :keep_n] if ties else unused
    # gather into sorted order in tight loops (their cache misses overlap),
    # then partition by class reading sequentially
    for s in range(n):
        x_srt[s] = x[order[s]]
    for s in range(n):
        lab_srt[s] = labels[order[s]]
    if ties:
        for s in range(n):
            grp_srt[s] = raw_group[order[s]]
    t = 0
    for s in range(n):
        c = lab_srt[s]
        if class_count[c] >= 2:
            xs[t] = x_srt[s]
            cls_vals[fill[c]] = x_srt[s]
            pos_of[fill[c]] = t
            if ties:
                grp[fill[c]] = grp_srt[s]
                lab[fill[c]] = c
            fill[c] += 1
            t += 1
    # exact raw duplicates (kept points only): overall (into the row of the
    # sorted groups, read no more), and within the class
    dup_all = tbuf[0, :keep_n] if ties else unused
    dup_same = tbuf[3, :keep_n] if ties else unused
    if ties:
        group_sizes(grp, n_groups, tbuf[4], dup_all)
        joint_tie_counts(grp, n_groups, lab, dup_same, tbuf[4], tbuf[5], np.empty(n_classes, np.int64))

    # k-th neighbour distance within the class by merging outwards, then the
    # count of all kept points strictly closer.  The first same-class
    # neighbour not taken on each side is at least as far as the k-th, so it
    # is outside the window: each boundary is searched only between the
    # point and that neighbour, a few positions in practice.
    total_k = 0.0
    total_nc = 0.0
    total_m = 0.0
    for c in range(n_classes):
        nc = start[c + 1] - start[c]
        if nc < 2:
            continue
        kc = min(k, nc - 1)
        base = start[c]
        end = base + nc
        for r in range(nc):
            total_nc += psi[nc]
            w = base + r
            if ties and dup_same[w] >= kc:
                total_k += psi[dup_same[w]]
                total_m += psi[dup_all[w] + 1]
                continue
            v = cls_vals[w]
            lo = w - 1
            hi = w + 1
            d = 0.0
            for _ in range(kc):
                if lo < base:
                    d = cls_vals[hi] - v
                    hi += 1
                elif hi >= end:
                    d = v - cls_vals[lo]
                    lo -= 1
                else:
                    dl = v - cls_vals[lo]
                    dh = cls_vals[hi] - v
                    if dl <= dh:
                        d = dl
                        lo -= 1
                    else:
                        d = dh
                        hi += 1
            r_eff = np.nextafter(d, 0.0)  # strictly closer than d, as scikit-learn counts
            here = pos_of[w]
            a = here + 1  # right: first position outside
            b = pos_of[hi] if hi < end else keep_n
            while a < b:
                mid = (a + b) >> 1
                if xs[mid] - v <= r_eff:
                    a = mid + 1
                else:
                    b = mid
            right = a
            a = pos_of[lo] + 1 if lo >= base else 0  # left: first position inside
            b = here
            while a < b:
                mid = (a + b) >> 1
                if v - xs[mid] <= r_eff:
                    b = mid
                else:
                    a = mid + 1
            total_k += psi[kc]
            total_m += psi[right - a]
    return psi[keep_n] + (total_k - total_nc - total_m) / keep_n


recover_corrupt_cache(globals())
