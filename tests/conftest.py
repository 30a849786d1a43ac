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
