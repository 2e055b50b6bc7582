"""Rare defaults: weighing the classes with ``class_weight``.

A lender wants to catch the few borrowers who default (about 8 % here).  A
model fitted to plain accuracy may call almost everybody "repays".  Every
glassbox classifier takes scikit-learn's ``class_weight``: ``"balanced"``
weighs each class's rows so that the classes count equally, a dict such as
``{"default": 4}`` weighs the rare class four times.  This example chooses it
by cross-validation on the training rows, as for any scikit-learn classifier,
compares what the sparse logistic model and the decision set catch on test
rows, and shows the price: the probabilities then describe the reweighted
population, not the real default rate.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import balanced_accuracy_score, precision_score, recall_score  # noqa: E402
from sklearn.model_selection import cross_val_score, train_test_split  # noqa: E402

from glassbox import DecisionSetClassifier, SparseLinearClassifier  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Borrowers: income, debt ratio, late payments and the loan's purpose; about 8 % default.
rng = np.random.RandomState(0)
n = 4000
X = pd.DataFrame({
    "income": rng.lognormal(10.5, 0.5, size=n).round(-2),
    "debt_ratio": rng.beta(2, 5, size=n).round(3),
    "late_payments": rng.poisson(0.4, size=n),
    "purpose": pd.Categorical(rng.choice(["car", "home", "education", "business"], size=n, p=[0.4, 0.3, 0.2, 0.1])),
})
log_odds = (-4.2 + 3.5 * X["debt_ratio"] + 0.9 * X["late_payments"] - 0.6 * np.log(X["income"] / 36_000)
            + 0.7 * (X["purpose"] == "business"))
y = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-log_odds)), "default", "repays")
print(f"default rate {np.mean(y == 'default'):.3f}")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %% class_weight is a parameter like any other (GridSearchCV can search it): cross-validation on the
# training rows compares the choices by balanced accuracy.
choices = [None, {"default": 4}, "balanced"]
for class_weight in choices:
    scores = cross_val_score(SparseLinearClassifier(alpha=0.001, class_weight=class_weight), X_train, y_train,
                             cv=3, scoring="balanced_accuracy")
    print(f"class_weight={class_weight}: 3-fold balanced accuracy {scores.mean():.3f}")


# %% What each weighting catches on the test rows, for two model families.  Unweighted, the decision
# set finds no rule for "default" and says so (a UserWarning whose remedy is class_weight).
def test_scores(model):
    predicted = model.predict(X_test)
    positive = list(model.classes_).index("default")
    return {
        "recall": recall_score(y_test, predicted, pos_label="default"),
        "precision": precision_score(y_test, predicted, pos_label="default", zero_division=0),
        "balanced accuracy": balanced_accuracy_score(y_test, predicted),
        # the mean predicted probability of default against the real rate (~0.08)
        "mean P(default)": model.predict_proba(X_test)[:, positive].mean(),
    }


rows = {}
for name, make in [("sparse logistic", lambda w: SparseLinearClassifier(alpha=0.001, class_weight=w)),
                   ("decision set", lambda w: DecisionSetClassifier(max_rules=6, random_state=0, class_weight=w))]:
    for class_weight in choices:
        rows[(name, str(class_weight))] = test_scores(make(class_weight).fit(X_train, y_train))
table = pd.DataFrame(rows).T
print(table.round(3).to_string())
print(f"real default rate on the test rows: {np.mean(y_test == 'default'):.3f}")

# %% The balanced sparse logistic model reads like the plain one; mostly its intercept moves towards
# "default" (the table gives the log-odds of classes_[1], "repays").
plain = SparseLinearClassifier(alpha=0.001).fit(X_train, y_train)
balanced = SparseLinearClassifier(alpha=0.001, class_weight="balanced").fit(X_train, y_train)
print(f"intercept without class weights {plain.intercept_[0]:.3f}, balanced {balanced.intercept_[0]:.3f}")
print(balanced.explain_global())

# %% Recall and precision of the defaults, per family and weighting.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
for ax, family in zip(axes, ["sparse logistic", "decision set"]):
    part = table.loc[family, ["recall", "precision"]]
    part.plot.bar(ax=ax, rot=0)
    ax.set_title(family)
    ax.set_xlabel("class_weight")
axes[0].set_ylabel("on the test rows (class 'default')")
fig.tight_layout()
fig.savefig(OUTPUT / "class_weight_recall_precision.png", dpi=120)
