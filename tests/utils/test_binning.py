"""The compiled binner agrees with its NumPy reference and handles bad input clearly."""

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassbox.utils import FeatureBinner
from glassbox.utils.binning import quantile_thresholds, shortest_decimal_between

finite_or_nan = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(np.nan))


@settings(max_examples=60, deadline=None)
@given(
    train=hnp.arrays(np.float64, st.tuples(st.integers(1, 60), st.integers(1, 3)), elements=finite_or_nan),
    test=hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.just(3)), elements=st.one_of(finite_or_nan, st.floats(-1e9, 1e9))),
    max_bins=st.integers(1, 12),
)
def test_compiled_codes_match_numpy_reference(train, test, max_bins):
    binner = FeatureBinner(max_bins=max_bins).fit(train)
    test = test[:, : train.shape[1]]
    for data in (train, test):
        codes = binner.transform(data)
        assert codes.dtype == np.uint8 and codes.flags.f_contiguous
        for j, bins in enumerate(binner.bins_):
            np.testing.assert_array_equal(codes[:, j], bins.codes(data[:, j]))
            assert bins.n_value_bins <= max_bins
            assert codes[:, j].max() < bins.n_bins


def test_every_distinct_value_gets_a_bin_when_few():
    X = np.array([[3.0], [1.0], [2.0], [2.0], [5.0]])
    binner = FeatureBinner(max_bins=10).fit(X)
    np.testing.assert_array_equal(binner.bins_[0].thresholds, [2.0, 3.0, 5.0])
    np.testing.assert_array_equal(binner.transform(X).ravel(), [2, 0, 1, 1, 3])


def test_quantile_bins_have_similar_weight():
    rng = np.random.RandomState(0)
    values = rng.exponential(size=10_000)
    thresholds = quantile_thresholds(values, np.ones_like(values), 10)
    counts = np.bincount(np.searchsorted(thresholds, values, side="right"), minlength=10)
    assert len(thresholds) == 9
    assert counts.min() > 900 and counts.max() < 1100


def test_sample_weight_moves_thresholds():
    values = np.arange(100, dtype=float)
    weights = np.where(values < 50, 1.0, 9.0)
    t = quantile_thresholds(values, weights, 2)
    # half of the weight lies above ~72 when the upper half weighs 9x more
    assert 70 <= t[0] <= 75


def test_missing_and_out_of_range_values():
    X = np.array([[1.0], [2.0], [3.0], [np.nan]])
    binner = FeatureBinner().fit(X)
    bins = binner.bins_[0]
    codes = binner.transform(np.array([[-100.0], [100.0], [np.nan], [2.5]])).ravel()
    np.testing.assert_array_equal(codes, [0, bins.n_value_bins - 1, bins.missing_bin, 1])
    assert binner.has_missing_[0]


def test_all_missing_and_constant_columns_get_one_value_bin():
    X = np.column_stack([np.full(5, np.nan), np.full(5, 7.0)])
    binner = FeatureBinner().fit(X)
    assert [b.n_value_bins for b in binner.bins_] == [1, 1]
    codes = binner.transform(np.array([[1.0, 100.0], [np.nan, np.nan]]))
    np.testing.assert_array_equal(codes, [[0, 0], [1, 1]])


def test_categorical_levels_missing_and_unseen():
    X = pd.DataFrame({"colour": pd.Categorical(["red", "blue", None, "red"]), "size": [1.0, 2.0, 3.0, 4.0]})
    binner = FeatureBinner().fit(X)
    bins = binner.bins_[0]
    assert list(bins.categories) == ["blue", "red"]
    new = pd.DataFrame({"colour": ["red", "green", None], "size": [1.0, 2.0, 3.0]})
    with pytest.warns(UserWarning, match="not seen in training.*green"):
        codes = binner.transform(new)
    np.testing.assert_array_equal(codes[:, 0], [1, bins.unseen_bin, bins.missing_bin])
    with pytest.raises(ValueError, match="not seen in training"):
        binner.set_params(handle_unknown="error").transform(new)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        binner.set_params(handle_unknown="ignore").transform(new)


def test_too_many_levels_names_the_parameter():
    X = pd.DataFrame({"zip": [f"z{i}" for i in range(300)]})
    with pytest.raises(ValueError, match="'zip' has 300 levels.*max_categories"):
        FeatureBinner().fit(X)


def test_too_many_levels_of_numbers_written_as_text_says_how_to_convert():
    # a numeric column read from a file with a text marker ("N/A") is text: the plain advice to group rare
    # levels missed the cause
    values = np.array([str(v) for v in np.arange(300) / 10] + ["N/A"], dtype=object)
    with pytest.raises(ValueError, match=r"others \['N/A'\]: if it is numeric, convert it with "
                                         r"pd.to_numeric\(X\['income'\], errors='coerce'\)"):
        FeatureBinner().fit(pd.DataFrame({"income": values}))
    with pytest.raises(ValueError) as zips:  # text levels get no such hint
        FeatureBinner().fit(pd.DataFrame({"zip": [f"z{i}" for i in range(300)]}))
    assert "to_numeric" not in str(zips.value)


def test_wrong_number_of_columns_at_transform():
    binner = FeatureBinner().fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match="3 features"):
        binner.transform(np.ones((4, 2)))


def test_feature_names_must_match():
    binner = FeatureBinner().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))
    with pytest.raises(ValueError, match="feature names"):
        binner.transform(pd.DataFrame({"b": [1.0], "c": [2.0]}))


def test_infinity_is_rejected_with_the_column_name():
    with pytest.raises(ValueError, match=r"infinity in columns \['x1'\]"):
        FeatureBinner().fit(np.array([[1.0, np.inf], [2.0, 3.0]]))


@parametrize_with_checks([FeatureBinner()])
def test_binner_follows_the_sklearn_contract(estimator, check):
    check(estimator)


def _reference_categorical_codes(train, weights, test):
    """Codes of one categorical column by plain Python: sorted levels of weighted rows, then missing, unseen."""
    levels = sorted({v for v, w in zip(train, weights) if w > 0 and not pd.isna(v)}, key=lambda v: (type(v).__name__, v))
    position = {level: code for code, level in enumerate(levels)}
    missing_bin, unseen_bin = len(levels), len(levels) + 1
    return [missing_bin if pd.isna(v) else position.get(v, unseen_bin) for v in test]


def test_codes_of_mixed_frame_match_plain_python_reference():
    rng = np.random.RandomState(0)
    n = 300

    def frame(rows, extra_levels):
        words = np.array(["b", "a", "c", None] + extra_levels, dtype=object)
        pick = lambda: words[rng.randint(0, len(words), rows)]
        return pd.DataFrame(
            {
                "obj": pick(),
                # unused categories and a training level seen only in zero-weight rows must not become levels
                "cat": pd.Categorical(pick(), categories=["zz", "a", "b", "c"] + extra_levels),
                "text": pd.array(pick(), dtype="string"),
                "intcat": pd.Categorical(rng.choice([3, 1, 2], rows)),
                "num": np.where(rng.rand(rows) < 0.1, np.nan, rng.randn(rows)),
            }
        )

    train, test = frame(n, []), frame(120, ["new"])
    train.loc[:9, ["obj", "text"]] = "only-weightless"
    train["cat"] = train["cat"].astype(pd.CategoricalDtype(list(train["cat"].cat.categories) + ["only-weightless"]))
    train.loc[:9, "cat"] = "only-weightless"
    weights = np.ones(n)
    weights[:10] = 0.0
    binner = FeatureBinner(handle_unknown="ignore").fit(train, sample_weight=weights)
    as_objects = FeatureBinner(handle_unknown="ignore").fit(train.astype(object).to_numpy(), sample_weight=weights)
    for data in (train, test):
        codes = binner.transform(data)
        np.testing.assert_array_equal(codes, as_objects.transform(data.astype(object).to_numpy()))
        for j, name in enumerate(["obj", "cat", "text", "intcat"]):
            expected = _reference_categorical_codes(train[name].astype(object), weights, data[name].astype(object))
            np.testing.assert_array_equal(codes[:, j], expected, err_msg=name)
    assert "only-weightless" not in binner.bins_[1].categories
    np.testing.assert_array_equal(binner.has_missing_, [True, True, True, False, True])
    assert (binner.transform(test)[:, 1] == binner.bins_[1].unseen_bin).any()


def test_binner_names_its_output_columns_and_takes_set_output():
    # a public transformer must work in pipelines asked for pandas output (docs/inputs.rst recommends it)
    pd = pytest.importorskip("pandas")
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(50, 10, 200), "region": pd.Categorical(rng.choice(list("NSE"), 200))})
    y = (X["age"] > 50).astype(int)
    binner = FeatureBinner(max_bins=8).fit(X)
    assert list(binner.get_feature_names_out()) == ["age", "region"]
    out = FeatureBinner(max_bins=8).set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == ["age", "region"]
    np.testing.assert_array_equal(out.to_numpy(), binner.transform(X))
    make_pipeline(FeatureBinner(), LogisticRegression()).set_output(transform="pandas").fit(X, y)
    both = make_column_transformer((FeatureBinner(), ["age"]), remainder="drop").set_output(transform="pandas")
    assert list(both.fit_transform(X).columns) == ["featurebinner__age"]
    assert list(FeatureBinner().fit(X.to_numpy()[:, :1].astype(float)).get_feature_names_out()) == ["x0"]


@pytest.mark.parametrize("low, high, expected", [
    (44, 45, 45.0), (3.7, 4.2, 4.0), (25.297710, 25.301957846874807, 25.3), (28.314506, 28.32590012424439, 28.32),
    (-0.3, 0.2, 0.0), (-5.5, -5.2, -5.4), (1e-7, 1.3e-7, 1.1e-7), (0.1, 0.30000000000000004, 0.2),
    (1.0, np.nextafter(1.0, 2.0), np.nextafter(1.0, 2.0)), (-1e300, -1e299, -6e299), (0.15, 0.25, 0.2),
    (0.22, 0.24, 0.23), (0.2, 0.21, 0.205), (39, 50, 50.0), (-1.5, -1.0, -1.0), (0.2, 0.25, 0.25),
])
def test_shortest_decimal_between(low, high, expected):
    assert shortest_decimal_between(low, high) == expected


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, st.integers(2, 60), elements=st.floats(-1e6, 1e6, allow_nan=False)),
       st.integers(2, 12))
def test_thresholds_split_the_training_values_as_observed_values_would(values, max_bins):
    # a threshold t replaces the observed value v it starts a bin at: x >= t and x >= v agree on every training value
    thresholds = quantile_thresholds(values, np.ones(len(values)), max_bins)
    distinct = np.unique(values)
    for t in thresholds:
        observed = distinct[distinct >= t].min()
        np.testing.assert_array_equal(values >= t, values >= observed)
        below = distinct[distinct < t].max()
        # a cut is never longer than an observed value it may stand on (one exactly a float32, such as an integer);
        # otherwise it lies inside the gap, at most one decimal place finer than the finer of the two values
        if float(np.float32(observed)) == observed:
            assert _significant_digits(t) <= _significant_digits(observed)
        elif observed - below > 4 * np.spacing(np.float32(max(abs(below), abs(observed)))):
            assert below < t < observed
            assert _last_digit(t) >= min(_last_digit(below), _last_digit(observed)) - 1


def _significant_digits(value):
    return len(Decimal(repr(float(value))).normalize().as_tuple().digits)


def _last_digit(value):
    return Decimal(repr(float(value))).normalize().as_tuple().exponent


def test_unseen_categories_are_warned_of_in_the_users_terms():
    """A binner's warning says the code unseen categories get; a condition generator's, that no condition
    on the feature holds for them: neither speaks of an "unseen-category bin" its user never sees."""
    from glassbox import ConditionGenerator

    X = pd.DataFrame({"my city": ["a", "b"] * 5, "size": np.arange(10.0)})
    new = pd.DataFrame({"my city": ["zz"], "size": [1.0]})
    binner = FeatureBinner().fit(X)
    unseen = binner.bins_[0].unseen_bin
    with pytest.warns(UserWarning, match=rf"\['zz'\]; they are coded {unseen}, the feature's code for categories "
                                         r"not seen in training\.$"):
        binner.transform(new)
    generator = ConditionGenerator().fit(X)
    effect = r"they satisfy no condition on it \(my city == <level> is 0 at every level\)"
    with pytest.warns(UserWarning, match=rf"\['zz'\]; {effect}\.$") as caught:
        generator.transform(new)
    assert all("bin" not in str(w.message) for w in caught)
    with pytest.raises(ValueError, match=rf"handle_unknown='warn' or 'ignore' to accept them: {effect}\."):
        generator.set_params(handle_unknown="error").fit(X).transform(new)
