"""predict / predict_proba / decision_function without the display rows: the bits of the explanation path.

Every registered estimator defines ``_decision_only``; its outputs must equal,
bit for bit, the sums of the contributions ``explain_local`` reports, in blocks
of any size, with the same warnings, and without building the raw rows as
Python objects.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier

import glassbox.base
from glassbox.base import decision_in_blocks
from glassbox.surrogate import DistilledClassifier
from glassbox.utils import all_estimators
from glassbox.utils.checks import _class_counts, _tags, make_check_data
from glassbox.utils.tabular import Table

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]
CASES = [(e, k) for e in ESTIMATORS for k in _class_counts(e)]
_FITTED = {}


def _case_id(case):
    estimator, n_classes = case
    return f"{type(estimator).__name__}-{n_classes}" if is_classifier(estimator) else type(estimator).__name__


def _fitted(estimator, n_classes):
    key = (type(estimator).__name__, n_classes)
    if key not in _FITTED:
        X, y = make_check_data(estimator, n_classes=n_classes)
        _FITTED[key] = clone(estimator).fit(X, y)
    return _FITTED[key]


def _new_rows(estimator, n_samples=302):
    """Rows the model has not seen (302 = 43 x 7 + 1: blocks of 7 end in a one-row tail), one unseen level."""
    X, _ = make_check_data(estimator, n_samples=n_samples, random_state=1)
    if "colour" in X:
        X["colour"] = X["colour"].astype(object)
        X.loc[5, "colour"] = "purple"
    return X


def _outputs(model, X):
    if not is_classifier(model):
        return {"predict": model.predict(X)}
    return {
        "decision_function": model.decision_function(X),
        "predict_proba": model.predict_proba(X),
        "predict_log_proba": model.predict_log_proba(X),
        "predict": model.predict(X),
    }


def _expected(model, X):
    """The explanation path: explain_local's contributions summed onto its base value."""
    local = model.explain_local(X)
    decision = local.base_value + local.contributions.sum(axis=1)
    np.testing.assert_array_equal(decision, model._decision_and_contributions(X)[0])
    if not is_classifier(model):
        return {"predict": decision}
    link = model._link()
    return {
        "decision_function": decision,
        "predict_proba": link.inverse(decision),
        "predict_log_proba": link.log_inverse(decision),
        "predict": model._output_from_decision(decision),
    }


def _set_block_rows(monkeypatch, rows):
    monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", rows)


@pytest.mark.filterwarnings("ignore:Feature 'colour' has categories not seen")
@pytest.mark.parametrize("block_rows", [1, 7, 4096])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_outputs_are_the_bits_of_the_explanation_path(case, block_rows, monkeypatch):
    model = _fitted(*case)
    assert hasattr(model, "_decision_only"), f"{type(model).__name__} predicts through the display rows"
    X = _new_rows(model)
    expected = _expected(model, X)
    _set_block_rows(monkeypatch, block_rows)
    for method, output in _outputs(model, X).items():
        np.testing.assert_array_equal(output, expected[method], err_msg=f"{type(model).__name__}.{method}")


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_prediction_builds_no_display_rows(case, monkeypatch):
    model = _fitted(*case)
    X = _new_rows(model, n_samples=60)

    def no_rows(self, rows=None):
        raise AssertionError("prediction built the display rows")

    monkeypatch.setattr(Table, "rows_as_objects", no_rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _outputs(model, X)
    with pytest.raises(AssertionError, match="display rows"):
        model.explain_local(X)  # the monkeypatch is in force: explain_local does need the rows


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_prediction_warns_as_the_explanation_path_does(case):
    model = _fitted(*case)
    X = _new_rows(model, n_samples=60)

    def messages(call):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(X)
        return [(w.category, str(w.message)) for w in caught]

    predicted = messages(model.predict)
    assert predicted == messages(lambda rows: model._decision_and_contributions(rows))
    unseen = [m for _, m in predicted if "not seen in training" in m]
    if "colour" in X and type(model).__name__.startswith(("SparseLinear", "GAM")):
        assert len(unseen) == 1 and "purple" in unseen[0], predicted
    assert len(unseen) <= 1, predicted


def test_distilled_copy_with_an_output_scale_keeps_the_bits(monkeypatch):
    """A sharpened binary copy multiplies each student contribution before the sum: so does prediction."""
    params = dict(getattr(DistilledClassifier, "_test_params", {}))
    X, y = make_check_data(DistilledClassifier(**params), n_classes=2)
    model = DistilledClassifier(**{**params, "temperature": 0.25, "random_state": 0}).fit(X, y)
    assert model.output_scale_ != 1.0
    X_new = _new_rows(model)
    expected = _expected(model, X_new)
    for block_rows in (1, 7, 4096):
        _set_block_rows(monkeypatch, block_rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs = _outputs(model, X_new)
        for method, output in outputs.items():
            np.testing.assert_array_equal(output, expected[method], err_msg=method)


def test_distilled_copy_names_itself_for_wrong_features():
    params = dict(getattr(DistilledClassifier, "_test_params", {}))
    X, y = make_check_data(DistilledClassifier(**params), n_classes=2)
    model = DistilledClassifier(**params).fit(X, y)
    with pytest.raises(ValueError, match="DistilledClassifier"):
        model.predict(X.iloc[:, :3].to_numpy())


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("n_classes", [1, 3])
def test_blocks_sum_each_row_as_the_whole_table_does(order, n_classes, monkeypatch):
    """Any block size, C or column-major input, one-row tails: the same bits as one sum over the whole
    table laid out by rows, as a model loaded from JSON lays out its table."""
    rng = np.random.RandomState(0)
    prepared = np.asarray(rng.lognormal(0, 3, size=(23, 37)) * rng.choice([-1, 1], size=(23, 37)), order=order)
    coef = rng.normal(size=37 if n_classes == 1 else (37, n_classes)) * 1e3
    base = rng.normal(size=() if n_classes == 1 else (n_classes,))

    def contributions(rows):
        return rows * coef if coef.ndim == 1 else rows[:, :, None] * coef[None, :, :]

    for scale in (None, 0.37):
        full = np.ascontiguousarray(contributions(prepared))
        expected = (base + full.sum(axis=1)) if scale is None else (base * scale + (full * scale).sum(axis=1))
        for block_rows in range(1, 25):
            monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", block_rows)
            got = decision_in_blocks(base, prepared, contributions, scale)
            np.testing.assert_array_equal(got, expected, err_msg=f"blocks of {block_rows}, scale {scale}")


def test_column_major_numbers_predict_the_bits_of_the_whole_table(monkeypatch):
    from glassbox.linear import SparseLinearRegressor

    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 30)) * rng.lognormal(0, 2, size=30)
    model = SparseLinearRegressor(alpha=1e-4).fit(X, X @ rng.normal(size=30) + rng.normal(size=200))
    X_new = np.asfortranarray(rng.normal(size=(43, 30)))
    expected = model._decision_and_contributions(X_new)[0]
    for block_rows in (1, 2, 6, 21, 4096):  # 43 = 2 x 21 + 1 and 7 x 6 + 1: one-row tails
        monkeypatch.setattr(glassbox.base, "DECISION_BLOCK_ROWS", block_rows)
        np.testing.assert_array_equal(model.predict(X_new), expected, err_msg=f"blocks of {block_rows}")


def test_registered_estimators_declare_their_tags():
    # the data above exercises categories and missing values where an estimator takes them
    assert any(getattr(_tags(e).input_tags, "categorical", False) for e in ESTIMATORS)
    assert any(_tags(e).input_tags.allow_nan for e in ESTIMATORS)
