"""Instances of every public estimator for scikit-learn's checks.

``PARAMS`` gives constructor arguments per estimator (small, fast settings);
``EXPECTED_FAILURES`` maps an estimator name to ``{check_name: reason}`` for
checks it is known to fail, each with an honest reason.  Aim for none.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator

import mifs

PARAMS: dict[str, dict] = {
    # the checks fit on data with as few as one feature: ask for one, so the
    # "more than n_features" warning does not fire on every check
    "MIRanker": {"k": 1},
    "MRMRSelector": {"n_features_to_select": 1},
}

EXPECTED_FAILURES: dict[str, dict[str, str]] = {}


def public_estimator_classes() -> list[type]:
    classes = []
    for name in mifs.__all__:
        obj = getattr(mifs, name)
        if isinstance(obj, type) and issubclass(obj, BaseEstimator):
            classes.append(obj)
    return classes


def all_check_instances() -> list[BaseEstimator]:
    return [cls(**PARAMS.get(cls.__name__, {})) for cls in public_estimator_classes()]


def expected_failures(estimator: BaseEstimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})
