"""An index that repeats a label names no row: rows are named by label and position, with a warning.

Two batches concatenated, each numbered from 0, give every label twice;
``X.loc[21]`` then finds two rows.  Local explanations, reason codes and the
fidelity report's worst rows must not print two different rows under one name.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.explain import reason_codes
from glassbox.surrogate import fidelity_report


def _two_batches():
    rng = np.random.default_rng(0)
    n = 120
    X = pd.DataFrame({"age": rng.normal(45, 10, n), "income": rng.normal(50, 15, n)})
    y = ((X["age"] - 45) / 10 + (X["income"] - 50) / 15 + rng.logistic(size=n) > 0).astype(int).to_numpy()
    batches = pd.concat([X.iloc[:60].reset_index(drop=True), X.iloc[60:].reset_index(drop=True)])
    return batches, y


def test_local_explanation_names_repeated_labels_by_position():
    X, y = _two_batches()
    model = SparseLinearClassifier().fit(X, y)
    with pytest.warns(UserWarning, match=r"repeats labels.*X\.iloc\[i\]"):
        local = model.explain_local(X.iloc[[21, 81]])  # both labelled 21
    assert local.row_labels == ("21 (position 0)", "21 (position 1)")
    lines = [line for line in local.to_text().splitlines() if line.startswith("row ")]
    assert lines[0].startswith("row 21 (position 0):") and lines[1].startswith("row 21 (position 1):")
    assert local.to_frame().index.unique().size == 2


def test_unique_index_keeps_labels_without_warning():
    X, y = _two_batches()
    X = X.reset_index(drop=True)
    model = SparseLinearClassifier().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        local = model.explain_local(X.iloc[[21, 81]])
    assert local.row_labels == (21, 81)


def test_reason_codes_and_worst_rows_name_each_row_once():
    X, y = _two_batches()
    model = SparseLinearClassifier().fit(X, y)
    with pytest.warns(UserWarning, match="repeats labels"):
        codes = reason_codes(model, X, reference=X, adverse=1)
    labels = codes.explanation.row_labels
    assert len(set(labels)) == len(X)
    assert labels[81] == "21 (position 81)"
    assert "row 21 (position 81): predicted" in codes.to_text(max_rows=None)

    student = GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y)
    with pytest.warns(UserWarning, match="repeats labels"):
        report = fidelity_report(model, student, X)
    worst = report.worst_rows_frame()["row"].tolist()
    assert worst and all(" (position " in str(label) for label in worst)
    for label in worst:  # the position in the name finds the row
        position = int(str(label).rsplit("position ", 1)[1].rstrip(")"))
        assert str(label).startswith(f"{X.index[position]} (")
