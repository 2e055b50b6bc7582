"""Class labels print one way in every printout: the header's list of classes, the prediction, P(class),
the units line, table headers and notes.

A label with a ", " in it printed bare makes ``(classes: bad, late, paid, ok, fine)`` read as five classes,
so such a label is quoted (as a text level is, ``level_text``); a float label 1.0 prints ``1`` everywhere,
not ``predicted 1`` beside ``P(1.0)`` and ``log-odds of 1.0``.
"""

import re

import numpy as np
import pandas as pd
import pytest

from explain_fixtures import PRINTOUT_FAMILIES

from glassbox import RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain._render import class_text

N = 300

FAMILIES = PRINTOUT_FAMILIES


def _data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=N), "b": rng.normal(size=N)})
    return X, rng


def _printouts(family, X, y):
    model = FAMILIES[family]().fit(X, y)
    glob, local = model.explain_global(), model.explain_local(X.iloc[:8])
    return [str(glob), glob._repr_html_(), str(local), local._repr_html_()]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_label_holding_a_comma_prints_quoted_everywhere(family):
    X, rng = _data()
    if family == "risk_score":  # binary only
        y = np.where(X["a"] + 0.3 * rng.normal(size=N) > 0, "late, paid", "ok")
        listed = "(classes: 'late, paid', ok)"
    else:
        y = np.where(X["a"] > 0.5, "bad", np.where(X["b"] > 0, "late, paid", "ok, fine"))
        listed = "(classes: bad, 'late, paid', 'ok, fine')"
    texts = _printouts(family, X, y)
    assert texts[0].splitlines()[0].endswith(listed)
    for text in texts:
        text = text.replace("&#x27;", "'")
        assert "late, paid" in text
        assert "late, paid" not in text.replace("'late, paid'", ""), family
        assert "ok, fine" not in text.replace("'ok, fine'", ""), family


# a class label 0.0 / 1.0 printed as a float: P(1.0), log-odds of 1.0, class 1.0, predicted 1.0, risk of 1.0
_FLOAT_LABEL = re.compile(r"(P\(|of |class |predicted |classes: |risk of |coef\[|score\[)[01]\.0\b")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_float_labels_print_as_the_predictions_do(family):
    X, rng = _data()
    y = (X["a"] + 0.5 * rng.normal(size=N) > 0).astype(float)
    texts = _printouts(family, X, y)
    for text in texts:
        assert not _FLOAT_LABEL.search(text), _FLOAT_LABEL.search(text).group()
    assert "(classes: 0, 1)" in texts[0]
    local = texts[2]
    assert re.search(r"predicted [01]\n", local) and "P(0)=" in local and "P(1)=" in local
    if family in ("linear", "gam", "rule_list", "decision_set"):
        assert "log-odds of 1" in local


def test_multiclass_float_labels_head_the_class_columns_as_printed():
    X, rng = _data()
    y = np.select([X["a"] > 0.5, X["b"] > 0], [2.0, 1.0], 0.0)
    model = SparseLinearClassifier(alpha=0.001).fit(X, y)
    local = str(model.explain_local(X.iloc[:3]))
    assert "class 0  class 1  class 2" in local and "P(2)=" in local
    assert "coef[2]" in str(model.explain_global())
    # to_frame keeps the labels as they are: its columns are data, not a printout
    assert "coef[2.0]" in model.explain_global().to_frame().columns


def test_class_text_is_level_text():
    assert [class_text(c) for c in ["bad", "late, paid", np.float64(1.0), 2.5, np.int64(3), "3", True]] == [
        "bad", "'late, paid'", "1", "2.5", "3", "'3'", "True"]


def test_reason_codes_print_labels_as_the_local_printout_does():
    from glassbox import reason_codes

    X, rng = _data()
    y = np.where(X["a"] + 0.5 * rng.normal(size=N) > 0, "late, paid", "ok")
    model = SparseLinearClassifier(alpha=0.001).fit(X, y)
    reasons = reason_codes(model, X.iloc[:4], reference=X, adverse="late, paid")
    text = str(reasons)
    assert "adverse outcome 'late, paid'" in text and "late, paid" not in text.replace("'late, paid'", "")
    assert repr(reasons) == ("<ReasonCodes of SparseLinearClassifier: 4 rows, adverse 'late, paid', "
                             "method 'max'>")
    card = RiskScoreClassifier().fit(X, (X["a"] + 0.5 * rng.normal(size=N) > 0).astype(float))
    text = str(reason_codes(card, X.iloc[:4], reference=X, adverse=1.0))
    assert "adverse outcome class 1\n" in text and "1.0" not in text
    assert re.search(r"predicted [01]\n", text)
