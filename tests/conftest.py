"""Test configuration shared by the whole suite.

Plots render off screen with matplotlib's Agg backend: set here, before any
test or doctest imports pyplot, and through ``MPLBACKEND`` for the example
scripts that the documentation tests run in subprocesses.
"""

import os
import sys

import pytest

os.environ["MPLBACKEND"] = "Agg"
try:
    import matplotlib
except ImportError:  # matplotlib is optional (the "plot" extra)
    pass
else:
    matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test opened, so that none accumulate."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


# ----------------------------------------------------------------------------
# Each numba kernel compiles once (issue #13)


def kernel_signatures() -> dict[str, list]:
    """``module.function`` -> compiled signatures, for every numba dispatcher
    defined in a loaded ``mifs._kernels.*`` module (empty before numba is)."""
    if "numba" not in sys.modules:
        return {}
    from numba.core.dispatcher import Dispatcher

    out = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("mifs._kernels."):
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, Dispatcher) and obj.py_func.__module__ == name:
                out[f"{name}.{obj.py_func.__name__}"] = list(obj.signatures)
    return out


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a kernel compiled more than one signature in it.

    The kernels see one layout (float64 and int64, C-contiguous, writable;
    ``mifs._kernels``), so each compiles once; a second signature is one
    more compilation on every cold start, and means that some caller
    skipped the engine's conversion.  Tests run in subprocesses are not
    seen here (``benchmarks/kernel_signatures.py`` reads their cache files).
    """
    multi = {name: sigs for name, sigs in kernel_signatures().items() if len(sigs) > 1}
    if not multi:
        return
    lines = ["", "KERNELS COMPILED MORE THAN ONCE (issue #13: one signature per kernel):"]
    for name, sigs in sorted(multi.items()):
        lines.append(f"  {name}: {len(sigs)} signatures")
        lines.extend(f"      {sig}" for sig in sigs)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for line in lines:
        if reporter is not None:
            reporter.write_line(line, red=True)
        else:
            print(line, file=sys.stderr)
    if session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
