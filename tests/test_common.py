"""scikit-learn's estimator checks over every public estimator mifs exports.

Estimators are found automatically: any class in ``mifs.__all__`` that
subclasses :class:`sklearn.base.BaseEstimator` is enrolled.  Constructor
arguments used for the checks and the checks each estimator is expected to
fail (with the reason) live in :mod:`tests._instances`.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from tests._instances import all_check_instances, expected_failures

ESTIMATORS = all_check_instances()


def test_every_public_estimator_is_checked():
    # A guard against the discovery silently finding nothing once estimators exist.
    import mifs
    from sklearn.base import BaseEstimator

    public = {
        name
        for name in mifs.__all__
        if isinstance(getattr(mifs, name), type)
        and issubclass(getattr(mifs, name), BaseEstimator)
    }
    checked = {type(est).__name__ for est in ESTIMATORS}
    assert public == checked


if ESTIMATORS:

    # the checks train MIClassifier on tiny data for its default number of
    # epochs; whether it converges there is not what they test
    @pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
    @parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
    def test_sklearn_compatible_estimator(estimator, check):
        check(estimator)
