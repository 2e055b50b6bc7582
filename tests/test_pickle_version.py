"""A pickled glassbox model records the glassbox release that wrote it.

Loading it under another release warns (``glassbox.InconsistentVersionWarning``),
as scikit-learn does for its own estimators; a pickle written before versions
were recorded loads silently.  The record lives only in the pickle: not in the
model, its parameters or its clones.
"""

import copy
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone, is_classifier

import glassbox
from glassbox import InconsistentVersionWarning
from glassbox.utils import all_estimators

ROOT = Path(__file__).resolve().parents[1]
ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]
SUBPACKAGES = ["explain", "gam", "linear", "plotting", "rules", "scoring", "surrogate", "utils"]


def _public_classes_with_fit():
    import importlib

    modules = [glassbox] + [importlib.import_module(f"glassbox.{name}") for name in SUBPACKAGES]
    public = [getattr(module, "__all__", [name for name in vars(module) if not name.startswith("_")])
              for module in modules]  # glassbox.rules has no __all__: its public names
    objects = [getattr(module, name) for module, names in zip(modules, public) for name in names]
    found = {cls for cls in objects if isinstance(cls, type) and hasattr(cls, "fit")}
    return sorted(found, key=lambda cls: cls.__name__)


def _fitted(estimator):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = X[:, 0] - X[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cheap settings' convergence notes
        return clone(estimator).fit(X, (y > 0).astype(int) if is_classifier(estimator) else y), X


def _pickled_by(version, model, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(glassbox, "__version__", version)
        return pickle.dumps(model)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_a_pickle_records_the_release_and_loads_silently_under_it(estimator):
    model, X = _fitted(estimator)
    state = model.__getstate__()
    assert state["_glassbox_version"] == glassbox.__version__
    assert "_glassbox_version" not in model.__dict__  # the record is the pickle's, not the model's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = pickle.loads(pickle.dumps(model))
        copied = copy.deepcopy(model)
    assert "_glassbox_version" not in restored.__dict__ and "_glassbox_version" not in copied.__dict__
    assert "_glassbox_version" not in model.get_params() and "_glassbox_version" not in clone(model).__dict__
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def _fitted_public(cls):
    """A fitted instance of a public class with ``fit``: the estimators, the transformers, the explainer."""
    from sklearn.linear_model import LinearRegression

    registered = dict(all_estimators())
    if cls in registered.values():
        return _fitted(cls(**getattr(cls, "_test_params", {})))
    X = np.random.RandomState(0).normal(size=(80, 3))
    if cls is glassbox.LocalSurrogate:
        return cls(LinearRegression().fit(X, X[:, 0]), n_samples=200, n_holdout=50, random_state=0).fit(X), X
    if cls in (glassbox.FeatureBinner, glassbox.ConditionGenerator):
        return cls().fit(X), X
    raise AssertionError(f"{cls.__name__} is public and has fit: say here how to fit it, so its pickles are checked")


@pytest.mark.parametrize("cls", _public_classes_with_fit(), ids=lambda cls: cls.__name__)
def test_every_public_class_with_fit_records_the_release_in_its_pickles(cls, monkeypatch):
    # a Pipeline(FeatureBinner(), ...) pickled by another release must warn as a glassbox model does
    fitted, _ = _fitted_public(cls)
    assert fitted.__getstate__()["_glassbox_version"] == glassbox.__version__
    assert "_glassbox_version" not in fitted.__dict__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(pickle.dumps(fitted))
    with pytest.warns(InconsistentVersionWarning) as caught:
        pickle.loads(_pickled_by("0.0.1", fitted, monkeypatch))
    assert cls.__name__ in {warning.message.estimator_name for warning in caught}


def test_a_pickle_from_another_release_warns_naming_both_versions_and_still_loads(monkeypatch):
    model, X = _fitted(glassbox.SparseLinearClassifier())
    data = _pickled_by("0.0.1", model, monkeypatch)
    with pytest.warns(InconsistentVersionWarning) as caught:
        restored = pickle.loads(data)
    warning = caught[0].message
    assert (warning.original_version, warning.current_version) == ("0.0.1", glassbox.__version__)
    text = str(warning)
    assert "SparseLinearClassifier" in text and "0.0.1" in text and glassbox.__version__ in text
    assert "to_json()" in text and "Refit" in text
    assert issubclass(InconsistentVersionWarning, UserWarning)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_a_pickle_written_before_versions_were_recorded_loads_silently():
    model, X = _fitted(glassbox.GAMRegressor(outer_bags=2, max_rounds=50))
    old_state = {key: value for key, value in model.__getstate__().items() if key != "_glassbox_version"}
    restored = glassbox.GAMRegressor.__new__(glassbox.GAMRegressor)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored.__setstate__(old_state)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_a_distilled_copy_records_the_release_beside_its_teachers_sklearn_version(monkeypatch):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))
    y = (X[:, 0] > 0).astype(int)
    copy_ = glassbox.DistilledClassifier(LogisticRegression().fit(X, y), glassbox.SparseLinearClassifier()).fit(X)
    with pytest.warns(InconsistentVersionWarning) as caught:
        restored = pickle.loads(_pickled_by("0.0.1", copy_, monkeypatch))
    # each glassbox model inside says so: the copy and its student (the parameter and the fitted one)
    names = {warning.message.estimator_name for warning in caught}
    assert names == {"DistilledClassifier", "SparseLinearClassifier"}, names
    np.testing.assert_array_equal(restored.predict(X), copy_.predict(X))


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is in the standard library from Python 3.11")
def test_the_package_version_has_one_source():
    import tomllib

    # pyproject takes the version from glassbox/__init__.py, so that the release a pickle records
    # (glassbox.__version__) is the one the package metadata declares
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "glassbox.__version__"}
