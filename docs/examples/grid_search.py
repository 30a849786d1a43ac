"""Tune the number of features and the estimator's k in a Pipeline with GridSearchCV.

MIRanker is an ordinary scikit-learn selector, and its estimator's
parameters are reachable through the usual double-underscore names:
``select__k`` (features kept) and ``select__estimator__n_neighbors`` (the k of
the KSG estimator).  The data: scikit-learn's breast-cancer table (30
features) with 30 columns of pure noise appended, so that the number of
features kept matters.  The grid search runs on a training split; the chosen
model is scored once on the held-out test split.

Run: python docs/examples/grid_search.py [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from mifs import KSGEstimator, MIRanker

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "figures"
out.mkdir(parents=True, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
rng = np.random.default_rng(0)
noise = pd.DataFrame(rng.standard_normal((len(X), 30)), index=X.index, columns=[f"noise {j}" for j in range(1, 31)])
X = pd.concat([X, noise], axis=1)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("select", MIRanker(KSGEstimator(), random_state=0)),
        ("clf", LogisticRegression(max_iter=5000)),
    ]
).set_output(transform="pandas")  # column names travel through the pipeline
grid = {"select__k": [3, 5, 10, 20, 30, 60], "select__estimator__n_neighbors": [3, 10]}
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(5, shuffle=True, random_state=0)).fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
table = results.pivot_table(
    index="param_select__k", columns="param_select__estimator__n_neighbors", values="mean_test_score"
)
print(f"{len(X_train)} training samples, {X.shape[1]} features (30 of them noise); 5-fold CV accuracy (rows: select__k,")
print("columns: select__estimator__n_neighbors)")
print(table.round(3).to_string())
print()
print("best parameters:", search.best_params_)
print(f"best CV accuracy: {search.best_score_:.3f}")
print(f"accuracy of the refitted best pipeline on the {len(X_test)} held-out samples: {search.score(X_test, y_test):.3f}")
kept = search.best_estimator_.named_steps["select"].get_feature_names_out()
print(f"it keeps {len(kept)} features, {sum(name.startswith('noise') for name in kept)} of them noise")

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
for n_neighbors, marker in zip(table.columns, "os"):
    ax.plot(table.index, table[n_neighbors], marker + "-", label=f"n_neighbors = {n_neighbors}")
best = search.best_params_
ax.plot(best["select__k"], search.best_score_, "*", color="black", markersize=14, label="best")
ax.set_xscale("log")
ax.set_xticks(table.index, [str(k) for k in table.index])
ax.minorticks_off()
ax.set_xlabel("select__k (features kept)")
ax.set_ylabel("5-fold CV accuracy")
ax.set_title("breast cancer + 30 noise features: MIRanker + LogisticRegression")
ax.legend(loc="lower right")
ax.grid(alpha=0.3)
fig.savefig(out / "grid_search.png", dpi=110)
