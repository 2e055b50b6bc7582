"""Editing a fitted GAM: removed terms, monotone and set scores, caps, the intercept, and the audit trail.

Every edit changes the model in place and returns it; its predictions are
exactly what the edit says, its edited term is centred as a fitted one (with
the shift in the intercept), and its explanation, JSON and plot record the
edit.  The tests edit copies of module-scoped fitted models, as a user keeps
the fitted model with ``copy.deepcopy``.
"""

import copy
import inspect
import json
import pickle
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize_scalar
from sklearn.exceptions import NotFittedError
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import mean_tweedie_deviance
from sklearn.model_selection import StratifiedKFold, cross_val_score

from glassbox import GAMClassifier, GAMRegressor, from_json

RTOL = 1e-12


def _frame(n, seed):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.uniform(18, 80, n).round(),
        "income": rng.lognormal(3, 0.5, n),
        "hours": rng.normal(40, 8, n),
        "region": pd.Categorical(rng.choice(["north", "south", "east"], n)),
    })
    X.loc[rng.rand(n) < 0.05, "hours"] = np.nan
    region = X["region"].map({"north": 0.3, "south": -0.3, "east": 0.0}).astype(float)
    signal = (0.04 * (X["age"] - 50) - 0.002 * (X["age"] - 50) ** 2 + 0.5 * np.log(X["income"])
              + 0.02 * X["hours"].fillna(35) + region)
    return X, signal - signal.mean(), rng


SETTINGS = dict(outer_bags=3, max_rounds=300, random_state=0)


@pytest.fixture(scope="module")
def binary():
    X, signal, rng = _frame(2000, 0)
    y = (signal + rng.logistic(size=len(X)) > 0).astype(int)
    return GAMClassifier(interactions=[("age", "income")], **SETTINGS).fit(X, y), X, y


@pytest.fixture(scope="module")
def poisson():
    X, signal, rng = _frame(2000, 1)
    y = rng.poisson(np.exp(0.5 * signal))
    return GAMRegressor(loss="poisson", interactions=[("age", "hours")], **SETTINGS).fit(X, y), X, y


@pytest.fixture(scope="module")
def multiclass():
    X, signal, rng = _frame(1500, 2)
    y = np.digitize(signal + rng.logistic(size=len(X)), [-0.7, 0.7])
    return GAMClassifier(interactions=0, **SETTINGS).fit(X, y), X, y


def _copy(model):
    """A copy to edit, so the module's fitted model stays as fitted."""
    return copy.deepcopy(model)


def _decision(model, X):
    """The model's total (log-odds, class scores or log of the mean)."""
    return model.explain_local(X).decision


def _term(model, name):
    return model.explain_global().terms[model.term_names_.index(name)]


def _centre_of(term, log_link):
    """The training-weighted mean score of a term (log of the mean relativity on a log link)."""
    scores = term.scores.reshape(term.density.size, -1)
    mass = term.density.ravel()
    if log_link:
        return np.log(mass @ np.exp(scores) / mass.sum())
    return mass @ scores / mass.sum()


# -- removing terms ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["income", "region", "age x income"])
def test_removed_term_predicts_as_decision_minus_its_contribution(binary, name):
    model, X, _ = binary
    edited = _copy(model).remove_terms([name])
    contribution = model.explain_local(X).contributions[:, model.term_names_.index(name)]
    np.testing.assert_allclose(edited.decision_function(X), model.decision_function(X) - contribution,
                               rtol=RTOL, atol=1e-12)
    assert np.array_equal(edited.intercept_, model.intercept_)
    assert not np.any(_term(edited, name).scores)
    assert edited.edits_[0].action == "remove" and edited.edits_[0].terms == (name,)


def test_removed_term_keeps_the_mean_prediction_on_the_identity_link():
    X, signal, rng = _frame(1500, 3)
    y = signal + 0.3 * rng.randn(len(X))
    model = GAMRegressor(interactions=0, **SETTINGS).fit(X, y)
    edited = _copy(model).remove_terms("age")
    assert np.average(edited.predict(X)) == pytest.approx(np.average(model.predict(X)), rel=1e-12)


def test_every_edit_changes_the_model_itself_and_returns_it(binary):
    fitted, X, y = binary
    model = _copy(fitted)
    before = model.decision_function(X)
    assert model.remove_terms("income") is model
    # without assignment the edit is not lost (a copy-returning method would make this line a no-op)
    assert model.edits_[-1].terms == ("income",)
    assert not np.array_equal(model.decision_function(X), before)
    region = np.zeros(_term(model, "region").scores.shape)
    for edit in (lambda m: m.make_monotone("age"), lambda m: m.clip_scores("hours", upper=0.1),
                 lambda m: m.refit_intercept(X, y), lambda m: m.replace_scores("region", region),
                 lambda m: m.flatten_range("age", 60, 65, like=59)):
        n_edits = len(model.edits_)
        assert edit(model) is model and len(model.edits_) == n_edits + 1
    assert [e.action for e in model.edits_] == ["remove", "monotone", "clip", "refit_intercept", "replace", "flatten"]


def test_a_copy_and_an_explanation_taken_before_an_edit_are_unchanged(binary):
    fitted, X, _ = binary
    model = _copy(fitted)
    kept, shapes = _copy(model), model.explain_global()
    json_before, decision = model.to_json(), model.decision_function(X)
    model.clip_scores("age", upper=0.0).remove_terms("income")
    assert kept.to_json() == json_before and np.array_equal(kept.decision_function(X), decision)
    assert kept.edits_ == () and shapes.edits == ()
    np.testing.assert_array_equal(shapes.decision_function(X), decision)


def test_editing_a_shallow_copy_leaves_the_original_as_it_was(binary):
    # copy.copy shares the fitted parts: an edit must replace them, not write into them
    fitted, X, _ = binary
    original = _copy(fitted)
    json_before, decision, proba = original.to_json(), original.decision_function(X), original.predict_proba(X)
    reviewed = copy.copy(original).remove_terms(["income", "age x income"]).clip_scores("hours", upper=0.0)
    assert not np.array_equal(reviewed.decision_function(X), decision)
    assert original.edits_ == () and original.to_json() == json_before
    np.testing.assert_array_equal(original.explain_global().decision_function(X), decision)
    np.testing.assert_array_equal(original.decision_function(X), decision)
    np.testing.assert_array_equal(original.predict_proba(X), proba)
    np.testing.assert_array_equal(from_json(original.to_json()).decision_function(X), decision)


def test_a_refused_edit_leaves_the_model_as_it_was(binary):
    fitted, X, _ = binary
    model = _copy(fitted).make_monotone("age", "increasing")
    before, decision = model.to_json(), model.decision_function(X)
    # the pair's new scores would break the order it was made to keep: nothing may be stored
    scores = _term(model, "age x income").scores.copy()
    scores[0, 0] = scores.max() + 1.0
    with pytest.raises(ValueError, match="must stay non-decreasing"):
        model.replace_scores("age x income", scores)
    with pytest.raises(ValueError, match="No term named"):
        model.remove_terms(["income", "agee"])
    assert model.to_json() == before and np.array_equal(model.decision_function(X), decision)
    assert len(model.edits_) == 1


# -- monotone ------------------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["increasing", "decreasing"])
def test_monotone_edit_is_weighted_isotonic_regression_of_the_bins(binary, direction):
    model, X, _ = binary
    old = _term(model, "age")
    n_value = old.bins[0].n_value_bins
    weights = old.density[:n_value]
    assert np.all(weights > 0)
    edited = _copy(model).make_monotone("age", direction)
    new, shift = _term(edited, "age"), edited.edits_[-1].intercept_shift[0]
    isotonic = IsotonicRegression(increasing=direction == "increasing").fit_transform(
        np.arange(n_value), old.scores[:n_value], sample_weight=weights)
    np.testing.assert_allclose(new.scores[:n_value] + shift, isotonic, rtol=0, atol=1e-12)
    assert new.constraints == ((1 if direction == "increasing" else -1),)
    # exactly monotone on a dense grid of ages, for a few people, with no tolerance
    grid = np.linspace(X["age"].min() - 5, X["age"].max() + 5, 3000)
    for _, person in X.head(4).iterrows():
        rows = pd.DataFrame([person] * len(grid)).astype(X.dtypes.to_dict())
        rows["age"] = grid
        steps = np.diff(edited.decision_function(rows))
        assert np.all(steps >= 0) if direction == "increasing" else np.all(steps <= 0)


def test_monotone_edit_stays_monotone_under_later_edits(binary):
    model, _, _ = binary
    edited = _copy(model).make_monotone("age", "increasing")
    scores = _term(edited, "age").scores.copy()
    scores[0] = scores.max() + 1.0
    with pytest.raises(ValueError, match="must stay non-decreasing in 'age'.*make_monotone"):
        edited.replace_scores("age", scores)
    assert "monotone increasing" in str(edited.explain_global())


def test_fitted_constraint_is_kept_by_edits():
    X, signal, rng = _frame(1500, 4)
    y = (signal + rng.logistic(size=len(X)) > 0).astype(int)
    model = GAMClassifier(interactions=0, monotonic_cst={"income": 1}, **SETTINGS).fit(X, y)
    scores = _term(model, "income").scores[::-1].copy()
    scores[-1] = 0.0  # the missing bin
    with pytest.raises(ValueError, match="fitted with monotonic_cst"):
        model.replace_scores("income", scores)
    with pytest.raises(ValueError, match="'income' is already non-decreasing"):
        model.make_monotone("income", "decreasing")


# -- centring and the intercept ------------------------------------------------------------

def _edits(model):
    """One edit of each kind on ``model`` (a binary classifier or a log-link regressor)."""
    region = _term(model, "region").scores * 1.5
    return {
        "monotone": _copy(model).make_monotone("income", "increasing"),
        "replace": _copy(model).replace_scores("region", region),
        "flatten": _copy(model).flatten_range("age", 60, 65, like=59),
        "clip": _copy(model).clip_scores("age", lower=-0.2, upper=0.1),
        "clip pair": _copy(model).clip_scores(model.term_names_[-1], upper=0.0),
    }


@pytest.mark.parametrize("fixture", ["binary", "poisson"])
def test_every_edit_is_centred_and_its_shift_is_in_the_intercept(fixture, request):
    model, X, _ = request.getfixturevalue(fixture)
    log_link = fixture == "poisson"
    old_local = model.explain_local(X)
    for what, edited in _edits(model).items():
        edit = edited.edits_[-1]
        for name in edit.terms:
            np.testing.assert_allclose(_centre_of(_term(edited, name), log_link), 0.0, atol=1e-12, err_msg=what)
        np.testing.assert_allclose(edited.intercept_, model.intercept_ + edit.intercept_shift, rtol=0, atol=1e-12)
        # the predictions are the old intercept plus the edited, uncentred scores
        edited_terms = [model.term_names_.index(name) for name in edit.terms]
        new_local = edited.explain_local(X)
        uncentred = new_local.contributions[:, edited_terms].sum(axis=1) + edit.intercept_shift[0]
        expected = old_local.decision - old_local.contributions[:, edited_terms].sum(axis=1) + uncentred
        np.testing.assert_allclose(new_local.decision, expected, rtol=RTOL, atol=1e-11, err_msg=what)


@pytest.mark.parametrize("fixture", ["binary", "poisson", "multiclass"])
def test_edited_models_stay_exactly_additive(fixture, request):
    model, X, _ = request.getfixturevalue(fixture)
    edited = _copy(model).remove_terms("hours").clip_scores(
        "age", upper=0.05, target_class=None if fixture != "multiclass" else model.classes_[1])
    local = edited.explain_local(X)
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), local.decision, rtol=RTOL)
    np.testing.assert_allclose(edited.explain_global().decision_function(X), local.decision, rtol=RTOL, atol=1e-12)
    if fixture == "poisson":
        np.testing.assert_allclose(edited.predict(X), np.exp(local.decision), rtol=RTOL)


def test_refit_intercept_restores_the_means(binary, poisson, multiclass):
    model, X, y = binary
    edited = _copy(model).remove_terms(["income", "age x income"]).refit_intercept(X, y)
    assert edited.predict_proba(X)[:, 1].mean() == pytest.approx(y.mean(), abs=1e-12)
    assert edited.edits_[-1].action == "refit_intercept" and edited.edits_[-1].terms == ()
    model, X, y = poisson
    edited = _copy(model).remove_terms("age").refit_intercept(X, y)
    assert edited.predict(X).mean() == pytest.approx(y.mean(), rel=1e-12)
    model, X, y = multiclass
    edited = _copy(model).remove_terms("age").refit_intercept(X, y)
    np.testing.assert_allclose(edited.predict_proba(X).mean(axis=0), np.bincount(y) / len(y), atol=1e-10)


@pytest.mark.parametrize("loss, power", [("gamma", 2.0), ("tweedie", 1.5), ("tweedie", 1.2)])
def test_refit_intercept_minimises_the_gamma_and_tweedie_deviance(loss, power):
    # the score equation sum w (y - mu) mu^(1-p) = 0 weights the rows by mu^(1-p), so the least deviance is
    # not at the mean-balancing intercept that is Poisson's (whose deviance here is 8e-6 to 9e-5 above the minimum)
    X, signal, rng = _frame(1500, 4)
    y = rng.gamma(2.0, np.exp(signal) / 2.0)
    if loss == "tweedie":
        y[rng.rand(len(X)) < 0.5] = 0.0
    weights = rng.uniform(0.5, 2.0, len(X))
    model = GAMRegressor(loss=loss, power=power, interactions=0, **SETTINGS).fit(X, y, sample_weight=weights)
    edited = _copy(model).remove_terms(["age", "region"])
    sums = np.log(edited.predict(X)) - edited.intercept_[0]

    def deviance(c):
        return mean_tweedie_deviance(y, np.exp(c + sums), power=power, sample_weight=weights)

    start = np.log(np.average(y, weights=weights))
    best = minimize_scalar(deviance, bracket=(start - 1.0, start + 1.0), tol=1e-12)
    refitted = edited.refit_intercept(X, y, sample_weight=weights).intercept_[0]
    assert deviance(refitted) <= best.fun * (1 + 1e-10)
    assert refitted == pytest.approx(best.x, abs=1e-6)
    mu = edited.predict(X)
    score = weights @ ((y - mu) * mu ** (1 - power))
    assert abs(score) <= 1e-10 * (weights @ (y * mu ** (1 - power)))


# -- ranges, caps, set scores --------------------------------------------------------------

def test_flatten_range_scores_the_range_like_the_value(binary):
    model, X, _ = binary
    edited = _copy(model).flatten_range("age", 60, 65, like=59)
    rows = pd.DataFrame([X.iloc[0]] * 8).astype(X.dtypes.to_dict())
    rows["age"] = [59, 60, 61.5, 62, 63, 64, 65, 65.4]
    age = edited.explain_local(rows).contributions[:, edited.term_names_.index("age")]
    assert np.all(age[:7] == age[0])
    # the pair with age is a term of its own: the edit leaves it as it was
    pair = model.term_names_.index("age x income")
    before, after = model.explain_local(rows).contributions, edited.explain_local(rows).contributions
    assert np.array_equal(after[:, pair], before[:, pair])
    parameters = edited.edits_[0].parameters
    assert (parameters["low"], parameters["high"], parameters["like"], parameters["score"]) == (60, 65, 59, None)
    assert f"(the bins {parameters['bins']}) scored like 59" in str(edited.explain_global())


def test_clip_caps_the_uncentred_scores(binary):
    model, _, _ = binary
    edited = _copy(model).clip_scores("income", lower=-0.3, upper=0.2)
    scores = _term(edited, "income").scores + edited.edits_[0].intercept_shift[0]
    reached = _term(edited, "income").density > 0
    assert scores[reached].max() <= 0.2 + 1e-12 and scores[reached].min() >= -0.3 - 1e-12


def test_replace_scores_of_a_pair(binary):
    model, X, _ = binary
    pair = "age x income"
    term = _term(model, pair)
    edited = _copy(model).replace_scores(pair, term.scores * 0.5)
    centred = term.scores * 0.5 - _centre_of(_term(model, pair), False) * 0.5
    reached = term.density > 0
    np.testing.assert_allclose(_term(edited, pair).scores[reached], centred[reached], atol=1e-12)


# -- multiclass ----------------------------------------------------------------------------

def test_multiclass_edits_say_which_class(multiclass):
    model, X, _ = multiclass
    with pytest.raises(ValueError, match=r"needs target_class=<one of \[0, 1, 2\]>"):
        model.clip_scores("age", upper=0.0)
    with pytest.raises(ValueError, match="not available on a multiclass model"):
        model.make_monotone("age")
    with pytest.raises(ValueError, match=r"not a class of this model; the classes are \[0, 1, 2\]\."):
        model.clip_scores("age", upper=0.0, target_class=7)
    edited = _copy(model).clip_scores("age", upper=0.0, target_class=2)
    old, new = _term(model, "age").scores, _term(edited, "age").scores
    assert np.array_equal(old[:, :2], new[:, :2])  # the other classes keep their scores
    assert "for class 2" in str(edited.explain_global())
    removed = _copy(model).remove_terms("age")
    assert not np.any(_term(removed, "age").scores)
    region = _term(model, "region").scores
    assert _copy(model).replace_scores("region", region[:, 0] * 0, target_class=0).edits_[0].parameters["target_class"] == 0


# -- the audit trail -----------------------------------------------------------------------

def test_edits_are_shown_in_text_html_frame_and_plot(binary):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from glassbox.plotting import ShapeFunctionDisplay

    model, _, _ = binary
    edited = _copy(model).make_monotone("age").remove_terms("region")
    shapes = edited.explain_global()
    text = str(shapes)
    assert "  edited: made monotone increasing" in text and "  edited: removed (scores set to 0)" in text
    assert "1. age, age x income: made monotone increasing" in text and "2. region: removed" in text
    assert "edited: removed" in shapes._repr_html_()
    frame = shapes.to_frame()
    assert frame.loc[frame["term"] == "region", "edited"].eq("removed (scores set to 0)").all()
    assert frame.loc[frame["term"] == "income", "edited"].isna().all()
    display = ShapeFunctionDisplay.from_estimator(edited, term="age")
    assert display.ax_.get_title() == "age (edited)" and "made monotone" in display.edits_text_.get_text()
    assert ShapeFunctionDisplay.from_estimator(edited, term="income").edits_text_ is None
    matplotlib.pyplot.close("all")


def test_edited_terms_lose_their_band_and_others_keep_it(binary):
    model, _, _ = binary
    edited = _copy(model).clip_scores("age", upper=0.0)
    assert _term(model, "age").lower is not None
    assert _term(edited, "age").lower is None and _term(edited, "age").upper is None
    assert np.array_equal(_term(edited, "income").lower, _term(model, "income").lower)


@pytest.mark.parametrize("fixture", ["binary", "poisson", "multiclass"])
def test_json_round_trip_keeps_edits_and_scores_exactly(fixture, request):
    model, X, y = request.getfixturevalue(fixture)
    target = model.classes_[0] if fixture == "multiclass" else None
    edited = _copy(model).remove_terms("hours").flatten_range("age", 30, 40, like=29).clip_scores(
        "income", lower=-0.1, target_class=target).refit_intercept(X, y)
    restored = from_json(edited.to_json())
    assert restored == edited.explain_global()
    assert restored.edits == edited.edits_ and len(restored.edits) == 4
    assert np.array_equal(restored.decision_function(X), edited.explain_global().decision_function(X))
    assert from_json(restored.to_json()).to_json() == edited.to_json()
    # a payload written before edits existed loads with none
    payload = json.loads(model.to_json())
    assert "edits" not in payload["content"]
    assert from_json(json.dumps(payload)).edits == ()


def test_edits_are_deterministic_and_fit_clears_them(binary):
    model, X, y = binary

    def edit(m):
        return m.make_monotone("age").flatten_range("income", 10, 20, score=0.1).refit_intercept(X, y)

    first, second = edit(_copy(model)), edit(_copy(model))
    assert first.to_json() == second.to_json()
    assert pickle.loads(pickle.dumps(first)).to_json() == first.to_json()
    refitted = first.fit(X, y)
    assert refitted.edits_ == ()
    assert refitted.to_json() == model.to_json()


EDIT_METHODS = ("remove_terms", "make_monotone", "replace_scores", "flatten_range", "clip_scores", "refit_intercept")


def test_refitting_starts_without_the_edits_and_the_docs_say_how_to_cross_validate_them(binary):
    # edits are made after fit, as scikit-learn's post-fit changes: a clone refitted in each fold has none
    model, X, y = binary
    edited = _copy(model).remove_terms(["income", "age x income"])
    folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    np.testing.assert_array_equal(cross_val_score(edited, X, y, cv=folds), cross_val_score(model, X, y, cv=folds))
    for name in EDIT_METHODS:
        doc = inspect.cleandoc(getattr(GAMClassifier, name).__doc__)  # Python 3.13 dedents docstrings itself
        notes = doc[doc.index("Notes\n-----"):doc.index("Examples\n")]
        assert "``clone``" in notes and "every fold" in notes, name
    # the guide's recipe runs as written and prints what its comment says
    guide = (Path(__file__).resolve().parents[2] / "docs" / "gam.rst").read_text()
    section = guide[guide.index("**Cross-validating an edit.**"):]
    block = section[section.index(".. code-block:: python"):section.index("\nThe same function applied")]
    code = textwrap.dedent(block.split("\n", 1)[1])
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "docs/gam.rst", "exec"), namespace)
    assert f"# {np.round(namespace['scores'], 4)}:" in code


def test_a_model_pickled_before_edits_existed_explains_and_edits(binary):
    model, X, _ = binary
    old = pickle.loads(pickle.dumps(model))
    del old.edits_  # fitted before the attribute existed
    assert old.explain_global().edits == ()
    assert old.remove_terms("age").edits_[0].terms == ("age",)


# -- bad input -----------------------------------------------------------------------------

def test_bad_edits_are_refused_with_the_fix(binary):
    model, X, _ = binary
    with pytest.raises(ValueError, match=r"No term named 'agee'; the terms are \['age', 'income'"):
        model.remove_terms("agee")
    with pytest.raises(ValueError, match="'region' is categorical, and its levels have no order"):
        model.make_monotone("region")
    with pytest.raises(ValueError, match="is a pair"):
        model.flatten_range("age x income", 1, 2, score=0.0)
    shape = _term(model, "age").scores.shape
    with pytest.raises(ValueError, match=rf"must have shape \({shape[0]},\)"):
        model.replace_scores("age", np.zeros(shape[0] - 1))
    # scores by level: the message says the order the bins take, by their labels
    with pytest.raises(ValueError, match=r"not a dict.*bin_labels\(\).*\['east', 'north', 'south', 'missing', "
                                         r"'unseen'\]"):
        model.replace_scores("region", {"north": 0.2, "south": -0.2, "east": 0.0})
    # a Series labelled by level was read by position: the east bin took the score given for south
    labelled = pd.Series({"south": 2.0, "north": 1.0, "east": 0.0, "missing": 0.0, "unseen": 0.0})
    with pytest.raises(ValueError, match=r"not a dict or a labelled Series.*\['east', 'north', 'south'"):
        model.replace_scores("region", labelled)
    positional = _term(model, "region").scores.copy()
    edited = copy.deepcopy(model).replace_scores("region", pd.Series(positional))  # unlabelled: an array
    np.testing.assert_array_equal(_term(edited, "region").scores, positional)
    bad = np.zeros(shape)
    bad[2] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        model.replace_scores("age", bad)
    unseen = np.zeros(_term(model, "region").scores.shape)
    unseen[-1] = 1.0  # the unseen-level bin
    with pytest.raises(ValueError, match="unseen-level bin"):
        model.replace_scores("region", unseen)
    with pytest.raises(ValueError, match="exactly one of like"):
        model.flatten_range("age", 60, 65)
    with pytest.raises(ValueError, match="low <= high"):
        model.flatten_range("age", 65, 60, like=59)
    with pytest.raises(ValueError, match="target_class applies to multiclass models"):
        model.clip_scores("age", upper=0.0, target_class=1)
    with pytest.raises(ValueError, match="lower, upper or both"):
        model.clip_scores("age")
    with pytest.raises(ValueError, match="direction must be"):
        model.make_monotone("age", "up")
    with pytest.raises(ValueError, match="labels the model was not fitted on"):
        model.refit_intercept(X, np.full(len(X), 5))
    with pytest.raises(NotFittedError):
        GAMClassifier().remove_terms("age")


def test_the_edit_record_is_public(binary):
    import glassbox.explain

    model, _, _ = binary
    assert "ShapeEdit" in glassbox.explain.__all__
    assert type(_copy(model).remove_terms("age").edits_[0]) is glassbox.explain.ShapeEdit
