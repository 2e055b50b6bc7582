"""A sparse, sign-constrained credit model: path, coefficient table, one applicant.

A lender wants a logistic model of "good credit" that a reviewer can read in one
screen: few terms, coefficients in the units of the application form, and signs
that agree with policy (a longer loan or a larger amount never *raises* the
score; age never lowers it).  :class:`~glassbox.SparseLinearClassifierCV`
fits the lasso path with warm starts, picks the penalty by cross-validation,
and keeps the signs exactly.  We then compare with a best-subset (L0) model of
five terms, print the coefficient table, and explain one applicant relative to
an average applicant.

Data: the German credit data from ``../shared/datasets`` when present (its
one-hot columns are folded back into readable categorical features); otherwise
a synthetic credit table of the same shape, so the example always runs.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import glassbox  # noqa: E402
from glassbox import SparseLinearClassifier, SparseLinearClassifierCV  # noqa: E402
from glassbox.plotting import CoefficientDisplay, LocalContributionDisplay, RegularizationPathDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "german_credit.csv"


def load_credit():
    """German credit with one-hot groups folded back into categorical columns."""
    if not DATA.exists():
        return synthetic_credit()
    raw = pd.read_csv(DATA)
    y = raw.pop("good")
    frame = pd.DataFrame(index=raw.index)
    groups = {}
    for column in raw.columns:
        stem, _, level = column.rpartition("_")
        if stem and level.replace(".", "").isdigit() and set(raw[column].unique()) <= {0, 1}:
            groups.setdefault(stem, []).append((column, f"level {level.split('.')[0]}"))
        else:
            frame[column] = raw[column]
    for stem, members in groups.items():
        codes = raw[[c for c, _ in members]].to_numpy().argmax(axis=1)
        frame[stem] = pd.Categorical([members[c][1] for c in codes])
    return frame, y


def synthetic_credit(n=1000, seed=0):
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({
        "duration": rng.randint(6, 60, n).astype(float),
        "credit_amount": rng.lognormal(8, 0.7, n),
        "age": rng.randint(19, 75, n).astype(float),
        "checking_status": pd.Categorical(rng.choice(["none", "negative", "low", "high"], n)),
        "purpose": pd.Categorical(rng.choice(["car", "furniture", "education", "business"], n)),
    })
    score = 1.0 - 0.03 * frame["duration"] - 1e-4 * frame["credit_amount"] + 0.02 * frame["age"]
    score += np.where(frame["checking_status"] == "negative", -1.0, 0.0)
    return frame, (score + rng.logistic(size=n) > 0).astype(int)


X, y = load_credit()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
policy = {"duration": -1, "credit_amount": -1, "age": 1}

# %% Lasso with signs fixed by policy; alpha by 5-fold cross-validation over a 30-point path.
cv_model = SparseLinearClassifierCV(n_alphas=30, cv=5, monotonic_cst=policy).fit(X_train, y_train)
auc = roc_auc_score(y_test, cv_model.predict_proba(X_test)[:, 1])
print(f"lasso: alpha={cv_model.alpha_:.4g}, {cv_model.n_nonzero_} of {len(cv_model.term_names_)} terms, "
      f"test AUC {auc:.3f}")

# %% Best subset of five terms (L0 with a small ridge term), same sign constraints.
l0_model = SparseLinearClassifier(penalty="l0", alpha=0.0, ridge_alpha=1e-3, max_features=5,
                                  monotonic_cst=policy).fit(X_train, y_train)
auc_l0 = roc_auc_score(y_test, l0_model.predict_proba(X_test)[:, 1])
print(f"best subset of 5 terms: test AUC {auc_l0:.3f}")

# %% The coefficient table is the model: original units, standardized size, constraint, nonzero.
table = l0_model.explain_global()
print(table)
restored = glassbox.from_json(l0_model.to_json())
assert np.allclose(restored.predict_proba(X_test), l0_model.predict_proba(X_test), rtol=1e-12)
for feature, sign in policy.items():
    coefs = table.to_frame().set_index("term")
    assert sign * coefs.loc[feature, "coefficient"] >= 0, feature

# %% One applicant, measured from an average applicant: the base value is the
# log-odds at the training means, and each bar is coef * (x - mean).
applicant = X_test.iloc[[0]]
local = l0_model.explain_local(applicant, relative_to="mean")
print(local)

fig, axes = plt.subplots(1, 3, figsize=(17, 5), constrained_layout=True)
RegularizationPathDisplay.from_estimator(
    SparseLinearClassifier(monotonic_cst=policy), X_train, y_train, n_alphas=30, ax=axes[0]
).ax_.axvline(cv_model.alpha_, color="grey", linestyle="--")
axes[0].set_title("lasso path (dashed: alpha chosen by CV)")
CoefficientDisplay.from_estimator(l0_model, ax=axes[1])
LocalContributionDisplay.from_explanation(local, ax=axes[2])
fig.savefig(OUTPUT / "sparse_linear.png", dpi=80)
print(f"figure written to {OUTPUT / 'sparse_linear.png'}")
