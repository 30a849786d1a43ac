"""mRMR against top-k relevance on data with redundant features.

The class depends on four independent features, z0 most strongly:
y = [2 z0 + z1 + z2 + z3 + noise > 0].  Five noisy copies of z0 and ten noise
features are added.  The copies are almost as relevant as z0 itself, so
ranking by relevance alone (MIRanker) fills its top k with z0 and its copies,
which say the same thing; mRMR (MRMRSelector, criterion "mid") discounts a
candidate's redundancy with what is already selected and takes z1, z2, z3.

Every selection is made inside the cross-validation folds (a Pipeline), so
the accuracies are those of the whole procedure on held-out data.

Run: python docs/examples/mrmr_vs_topk.py [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from mifs import MIRanker, MRMRSelector
from mifs.plotting import plot_scores

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "figures"
out.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(0)
n = 2000
z = rng.standard_normal((n, 4))
y = (z @ np.array([2.0, 1.0, 1.0, 1.0]) + 0.5 * rng.standard_normal(n) > 0).astype(int)
copies = z[:, [0]] + 0.3 * rng.standard_normal((n, 5))
noise = rng.standard_normal((n, 10))
names = [f"z{j}" for j in range(4)] + [f"z0 copy {j}" for j in range(1, 6)] + [f"noise {j}" for j in range(1, 11)]
X = pd.DataFrame(np.column_stack([z, copies, noise]), columns=names)

cv = StratifiedKFold(5, shuffle=True, random_state=0)


def cv_accuracy(selector):
    scores = cross_val_score(make_pipeline(selector, LogisticRegression()), X, y, cv=cv)
    return scores.mean(), scores.std()


# selection on all the data, to see what each method picks
top_k = MIRanker(k=4, random_state=0).fit(X, y)
mrmr = MRMRSelector(4, criterion="mid", random_state=0).fit(X, y)
print("features picked on all the data (k = 4):")
print("  top-k relevance:", ", ".join(X.columns[np.argsort(top_k.ranking_)[:4]]))
print("  mRMR (mid):     ", ", ".join(X.columns[mrmr.selected_features_]))
print()

print("5-fold cross-validated accuracy of a logistic regression, mean ± sd over folds")
accuracy = {}
for label, selector in [
    ("top-k relevance, k = 4", MIRanker(k=4, random_state=0)),
    ("mRMR (mid), k = 4", MRMRSelector(4, criterion="mid", random_state=0)),
    ("all 19 features", "passthrough"),
]:
    accuracy[label] = cv_accuracy(selector)
    print(f"  {label:<26}{accuracy[label][0]:.3f} ± {accuracy[label][1]:.3f}")
print()

print("the other criteria of MRMRSelector, k = 4")
for criterion in ("miq", "mifs", "cife", "jmi", "jmim", "cmim"):
    picked = MRMRSelector(4, criterion=criterion, random_state=0).fit(X, y).selected_features_
    mean, sd = cv_accuracy(MRMRSelector(4, criterion=criterion, random_state=0))
    print(f"  {criterion:<6}{mean:.3f} ± {sd:.3f}   picks {', '.join(X.columns[picked])}")

# accuracy against the number of features kept, selection inside every fold
ks = np.arange(1, 9)
curves = {"top-k relevance": np.zeros((ks.size, 5)), "mRMR (mid)": np.zeros((ks.size, 5))}
for fold, (train, test) in enumerate(cv.split(X, y)):
    ranker = MIRanker(k="all", random_state=0).fit(X.iloc[train], y[train])
    selector = MRMRSelector(int(ks.max()), criterion="mid", random_state=0).fit(X.iloc[train], y[train])
    orders = {"top-k relevance": np.argsort(ranker.ranking_), "mRMR (mid)": selector.selected_features_}
    for label, order in orders.items():
        for i, k in enumerate(ks):
            cols = X.columns[order[:k]]
            model = LogisticRegression().fit(X.iloc[train][cols], y[train])
            curves[label][i, fold] = model.score(X.iloc[test][cols], y[test])
print()
print("cross-validated accuracy against k (the first k features of each fold's selection)")
print("  k  " + "  ".join(f"{label:>16}" for label in curves))
for i, k in enumerate(ks):
    print(f"  {k}  " + "  ".join(f"{curves[label][i].mean():>16.3f}" for label in curves))

fig, (ax_scores, ax_curve) = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained")
plot_scores(MIRanker(k="all", random_state=0).fit(X, y), top=12, ax=ax_scores)
ax_scores.set_title("relevance I(feature; y): z0 and its copies lead")
for label, marker in zip(curves, "os"):
    ax_curve.errorbar(ks, curves[label].mean(1), yerr=curves[label].std(1), fmt=marker + "-", capsize=3, label=label)
ax_curve.axhline(accuracy["all 19 features"][0], color="grey", linestyle=":", label="all 19 features")
ax_curve.set_xlabel("number of features kept, k")
ax_curve.set_ylabel("5-fold CV accuracy")
ax_curve.set_title("logistic regression on the selected features")
ax_curve.legend(loc="upper left")
ax_curve.grid(alpha=0.3)
fig.savefig(out / "mrmr_vs_topk.png", dpi=110)
