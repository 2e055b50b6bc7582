"""A model read from JSON must keep the monotone constraints it prints.

A GAM term printed "monotone increasing" must have scores in that order over
its value bins (the missing bin aside, every slice of a pair), and a
coefficient printed ">= 0" must be so.  A file whose numbers break the claim
is refused, naming the term; every constrained model the estimators write
still loads.
"""

import numpy as np
import pytest

from glassbox import GAMClassifier, GAMRegressor, SparseLinearClassifier, SparseLinearRegressor, from_json
from explain_fixtures import credit_applicants, refused_on_load, reloaded_with


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


# -- monotone GAM terms ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def monotone_gam(credit):
    X, y = credit
    X = X.copy()
    X.loc[X.index[::7], "age"] = np.nan
    model = GAMClassifier(random_state=0, interactions=[("age", "purpose"), ("debt", "purpose")],
                          monotonic_cst={"age": -1, "debt": 1}).fit(X, y)
    return model, X


def _term(payload, name):
    features = [[b["feature"] for b in term["bins"]] for term in payload["content"]["terms"]]
    return payload["content"]["terms"][features.index(name.split(" x "))]


def test_monotone_gam_terms_load_with_any_missing_bin_score(monotone_gam):
    model, X = monotone_gam
    shapes = model.explain_global()
    assert from_json(shapes.to_json()) == shapes

    def missing_scores_high(payload):  # the missing bin is outside the order: any score keeps the claim
        scores = _term(payload, "age")["scores"]["data"]
        scores[-1] = max(scores) + 5.0

    loaded = reloaded_with(shapes, missing_scores_high)
    assert loaded.terms[[t.name for t in loaded.terms].index("age")].constraints == (-1,)


def test_a_main_effect_whose_scores_break_its_constraint_is_refused(monotone_gam):
    shapes = monotone_gam[0].explain_global()
    age = shapes.terms[[t.name for t in shapes.terms].index("age")]
    labels = age.bins[0].bin_labels()

    def rising(payload):  # the last value bin scored above the first: age's shape no longer falls
        scores = _term(payload, "age")["scores"]["data"]
        n_value = age.bins[0].n_value_bins
        scores[n_value - 1] = scores[n_value - 2] + 1.0

    refused_on_load(shapes, rising, "term 'age' is marked monotone decreasing in 'age'",
             f"from bin {labels[age.bins[0].n_value_bins - 2]} to {labels[age.bins[0].n_value_bins - 1]} they rise")


def test_a_pair_slice_that_breaks_its_axis_constraint_is_refused(monotone_gam):
    shapes = monotone_gam[0].explain_global()

    def broken_slice(payload):
        term = _term(payload, "debt x purpose")
        grid = np.asarray(term["scores"]["data"]).reshape(term["scores"]["shape"])
        grid[0, 1] = grid[1:, 1].max() + 1.0  # the lowest debt bin above the others, in one purpose's slice
        term["scores"]["data"] = grid.ravel().tolist()

    refused_on_load(shapes, broken_slice, "term 'debt x purpose' is marked monotone increasing in 'debt'")


@pytest.mark.parametrize("constraints, fragment", [
    ([2], "where the term needs one of -1, 0, +1 per feature (1)"),
    ([1, 0], "where the term needs one of -1, 0, +1 per feature (1)"),
])
def test_constraints_that_are_not_one_sign_per_feature_are_refused(monotone_gam, constraints, fragment):
    def edited(payload):
        _term(payload, "debt")["constraints"] = constraints

    refused_on_load(monotone_gam[0].explain_global(), edited, "the constraints of term 'debt'", fragment)


def test_a_categorical_feature_marked_monotone_is_refused(monotone_gam):
    def edited(payload):
        _term(payload, "purpose")["constraints"] = [1]

    refused_on_load(monotone_gam[0].explain_global(), edited, "'purpose', a categorical feature")


def test_a_gam_regressor_made_monotone_by_an_edit_loads(credit):
    X, _ = credit
    y = 10 * np.sin(X["age"] / 9) + X["debt"]
    model = GAMRegressor(random_state=0, interactions=0).fit(X, y).make_monotone("age", "increasing")
    shapes = model.explain_global()
    assert from_json(shapes.to_json()) == shapes


@pytest.mark.parametrize("settings", [{}, {"basis": "steps"}, {"penalty": "l0", "max_features": 2}])
def test_sign_constrained_linear_models_load(credit, settings):
    X, y = credit
    model = SparseLinearClassifier(monotonic_cst={"age": 1, "debt": -1}, **settings).fit(X, y)
    table = model.explain_global()
    assert from_json(table.to_json()) == table


def test_a_coefficient_against_its_printed_sign_is_refused(credit):
    X, y = credit
    table = SparseLinearRegressor(monotonic_cst={"age": -1}).fit(X, X["debt"] - 0.01 * X["age"]).explain_global()
    age = [term.name for term in table.terms].index("age")
    assert table.coefficients[age] < 0

    def flipped(payload):
        payload["content"]["coefficients"]["data"][age] *= -1

    refused_on_load(table, flipped, "term 'age' is constrained to a coefficient <= 0, but its coefficient is")

    def unconstrained(payload):  # the same coefficient, free: it loads
        flipped(payload)
        payload["content"]["constraints"]["data"][age] = 0

    assert reloaded_with(table, unconstrained).coefficients[age] > 0

    def bad_sign(payload):
        payload["content"]["constraints"]["data"][age] = 3

    refused_on_load(table, bad_sign, "the constraint of term 'age' is 3, where it must be -1, 0 or +1")
