"""A multiclass waterfall reads the class's column relative to the mean of the classes.

Softmax ignores an amount added to every class.  A multinomial lasso leaves each
term's median class coefficient at 0, so with three classes one class's raw
column is all zeros whatever the row's probability of it; its waterfall would
show no term at all.  Centring across the classes gives every class its reading;
a GAM's or ridge fit's columns are centred already and draw as before.
"""

import warnings

import numpy as np
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.plotting import LocalContributionDisplay


def widths(display):
    return np.array([bar.get_width() for bar in display.bars_])


def test_a_lasso_class_whose_raw_column_is_zero_gets_its_bars_and_they_add_up_to_its_total(iris_species,
                                                                                             iris_lasso):
    X, _ = iris_species
    model = iris_lasso
    k = list(model.classes_).index("versicolor")
    assert np.all(model.coef_[k] == 0)  # the point the lasso picks: this class's column is all zeros
    row = X.iloc[[60]]
    assert model.predict_proba(row)[0, k] > 0.9
    display = LocalContributionDisplay.from_estimator(model, row, target_class="versicolor", max_terms=None)
    bars = widths(display)
    decision = model.decision_function(row)[0]
    assert display.bar_labels_[-1] == "= score of class versicolor relative to the classes' mean"
    assert display.ax_.get_xlabel() == "score of class versicolor relative to the classes' mean"
    assert len(bars) == 2 + np.count_nonzero(model.coef_.any(axis=0))  # base, every term in use, the total
    assert np.all(bars[1:-1] != 0)
    assert bars[-1] == pytest.approx(decision[k] - decision.mean(), rel=1e-12)
    assert bars[0] + bars[1:-1].sum() == pytest.approx(bars[-1], rel=1e-12)
    assert "not explained (approximation)" not in display.bar_labels_


@pytest.mark.parametrize("make", [
    lambda: GAMClassifier(interactions=0, random_state=0),
    lambda: SparseLinearClassifier(penalty="elasticnet", l1_ratio=0.0, alpha=0.1),
], ids=["gam", "ridge"])
def test_centred_columns_draw_bit_for_bit_as_the_raw_column(iris_species, make):
    X, y = iris_species
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make().fit(X, y)
    explanation = model.explain_local(X.iloc[[60, 100]])
    for row in range(2):
        for k, label in enumerate(model.classes_):
            display = LocalContributionDisplay.from_explanation(explanation, row=row, target_class=label,
                                                                max_terms=None)
            c = explanation.contributions[row, :, k]
            order = [j for j in np.argsort(-np.abs(c), kind="stable") if c[j] != 0]
            expected = [explanation.base_value[k], *c[order], explanation.decision[row, k]]
            np.testing.assert_array_equal(widths(display), expected)
            assert display.ax_.get_xlabel() == f"decision score of class {label}"
