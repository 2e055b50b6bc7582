"""A scorecard for breast-cancer biopsies that a clinician can add up by hand.

:class:`~glassbox.RiskScoreClassifier` learns at most five yes/no conditions
with small integer points straight from the raw measurements.  This example
prints the card and its SCORE -> risk table, explains two patients point by
point, lists the near-optimal alternatives the search kept and switches to one,
asks for a certificate of how far the card can be from the best possible one
(loose on these 30 measurements, as the printout shows), constrains an effect
to be monotone, and draws the score -> risk curve.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import glassbox  # noqa: E402
from glassbox import RiskScoreClassifier  # noqa: E402
from glassbox.plotting import RiskCurveDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Data: 30 measurements of 569 biopsies; we predict "malignant" (target 0 in scikit-learn).
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
y = np.where(y == 0, "malignant", "benign")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %% Fit a five-condition card, points in -5..5, with a certificate (at most 10 s).
model = RiskScoreClassifier(max_features=5, certify=True, certify_time_limit=10).fit(X_train, y_train)
card = model.explain_global()
print(card)
positive = list(model.classes_).index("malignant")
auc = roc_auc_score(y_test == "malignant", model.predict_proba(X_test)[:, positive])
print(f"test AUC {auc:.3f}; calibration on training data: {model.calibration_}")
# The certificate bounds the best possible card's loss from below.  With 30 measurements x 10
# thresholds x 2 directions the supports are too many to enumerate and the relaxation nearly separates the
# classes, so the bound is loose here; with few binary features (mammography, adult_riskslim)
# every support is fitted and the gap closes to well under 1% within a minute.
print("certificate:", {k: round(v, 4) if isinstance(v, float) else v for k, v in model.certificate_.items()})

# %% Each patient: the intercept plus the points earned add up exactly to SCORE + intercept;
# the note gives SCORE (the points alone) and the risk of the card's row for it.
print(model.explain_local(X_test.iloc[:2]))

# %% The search kept a pool of near-optimal cards; a clinician may prefer another.
pool = model.scorecards_frame()
print(pool[["loss", "auc", "size", "scorecard"]].head(8).to_string())
shorter = next(i for i, c in enumerate(model.scorecards_) if c["size"] < len(model.points_))
model.use_scorecard(shorter)
print(f"switched to card {shorter}:")
print(model.explain_global())
model.use_scorecard(0)

# %% A monotone effect: a larger worst radius must never lower the malignancy score.  The constraint rules out
# every condition on worst radius that would (``worst radius >= t`` with negative points, ``< t`` with positive
# ones); a card may also have no condition on it at all, as the best card here does.
monotone = RiskScoreClassifier(max_features=5, monotonic_cst={"worst radius": 1}).fit(X_train, y_train)
monotone_card = monotone.explain_global().to_frame()
print(monotone_card)
on_radius = [c for c in monotone_card["condition"] if c.startswith("worst radius")]
print("conditions on worst radius:", on_radius or "none")

# %% The saved card predicts exactly like the model, without the model.
restored = glassbox.from_json(model.to_json())
assert np.array_equal(restored.decision_function(X_test), model.decision_function(X_test))

# %% The score -> risk curve with the observed rates.
fig, ax = plt.subplots(figsize=(7, 4.5))
RiskCurveDisplay.from_estimator(model, ax=ax)
fig.tight_layout()
fig.savefig(OUTPUT / "risk_score_curve.png", dpi=120)
