"""SparseLinear*CV cross-validate by groups (rows of one customer held out together), as LassoCV does."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, cross_validate

from glassbox import SparseLinearClassifierCV, SparseLinearRegressorCV


def _grouped_data():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(30), 10)
    X = rng.normal(size=(300, 5)) + rng.normal(size=(30, 5))[groups]  # rows of one group look alike
    y = X[:, 0] + rng.normal(size=30)[groups] + rng.normal(size=300)
    return X, y, groups


@pytest.mark.parametrize("Estimator, splitter", [(SparseLinearRegressorCV, GroupKFold(3)),
                                                 (SparseLinearClassifierCV, StratifiedGroupKFold(3))])
def test_groups_reach_the_splitter(Estimator, splitter):
    X, y, groups = _grouped_data()
    y = y if Estimator is SparseLinearRegressorCV else (y > 0).astype(int)
    model = Estimator(cv=splitter, n_alphas=10).fit(X, y, groups=groups)
    # the same as handing over the group folds by hand
    by_hand = Estimator(cv=list(splitter.split(X, y, groups)), n_alphas=10).fit(X, y)
    assert model.alpha_ == by_hand.alpha_
    np.testing.assert_array_equal(model.cv_losses_, by_hand.cv_losses_)
    np.testing.assert_array_equal(model.coef_, by_hand.coef_)


def test_a_group_splitter_without_groups_says_to_pass_them():
    X, y, groups = _grouped_data()
    message = r"splits by groups; pass each row's group label as fit\(X, y, groups="
    with pytest.raises(ValueError, match=message) as info:
        SparseLinearRegressorCV(cv=GroupKFold(3)).fit(X, y)
    assert "fewer folds" not in str(info.value)  # advice that cannot help
    with pytest.raises(ValueError, match=r"groups has shape \(299,\).*one group label per row of X, shape \(300,\)"):
        SparseLinearRegressorCV(cv=GroupKFold(3)).fit(X, y, groups=groups[:-1])


def test_groups_are_routed_by_metadata_routing():
    X, y, groups = _grouped_data()
    with sklearn.config_context(enable_metadata_routing=True):
        model = SparseLinearRegressorCV(cv=GroupKFold(3), n_alphas=5).set_fit_request(groups=True)
        scores = cross_validate(model, X, y, params={"groups": groups}, cv=GroupKFold(2))
    assert np.all(np.isfinite(scores["test_score"]))
