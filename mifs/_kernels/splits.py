"""Numba kernels for information-gain split search and MDL discretisation.

Private to :class:`mifs.InfoGainSplitter`.  Arrays in, arrays out: nothing here
validates, imports scikit-learn or allocates per-threshold Python objects.

Conventions shared by every kernel:

* ``X`` is a 2-D float64 array of finite values (any memory layout, possibly
  read-only); ``y`` holds class codes ``0 .. n_classes - 1`` (int64); ``w``
  holds strictly positive float64 sample weights (zero-weight samples are
  removed before the kernels run).
* Columns are copied out of ``X`` a few at a time (``GATHER`` per pass over
  the rows) and each is sorted once, by a stable radix sort on the IEEE-754 bit
  pattern (``-0.0`` lands just before ``0.0``; the sweep compares values, so
  the two form one group).  The split search sweeps weighted class counts left
  to right over the sorted values and evaluates the criterion only between
  consecutive distinct values.  The recursive discretisation works on
  contiguous slices of the same sorted arrays, so nothing is sorted twice.
* Compiled with ``error_model="numpy"`` (no Python division checks in the
  inner loops) and without ``fastmath``; no kernel divides by zero, since
  every child of a candidate split holds positive weight.
* Scores: ``ENTROPY`` is the information gain in nats, ``GINI`` the decrease
  of Gini impurity, ``GAIN_RATIO`` the information gain divided by the split
  information.  All are weighted by child size in the usual way.
* ``table`` is either empty or ``x * log(x)`` for ``x = 0, 1, ..., m`` with
  ``m`` at least the total weight; it may only be passed non-empty when every
  weight is an integer, so that every class count is an exact integer.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from mifs._kernels import CACHE, recover_corrupt_cache

ENTROPY = 0
GINI = 1
GAIN_RATIO = 2

# Splits found with ``stopping=None`` are kept only when they improve the
# criterion by more than this (nats for entropy/gain ratio, Gini units for
# gini): below it an "improvement" is floating-point noise on a split whose
# children have exactly the parent's class proportions.
MIN_IMPROVEMENT = 1e-12

_SIGN_BIT = np.uint64(0x8000000000000000)
_RADIX_BITS = 11
_RADIX_SIZE = 1 << _RADIX_BITS
_RADIX_PASSES = 6  # ceil(64 / 11)
_RADIX_MASK = np.uint64(_RADIX_SIZE - 1)
# Below this many values an insertion sort of the keys beats clearing the
# radix histograms.  Both sorts are stable on the same keys, so they give the
# same permutation.
_SMALL_SORT = 64
# Columns gathered from X per pass over its rows (8 doubles: one cache line).
GATHER = 8


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _float_keys(x):
    """Unsigned keys whose order is the numerical order of ``x`` (no NaN)."""
    n = x.shape[0]
    bits = x.view(np.uint64)
    keys = np.empty(n, dtype=np.uint64)
    for i in range(n):
        b = bits[i]
        if b & _SIGN_BIT:
            keys[i] = ~b
        else:
            keys[i] = b | _SIGN_BIT
    return keys


@njit(nogil=True, cache=CACHE, error_model="numpy")
def stable_argsort(x):
    """Stable argsort of a contiguous float64 vector without NaN.

    An LSD radix sort on the float bit patterns (11-bit digits, passes whose
    digit is the same for every key are skipped); an insertion sort of the same
    keys for short vectors.
    """
    keys = _float_keys(x)
    n = keys.shape[0]
    if n < _SMALL_SORT:
        order = np.arange(n)
        for i in range(1, n):
            k = keys[i]
            j = i - 1
            while j >= 0 and keys[j] > k:
                keys[j + 1] = keys[j]
                order[j + 1] = order[j]
                j -= 1
            keys[j + 1] = k
            order[j + 1] = i
        return order
    hist = np.zeros((_RADIX_PASSES, _RADIX_SIZE), dtype=np.int64)
    for i in range(n):
        k = keys[i]
        for p in range(_RADIX_PASSES):
            hist[p, np.int64((k >> np.uint64(p * _RADIX_BITS)) & _RADIX_MASK)] += 1
    src_k = keys
    src_o = np.arange(n)
    dst_k = np.empty(n, dtype=np.uint64)
    dst_o = np.empty(n, dtype=np.int64)
    offsets = np.empty(_RADIX_SIZE, dtype=np.int64)
    for p in range(_RADIX_PASSES):
        shift = np.uint64(p * _RADIX_BITS)
        first = np.int64((src_k[0] >> shift) & _RADIX_MASK)
        if hist[p, first] == n:
            continue  # every key has the same digit: the pass is the identity
        total = 0
        for b in range(_RADIX_SIZE):
            offsets[b] = total
            total += hist[p, b]
        for i in range(n):
            k = src_k[i]
            b = np.int64((k >> shift) & _RADIX_MASK)
            pos = offsets[b]
            offsets[b] = pos + 1
            dst_k[pos] = k
            dst_o[pos] = src_o[i]
        src_k, dst_k = dst_k, src_k
        src_o, dst_o = dst_o, src_o
    return src_o


@njit(nogil=True, cache=CACHE, error_model="numpy")
def xlogx_table(m):
    """``x * log(x)`` for ``x = 0 .. m`` (natural log, ``0 log 0 = 0``)."""
    table = np.empty(m + 1, dtype=np.float64)
    table[0] = 0.0
    for i in range(1, m + 1):
        c = float(i)
        table[i] = c * math.log(c)
    return table


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _xlogx(c, table):
    if c <= 0.0:
        return 0.0
    if table.shape[0] > 0:
        return table[np.int64(c)]
    return c * math.log(c)


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _segment_totals(ys, ws, start, end, tot_w, tot_n):
    tot_w[:] = 0.0
    tot_n[:] = 0
    for i in range(start, end):
        c = ys[i]
        tot_w[c] += ws[i]
        tot_n[c] += 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _best_in_segment(
    xs, ys, ws, start, end, tot_w, tot_n, criterion, min_leaf, table, left_w, left_n
):
    """Best ``x <= t`` split of the sorted slice ``[start, end)``.

    Returns ``(pos, threshold, score)``: the left child is ``[start, pos)``.
    ``pos == -1`` (threshold NaN, score -inf) when no threshold leaves at least
    ``min_leaf`` samples on both sides.  Among equal scores the smallest
    threshold wins (strict improvement while sweeping left to right).
    """
    n_classes = tot_w.shape[0]
    left_w[:] = 0.0
    left_n[:] = 0
    big_n = 0.0
    parent = 0.0
    for k in range(n_classes):
        big_n += tot_w[k]
        if criterion == GINI:
            parent += tot_w[k] * tot_w[k]
        else:
            parent += _xlogx(tot_w[k], table)
    if criterion == GINI:
        parent = parent / big_n
    else:
        parent = _xlogx(big_n, table) - parent  # big_n * H(parent)
    xlogx_n = _xlogx(big_n, table)

    best_pos = -1
    best_thr = np.nan
    best_score = -np.inf
    # i is the last sample of the left child; the right child keeps end - i - 1.
    for i in range(start, end - min_leaf):
        c = ys[i]
        left_w[c] += ws[i]
        left_n[c] += 1
        if i + 1 - start < min_leaf:
            continue
        a = xs[i]
        b = xs[i + 1]
        if a == b:
            continue
        nl = 0.0
        nr = 0.0
        sl = 0.0
        sr = 0.0
        for k in range(n_classes):
            lw = left_w[k]
            rw = 0.0
            if tot_n[k] > left_n[k]:
                rw = max(tot_w[k] - lw, 0.0)
            nl += lw
            nr += rw
            if criterion == GINI:
                sl += lw * lw
                sr += rw * rw
            else:
                sl += _xlogx(lw, table)
                sr += _xlogx(rw, table)
        if criterion == GINI:
            score = (sl / nl + sr / nr - parent) / big_n
        else:
            xl = _xlogx(nl, table)
            xr = _xlogx(nr, table)
            score = (parent - (xl - sl) - (xr - sr)) / big_n
            if criterion == GAIN_RATIO:
                split_info = (xlogx_n - xl - xr) / big_n
                if split_info > 0.0:
                    score = score / split_info
                else:
                    score = 0.0
        if score > best_score:
            best_score = score
            best_pos = i + 1
            thr = a / 2.0 + b / 2.0
            if thr >= b:  # the midpoint rounded up onto b: use a, as x <= a still separates
                thr = a
            best_thr = thr
    return best_pos, best_thr, best_score


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _log_3k_minus_2(k):
    if k <= 33:  # 3**k is exact in float64
        return math.log(3.0**k - 2.0)
    return k * math.log(3.0) + math.log1p(-2.0 * 3.0 ** (-k))


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _mdl_accepts(ys, ws, start, pos, end, tot_w, tot_n, table, left_w, left_n):
    """Fayyad & Irani's MDLP test for cutting ``[start, end)`` at ``pos``.

    Accept iff ``Gain > (log(N - 1) + Delta) / N`` with
    ``Delta = log(3**k - 2) - (k Ent(S) - k1 Ent(S1) - k2 Ent(S2))``, all in
    nats (the paper's inequality in bits multiplied through by ``ln 2``).
    ``N`` is the total weight of the slice, ``k``, ``k1``, ``k2`` the numbers of
    classes present in the slice and its two parts.
    """
    n_classes = tot_w.shape[0]
    left_w[:] = 0.0
    left_n[:] = 0
    for i in range(start, pos):
        c = ys[i]
        left_w[c] += ws[i]
        left_n[c] += 1
    big_n = 0.0
    nl = 0.0
    nr = 0.0
    sp = 0.0
    sl = 0.0
    sr = 0.0
    k = 0
    k1 = 0
    k2 = 0
    for c in range(n_classes):
        lw = left_w[c]
        rw = 0.0
        if tot_n[c] > left_n[c]:
            rw = max(tot_w[c] - lw, 0.0)
            k2 += 1
        if left_n[c] > 0:
            k1 += 1
        if tot_n[c] > 0:
            k += 1
        big_n += tot_w[c]
        nl += lw
        nr += rw
        sp += _xlogx(tot_w[c], table)
        sl += _xlogx(lw, table)
        sr += _xlogx(rw, table)
    if big_n <= 1.0:
        return False
    e_parent = _xlogx(big_n, table) - sp  # N * Ent(S)
    e_left = _xlogx(nl, table) - sl
    e_right = _xlogx(nr, table) - sr
    gain = (e_parent - e_left - e_right) / big_n
    delta = _log_3k_minus_2(k) - (
        k * (e_parent / big_n) - k1 * (e_left / nl) - k2 * (e_right / nr)
    )
    return gain > (math.log(big_n - 1.0) + delta) / big_n


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _heap_before(h_f, h_i, a, b):
    """Whether heap item ``a`` pops before ``b``: larger priority, then smaller start."""
    if h_f[a, 0] != h_f[b, 0]:
        return h_f[a, 0] > h_f[b, 0]
    return h_i[a, 0] < h_i[b, 0]


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _heap_swap(h_f, h_i, a, b):
    for q in range(2):
        t = h_f[a, q]
        h_f[a, q] = h_f[b, q]
        h_f[b, q] = t
    for q in range(3):
        u = h_i[a, q]
        h_i[a, q] = h_i[b, q]
        h_i[b, q] = u


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _heap_push(h_f, h_i, size, priority, start, end, pos, thr):
    """Push a candidate cut (rows: ``[priority, threshold]``, ``[start, end, pos]``)."""
    h_f[size, 0] = priority
    h_f[size, 1] = thr
    h_i[size, 0] = start
    h_i[size, 1] = end
    h_i[size, 2] = pos
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if not _heap_before(h_f, h_i, child, parent):
            break
        _heap_swap(h_f, h_i, child, parent)
        child = parent
    return size + 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _heap_pop(h_f, h_i, size):
    """Move the first item to row ``size - 1`` and restore the heap on the rest."""
    last = size - 1
    _heap_swap(h_f, h_i, 0, last)
    node = 0
    while True:
        left = 2 * node + 1
        if left >= last:
            break
        best = left
        right = left + 1
        if right < last and _heap_before(h_f, h_i, right, left):
            best = right
        if not _heap_before(h_f, h_i, best, node):
            break
        _heap_swap(h_f, h_i, best, node)
        node = best
    return last


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _discretise(
    xs,
    ys,
    ws,
    criterion,
    min_leaf,
    table,
    use_mdl,
    max_cuts,
    root_pos,
    root_thr,
    root_score,
    tot_w,
    tot_n,
    left_w,
    left_n,
    cuts,
):
    """Recursive binary discretisation of one sorted feature; returns #cuts.

    Every interval's candidate cut is its best split under ``criterion``.  A
    candidate is admissible when it passes the MDLP test (``use_mdl``) or, with
    no stopping rule, when it improves the criterion by more than
    ``MIN_IMPROVEMENT``.  Admissible cuts are made best first, by the interval
    weight times the criterion improvement (ties: leftmost interval first),
    until none is left or ``max_cuts`` cuts are made (``max_cuts < 0``: no
    limit).  Without a limit the order does not matter and the result is the
    plain recursive discretisation.  The sorted cut points are written to
    ``cuts[:n_cuts]``; ``cuts`` (length ``n``) is also the scratch space that
    holds each cut's threshold at its sorted position.
    """
    n = xs.shape[0]
    if root_pos < 0 or max_cuts == 0:
        return 0
    # Pending candidates: at most one per current interval, fewer than n.
    h_f = np.empty((n, 2))
    h_i = np.empty((n, 3), dtype=np.int64)
    size = 0

    _segment_totals(ys, ws, 0, n, tot_w, tot_n)
    if use_mdl:
        ok = _mdl_accepts(ys, ws, 0, root_pos, n, tot_w, tot_n, table, left_w, left_n)
    else:
        ok = root_score > MIN_IMPROVEMENT
    if ok:
        size = _heap_push(h_f, h_i, size, tot_w.sum() * root_score, 0, n, root_pos, root_thr)

    # is_cut[pos]: a cut separates sorted positions pos - 1 and pos; its
    # threshold waits in cuts[pos] until the cuts are gathered in order below.
    is_cut = np.zeros(n, dtype=np.bool_)
    n_cuts = 0
    while size > 0 and (max_cuts < 0 or n_cuts < max_cuts):
        size = _heap_pop(h_f, h_i, size)
        start = h_i[size, 0]
        end = h_i[size, 1]
        pos = h_i[size, 2]
        is_cut[pos] = True
        cuts[pos] = h_f[size, 1]
        n_cuts += 1
        for side in range(2):
            a = start if side == 0 else pos
            b = pos if side == 0 else end
            if b - a < 2 * min_leaf:
                continue
            _segment_totals(ys, ws, a, b, tot_w, tot_n)
            p, thr, score = _best_in_segment(
                xs, ys, ws, a, b, tot_w, tot_n, criterion, min_leaf, table, left_w, left_n
            )
            if p < 0:
                continue
            if use_mdl:
                ok = _mdl_accepts(ys, ws, a, p, b, tot_w, tot_n, table, left_w, left_n)
            else:
                ok = score > MIN_IMPROVEMENT
            if ok:
                size = _heap_push(h_f, h_i, size, tot_w.sum() * score, a, b, p, thr)
    k = 0
    for pos in range(n):
        if is_cut[pos]:
            cuts[k] = cuts[pos]  # k <= pos: reads stay ahead of writes
            k += 1
    return n_cuts


@njit(nogil=True, cache=CACHE, error_model="numpy")
def column_splits(
    X, cols, y, w, n_classes, criterion, min_leaf, table, discretise, use_mdl, max_cuts
):
    """Best split (and optionally the discretisation) of each column in ``cols``.

    Returns ``(thresholds, scores, found, left_counts, right_counts, cut_points,
    n_cuts)``, one row per entry of ``cols``: the best threshold (NaN when
    ``found`` is False), its score clipped at 0 (0 when not found), the weighted
    class counts of both children of that split, and -- when ``discretise`` --
    the concatenated sorted cut points of every column with their numbers.
    """
    n = X.shape[0]
    m = cols.shape[0]
    thresholds = np.full(m, np.nan)
    scores = np.zeros(m)
    found = np.zeros(m, dtype=np.bool_)
    left_counts = np.zeros((m, n_classes))
    right_counts = np.zeros((m, n_classes))
    n_cuts = np.zeros(m, dtype=np.int64)
    store = np.empty(max(16, 4 * m))
    n_stored = 0

    xs = np.empty(n)
    ys = np.empty(n, dtype=np.int64)
    ws = np.empty(n)
    tot_w = np.empty(n_classes)
    tot_n = np.empty(n_classes, dtype=np.int64)
    left_w = np.empty(n_classes)
    left_n = np.empty(n_classes, dtype=np.int64)
    cut_buf = np.empty(max(n, 1))
    # Columns are copied out GATHER at a time in one pass over the rows, so a
    # C-ordered X is read about once per GATHER columns instead of per column.
    gathered = np.empty((min(m, GATHER), n))

    for c in range(m):
        q = c % GATHER
        if q == 0:
            for i in range(n):
                for r in range(min(GATHER, m - c)):
                    gathered[r, i] = X[i, cols[c + r]]
        x = gathered[q]
        order = stable_argsort(x)
        for i in range(n):
            o = order[i]
            xs[i] = x[o]
            ys[i] = y[o]
            ws[i] = w[o]
        _segment_totals(ys, ws, 0, n, tot_w, tot_n)
        pos, thr, score = _best_in_segment(
            xs, ys, ws, 0, n, tot_w, tot_n, criterion, min_leaf, table, left_w, left_n
        )
        if pos >= 0:
            found[c] = True
            thresholds[c] = thr
            scores[c] = max(score, 0.0)
            for i in range(pos):
                left_counts[c, ys[i]] += ws[i]
            for i in range(pos, n):
                right_counts[c, ys[i]] += ws[i]
        if discretise:
            k = _discretise(
                xs,
                ys,
                ws,
                criterion,
                min_leaf,
                table,
                use_mdl,
                max_cuts,
                pos,
                thr,
                score,
                tot_w,
                tot_n,
                left_w,
                left_n,
                cut_buf,
            )
            n_cuts[c] = k
            if n_stored + k > store.shape[0]:
                bigger = np.empty(max(2 * store.shape[0], n_stored + k))
                bigger[:n_stored] = store[:n_stored]
                store = bigger
            store[n_stored : n_stored + k] = cut_buf[:k]
            n_stored += k
    return thresholds, scores, found, left_counts, right_counts, store[:n_stored].copy(), n_cuts


recover_corrupt_cache(globals())
