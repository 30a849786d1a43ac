"""MIClassifier: a small neural network trained by learning mutual information.

Everything is numpy: the forward pass, the hand-written backward pass of the
four losses and Adam.  The private functions at the top work on plain arrays
(weights as lists of matrices, labels one-hot) so that the tests can check
each gradient against finite differences.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import Tags, check_random_state, gen_batches
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mifs._base import label_codes
from mifs.bounds import fano_error_lower_bound

__all__ = ["MIClassifier"]

LOSSES = ("ce", "label_smoothing", "confidence_penalty", "mil")


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


#: Activation functions of the hidden layers.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": _relu,
    "tanh": np.tanh,
    "logistic": expit,
    "identity": _identity,
}

#: Their derivatives, written in terms of the activation's output ``a``.
DERIVATIVES: dict[str, Callable[[np.ndarray], np.ndarray | float]] = {
    "relu": lambda a: (a > 0).astype(a.dtype),
    "tanh": lambda a: 1.0 - a * a,
    "logistic": lambda a: a * (1.0 - a),
    "identity": lambda a: 1.0,
}

# Adam's constants, those of Kingma and Ba (2015) and of scikit-learn.
_BETA1, _BETA2, _EPSILON = 0.9, 0.999, 1e-8


# --------------------------------------------------------------------------
# numerics on arrays


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, shifted by the row maximum: finite for finite ``z``."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def log_mean_rows(log_p: np.ndarray) -> np.ndarray:
    """``log(mean(exp(log_p), axis=0))`` without underflow: the log of the mean prediction."""
    top = log_p.max(axis=0)
    return top + np.log(np.exp(log_p - top).mean(axis=0))


def forward(
    coefs: list[np.ndarray], intercepts: list[np.ndarray], X: Any, activation: str
) -> list[Any]:
    """Inputs, every hidden layer's activations, and the output logits."""
    act = ACTIVATIONS[activation]
    layers = [X]
    for W, b in zip(coefs[:-1], intercepts[:-1], strict=True):
        layers.append(act(layers[-1] @ W + b))
    layers.append(layers[-1] @ coefs[-1] + intercepts[-1])
    return layers


def data_loss_and_logit_grad(
    logits: np.ndarray, Y: np.ndarray, *, loss: str, lam: float, smoothing: float
) -> tuple[float, np.ndarray]:
    """Mean loss over a batch (no weight penalty) and its gradient w.r.t. the logits.

    ``Y`` is the batch's one-hot label matrix.  The formulas are those of
    :class:`MIClassifier`'s Notes.
    """
    n, n_classes = Y.shape
    log_p = log_softmax(logits)
    p = np.exp(log_p)
    if loss == "label_smoothing":
        target = (1.0 - smoothing) * Y + smoothing / n_classes
    else:
        target = Y
    value = -float(np.sum(target * log_p)) / n
    grad = p - target
    if loss == "confidence_penalty":
        # H_i = -sum_k p_ik log p_ik; dH_i/dz_ik = -p_ik (log p_ik + H_i)
        h = -np.sum(p * log_p, axis=1, keepdims=True)
        value -= lam * float(h.mean())
        grad += lam * p * (log_p + h)
    elif loss == "mil":
        # H(p_hat, q_bar) = -sum_k p_hat_k log q_bar_k, q_bar = mean_i p_i:
        # dH/dz_ik = (1/n) p_ik (sum_c w_ic - w_ik), w_ic = p_hat_c p_ic / q_bar_c,
        # with w computed in logs: p_ic / q_bar_c <= n, so no overflow.
        p_hat = Y.mean(axis=0)
        log_q_bar = log_mean_rows(log_p)
        value += lam * -float(p_hat @ log_q_bar)
        w = p_hat * np.exp(log_p - log_q_bar)
        grad += lam * (p * w.sum(axis=1, keepdims=True) - w)
    return value, grad / n


def loss_and_grads(
    coefs: list[np.ndarray],
    intercepts: list[np.ndarray],
    X: Any,
    Y: np.ndarray,
    *,
    loss: str,
    lam: float,
    smoothing: float,
    alpha: float,
    activation: str,
) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """Batch loss with the weight penalty, and its gradients by backpropagation."""
    layers = forward(coefs, intercepts, X, activation)
    value, delta = data_loss_and_logit_grad(layers[-1], Y, loss=loss, lam=lam, smoothing=smoothing)
    value += 0.5 * alpha * sum(float(np.vdot(W, W)) for W in coefs)
    derivative = DERIVATIVES[activation]
    coef_grads: list[np.ndarray] = [np.empty(0)] * len(coefs)
    intercept_grads: list[np.ndarray] = [np.empty(0)] * len(coefs)
    for i in range(len(coefs) - 1, -1, -1):
        coef_grads[i] = np.asarray(layers[i].T @ delta) + alpha * coefs[i]
        intercept_grads[i] = delta.sum(axis=0)
        if i > 0:
            delta = (delta @ coefs[i].T) * derivative(layers[i])
    return value, coef_grads, intercept_grads


class _Adam:
    """Adam (Kingma and Ba 2015) updating a list of arrays in place."""

    def __init__(self, params: list[np.ndarray], learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.t = 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        self.t += 1
        rate = self.learning_rate * math.sqrt(1 - _BETA2**self.t) / (1 - _BETA1**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= _BETA1
            m += (1 - _BETA1) * g
            v *= _BETA2
            v += (1 - _BETA2) * g * g
            p -= rate * m / (np.sqrt(v) + _EPSILON)


# --------------------------------------------------------------------------
# the estimator


class MIClassifier(ClassifierMixin, BaseEstimator):
    r"""Neural-network classifier trained by learning mutual information.

    A multi-layer perceptron with a softmax output, trained with Adam on
    mini-batches.  Cross-entropy training fits the conditional entropy
    :math:`H(Y \mid X)` of the data; the mutual-information-learning loss
    (``loss="mil"``, Yi et al.) adds a label-entropy term so that the
    network learns :math:`I(X; Y) = H(Y) - H(Y \mid X)`.  Plain
    cross-entropy, label smoothing and the confidence penalty are available
    for comparison.  ``hidden_layer_sizes=()`` gives multinomial logistic
    regression.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int or int, default=(64, 64)
        Width of each hidden layer; an int is a single layer, ``()`` none.
    loss : {"mil", "ce", "label_smoothing", "confidence_penalty"}, default="mil"
        Training loss; see Notes for the formulas.
    lam : float, default=1.0
        Weight :math:`\lambda \ge 0` of the label-entropy term of ``"mil"``
        and of the entropy bonus of ``"confidence_penalty"``.  Ignored by the
        other losses.
    smoothing : float, default=0.1
        Label-smoothing amount :math:`s \in [0, 1]` of
        ``"label_smoothing"``.  Ignored by the other losses.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Activation of the hidden layers.
    alpha : float, default=1e-4
        Strength of the L2 penalty :math:`\frac{\alpha}{2} \sum_l \|W_l\|^2`
        on the weights (not the biases), added to every mini-batch's mean
        loss.
    batch_size : int, default=128
        Mini-batch size, clipped to the number of training samples; a value
        at least that number trains full-batch.
    learning_rate_init : float, default=1e-3
        Adam's step size.
    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified)
        and stop when its accuracy has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; the weights of the epoch with the best
        validation accuracy are restored, as in
        :class:`~sklearn.neural_network.MLPClassifier`.  Otherwise training
        stops when the training loss has not improved by ``tol`` for
        ``n_iter_no_change`` epochs.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping=True``;
        in (0, 1).
    n_iter_no_change : int or inf, default=10
        Number of epochs without improvement tolerated before stopping.
    tol : float, default=1e-4
        Least improvement of the training loss (or validation accuracy)
        that counts.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the validation split and the
        shuffling of every epoch.  An int gives identical fits.
    verbose : int, default=0
        Print the loss (and validation accuracy) after each epoch when
        positive.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coefs_ : list of ndarray
        Weight matrices; ``coefs_[i]`` has shape ``(units_i, units_{i+1})``
        with the input width first and ``n_classes`` last.
    intercepts_ : list of ndarray
        Bias vectors; ``intercepts_[i]`` has shape ``(units_{i+1},)``.
    loss_curve_ : list of float
        Training loss (with the weight penalty) of each epoch: the mean of
        the mini-batch losses weighted by batch size.
    loss_ : float
        The last entry of ``loss_curve_``.
    best_loss_ : float or None
        Smallest training loss reached; ``None`` with early stopping.
    validation_scores_ : list of float or None
        Validation accuracy after each epoch with early stopping, else
        ``None``.
    best_validation_score_ : float or None
        Best of ``validation_scores_``; ``None`` without early stopping.
    n_iter_ : int
        Number of epochs run.
    conditional_entropy_ : float
        The model's estimate of :math:`H(Y \mid X)` in nats: the mean
        cross-entropy :math:`-\frac{1}{n} \sum_i \log q(y_i \mid x_i)` on
        the samples passed to :meth:`fit`.
    label_entropy_ : float
        The model's estimate of :math:`H(Y)` in nats: the cross-entropy
        :math:`H(\hat p, \bar q) = -\sum_c \hat p_c \log \bar q_c` of the
        empirical label distribution :math:`\hat p` against the model's mean
        prediction :math:`\bar q = \frac{1}{n} \sum_i q(\cdot \mid x_i)`,
        on the same samples.
    mutual_information_ : float
        ``label_entropy_ - conditional_entropy_``: the model's estimate of
        :math:`I(X; Y)` in nats.
    error_lower_bound_ : float
        Fano's lower bound on the error probability of any classifier, from
        ``mutual_information_`` (see Notes).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X is a DataFrame with string column names.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : The cross-entropy network this
        one mirrors (initialisation, Adam, stopping rules).
    mifs.bounds.fano_error_lower_bound : The bound behind
        ``error_lower_bound_``.

    Notes
    -----
    Let a mini-batch hold :math:`n` samples with one-hot labels
    :math:`y_i`, predictions :math:`q_i = \mathrm{softmax}(z_i)` over
    :math:`C` classes, empirical label distribution
    :math:`\hat p = \frac{1}{n} \sum_i y_i` and mean prediction
    :math:`\bar q = \frac{1}{n} \sum_i q_i`.  With
    :math:`\mathrm{CE} = -\frac{1}{n} \sum_i \sum_c y_{ic} \log q_{ic}`,
    the batch losses are

    - ``"ce"``: :math:`\mathrm{CE}`;
    - ``"label_smoothing"`` (Szegedy et al. 2016): the cross-entropy against
      :math:`(1 - s)\, y_i + s / C`;
    - ``"confidence_penalty"`` (Pereyra et al. 2017):
      :math:`\mathrm{CE} - \lambda \frac{1}{n} \sum_i H(q_i)`;
    - ``"mil"`` (Yi et al.): :math:`\mathrm{CE} + \lambda H(\hat p, \bar q)`
      with :math:`H(\hat p, \bar q) = -\sum_c \hat p_c \log \bar q_c`.
      Both terms are cross-entropies: the first is at least
      :math:`H(Y \mid X)` in expectation, the second at least the batch's
      label entropy :math:`H(\hat p)`, with equality when
      :math:`\bar q = \hat p`.  The loss fits the model's label marginal
      as well as its conditionals; the difference of the two terms is the
      learned :math:`I(X; Y)`.

    each plus :math:`\frac{\alpha}{2} \sum_l \|W_l\|_F^2`.  All gradients
    are analytic.  The one of the label-entropy term couples the samples of
    a batch through :math:`\bar q`: with
    :math:`w_{ic} = \hat p_c\, q_{ic} / \bar q_c`,

    .. math:: \frac{\partial H(\hat p, \bar q)}{\partial z_{ik}}
              = \frac{1}{n}\, q_{ik} \Bigl(\sum_c w_{ic} - w_{ik}\Bigr).

    Log-probabilities come from a shifted log-softmax and
    :math:`\log \bar q` from a shifted log-mean-exp, so no probability is
    ever taken to a logarithm after underflowing.

    The information estimates are plug-in values on the samples passed to
    :meth:`fit` (validation split included).  A network that fits its
    training set closely under-estimates :math:`H(Y \mid X)` there, so
    ``mutual_information_`` is optimistic and ``error_lower_bound_`` is the
    bound for the *training* distribution as the model sees it, not a
    guarantee on test error.  For the bound, :math:`H(Y)` is
    ``label_entropy_`` clipped to :math:`\log C` and the mutual information
    is clipped into :math:`[0, H(Y)]`, the range Fano's inequality accepts;
    the bound is then the least error :math:`P_e` with
    :math:`h(P_e) + P_e \log(C - 1) \ge H(Y) - I(X; Y)`.

    With ``hidden_layer_sizes=()``, ``loss="ce"`` and training to
    convergence, the model is the minimiser of
    :math:`\frac{1}{n} \sum_i \mathrm{CE}_i + \frac{\alpha}{2}\|W\|^2`,
    which is scikit-learn's multinomial
    :class:`~sklearn.linear_model.LogisticRegression` with
    ``C = 1 / (alpha * n_samples)``.

    Weights are initialised as scikit-learn's MLP does (Glorot uniform),
    from a :class:`numpy.random.RandomState` made from ``random_state``;
    the same generator draws the validation split and every epoch's
    shuffle.  Without early stopping, ``loss="ce"`` therefore repeats
    :class:`~sklearn.neural_network.MLPClassifier` with ``solver="adam"``
    and ``alpha`` times ``batch_size`` (scikit-learn divides the penalty by
    the batch size) step for step when ``batch_size`` divides the number of
    samples; otherwise the last, smaller batch of each epoch is penalised
    differently.

    References
    ----------
    .. [1] J. Yi, Q. Zhang, Z. Chen, Q. Liu, W. Shao, "Mutual Information
       Learned Classifiers: an Information-theoretic Viewpoint of Training
       Deep Learning Classification Systems", arXiv:2209.10058 and
       arXiv:2210.01000 (2022).
    .. [2] G. Pereyra, G. Tucker, J. Chorowski, Ł. Kaiser, G. Hinton,
       "Regularizing Neural Networks by Penalizing Confident Output
       Distributions", ICLR workshop (2017).
    .. [3] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens, Z. Wojna,
       "Rethinking the Inception Architecture for Computer Vision", CVPR
       (2016).
    .. [4] D. P. Kingma, J. Ba, "Adam: A Method for Stochastic
       Optimization", ICLR (2015).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mifs import MIClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, stratify=y, random_state=0)
    >>> clf = MIClassifier((16,), batch_size=16, learning_rate_init=0.01, random_state=0)
    >>> model = make_pipeline(StandardScaler(), clf).fit(X_train, y_train)
    >>> model.score(X_test, y_test) > 0.9
    True

    The model's information estimates on its training data, in nats: the
    label entropy is that of three balanced classes, log 3 = 1.10.

    >>> round(clf.label_entropy_, 2), round(clf.mutual_information_, 1)
    (1.1, 1.0)
    >>> clf.error_lower_bound_ < 0.05
    True
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions(set(LOSSES))],
        "lam": [Interval(Real, 0, None, closed="left")],
        "smoothing": [Interval(Real, 0, 1, closed="both")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), Options(Real, {np.inf})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_layer_sizes: Any = (64, 64),
        *,
        loss: str = "mil",
        lam: float = 1.0,
        smoothing: float = 0.1,
        activation: str = "relu",
        alpha: float = 1e-4,
        batch_size: int = 128,
        learning_rate_init: float = 1e-3,
        max_iter: int = 200,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int | float = 10,
        tol: float = 1e-4,
        random_state: Any = None,
        verbose: int = 0,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.loss = loss
        self.lam = lam
        self.smoothing = smoothing
        self.activation = activation
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any) -> MIClassifier:
        """Train the network on X, y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Class labels of any type (numbers, strings, booleans); at least
            two classes.

        Returns
        -------
        self : MIClassifier
            The fitted classifier.

        Examples
        --------
        Without hidden layers the network is a multinomial logistic regression:

        >>> from sklearn.datasets import load_iris
        >>> from mifs import MIClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = MIClassifier((), learning_rate_init=0.05, max_iter=300, random_state=0).fit(X, y)
        >>> clf.classes_, clf.coefs_[0].shape
        (array([0, 1, 2]), (4, 3))
        >>> round(clf.label_entropy_, 3)       # the model's H(Y): log 3 for balanced classes
        1.099
        """
        hidden = self._hidden_sizes()
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_, codes = label_codes(y, "y")
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"MIClassifier needs samples of at least 2 classes in y; got 1 class "
                f"({self.classes_[0]})."
            )
        rng = check_random_state(self.random_state)

        if self.early_stopping:
            n = X.shape[0]
            n_val = math.ceil(self.validation_fraction * n)  # train_test_split's rounding
            if n_val < max(2, n_classes) or n - n_val < n_classes:
                raise ValueError(
                    f"early_stopping needs a stratified validation split of at least "
                    f"max(2, n_classes) = {max(2, n_classes)} samples, leaving at least "
                    f"{n_classes} for training; validation_fraction={self.validation_fraction} "
                    f"of {n} samples gives {n_val}. Change validation_fraction or pass more "
                    "samples."
                )
            X_train, X_val, codes_train, codes_val = train_test_split(
                X, codes, test_size=self.validation_fraction, stratify=codes, random_state=rng
            )
        else:
            X_train, codes_train, X_val, codes_val = X, codes, None, None

        units = [X.shape[1], *hidden, n_classes]
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in zip(units[:-1], units[1:], strict=True):
            bound = math.sqrt(factor / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
            self.intercepts_.append(rng.uniform(-bound, bound, fan_out))

        self._train(X_train, codes_train, X_val, codes_val, rng)
        self._estimate_information(X, codes)
        return self

    def _hidden_sizes(self) -> list[int]:
        """``hidden_layer_sizes`` as a list of positive ints, or a ValueError."""
        sizes = self.hidden_layer_sizes
        sizes = (
            [sizes]
            if isinstance(sizes, Integral)
            else list(np.asarray(sizes, dtype=object).ravel())
        )
        if any(isinstance(h, bool) or not isinstance(h, Integral) or h < 1 for h in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a positive int or a sequence of positive ints "
                f"(got {self.hidden_layer_sizes!r})."
            )
        return [int(h) for h in sizes]

    def _train(
        self,
        X: Any,
        codes: np.ndarray,
        X_val: Any,
        codes_val: np.ndarray | None,
        rng: np.random.RandomState,
    ) -> None:
        """Adam on shuffled mini-batches with MLPClassifier's stopping rules."""
        n = X.shape[0]
        Y = np.eye(len(self.classes_))[codes]
        batch_size = min(self.batch_size, n)
        params = self.coefs_ + self.intercepts_
        adam = _Adam(params, self.learning_rate_init)
        n_layers = len(self.coefs_)
        settings = dict(
            loss=self.loss,
            lam=self.lam,
            smoothing=self.smoothing,
            alpha=self.alpha,
            activation=self.activation,
        )
        self.loss_curve_ = []
        if self.early_stopping:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
            best_params = [p.copy() for p in params]
        else:
            self.validation_scores_ = None
            self.best_validation_score_ = None
            self.best_loss_ = np.inf
        order = np.arange(n)
        no_improvement = 0
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            rng.shuffle(order)
            total = 0.0
            for batch in gen_batches(n, batch_size):
                rows = order[batch]
                value, coef_grads, intercept_grads = loss_and_grads(
                    self.coefs_, self.intercepts_, X[rows], Y[rows], **settings
                )
                adam.step(params, coef_grads + intercept_grads)
                total += value * rows.size
            self.n_iter_ += 1
            self.loss_ = total / n
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")

            if self.early_stopping:
                score = float(np.mean(self._predict_codes(X_val) == codes_val))
                self.validation_scores_.append(score)
                if self.verbose:
                    print(f"Validation score: {score:.6f}")
                no_improvement = (
                    no_improvement + 1 if score < self.best_validation_score_ + self.tol else 0
                )
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                    best_params = [p.copy() for p in params]
            else:
                no_improvement = (
                    no_improvement + 1 if self.loss_ > self.best_loss_ - self.tol else 0
                )
                self.best_loss_ = min(self.best_loss_, self.loss_)

            if no_improvement > self.n_iter_no_change:
                if self.verbose:
                    what = "Validation score" if self.early_stopping else "Training loss"
                    print(
                        f"{what} did not improve more than tol={self.tol} for "
                        f"{self.n_iter_no_change} consecutive epochs. Stopping."
                    )
                break
        else:
            warnings.warn(
                f"MIClassifier: maximum iterations ({self.max_iter}) reached and the "
                "optimisation has not converged yet.",
                ConvergenceWarning,
                stacklevel=4,
            )
        if self.early_stopping:
            self.coefs_ = best_params[:n_layers]
            self.intercepts_ = best_params[n_layers:]

    def _log_proba(self, X: Any) -> np.ndarray:
        return log_softmax(forward(self.coefs_, self.intercepts_, X, self.activation)[-1])

    def _predict_codes(self, X: Any) -> np.ndarray:
        return np.argmax(forward(self.coefs_, self.intercepts_, X, self.activation)[-1], axis=1)

    def _estimate_information(self, X: Any, codes: np.ndarray) -> None:
        """The model's H(Y|X), H(Y), I(X;Y) and Fano bound on the training samples."""
        n_classes = len(self.classes_)
        log_p = self._log_proba(X)
        p_hat = np.bincount(codes, minlength=n_classes) / codes.size
        self.conditional_entropy_ = -float(np.mean(log_p[np.arange(codes.size), codes]))
        self.label_entropy_ = -float(p_hat @ log_mean_rows(log_p))
        self.mutual_information_ = self.label_entropy_ - self.conditional_entropy_
        h = min(self.label_entropy_, math.log(n_classes))
        info = min(max(self.mutual_information_, 0.0), h)
        self.error_lower_bound_ = fano_error_lower_bound(info, n_classes, label_entropy=h)

    def _validate_for_predict(self, X: Any) -> Any:
        check_is_fitted(self)
        return validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log-probability of each class, computed by a stable log-softmax.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import load_iris
        >>> from mifs import MIClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = MIClassifier((), learning_rate_init=0.05, max_iter=300, random_state=0).fit(X, y)
        >>> log_proba = clf.predict_log_proba(X)
        >>> bool(np.isfinite(log_proba).all()), bool(np.allclose(np.exp(log_proba), clf.predict_proba(X)))
        (True, True)
        """
        return self._log_proba(self._validate_for_predict(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in the order of ``classes_``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from mifs import MIClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = MIClassifier((), learning_rate_init=0.05, max_iter=300, random_state=0).fit(X, y)
        >>> clf.predict_proba(X[[0, 100]]).round(2)     # a setosa and a virginica
        array([[0.98, 0.02, 0.  ],
               [0.  , 0.03, 0.97]])
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from mifs import MIClassifier
        >>> iris = load_iris()
        >>> labels = iris.target_names[iris.target]          # string labels work as they are
        >>> clf = MIClassifier((), learning_rate_init=0.05, max_iter=300, random_state=0)
        >>> clf.fit(iris.data, labels).predict(iris.data[[0, 50, 100]])
        array(['setosa', 'versicolor', 'virginica'], dtype='<U10')
        """
        X = self._validate_for_predict(X)
        return self.classes_[self._predict_codes(X)]

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
