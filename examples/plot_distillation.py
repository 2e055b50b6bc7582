"""Distilling a gradient-boosting model into a GAM, and explaining single predictions.

A team runs a ``HistGradientBoostingClassifier`` on the breast-cancer data and
must show a reviewer what it does.  We copy it into a glass box, measure how
faithful the copy is on held-out rows (overall, per class, and where it
disagrees), compare students of several families and sizes on a fidelity
frontier, and explain one prediction of the black box itself with a local
surrogate whose local fidelity is reported with it.

Uses scikit-learn's bundled data only, so it always runs.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from glassbox import GAMClassifier, SparseLinearClassifier  # noqa: E402
from glassbox.surrogate import DistilledClassifier, LocalSurrogate, fidelity_frontier  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

data = load_breast_cancer(as_frame=True)
X = data.data.iloc[:, :10]
X.columns = [c.replace("mean ", "") for c in X.columns]
y = data.target.map({0: "malignant", 1: "benign"})
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

# %%
# The black box, and its copy
# ---------------------------
teacher = HistGradientBoostingClassifier(random_state=0).fit(X_train, y_train)
copy = DistilledClassifier(teacher, GAMClassifier(interactions=0, random_state=0), n_augment=1.0, random_state=0)
copy.fit(X_train)  # the teacher is fitted: it labels the rows, no y needed
report = copy.fidelity_report(X_test)
print(report)

# %%
# What the copy says (the student's shape functions, labelled as a copy)
print(copy.explain_global())

# %%
# Where does the copy depart from the teacher?
display = report.plot()
display.figure_.savefig(OUTPUT / "distillation_segments.png", dpi=100, bbox_inches="tight")
plt.close(display.figure_)

# %%
# How simple can a faithful copy be?
# ----------------------------------
students = {f"{k} term{'s' if k > 1 else ''}": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=k)
            for k in (1, 2, 3, 5, 8)}
students["GAM"] = GAMClassifier(interactions=0, random_state=0)
X_fit, X_valid = train_test_split(X_train, test_size=0.3, random_state=1)
frontier = fidelity_frontier(teacher, X_fit, students=students, X_eval=X_valid, target=0.95)
print(frontier)
display = frontier.plot()
display.figure_.savefig(OUTPUT / "distillation_frontier.png", dpi=100, bbox_inches="tight")
plt.close(display.figure_)

# %%
# One prediction of the black box, explained locally
# --------------------------------------------------
explainer = LocalSurrogate(teacher, max_features=4, random_state=0).fit(X_train)
explanation = explainer.explain_local(X_test.iloc[:3])
print(explanation.row(0))
print("local R² (fit, held out):", explanation.fidelity["weighted_r2"][0], explanation.fidelity["holdout_r2"][0])
