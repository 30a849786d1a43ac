"""Numba kernels for information-gain split search and MDL discretisation.

Private to :class:`mifs.InfoGainSplitter`.  Arrays in, arrays out: nothing here
validates, imports scikit-learn or allocates per-threshold Python objects.

Conventions shared by every kernel:

* ``X`` is a 2-D float64 array of finite values, seen by the kernel as a
  read-only C-contiguous matrix (itself or its transpose, see
  :func:`column_splits`); ``y`` holds class codes ``0 .. n_classes - 1`` (int64); ``w``
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

from mifs._kernels import CACHE, as_float64, as_int64, recover_corrupt_cache

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
def stable_argsort(x):
    """Stable argsort of a contiguous float64 vector without NaN.

    An LSD radix sort on unsigned keys whose order is the numerical order of
    the floats (their bit patterns, sign-adjusted), with 11-bit digits;
    passes whose digit is the same for every key are skipped.  An insertion
    sort of the same keys for short vectors.  (Kernels here allocate with
    ``np.empty`` and fill with loops: numba compiles ``np.zeros``,
    ``np.arange`` and slice assignments separately, which costs the cold
    start more than it saves.)
    """
    n = x.shape[0]
    bits = x.view(np.uint64)
    keys = np.empty(n, dtype=np.uint64)
    for i in range(n):
        b = bits[i]
        if b & _SIGN_BIT:
            keys[i] = ~b
        else:
            keys[i] = b | _SIGN_BIT
    src_o = np.empty(n, dtype=np.int64)
    for i in range(n):
        src_o[i] = i
    if n < _SMALL_SORT:
        for i in range(1, n):
            k = keys[i]
            j = i - 1
            while j >= 0 and keys[j] > k:
                keys[j + 1] = keys[j]
                src_o[j + 1] = src_o[j]
                j -= 1
            keys[j + 1] = k
            src_o[j + 1] = i
        return src_o
    hist = np.empty((_RADIX_PASSES, _RADIX_SIZE), dtype=np.int64)
    for p in range(_RADIX_PASSES):
        for b in range(_RADIX_SIZE):
            hist[p, b] = 0
    for i in range(n):
        k = keys[i]
        for p in range(_RADIX_PASSES):
            hist[p, np.int64((k >> np.uint64(p * _RADIX_BITS)) & _RADIX_MASK)] += 1
    src_k = keys
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
    for c in range(tot_w.shape[0]):
        tot_w[c] = 0.0
        tot_n[c] = 0
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
    for k in range(left_w.shape[0]):
        left_w[k] = 0.0
        left_n[k] = 0
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
    for k in range(left_w.shape[0]):
        left_w[k] = 0.0
        left_n[k] = 0
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
    k = np.int64(0)  # not literal zeros: a literal argument compiles a callee once more
    k1 = np.int64(0)
    k2 = np.int64(0)
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


# The heap of pending cuts: rows of ``h_f`` are ``[priority, threshold]``,
# rows of ``h_i`` ``[start, end, pos]``; an item pops before another when its
# priority is larger, or equal with a smaller start.  (The comparison and the
# swap are written out in place: as two more numba functions they cost the
# cold start more than the repetition.)


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
        if h_f[child, 0] != h_f[parent, 0]:
            before = h_f[child, 0] > h_f[parent, 0]
        else:
            before = h_i[child, 0] < h_i[parent, 0]
        if not before:
            break
        for q in range(2):
            t = h_f[child, q]
            h_f[child, q] = h_f[parent, q]
            h_f[parent, q] = t
        for q in range(3):
            u = h_i[child, q]
            h_i[child, q] = h_i[parent, q]
            h_i[parent, q] = u
        child = parent
    return size + 1


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _heap_pop(h_f, h_i, size):
    """Move the first item to row ``size - 1`` and restore the heap on the rest."""
    last = size - 1
    node = 0
    other = last
    while True:
        # swap rows node and other (first the top with the last item)
        for q in range(2):
            t = h_f[node, q]
            h_f[node, q] = h_f[other, q]
            h_f[other, q] = t
        for q in range(3):
            u = h_i[node, q]
            h_i[node, q] = h_i[other, q]
            h_i[other, q] = u
        if other != last:
            node = other
        left = 2 * node + 1
        if left >= last:
            break
        best = left
        right = left + 1
        if right < last:
            if h_f[right, 0] != h_f[left, 0]:
                if h_f[right, 0] > h_f[left, 0]:
                    best = right
            elif h_i[right, 0] < h_i[left, 0]:
                best = right
        if h_f[best, 0] != h_f[node, 0]:
            before = h_f[best, 0] > h_f[node, 0]
        else:
            before = h_i[best, 0] < h_i[node, 0]
        if not before:
            break
        other = best
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
    zero = np.int64(0)  # a literal 0 would compile the callees once more
    size = zero

    _segment_totals(ys, ws, zero, n, tot_w, tot_n)
    if use_mdl:
        ok = _mdl_accepts(ys, ws, zero, root_pos, n, tot_w, tot_n, table, left_w, left_n)
    else:
        ok = root_score > MIN_IMPROVEMENT
    if ok:
        weight = 0.0  # the segment's total weight, summed in order as tot_w.sum() does
        for c in range(tot_w.shape[0]):
            weight += tot_w[c]
        size = _heap_push(h_f, h_i, size, weight * root_score, zero, n, root_pos, root_thr)

    # is_cut[pos]: a cut separates sorted positions pos - 1 and pos; its
    # threshold waits in cuts[pos] until the cuts are gathered in order below.
    is_cut = np.empty(n, dtype=np.bool_)
    for pos in range(n):
        is_cut[pos] = False
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
                weight = 0.0
                for c in range(tot_w.shape[0]):
                    weight += tot_w[c]
                size = _heap_push(h_f, h_i, size, weight * score, a, b, p, thr)
    k = 0
    for pos in range(n):
        if is_cut[pos]:
            cuts[k] = cuts[pos]  # k <= pos: reads stay ahead of writes
            k += 1
    return n_cuts


def column_splits(X, cols, y, w, n_classes, criterion, min_leaf, table, discretise, use_mdl, max_cuts):
    """Best split (and optionally the discretisation) of each column in ``cols``.

    Returns ``(thresholds, scores, found, left_counts, right_counts, cut_points,
    n_cuts)``, one row per entry of ``cols``: the best threshold (NaN when
    ``found`` is False), its score clipped at 0 (0 when not found), the weighted
    class counts of both children of that split, and -- when ``discretise`` --
    the concatenated sorted cut points of every column with their numbers.

    The kernel :func:`_column_splits` compiles once: it sees ``X`` as a
    read-only C-contiguous float64 matrix, either ``X`` itself or, for an
    F-ordered ``X`` (a pandas frame's values, say), its transpose, so that
    neither layout is copied (nor a read-only memory map); any other dtype
    or layout is copied into that form once.  The other arguments are
    converted to int64, float64, int and bool.
    """
    X = np.asarray(X)
    if X.dtype != np.float64 or not (X.flags.c_contiguous or X.flags.f_contiguous):
        X = np.ascontiguousarray(X, dtype=np.float64)
    transposed = not X.flags.c_contiguous
    X = (X.T if transposed else X).view(np.ndarray)
    X.flags.writeable = False  # a view: the caller's array keeps its flags
    m = len(cols)
    thresholds, scores = np.full(m, np.nan), np.zeros(m)
    found, n_cuts = np.zeros(m, dtype=np.bool_), np.zeros(m, dtype=np.int64)
    left_counts, right_counts = np.zeros((m, int(n_classes))), np.zeros((m, int(n_classes)))
    store, n_stored = _column_splits(
        X, transposed, as_int64(cols), as_int64(y), as_float64(w), int(n_classes), int(criterion),
        int(min_leaf), as_float64(table), bool(discretise), bool(use_mdl), int(max_cuts),
        thresholds, scores, found, left_counts, right_counts, n_cuts,
    )
    return thresholds, scores, found, left_counts, right_counts, store[:n_stored].copy(), n_cuts


@njit(nogil=True, cache=CACHE, error_model="numpy")
def _column_splits(
    X, transposed, cols, y, w, n_classes, criterion, min_leaf, table, discretise, use_mdl, max_cuts,
    thresholds, scores, found, left_counts, right_counts, n_cuts,
):
    """:func:`column_splits` on ``X`` (n, p), or on ``X.T`` when
    ``transposed`` (then ``X`` is (p, n)), into its outputs (NaN, zeros
    and False on entry); returns the concatenated cut points in a buffer
    and how many there are."""
    n = X.shape[1] if transposed else X.shape[0]
    m = cols.shape[0]
    store = np.empty(max(16, 4 * m))
    n_stored = 0
    zero = np.int64(0)  # a literal 0 would compile the callees once more

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
            if transposed:  # each column is a row of X: read it in order
                for r in range(min(GATHER, m - c)):
                    for i in range(n):
                        gathered[r, i] = X[cols[c + r], i]
            else:
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
        _segment_totals(ys, ws, zero, n, tot_w, tot_n)
        pos, thr, score = _best_in_segment(
            xs, ys, ws, zero, n, tot_w, tot_n, criterion, min_leaf, table, left_w, left_n
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
                for t in range(n_stored):
                    bigger[t] = store[t]
                store = bigger
            for t in range(k):
                store[n_stored + t] = cut_buf[t]
            n_stored += k
    return store, n_stored


recover_corrupt_cache(globals())
