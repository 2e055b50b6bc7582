"""LocalSurrogate(round_whole_numbers=True) varies a column of whole numbers by whole numbers.

With that option, a column holding only whole numbers in training (an ``int`` dtype, or floats
such as ``3.0``: augmentation's notion of an integer column) is perturbed by
rounding each Gaussian draw to one of its two neighbouring whole numbers (the
nearer the likelier): a model that needs integers (a count, a grade, an age)
is never asked about 2.37.  Like every numeric draw, it is not clipped to the
training range (a one-sided neighbourhood at the data's edge bends the slope).
By default every numeric column is varied by real amounts, as lime does.
"""

import numpy as np
import pandas as pd
import pytest

from glassbox.surrogate import LocalSurrogate


def _people(n=500, seed=0):
    rng = np.random.RandomState(seed)
    return pd.DataFrame({
        "n_children": rng.randint(0, 5, n),                    # int64
        "age": rng.randint(18, 80, n).astype(float),           # whole floats
        "has_loan": (rng.random_sample(n) < 0.1).astype(int),  # a 0/1 int column, spread ~0.3
        "income": rng.normal(50.0, 10.0, n),                   # real
    })


def _strict(asked):
    """A linear model that, like many served models, refuses a non-integer count, age or flag."""
    def model(X):
        X = pd.DataFrame(X)
        for column in ("n_children", "age", "has_loan"):
            values = X[column].to_numpy(dtype=float)
            present = values[~np.isnan(values)]
            if not np.all(present == np.round(present)):
                raise ValueError(f"{column} must hold whole numbers")
        asked.append(X.copy())
        return (0.5 * X["n_children"] + 0.1 * X["age"] + 2.0 * X["has_loan"] - 0.03 * X["income"]).to_numpy(float)
    return model


def test_integer_columns_are_perturbed_by_whole_numbers():
    X = _people()
    asked = []
    explainer = LocalSurrogate(_strict(asked), task="regression", round_whole_numbers=True, random_state=0).fit(X)
    assert explainer.is_integer_.tolist() == [True, True, True, False]
    fits = explainer.local_fits(X.iloc[:4])
    perturbed = pd.concat(asked[1:])  # the first call is fit's pass over the training rows
    for column in ("n_children", "age", "has_loan"):
        values = perturbed[column].to_numpy(dtype=float)
        assert np.all(values == np.round(values))
        assert len(np.unique(values)) > 1  # varied, even the 0/1 column of spread 0.3
    assert perturbed["n_children"].dtype == np.int64  # sent in the training dtype
    income = perturbed["income"].to_numpy()
    assert not np.all(income == np.round(income))  # a real column is still varied by real amounts
    # a linear model is still recovered exactly, with a perfect local fit
    np.testing.assert_allclose(fits.coefficients, [[0.5, 0.1, 2.0, -0.03]] * 4, atol=1e-9)
    np.testing.assert_allclose(fits.weighted_r2, 1.0)
    np.testing.assert_allclose(fits.holdout_r2, 1.0)


def test_integer_draws_stay_centred_on_the_row():
    X = _people()
    asked = []
    LocalSurrogate(_strict(asked), task="regression", round_whole_numbers=True, n_samples=4000, n_holdout=0, random_state=0).fit(
        X).local_fits(X.iloc[[0]])
    perturbed = pd.concat(asked[1:])
    # the draws average to the row's own value (rounding at random to the two neighbours is unbiased), and
    # a count spread over less than one unit still varies
    assert abs(perturbed["age"].mean() - X["age"].iloc[0]) < 0.7
    rare = X.assign(n_children=np.where(np.arange(len(X)) % 20 == 0, 2, np.where(np.arange(len(X)) % 20 == 1, 1, 0)))
    assert rare["n_children"].std() < 0.5  # a count spread over less than one unit, not a 0/1 flag
    asked.clear()
    LocalSurrogate(_strict(asked), task="regression", round_whole_numbers=True, n_samples=4000, n_holdout=0, random_state=0).fit(
        rare).local_fits(rare.iloc[[5]])  # a row with no children
    counts = pd.concat(asked[1:])["n_children"]
    assert (counts != 0).mean() > 0.1 and abs(counts.mean()) < 0.05  # varied, and centred on the row's 0


def test_a_column_of_zeros_and_ones_is_drawn_as_a_flag():
    X = _people()
    asked = []
    explainer = LocalSurrogate(_strict(asked), task="regression", round_whole_numbers=True, n_samples=4000, n_holdout=0, random_state=0).fit(X)
    assert explainer.is_flag_.tolist() == [False, False, True, False]
    fits = explainer.local_fits(X.iloc[[0]])
    flags = pd.concat(asked[1:])["has_loan"]
    assert set(flags) == {0, 1}  # never -1 or 2, as rounded Gaussian draws would ask
    assert abs(flags.iloc[1:].mean() - X["has_loan"].mean()) < 0.02  # drawn with the training share of 1
    np.testing.assert_allclose(fits.coefficients[0], [0.5, 0.1, 2.0, -0.03], atol=1e-9)


def test_draws_are_not_clipped_to_the_training_range():
    X = _people()
    asked = []
    explainer = LocalSurrogate(_strict(asked), task="regression", round_whole_numbers=True, random_state=0).fit(X)
    at_zero = X.iloc[[int(np.argmax(X["n_children"].to_numpy() == 0))]]
    fits = explainer.local_fits(at_zero)
    perturbed = pd.concat(asked[1:])["n_children"]
    # a symmetric neighbourhood, as a real column's: below the row as often as above it
    assert (perturbed < 0).mean() > 0.3 and (perturbed > 0).mean() > 0.3
    np.testing.assert_allclose(fits.coefficients[0], [0.5, 0.1, 2.0, -0.03], atol=1e-9)


def test_missing_values_stay_missing_in_a_whole_float_column():
    X = _people()
    X.loc[::7, "age"] = np.nan
    asked = []

    def model(Z):
        ages = Z["age"].to_numpy(dtype=float)
        present = ages[~np.isnan(ages)]
        assert np.all(present == np.round(present))
        asked.append(Z)
        return np.nan_to_num(ages, nan=40.0) * 0.1 + 0.5 * Z["n_children"].to_numpy(float)

    explainer = LocalSurrogate(model, task="regression", round_whole_numbers=True, random_state=0).fit(X)
    assert explainer.is_integer_[1]
    fits = explainer.local_fits(X.iloc[:2])  # row 0 has a missing age: held missing
    per_row = len(asked[-1]) // 2
    assert asked[-1]["age"].iloc[:per_row].isna().all()
    assert asked[-1]["age"].iloc[per_row:].notna().all()
    assert fits.coefficients[0, 1] == 0.0
    assert fits.coefficients[1, 1] == pytest.approx(0.1)


def test_a_numpy_array_of_whole_numbers_is_integer_too():
    rng = np.random.RandomState(1)
    X = np.column_stack([rng.randint(0, 10, 300), rng.normal(size=300)]).astype(float)
    asked = []

    def model(Z):
        assert np.all(Z[:, 0] == np.round(Z[:, 0]))
        asked.append(Z)
        return 3.0 * Z[:, 0] + Z[:, 1]

    explainer = LocalSurrogate(model, task="regression", round_whole_numbers=True, random_state=0).fit(X)
    assert explainer.is_integer_.tolist() == [True, False]
    np.testing.assert_allclose(explainer.local_fits(X[:3]).coefficients, [[3.0, 1.0]] * 3, atol=1e-9)


def test_draws_beyond_a_small_integer_dtype_reach_the_model_as_numbers_not_wrapped():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"u": rng.randint(0, 4, 300).astype("uint8"), "i8": rng.choice([-120, 0, 120], 300).astype("int8"),
                      "x": rng.normal(size=300)})
    asked = []

    def model(Z):
        asked.append(Z)
        return Z["u"].to_numpy(float) + 0.01 * Z["i8"].to_numpy(float) + Z["x"].to_numpy()

    fits = LocalSurrogate(model, task="regression", round_whole_numbers=True, random_state=0).fit(X).local_fits(X.iloc[:3])
    perturbed = pd.concat(asked[1:])
    assert perturbed["u"].min() < 0 and perturbed["i8"].max() > 127  # -1 is not sent as 255, nor 130 as -126
    np.testing.assert_allclose(fits.coefficients, [[1.0, 0.01, 1.0]] * 3, atol=1e-9)


def test_by_default_whole_number_columns_are_varied_by_real_amounts_and_the_failure_names_the_option():
    X = _people()
    explainer = LocalSurrogate(_strict([]), task="regression", random_state=0).fit(X)
    assert not explainer.is_integer_.any()
    assert explainer.is_flag_.tolist() == [False, False, False, False]  # a 0/1 int column is a number
    with pytest.raises(ValueError, match=r"must hold whole numbers.*round_whole_numbers=True"):
        explainer.local_fits(X.iloc[:2])
    asked = []
    fits = LocalSurrogate(lambda rows: (asked.append(rows.copy()), 0.5 * rows["n_children"] + rows["income"])[1],
                          task="regression", random_state=0).fit(X).local_fits(X.iloc[:2])
    children = pd.concat(asked[1:])["n_children"].to_numpy(dtype=float)
    assert not np.all(children == np.round(children))
    np.testing.assert_allclose(fits.coefficients[:, [0, 3]], [[0.5, 1.0]] * 2, atol=1e-9)


def test_a_pickle_written_before_the_option_explains_as_it_did():
    # Written before round_whole_numbers, is_integer_ and is_flag_ existed: loading it gave AttributeErrors.
    X = _people()
    explainer = LocalSurrogate(lambda rows: 0.5 * rows["n_children"] + rows["income"], task="regression",
                               random_state=0).fit(X)
    state = explainer.__getstate__()
    for name in ("round_whole_numbers", "is_integer_", "is_flag_"):
        del state[name]
    old = LocalSurrogate.__new__(LocalSurrogate)
    old.__setstate__(state)
    assert "LocalSurrogate(" in repr(old) and old.round_whole_numbers is False
    np.testing.assert_array_equal(old.explain_local(X.iloc[:3]).contributions,
                                  explainer.explain_local(X.iloc[:3]).contributions)
