"""Helpers shared by the benchmark scripts: best-of-N timing, and the peak
resident memory of a call beyond what the process held before it.

``ru_maxrss`` is a high-water mark for the whole process and cannot be
reset, so a peak reached while preparing the data hides the peak of the
call; :func:`peak_extra` samples the resident set size from
``/proc/self/statm`` in a background thread while the call runs (Linux).
"""

from __future__ import annotations

import os
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def best_of(fn, repeat: int):
    """Run ``fn()`` ``repeat`` times; return (the shortest time in seconds, the last result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


def peak_extra(fn, interval: float = 0.002) -> tuple[int, float]:
    """Run ``fn()``; return (peak RSS during the call minus RSS before, seconds)."""
    before = rss()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    try:
        fn()
    finally:
        elapsed = time.perf_counter() - t0
        done.set()
        sampler.join()
    peak[0] = max(peak[0], rss())
    return peak[0] - before, elapsed
