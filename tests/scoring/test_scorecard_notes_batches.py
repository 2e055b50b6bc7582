"""A risk score's local explanation of a large batch: each row's "why" line is the one it gets alone, and rows
of one SCORE share one line rather than each holding a copy (a million rows have a few dozen lines)."""

import warnings

import numpy as np
import pandas as pd

from glassbox import RiskScoreClassifier


def _applicants(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float), "debt": rng.uniform(0, 1, n),
                      "purpose": rng.choice(["car", "tv", "edu"], n)})
    y = ((X["debt"] > 0.6) | (X["age"] < 25) | (X["purpose"] == "edu") & (rng.random(n) < 0.5)).astype(int)
    return X, y.to_numpy()


def test_rows_of_one_score_share_one_line_and_each_reads_as_explained_alone():
    X, y = _applicants()
    model = RiskScoreClassifier(max_features=3).fit(X, y)
    batch = X.iloc[np.arange(20000) % len(X)].reset_index(drop=True)
    batch.loc[::7, "age"] = np.nan  # unearned conditions make lines of their own
    batch.loc[::5, "purpose"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing values the card had none of in training
        notes = model.explain_local(batch).notes
        alone = {i: model.explain_local(batch.iloc[[i]]).notes[0] for i in [0, 1, 5, 7, 35, 19999]}
    assert any("not earned" in note for note in notes) and any("not earned" not in note for note in notes)
    assert len({id(note) for note in notes}) == len(set(notes)) < 100
    for i, note in alone.items():
        assert notes[i] == note
