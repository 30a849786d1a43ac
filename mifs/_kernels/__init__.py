"""Private numba kernels: arrays in, arrays out, no validation, no scikit-learn.

Compiled kernels are cached on disk (``CACHE``).  numba looks for a writable
place in this order: ``NUMBA_CACHE_DIR``, the package's own ``__pycache__``,
the user's cache directory; if none is writable (a read-only installation
run by a user without a writable home) numba would refuse to import the
kernels, so this module points it at a per-user folder in the temporary
directory, and if even that is not writable, turns caching off: the kernels
then compile once per process.

A corrupt cache file (an empty or garbled ``.nbi`` index or ``.nbc`` data
file, say from a full disk) would make numba raise ``UnpicklingError`` or
``EOFError`` on the first call of a kernel.  Every kernel module ends with
:func:`recover_corrupt_cache`, which gives its kernels a cache that, on such
an error, deletes that kernel's cache files and compiles it afresh (the new
files replace them), with one ``RuntimeWarning`` per process naming the
cache folder.

The first compilation in a process (10-40 s on a cold cache, for the first
fit of an estimator) is announced once, on the logger ``"mifs.compile"`` at
level WARNING: without any logging configuration this prints one line on
stderr, ``mifs: compiling numba kernels for first use ...``; when the kernels
load from the cache nothing is said.  Silence it with
``logging.getLogger("mifs.compile").setLevel(logging.ERROR)``.
"""

from __future__ import annotations

import glob
import logging
import os
import tempfile
import threading
import warnings

import numpy as np
from numba.core import config, event
from numba.core.caching import FunctionCache
from numba.core.dispatcher import Dispatcher
from numba.misc.appdirs import AppDirs


def _writable(path: str) -> bool:
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError:
        return False
    return True


def _cache_location(here: str = os.path.dirname(os.path.abspath(__file__))) -> bool:
    """Make sure numba can cache, redirecting it if needed; False if it cannot."""
    if config.CACHE_DIR and _writable(config.CACHE_DIR):
        return True
    config.CACHE_DIR = ""
    if _writable(os.path.join(here, "__pycache__")):
        return True
    if _writable(AppDirs(appname="numba", appauthor=False).user_cache_dir):
        return True
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    fallback = os.path.join(tempfile.gettempdir(), f"mifs-numba-cache-{uid}")
    if _writable(fallback):
        config.CACHE_DIR = fallback
        return True
    return False


#: Whether kernels are cached on disk (``cache=CACHE`` in every ``@njit``).
CACHE = _cache_location()


# ------------------------------------------------------ the kernels' layout
#
# Every kernel compiles once (issue #13): it is only ever called with
# float64 values and int64 codes, orders and counts, in C-contiguous,
# writable arrays (plus Python ints, floats and bools), so that numba never
# specialises it for another dtype, memory layout or read-only flag; the
# only int32 arrays are scratch that never leaves a kernel family (a KD-tree's
# indices, ross_mi's positions), always int32.  The engine gathers each
# column into that layout in its scratch space; the plain-Python
# conveniences of the kernel modules convert with these.  Kernels called
# from other kernels get no literal constants (a literal ``0`` is a type of
# its own to numba, compiled apart), and a kernel compiled with
# ``parallel=True`` is only called for one large estimate.  The splitter's
# matrix is the one read-only argument (see ``splits.column_splits``).
# ``tests/conftest.py`` fails a test run in which any kernel compiled twice.


def as_float64(a) -> np.ndarray:
    """``a`` as a C-contiguous, writable float64 array (itself if it is one)."""
    a = np.asarray(a)
    if a.dtype == np.float64 and a.flags.c_contiguous and a.flags.writeable:
        return a
    return np.array(a, dtype=np.float64, order="C")


def as_int64(a) -> np.ndarray:
    """``a`` as a C-contiguous, writable int64 array (itself if it is one)."""
    a = np.asarray(a)
    if a.dtype == np.int64 and a.flags.c_contiguous and a.flags.writeable:
        return a
    return np.array(a, dtype=np.int64, order="C")


# ------------------------------------------------------ corrupt cache files

_lock = threading.Lock()
_warned_corrupt = False


def _warn_corrupt(folder: str, exc: BaseException) -> None:
    global _warned_corrupt
    with _lock:
        if _warned_corrupt:
            return
        _warned_corrupt = True
    warnings.warn(
        f"mifs: the numba cache in {folder} held a corrupt file ({type(exc).__name__}: {exc}); "
        "removed the affected kernels' cache files and recompiled them (cached afresh).",
        RuntimeWarning,
        stacklevel=2,
    )


class _RecoveringCache(FunctionCache):
    """numba's on-disk cache of one function, which survives corrupt files.

    numba unpickles a function's index (``.nbi``) and data (``.nbc``) files
    and lets any error out of the dispatcher, so one bad file makes every
    call fail.  Here an error while loading removes the function's cache
    files and counts as a miss: the function compiles and saving writes a
    fresh index and data file.  Saving rereads the index, so an error there
    is handled the same way, once.  The file names are numba's own.
    """

    def load_overload(self, sig, target_context):
        try:
            return super().load_overload(sig, target_context)
        except Exception as exc:  # noqa: BLE001 - any unreadable entry is a miss
            self._discard(exc)
            return None

    def save_overload(self, sig, data):
        try:
            super().save_overload(sig, data)
        except Exception as exc:  # noqa: BLE001 - the index it rereads is unreadable
            self._discard(exc)
            super().save_overload(sig, data)

    def _discard(self, exc: BaseException) -> None:
        base = os.path.join(self.cache_path, self._impl.filename_base)
        for path in [base + ".nbi", *glob.glob(glob.escape(base) + ".*.nbc")]:
            try:
                os.remove(path)
            except OSError:
                pass
        _warn_corrupt(self.cache_path, exc)


def recover_corrupt_cache(namespace: dict) -> None:
    """Give the cached kernels defined in ``namespace`` (a kernel module's
    ``globals()``) a cache that recovers from corrupt files."""
    for obj in list(namespace.values()):
        if (
            isinstance(obj, Dispatcher)
            and obj.py_func.__module__ == namespace["__name__"]
            and type(obj._cache) is FunctionCache
        ):
            obj._cache = _RecoveringCache(obj.py_func)


# ------------------------------------------------------ the compile notice

#: Logger of the one-off notice that kernels are being compiled.
LOGGER = logging.getLogger("mifs.compile")

NOTICE = (
    "mifs: compiling numba kernels for first use (one-off, cached afterwards; "
    "run 'mifs warmup' to do it ahead) ..."
)
NOTICE_UNCACHED = (
    "mifs: compiling numba kernels (no writable cache folder, so every new process "
    "compiles them again) ..."
)


class _CompileNotice(event.Listener):
    """Says once per process that a kernel of this package is being
    compiled; numba fires its "numba:compile" event only for a real
    compilation, not when a kernel loads from the cache."""

    def __init__(self):
        self.said = False

    def on_start(self, ev):
        if self.said:
            return
        dispatcher = ev.data.get("dispatcher") if isinstance(ev.data, dict) else None
        module = getattr(getattr(dispatcher, "py_func", None), "__module__", None) or ""
        if not module.startswith(__name__ + "."):
            return
        with _lock:
            if self.said:
                return
            self.said = True
        LOGGER.warning(NOTICE if CACHE else NOTICE_UNCACHED)

    def on_end(self, ev):
        pass


event.register("numba:compile", _CompileNotice())
