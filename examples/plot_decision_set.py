"""A decision set for wine cultivars: rules a reader checks one at a time.

:class:`~glassbox.DecisionSetClassifier` chooses a small unordered set of
IF-THEN rules, each predicting a cultivar, by maximising the interpretable
decision set objective (few short rules, little overlap, few conflicts,
precise rules covering every class).  This example prints the set, shows how
a conflict between rules of different classes is settled, explains a few
wines (every rule that covers them and which one decided), checks that the
saved model predicts exactly like the estimator, and trades the number of
conditions against accuracy by varying ``max_rules``.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_wine  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import glassbox  # noqa: E402
from glassbox import DecisionSetClassifier  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Data: 13 chemical measurements of 178 wines from three cultivars (0, 1, 2).
X, y = load_wine(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)

# %% Fit: at most six rules of at most two conditions each.
clf = DecisionSetClassifier(max_rules=6, random_state=0).fit(X_train, y_train)
print(clf.explain_global())
print(f"test accuracy {clf.score(X_test, y_test):.3f}; objective {clf.objective_:.4f} "
      f"(start: {clf.optimizer_start_}, {len(clf.objective_trace_) - 1} local-search moves)")
# precision and support describe the rows a rule covers; "decides" counts the rows it decides (no
# higher-ranked rule covers them), whose class frequencies are the probabilities predict_proba gives them.
print(clf.rule_table()[["rank", "predicted_class", "conditions", "precision", "support", "decides",
                        "overlap same class", "overlap other classes"]].to_string())

# %% The set is the model: saved to JSON and loaded back, it predicts bit for bit the same.
restored = glassbox.from_json(clf.to_json())
assert np.array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))

# %% Conflicts: allow overlapping rules of different classes and look at the rows they share.
# tune_weights=False keeps these penalties: by default the set re-chooses its objective's weights on
# held-out folds, and here it would choose the penalized two-rule set above again.
tolerant = DecisionSetClassifier(max_rules=8, conflict_penalty=0.0, overlap_penalty=0.0, tune_weights=False,
                                 random_state=0).fit(X_train, y_train)
print(f"without the penalties: {len(tolerant.rules_)} rules")
notes = tolerant.explain_local(X_train).notes
conflicts = [note for note in notes if "they conflict" in note]
if conflicts:
    print(f"{len(conflicts)} of {len(notes)} training wines are covered by rules of different classes, e.g.")
    for note in list(dict.fromkeys(conflicts))[:2]:  # rows covered by the same rules read alike: show two kinds
        print("-", note)
else:
    print(f"none of the {len(notes)} training wines is covered by rules of different classes")
uncovered = [note for note in notes if "no rule covers" in note]
if uncovered:
    print(f"{len(uncovered)} wines are covered by no rule, e.g.\n- {uncovered[0]}")

# %% Accuracy against the total number of conditions, as the rule budget grows.
budgets = [1, 2, 3, 4, 6, 8]
conditions, accuracy = [], []
for budget in budgets:
    model = DecisionSetClassifier(max_rules=budget, random_state=0).fit(X_train, y_train)
    conditions.append(sum(len(rule.conditions) for rule in model.rules_))
    accuracy.append(model.score(X_test, y_test))
fig, axes = plt.subplots(2, 1, figsize=(10, 8))
axes[0].plot(conditions, accuracy, "o-")
points = {}
for budget, c, a in zip(budgets, conditions, accuracy):
    points.setdefault((c, a), []).append(str(budget))  # larger budgets may choose the same set
for (c, a), names in points.items():
    axes[0].annotate(f"max_rules={'/'.join(names)}", (c, a), textcoords="offset points", xytext=(6, -12), fontsize=8)
axes[0].set_xlabel("total conditions in the set")
axes[0].set_ylabel("test accuracy")
axes[0].set_title("Smaller sets, fewer conditions")

# %% Each rule's precision and support (training weight it covers), coloured by class.
frame = clf.rule_table().iloc[:-1]
colours = plt.cm.tab10(frame["predicted_class"].astype(int).to_numpy())
axes[1].barh(np.arange(len(frame)), frame["support"], color=colours)
axes[1].set_yticks(np.arange(len(frame)),
                   [f"{r}. {c} -> {k} (precision {p:.2f})" for r, c, k, p in
                    zip(frame["rank"], frame["conditions"], frame["predicted_class"], frame["precision"])],
                   fontsize=8)
axes[1].invert_yaxis()
axes[1].set_xlabel("support (training rows covered)")
axes[1].set_title("The decision set, in conflict-resolution order")
fig.tight_layout()
fig.savefig(OUTPUT / "decision_set.png", dpi=100)
plt.close("all")
