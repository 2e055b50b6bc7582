"""A multiclass local table is ordered on the predicted class's column relative to the mean of the classes.

A multinomial lasso leaves each term's median class coefficient at 0: on iris
the versicolor column is all zeros, so ordering on it raw said nothing.  The
order reads the centred column; the numbers printed stay the model's own.
"""

import numpy as np
import pytest

from glassbox import GAMClassifier


def printed_terms(explanation, row):
    _, rows = explanation._contribution_rows(row, None)
    return [r[0] for r in rows[1:-1]], rows


def test_lasso_table_orders_on_the_predicted_class_relative_to_the_others(iris_species, iris_lasso):
    X, _ = iris_species
    model = iris_lasso
    explanation = model.explain_local(X.iloc[[60, 100]])
    for row in range(2):
        k = int(np.argmax(explanation.decision[row]))
        c = explanation.contributions[row]
        centred = c[:, k] - c.mean(axis=1)
        used = [j for j in range(c.shape[0]) if np.any(c[j] != 0)]
        expected = [explanation.term_names[j] for j in sorted(used, key=lambda j: -abs(centred[j]))]
        names, rows = printed_terms(explanation, row)
        assert names == expected
        # the cells are still the model's own contributions (versicolor's raw column prints 0)
        for name, cells in zip(names, rows[1:-1]):
            j = explanation.term_names.index(name)
            assert [float(v) for v in cells[1:]] == pytest.approx(c[j], abs=0.01)
    # row 60 is versicolor at P = 0.97 with an all-zero raw column: petal width leads, not the first term
    assert printed_terms(explanation, 0)[0][0] == "petal width (cm)"
    assert "class versicolor" in str(explanation)


def test_gam_table_order_is_that_of_its_raw_column(iris_species):
    X, y = iris_species
    model = GAMClassifier(interactions=0, random_state=0).fit(X, y)
    explanation = model.explain_local(X.iloc[[60, 100]])
    for row in range(2):
        k = int(np.argmax(explanation.decision[row]))
        c = explanation.contributions[row, :, k]
        expected = [explanation.term_names[j] for j in np.argsort(-np.abs(c), kind="stable")
                    if np.any(explanation.contributions[row, j] != 0)]
        assert printed_terms(explanation, row)[0] == expected
