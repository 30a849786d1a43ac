"""The figures of the Plots page: one call of each function of mifs.plotting.

Run: python docs/guide/plot_gallery.py [OUTPUT_FOLDER]
(the figures go to docs/figures/ by default).
"""

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer

from mifs import KSGEstimator, MIRanker, MRMRSelector
from mifs.plotting import plot_information_diagram, plot_mi_matrix, plot_scores, plot_selection_path

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "figures"
out.mkdir(parents=True, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True, as_frame=True)

# scores of every feature, with permutation p-values
ranker = MIRanker(k=10, n_permutations=99, random_state=0).fit(X, y)
ax = plot_scores(ranker, top=15)
ax.figure.savefig(out / "plot_scores.png", dpi=100)

# relevance, redundancy and criterion at each step of mRMR
selector = MRMRSelector(8, criterion="mid", random_state=0).fit(X, y)
ax = plot_selection_path(selector)
ax.figure.savefig(out / "plot_selection_path.png", dpi=100)

# the information diagram of a four-valued X and a copy of it that is wrong 30% of the time
rng = np.random.default_rng(0)
x = rng.integers(0, 4, 5000)
noisy = np.where(rng.random(5000) < 0.3, rng.integers(0, 4, 5000), x)
ax = plot_information_diagram(x, noisy, base=2)
ax.figure.savefig(out / "plot_information_diagram.png", dpi=100)

# the feature-feature information of the ten "mean" measurements
ax = plot_mi_matrix(X.iloc[:, :10], estimator=KSGEstimator(random_state=0))
ax.figure.savefig(out / "plot_mi_matrix.png", dpi=100)
