"""Private numba kernels: arrays in, arrays out, no validation, no scikit-learn.

Compiled kernels are cached on disk (``CACHE``).  numba looks for a writable
place in this order: ``NUMBA_CACHE_DIR``, the package's own ``__pycache__``,
the user's cache directory; if none is writable (a read-only installation
run by a user without a writable home) numba would refuse to import the
kernels, so this module points it at a per-user folder in the temporary
directory, and if even that is not writable, turns caching off: the kernels
then compile once per process.
"""

from __future__ import annotations

import os
import tempfile

from numba.core import config
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
