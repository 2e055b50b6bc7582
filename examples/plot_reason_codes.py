"""Reason codes for declined credit applicants, exactly the model's.

A lender must tell a declined applicant the principal reasons for the decision
(US Regulation B, 12 CFR 1002.9).  With a glass-box model the reasons are read
from its own additive terms: :func:`~glassbox.explain.reason_codes` compares
each term's contribution for the applicant with the best contribution among
reference applicants (``method="max"``) or their average (``method="mean"``)
and ranks the terms that pushed the decision furthest toward "bad credit".
We fit a GAM and a risk score, print the reasons of a few declined applicants,
check that the shortfalls add up to the gap in the score, and plot one
applicant's shortfalls.

Data: the German credit data from ``../shared/datasets`` when present (its
one-hot columns folded back into categorical features, whose levels keep the
data set's numeric codes); otherwise a synthetic credit table, so the example
always runs.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from glassbox import GAMClassifier, RiskScoreClassifier  # noqa: E402
from glassbox.explain import reason_codes  # noqa: E402
from glassbox.plotting import ReasonCodesDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)
GERMAN_CREDIT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "german_credit.csv"


def fold_one_hot(raw):
    """Columns ``stem_<code>`` of 0/1 become one categorical column ``stem`` with levels ``code <code>``."""
    stems = {}
    for column in raw.columns:
        stem, _, code = column.rpartition("_")
        if stem and code.replace(".", "", 1).isdigit():
            stems.setdefault(stem, []).append(column)
    frame = raw.drop(columns=[column for columns in stems.values() for column in columns])
    for stem, columns in stems.items():
        codes = raw[columns].idxmax(axis=1).str.rpartition("_")[2].str.removesuffix(".0")
        frame[stem] = pd.Categorical("code " + codes)
    return frame


def credit_data(n=1000, seed=0):
    """German credit (its target ``good``, 1 = repaid, read as "good" / "bad") or a synthetic stand-in."""
    if GERMAN_CREDIT.exists():
        raw = pd.read_csv(GERMAN_CREDIT)
        return fold_one_hot(raw.drop(columns="good")), np.where(raw["good"] == 1, "good", "bad")
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "duration": rng.integers(6, 72, n).astype(float),
        "credit_amount": np.round(rng.lognormal(7.8, 0.8, n)),
        "age": rng.integers(19, 76, n).astype(float),
        "checking_status": pd.Categorical(rng.choice(["overdrawn", "low", "high", "none"], n)),
        "savings_status": pd.Categorical(rng.choice(["none", "low", "high"], n)),
    })
    logit = (1.5 - 0.03 * X["duration"] - 1.5e-4 * X["credit_amount"] + 0.02 * X["age"]
             - 1.2 * (X["checking_status"] == "overdrawn") + 0.6 * (X["savings_status"] == "high"))
    return X, np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-logit)), "good", "bad")


X, y = credit_data()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %% A GAM of main effects; "bad" (credit not repaid) is the adverse outcome.
gam = GAMClassifier(interactions=0, random_state=0).fit(X_train, y_train)
declined = X_test[gam.predict(X_test) == "bad"]
print(f"{len(declined)} of {len(X_test)} test applicants declined")

# %% The principal reasons of three declined applicants, against the best points among the training
# applicants.  Each shortfall is in log-odds, exactly the model's: the applicant's contribution and the
# best one are both read from gam.explain_local.
codes = reason_codes(gam, declined.head(3), reference=X_train, adverse="bad", n_reasons=4)
print(codes)

# %% "Best" is the best contribution observed in the reference.  It may belong to a value few applicants
# have (a rare level the GAM scores high): count the training applicants who earn the first reason's best.
top = codes.ranked[0, 0]
earned = gam.explain_local(X_train).contributions[:, top] == codes.reference[top]
print(f"best '{codes.names[top]}' contribution earned by {earned.sum()} of {len(X_train)} training applicants, "
      f"with {codes.names[top]} in {sorted(map(str, X_train.loc[earned, codes.names[top]].unique()))}")

# %% The same against the average applicant (the Regulation B commentary's method with all applicants).
print(reason_codes(gam, declined.head(3), reference=X_train, adverse="bad", method="mean").to_text(max_rows=1))

# %% A table for the letters: one row per applicant and reason, indexed like X (so it joins back to it).
frame = reason_codes(gam, declined, reference=X_train, adverse="bad").to_frame()
print(frame[["rank", "reason", "value", "shortfall"]].head(8).round(3).to_string())
print("most frequent principal reason:", frame[frame["rank"] == 1]["reason"].value_counts().head(3).to_dict())

# %% The shortfalls of all terms add up to the gap between the best profile's score and the applicant's.
total = codes.shortfall.sum(axis=1)
gap = codes.sign * (codes.reference_decision - codes.decision)
assert np.allclose(total, gap, rtol=1e-12, atol=1e-12)
print("shortfalls add up to the score gap:", np.round(total, 4).tolist())

# %% A risk score gives its reasons in points; by="feature" adds up the conditions on one feature.  These are
# the rows the GAM declined: the scorecard may approve one of them ("predicted good"), and its reasons then still
# list the points that row falls short of the best by.
card = RiskScoreClassifier(max_features=5).fit(X_train, y_train)
print(card.explain_global())
print(reason_codes(card, declined.head(2), reference=X_train, adverse="bad", by="feature"))

# %% One applicant's shortfalls, largest first: the top ones (red, numbered) are the reasons a letter gives.
display = ReasonCodesDisplay.from_reason_codes(codes, row=0)
fig = display.figure_
fig.savefig(OUTPUT / "reason_codes_shortfalls.png", dpi=120)
