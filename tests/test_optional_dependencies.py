"""glassbox works on NumPy input with only its required dependencies installed.

pandas, matplotlib and polars are optional extras: ``pip install glassbox``
brings numpy, scipy and scikit-learn only.  Each test runs in a fresh Python
process in which importing the optional packages fails with
ModuleNotFoundError, as it does where they are not installed (scikit-learn
then runs without pandas as well).  They are hidden by an import hook rather
than by ``sys.modules[name] = None``: scikit-learn looks pandas up in
``sys.modules`` and would take the None for the module.
"""

import subprocess
import sys
import textwrap

import pytest

_BLOCK = textwrap.dedent("""
    import sys
    OPTIONAL = ('pandas', 'matplotlib', 'polars')
    class NotInstalled:
        def find_spec(self, name, path=None, target=None):
            if name.split('.')[0] in OPTIONAL:
                raise ModuleNotFoundError(f'No module named {name!r}', name=name)
    sys.meta_path.insert(0, NotInstalled())
""")

_CHECK_STILL_BLOCKED = textwrap.dedent("""
    assert not [name for name in sys.modules if name.split('.')[0] in OPTIONAL], 'an optional package got in'
    print('ok')
""")


def _run(body):
    code = _BLOCK + textwrap.dedent(body) + _CHECK_STILL_BLOCKED
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok"), result.stdout[-2000:]


def test_import_needs_no_optional_package():
    _run("""
        import glassbox
        import glassbox.surrogate, glassbox.explain, glassbox.plotting
    """)


def test_every_estimator_fits_explains_and_round_trips_json_on_arrays():
    _run("""
        import warnings
        import numpy as np
        from sklearn.base import is_classifier
        import glassbox
        from glassbox.utils import all_estimators

        warnings.simplefilter("ignore")  # convergence notes of the cheap settings are not the point here
        rng = np.random.RandomState(0)
        X = rng.normal(size=(120, 3))
        signal = X[:, 0] - 0.5 * X[:, 1]
        for name, cls in all_estimators():
            model = cls(**getattr(cls, "_test_params", {}))
            y = (signal > 0).astype(int) if is_classifier(model) else signal
            model.fit(X, y)
            prediction = model.predict(X)
            explanation = model.explain_global()
            np.testing.assert_allclose(explanation.predict(X), prediction, rtol=1e-12, err_msg=name)
            local = model.explain_local(X[:5])
            assert str(local) and str(explanation), name
            restored = glassbox.from_json(model.to_json())
            np.testing.assert_array_equal(restored.predict(X), prediction, err_msg=name)
            print(name, 'fine')
    """)


def test_distillation_and_local_surrogate_on_arrays():
    _run("""
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        import glassbox
        from glassbox import DistilledClassifier, GAMClassifier, LocalSurrogate, fidelity_frontier

        rng = np.random.RandomState(0)
        X = rng.normal(size=(200, 3))
        y = (X[:, 0] - X[:, 2] > 0).astype(int)
        teacher = LogisticRegression().fit(X, y)
        copy = DistilledClassifier(teacher, GAMClassifier(outer_bags=2, max_rounds=50), random_state=0).fit(X)
        assert copy.fidelity_.agreement > 0.9
        np.testing.assert_array_equal(glassbox.from_json(copy.to_json()).predict(X), copy.predict(X))
        copy.explain_local(X[:3])

        # the default teacher reads text in an object array through its own encoder
        mixed = np.column_stack([X[:, 0], np.where(X[:, 2] > 0, "up", "down")]).astype(object)
        mixed[:, 0] = X[:, 0]
        default = DistilledClassifier(student=GAMClassifier(outer_bags=2, max_rounds=50), random_state=0)
        assert default.fit(mixed, y).fidelity_.agreement > 0.8

        frontier = fidelity_frontier(teacher, X, students=None, random_state=0)
        assert len(frontier.rows) > 0

        explainer = LocalSurrogate(teacher, max_features=2, random_state=0).fit(X)
        fits = explainer.local_fits(X[:2])
        np.testing.assert_allclose(fits.intercepts + fits.contributions.sum(axis=1), fits.local_prediction)
        explainer.explain_local(X[:2])
    """)


# An object column holding every kind of missing value pd.isna knows that can
# occur without pandas, next to present values that look alike (the text "nan").
_MIXED_COLUMN = textwrap.dedent("""
    import decimal
    import numpy as np
    values = [None, float("nan"), np.float32("nan"), np.float16("nan"), decimal.Decimal("NaN"),
              complex(float("nan"), 0.0), np.datetime64("NaT"), np.timedelta64("NaT"),
              "a", "nan", 1, 2.5, np.float32(1.0), decimal.Decimal("1.5"), np.int64(3), True]
    column = np.empty(len(values), dtype=object)
    column[:] = values
""")


def test_missing_values_without_pandas_are_those_pandas_finds():
    # Without pandas the missing-value test of an object column is glassbox's own;
    # the same X must give the same model either way, so it must agree with pd.isna.
    pd = pytest.importorskip("pandas")
    names = {}
    exec(_MIXED_COLUMN, names)
    expected = pd.isna(names["column"]).tolist()
    assert sum(expected) == 8  # the eight missing values of the column
    _run(_MIXED_COLUMN + f"""
from glassbox.explain._columns import is_missing
found = is_missing(column).tolist()
assert found == {expected!r}, list(zip(map(repr, values), found))
""")
