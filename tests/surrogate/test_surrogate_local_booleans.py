"""LocalSurrogate perturbs the flags every glassbox estimator records (``is_boolean_`` of the tabular layer)."""

import numpy as np
import pandas as pd
import pytest

from glassbox.surrogate import LocalSurrogate


def _risk(Z):
    return 0.05 * np.asarray(Z["age"], dtype=float) + 2.0 * np.asarray(Z["smoker"], dtype=float)


def _smokers(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return {"smoker": rng.random(n) < 0.3, "age": rng.integers(18, 80, n) * 1.0}


def test_polars_boolean_column_is_perturbed_as_a_flag():
    pl = pytest.importorskip("polars")
    data = _smokers()
    seen = []

    def risk(Z):
        seen.append(np.asarray(Z["smoker"]))
        return _risk(Z)

    explainer = LocalSurrogate(risk, task="regression", random_state=0, n_samples=400, n_holdout=0)
    explainer.fit(pl.DataFrame(data))
    assert explainer.is_boolean_.tolist() == [True, False]
    fits = explainer.local_fits(pl.DataFrame(data).head(3))
    asked = np.concatenate(seen[1:])
    assert asked.dtype == bool and set(asked) == {True, False}  # flags, never 0.37 or 1.2
    np.testing.assert_allclose(fits.coefficients, [[2.0, 0.05]] * 3, atol=1e-9)
    # the same explanation as on the pandas frame it stands for
    pandas_fits = LocalSurrogate(_risk, task="regression", random_state=0, n_samples=400, n_holdout=0).fit(
        pd.DataFrame(data)).local_fits(pd.DataFrame(data).head(3))
    np.testing.assert_array_equal(fits.coefficients, pandas_fits.coefficients)


def test_polars_boolean_column_with_nulls_is_a_flag_too():
    pl = pytest.importorskip("polars")
    data = _smokers()
    smoker = [bool(v) for v in data["smoker"]]
    smoker[0] = None
    seen = []

    def risk(Z):
        seen.append(Z["smoker"])
        return 0.05 * Z["age"].to_numpy() + 2.0 * Z["smoker"].fillna(False).to_numpy(dtype=float)

    X = pl.DataFrame({"smoker": smoker, "age": data["age"]})
    explainer = LocalSurrogate(risk, task="regression", random_state=0, n_samples=400, n_holdout=0).fit(X)
    assert explainer.is_boolean_.tolist() == [True, False]
    fits = explainer.local_fits(X.head(2))
    asked = pd.concat(seen[1:])
    per_row = len(asked) // 2
    assert asked.iloc[:per_row].isna().all()  # the missing flag is held, not varied
    assert set(asked.iloc[per_row:]) == {True, False}  # the other row's flag is drawn as True / False
    np.testing.assert_allclose(fits.coefficients[1], [2.0, 0.05], atol=1e-9)
