"""A GAM's list of edits says when an intercept refit balanced the predicted total with the observed one."""

import numpy as np

from glassbox.explain.shapes import ShapeEdit


def test_a_balancing_refit_says_it_balanced():
    edit = ShapeEdit("refit_intercept", (), {"n_samples": 120, "balance": True}, np.array([0.25]))
    assert edit.describe() == ("intercept refitted on 120 rows, balanced: predicted total = observed total "
                               "(shapes unchanged)")
    assert "balanced: predicted total = observed total" in edit.summary()


def test_a_likelihood_refit_says_nothing_of_balance():
    edit = ShapeEdit("refit_intercept", (), {"n_samples": 120}, np.array([0.25]))
    assert edit.describe() == "intercept refitted on 120 rows (shapes unchanged)"
    assert "balanced" not in ShapeEdit.from_dict(edit.to_dict()).summary()
