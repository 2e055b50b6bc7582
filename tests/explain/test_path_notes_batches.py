"""A rule list's notes on a large batch: each distinct failure of a condition is formatted once, and every
row's note reads as when the row is explained alone (missing values, pandas.NA and unseen levels included)."""

import warnings

import numpy as np
import pandas as pd
from explain_fixtures import credit_applicants

from glassbox import BayesianRuleListClassifier
from glassbox.explain import decision_path


def test_a_batch_formats_each_failure_once_and_each_note_as_its_row_alone(monkeypatch):
    X, y = credit_applicants()
    X = X.assign(purpose=X["purpose"].astype(object))
    X.iloc[::9, 0] = np.nan  # age missing in training too: "age is missing" conditions
    model = BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1).fit(X, y)
    batch = X.iloc[np.arange(20000) % len(X)].reset_index(drop=True)
    batch.loc[::13, "purpose"] = pd.NA
    batch.loc[::17, "purpose"] = "boat"  # unseen in training
    calls = []
    failure_text = decision_path.failure_text
    monkeypatch.setattr(decision_path, "failure_text", lambda *args: calls.append(args) or failure_text(*args))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unseen level and the missing values it had none of
        local = model.explain_local(batch)
        notes = tuple(local.notes)
        formatted = len(calls)
        alone = {i: model.explain_local(batch.iloc[[i]]).notes[0] for i in [0, 9, 13, 17, 221, 19999]}
    assert any("skipped" in note for note in notes)
    # a failure is one condition and one value: at most the distinct values of the training rows, per condition,
    # with the missing ones (never found again as keys) formatted each time
    n_conditions = sum(len(rule) for rule in local.decision_path.rules)
    n_missing = int(batch.isna().any(axis=1).sum())
    assert formatted <= n_conditions * (len(X) + 2) + n_missing * n_conditions < len(batch)
    for i, note in alone.items():
        assert notes[i] == note
