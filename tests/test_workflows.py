"""Every registered estimator inside the scikit-learn workflows a data scientist builds.

Real data (the Titanic passengers from ``/work/shared/datasets``, scikit-learn's
bundled breast cancer and diabetes sets), pandas frames with nullable dtypes,
``ColumnTransformer`` pipelines, cross-validation in worker processes, meta
estimators, pickling and refitting.  ``tests/test_common.py`` runs
scikit-learn's own estimator checks and ``tests/test_user_inputs.py`` bad
input; this module checks that the pieces work together and give the same
numbers whichever way the data arrive.
"""

import io
import os
import pickle
import re

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import BaggingClassifier, StackingClassifier, VotingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, RandomizedSearchCV, cross_val_predict, cross_validate
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import glassbox
from glassbox.utils import all_estimators
from glassbox.utils._sklearn_shim import sklearn_release

ESTIMATORS = dict(all_estimators())
NAMES = sorted(ESTIMATORS)
CLASSIFIERS = [name for name in NAMES if is_classifier(ESTIMATORS[name]())]
REGRESSORS = [name for name in NAMES if name not in CLASSIFIERS]
REJECTS_MISSING = {name for name in NAMES if name.startswith("SparseLinear")}
# Small settings: these tests look at plumbing, not at fit quality.
_SMALL = {
    "BayesianRuleListClassifier": {"n_iter": 300, "n_chains": 2},
    "DecisionSetClassifier": {"max_rules": 4},
    "GAMClassifier": {"outer_bags": 1, "interactions": 0, "max_rounds": 50},
    "GAMRegressor": {"outer_bags": 1, "interactions": 0, "max_rounds": 50},
    "RiskScoreClassifier": {"max_features": 3},
    "DistilledClassifier": {"n_augment": 0},
    "DistilledRegressor": {"n_augment": 0},
}
TITANIC = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets", "titanic.csv")
pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    pytest.mark.filterwarnings("ignore:.*MCMC.*"),
]


def make(name, **params):
    """A small, seeded instance of a registered estimator (distilled: a small GAM from a small booster)."""
    settings = dict(_SMALL.get(name, {}))
    if name.startswith("Distilled"):
        # the default teacher's encoder (it reads the frames' text columns) in front of a small tree:
        # a booster's OpenMP threads cost seconds a fit when the machine is busy
        from sklearn.impute import SimpleImputer as Fill
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        from glassbox.surrogate._teacher import TeacherEncoder

        classify = name == "DistilledClassifier"
        tree = (DecisionTreeClassifier if classify else DecisionTreeRegressor)(max_depth=4, random_state=0)
        settings["teacher"] = Pipeline([("encode", TeacherEncoder()), ("fill", Fill(keep_empty_features=True)), ("model", tree)])
        student = "GAMClassifier" if classify else "GAMRegressor"
        settings["student"] = ESTIMATORS[student](**_SMALL[student])
    estimator = ESTIMATORS[name](**settings)
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=0)
    return estimator.set_params(**params)


@pytest.fixture(scope="module")
def titanic():
    """200 passengers: numbers, text columns and missing ages; target survived (and fare for regressors)."""
    if os.path.exists(TITANIC):
        frame = pd.read_csv(TITANIC).sample(200, random_state=0).reset_index(drop=True)
    else:  # the shared datasets are not part of the repository: a stand-in with the same columns
        rng = np.random.default_rng(0)
        frame = pd.DataFrame({
            "pclass": rng.integers(1, 4, 200),
            "sex": rng.choice(["male", "female"], 200), "age": np.where(rng.random(200) < .2, np.nan, rng.uniform(1, 70, 200)),
            "sibsp": rng.integers(0, 4, 200), "fare": rng.gamma(2, 15, 200), "embarked": rng.choice(["S", "C", "Q"], 200),
        })
        # survival depends on sex and class as on the Titanic, so the models have something to learn
        # (the tests score them on it and read their rules)
        odds = 2.5 * (frame["sex"] == "female") - 1.2 * (frame["pclass"] - 2) - 0.8
        frame["survived"] = (rng.random(200) < 1 / (1 + np.exp(-odds))).astype(int)
    X = frame[["pclass", "sex", "age", "sibsp", "fare", "embarked"]]
    return X, frame["survived"].to_numpy()


def data_for(name, titanic, impute=False):
    """(X, y) of the Titanic frame for ``name``: survival for classifiers, fare from the rest for regressors."""
    X, survived = titanic
    if impute or name in REJECTS_MISSING:
        X = X.fillna({"age": 30.0, "embarked": "S"})
    if name in CLASSIFIERS:
        return X, survived
    return X.drop(columns="fare"), np.log1p(X["fare"].to_numpy())


def outputs(estimator, X):
    """What a model says about X: its decision function (classifiers) or predictions (regressors)."""
    return estimator.decision_function(X) if is_classifier(estimator) else estimator.predict(X)


# -- a row built the way users build one -------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_row_with_object_dtypes_predicts_like_the_typed_frame(name, titanic):
    # X.iloc[[i]] keeps dtypes, but X.iloc[i].to_frame().T and pd.DataFrame([record]) of a mixed frame
    # hold every column as object: numbers in an object column are still numbers at predict time
    X, y = data_for(name, titanic, impute=True)
    model = make(name).fit(X, y)
    typed = X.iloc[[3, 4]]
    untyped = pd.concat([X.iloc[3].to_frame().T, X.iloc[4].to_frame().T])
    assert (untyped.dtypes == object).all()
    np.testing.assert_array_equal(outputs(model, untyped), outputs(model, typed))
    np.testing.assert_array_equal(model.explain_local(untyped).contributions, model.explain_local(typed).contributions)
    record = {column: X.iloc[3][column] for column in X.columns}
    record["sibsp"] = None if name not in REJECTS_MISSING else record["sibsp"]  # a missing number given as None
    from_record = pd.DataFrame([record])
    expected = X.iloc[[3]].astype({"sibsp": float}).assign(sibsp=np.nan if record["sibsp"] is None else record["sibsp"])
    np.testing.assert_array_equal(outputs(model, from_record), outputs(model, expected))


@pytest.mark.parametrize("name", ["GAMClassifier", "SparseLinearClassifier"])
def test_text_in_a_numeric_column_is_still_rejected(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    model = make(name).fit(X, y)
    bad = X.iloc[:2].astype(object)
    bad.iloc[0, X.columns.get_loc("age")] = "thirty"
    with pytest.raises(ValueError, match="'age' was numeric when the model was fitted"):
        model.predict(bad)


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["GAMClassifier", "SparseLinearClassifier", "RiskScoreClassifier", "DecisionSetClassifier"])
@pytest.mark.parametrize("kind", ["datetime", "datetime_tz", "timedelta", "numpy_datetime"])
def test_date_columns_get_a_clear_error(name, kind, titanic):
    # read as numbers their unit follows the column's resolution (ns, us, s) and NaT became -9.2e18:
    # a model fitted on one resolution silently misread another, and a missing date read as a number
    X, y = data_for(name, titanic, impute=True)
    X = X.copy()
    start = pd.Timestamp("1912-04-10")
    if kind == "datetime":
        X["boarded"] = pd.date_range(start, periods=len(X), freq="h")
    elif kind == "datetime_tz":
        X["boarded"] = pd.date_range(start, periods=len(X), freq="h", tz="UTC")
    elif kind == "timedelta":
        X["boarded"] = pd.to_timedelta(np.arange(len(X)), unit="h")
    model = make(name)
    if kind == "numpy_datetime":
        dates = np.arange(len(X)).astype("datetime64[D]").reshape(-1, 1)
        with pytest.raises(TypeError, match=r"\['x0'\] hold dates or durations"):
            model.fit(dates, y)
        return
    with pytest.raises(TypeError, match=r"\['boarded'\] hold dates or durations.*\.dt\."):
        model.fit(X, y)
    fitted = make(name).fit(X.drop(columns="boarded").assign(boarded=np.arange(len(X), dtype=float)), y)
    with pytest.raises(TypeError, match=r"\['boarded'\] hold dates or durations"):
        fitted.predict(X)


@pytest.mark.parametrize("name", ["GAMClassifier", "RiskScoreClassifier", "DecisionSetClassifier"])
def test_object_array_with_pandas_missing_markers_reads_numbers(name, titanic):
    # an object array of numbers with pd.NA for a missing one (what df.to_numpy() gives for an Int64
    # column beside a text column) is numbers with a missing value, as NaN would be, not a crash
    X, y = data_for(name, titanic)
    as_numbers = X[["age", "sex"]].to_numpy(dtype=object)
    with_na = as_numbers.copy()
    with_na[pd.isna(X["age"]).to_numpy(), 0] = pd.NA
    model = make(name).fit(with_na, y)
    assert list(model.is_categorical_) == [False, True]
    np.testing.assert_array_equal(outputs(model, with_na), outputs(make(name).fit(as_numbers, y), as_numbers))


# -- targets and weights ------------------------------------------------------------------------


def _labels(survived, kind):
    if kind == "strings":
        return pd.Series(np.where(survived == 1, "lived", "died"))
    if kind == "string_dtype":
        return pd.Series(np.where(survived == 1, "lived", "died"), dtype="string")
    if kind == "categorical":
        return pd.Series(pd.Categorical(np.where(survived == 1, "lived", "died"), categories=["died", "lived", "unknown"]))
    if kind == "bool":
        return pd.Series(survived == 1)
    if kind == "nullable_bool":
        return pd.Series(survived == 1, dtype="boolean")
    if kind == "nullable_int":
        return pd.Series(survived * 5 - 2, dtype="Int64")
    return survived * 3 - 4  # negative integers, in the same order


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_labels_come_back_as_given(name, titanic):
    X, survived = data_for(name, titanic)
    expected = {"strings": ["died", "lived"], "string_dtype": ["died", "lived"], "categorical": ["died", "lived"],
                "bool": [False, True], "nullable_bool": [False, True], "nullable_int": [-2, 3], "negative": [-4, -1]}
    reference = make(name).fit(X, survived)
    for kind, classes in expected.items():
        y = _labels(survived, kind)
        model = make(name).fit(X, y)
        assert list(model.classes_) == classes, kind
        assert type(model.classes_[0]) is type(np.asarray(classes)[0]) or isinstance(model.classes_[0], str), kind
        predicted = model.predict(X)
        assert set(predicted) <= set(classes), kind
        # relabelling changes nothing but the names: same decision function, predictions map one to one
        np.testing.assert_array_equal(model.decision_function(X), reference.decision_function(X))
        np.testing.assert_array_equal(predicted, np.asarray(classes, dtype=object)[reference.predict(X)].astype(predicted.dtype))
        assert list(model.explain_local(X.iloc[:3]).prediction) == list(predicted[:3])


@pytest.mark.parametrize("name", NAMES)
def test_sample_weight_as_list_or_series_is_the_array(name, titanic):
    X, y = data_for(name, titanic)
    weights = np.where(np.arange(len(X)) % 3 == 0, 2.0, 1.0)
    reference = outputs(make(name).fit(X, y, sample_weight=weights), X)
    as_list = outputs(make(name).fit(X, y, sample_weight=list(weights)), X)
    # a Series is read by position, whatever its index says
    as_series = outputs(make(name).fit(X, y, sample_weight=pd.Series(weights, index=np.arange(len(X))[::-1])), X)
    np.testing.assert_array_equal(as_list, reference)
    np.testing.assert_array_equal(as_series, reference)


# -- pandas in, pandas nullable dtypes, numpy after pandas -----------------------------------------


def _nullable(X):
    """The same frame in pandas' nullable dtypes, with a category column that has an unused level."""
    out = pd.DataFrame(index=X.index)
    for column in X.columns:
        values = X[column]
        if values.dtype.kind == "i":
            out[column] = values.astype("Int64")
        elif values.dtype.kind == "f":
            out[column] = values.astype("Float64")
        elif column == "sex":
            out[column] = pd.Categorical(values, categories=["female", "male", "unknown"])
        else:
            out[column] = values.astype("string[python]")
    out["adult"] = (X["age"] >= 18).astype("boolean").mask(X["age"].isna())
    out["alone"] = (X["sibsp"] == 0).to_numpy()  # a NumPy bool column: 0/1
    return out


def _flags_as_numbers(payload):
    """A model's JSON with its boolean features as the 0/1 numbers they are fitted as (the plain frame's floats)."""
    payload = re.sub(r', "flag_features": \[[^\]]*\]', "", payload)  # the list of features fitted as flags
    return payload.replace(', "boolean": true', "").replace('"value": true', '"value": 1.0')


def _plain(nullable):
    """The nullable frame in NumPy dtypes: what the models must read it as."""
    out = pd.DataFrame(index=nullable.index)
    for column in nullable.columns:
        values = nullable[column]
        if str(values.dtype) in ("Int64", "Float64", "boolean", "bool"):
            out[column] = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[column] = values.astype(object).where(values.notna(), None)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_nullable_dtypes_read_as_their_numpy_equivalents(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    nullable = _nullable(X)
    if name in REJECTS_MISSING:
        nullable["adult"] = nullable["adult"].fillna(False)
    assert {"Int64", "Float64", "boolean", "string", "category"} <= {str(t) for t in nullable.dtypes}
    plain = _plain(nullable)
    from_nullable = make(name).fit(nullable, y)
    from_plain = make(name).fit(plain, y)
    assert list(from_nullable.feature_names_in_) == list(nullable.columns)
    assert list(from_nullable.is_categorical_) == [str(t) in ("string", "category") for t in nullable.dtypes]
    assert "bool" in {str(t) for t in nullable.dtypes}
    np.testing.assert_array_equal(outputs(from_nullable, nullable), outputs(from_plain, plain))
    np.testing.assert_array_equal(outputs(from_nullable, plain), outputs(from_plain, nullable))
    assert _flags_as_numbers(from_nullable.to_json()) == from_plain.to_json()


@pytest.mark.parametrize("name", NAMES)
def test_numpy_after_pandas_and_pandas_after_numpy(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    X = X.select_dtypes("number")
    on_frame = make(name).fit(X, y)
    assert on_frame.n_features_in_ == X.shape[1] and list(on_frame.feature_names_in_) == list(X.columns)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        by_position = outputs(on_frame, X.to_numpy())
    np.testing.assert_array_equal(by_position, outputs(on_frame, X))
    with pytest.raises(ValueError, match="same order"):
        on_frame.predict(X[X.columns[::-1]])
    on_array = make(name).fit(X.to_numpy(), y)
    assert not hasattr(on_array, "feature_names_in_")
    with pytest.warns(UserWarning, match="fitted without feature names"):
        on_array.predict(X)
    assert list(on_array.explain_local(X.to_numpy()[:2]).feature_names) == [f"x{j}" for j in range(X.shape[1])]


@pytest.mark.parametrize("name", NAMES)
def test_refit_on_other_data_resets_every_fitted_attribute(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    small = X.select_dtypes("number").iloc[:, :2].to_numpy()
    model = make(name)
    if name in CLASSIFIERS and name != "RiskScoreClassifier":
        model.fit(X.assign(extra=np.arange(len(X))), np.asarray(["a", "b", "c"])[np.arange(len(X)) % 3])
    else:
        model.fit(X.assign(extra=np.arange(len(X))), y, sample_weight=np.r_[np.zeros(20), np.ones(len(X) - 20)])
    model.fit(small, y)
    fresh = make(name).fit(small, y)
    assert not hasattr(model, "feature_names_in_")
    assert sorted(k for k in vars(model) if k.endswith("_")) == sorted(k for k in vars(fresh) if k.endswith("_"))
    assert model.n_features_in_ == 2
    np.testing.assert_array_equal(outputs(model, small), outputs(fresh, small))
    assert model.to_json() == fresh.to_json()
    if name in CLASSIFIERS:
        np.testing.assert_array_equal(model.classes_, fresh.classes_)


# -- pipelines --------------------------------------------------------------------------------------


def _preprocessing(X):
    """Impute and scale the numbers, impute and one-hot encode the text; pandas out."""
    numbers = [c for c in X.columns if X[c].dtype.kind in "if"]
    text = [c for c in X.columns if c not in numbers]
    return ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(), StandardScaler()), numbers),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)), text),
    ]).set_output(transform="pandas")


@pytest.mark.parametrize("name", NAMES)
def test_pipeline_feature_names_reach_the_explanations(name, titanic):
    X, y = data_for(name, titanic)
    pipeline = make_pipeline(_preprocessing(X), make(name)).fit(X, y)
    names = list(pipeline[:-1].get_feature_names_out())
    assert any(n.startswith("cat__sex_") for n in names) and any(n.startswith("num__") for n in names)
    model = pipeline[-1]
    assert list(model.feature_names_in_) == names and model.n_features_in_ == len(names)
    encoded = pipeline[:-1].transform(X.iloc[:5])
    local = model.explain_local(encoded)
    assert list(local.feature_names) == names
    assert set(model.term_names_) <= set(local.term_names)
    # the global explanation speaks of the encoded columns by name, never by position
    glossary = model.explain_global()
    assert any(n in term for n in names for term in model.term_names_), model.term_names_
    assert not any(re.search(r"\bx\d+\b", term) for term in model.term_names_), model.term_names_
    if name in CLASSIFIERS:
        np.testing.assert_array_equal(pipeline.decision_function(X.iloc[:5]), local.decision)
        np.testing.assert_array_equal(pipeline.predict_proba(X.iloc[:5]), model.predict_proba(encoded))
    np.testing.assert_array_equal(pipeline.predict(X.iloc[:5]), local.prediction)
    np.testing.assert_array_equal(glossary.decision_function(encoded), local.decision)


@pytest.mark.parametrize("name", NAMES)
def test_pickle_and_joblib_give_the_same_model_bit_for_bit(name, titanic):
    X, y = data_for(name, titanic)
    model = make(name).fit(X, y)
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    for copy in (pickle.loads(pickle.dumps(model)), joblib.load(buffer)):
        np.testing.assert_array_equal(outputs(copy, X), outputs(model, X))
        np.testing.assert_array_equal(copy.predict(X), model.predict(X))
        assert copy.explain_local(X.iloc[:7]) == model.explain_local(X.iloc[:7])
        assert copy.explain_global() == model.explain_global()
        loaded = glassbox.from_json(copy.to_json())
        np.testing.assert_array_equal(loaded.decision_function(X), model.explain_global().decision_function(X))
        assert copy.to_json() == model.to_json()


# -- model selection in worker processes -----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_cross_validate_in_two_processes_equals_one(name, titanic):
    # the models travel to loky workers by pickle and back; the scores must not depend on it
    X, y = data_for(name, titanic)
    scoring = ["roc_auc", "neg_log_loss", "accuracy"] if name in CLASSIFIERS else ["r2", "neg_mean_absolute_error"]
    folds = KFold(2, shuffle=True, random_state=0)
    pipeline = make_pipeline(_preprocessing(X), make(name))
    parallel = cross_validate(pipeline, X, y, cv=folds, scoring=scoring, n_jobs=2, return_estimator=True)
    serial = cross_validate(pipeline, X, y, cv=folds, scoring=scoring, n_jobs=1)
    for key in scoring:
        np.testing.assert_array_equal(parallel[f"test_{key}"], serial[f"test_{key}"])
        assert np.all(np.isfinite(parallel[f"test_{key}"]))
    fitted = parallel["estimator"][0]
    assert list(fitted[-1].explain_local(fitted[:-1].transform(X.iloc[:2])).feature_names) == list(fitted[:-1].get_feature_names_out())


@pytest.mark.parametrize("name", ["GAMClassifier", "RiskScoreClassifier", "BayesianRuleListClassifier"])
def test_cross_val_predict_probabilities_follow_the_string_classes(name, titanic):
    X, survived = data_for(name, titanic)
    y = _labels(survived, "strings")
    folds = KFold(2, shuffle=True, random_state=0)
    probabilities = cross_val_predict(make(name), X, y, cv=folds, method="predict_proba", n_jobs=2)
    for train, test in folds.split(X):
        alone = make(name).fit(X.iloc[train], y.iloc[train])
        assert list(alone.classes_) == ["died", "lived"]
        np.testing.assert_array_equal(probabilities[test], alone.predict_proba(X.iloc[test]))


@pytest.mark.parametrize("name", ["SparseLinearClassifier", "DecisionSetClassifier", "GAMRegressor"])
def test_randomized_search_refits_an_explainable_best_model(name, titanic):
    X, y = data_for(name, titanic)
    grid = {
        "SparseLinearClassifier": {"sparselinearclassifier__max_features": [1, 2, 3, 4]},
        "DecisionSetClassifier": {"decisionsetclassifier__max_rules": [2, 3, 4, 5]},
        "GAMRegressor": {"gamregressor__max_bins": [8, 16, 32, 64]},
    }[name]
    scoring = "neg_log_loss" if name in CLASSIFIERS else "r2"
    search = RandomizedSearchCV(make_pipeline(_preprocessing(X), make(name)), grid, n_iter=2, cv=2, n_jobs=2,
                                scoring=scoring, random_state=0).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_
    step, value = next(iter(search.best_params_.items()))
    assert best[-1].get_params()[step.split("__")[1]] == value
    refit = make_pipeline(_preprocessing(X), make(name)).set_params(**search.best_params_).fit(X, y)
    np.testing.assert_array_equal(best.predict(X), refit.predict(X))
    assert best[-1].to_json() == refit[-1].to_json()


# -- meta estimators --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_inside_sklearn_ensembles(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    encoded = _preprocessing(X).fit_transform(X)
    alone = make(name).fit(encoded, y)
    # soft voting with all the weight on our model is our model
    voting = VotingClassifier([("ours", make(name)), ("lr", LogisticRegression())], voting="soft", weights=[1, 0]).fit(encoded, y)
    np.testing.assert_array_equal(voting.predict_proba(encoded), alone.predict_proba(encoded))
    stacking = StackingClassifier([("ours", make(name)), ("lr", LogisticRegression())], cv=2).fit(encoded, y)
    assert stacking.score(encoded, y) > 0.6
    calibrated = CalibratedClassifierCV(make(name), cv=2).fit(encoded, y)
    probabilities = calibrated.predict_proba(encoded)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    bagging = BaggingClassifier(make(name), n_estimators=2, random_state=0).fit(encoded, y)
    member = bagging.estimators_[0]
    assert member.explain_local(encoded.to_numpy()[:2]).feature_names == tuple(f"x{j}" for j in range(encoded.shape[1]))
    second = np.asarray(["no", "yes"])[(encoded["cat__sex_female"].to_numpy() > 0).astype(int)]
    multi = MultiOutputClassifier(make(name)).fit(encoded, np.c_[y, second])
    np.testing.assert_array_equal(multi.estimators_[0].decision_function(encoded), alone.decision_function(encoded))
    assert list(multi.estimators_[1].classes_) == ["no", "yes"]


@pytest.mark.parametrize("name", REGRESSORS)
def test_regressor_inside_a_transformed_target(name, titanic):
    X, y = data_for(name, titanic, impute=True)
    fare = np.expm1(y)
    model = TransformedTargetRegressor(make_pipeline(_preprocessing(X), make(name)), func=np.log1p, inverse_func=np.expm1)
    model.fit(X, fare)
    on_log = make_pipeline(_preprocessing(X), make(name)).fit(X, np.log1p(fare))
    np.testing.assert_allclose(model.predict(X), np.expm1(on_log.predict(X)), rtol=1e-12)
    assert model.regressor_[-1].to_json() == on_log[-1].to_json()


@pytest.mark.parametrize("name", NAMES)
def test_clone_and_set_params_after_fit_then_refit(name, titanic):
    X, y = data_for(name, titanic)
    model = make(name).fit(X, y)
    twin = clone(model)
    assert not any(k.endswith("_") and not k.startswith("_") for k in vars(twin))
    assert twin.get_params(deep=False).keys() == model.get_params(deep=False).keys()
    key, value = {"BayesianRuleListClassifier": ("max_rules", 2), "DecisionSetClassifier": ("max_rules", 2),
                  "RiskScoreClassifier": ("max_features", 2), "GAMClassifier": ("max_bins", 16),
                  "GAMRegressor": ("max_bins", 16), "DistilledClassifier": ("student__max_bins", 16),
                  "DistilledRegressor": ("student__max_bins", 16)}.get(name, ("max_features", 2))
    before = model.to_json()
    model.set_params(**{key: value})
    assert model.to_json() == before  # a parameter changes nothing until the next fit
    model.fit(X, y)
    np.testing.assert_array_equal(outputs(model, X), outputs(make(name, **{key: value}).fit(X, y), X))


def test_local_surrogate_of_a_pipeline_on_raw_rows(titanic):
    # LocalSurrogate asks a whole pipeline (encoding + our model) about perturbed raw rows
    from sklearn.frozen import FrozenEstimator

    X, y = data_for("SparseLinearClassifier", titanic)
    pipeline = make_pipeline(_preprocessing(X), make("SparseLinearClassifier")).fit(X, y)
    surrogate = glassbox.LocalSurrogate(pipeline, n_samples=300, n_holdout=100, random_state=0).fit(X)
    local = surrogate.explain_local(X.iloc[:3])
    assert local.feature_names == tuple(X.columns)
    assert pickle.loads(pickle.dumps(surrogate)).explain_local(X.iloc[:3]) == local
    untyped = pd.concat([X.iloc[i].to_frame().T for i in range(3)])
    np.testing.assert_array_equal(surrogate.explain_local(untyped).contributions, local.contributions)
    # clone() copies the parameters unfitted; a FrozenEstimator keeps the fitted pipeline through it
    frozen = glassbox.LocalSurrogate(FrozenEstimator(pipeline), n_samples=300, n_holdout=100, random_state=0)
    np.testing.assert_array_equal(clone(frozen).fit(X).explain_local(X.iloc[:3]).contributions, local.contributions)


@pytest.mark.parametrize("name", [n for n in NAMES if "n_jobs" in ESTIMATORS[n]().get_params()
                                  or n.startswith("Distilled")])
def test_the_number_of_threads_changes_no_number(name, titanic):
    # n_jobs only splits the work (chains, folds, candidate rules, bags): the model is the same
    X, y = data_for(name, titanic)
    key = "student__n_jobs" if name.startswith("Distilled") else "n_jobs"
    one = make(name, **{key: 1}).fit(X, y)
    for n_jobs in (2, -1):
        other = make(name, **{key: n_jobs}).fit(X, y)
        np.testing.assert_array_equal(outputs(other, X), outputs(one, X))
        assert other.to_json() == one.to_json()


ADDITIVE = [n for n in NAMES if n not in ("BayesianRuleListClassifier", "DecisionSetClassifier")]


@pytest.mark.parametrize("name", NAMES)
def test_partial_dependence_on_the_raw_frame(name, titanic):
    # sklearn.inspection on a frame with text and missing values; for an additive model (no interaction
    # terms in these settings) the curve moves exactly as one row's output does when the feature moves
    from sklearn.inspection import partial_dependence

    X, y = data_for(name, titanic)
    model = make(name).fit(X, y)
    feature = "fare" if "fare" in X else "age"  # a float column (sklearn refuses integer ones)
    result = partial_dependence(model, X, [feature, "sex"], categorical_features=["sex"], kind="average",
                                response_method="decision_function" if name in CLASSIFIERS else "auto")
    assert result["average"].shape == (1, len(result["grid_values"][0]), 2)
    if name not in ADDITIVE:
        return
    curve = partial_dependence(model, X, [feature], kind="average",
                               response_method="decision_function" if name in CLASSIFIERS else "auto")
    grid, average = curve["grid_values"][0], curve["average"][0]
    row = X.iloc[[0, 0]].copy()
    row[feature] = grid[[0, -1]].astype(row[feature].dtype)
    moved = outputs(model, row)
    np.testing.assert_allclose(average[-1] - average[0], moved[1] - moved[0], rtol=1e-9, atol=1e-9)


# -- polars frames ------------------------------------------------------------------------------------


def _as_polars(frame, pl):
    """A pandas frame as polars, column by column (no pyarrow): category -> Enum, text -> Categorical."""
    def cells(values):
        return [None if pd.isna(v) else v for v in values]

    columns = {}
    for column in frame.columns:
        values, kind = frame[column], str(frame[column].dtype)
        if kind == "category":
            columns[column] = pl.Series(column, cells(values), dtype=pl.Enum(list(values.cat.categories)))
        elif kind == "object" or kind.startswith("str"):
            columns[column] = pl.Series(column, cells(values), dtype=pl.Categorical)
        elif kind in ("Int64", "Float64", "boolean"):
            columns[column] = pl.Series(column, cells(values))  # polars Int64 / Float64 / Boolean with nulls
        else:
            columns[column] = pl.Series(column, values.to_numpy())
    return pl.DataFrame(columns)


def _polars_and_pandas(name, titanic, pl):
    """The Titanic frame in polars' types (nulls, Boolean, Categorical, Enum) and the pandas frame it must read as."""
    X, y = data_for(name, titanic, impute=True)
    nullable = _nullable(X)
    if name in REJECTS_MISSING:
        nullable["adult"] = nullable["adult"].fillna(False)
    frame = _as_polars(nullable, pl)
    kinds = {str(dtype).split("(")[0] for dtype in frame.dtypes}
    assert {"Int64", "Float64", "Boolean", "Categorical", "Enum"} <= kinds, kinds
    return frame, _plain(nullable), y


def _same_local(one, other):
    np.testing.assert_array_equal(one.contributions, other.contributions)
    np.testing.assert_array_equal(one.decision, other.decision)
    np.testing.assert_array_equal(one.prediction, other.prediction)
    assert one.term_names == other.term_names and one.feature_names == other.feature_names
    assert one.to_text(max_rows=3) == other.to_text(max_rows=3)


@pytest.mark.parametrize("name", NAMES)
def test_polars_frames_read_like_pandas_frames(name, titanic):
    pl = pytest.importorskip("polars")
    frame, plain, y = _polars_and_pandas(name, titanic, pl)
    on_pandas = make(name).fit(plain, y)
    on_polars = make(name).fit(frame, y)
    assert list(on_polars.feature_names_in_) == frame.columns
    np.testing.assert_array_equal(on_polars.is_categorical_, on_pandas.is_categorical_)
    assert list(on_polars.is_categorical_) == [kind in ("sex", "embarked") for kind in frame.columns]
    expected = outputs(on_pandas, plain)
    for model in (on_pandas, on_polars):
        np.testing.assert_array_equal(outputs(model, frame), expected)
        np.testing.assert_array_equal(outputs(model, plain), expected)
        np.testing.assert_array_equal(model.predict(frame), on_pandas.predict(plain))
    _same_local(on_pandas.explain_local(frame[:20]), on_pandas.explain_local(plain.iloc[:20]))
    local = on_polars.explain_local(frame[:20])
    np.testing.assert_array_equal(local.contributions, on_pandas.explain_local(plain.iloc[:20]).contributions)
    np.testing.assert_array_equal(local.base_value + local.contributions.sum(axis=1), expected[:20])
    # a global explanation recomputes the model on polars rows as on pandas rows
    np.testing.assert_array_equal(on_pandas.explain_global().decision_function(frame), expected)


@pytest.mark.parametrize("name", NAMES)
def test_polars_fit_is_the_pandas_model_and_polars_labels_are_labels(name, titanic):
    pl = pytest.importorskip("polars")
    frame, plain, y = _polars_and_pandas(name, titanic, pl)
    on_polars = make(name).fit(frame, y)
    assert _flags_as_numbers(on_polars.to_json()) == make(name).fit(plain, y).to_json()
    np.testing.assert_array_equal(on_polars.explain_global().decision_function(frame), outputs(on_polars, frame))
    if name not in CLASSIFIERS:
        return
    labels = pl.Series("survived", np.where(y == 1, "lived", "died"))
    named = make(name).fit(frame, labels)
    assert list(named.classes_) == ["died", "lived"]
    np.testing.assert_array_equal(named.decision_function(frame), on_polars.decision_function(frame))
    np.testing.assert_array_equal(named.predict(frame), np.where(on_polars.predict(frame) == 1, "lived", "died"))


@pytest.mark.parametrize("name", ["GAMClassifier", "SparseLinearRegressor", "RiskScoreClassifier", "DecisionSetClassifier"])
def test_polars_output_of_a_column_transformer(name, titanic):
    # set_output(transform="polars"): the model reads the polars frame the pipeline hands it, names and text kept
    pl = pytest.importorskip("polars")
    if sklearn_release() < (1, 9) and not hasattr(pl.DataFrame, "__dataframe__"):
        pytest.skip("scikit-learn < 1.9's ColumnTransformer accepts a polars output only through __dataframe__, "
                    "which this polars release dropped")
    X, y = data_for(name, titanic)
    numbers = [c for c in X.columns if X[c].dtype.kind in "if"]
    text = [c for c in X.columns if c not in numbers]

    def pipeline(transform):
        prepare = ColumnTransformer([("num", SimpleImputer(), numbers), ("txt", SimpleImputer(strategy="most_frequent"), text)],
                                    verbose_feature_names_out=False).set_output(transform=transform)
        return make_pipeline(prepare, make(name)).fit(X, y)

    on_polars, on_pandas = pipeline("polars"), pipeline("pandas")
    encoded = on_polars[:-1].transform(X.iloc[:10])
    assert isinstance(encoded, pl.DataFrame) and encoded.schema["sex"] == pl.String
    assert list(on_polars[-1].feature_names_in_) == numbers + text
    assert list(on_polars[-1].is_categorical_) == [False] * len(numbers) + [True] * len(text)
    np.testing.assert_array_equal(on_polars.predict(X), on_pandas.predict(X))
    assert on_polars[-1].to_json() == on_pandas[-1].to_json()
    _same_local(on_polars[-1].explain_local(encoded), on_pandas[-1].explain_local(on_pandas[:-1].transform(X.iloc[:10])))


def test_polars_date_columns_get_the_date_error(titanic):
    pl = pytest.importorskip("polars")
    frame, _, y = _polars_and_pandas("GAMClassifier", titanic, pl)
    start = np.datetime64("1912-04-10", "ms")
    boarded = frame.with_columns(pl.Series("boarded", start + np.arange(len(frame)).astype("timedelta64[h]")))
    with pytest.raises(TypeError, match=r"\['boarded'\] hold dates or durations.*\.dt\."):
        make("GAMClassifier").fit(boarded, y)
    fitted = make("GAMClassifier").fit(frame.with_columns(pl.Series("boarded", np.arange(len(frame), dtype=float))), y)
    with pytest.raises(TypeError, match=r"\['boarded'\] hold dates or durations"):
        fitted.predict(boarded)


# -- decision thresholds -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_tuned_threshold_and_frozen_estimator(name, titanic):
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import TunedThresholdClassifierCV

    X, y = data_for(name, titanic)
    model = make(name).fit(X, y)
    frozen = FrozenEstimator(model)
    np.testing.assert_array_equal(frozen.fit(X, y).predict_proba(X), model.predict_proba(X))
    assert frozen.fit(X.iloc[:10], y[:10]).estimator is model  # fitting a frozen model leaves it as it is
    # the threshold is chosen on our predict_proba, and predict applies it to our predict_proba
    tuned = TunedThresholdClassifierCV(frozen, scoring="balanced_accuracy", response_method="predict_proba").fit(X, y)
    assert tuned.estimator_.estimator is model
    positive = model.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(tuned.predict(X), model.classes_[(positive >= tuned.best_threshold_).astype(int)])
    np.testing.assert_array_equal(tuned.predict_proba(X), model.predict_proba(X))
    # cross-validated: refitted on every row, as make(name).fit(X, y) is
    refit = TunedThresholdClassifierCV(make(name), cv=2, scoring="f1", response_method="predict_proba",
                                       thresholds=20, random_state=0).fit(X, y)
    assert refit.estimator_.to_json() == model.to_json()
    positive = refit.estimator_.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(refit.predict(X), model.classes_[(positive >= refit.best_threshold_).astype(int)])
    assert 0 < refit.best_threshold_ < 1
