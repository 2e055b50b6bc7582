"""``glassbox.all_estimators`` lists what the installed version provides, and says so when asked wrongly."""

import pytest

import glassbox


def test_type_filter_selects_classifiers_and_regressors():
    classifiers = [name for name, _ in glassbox.all_estimators(type_filter="classifier")]
    regressors = [name for name, _ in glassbox.all_estimators(type_filter="regressor")]
    everything = [name for name, _ in glassbox.all_estimators()]
    assert sorted(classifiers + regressors) == everything
    assert all(name.endswith("Classifier") or name.endswith("ClassifierCV") for name in classifiers)


@pytest.mark.parametrize("type_filter", ["transformer", "classifiers", "Classifier", ""])
def test_an_unknown_type_filter_is_refused_not_ignored(type_filter):
    # it used to return every estimator, as if no filter had been given
    with pytest.raises(ValueError, match=r"type_filter=.* 'classifier', 'regressor' or None"):
        glassbox.all_estimators(type_filter=type_filter)
