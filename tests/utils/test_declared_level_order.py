"""A pandas category column's declared level order (or a polars Enum's) is the order its levels are read in."""

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMRegressor, SparseLinearRegressor, from_json
from glassbox.utils import FeatureBinner

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _week(n=1400, seed=0):
    rng = np.random.default_rng(seed)
    day = rng.choice(DAYS, n)
    x = rng.normal(size=n)
    y = np.isin(day, ["Sat", "Sun"]) * 2.0 + x + rng.normal(scale=0.3, size=n)
    return day, x, y


@pytest.mark.parametrize("ordered", [False, True])
def test_a_declared_order_is_kept_by_the_binner_the_gam_and_the_linear_model(ordered):
    day, x, y = _week()
    X = pd.DataFrame({"day": pd.Categorical(day, categories=DAYS, ordered=ordered), "x": x})
    assert list(FeatureBinner().fit(X).bins_[0].categories) == DAYS
    gam = GAMRegressor(interactions=0, random_state=0).fit(X, y)
    shapes = gam.explain_global()
    frame = shapes.to_frame()
    assert list(frame.loc[frame["term"] == "day", "bin"])[:7] == DAYS
    loaded = from_json(shapes.to_json())
    assert loaded == shapes and np.array_equal(loaded.predict(X), gam.predict(X))
    linear = SparseLinearRegressor(alpha=0.01).fit(X, y)
    assert [t for t in linear.term_names_ if t.startswith("day")] == [f"day == {d}" for d in DAYS]


def test_text_and_inferred_categories_are_sorted_as_before():
    day, x, y = _week()
    for column in (day.astype(object), pd.Categorical(day)):  # pandas infers sorted categories
        X = pd.DataFrame({"day": column, "x": x})
        assert list(FeatureBinner().fit(X).bins_[0].categories) == sorted(DAYS)


def test_levels_absent_from_training_keep_the_others_in_declared_order():
    day, x, y = _week()
    keep = ~np.isin(day, ["Wed"])
    X = pd.DataFrame({"day": pd.Categorical(day[keep], categories=DAYS), "x": x[keep]})
    assert list(FeatureBinner().fit(X).bins_[0].categories) == [d for d in DAYS if d != "Wed"]


def test_a_polars_enum_reads_as_the_pandas_category_column_of_its_levels():
    pl = pytest.importorskip("polars")
    day, x, y = _week()
    day = day.astype(object)
    day[:5] = None
    P = pl.DataFrame({"day": pl.Series(day.tolist()).cast(pl.Enum(DAYS)), "x": x})
    X = pd.DataFrame({"day": pd.Categorical(day, categories=DAYS), "x": x})
    assert list(FeatureBinner().fit(P).bins_[0].categories) == DAYS
    from_polars, from_pandas = GAMRegressor(interactions=0, random_state=0).fit(P, y), \
        GAMRegressor(interactions=0, random_state=0).fit(X, y)
    assert np.array_equal(from_polars.predict(P), from_pandas.predict(X))
    assert np.array_equal(from_polars.predict(X), from_polars.predict(P))
