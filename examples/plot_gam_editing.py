"""Editing a fitted GAM after review: removed attributes, a monotone shape, a flattened artefact.

A lender's income model is reviewed before use.  The review asks for four
changes: the protected attributes ``race`` and ``sex`` (and any pair holding
them) must not contribute; the score must never fall with more years of
education; the bump at age 19 is a couple of people, so ages 17 to 20 score
like 17; and no term may multiply the odds by more than 20 (capital gains
reached 9 on the log-odds).  Each edit of
:class:`~glassbox.GAMClassifier` edits the model in place and returns it (as
the library's other post-fit edits do; ``copy.deepcopy`` keeps the fitted
model beside it), keeps the model exactly additive and centred, and is
recorded in ``edits_``, which the printout, the JSON and the plots carry.  The example
measures the test AUC after every step, so the reviewer sees what each
decision costs.

It uses the UCI adult census data when the shared datasets are next to the
repository (``../shared/datasets/adult.csv``, its own train/test split), and
otherwise a census-like table generated in code.
"""

import copy
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
from glassbox import GAMClassifier  # noqa: E402
from glassbox.plotting import ShapeFunctionDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)
ADULT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "adult.csv"


def census_like(n, seed=0):
    """A census-like table generated in code, with the adult data's column names for the ones used."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.uniform(17, 90, n).round(),
        "education_num": rng.randint(1, 17, n).astype(float),
        "hours_per_week": rng.normal(40, 12, n).clip(1, 99).round(),
        "capital_gain": np.where(rng.rand(n) < 0.08, rng.lognormal(8, 1, n), 0.0).round(),
        "occupation": pd.Categorical(rng.choice(["Adm-clerical", "Craft-repair", "Exec-managerial", "Sales"], n)),
        "race": pd.Categorical(rng.choice(["White", "Black", "Asian-Pac-Islander", "Other"], n, p=[.8, .1, .05, .05])),
        "sex": pd.Categorical(rng.choice(["Male", "Female"], n, p=[0.67, 0.33])),
    })
    logit = (-0.0015 * (X["age"] - 50) ** 2 + 0.3 * (X["education_num"] - 10) + 0.03 * (X["hours_per_week"] - 40)
             + 0.6 * (X["capital_gain"] > 5000) + 0.8 * (X["occupation"] == "Exec-managerial")
             + 0.5 * (X["sex"] == "Male") - 1.0)
    y = (logit + rng.logistic(size=n) > 0).astype(int)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


# %% Data: adult's own split if present, else generated rows.
if ADULT.exists():
    data = pd.read_csv(ADULT)
    y_all = (data.pop("income") == ">50K").astype(int)
    split = data.pop("split")
    data = data.drop(columns=["fnlwgt", "education"])  # a sampling weight, and the text of education_num
    for column in data.columns[data.dtypes == object]:
        data[column] = data[column].astype("category")
    train, test = split == "train", split == "test"
    X_train, X_test, y_train, y_test = data[train], data[test], y_all[train], y_all[test]
    source = "UCI adult (its train/test split)"
else:
    X_train, X_test, y_train, y_test = census_like(12000)
    source = "census-like rows generated in code"
print(f"{source}: {len(X_train)} training rows, {len(X_test)} test rows")

# %% The model as fitted, and its test AUC; a copy keeps it as fitted, since every edit changes the model itself.
model = GAMClassifier(interactions=5, outer_bags=4, random_state=0).fit(X_train, y_train)
fitted = copy.deepcopy(model)
print("pairs:", model.interaction_pairs_)


def test_auc(m):
    return roc_auc_score(y_test, m.predict_proba(X_test)[:, 1])


fitted_auc = test_auc(model)


def report(what):
    print(f"test AUC {test_auc(model):.4f} ({test_auc(model) - fitted_auc:+.4f})  {what}")


report("as fitted")

# %% 1. The protected attributes, and every pair holding them, contribute nothing.
protected = [name for name in model.term_names_ if {"race", "sex"} & set(name.split(" x "))]
model.remove_terms(protected)
report(f"without {', '.join(protected)}")

# %% 2. More education never lowers the score (its pairs are made monotone along it too).
model.make_monotone("education_num", "increasing")
report("+ education monotone")

# %% 3. Almost nobody aged 17 to 20 earns over 50K: the shape's bump at 19 is a couple of people.
model.flatten_range("age", 17, 20, like=17)
report("+ ages 17-20 like 17")

# %% 4. No term multiplies the odds by more than 20: capital gains are capped at log(20) on the log-odds.
model.clip_scores("capital_gain", upper=np.log(20.0))
report("+ capital gains capped")

# %% 5. The intercept is refitted on the training rows (shapes fixed): removing and capping terms moved the mean
# predicted probability, which is the training share again (the ranking, so the AUC, is unchanged).
reviewed = model.refit_intercept(X_train, y_train)  # the same model: each edit returns it
report("+ intercept refitted")
print(f"share of >50K predicted on training rows: {reviewed.predict_proba(X_train)[:, 1].mean():.4f}, "
      f"observed {y_train.mean():.4f}")

# %% The audit trail: printed with the model, kept by its JSON; the copy taken before the edits is as fitted.
shapes = reviewed.explain_global()
print(shapes.to_text(max_bins=8, max_terms=4))
restored = glassbox.from_json(reviewed.to_json())
assert restored.edits == reviewed.edits_
np.testing.assert_array_equal(restored.decision_function(X_test), shapes.decision_function(X_test))
assert reviewed is model and len(reviewed.edits_) == 5  # remove, monotone, flatten, clip, refit
assert fitted.edits_ == () and test_auc(fitted) == fitted_auc

# %% Exactly monotone on a dense grid of years of education, for a few people, with no tolerance.
grid = np.linspace(X_train["education_num"].min(), X_train["education_num"].max(), 500)
for _, person in X_test.head(5).iterrows():
    rows = pd.DataFrame([person] * len(grid)).astype(X_test.dtypes.to_dict())
    rows["education_num"] = grid
    assert np.all(np.diff(reviewed.decision_function(rows)) >= 0)
print("education is monotone on a 500-point grid")

# %% The edited shapes beside the fitted ones: the plot marks an edited term.
fig, axes = plt.subplots(2, 2, figsize=(12, 8))
for row, term in enumerate(["education_num", "capital_gain"]):
    ShapeFunctionDisplay.from_estimator(fitted, term=term, ax=axes[row, 0])
    ShapeFunctionDisplay.from_estimator(reviewed, term=term, ax=axes[row, 1])
fig.tight_layout()
fig.savefig(OUTPUT / "gam_editing_shapes.png", dpi=100)
plt.close("all")
