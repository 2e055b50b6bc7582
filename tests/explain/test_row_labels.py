"""Explained rows keep the label they had in the caller's DataFrame.

``model.explain_local(X.loc[[512, 7]])`` must say "row 512" and "row 7", tabulate
under those labels (so the table joins back to ``X``), write them to JSON and
read them back, for every registered estimator and for the local surrogate;
NumPy input keeps rows numbered by position, and older JSON payloads (written
before rows had labels) read unchanged.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier

from glassbox import all_estimators
from glassbox.explain import Link, LocalExplanation

ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]
IDS = [type(e).__name__ for e in ESTIMATORS]
# A scrambled, non-default integer index: position and label never agree.
INDEX = pd.Index(np.random.default_rng(1).permutation(np.arange(1000, 1240)) - 500, name="applicant")


def _frame(index=INDEX):
    rng = np.random.default_rng(0)
    n = len(index)
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n).astype(float),
            "housing": pd.Categorical(rng.choice(["own", "rent", "free"], n)),
            "hours": rng.integers(10, 70, n).astype(float),
        },
        index=index,
    )
    logit = 0.06 * (X["age"] - 45) + 0.04 * (X["hours"] - 40) + (X["housing"] == "rent")
    y_class = (logit + rng.logistic(size=n) > 0).astype(int).to_numpy()
    return X, y_class, (1000.0 * X["hours"] + 50.0 * X["age"]).to_numpy()


def _fit(estimator, X=None):
    X, y_class, y_value = _frame() if X is None else (X, *_frame()[1:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of short test fits
        return clone(estimator).fit(X, y_class if is_classifier(estimator) else y_value)


def _decision(model, X):
    return model.decision_function(X) if is_classifier(model) else model.predict(X)


@pytest.fixture(scope="module")
def fitted():
    return {type(e).__name__: _fit(e) for e in ESTIMATORS}


def _explanation(labels=None, names=None, n_rows=2):
    return LocalExplanation(
        model="M", term_names=["a", "b"], base_value=np.array(0.5),
        contributions=np.arange(2.0 * n_rows).reshape(n_rows, 2), feature_names=["a", "b"],
        feature_values=np.arange(2.0 * n_rows).reshape(n_rows, 2), decision=0.5 + np.arange(n_rows) * 4 + 1.0,
        prediction=np.zeros(n_rows), link=Link("identity"), row_labels=labels, row_label_names=names,
    )


# -- every registered estimator -----------------------------------------------------
@pytest.mark.parametrize("name", IDS)
def test_selected_rows_keep_their_labels_in_text_table_and_json(fitted, name):
    model = fitted[name]
    X = _frame()[0]
    chosen = X.loc[[512, 507, 730]]  # labels, in the caller's order
    local = model.explain_local(chosen)
    assert local.row_labels == (512, 507, 730) and local.row_label_names == ("applicant",)
    text = str(local)
    assert "row 512: predicted" in text and "row 507: predicted" in text and "row 0:" not in text
    assert text.index("row 512") < text.index("row 507") < text.index("row 730")
    assert "row 512: predicted" in local._repr_html_()
    # additivity is untouched by the labels
    total = local.base_value + local.contributions.sum(axis=1)
    np.testing.assert_allclose(total, _decision(model, chosen), rtol=1e-12, atol=1e-9)
    # the table joins back to X on its index
    frame = local.to_frame()
    assert frame.index.name == "applicant" and list(frame.index.unique()) == [512, 507, 730]
    joined = frame.join(X)
    assert len(joined) == len(frame) and not joined["age"].isna().any()
    for label in (512, 507, 730):
        assert (joined.loc[label, "age"] == X.loc[label, "age"]).all()
    sums = frame.groupby(level="applicant", sort=False)["contribution"].sum().loc[[512, 507, 730]]
    np.testing.assert_allclose(local.base_value + sums.to_numpy(), _decision(model, chosen), rtol=1e-12, atol=1e-9)
    # JSON keeps them
    restored = LocalExplanation.from_json(local.to_json())
    assert restored == local and restored.row_labels == (512, 507, 730)
    assert restored.to_frame().index.equals(frame.index)
    # one row keeps its label
    assert local.row(1).row_labels == (507,) and str(local.row(1)).splitlines()[1].startswith("row 507:")


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")  # NumPy rows on purpose
@pytest.mark.parametrize("name", IDS)
def test_numpy_rows_are_numbered_by_position(fitted, name):
    model = fitted[name]
    X = _frame()[0]
    labelled = model.explain_local(X.loc[[512, 507]])
    local = model.explain_local(X.loc[[512, 507]].to_numpy(dtype=object))
    assert local.row_labels is None and local.row_label_names is None
    assert "row 0: predicted" in str(local) and "row 1: predicted" in str(local)
    np.testing.assert_array_equal(local.contributions, labelled.contributions)
    frame = local.to_frame()
    assert frame.index.name is None and list(frame.index.unique()) == [0, 1]
    assert "row_labels" not in json.loads(local.to_json())


# -- kinds of index --------------------------------------------------------------------
@pytest.fixture(scope="module")
def linear():
    return _fit(next(e for e in ESTIMATORS if type(e).__name__ == "SparseLinearRegressor"))


def _relabelled(index):
    X = _frame()[0].iloc[:4].copy()
    X.index = index
    return X


def test_string_labels(linear):
    X = _relabelled(pd.Index(["alice", "bob", "nan", "inf"], name="who"))
    local = linear.explain_local(X)
    assert "row alice: predicted" in str(local) and "row nan: predicted" in str(local)
    restored = LocalExplanation.from_json(local.to_json())
    assert restored.row_labels == ("alice", "bob", "nan", "inf")  # strings that read like floats stay strings
    assert all(isinstance(label, str) for label in restored.row_labels)
    assert local.to_frame().join(X).loc["bob", "hours"].eq(X.loc["bob", "hours"]).all()


def test_multiindex_labels_are_tuples_and_tabulate_as_a_multiindex(linear):
    index = pd.MultiIndex.from_tuples([("north", 3), ("south", 3), ("north", 4), ("east", 1)], names=["region", "id"])
    X = _relabelled(index)
    local = linear.explain_local(X.loc[[("south", 3), ("north", 4)]])
    assert local.row_labels == (("south", 3), ("north", 4)) and local.row_label_names == ("region", "id")
    assert "row (south, 3): predicted" in str(local)
    frame = local.to_frame()
    assert isinstance(frame.index, pd.MultiIndex) and list(frame.index.names) == ["region", "id"]
    joined = frame.join(X)
    assert (joined.loc[("north", 4), "age"] == X.loc[("north", 4), "age"]).all()
    restored = LocalExplanation.from_json(local.to_json())
    assert restored == local and restored.row_labels == (("south", 3), ("north", 4))
    assert restored.to_frame().index.equals(frame.index)


def test_timestamp_labels_round_trip_with_their_time_zone(linear):
    days = pd.DatetimeIndex(["2024-01-05", "2024-01-06 12:30:00.000000001", "2024-03-31 04:30", "2024-10-27"],
                            tz="Europe/Paris", name="when")
    local = linear.explain_local(_relabelled(days))
    assert "row 2024-01-05 00:00:00+01:00: predicted" in str(local)
    restored = LocalExplanation.from_json(local.to_json())
    assert restored == local
    assert list(restored.row_labels) == list(days) and all(str(t.tz) == "Europe/Paris" for t in restored.row_labels)
    assert restored.to_frame().index.equals(local.to_frame().index)
    naive = linear.explain_local(_relabelled(pd.DatetimeIndex(["2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08"])))
    assert "row 2024-01-06: predicted" in str(naive)  # a daily index reads as dates
    assert LocalExplanation.from_json(naive.to_json()).row_labels == naive.row_labels


def test_other_label_kinds_round_trip_exactly():
    labels = (np.int64(3), 2.5, float("nan"), True, None, pd.Timedelta("1 days 00:00:00.000000007"),
              pd.Timestamp("NaT"), pd.Timestamp("2020-01-01", tz="UTC"), ("x", pd.Timestamp("2020-01-01")))
    local = _explanation(labels=labels, n_rows=len(labels))
    restored = LocalExplanation.from_json(local.to_json())
    assert restored == local
    got = restored.row_labels
    assert got[0] == 3 and got[1] == 2.5 and np.isnan(got[2]) and got[3] is True and got[4] is None
    assert got[5] == labels[5] and got[6] is pd.NaT and got[7] == labels[7] and str(got[7].tz) == "UTC"
    assert got[8] == labels[8]


def test_labels_without_an_exact_json_form_are_written_as_text_with_a_warning():
    labels = (pd.Period("2024-01", freq="M"), pd.Interval(0, 1))
    local = _explanation(labels=labels)
    assert "row 2024-01: predicted" in str(local)
    with pytest.warns(UserWarning, match="Interval, Period have no exact JSON form.*read back as str"):
        text = local.to_json()
    assert LocalExplanation.from_json(text).row_labels == ("2024-01", "(0, 1]")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert local == local  # comparing does not warn


def test_repeated_labels_stay_distinct_rows_in_the_table(linear):
    X = _relabelled(pd.Index([5, 5, 6, 5]))
    with pytest.warns(UserWarning, match="repeats labels"):  # a repeated label names no row: its position joins it
        local = linear.explain_local(X)
    frame = local.to_frame()
    assert list(frame["row"].unique()) == [0, 1, 2, 3]
    assert list(frame.index.unique()) == ["5 (position 0)", "5 (position 1)", "6 (position 2)", "5 (position 3)"]
    sums = frame.groupby("row")["contribution"].sum().to_numpy()
    np.testing.assert_allclose(local.base_value + sums, linear.predict(X), rtol=1e-12)


# -- JSON of older versions, validation ------------------------------------------------
def test_an_older_payload_without_labels_reads_unchanged():
    local = _explanation()
    payload = local.to_dict()
    assert "row_labels" not in payload and "row_label_names" not in payload
    old = json.dumps({k: v for k, v in payload.items() if k != "output_name"})
    restored = LocalExplanation.from_json(old)
    assert restored == local and restored.row_labels is None
    assert str(restored).splitlines()[1].startswith("row 0:")
    assert list(restored.to_frame().index) == [0, 0, 1, 1]


def test_labels_must_match_the_rows():
    with pytest.raises(ValueError, match="3 labels for 2 explained rows"):
        _explanation(labels=[1, 2, 3])
    with pytest.raises(ValueError, match="row_label_names is given without row_labels"):
        _explanation(names=("applicant",))
    assert _explanation(labels=np.array([10, 20])).row_labels == (10, 20)
    stamps = _explanation(labels=np.array(["2020-01-01", "2020-01-02T03:00"], dtype="datetime64[ns]"))
    assert str(stamps.row(1)).splitlines()[1].startswith("row 2020-01-02 03:00:00: predicted")
    restored = LocalExplanation.from_json(stamps.to_json()).row_labels
    assert restored == (pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-02 03:00"))


def test_a_multiclass_table_repeats_each_label_per_term_and_class():
    local = LocalExplanation(
        model="M", term_names=["a"], base_value=np.zeros(3), contributions=np.ones((2, 1, 3)), feature_names=["a"],
        feature_values=np.zeros((2, 1)), decision=np.ones((2, 3)), prediction=np.array(["x", "y"]),
        link=Link("softmax"), classes=np.array(["x", "y", "z"]), row_labels=("p", "q"), row_label_names=("id",),
    )
    frame = local.to_frame(include_base=True)
    assert list(frame.index) == ["p"] * 6 + ["q"] * 6 and frame.index.name == "id"
    assert list(frame.columns) == ["row", "term", "class", "contribution"]


# -- the waterfall names the row --------------------------------------------------------
@pytest.mark.filterwarnings("ignore:X does not have valid feature names")  # NumPy rows on purpose
def test_the_waterfall_title_names_the_row_by_its_label(linear):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from glassbox.plotting import LocalContributionDisplay

    X = _frame()[0]
    local = linear.explain_local(X.loc[[512, 507]])
    display = LocalContributionDisplay.from_explanation(local, row=1)
    assert "row 507," in display.ax_.get_title()
    from_estimator = LocalContributionDisplay.from_estimator(linear, X, row=2)
    assert f"row {X.index[2]}," in from_estimator.ax_.get_title()
    positional = LocalContributionDisplay.from_estimator(linear, X.to_numpy(dtype=object), row=2)
    assert "row 2," in positional.ax_.get_title()
    plt.close("all")



# -- the local surrogate ---------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:X does not have valid feature names")  # NumPy rows on purpose
def test_the_local_surrogate_labels_its_rows(linear):
    from glassbox.surrogate import LocalSurrogate

    X = _frame()[0]
    explainer = LocalSurrogate(linear, n_samples=200, n_holdout=0, random_state=0).fit(X)
    local = explainer.explain_local(X.loc[[512, 507]])
    assert local.row_labels == (512, 507) and "row 512: local approximation predicts" in str(local)
    assert local.to_frame().join(X).loc[507, "hours"].eq(X.loc[507, "hours"]).all()
    assert explainer.explain_local(X.loc[[512, 507]].to_numpy(dtype=object)).row_labels is None


def test_frame_index_is_each_label_repeated_and_resets_to_the_old_range_index():
    import pandas as pd
    from glassbox.explain import LocalExplanation, Link

    contributions = np.arange(12.0).reshape(3, 2, 2)
    for labels, names in [(None, None), ((512, 7, 93), ("applicant",)), ((("a", 1), ("b", 2), ("a", 1)), ("k", "n"))]:
        local = LocalExplanation(
            model="m", term_names=["t0", "t1"], base_value=np.zeros(2), contributions=contributions,
            feature_names=["x"], feature_values=[[1], [2], [3]], decision=contributions.sum(axis=1),
            prediction=["p", "q", "p"], link=Link("softmax"), classes=np.array(["p", "q"]),
            row_labels=labels, row_label_names=names,
        )
        frame = local.to_frame()
        if labels is None:
            expected = pd.Index(np.repeat(np.arange(3), 4))
        elif names and len(names) > 1:
            expected = pd.MultiIndex.from_tuples(labels, names=names).repeat(4)
        else:
            expected = pd.Index(labels, name=names[0]).repeat(4)
        pd.testing.assert_index_equal(frame.index, expected, exact="equiv")
        pd.testing.assert_index_equal(frame.reset_index(drop=True).index, pd.RangeIndex(12))
