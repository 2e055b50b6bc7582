"""Input checks shared by the estimators and the models loaded with ``glassbox.from_json``.

Duplicated column names, text in a numeric feature (refused, naming the rows and the fix),
integer ids declared categorical (kept exact above 2**53) and damaged JSON.
"""

import decimal
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

import glassbox
from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier,
                      SparseLinearClassifier)
from glassbox.utils.tabular import validate_tabular

FAMILIES = {
    "SparseLinearClassifier": lambda: SparseLinearClassifier(alpha=0.01),
    "GAMClassifier": lambda: GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0),
    "RiskScoreClassifier": lambda: RiskScoreClassifier(),
    "BayesianRuleListClassifier": lambda: BayesianRuleListClassifier(n_iter=300, n_chains=2, random_state=0),
    "DecisionSetClassifier": lambda: DecisionSetClassifier(random_state=0),
}


def _frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "sex": rng.choice(["f", "m"], n).astype(object),
        "hours": rng.integers(10, 60, n).astype(float),
    })
    y = ((X["age"] > 45) ^ (rng.random(n) < 0.15)).astype(int).to_numpy()
    return X, y


def _fitted(name, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FAMILIES[name]().fit(X, y)


def _message(call, X):
    with pytest.raises(ValueError) as error:
        call(X)
    return str(error.value)


# -- b1: duplicated column names -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier", "RiskScoreClassifier"])
def test_duplicated_column_names_are_refused_alike_by_the_estimator_and_its_json(name):
    X, y = _frame()
    model = _fitted(name, X, y)
    loaded = glassbox.from_json(model.to_json())
    joined = pd.concat([X, (X[["age"]] * 12)], axis=1)  # a join that left the age in months beside the years
    renamed = X.rename(columns={"hours": "age"})
    for bad in (joined, renamed):
        said = _message(model.predict, bad)
        assert "X has duplicated column names: 'age' (2 times)" in said
        assert "Give each column a unique name" in said
        assert _message(loaded.predict, bad) == said  # one check, one text (was an AttributeError)


# -- b3 / b7: text in a numeric feature ----------------------------------------------------------

@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier"])
def test_text_in_a_numeric_feature_is_named_with_its_rows_and_the_fix(name):
    X, y = _frame()
    model = _fitted(name, X, y)
    loaded = glassbox.from_json(model.to_json())
    batch = X.sample(frac=1.0, random_state=1)  # shuffled: row labels are not positions
    batch["age"] = batch["age"].astype(object)
    batch.iloc[137, 0] = "N/A"
    for position in (5, 300):
        batch.iloc[position, 0] = "?"
    label = batch.index[137]
    said = _message(model.predict, batch)
    assert "Feature 'age' was numeric when the model was fitted but now holds non-numeric values" in said
    assert "text in 3 of 400 rows" in said
    assert f"'N/A' at row position 137, index label {label}" in said
    assert f"'?' in 2 rows (first at row position 5, index label {batch.index[5]})" in said
    assert "pd.to_numeric(X['age'], errors='coerce')" in said and "categorical_features" in said
    json_said = _message(loaded.predict, batch)  # the same words; rows by position (the view has no index)
    assert "text in 3 of 400 rows" in json_said and "'N/A' at row position 137" in json_said
    assert "pd.to_numeric(X['age'], errors='coerce')" in json_said


@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier"])
def test_text_in_a_numeric_column_of_an_array_is_fixed_by_its_position(name):
    X, y = _frame()
    numbers = X[["age", "hours"]].to_numpy()
    model = _fitted(name, numbers, y)
    loaded = glassbox.from_json(model.to_json())
    batch = numbers.astype(object)
    batch[7, 1] = "?"
    for predict in (model.predict, loaded.predict):
        said = _message(predict, batch)
        # an array has no X['x1']: the fix is written for its column, which the conversion suggested mends
        assert "Feature 'x1' (column 1) was numeric" in said and "'?' at row position 7" in said
        assert "X[:, 1] = pd.to_numeric(X[:, 1], errors='coerce')" in said and "X['x1']" not in said
        assert "categorical_features=[1]" in said
    batch[:, 1] = pd.to_numeric(batch[:, 1], errors="coerce")  # the fix as said: the "?" becomes missing
    assert np.isnan(batch[7, 1]) and model.predict(batch[[0, 1]]).shape == (2,)


def test_too_many_levels_of_numbers_as_text_in_an_array_names_its_column_by_position():
    levels = np.array([[str(i)] for i in range(300)] + [["?"]], dtype=object)
    with pytest.raises(ValueError) as error, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the numbers-written-as-text warning (tested above)
        GAMClassifier(outer_bags=1, interactions=0, max_rounds=5).fit(levels, np.arange(301) % 2)
    said = str(error.value)
    assert "has 301 levels" in said and "pd.to_numeric(X[:, 0], errors='coerce')" in said and "X['x0']" not in said


@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier"])
@pytest.mark.parametrize("text", ["1000", "1_000", "\u0661\u0660\u0660\u0660", "nan", "NaN", "", "n/a", b"1000"])
def test_numeric_features_refuse_all_text_at_predict(name, text):
    X, y = _frame()
    model = _fitted(name, X, y)
    loaded = glassbox.from_json(model.to_json())
    row = X.iloc[:2].astype(object)
    row.iloc[0, 2] = text
    for predict in (model.predict_proba, loaded.predict_proba):
        assert "Text is never read as a number" in _message(predict, row)


@pytest.mark.parametrize("name", ["SparseLinearClassifier", "GAMClassifier"])
def test_numbers_in_an_object_column_are_still_numbers(name):
    X, y = _frame()
    model = _fitted(name, X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[:3].astype(object)
    rows.iloc[0, 2] = decimal.Decimal("31")
    rows.iloc[1, 2] = 31
    rows.iloc[2, 2] = np.float32(31.0)
    expected = model.predict_proba(X.iloc[:3].assign(hours=31.0))
    np.testing.assert_array_equal(model.predict_proba(rows), expected)
    np.testing.assert_allclose(loaded.predict_proba(rows), expected, rtol=1e-12)


def test_text_is_categorical_at_fit_in_numpy_arrays_too():
    class Holder(BaseEstimator):
        pass

    X = np.array([["1", "a", 1.5], ["2", "b", 2.5], ["3", "a", 3.5]], dtype=object)
    with pytest.warns(UserWarning, match=r"numbers written as text.*give column 0 as numbers"):  # an array: no X[name] fix
        table = validate_tabular(Holder(), X, reset=True)
    np.testing.assert_array_equal(table.is_categorical, [True, True, False])
    assert list(table.categorical[0]) == ["1", "2", "3"]


def test_a_flag_in_text_suggests_a_mapping_of_its_own_text():
    X = pd.DataFrame({"flag": [True, False, True, False], "x": [1.0, 2.0, 3.0, 4.0]})
    model = SparseLinearClassifier(alpha=0.01).fit(X, [0, 1, 1, 0])
    said = _message(model.predict, X.assign(flag=["yes", "no", "yes", "no"]))
    assert "holds text ('no', 'yes')" in said and "map({'True': True" not in said


# -- b6: integer ids declared categorical ----------------------------------------------------------

BASE = 2 ** 53


def _ids_frame(n=800, seed=0):
    rng = np.random.default_rng(seed)
    offset = rng.integers(0, 4, n)
    X = pd.DataFrame({"segment": (BASE + offset).astype(np.int64), "x": rng.normal(size=n)})
    risky = offset % 2 == 1  # ...993 and ...995 raise the risk, ...992 and ...994 lower it
    y = (rng.random(n) < np.where(risky, 0.85, 0.15)).astype(int)
    return X, y


def _one_row_per_id(X):
    return pd.DataFrame({"segment": (BASE + np.arange(4)).astype(np.int64), "x": np.zeros(4)})


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_integer_ids_declared_categorical_stay_apart_above_2_53(name):
    X, y = _ids_frame()
    model = FAMILIES[name]().set_params(categorical_features=["segment"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    rows = _one_row_per_id(X)
    p = model.predict_proba(rows)[:, 1]
    assert p[1] - p[0] > 0.3 and p[3] - p[2] > 0.3  # ids 2**53 and 2**53 + 1 were one level (same P)
    loaded = glassbox.from_json(model.to_json())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no id is an unseen level for the loaded model either
        np.testing.assert_allclose(loaded.predict_proba(rows)[:, 1], p, rtol=1e-12)
    assert "9007199254740996" not in model.to_json()  # no level named after an id absent from the data


def test_integer_levels_are_the_integers_in_every_input_form():
    X, y = _ids_frame()
    reference = SparseLinearClassifier(alpha=0.01, categorical_features=["segment"]).fit(X, y)
    terms = [name for name in reference.explain_global().to_frame()["term"] if name.startswith("segment")]
    assert sorted(terms)[:2] == ["segment == 9007199254740992", "segment == 9007199254740993"], terms
    rows = _one_row_per_id(X)
    expected = reference.decision_function(rows)
    loaded = glassbox.from_json(reference.to_json())
    with_missing = rows.astype({"segment": "Int64"})
    forms = {
        "int64 array": (X.to_numpy(dtype=object), rows.to_numpy(dtype=object)),
        "nullable Int64": (X.astype({"segment": "Int64"}), with_missing),
    }
    for form, (X_form, rows_form) in forms.items():
        categorical = [0] if isinstance(X_form, np.ndarray) else ["segment"]
        model = SparseLinearClassifier(alpha=0.01, categorical_features=categorical).fit(X_form, y)
        np.testing.assert_allclose(model.decision_function(rows_form), expected, rtol=1e-12, err_msg=form)
    np.testing.assert_allclose(loaded.decision_function(with_missing), expected, rtol=1e-12)
    values = with_missing.copy()
    values.loc[0, "segment"] = pd.NA  # a missing id beside ids above 2**53: the loaded model still reads them exactly
    gam = GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0,
                        categorical_features=["segment"]).fit(X, y)
    gam_loaded = glassbox.from_json(gam.to_json())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(gam_loaded.decision_function(values), gam.decision_function(values), rtol=1e-12)


# -- b8: damaged or mistaken JSON -----------------------------------------------------------------

@pytest.fixture(scope="module")
def model_json():
    X, y = _frame()
    return SparseLinearClassifier(alpha=0.01).fit(X, y).to_json()


def test_from_json_names_the_mistake_and_the_fix(model_json, tmp_path):
    path = tmp_path / "model.json"
    path.write_text(model_json)
    payload = json.loads(model_json)
    cases = [
        (str(path), ValueError, r"takes the JSON text, not a file name .*read_text\(\)", json.JSONDecodeError),
        (path, TypeError, r"takes the JSON text, not a file name", None),
        (payload, TypeError, r"not a dict: pass the parsed dict to GlobalExplanation.from_dict", None),
        (model_json[: len(model_json) // 2], ValueError, r"not JSON .*truncated or hand-edited", json.JSONDecodeError),
        ("[1, 2]", ValueError, r"Not a glassbox model: the JSON holds a list", None),
        (json.dumps({k: v for k, v in payload.items() if k != "content"}), ValueError,
         r"'coefficient_table' model is damaged or incomplete: it has no 'content'.*format version 1", None),
        (json.dumps({k: v for k, v in payload.items() if k != "kind"}), ValueError, r"has no 'kind'", None),
        (json.dumps({**payload, "content": {}}), ValueError, r"damaged or incomplete: the field '\w+' is missing",
         KeyError),
        (json.dumps({**payload, "content": [1]}), ValueError, r"damaged or incomplete: (TypeError|AttributeError)",
         (TypeError, AttributeError)),
    ]
    for given, kind, pattern, cause in cases:
        with pytest.raises(kind, match=pattern) as error:
            glassbox.from_json(given)
        if cause is not None:
            assert isinstance(error.value.__cause__, cause)
    assert glassbox.from_json(pathlib.Path(path).read_text()) == glassbox.from_json(model_json)
