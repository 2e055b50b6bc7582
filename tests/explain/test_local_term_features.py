"""explain_local reads what each term reads (and a card's unearned conditions) from the fitted model, without
building its global explanation, and gives what the global form gives."""

import warnings

import pytest
from explain_fixtures import GLASSBOX_FAMILIES
from sklearn.ensemble import RandomForestClassifier

from glassbox import GAMClassifier
from glassbox.explain._term_features import term_features_of, unearned_missing_of
from glassbox.surrogate import DistilledClassifier

FAMILIES = {
    **GLASSBOX_FAMILIES,
    "distilled GAM": lambda: DistilledClassifier(RandomForestClassifier(n_estimators=10, random_state=0),
                                                 GAMClassifier(interactions=2, random_state=0), random_state=0),
}
TAKES_NO_MISSING = ("sparse linear", "distilled GAM")  # a linear model refuses NaN; the forest teacher too


@pytest.fixture(scope="module", params=list(FAMILIES))
def fitted(request, read_shared_csv):
    frame = read_shared_csv("heart.csv")
    X, y = frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()
    if request.param in TAKES_NO_MISSING:
        keep = X.notna().all(axis=1).to_numpy()
        X, y = X[keep], y[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        model = FAMILIES[request.param]().fit(X, y)
    return request.param, model, X


def test_explain_local_builds_no_global_explanation(fitted, monkeypatch):
    name, model, X = fitted
    built = []
    explain_global = model.explain_global
    monkeypatch.setattr(model, "explain_global", lambda: built.append(1) or explain_global())
    model.explain_local(X.iloc[:1])
    # a card's per-row lines (SCORE, risk) are its scorecard's own: it alone builds it, once
    assert len(built) == (1 if name == "risk score" else 0)


def test_what_the_terms_read_is_what_the_global_form_says(fitted):
    name, model, X = fitted
    rows = X.iloc[:40] if name in TAKES_NO_MISSING else X[X.isna().any(axis=1)]
    local = model.explain_local(rows)
    overall = model.explain_global()
    assert local.term_features == term_features_of(overall, local.term_names, local.feature_names)
    assert local.unearned_missing == unearned_missing_of(overall, rows, len(local.term_names))
    if name == "risk score":  # the rows that miss ca or thal leave a condition of the card unearned
        assert local.unearned_missing is not None and any(local.unearned_missing)
