"""Scores of every public path on fixed problems, frozen to a file.

Run ``python tests/reference/make_reference.py`` to write
``tests/reference/scores.npz``; ``tests/test_reference_scores.py``
recomputes every entry and requires the same numbers bit for bit.  The
file was written before the engine was restructured (issue #13), so the
test holds the restructured code to the numbers of the code it replaced.
Regenerate it only for a deliberate change of the numbers, and say so in
the commit.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def problems() -> dict[str, tuple]:
    """Deterministic data sets: (X, y) pairs of every kind the engine meets."""
    rng = np.random.default_rng(2026)
    n = 400
    a = rng.standard_normal(n)
    b = a + 0.6 * rng.standard_normal(n)
    c = rng.standard_normal(n)
    cont = np.column_stack([a, b, c, a * c + 0.3 * rng.standard_normal(n), np.round(b, 1)])
    y_cont = a + b**2 + 0.5 * rng.standard_normal(n)
    y_class = (a + 0.5 * rng.standard_normal(n) > 0).astype(int) + (c > 1).astype(int)
    mixed = pd.DataFrame(
        {
            "a": a,
            "b_rounded": np.round(b, 1),
            "colour": rng.choice(["red", "green", "blue"], n),
            "flag": rng.random(n) < 0.4,
            "level": rng.integers(0, 4, n),
            "c": c,
        }
    )
    gappy = cont.copy()
    gappy[rng.random((n, cont.shape[1])) < 0.1] = np.nan
    y_gappy = y_cont.copy()
    y_gappy[rng.random(n) < 0.05] = np.nan
    return {
        "cont_cont": (cont, y_cont),
        "cont_class": (cont, y_class),
        "mixed_class": (mixed, y_class),
        "mixed_cont": (mixed, y_cont),
        "gappy_cont": (gappy, y_gappy),
    }


def compute() -> dict[str, np.ndarray]:
    from mifs import InfoGainSplitter, KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information

    out: dict[str, np.ndarray] = {}
    probs = problems()
    for name, (X, y) in probs.items():
        pairwise = "gappy" in name
        missing = "pairwise" if pairwise else "error"
        for k, alg, clip in [(3, 1, True), (5, 2, False)]:
            est = KSGEstimator(k, algorithm=alg, clip=clip, missing_values=missing, random_state=7)
            out[f"ksg/{name}/k{k}a{alg}"] = est.fit(X, y).mi_
            out[f"ksg_call/{name}/k{k}a{alg}"] = est(X, y)
        ranker = MIRanker(
            KSGEstimator(missing_values=missing, random_state=3), k=3, n_permutations=19
        ).fit(X, y)
        out[f"ranker/{name}/scores"] = ranker.scores_
        out[f"ranker/{name}/pvalues"] = ranker.pvalues_
        criteria = ["mid", "miq", "mifs", "cife", "jmi", "jmim", "cmim"] if not pairwise else ["mid", "jmi", "cmim"]
        for criterion in criteria:
            sel = MRMRSelector(4, criterion=criterion, estimator=KSGEstimator(missing_values=missing, random_state=5))
            sel.fit(X, y)
            for attr in ("selected_features_", "scores_", "relevance_", "redundancy_", "criterion_"):
                out[f"mrmr/{name}/{criterion}/{attr}"] = np.asarray(getattr(sel, attr), dtype=np.float64)
        matrix = pairwise_mutual_information(X, estimator=KSGEstimator(missing_values=missing, random_state=11))
        out[f"pairwise/{name}"] = np.asarray(matrix, dtype=np.float64)
    X, y = probs["cont_class"]
    auto = MRMRSelector("auto", criterion="jmi", estimator=KSGEstimator(random_state=2)).fit(X, y)
    out["mrmr/cont_class/auto/selected_features_"] = auto.selected_features_.astype(np.float64)
    est = KSGEstimator(random_state=13)
    X = probs["mixed_cont"][0]
    x2, y1, z2 = X[["a", "colour"]], probs["mixed_cont"][1], X[["b_rounded", "level"]]
    out["estimate/mixed/xy"] = np.array([est.estimate(x2, y1)])
    out["estimate/mixed/xyz"] = np.array([est.estimate(x2, y1, z2)])
    out["estimate/cont/xyz"] = np.array([est.estimate(X["a"], X["c"], X["b_rounded"])])
    splitter = InfoGainSplitter().fit(probs["cont_class"][0], probs["cont_class"][1])
    for attr in ("thresholds_", "gains_"):
        if hasattr(splitter, attr):
            out[f"splitter/{attr}"] = np.asarray(getattr(splitter, attr), dtype=np.float64)
    out["splitter/transform"] = np.asarray(splitter.transform(probs["cont_class"][0]), dtype=np.float64)
    return out


def main() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = compute()
    np.savez_compressed(HERE / "scores.npz", **scores)
    print(f"wrote {len(scores)} arrays to {HERE / 'scores.npz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
