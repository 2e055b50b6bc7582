"""pos_label names the class a binary rule list prints the probability of; the list itself is unchanged."""

import json
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.metrics import roc_auc_score

from glassbox import BayesianRuleListClassifier, LocalExplanation, from_json, reason_codes

SEARCH = {"n_iter": 1500, "n_chains": 4, "random_state": 0}


def _fit(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short chains may disagree (R-hat): the lists compared are the same search's
        return BayesianRuleListClassifier(**SEARCH, **params).fit(X, y)


@pytest.fixture(scope="module")
def tumours():
    """"benign" sorts first, so classes_[1] is "malignant"."""
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:, :6], y.map({0: "malignant", 1: "benign"})


@pytest.fixture(scope="module")
def lists(tumours):
    X, y = tumours
    return _fit(X, y, pos_label="benign", class_weight="balanced"), _fit(X, y == "benign", class_weight="balanced")


def test_first_class_as_event_is_the_list_of_the_recoded_target(tumours, lists):
    X, y = tumours
    benign, recoded = lists
    assert list(benign.classes_) == ["benign", "malignant"]
    assert benign.term_names_ == recoded.term_names_
    assert np.array_equal(benign.rule_intervals_[:, :, ::-1], recoded.rule_intervals_)
    assert np.array_equal(benign.rule_class_weights_[:, ::-1], recoded.rule_class_weights_)
    np.testing.assert_allclose(benign.rule_probabilities_[:, ::-1], recoded.rule_probabilities_, rtol=0, atol=2e-16)
    np.testing.assert_allclose(benign.predict_proba(X)[:, ::-1], recoded.predict_proba(X), rtol=0, atol=2e-16)
    # the decision function stays the log-odds of classes_[1], so scikit-learn's metrics read it right
    assert np.array_equal(benign.decision_function(X), -recoded.decision_function(X))
    auc = roc_auc_score(y, benign.decision_function(X))
    assert auc > 0.8 and auc == roc_auc_score(y, benign.predict_proba(X)[:, 1])


def test_printed_list_and_json_give_the_probability_of_the_event(tumours, lists):
    X, _ = tumours
    benign, _ = lists
    listing = benign.explain_global()
    text = str(listing)
    assert text.count("P(benign) = ") == len(benign.rules_) + 1 and "P(malignant) = " not in text
    assert "they understate the real rate of benign" in text  # balanced weights: benign is the common class
    first = f"P(benign) = {benign.rule_probabilities_[0, 0]:.3g}"
    assert first in text.splitlines()[3], text
    payload = json.loads(listing.to_json())
    assert payload["content"]["pos_label"] == "benign"
    loaded = from_json(listing.to_json())
    assert loaded == listing and loaded.pos_label == "benign" and str(loaded) == text
    assert np.array_equal(loaded.predict_proba(X), benign.predict_proba(X))
    page = listing._repr_html_()  # a table whose probability column is the event's
    assert ">P(benign) [95% credible interval]</th>" in page and "P(malignant)" not in page
    local = benign.explain_local(X.iloc[:10])
    assert np.array_equal(local.base_value + local.contributions.sum(axis=1), benign.decision_function(X.iloc[:10]))


def _tables(text):
    """The contribution tables of a local explanation's printout (header to total line, each row's), each line's
    cells joined by one space and rules left out (a longer total name widens its column)."""
    lines, keep = [], False
    for line in text.splitlines():
        keep = keep or line.strip().startswith("term ")
        if keep and not line.strip().startswith("-"):
            lines.append(" ".join(line.split()))
        keep = keep and not line.strip().startswith("= ")
    return lines


def test_local_views_read_toward_the_event_as_the_recoded_lists_do(tumours, lists):
    """pos_label=classes_[0]: the printout, reason codes and waterfall give the log-odds of the event, as the
    recoded target's list does; the arrays still add up to decision_function."""
    import matplotlib

    matplotlib.use("Agg")
    from glassbox.plotting import LocalContributionDisplay

    X, _ = tumours
    benign, recoded = lists
    rows = X.iloc[:30]
    ours, theirs = benign.explain_local(rows), recoded.explain_local(rows)
    assert ours.pos_label == "benign" and ours.orientation == -1 and theirs.orientation == 1
    assert np.array_equal(ours.contributions, -theirs.contributions)
    assert np.array_equal(ours.base_value + ours.contributions.sum(axis=1), benign.decision_function(rows))
    text = ours.to_text(max_rows=None)
    assert _tables(text) == _tables(theirs.to_text(max_rows=None).replace("log-odds of True", "log-odds of benign"))
    first = f"decision_function = -(log-odds of benign) = {ours.decision[0]:.4g}: scikit-learn's orientation"
    assert first in text and "log-odds of malignant" not in text
    loaded = LocalExplanation.from_json(ours.to_json())
    assert loaded == ours and loaded.pos_label == "benign" and loaded.to_text(max_rows=None) == text

    for adverse in ("benign", "malignant"):
        codes = reason_codes(benign, rows, reference=X, adverse=adverse)
        expected = reason_codes(recoded, rows, reference=X, adverse=adverse == "benign")
        for name in ("contributions", "reference", "shortfall", "ranked", "decision"):
            assert np.array_equal(getattr(codes, name), getattr(expected, name)), name
        assert codes.orientation == -1 and "contributions add up to log-odds of benign" in str(codes)

    display = LocalContributionDisplay.from_explanation(ours, row=0)
    expected = LocalContributionDisplay.from_explanation(theirs, row=0)
    assert [bar.get_width() for bar in display.bars_] == [bar.get_width() for bar in expected.bars_]
    assert display.ax_.get_xlabel().startswith("log-odds of benign\n(decision_function = -(log-odds of benign)")
    assert f"P(benign) = {benign.predict_proba(rows.iloc[[0]])[0, 0]:.3f}" in display.ax_.get_title()
    matplotlib.pyplot.close("all")


def test_default_event_is_the_second_class_and_writes_no_field(tumours):
    X, y = tumours
    default, named = _fit(X, y), _fit(X, y, pos_label="malignant")
    assert default.explain_global().to_json() == named.explain_global().to_json()
    payload = json.loads(default.explain_global().to_json())
    assert "pos_label" not in payload["content"]  # older payloads read the same: P(classes[1])
    loaded = from_json(json.dumps(payload))
    assert loaded.pos_label is None and "P(malignant) = " in str(loaded)


def test_unknown_event_is_refused_naming_the_classes(tumours):
    X, y = tumours
    with pytest.raises(ValueError, match=r"pos_label='tumour' is not a class of y \(classes: \['benign', 'malignant'\]\)"):
        BayesianRuleListClassifier(n_iter=10, pos_label="tumour").fit(X, y)


def test_multiclass_list_has_no_single_event():
    X, y = load_iris(return_X_y=True, as_frame=True)
    with pytest.raises(ValueError, match=r"pos_label=2 names the event of a binary target, but y has 3 classes"):
        BayesianRuleListClassifier(n_iter=10, pos_label=2).fit(X, y)
