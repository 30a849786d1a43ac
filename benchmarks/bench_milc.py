"""MIClassifier's four losses on scikit-learn's digits, clean and with noisy labels.

The shape of the MLP experiment of Yi et al. ("Mutual Information Learned
Classifiers") on data available offline: a 64-64 ReLU network on the 8x8
digits (1797 images, 10 classes), trained with each loss

* ``ce`` -- cross-entropy;
* ``label_smoothing`` -- cross-entropy against labels smoothed by 0.1;
* ``confidence_penalty`` -- cross-entropy minus ``lam`` times the mean
  prediction entropy;
* ``mil`` -- cross-entropy plus ``lam`` times the label-entropy term,

with the default hyper-parameters (``lam=1``, Adam at 1e-3, batches of 128,
``alpha=1e-4``, at most 200 epochs with the training-loss stopping rule), over
``--seeds`` seeds.  Each seed fixes a stratified 70/30 train/test split, the
pixel scaling (fitted on the training part) and the network's initialisation,
the same for every loss.  The second setting flips 20% of the training labels
(chosen at random per seed) to another class drawn uniformly; test labels
stay clean.

Printed per setting: test accuracy (mean ± standard deviation over seeds);
the network's mutual information ``mutual_information_`` learned on its
training data, in nats (H(Y) = log 10 = 2.303 for balanced digits); the Fano
bound ``error_lower_bound_`` computed from it; the measured test error; the
marginal gap, max_c |mean prediction_c - label frequency_c| on the training
data, which the label-entropy term of ``mil`` penalises; epochs and seconds
per fit.  A reference row gives scikit-learn's
``MLPClassifier`` with the same architecture, optimiser, batches and stopping
rule (its ``alpha`` multiplied by the batch size, since scikit-learn divides
the penalty by it).

    python benchmarks/bench_milc.py [--seeds 5] [--quick] [--no-stopping]

``--quick`` runs 2 seeds and 40 epochs at most, to check the script.
``--no-stopping`` turns the stopping rule off (``n_iter_no_change=inf``) so
that every loss trains for exactly ``max_iter`` epochs.  A
benchmark, not a test: it prints what it measures.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from mifs import MIClassifier

LOSSES = ("ce", "label_smoothing", "confidence_penalty", "mil")
REFERENCE = "sklearn MLPClassifier"
HIDDEN = (64, 64)
ALPHA, BATCH = 1e-4, 128
NOISE = 0.2


def split(seed: int, noise: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scaled train/test parts of digits; ``noise`` of the training labels flipped."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    if noise > 0:
        rng = np.random.default_rng(seed)
        n_classes = 10
        flip = rng.choice(y_train.size, size=round(noise * y_train.size), replace=False)
        y_train = y_train.copy()
        y_train[flip] = (y_train[flip] + rng.integers(1, n_classes, size=flip.size)) % n_classes
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def run_one(name: str, seed: int, max_iter: int, n_iter_no_change: float, data) -> dict[str, float]:
    X_train, X_test, y_train, y_test = data
    common = {"max_iter": max_iter, "n_iter_no_change": n_iter_no_change, "random_state": seed}
    if name == REFERENCE:
        clf = MLPClassifier(HIDDEN, alpha=ALPHA * BATCH, batch_size=BATCH, **common)
    else:
        clf = MIClassifier(HIDDEN, loss=name, alpha=ALPHA, batch_size=BATCH, **common)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    seconds = time.perf_counter() - t0
    label_marginal = np.bincount(y_train, minlength=10) / y_train.size
    mean_prediction = clf.predict_proba(X_train).mean(axis=0)
    out = {
        "acc": clf.score(X_test, y_test),
        "gap": float(np.abs(mean_prediction - label_marginal).max()),
        "epochs": clf.n_iter_,
        "seconds": seconds,
    }
    if name != REFERENCE:
        out.update(mi=clf.mutual_information_, bound=clf.error_lower_bound_)
    return out


def mean_std(values: list[float], fmt: str) -> str:
    return f"{np.mean(values):{fmt}} ± {np.std(values):{fmt}}"


def report(title: str, results: dict[str, list[dict[str, float]]]) -> None:
    print(f"\n{title}")
    header = (
        f"{'loss':<22} {'test accuracy':>16} {'learned MI (nats)':>18} "
        f"{'Fano bound':>11} {'test error':>11} {'marginal gap':>13} {'epochs':>7} {'s/fit':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, runs in results.items():
        acc = [r["acc"] for r in runs]
        mi = mean_std([r["mi"] for r in runs], ".3f") if "mi" in runs[0] else "-"
        bound = f"{np.mean([r['bound'] for r in runs]):.4f}" if "bound" in runs[0] else "-"
        print(
            f"{name:<22} {mean_std(acc, '.4f'):>16} {mi:>18} {bound:>11} "
            f"{1 - np.mean(acc):>11.4f} {np.mean([r['gap'] for r in runs]):>13.1e} "
            f"{np.mean([r['epochs'] for r in runs]):>7.0f} "
            f"{np.mean([r['seconds'] for r in runs]):>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 seeds, at most 40 epochs")
    parser.add_argument(
        "--no-stopping", action="store_true", help="train every loss for exactly max_iter epochs"
    )
    args = parser.parse_args()
    seeds = range(2 if args.quick else args.seeds)
    max_iter = 40 if args.quick else 200
    n_iter_no_change = np.inf if args.no_stopping else 10
    print(
        f"digits: 1797 images, 64 pixels, 10 classes; MLP {HIDDEN}, alpha={ALPHA}, "
        f"batch {BATCH}, max_iter={max_iter}, n_iter_no_change={n_iter_no_change}; "
        f"seeds {list(seeds)}; cores = {os.cpu_count()}"
    )
    for title, noise in (
        ("clean training labels", 0.0),
        (f"{NOISE:.0%} of training labels flipped", NOISE),
    ):
        results: dict[str, list[dict[str, float]]] = {name: [] for name in (*LOSSES, REFERENCE)}
        for seed in seeds:
            data = split(seed, noise)
            for name in results:
                results[name].append(run_one(name, seed, max_iter, n_iter_no_change, data))
        report(title, results)


if __name__ == "__main__":
    main()
