"""JMI finds an xor pair that MID misses.

y = x0 xor x1, with x0 a fair coin and x1 a coin that shows 1 one time in
five.  Alone, x1 tells nothing about y (I(x1; y) = 0); with x0 it determines
y.  A "weak" feature (y with 35% of its values flipped) and five fair coins
complete the data.  MID scores each candidate by its own relevance minus its
redundancy, so it takes the weak feature; the conditional criteria (JMI,
JMIM, CMIM, CIFE) see that x1 completes x0.

Run: python docs/examples/xor_jmi.py [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

from mifs import MRMRSelector
from mifs.plotting import plot_selection_path

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "figures"
out.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(0)
n = 2000
x0 = rng.integers(0, 2, n)
x1 = (rng.random(n) < 0.2).astype(int)
y = x0 ^ x1
weak = y ^ (rng.random(n) < 0.35)
X = pd.DataFrame({"x0": x0, "x1": x1, "weak": weak, **{f"coin {j}": rng.integers(0, 2, n) for j in range(1, 6)}})

cv = StratifiedKFold(5, shuffle=True, random_state=0)
print("three steps of each criterion (plug-in estimates, nats); then the 5-fold CV accuracy")
print("of a decision tree on the first two features, selected inside each fold")
print(f"{'criterion':<10}{'selected':<24}{'criterion value per step':<26}{'accuracy':>8}")
fitted = {}
for criterion in ("mid", "miq", "mifs", "cife", "jmi", "jmim", "cmim"):
    selector = MRMRSelector(3, criterion=criterion).fit(X, y)
    fitted[criterion] = selector
    pipe = make_pipeline(MRMRSelector(2, criterion=criterion), DecisionTreeClassifier(random_state=0))
    accuracy = cross_val_score(pipe, X, y, cv=cv).mean()
    chosen = ", ".join(X.columns[selector.selected_features_])
    values = " ".join(f"{v:.3f}" for v in selector.criterion_)
    print(f"{criterion:<10}{chosen:<24}{values:<26}{accuracy:>8.3f}")
print(f"relevance I(x0; y) = {fitted['jmi'].scores_[0]:.3f}, I(x1; y) = {fitted['jmi'].scores_[1]:.3f}, "
      f"I(weak; y) = {fitted['jmi'].scores_[2]:.3f}; H(y) = ln 2 = {np.log(2):.3f}")

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained", sharey=True)
for ax, criterion in zip(axes, ("mid", "jmi")):
    plot_selection_path(fitted[criterion], ax=ax)
fig.savefig(out / "xor_jmi.png", dpi=110)
