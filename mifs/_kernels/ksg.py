"""KSG estimators assembled from the KD-tree and the sorted kernels.

* :func:`ksg_1d` - one continuous column against one continuous column
  (Kraskov et al. 2004, algorithms 1 and 2): k-NN in the 2-D max-norm by a
  KD-tree, marginal counts by binary search on the sorted columns.
* :func:`ksg_terms` - the per-point sum of the general estimator, given the
  neighbour radii and the counts in every marginal space; shared by mutual
  information and the conditional mutual information of Frenzel and Pompe.

Tie rule (Gao, Kannan, Oh, Viswanath 2017): a point with at least ``k`` exact
duplicates in the joint space has a k-th neighbour distance of zero; its term
uses ``k~`` = the number of its duplicates and the numbers of exactly equal
values in each marginal space, instead of counts inside a zero radius.
"""

import numpy as np
from numba import njit

from mifs._kernels import CACHE, recover_corrupt_cache

from mifs._kernels import kdtree
from mifs._kernels.sorted1d import count_sorted, group_sizes, joint_tie_counts


@njit(nogil=True, cache=CACHE)
def ksg_1d(x, x_order, y, y_order, gx, n_gx, gy, n_gy, k, algorithm, psi, n_nodes):
    """I(x; y) for two continuous columns, unclipped, in nats.

    ``x_order``/``y_order`` are the argsorts of the columns; ``gx``/``gy``
    are group ids of exactly equal raw values (``n_g == n`` when there are
    no ties).
    """
    n = x.shape[0]
    pts = np.empty((n, 2))
    orders = np.empty((2, n), np.int64)
    for i in range(n):
        pts[i, 0] = x[i]
        pts[i, 1] = y[i]
        orders[0, i] = x_order[i]
        orders[1, i] = y_order[i]
    tree = kdtree.build(pts, orders, n_nodes)
    kvec = np.full(n, k, np.int64)
    # algorithm 2 needs the neighbours' extent in x and in y separately
    blocks = np.array([0, 1, 2], np.int64) if algorithm == 2 else np.array([0, 2], np.int64)
    rho, extent = kdtree.knn_distance(tree, kvec, blocks)
    if algorithm == 1:
        nx = counts_in_order(x, x_order, rho, False)
        ny = counts_in_order(y, y_order, rho, False)
        corr = 0.0
    else:
        nx = counts_in_order(x, x_order, extent[:, 0].copy(), True)
        ny = counts_in_order(y, y_order, extent[:, 1].copy(), True)
        corr = 1.0 / k
    if n_gx < n and n_gy < n:
        dup_joint = joint_tie_counts(gx, n_gx, gy)
        dup_x = group_sizes(gx, n_gx)
        dup_y = group_sizes(gy, n_gy)
    else:
        dup_joint = np.zeros(n, np.int64)
        dup_x = dup_joint
        dup_y = dup_joint
    total = 0.0
    for i in range(n):
        if dup_joint[i] >= k:
            total += psi[dup_joint[i]] - psi[dup_x[i] + 1] - psi[dup_y[i] + 1]
        elif algorithm == 1:
            total += psi[k] - psi[nx[i]] - psi[ny[i]]
        else:
            # algorithm 2 counts exclude the point itself
            total += psi[k] - corr - psi[nx[i] - 1] - psi[ny[i] - 1]
    return psi[n] + total / n


@njit(nogil=True, cache=CACHE)
def counts_in_order(values, order, radius, inclusive):
    """:func:`count_sorted` for a column in input order: ``order`` sorts it,
    ``radius`` and the result are in input order."""
    n = values.shape[0]
    srt = np.empty(n)
    rad = np.empty(n)
    for t in range(n):
        srt[t] = values[order[t]]
        rad[t] = radius[order[t]]
    c = count_sorted(srt, rad, inclusive)
    out = np.empty(n, np.int64)
    for t in range(n):
        out[order[t]] = c[t]
    return out


@njit(nogil=True, cache=CACHE)
def ksg_terms(kvec, dup_joint, plus_counts, plus_dups, minus_counts, minus_dups, psi):
    """Mean over points of ``psi(k_i) + sum psi(plus) - sum psi(minus)``.

    ``plus_counts``/``minus_counts`` are (n, a) and (n, b) arrays of marginal
    counts (the point itself included) for the spaces whose digamma enters
    with a plus or a minus sign: for I(X;Y) plus is empty and minus is
    (x, y); for I(X;Y|Z) plus is (z,) and minus is (xz, yz).  ``*_dups`` are
    the numbers of exact duplicates in the same spaces, used for points with
    ``dup_joint[i] >= kvec[i]`` (Gao et al.'s rule).
    """
    n = kvec.shape[0]
    total = 0.0
    for i in range(n):
        if dup_joint[i] >= kvec[i]:
            s = psi[dup_joint[i]]
            for a in range(plus_dups.shape[1]):
                s += psi[plus_dups[i, a] + 1]
            for b in range(minus_dups.shape[1]):
                s -= psi[minus_dups[i, b] + 1]
        else:
            s = psi[kvec[i]]
            for a in range(plus_counts.shape[1]):
                s += psi[plus_counts[i, a]]
            for b in range(minus_counts.shape[1]):
                s -= psi[minus_counts[i, b]]
        total += s
    return total / n


recover_corrupt_cache(globals())
