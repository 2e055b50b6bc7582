"""A feature name a parameter gives that differs from a column of X only by Unicode normalization, outer
whitespace or case is refused (names match exactly) with the column it was likely meant as."""

import unicodedata

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier

NFC = unicodedata.normalize("NFC", "Größe (cm)")
NFD = unicodedata.normalize("NFD", "Größe (cm)")


def _data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({NFC: rng.normal(size=60), "Ort": rng.choice(["a", "b"], 60)})
    return X, rng.integers(0, 2, 60)


@pytest.mark.parametrize("make, key, difference", [
    (lambda k: SparseLinearClassifier(monotonic_cst={k: 1}), NFD, "Unicode normalization"),
    (lambda k: GAMClassifier(monotonic_cst={k: 1}, max_rounds=5), NFC + " ", "leading/trailing whitespace"),
    (lambda k: GAMClassifier(interactions=[(k, "Ort")], max_rounds=5), NFD, "Unicode normalization"),
    (lambda k: GAMClassifier(categorical_features=[k], max_rounds=5), " ort", "letter case"),
])
def test_a_lookalike_key_names_the_feature_it_differs_from(make, key, difference):
    X, y = _data()
    with pytest.raises(ValueError, match="Unknown feature") as error:
        make(key).fit(X, y)
    message = str(error.value)
    assert "did you mean" in message and difference in message
    assert ascii(key) in message  # the two spelled in escapes, so the difference shows


def test_an_unrelated_key_gets_the_plain_message():
    X, y = _data()
    with pytest.raises(ValueError, match=r"Unknown feature 'wage' in monotonic_cst; known features are") as error:
        SparseLinearClassifier(monotonic_cst={"wage": 1}).fit(X, y)
    assert "did you mean" not in str(error.value)


def test_a_key_that_is_not_a_string_gets_the_plain_message():
    from glassbox.utils._feature_keys import unknown_feature_error
    error = unknown_feature_error(0, "reference_levels", ["Alter", "0"])
    assert str(error) == "Unknown feature 0 in reference_levels; known features are ['Alter', '0']."
