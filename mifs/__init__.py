"""mifs: information-theoretic feature selection for scikit-learn.

The public names are imported on first use (PEP 562), so ``import mifs``
and ``mifs --help`` stay fast: scikit-learn, numba and the kernels load
when an estimator or a submodule is first touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: public name -> module that defines it
_LAZY = {
    "InfoGainSplitter": "mifs._splitter",
    "KSGEstimator": "mifs._ksg",
    "MIClassifier": "mifs._milc",
    "MIRanker": "mifs._ranker",
    "MRMRSelector": "mifs._mrmr",
    "pairwise_mutual_information": "mifs._pairwise",
}
_SUBMODULES = ("bounds", "information", "plotting")

__all__: list[str] = [
    "__version__",
    "InfoGainSplitter",
    "KSGEstimator",
    "MIClassifier",
    "MIRanker",
    "MRMRSelector",
    "pairwise_mutual_information",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"mifs.{name}")
    else:
        raise AttributeError(f"module 'mifs' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


if TYPE_CHECKING:  # for type checkers and IDEs: the eager imports
    from mifs import bounds, information
    from mifs._ksg import KSGEstimator
    from mifs._milc import MIClassifier
    from mifs._mrmr import MRMRSelector
    from mifs._pairwise import pairwise_mutual_information
    from mifs._ranker import MIRanker
    from mifs._splitter import InfoGainSplitter
