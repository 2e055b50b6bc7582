"""A Bayesian rule list for breast-cancer diagnosis, read top to bottom.

:class:`~glassbox.BayesianRuleListClassifier` mines readable conditions from the
raw measurements of scikit-learn's breast cancer data, searches rule lists by
Metropolis-Hastings and keeps the most probable one.  This example prints the
list (IF / ELSE IF / ELSE with credible intervals), checks that the list alone
reproduces the model, explains three patients (which rule fired and why the
rules above it did not) and tabulates that "why" for the test set, shows what a
missing measurement does, checks the chains' agreement (R-hat) and which rules
recur over seeds, compares the
posterior-averaged prediction, and draws each
rule's probability with its credible interval.
"""

import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import accuracy_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import glassbox  # noqa: E402
from glassbox import BayesianRuleListClassifier  # noqa: E402
from glassbox.plotting import LocalContributionDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Data: 30 measurements of cell nuclei; 1 = benign, 0 = malignant.
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %% Fit: candidate rules of up to two conditions covering >= 10% of the patients,
# sixteen chains of 50,000 Metropolis-Hastings steps each.
clf = BayesianRuleListClassifier(max_rules=5, random_state=0).fit(X_train, y_train)
print(clf.explain_global())
print(f"{clf.n_candidates_} candidate rules; R-hat of the chains' log-posterior {clf.rhat_:.2f}; "
      f"acceptance rate {clf.acceptance_rate_:.3f}")

# %% R-hat above 1.1 (the ConvergenceWarning above) says the chains disagree: on data this small many
# lists are about equally probable (see the user guide).  Compare the lists of a few seeds: rules that
# recur are backed by the data, the others are one of several equally good choices.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    other_lists = [BayesianRuleListClassifier(max_rules=5, random_state=seed).fit(X_train, y_train).term_names_[:-1]
                   for seed in (1, 2)]
for rule in clf.term_names_[:-1]:
    print(f"{rule}: in the lists of {1 + sum(rule in other for other in other_lists)} of 3 seeds")

proba = clf.predict_proba(X_test)[:, 1]
print(f"test AUC {roc_auc_score(y_test, proba):.3f}, accuracy {accuracy_score(y_test, clf.predict(X_test)):.3f}")

# %% The posterior predictive averages about 1,000 sampled lists (Letham et al.'s model average):
# often a finer ranking, but no longer one readable list, so the list above stays the model.
posterior_proba = clf.predict_proba_posterior(X_test)[:, 1]
print(f"posterior-average test AUC {roc_auc_score(y_test, posterior_proba):.3f} "
      f"({clf.n_posterior_draws_} thinned draws)")

# %% The list is the model: saved to JSON and loaded back, it predicts bit for bit the same.
restored = glassbox.from_json(clf.to_json())
assert np.array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))

# %% Local explanations: one rule decides each patient; the notes say why earlier rules did not.
local = clf.explain_local(X_test.iloc[:3])
for note in local.notes:
    print(note)

# %% The same "why" as data, for the whole test set: one row per (patient, rule checked), indexed by
# X_test's own index.  Count how often each rule decides and which conditions send patients on.
path = clf.explain_local(X_test).decision_path_frame()
print(path.head(6).to_string())
print(path.query("outcome == 'fired'")["rule"].value_counts().sort_index().to_string())
print(path.query("outcome == 'failed'").groupby("condition").size().sort_values(ascending=False).to_string())
fired = path.query("outcome == 'fired'")
rule_of = fired["rule"].map(lambda r: len(clf.rules_) if r == "default" else int(r) - 1)
assert np.array_equal(clf.rule_probabilities_[rule_of.to_numpy()], clf.predict_proba(X_test))  # bit for bit

# %% A measurement never missing in training, missing now: the prediction warns, and the path says why
# each rule testing it was skipped (reason "missing").
patient = X_test.iloc[:1].copy()
patient[clf.rules_[0][0].feature] = np.nan
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    missing_path = clf.explain_local(patient).decision_path_frame()
print(caught[0].message if caught else "no warning")
print(missing_path[["rule", "outcome", "condition", "reason"]].to_string())

# %% Each rule's P(benign) with its 95% credible interval, in list order.
frame = clf.explain_global().to_frame()
labels = [f"{i + 1}. {text}" if text != "default" else "ELSE (default)"
          for i, text in enumerate(frame["conditions"])]
p = frame["P(1)"].to_numpy()
low, high = frame["P(1) low"].to_numpy(), frame["P(1) high"].to_numpy()
fig, ax = plt.subplots(figsize=(10, 0.6 * len(frame) + 1.2))
ax.errorbar(p, np.arange(len(frame)), xerr=[p - low, high - p], fmt="o", capsize=4)
ax.set_yticks(np.arange(len(frame)), labels)
ax.invert_yaxis()
ax.set_xlim(0, 1)
ax.set_xlabel("P(benign) when the rule decides, 95% credible interval")
ax.set_title("Bayesian rule list, read top to bottom")
fig.tight_layout()
fig.savefig(OUTPUT / "rule_list_probabilities.png", dpi=100)

# %% The deciding rule of one patient as a waterfall (one-hot: it carries the whole log-odds).
display = LocalContributionDisplay.from_estimator(clf, X_test.iloc[:1])
display.figure_.savefig(OUTPUT / "rule_list_local.png", dpi=100)
plt.close("all")
