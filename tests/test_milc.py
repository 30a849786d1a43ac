"""Tests for MIClassifier.

References used here: central finite differences for every gradient, the
loss formulas written out with scipy's softmax, scikit-learn's multinomial
LogisticRegression for the linear model's optimum, scikit-learn's
MLPClassifier for the cross-entropy training run, sklearn.metrics.log_loss
and mifs.information / mifs.bounds for the information estimates.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from scipy.special import softmax
from sklearn.datasets import load_digits, load_iris, load_wine, make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from mifs import MIClassifier
from mifs._milc import LOSSES, loss_and_grads
from mifs.bounds import fano_error_lower_bound
from mifs.information import cross_entropy, entropy

SETTINGS = dict(lam=0.7, smoothing=0.2, alpha=0.3)


def tiny_problem(hidden: tuple[int, ...], seed: int = 0):
    """Random weights, 9 samples of 3 features, 4 classes of which class 3 never occurs."""
    rng = np.random.default_rng(seed)
    units = [3, *hidden, 4]
    coefs = [rng.normal(size=(a, b)) for a, b in zip(units[:-1], units[1:], strict=True)]
    intercepts = [rng.normal(size=b) for b in units[1:]]
    X = rng.normal(size=(9, 3))
    Y = np.eye(4)[rng.integers(0, 3, size=9)]
    return coefs, intercepts, X, Y


def fit_quietly(clf: MIClassifier, X, y) -> MIClassifier:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y)


def standardised(loader) -> tuple[np.ndarray, np.ndarray]:
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


# --------------------------------------------------------------------------
# losses and gradients


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize(
    ("activation", "hidden"),
    [("relu", (5, 4)), ("tanh", (5, 4)), ("logistic", (6,)), ("identity", (3,)), ("relu", ())],
)
def test_gradients_match_finite_differences(loss, activation, hidden):
    coefs, intercepts, X, Y = tiny_problem(hidden)
    kw = dict(loss=loss, activation=activation, **SETTINGS)
    _, coef_grads, intercept_grads = loss_and_grads(coefs, intercepts, X, Y, **kw)
    h = 1e-6
    for arrays, grads in ((coefs, coef_grads), (intercepts, intercept_grads)):
        for A, G in zip(arrays, grads, strict=True):
            numeric = np.empty_like(A)
            for idx in np.ndindex(A.shape):
                old = A[idx]
                A[idx] = old + h
                up = loss_and_grads(coefs, intercepts, X, Y, **kw)[0]
                A[idx] = old - h
                down = loss_and_grads(coefs, intercepts, X, Y, **kw)[0]
                A[idx] = old
                numeric[idx] = (up - down) / (2 * h)
            assert G.shape == A.shape
            assert np.linalg.norm(G - numeric) < 1e-6 * np.linalg.norm(numeric)


def reference_loss(coefs, intercepts, X, Y, loss, lam, smoothing, alpha):
    """The documented batch losses, written out with a tanh network."""
    a = X
    for W, b in zip(coefs[:-1], intercepts[:-1], strict=True):
        a = np.tanh(a @ W + b)
    q = softmax(a @ coefs[-1] + intercepts[-1], axis=1)
    n, n_classes = Y.shape
    ce = -np.mean(np.log(q[Y == 1]))
    if loss == "ce":
        value = ce
    elif loss == "label_smoothing":
        target = (1 - smoothing) * Y + smoothing / n_classes
        value = -np.sum(target * np.log(q)) / n
    elif loss == "confidence_penalty":
        value = ce - lam * np.mean([entropy(row) for row in q])
    else:
        value = ce + lam * cross_entropy(Y.mean(axis=0), q.mean(axis=0))
    return value + alpha / 2 * sum(np.sum(W**2) for W in coefs)


@pytest.mark.parametrize("loss", LOSSES)
def test_loss_values_follow_the_documented_formulas(loss):
    coefs, intercepts, X, Y = tiny_problem((5,), seed=3)
    value = loss_and_grads(coefs, intercepts, X, Y, loss=loss, activation="tanh", **SETTINGS)[0]
    assert value == pytest.approx(
        reference_loss(coefs, intercepts, X, Y, loss, **SETTINGS), rel=1e-12
    )


def test_loss_and_gradients_survive_extreme_logits():
    # Logits of order 1e4: probabilities underflow to 0, logs must not.
    coefs, intercepts, X, Y = tiny_problem(())
    coefs = [1e4 * coefs[0]]
    for loss in LOSSES:
        value, coef_grads, intercept_grads = loss_and_grads(
            coefs, intercepts, X, Y, loss=loss, activation="relu", **SETTINGS
        )
        assert np.isfinite(value)
        assert all(np.isfinite(g).all() for g in coef_grads + intercept_grads)


def test_zero_weights_reduce_every_loss_to_cross_entropy():
    X, y = make_blobs(80, centers=3, random_state=0)
    common = dict(hidden_layer_sizes=(6,), batch_size=16, max_iter=5, random_state=0)
    ce = fit_quietly(MIClassifier(loss="ce", **common), X, y)
    for clf in (
        MIClassifier(loss="mil", lam=0.0, **common),
        MIClassifier(loss="confidence_penalty", lam=0.0, **common),
        MIClassifier(loss="label_smoothing", smoothing=0.0, **common),
    ):
        fit_quietly(clf, X, y)
        for a, b in zip(clf.coefs_ + clf.intercepts_, ce.coefs_ + ce.intercepts_, strict=True):
            assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    # ... and a positive weight does change the training.
    mil = fit_quietly(MIClassifier(loss="mil", lam=1.0, **common), X, y)
    assert not np.allclose(mil.coefs_[0], ce.coefs_[0])


# --------------------------------------------------------------------------
# consistency with multinomial logistic regression


@pytest.mark.parametrize("loader", [load_iris, load_wine])
def test_linear_cross_entropy_reaches_logistic_regression(loader):
    # Ours: (1/n) sum_i CE_i + alpha/2 ||W||^2.  sklearn's lbfgs multinomial
    # LR minimises C sum_i CE_i + 1/2 ||W||^2 (intercepts unpenalised in
    # both); dividing ours by alpha gives the same objective with C = 1/(alpha n).
    X, y = standardised(loader)
    n, alpha = len(y), 1e-2
    reference = LogisticRegression(C=1 / (alpha * n), tol=1e-10, max_iter=10_000).fit(X, y)
    clf = MIClassifier(
        (),
        loss="ce",
        alpha=alpha,
        batch_size=n,  # full batch: deterministic gradient descent
        learning_rate_init=0.03,
        max_iter=1000,
        tol=0.0,
        n_iter_no_change=np.inf,
        random_state=0,
    )
    fit_quietly(clf, X, y)
    assert np.abs(clf.predict_proba(X) - reference.predict_proba(X)).max() < 1e-3
    # Both penalise every class's weights, so both sum to zero over classes:
    # the weights are equal, not just equivalent.
    assert_allclose(clf.coefs_[0], reference.coef_.T, atol=1e-3)


def test_cross_entropy_network_reproduces_mlpclassifier():
    # Same Glorot initialisation, epoch shuffles and Adam, drawn from the same
    # RandomState in the same order.  sklearn divides the weight penalty by the
    # batch size, so its alpha is ours times the batch size: the two are the
    # same computation when the batch size divides n.
    X, y = standardised(load_digits)
    X, y = X[:256], y[:256]
    common = {"batch_size": 32, "max_iter": 300, "random_state": 0}
    ours = MIClassifier((16,), loss="ce", alpha=1e-3, **common).fit(X, y)
    reference = MLPClassifier((16,), alpha=1e-3 * 32, **common).fit(X, y)
    assert ours.n_iter_ == reference.n_iter_ < 300
    for a, b in zip(
        ours.coefs_ + ours.intercepts_, reference.coefs_ + reference.intercepts_, strict=True
    ):
        assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert_allclose(ours.loss_curve_, reference.loss_curve_, rtol=1e-9)
    assert_allclose(ours.predict_proba(X), reference.predict_proba(X), rtol=1e-9, atol=1e-12)


def test_free_bias_optimum_matches_the_label_marginal():
    # The gradient of the full-batch CE in the (unpenalised) output bias is
    # n (q_bar - p_hat): at the optimum the mean prediction is the label
    # marginal, so the label-entropy term sits at its minimum H(p_hat).
    X, y = standardised(load_wine)
    clf = MIClassifier(
        (),
        loss="ce",
        alpha=1e-2,
        batch_size=len(y),
        learning_rate_init=0.03,
        max_iter=1000,
        tol=0.0,
        n_iter_no_change=np.inf,
        random_state=0,
    )
    fit_quietly(clf, X, y)
    p_hat = np.bincount(y) / len(y)
    assert_allclose(clf.predict_proba(X).mean(axis=0), p_hat, atol=1e-6)
    assert clf.label_entropy_ == pytest.approx(entropy(p_hat), abs=1e-9)


# --------------------------------------------------------------------------
# fitted attributes and information estimates


def test_information_estimates():
    # Imbalanced classes: H(Y) < log 3, so the bound uses the model's label entropy.
    X, y = make_blobs([90, 40, 20], cluster_std=3.0, random_state=1)
    clf = fit_quietly(MIClassifier((8,), batch_size=32, random_state=0), X, y)
    assert clf.label_entropy_ < math.log(3) - 0.1
    proba = clf.predict_proba(X)
    assert clf.conditional_entropy_ == pytest.approx(log_loss(y, proba), rel=1e-10)
    p_hat = np.bincount(y) / len(y)
    assert clf.label_entropy_ == pytest.approx(cross_entropy(p_hat, proba.mean(axis=0)), rel=1e-10)
    assert clf.mutual_information_ == clf.label_entropy_ - clf.conditional_entropy_
    assert 0 < clf.mutual_information_ < math.log(3)
    expected = fano_error_lower_bound(
        clf.mutual_information_, 3, label_entropy=min(clf.label_entropy_, math.log(3))
    )
    assert clf.error_lower_bound_ == pytest.approx(expected)


def test_negative_information_is_clipped_for_the_bound():
    # Huge inputs and no training: confidently wrong predictions, CE above H(p, q_bar).
    rng = np.random.default_rng(0)
    X = 50 * rng.normal(size=(60, 3))
    y = rng.integers(0, 3, size=60)
    clf = fit_quietly(
        MIClassifier((), loss="ce", max_iter=1, learning_rate_init=1e-9, random_state=0), X, y
    )
    assert clf.mutual_information_ < 0
    h = min(clf.label_entropy_, math.log(3))
    assert clf.error_lower_bound_ == pytest.approx(fano_error_lower_bound(0.0, 3, label_entropy=h))


def test_fitted_shapes_and_hidden_layer_sizes():
    X, y = make_blobs(40, n_features=5, centers=4, random_state=0)
    for hidden, shapes in [
        ((), [(5, 4)]),
        (7, [(5, 7), (7, 4)]),
        ((6, 3), [(5, 6), (6, 3), (3, 4)]),
    ]:
        clf = fit_quietly(MIClassifier(hidden, max_iter=2, random_state=0), X, y)
        assert [W.shape for W in clf.coefs_] == shapes
        assert [b.shape for b in clf.intercepts_] == [(s[1],) for s in shapes]
        assert clf.n_features_in_ == 5
        assert clf.n_iter_ == len(clf.loss_curve_) == 2
        assert clf.loss_ == clf.loss_curve_[-1]
        assert clf.validation_scores_ is None


def test_string_labels_and_dataframes():
    X, y = make_blobs(90, centers=3, random_state=0)
    labels = np.array(["setosa", "virginica", "versicolor"])[y]
    frame = pd.DataFrame(X, columns=["a", "b"])
    clf = fit_quietly(MIClassifier((8,), batch_size=16, random_state=0), frame, labels)
    assert_array_equal(clf.classes_, ["setosa", "versicolor", "virginica"])
    assert_array_equal(clf.feature_names_in_, ["a", "b"])
    assert clf.score(frame, labels) > 0.9
    assert set(clf.predict(frame)) <= set(labels)


def test_binary_problem():
    X, y = make_blobs(60, centers=2, random_state=3)
    clf = fit_quietly(MIClassifier((4,), batch_size=16, random_state=0), X, y == 1)
    assert_array_equal(clf.classes_, [False, True])
    assert clf.predict_proba(X).shape == (60, 2)
    assert clf.score(X, y == 1) == 1.0


def test_probabilities_are_consistent_and_stable():
    X, y = make_blobs(50, centers=3, random_state=0)
    clf = fit_quietly(MIClassifier((5,), max_iter=20, random_state=0), X, y)
    far = 1e6 * X[:5]  # saturated logits
    log_proba = clf.predict_log_proba(far)
    assert np.isfinite(log_proba).all()
    assert_allclose(np.exp(log_proba), clf.predict_proba(far))
    proba = clf.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_sparse_input_matches_dense():
    X, y = make_blobs(60, n_features=4, centers=3, random_state=0)
    X[X < 0] = 0.0
    dense = fit_quietly(MIClassifier((5,), max_iter=10, random_state=0), X, y)
    csr = fit_quietly(MIClassifier((5,), max_iter=10, random_state=0), sparse.csr_matrix(X), y)
    for a, b in zip(dense.coefs_, csr.coefs_, strict=True):
        assert_allclose(a, b, rtol=1e-10)
    assert_allclose(csr.predict_proba(sparse.csr_matrix(X)), dense.predict_proba(X), rtol=1e-10)


def test_deterministic_for_a_fixed_random_state():
    X, y = make_blobs(70, centers=3, random_state=0)
    params = dict(hidden_layer_sizes=(6,), batch_size=16, max_iter=15, random_state=7)
    a = fit_quietly(MIClassifier(**params), X, y)
    b = fit_quietly(MIClassifier(**params), X, y)
    assert a.loss_curve_ == b.loss_curve_
    for u, v in zip(a.coefs_, b.coefs_, strict=True):
        assert_array_equal(u, v)
    c = fit_quietly(MIClassifier(**{**params, "random_state": 8}), X, y)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


# --------------------------------------------------------------------------
# stopping


def test_convergence_warning_at_max_iter():
    X, y = make_blobs(40, centers=2, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"maximum iterations \(3\)"):
        clf = MIClassifier((4,), max_iter=3, random_state=0).fit(X, y)
    assert clf.n_iter_ == 3


def test_stops_when_the_training_loss_stalls():
    X, y = make_blobs(40, centers=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MIClassifier((4,), tol=10.0, n_iter_no_change=4, random_state=0).fit(X, y)
    # the first epoch sets best_loss_; nothing improves by 10, so epochs 2..6 count 5 > 4
    assert clf.n_iter_ == 6
    assert clf.best_loss_ == min(clf.loss_curve_)


def test_early_stopping_restores_the_best_weights():
    X, y = make_blobs(200, centers=3, cluster_std=4.0, random_state=0)
    params = dict(
        hidden_layer_sizes=(32,),
        batch_size=16,
        learning_rate_init=0.02,
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=5,
        random_state=0,
    )
    stopped = fit_quietly(MIClassifier(max_iter=300, **params), X, y)
    best = int(np.argmax(stopped.validation_scores_)) + 1
    assert stopped.n_iter_ == len(stopped.validation_scores_) > best
    assert stopped.best_validation_score_ == max(stopped.validation_scores_)
    assert stopped.best_loss_ is None
    # The same run cut at the best epoch ends on the weights that were restored.
    cut = fit_quietly(MIClassifier(max_iter=best, **{**params, "n_iter_no_change": np.inf}), X, y)
    assert cut.validation_scores_ == stopped.validation_scores_[:best]
    stopped_params = stopped.coefs_ + stopped.intercepts_
    for a, b in zip(stopped_params, cut.coefs_ + cut.intercepts_, strict=True):
        assert_array_equal(a, b)


def test_verbose_reports_each_epoch(capsys):
    X, y = make_blobs(30, centers=2, random_state=0)
    fit_quietly(MIClassifier((3,), max_iter=2, verbose=1, random_state=0), X, y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss = " in out and "Iteration 2, loss = " in out


# --------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (dict(hidden_layer_sizes=(4, 0)), "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=(2.5,)), "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=(True,)), "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=0), "hidden_layer_sizes"),
        (dict(loss="hinge"), "'loss' parameter"),
        (dict(lam=-1.0), "'lam' parameter"),
        (dict(smoothing=1.5), "'smoothing' parameter"),
        (dict(activation="softplus"), "'activation' parameter"),
        (dict(batch_size=0), "'batch_size' parameter"),
        (dict(validation_fraction=1.0), "'validation_fraction' parameter"),
        (dict(early_stopping=True, validation_fraction=0.01), "validation_fraction"),
    ],
)
def test_bad_parameters_are_named(params, match):
    X, y = make_blobs(40, centers=2, random_state=0)
    with pytest.raises(ValueError, match=match):
        MIClassifier(**params).fit(X, y)


def test_bad_targets():
    X, _ = make_blobs(20, centers=2, random_state=0)
    with pytest.raises(ValueError, match="at least 2 classes"):
        MIClassifier().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="Unknown label type"):
        MIClassifier().fit(X, np.linspace(0, 1, 20))
    with pytest.raises(ValueError, match="NaN"):
        MIClassifier().fit(np.full((20, 2), np.nan), np.arange(20) % 2)
