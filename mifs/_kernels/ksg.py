"""The sums of the KSG estimators, given neighbour radii and marginal counts.

* :func:`ksg_pair_sum` - one continuous column against one continuous column
  (Kraskov et al. 2004, algorithms 1 and 2); the engine finds the k-NN in
  the 2-D max-norm with the KD-tree and the marginal counts by binary
  search on the sorted columns (``mifs._engine``), in its scratch space.
* :func:`ksg_terms` - the per-point sum of the general estimator, given the
  neighbour radii and the counts in every marginal space; shared by mutual
  information and the conditional mutual information of Frenzel and Pompe.

Tie rule (Gao, Kannan, Oh, Viswanath 2017): a point with at least ``k`` exact
duplicates in the joint space has a k-th neighbour distance of zero; its term
uses ``k~`` = the number of its duplicates and the numbers of exactly equal
values in each marginal space, instead of counts inside a zero radius.
"""

from numba import njit

from mifs._kernels import CACHE, recover_corrupt_cache


@njit(nogil=True, cache=CACHE, error_model="numpy")
def ksg_pair_sum(nx, ny, dup_joint, dup_x, dup_y, k, algorithm, psi):
    """I(x; y) in nats for two continuous columns (unclipped), from the
    marginal counts of the k-NN radius.

    ``nx``, ``ny`` (n,): the marginal counts, the point itself included,
    strictly inside the joint k-NN radius (algorithm 1) or within the
    neighbours' extent in that coordinate (algorithm 2).  ``dup_joint``,
    ``dup_x``, ``dup_y`` (n,): the numbers of exact raw duplicates of each
    point in the joint space and the marginals, or empty arrays when one of
    the columns has no ties.
    """
    n = nx.shape[0]
    ties = dup_joint.shape[0] > 0
    corr = 1.0 / k if algorithm == 2 else 0.0
    total = 0.0
    for i in range(n):
        if ties and dup_joint[i] >= k:
            total += psi[dup_joint[i]] - psi[dup_x[i] + 1] - psi[dup_y[i] + 1]
        elif algorithm == 1:
            total += psi[k] - psi[nx[i]] - psi[ny[i]]
        else:
            # algorithm 2 counts exclude the point itself
            total += psi[k] - corr - psi[nx[i] - 1] - psi[ny[i] - 1]
    return psi[n] + total / n


@njit(nogil=True, cache=CACHE, error_model="numpy")
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
