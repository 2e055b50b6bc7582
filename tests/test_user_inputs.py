"""What a user gets back for bad or unusual input, for every registered estimator.

The house rule: bad input gets a clear error naming the problem and the fix,
never a crash or a silent wrong answer; where a family supports something
(missing values, unseen categories) the behaviour is the documented one.
Estimators join automatically through ``glassbox/utils/registry.py``; data are
tiny so that the module stays fast.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import Interval

from glassbox.utils import all_estimators

ESTIMATORS = dict(all_estimators())
NAMES = sorted(ESTIMATORS)
CLASSIFIERS = [name for name in NAMES if is_classifier(ESTIMATORS[name]())]
# Cheaper than the common tests' settings: these tests look at inputs, not at fit quality.
_FASTER = {
    "BayesianRuleListClassifier": {"n_iter": 300, "n_chains": 2},
    "GAMClassifier": {"outer_bags": 1, "interactions": 0, "max_rounds": 50},
    "GAMRegressor": {"outer_bags": 1, "interactions": 0, "max_rounds": 50},
    "DistilledClassifier": {"n_augment": 0},
    "DistilledRegressor": {"n_augment": 0},
}


def _small_distillation(name):
    # a five-tree teacher: the common tests' thirty trees cost seconds per fit on a busy machine
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    from glassbox import GAMClassifier, GAMRegressor

    if name == "DistilledClassifier":
        return {"teacher": HistGradientBoostingClassifier(max_iter=5, random_state=0),
                "student": GAMClassifier(**_FASTER["GAMClassifier"])}
    return {"teacher": HistGradientBoostingRegressor(max_iter=5, random_state=0),
            "student": GAMRegressor(**_FASTER["GAMRegressor"])}
# Families without native missing values: they reject NaN, naming the columns.
REJECTS_MISSING = {name for name in NAMES if name.startswith("SparseLinear")}
# Families whose unseen categories satisfy no condition (docs/rule_list.rst, docs/decision_set.rst): they
# warn only when one of their rules tests the feature; every other family warns and scores them zero.
RULE_MODELS = {"BayesianRuleListClassifier", "DecisionSetClassifier"}
# One cheap parameter per estimator for set_params through a Pipeline and a GridSearchCV.
GRID = {
    "BayesianRuleListClassifier": ("max_rules", [2, 4]),
    "DecisionSetClassifier": ("max_rules", [2, 4]),
    "DistilledClassifier": ("augment", ["copula", "neighbors"]),
    "DistilledRegressor": ("augment", ["copula", "neighbors"]),
    "GAMClassifier": ("max_bins", [16, 32]),
    "GAMRegressor": ("max_bins", [16, 32]),
    "RiskScoreClassifier": ("max_features", [2, 3]),
    "SparseLinearClassifier": ("alpha", [0.01, 0.1]),
    "SparseLinearClassifierCV": ("cv", [2, 3]),
    "SparseLinearRegressor": ("alpha", [0.01, 0.1]),
    "SparseLinearRegressorCV": ("cv", [2, 3]),
}


def make(name, **params):
    cls = ESTIMATORS[name]
    small = _small_distillation(name) if name.startswith("Distilled") else {}
    seeded = {"random_state": 0} if "random_state" in cls().get_params() else {}  # the same fit in any test order
    settings = {**seeded, **getattr(cls, "_test_params", {}), **small, **_FASTER.get(name, {}), **params}
    return cls(**settings)


def numeric_data(name, n=60):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 3))
    if name in CLASSIFIERS:
        return X, (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, X[:, 0] + 0.1 * rng.normal(size=n)


def mixed_frame(name, n=60, object_column=True):
    """Numeric, category, object (or a second category), bool and constant columns."""
    X, y = numeric_data(name, n)
    rng = np.random.RandomState(1)
    frame = pd.DataFrame(X, columns=["age", "income", "score"])
    frame["color"] = pd.Categorical(rng.choice(["red", "green", "blue"], n))
    city = rng.choice(["north", "south"], n).astype(object)
    frame["city"] = city if object_column else pd.Categorical(city)
    frame["flag"] = rng.rand(n) > 0.5
    frame["const"] = 1.0
    return frame, y


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


_FITTED = {}


def fitted(name, kind="numeric"):
    """One fit per estimator and kind of data, shared by the tests (they never change it)."""
    key = (name, kind)
    if key not in _FITTED:
        if kind == "numeric":
            X, y = numeric_data(name)
        else:  # make()'s plain HistGradientBoosting teacher reads pandas categories, not object columns
            X, y = mixed_frame(name, object_column=not name.startswith("Distilled"))
        _FITTED[key] = (quietly(make(name).fit, X, y), X, y)
    return _FITTED[key]


# -- values in X ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", [np.inf, -np.inf], ids=["+inf", "-inf"])
@pytest.mark.parametrize("name", NAMES)
def test_infinity_is_rejected_naming_the_column(name, value):
    X, y = numeric_data(name)
    X_bad = X.copy()
    X_bad[3, 1] = value
    with pytest.raises(ValueError, match=r"infinity in columns \['x1'\].*clip"):
        make(name).fit(X_bad, y)
    model = fitted(name)[0]
    with pytest.raises(ValueError, match=r"infinity in columns \['x1'\]"):
        model.predict(X_bad)


@pytest.mark.parametrize("name", NAMES)
def test_missing_values_are_handled_or_rejected_naming_the_column(name):
    X, y = numeric_data(name)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    if name in REJECTS_MISSING:
        with pytest.raises(ValueError, match=r"NaN.*\['x1'\].*Impute"):
            make(name).fit(X_nan, y)
        with pytest.raises(ValueError, match=r"NaN.*\['x1'\]"):
            fitted(name)[0].predict(X_nan)
        return
    model = quietly(make(name).fit, X_nan, y)
    output = model.decision_function(X_nan) if hasattr(model, "decision_function") else model.predict(X_nan)
    assert np.all(np.isfinite(output))
    assert np.all(np.isfinite(fitted(name)[0].predict(X_nan).astype(float)))


@pytest.mark.parametrize("name", NAMES)
def test_a_column_missing_in_every_row_is_named_or_harmless(name):
    X, y = numeric_data(name)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(empty=np.nan)
    try:
        model = quietly(make(name).fit, frame, y)
    except ValueError as error:
        assert "empty" in str(error) or "missing in every row" in str(error)
        return
    # accepted: the column carried no information, so no value of it can move the output
    np.testing.assert_array_equal(quietly(model.predict, frame.assign(empty=1.0)), model.predict(frame))


@pytest.mark.parametrize("name", NAMES)
def test_missing_target_values_are_rejected(name):
    X, y = numeric_data(name)
    y_bad = y.astype(float)
    y_bad[2] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        make(name).fit(X, y_bad)
    if name in CLASSIFIERS:  # strings with a None: np.unique alone would raise a TypeError
        labels = np.where(y == 1, "yes", "no").astype(object)
        labels[5] = None
        with pytest.raises(ValueError, match="missing labels.*drop those rows"):
            make(name).fit(X, labels)


@pytest.mark.parametrize(
    "weights, message",
    [
        (lambda n: -np.ones(n), "Negative values in sample_weight"),
        (lambda n: np.r_[np.nan, np.ones(n - 1)], "NaN or infinity"),
        (lambda n: np.ones(n - 1), r"one weight per row"),
        (lambda n: np.zeros(n), "zero for every row"),
    ],
    ids=["negative", "nan", "wrong-length", "all-zero"],
)
@pytest.mark.parametrize("name", NAMES)
def test_bad_sample_weight_is_rejected(name, weights, message):
    X, y = numeric_data(name)
    with pytest.raises(ValueError, match=message):
        make(name).fit(X, y, sample_weight=weights(len(y)))


# -- shapes and feature names --------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_predict_checks_the_number_of_features(name):
    model, X, _ = fitted(name)
    with pytest.raises(ValueError, match=rf"X has 2 features, but {name} is expecting 3"):
        model.predict(X[:, :2])
    assert model.predict(X[:1]).shape == (1,)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f[f.columns[::-1]],
        lambda f: f.drop(columns=["city"]),
        lambda f: f.assign(extra=1.0),
        lambda f: f.rename(columns={"age": "AGE"}),
    ],
    ids=["reordered", "missing", "extra", "renamed"],
)
@pytest.mark.parametrize("name", NAMES)
def test_predict_checks_feature_names(name, change):
    model, frame, _ = fitted(name, "frame")
    assert list(model.feature_names_in_) == list(frame.columns)
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(change(frame))


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f[f.columns[::-1]],
        lambda f: f.drop(columns=[f.columns[1]]).assign(extra=f.iloc[:, 1]).set_axis(
            list(f.columns[[0, 2]]) + [99], axis=1),
        lambda f: f.set_axis(range(f.shape[1]), axis=1),
    ],
    ids=["reordered", "one-replaced", "relabelled"],
)
@pytest.mark.parametrize("labels", [[10, 11, 12], [("g", "a"), ("g", "b"), ("h", "a")]], ids=["ints", "tuples"])
@pytest.mark.parametrize("name", NAMES)
def test_predict_checks_non_string_column_labels(name, labels, change):
    # scikit-learn checks only string names: a frame of integer or tuple labels in another order was
    # read by position, silently wrong (GAM probabilities off by 0.99)
    X, y = numeric_data(name)
    frame = pd.DataFrame(X, columns=pd.MultiIndex.from_tuples(labels) if isinstance(labels[0], tuple) else labels)
    with pytest.warns(UserWarning, match=r"column labels are not strings .*\(x0 is column") as record:
        model = make(name).fit(frame, y)
    assert len([w for w in record if "column labels" in str(w.message)]) == 1  # not again by a student or binner
    np.testing.assert_array_equal(model.predict(frame), model.predict(X))
    with pytest.raises(ValueError, match=r"column labels are not those .* Select the fitted columns, in their order"):
        model.predict(change(frame))


@pytest.mark.parametrize("name", NAMES)
def test_positional_column_labels_fit_quietly_and_a_refit_forgets_labels(name):
    X, y = numeric_data(name)
    frame = pd.DataFrame(X)  # labels 0, 1, 2: the positions the features are named by
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        model = make(name).fit(frame, y)
    assert not [w for w in record if "column labels" in str(w.message)]
    with pytest.raises(ValueError, match="column labels are not those"):
        model.predict(frame[[2, 1, 0]])
    quietly(model.fit, X, y)
    model.predict(frame[[2, 1, 0]])  # fitted on an array: read by position, as scikit-learn does


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("Distilled")])  # (make()'s teacher reads no text)
def test_nested_list_of_numbers_beside_text_reads_the_numbers_as_numbers(name):
    # NumPy turns [[40.5, 'red'], ...] into text throughout ('40.5'): the numbers became categories, with a
    # warning of "numbers written as text" telling the user to pd.to_numeric a column of a list
    frame, y = mixed_frame(name)
    frame = frame[["age", "color"]].astype({"color": object})
    rows = [[float(age), color] for age, color in zip(frame["age"], frame["color"])]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        model = make(name).fit(rows, y)
    assert model.is_categorical_.tolist() == [False, True]
    assert not [w for w in record if "written as text" in str(w.message)]
    expected = quietly(make(name).fit, frame.to_numpy(), y)
    np.testing.assert_array_equal(model.predict(rows), expected.predict(frame.to_numpy()))


@pytest.mark.parametrize("name", NAMES)
def test_pandas_input_round_trip(name):
    model, frame, _ = fitted(name, "frame")
    expected = model.predict(frame)
    assert model.is_categorical_.tolist() == [False, False, False, True, True, False, False]
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(frame), expected)
    explanation = model.explain_global()
    assert len(explanation.to_frame()) > 0
    assert str(explanation).strip() and explanation._repr_html_().strip()
    local = model.explain_local(frame.iloc[:2])
    assert "age" in str(local) and len(local.to_frame()) > 0
    np.testing.assert_allclose(
        local.base_value + local.contributions.sum(axis=1), local.decision, rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("name", NAMES)
def test_unseen_category_behaviour_is_the_documented_one(name):
    model, frame, _ = fitted(name, "frame")
    rows = frame.iloc[:3].copy()
    rows["color"] = pd.Categorical(["purple"] * 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        local = model.explain_local(rows)
    unseen_warnings = [w for w in caught if "not seen in training" in str(w.message)]
    if name in RULE_MODELS:
        rules = model.explain_global().rules
        tests_color = any(condition.feature == "color" for rule in rules for condition in rule.conditions)
        assert bool(unseen_warnings) == tests_color
        return
    assert unseen_warnings
    message = str(unseen_warnings[0].message)
    assert "'color'" in message and "purple" in message
    # the feature's terms (the shape 'color', or indicators 'color == level') contribute nothing
    terms = [t for t, term in enumerate(local.term_names) if term == "color" or term.startswith("color ==")]
    if name != "RiskScoreClassifier":  # a scorecard holds only the conditions it chose
        assert terms, local.term_names
    np.testing.assert_array_equal(local.contributions[:, terms], 0.0)


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("Distilled")])
def test_distillation_default_teacher_reads_object_columns_and_a_given_one_is_named(name):
    frame, y = mixed_frame(name)  # an object column ('city'), which a plain HistGradientBoosting cannot read
    model = quietly(make(name, teacher=None).fit, frame, y)
    assert model.teacher_.predict(frame).shape == (len(frame),)
    assert list(model.teacher_[-1].categorical_features) == [False, False, False, True, True, False, False]
    with pytest.raises(ValueError, match="teacher HistGradientBoosting.*could not be fitted.*Pipeline that encodes X"):
        make(name).fit(frame, y)  # make() gives a plain five-tree HistGradientBoosting teacher


# -- targets -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_a_single_class_is_rejected(name):
    X, y = numeric_data(name)
    with pytest.raises(ValueError, match=r"only one class \(0\)"):
        make(name).fit(X, np.zeros_like(y))


@pytest.mark.parametrize("kind", ["strings", "bools", "categorical"])
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_class_labels_round_trip(name, kind):
    X, y = numeric_data(name)
    labels = {
        "strings": np.where(y == 1, "yes", "no"),
        "bools": y.astype(bool),
        "categorical": pd.Series(pd.Categorical(np.where(y == 1, "yes", "no"))),
    }[kind]
    model = quietly(make(name).fit, X, labels)
    expected = sorted(set(np.asarray(labels).tolist()))
    assert list(model.classes_) == expected
    predicted = model.predict(X)
    assert set(predicted.tolist()) <= set(expected)
    assert model.explain_local(X[:2]).prediction.tolist() == predicted[:2].tolist()


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_multiclass_is_supported_or_rejected_naming_alternatives(name):
    X, y = numeric_data(name)
    y3 = np.digitize(X[:, 0], [-0.5, 0.5])
    if name == "RiskScoreClassifier":
        with pytest.raises(ValueError, match="multiclass model.*GAMClassifier"):
            make(name).fit(X, y3)
        return
    proba = quietly(make(name).fit, X, y3).predict_proba(X)
    assert proba.shape == (len(y3), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", [n for n in CLASSIFIERS if not n.startswith("Distilled")])  # the teacher's classes
def test_a_class_whose_rows_all_weigh_zero_is_no_class(name):
    # rows of weight zero are as good as absent (docs/inputs.rst): a label only they hold is not a class, so a
    # binary target stays binary (and takes its sign constraints) and the fit is the one without those rows
    X, y = numeric_data(name)
    labels = y.copy()
    labels[:8] = 7
    weights = np.ones(len(y))
    weights[:8] = 0
    with pytest.warns(UserWarning, match=r"Class 7 has sample_weight 0 in every row \(8 rows\)") as caught:
        model = make(name).fit(X, labels, sample_weight=weights)
    assert sum("sample_weight 0 in every row" in str(w.message) for w in caught) == 1
    assert model.classes_.tolist() == [0, 1]
    if name.endswith("CV"):  # zero-weight rows still hold places in the folds: their label is just not a class
        alone = quietly(make(name).fit, X, np.where(weights > 0, labels, 0), sample_weight=weights)
    else:
        alone = quietly(make(name).fit, X[8:], labels[8:])
    np.testing.assert_allclose(model.predict_proba(X), alone.predict_proba(X), rtol=1e-10, atol=1e-12)
    if "monotonic_cst" in model.get_params():
        quietly(make(name, monotonic_cst=[1, 0, 0]).fit, X, labels, sample_weight=weights)


# -- numbers written as text ---------------------------------------------------------------
def _numbers_as_text_frame(name, n=80):
    X, y = numeric_data(name, n)
    frame = pd.DataFrame(X, columns=["age", "income", "score"])
    frame["ca"] = np.array(["0.0", "1.0", "2.0", "3.0", "?"] * (n // 5), dtype=object)  # heart's ca as UCI ships it
    return frame, y


@pytest.mark.parametrize("name", NAMES)
def test_numbers_written_as_text_are_warned_of_once_at_fit(name):
    frame, y = _numbers_as_text_frame(name)
    teacher = {"teacher": None} if name.startswith("Distilled") else {}  # the default teacher encodes text columns
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(name, **teacher).fit(frame, y)
    messages = [str(w.message) for w in caught if "numbers written as text" in str(w.message)]
    assert len(messages) == 1, messages  # not once per fold, bag, teacher or student
    assert "'ca'" in messages[0] and "['?']" in messages[0] and "pd.to_numeric(X['ca'], errors='coerce')" in messages[0]
    frame["ca"] = frame["ca"].astype("category")  # declared categorical: on purpose, no warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(name, **teacher).fit(frame, y)
    assert not [w for w in caught if "numbers written as text" in str(w.message)]


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("Distilled")])  # (make()'s teacher reads no text)
def test_numbers_as_text_in_an_array_get_a_fix_for_an_array(name):
    # np.array of rows mixing numbers and text holds text throughout; the warning told the user to run
    # pd.to_numeric(X['x3']) on an array, which has no column 'x3'
    frame, y = _numbers_as_text_frame(name)
    array = frame.to_numpy().astype(str)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(name).fit(array, y)
    messages = [str(w.message) for w in caught if "numbers written as text" in str(w.message)]
    assert messages and "X['" not in messages[0] and "categorical_features=[0]" in messages[0], messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(name, categorical_features=[0, 1, 2, 3]).fit(array, y)  # the fix it gives silences it
    assert not [w for w in caught if "numbers written as text" in str(w.message)]


# -- unfitted models -----------------------------------------------------------------------
UNFITTED_METHODS = ("predict", "predict_proba", "decision_function", "explain_local", "explain_global", "to_json")


@pytest.mark.parametrize(
    "name, method", [(name, method) for name in NAMES for method in UNFITTED_METHODS if hasattr(ESTIMATORS[name], method)]
)
def test_unfitted_model_raises_not_fitted(name, method):
    model = make(name)
    args = () if method in ("explain_global", "to_json") else (numeric_data(name)[0],)
    with pytest.raises(NotFittedError, match="not fitted yet.*fit"):
        getattr(model, method)(*args)


@pytest.mark.parametrize("display", ["CoefficientDisplay", "LocalContributionDisplay", "ShapeFunctionDisplay",
                                     "RiskCurveDisplay"])
@pytest.mark.parametrize("name", NAMES)
def test_unfitted_model_cannot_be_plotted(name, display):
    pytest.importorskip("matplotlib")
    import glassbox.plotting

    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(glassbox.plotting, display).from_estimator(make(name))


# -- parameters ----------------------------------------------------------------------------
def _numeric_parameters(name):
    """The parameters of ``name`` that take numbers and no boolean."""
    from glassbox.utils._sklearn_shim import _takes_booleans

    constraints = ESTIMATORS[name]._parameter_constraints
    return [p for p, c in constraints.items() if c != "no_validation" and not _takes_booleans(c)
            and any(isinstance(k, Interval) or k == "random_state" for k in c)]


@pytest.mark.parametrize("name", NAMES)
def test_a_boolean_for_a_number_is_refused_naming_the_parameter(name):
    # scikit-learn's intervals take True for 1: n_iter=True crashed in compiled code ("an integer is
    # required"), max_rules=True kept one rule; np.True_ was refused, True not
    X, y = numeric_data(name)
    parameters = _numeric_parameters(name)
    assert parameters
    for parameter in parameters:
        for value in (True, False, np.True_):
            with pytest.raises(ValueError, match=f"The '{parameter}' parameter of {name} must be"):
                make(name, **{parameter: value}).fit(X, y)


@pytest.mark.parametrize("name", NAMES)
def test_boolean_parameters_still_take_booleans(name):
    from glassbox.utils._sklearn_shim import validate_parameters

    flags = [p for p, c in ESTIMATORS[name]._parameter_constraints.items() if c != "no_validation" and "boolean" in c]
    for parameter in flags + (["verbose"] if "verbose" in make(name).get_params() else []):
        for value in (True, False, np.True_):
            validate_parameters(make(name, **{parameter: value}))


@pytest.mark.parametrize(
    "constraint, message",
    [
        ({"color": 1}, "categorical features \\['color'\\].*Remove those entries"),
        ([1, 0], "has 2 entries but X has 7 features"),
        ({"height": 1}, "Unknown feature 'height'"),
        ({"age": 2}, "use -1 \\(decreasing\\), 0 or \\+1"),
    ],
    ids=["categorical", "wrong-length", "unknown-name", "bad-value"],
)
@pytest.mark.parametrize("name", [n for n in NAMES if "monotonic_cst" in ESTIMATORS[n]().get_params()])
def test_impossible_monotonic_constraints(name, constraint, message):
    frame, y = mixed_frame(name)
    with pytest.raises(ValueError, match=message):
        make(name, monotonic_cst=constraint).fit(frame, y)


@pytest.mark.parametrize("name", NAMES)
def test_pipeline_with_column_transformer_and_grid_search(name):
    frame, y = mixed_frame(name, n=80, object_column=False)
    parameter, values = GRID[name]
    prepare = ColumnTransformer(
        [("scale", StandardScaler(), ["age", "income"])], remainder="passthrough", verbose_feature_names_out=False
    ).set_output(transform="pandas")
    pipeline = Pipeline([("prepare", prepare), ("model", make(name))])
    pipeline.set_params(**{f"model__{parameter}": values[0]})
    assert pipeline.get_params()[f"model__{parameter}"] == values[0]
    copy = clone(pipeline)
    assert copy.get_params()[f"model__{parameter}"] == values[0]
    quietly(copy.fit, frame, y)
    assert sorted(copy[-1].feature_names_in_) == sorted(frame.columns)  # names survive the transformer
    assert copy[-1].is_categorical_.sum() == 2  # and so do the category columns
    search = GridSearchCV(pipeline, {f"model__{parameter}": values}, cv=2)
    quietly(search.fit, frame, y)
    assert search.best_params_[f"model__{parameter}"] in values
    assert quietly(search.predict, frame).shape == (len(y),)


# -- surrogates of any model ---------------------------------------------------------------
@pytest.fixture(scope="module")
def black_box():
    from sklearn.ensemble import RandomForestClassifier

    X, y = numeric_data("GAMClassifier")
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    return RandomForestClassifier(n_estimators=5, random_state=0).fit(frame, y), frame, y


def test_local_surrogate_inputs(black_box):
    from glassbox.surrogate import LocalSurrogate

    model, frame, _ = black_box
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LocalSurrogate(model).explain_local(frame.iloc[:1])
    surrogate = LocalSurrogate(model, n_samples=100, n_holdout=20, random_state=0).fit(frame)
    bad = frame.iloc[:2].copy()
    bad.iloc[0, 1] = np.inf
    with pytest.raises(ValueError, match=r"infinity in columns \['b'\]"):
        surrogate.explain_local(bad)
    with pytest.raises(ValueError, match="feature names should match"):
        surrogate.explain_local(frame[["c", "b", "a"]].iloc[:1])
    with pytest.raises(ValueError, match="X has 2 features, but LocalSurrogate is expecting 3"):
        quietly(surrogate.explain_local, frame.to_numpy()[:1, :2])
    with pytest.raises(TypeError, match="pass task='classification' or task='regression'"):
        LocalSurrogate(lambda rows: np.zeros(len(rows))).fit(frame).explain_local(frame.iloc[:1])
    local = surrogate.explain_local(frame.iloc[:2])
    assert len(local.to_frame()) > 0 and "approximat" in str(local)


def test_fidelity_report_inputs(black_box):
    from sklearn.ensemble import RandomForestRegressor

    from glassbox.surrogate import fidelity_report

    teacher, frame, y = black_box
    student = quietly(make("GAMClassifier").fit, frame, teacher.predict(frame))
    assert 0.5 <= fidelity_report(teacher, student, frame).agreement <= 1.0
    with pytest.raises(NotFittedError):
        fidelity_report(teacher, make("GAMClassifier"), frame)
    three = quietly(make("GAMClassifier").fit, frame, np.digitize(frame["a"], [-0.5, 0.5]))
    with pytest.raises(ValueError, match=r"student predicts classes \[0, 1, 2\] but the teacher \[0, 1\]"):
        fidelity_report(teacher, three, frame)
    regressor = RandomForestRegressor(n_estimators=3, random_state=0).fit(frame, frame["a"])
    with pytest.raises(ValueError, match="regressor but the student GAMClassifier a classifier"):
        fidelity_report(regressor, student, frame)
    with pytest.raises(ValueError, match="task must be 'classification' or 'regression'"):
        fidelity_report(teacher, student, frame, task="ranking")


def test_local_surrogate_explains_an_unseen_category_as_it_is():
    # the row's own level, not a missing value, must reach the model (pandas turns a level
    # outside a Categorical's categories into NaN unless it is added to them)
    from glassbox.surrogate import LocalSurrogate

    frame, y = mixed_frame("GAMClassifier", object_column=False)
    frame.loc[frame.index[:5], "color"] = np.nan  # the model has a missing bin with a score of its own
    model = quietly(make("GAMClassifier").fit, frame, y)
    surrogate = LocalSurrogate(model, n_samples=50, n_holdout=0, random_state=0).fit(frame)
    row = frame.iloc[5:6].copy()
    row["color"] = pd.Categorical(["purple"])
    expected = quietly(model.decision_function, row)
    assert expected != quietly(model.decision_function, row.assign(color=np.nan))
    np.testing.assert_allclose(quietly(surrogate.local_fits, row).model_output, expected)


@pytest.mark.parametrize("scale", [1e300, 1e-300])
@pytest.mark.parametrize("name", NAMES)
def test_extreme_scales_give_finite_outputs_or_ask_for_rescaling(name, scale):
    X, y = numeric_data(name)
    X = X * [1.0, scale, 1.0]
    try:
        model = quietly(make(name).fit, X, y)
    except ValueError as error:
        assert "['x1']" in str(error) and "rescale" in str(error)
        return
    output = model.decision_function(X) if hasattr(model, "decision_function") else model.predict(X)
    assert np.all(np.isfinite(output))


@pytest.mark.parametrize("name", NAMES)
def test_two_training_rows_fit_or_say_why_not(name):
    X, y = numeric_data(name)
    rows = [int(np.argmin(y)), int(np.argmax(y))]  # one row of each class for classifiers
    try:
        model = quietly(make(name).fit, X[rows], y[rows])
    except ValueError as error:  # cross-validation cannot make five folds of two rows
        assert "cross-validation" in str(error) and "cv=2" in str(error)
        return
    assert np.all(np.isfinite(np.asarray(model.predict(X), dtype=float)))


@pytest.mark.parametrize("name", NAMES)
def test_complex_columns_are_rejected(name):
    X, y = numeric_data(name)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(z=X[:, 0] + 1j)
    with pytest.raises(ValueError, match=r"Complex data not supported: columns \['z'\]"):
        make(name).fit(frame, y)
    with pytest.raises(ValueError, match="Complex data not supported"):
        make(name).fit(X + 1j, y)
