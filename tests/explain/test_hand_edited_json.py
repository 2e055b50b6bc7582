"""A model file edited by hand loads as the edited model, with no figure of the model before the edit.

A committee edits a saved model's primary numbers in its JSON text (a
scorecard's points or intercept, a coefficient, a shape's scores).  The loaded
model predicts from them; the figures stored beside them were derived from the
old ones.  Those that follow from the edited numbers alone are recomputed,
those that need the training data are marked not available, and one warning
names the edited field.  A file written by ``to_json()`` and not edited loads
bit for bit and without a warning.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import (
    GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier, SparseLinearRegressor, from_json,
)
from explain_fixtures import credit_applicants


def _edited(model, edit):
    """``model``'s JSON text as a user edits it: parsed, changed by ``edit(payload)``, written again."""
    payload = json.loads(model.to_json())
    edit(payload)
    return json.dumps(payload)


def _load_with_one_warning(text, *fragments):
    """Load ``text``; exactly one warning, naming each fragment."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = from_json(text)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    for fragment in fragments:
        assert fragment in messages[0], messages[0]
    assert caught[0].filename == __file__  # it points at the user's line, not inside glassbox
    return loaded


def _load_silently(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return from_json(text)


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


# -- scorecards ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def card_model(credit):
    return RiskScoreClassifier(max_features=3).fit(*credit)


def _raise_first_points(payload):
    payload["content"]["points"]["data"][0] += 1


def test_edited_points_rebuild_the_risk_table_and_blank_its_training_columns(card_model, credit):
    X, _ = credit
    fitted = card_model.explain_global()
    loaded = _load_with_one_warning(_edited(card_model, _raise_first_points), "content/points", "risk_scores",
                                    "risk_count")
    assert loaded.points[0] == fitted.points[0] + 1
    # every SCORE a row reaches is in the table, and the table's risk is the one predict_proba gives it
    scores = (loaded.decision_function(X) - loaded.intercept).astype(np.int64)
    assert set(scores.tolist()) <= set(loaded.risk_scores.tolist())
    assert not set(scores.tolist()) <= set(fitted.risk_scores.tolist())  # the old table misses some
    at_row = loaded.risk_predicted[np.searchsorted(loaded.risk_scores, scores)]
    np.testing.assert_allclose(loaded.predict_proba(X)[:, 1], at_row, rtol=1e-12)
    # no observed rate or count of the fitted card is shown for the edited one
    assert np.isnan(loaded.risk_observed).all() and np.isnan(loaded.risk_count).all()
    text = str(loaded)
    assert "not available, the points were edited after fitting: refit" in text
    for count in fitted.risk_count:
        assert f"  {int(count)}\n" not in text + "\n"
    frame = loaded.risk_frame()
    np.testing.assert_array_equal(frame["score"], loaded.risk_scores)
    assert "edited after fitting" in frame.attrs["note"]
    assert "edited after fitting" in loaded._repr_html_()


def test_the_risk_plot_of_an_edited_card_draws_its_scores_and_no_old_rates(card_model):
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import RiskCurveDisplay

    loaded = _load_with_one_warning(_edited(card_model, _raise_first_points), "content/points")
    display = RiskCurveDisplay.from_explanation(loaded)
    np.testing.assert_array_equal(display.line_.get_xdata(), loaded.risk_scores)
    np.testing.assert_array_equal(display.line_.get_ydata(), loaded.risk_predicted)
    assert display.points_ is None
    # the plot and its text say why there are no squares, and a fitted card's say nothing of it
    said = "no observed rates: the points were edited after fitting"
    assert [t for t in display.ax_.get_legend().get_texts() if said in t.get_text()]
    assert said in display.alt_text_.lower()
    fitted = RiskCurveDisplay.from_estimator(card_model)
    assert not [t for t in fitted.ax_.get_legend().get_texts() if said in t.get_text()]
    assert said not in fitted.alt_text_.lower()


def test_points_swapped_between_conditions_are_found_though_the_scores_stay_the_same():
    # a card of points 5 and 4 reaches SCOREs {0, 4, 5, 9} with its points swapped too: only the recorded
    # fitted points tell, and the counts per SCORE belong to the fitted card's rows
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    y = (rng.random(600) < 1 / (1 + np.exp(-(2 * (X.a > 0) + 1 * (X.b > 0.5) - 1.5)))).astype(int)
    model = RiskScoreClassifier(max_features=2).fit(X, y)
    fitted = model.explain_global()
    assert fitted.points[0] != fitted.points[1]

    def swapped(payload):
        points = payload["content"]["points"]["data"]
        points[0], points[1] = points[1], points[0]

    loaded = _load_with_one_warning(_edited(model, swapped), "content/points")
    np.testing.assert_array_equal(loaded.points, fitted.points[::-1])
    np.testing.assert_array_equal(loaded.risk_scores, fitted.risk_scores)
    assert not loaded.training_figures_available
    assert np.isnan(loaded.risk_count).all() and np.isnan(loaded.risk_observed).all()
    assert _load_silently(loaded.to_json()) == loaded
    # a file written before the fitted points were recorded cannot tell, and loads as it did
    old = json.loads(_edited(model, swapped))
    del old["content"]["table_points"]
    assert _load_silently(json.dumps(old)).training_figures_available


def test_an_edited_card_saved_again_loads_silently_as_it_was(card_model):
    loaded = _load_with_one_warning(_edited(card_model, _raise_first_points), "content/points")
    again = _load_silently(loaded.to_json())
    assert again == loaded
    assert "not available" in str(again)


@pytest.mark.parametrize("edit, field", [
    (lambda p: p["base_value"].update(data=[p["base_value"]["data"][0] - 1]), "base_value (the intercept)"),
    (lambda p: p["link"].update(scale=p["link"]["scale"] * 1.5), "link/scale (the multiplier)"),
])
def test_an_edited_intercept_or_multiplier_is_followed_by_the_risks_and_keeps_the_training_columns(
        card_model, credit, edit, field):
    X, _ = credit
    fitted = card_model.explain_global()
    loaded = _load_with_one_warning(_edited(card_model, edit), field, "risk_predicted")
    assert loaded.training_figures_available
    np.testing.assert_array_equal(loaded.risk_scores, fitted.risk_scores)
    np.testing.assert_array_equal(loaded.risk_observed, fitted.risk_observed)  # they do not depend on either
    np.testing.assert_array_equal(loaded.risk_count, fitted.risk_count)
    scores = (loaded.decision_function(X) - loaded.intercept).astype(np.int64)
    at_row = loaded.risk_predicted[np.searchsorted(loaded.risk_scores, scores)]
    np.testing.assert_allclose(loaded.predict_proba(X)[:, 1], at_row, rtol=1e-12)
    assert not np.allclose(loaded.risk_predicted, fitted.risk_predicted)


def test_points_edited_with_the_intercept_name_both(card_model):
    def both(payload):
        _raise_first_points(payload)
        payload["base_value"]["data"] = [payload["base_value"]["data"][0] + 2]

    loaded = _load_with_one_warning(_edited(card_model, both), "content/points and base_value (the intercept)")
    assert np.isnan(loaded.risk_count).all()


def _missing_and_flags():
    rng = np.random.default_rng(3)
    n = 500
    X = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float), "debt": rng.uniform(0, 1, n),
                      "purpose": rng.choice(["car", "tv", "edu", "other"], n), "owner": rng.random(n) < 0.4})
    X.loc[X.index[::7], "debt"] = np.nan
    X.loc[X.index[::11], "purpose"] = None
    y = (X.age / 80 + X.debt.fillna(0.5) + (X.purpose == "edu") + X.owner + rng.normal(0, 0.5, n) > 1.6)
    return X, y.astype(int).to_numpy()


@pytest.mark.parametrize("settings", [{}, {"max_features": 5}, {"pos_label": 0}, {"class_weight": "balanced"}])
def test_every_card_the_estimator_writes_loads_bit_for_bit_and_silently(settings):
    X, y = _missing_and_flags()
    model = RiskScoreClassifier(**{"max_features": 4, **settings}).fit(X, y)
    text = model.to_json()
    assert _load_silently(text).to_json() == text


# -- GAMs ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gam(credit):
    X, y = credit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a short fit's convergence warning
        return GAMClassifier(random_state=0, max_rounds=40, interactions=1).fit(X, y)


def _term(payload, name):
    """``(position, term payload)`` of the main effect of feature ``name``."""
    for k, term in enumerate(payload["content"]["terms"]):
        if [b["feature"] for b in term["bins"]] == [name]:
            return k, term
    raise KeyError(name)


def _raise_youngest_ages(payload):
    _, term = _term(payload, "age")
    term["scores"]["data"][:3] = [score + 2.0 for score in term["scores"]["data"][:3]]


def test_scores_edited_in_the_file_are_recorded_as_an_edit_and_predicted_as_typed(gam, credit):
    X, _ = credit
    fitted = gam.explain_global()
    text = _edited(gam, _raise_youngest_ages)
    loaded = _load_with_one_warning(text, "'age'", "importance")
    k, typed = _term(json.loads(text), "age")
    term = loaded.terms[k]
    np.testing.assert_array_equal(term.scores, typed["scores"]["data"])  # as typed, not re-centred
    assert loaded.base_value == fitted.base_value
    young = X["age"] < fitted.terms[k].bins[0].thresholds[2]
    change = loaded.decision_function(X) - fitted.decision_function(X)
    np.testing.assert_allclose(change[young], 2.0, rtol=1e-12)
    np.testing.assert_array_equal(change[~young], 0.0)
    # the provenance record an edit by the model's methods takes, in the printout, table and plot
    (record,) = loaded.edits
    assert (record.action, record.terms) == ("file", ("age",))
    assert loaded.edits_of("age") == (record,)
    assert "age: scores edited in the model file after fitting" in str(loaded)
    assert set(loaded.to_frame().query("term == 'age'")["edited"]) == {record.describe()}
    # the importance (and the order of the printout) follows the edited scores; the bags' band is dropped
    density = term.density
    assert term.importance == pytest.approx(density @ np.abs(term.scores) / density.sum(), rel=1e-12)
    assert term.importance > fitted.terms[k].importance
    assert term.lower is None and fitted.terms[k].lower is not None


def test_the_shape_plot_of_a_term_edited_in_the_file_marks_it(gam):
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import ShapeFunctionDisplay

    loaded = _load_with_one_warning(_edited(gam, _raise_youngest_ages), "'age'")
    display = ShapeFunctionDisplay.from_explanation(loaded, "age")
    assert any("edited in the model file" in edit for edit in display.edits)


def test_a_gam_edited_in_the_file_and_saved_again_loads_silently(gam):
    loaded = _load_with_one_warning(_edited(gam, _raise_youngest_ages), "'age'")
    again = _load_silently(loaded.to_json())
    assert again == loaded and len(again.edits) == 1


def test_an_edit_by_the_gams_methods_draws_no_file_warning(gam):
    import copy

    edited = copy.deepcopy(gam).clip_scores("age", upper=0.1)
    text = edited.to_json()
    loaded = _load_silently(text)
    assert [e.action for e in loaded.edits] == ["clip"]
    assert loaded.to_json() == text


@pytest.mark.parametrize("make", [
    lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=2),
    lambda: GAMRegressor(random_state=0, max_rounds=30, interactions=1),
    lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=0, class_weight="balanced"),
])
def test_every_gam_the_estimator_writes_loads_bit_for_bit_and_silently(make, credit):
    X, y = credit
    X = X.copy()
    X.loc[X.index[::9], "debt"] = np.nan
    target = X["age"] + 10 * (y == "bad") if isinstance(make(), GAMRegressor) else y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make().fit(X, target, sample_weight=np.linspace(0.5, 2, len(X)))
    text = model.to_json()
    assert _load_silently(text).to_json() == text


def test_a_multiclass_gam_edited_for_one_class_is_recorded(credit):
    X, _ = credit
    y = np.array(["low", "mid", "high"])[np.digitize(X["debt"], [0.33, 0.66])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GAMClassifier(random_state=0, max_rounds=30, interactions=0).fit(X, y)
    text = model.to_json()
    assert _load_silently(text).to_json() == text

    def one_class(payload):
        _, term = _term(payload, "purpose")
        assert len(term["scores"]["shape"]) == 2  # (bins, classes), written flat
        term["scores"]["data"][1] += 0.5  # the first bin's score for the second class

    loaded = _load_with_one_warning(_edited(model, one_class), "'purpose'")
    assert loaded.edits[0].terms == ("purpose",)


# -- sparse linear models --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def linear(credit):
    return SparseLinearClassifier(alpha=0.01).fit(*credit)


def _position(payload, name):
    return [t.get("feature") for t in payload["content"]["terms"]].index(name)


def test_an_edited_coefficient_is_standardized_and_ranked_by_its_edited_size(linear, credit):
    X, _ = credit
    fitted = linear.explain_global()

    def tenfold_age(payload):
        payload["content"]["coefficients"]["data"][_position(payload, "age")] *= 10

    loaded = _load_with_one_warning(_edited(linear, tenfold_age), "'age'", "standardized_coefficients")
    j = fitted.term_names.index("age")
    assert loaded.coefficients[j] == 10 * fitted.coefficients[j]
    assert loaded.standardized_coefficients[j] == pytest.approx(10 * fitted.standardized_coefficients[j], rel=1e-12)
    others = np.arange(len(fitted.terms)) != j
    np.testing.assert_array_equal(loaded.standardized_coefficients[others], fitted.standardized_coefficients[others])
    # the printout ranks terms by standardized size: the edited term leads it now
    rows = str(loaded).splitlines()
    first = rows[rows.index(next(r for r in rows if r.startswith("---"))) + 1]
    assert first.startswith("age ")
    np.testing.assert_allclose(loaded.decision_function(X) - fitted.decision_function(X),
                               9 * fitted.coefficients[j] * X["age"], rtol=1e-9)
    assert _load_silently(loaded.to_json()) == loaded


def test_a_term_the_fit_held_at_zero_set_in_the_file_gets_its_standardized_size(linear):
    fitted = linear.explain_global()
    j = int(np.flatnonzero(fitted.coefficients == 0)[0])

    def set_zero_term(payload):
        payload["content"]["coefficients"]["data"][j] = 0.5

    loaded = _load_with_one_warning(_edited(linear, set_zero_term), repr(fitted.term_names[j]))
    assert loaded.standardized_coefficients[j] == pytest.approx(0.5 * fitted.term_scales[j], rel=1e-12)
    assert loaded.standardized_coefficients[j] != 0


def _without_scales(payload):
    del payload["content"]["term_scales"]


def test_a_table_written_before_term_scales_loads_silently_and_unchanged(linear):
    text = _edited(linear, _without_scales)
    loaded = _load_silently(text)
    assert loaded.term_scales is None
    np.testing.assert_array_equal(loaded.standardized_coefficients, linear.explain_global().standardized_coefficients)
    assert loaded.to_json() == text.replace(" ", "") or json.loads(loaded.to_json()) == json.loads(text)


def _old_table_with_edited_coefficient(linear, term, change):
    """``linear``'s file as written before term_scales, with ``term``'s coefficient changed by ``change``;
    the fitted table and the term's position."""
    fitted = linear.explain_global()
    j = fitted.term_names.index(term)

    def edit(payload):
        _without_scales(payload)
        coefficients = payload["content"]["coefficients"]["data"]
        coefficients[j] = change(coefficients[j])

    return _edited(linear, edit), fitted, j


def test_an_old_table_whose_coefficient_changed_sign_shows_no_stale_size(linear):
    text, _, j = _old_table_with_edited_coefficient(linear, "debt", lambda value: -value)
    loaded = _load_with_one_warning(text, "'debt'", "n/a")
    assert np.isnan(loaded.standardized_coefficients[j])
    assert "standardized n/a: the coefficient was edited after fitting" in str(loaded)
    assert _load_silently(loaded.to_json()) == loaded


def test_an_old_table_whose_indicator_changed_sign_recomputes_its_size_from_its_mean(linear):
    text, fitted, j = _old_table_with_edited_coefficient(linear, "purpose == edu", lambda value: -0.5 * value)
    loaded = _load_with_one_warning(text, "'purpose == edu'", "standardized_coefficients")
    assert loaded.standardized_coefficients[j] == pytest.approx(-fitted.standardized_coefficients[j] / 2, rel=1e-6)


def test_an_old_table_whose_coefficient_was_set_to_zero_shows_a_zero_size(linear):
    text, _, j = _old_table_with_edited_coefficient(linear, "age", lambda value: 0.0)
    loaded = _load_with_one_warning(text, "'age'")
    assert loaded.standardized_coefficients[j] == 0


def test_a_hand_built_table_without_scales_round_trips_silently():
    from glassbox.explain import CoefficientTable, LinearTerm, Link

    table = CoefficientTable(model="Demo", feature_names=["x", "c"], link=Link("identity"), base_value=1.0,
                             terms=(LinearTerm("x"), LinearTerm("c", category="a")), coefficients=[2.0, -1.0],
                             standardized_coefficients=[0.7, -0.1], constraints=[0, 0], term_means=[3.0, 0.5])
    assert _load_silently(table.to_json()) == table


@pytest.mark.parametrize("make", [lambda: SparseLinearRegressor(alpha=0.01),
                                  lambda: SparseLinearClassifier(alpha=0.01, class_weight="balanced")])
def test_every_linear_model_the_estimator_writes_loads_bit_for_bit_and_silently(make, credit):
    X, y = credit
    target = X["age"] + 10 * (y == "bad") if isinstance(make(), SparseLinearRegressor) else y
    model = make().fit(X, target, sample_weight=np.linspace(0.5, 2, len(X)))
    text = model.to_json()
    assert _load_silently(text).to_json() == text
    old = _edited(model, _without_scales)
    assert json.loads(_load_silently(old).to_json()) == json.loads(old)


def test_a_multiclass_coefficient_edited_for_one_class_is_recomputed(credit):
    X, _ = credit
    y = np.array(["low", "mid", "high"])[np.digitize(X["debt"], [0.33, 0.66])]
    model = SparseLinearClassifier(alpha=0.01).fit(X, y)
    fitted = model.explain_global()
    j = fitted.term_names.index("age")

    def one_class(payload):
        n_classes = payload["content"]["coefficients"]["shape"][1]  # (terms, classes), written flat
        payload["content"]["coefficients"]["data"][j * n_classes] += 0.05

    loaded = _load_with_one_warning(_edited(model, one_class), "'age'")
    np.testing.assert_allclose(loaded.standardized_coefficients[j],
                               loaded.coefficients[j] * fitted.term_scales[j], rtol=1e-12)
    old = _load_with_one_warning(_edited(model, lambda p: (_without_scales(p), one_class(p))), "'age'")
    # no scale to recompute it with: n/a where the coefficient is nonzero (a zero coefficient's size is 0)
    np.testing.assert_array_equal(np.isnan(old.standardized_coefficients[j]), old.coefficients[j] != 0)
    assert np.isnan(old.standardized_coefficients[j]).any()


# -- distilled copies ------------------------------------------------------------------------------------------
def test_a_distilled_card_edited_in_the_file_says_its_fidelity_was_measured_before_the_edit(credit):
    from sklearn.linear_model import LogisticRegression

    from glassbox.surrogate import DistilledClassifier

    X, y = credit
    X = X.drop(columns="purpose")
    teacher = LogisticRegression().fit(X, y)
    copy = DistilledClassifier(teacher, student=RiskScoreClassifier(max_features=2), random_state=0).fit(X, y)
    text = copy.explain_global().to_json()
    assert "measured_before_edit" not in str(_load_silently(text).fidelity)
    loaded = _load_with_one_warning(_edited(copy.explain_global(), _raise_first_points), "content/points",
                                    "fidelity to the teacher")
    assert loaded.fidelity["measured_before_edit"] is True
    assert "measured on the copy before its file was edited by hand" in str(loaded).splitlines()[1]
    again = _load_silently(loaded.to_json())
    assert again == loaded


# -- impossible edits are refused ------------------------------------------------------------------------------
@pytest.mark.parametrize("huge", [1e308, -1e308])
def test_a_shape_score_near_the_float_limit_is_refused(gam, huge):
    def overflowing(payload):
        _, term = _term(payload, "age")
        term["scores"]["data"][3] = huge

    with pytest.raises(ValueError, match="overflows float64"):
        from_json(_edited(gam, overflowing))


def test_a_large_shape_score_that_still_adds_up_loads_and_plots(gam):
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import ShapeFunctionDisplay

    def large(payload):
        _, term = _term(payload, "age")
        term["scores"]["data"][3] = 1e300

    loaded = _load_with_one_warning(_edited(gam, large), "'age'")
    k = [t.name for t in loaded.terms].index("age")
    assert np.isfinite(loaded.terms[k].importance)
    assert _load_silently(loaded.to_json()) == loaded
    ShapeFunctionDisplay.from_explanation(loaded, "age").figure_.canvas.draw()


def test_points_too_large_to_add_exactly_are_refused(card_model):
    def huge(payload):
        payload["content"]["points"]["data"][0] = 2**62

    with pytest.raises(ValueError, match=r"more than 2\*\*53"):
        from_json(_edited(card_model, huge))


@pytest.fixture(scope="module")
def distilled_card(credit):
    from sklearn.linear_model import LogisticRegression

    from glassbox.surrogate import DistilledClassifier

    X, y = credit
    X = X.drop(columns="purpose")
    teacher = LogisticRegression().fit(X, y)
    return DistilledClassifier(teacher, student=RiskScoreClassifier(max_features=2), random_state=0).fit(X, y)


@pytest.mark.parametrize("name, value", [("agreement", 1.3), ("rank_auc", -0.1), ("spearman", 1.5),
                                         ("probability_mae", -0.2), ("logit_r2", 2.0), ("agreement", "high"),
                                         ("agreement", "inf"), ("n_samples", -4), ("n_samples", 2.5)])
def test_fidelity_figures_no_measurement_gives_are_refused(distilled_card, name, value):
    def edit(payload):
        payload["fidelity"][name] = value

    with pytest.raises(ValueError, match=f"fidelity's {name} is"):
        from_json(_edited(distilled_card.explain_global(), edit))


def test_every_figure_a_copy_records_has_a_range_the_loader_checks(distilled_card):
    # the loader's table of ranges is written apart from the report that measures the figures: a figure
    # the report gains must gain its range too, or a damaged value of it would load unchecked
    from sklearn.linear_model import LinearRegression

    from glassbox.explain._checks import _FIDELITY_RANGES
    from glassbox.surrogate import DistilledRegressor

    X, y = credit_applicants()
    X = X.drop(columns="purpose")
    amounts = X.iloc[:, 0].to_numpy(dtype=float)
    regressor = DistilledRegressor(LinearRegression(), student=SparseLinearRegressor(alpha=0.01),
                                   random_state=0).fit(X, amounts)
    for fidelity in (distilled_card.explain_global().fidelity, regressor.explain_global().fidelity):
        figures = {name for name, value in fidelity.items() if isinstance(value, float)}
        assert figures and figures <= set(_FIDELITY_RANGES), figures - set(_FIDELITY_RANGES)


def test_an_undefined_fidelity_figure_loads(distilled_card):
    def undefined(payload):
        payload["fidelity"]["spearman"] = "nan"  # as to_json() writes NaN

    text = _edited(distilled_card.explain_global(), undefined)
    assert np.isnan(_load_silently(text).fidelity["spearman"])


# -- class labels ----------------------------------------------------------------------------------------------
def _swapped_classes(payload):
    payload["classes"]["data"] = payload["classes"]["data"][::-1]


@pytest.mark.parametrize("make", [lambda: SparseLinearClassifier(alpha=0.01),
                                  lambda: RiskScoreClassifier(max_features=2)])
def test_class_labels_swapped_in_the_file_are_warned_of(make, credit):
    model = make().fit(*credit)
    loaded = _load_with_one_warning(_edited(model, _swapped_classes), "['good', 'bad']", "not in the sorted order")
    assert list(loaded.classes) == ["good", "bad"]


def test_a_label_renamed_in_order_loads_silently(linear):
    def renamed(payload):
        payload["classes"]["data"] = ["default", "repaid"]

    assert list(_load_silently(_edited(linear, renamed)).classes) == ["default", "repaid"]


def test_a_hand_built_model_may_list_its_classes_in_any_order(linear):
    def hand_built(payload):
        _swapped_classes(payload)
        payload["model"] = "HandMadeTable"

    _load_silently(_edited(linear, hand_built))


def test_a_coefficient_whose_standardized_size_overflows_is_refused(linear):
    def huge(payload):
        payload["content"]["coefficients"]["data"][_position(payload, "age")] = 1e308

    with pytest.raises(ValueError, match="'age'.*overflows float64"):
        from_json(_edited(linear, huge))


def test_an_infinite_training_density_is_refused(gam):
    def infinite(payload):
        _, term = _term(payload, "age")
        term["density"]["data"][0] = "inf"

    with pytest.raises(ValueError, match="the density of term 'age' holds inf"):
        from_json(_edited(gam, infinite))
