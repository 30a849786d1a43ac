"""mifs: information-theoretic feature selection for scikit-learn."""

__version__ = "0.1.0"

from mifs import bounds, information
from mifs._ksg import KSGEstimator
from mifs._milc import MIClassifier
from mifs._mrmr import MRMRSelector
from mifs._pairwise import pairwise_mutual_information
from mifs._ranker import MIRanker
from mifs._splitter import InfoGainSplitter

__all__: list[str] = [
    "__version__",
    "InfoGainSplitter",
    "KSGEstimator",
    "MIClassifier",
    "MIRanker",
    "MRMRSelector",
    "pairwise_mutual_information",
]
