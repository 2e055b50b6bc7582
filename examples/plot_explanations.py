"""Explanations by hand: an additive model of diabetes progression.

glassbox's explanation objects are plain, typed data: any additive model can be
written as a :class:`~glassbox.explain.ShapeFunctions` and then printed,
saved to JSON, reloaded and plotted like a glassbox GAM.  This example bins the
features of scikit-learn's diabetes data with
:class:`~glassbox.utils.FeatureBinner`, fits one shape function per feature by
cyclic boosting of bin means (with body-mass index constrained to raise the prediction), wraps
the result in a ``ShapeFunctions`` and checks that it recomputes the model,
explains three patients with a ``LocalExplanation`` and draws both with
:mod:`glassbox.plotting`.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import glassbox  # noqa: E402
from glassbox.explain import Link, LocalExplanation, ShapeFunctions, ShapeTerm  # noqa: E402
from glassbox.plotting import LocalContributionDisplay, ShapeFunctionDisplay  # noqa: E402
from glassbox.utils import FeatureBinner  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Data: disease progression one year after baseline, in original units.
# ``sex`` is coded 1/2 in the data set; we keep it as a categorical feature.
data = load_diabetes(as_frame=True, scaled=False)
X = data.data.copy()
X["sex"] = X["sex"].map({1.0: "1", 2.0: "2"}).astype("category")
y = data.target.to_numpy()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

# %% Bins: quantile thresholds for numbers, one bin per level for ``sex``,
# plus a missing bin per feature (and an unseen-level bin for ``sex``).
binner = FeatureBinner(max_bins=8).fit(X_train)
codes = binner.transform(X_train)
counts = [np.bincount(codes[:, j], minlength=b.n_bins).astype(float) for j, b in enumerate(binner.bins_)]
INCREASING = {"bmi"}  # a higher body-mass index must never lower the prediction
LEARNING_RATE = 0.05


def project_increasing(scores, bins, weights):
    """Closest non-decreasing shape over the value bins (weighted isotonic regression)."""
    value_bins = np.arange(bins.n_value_bins)
    out = scores.copy()
    out[value_bins] = IsotonicRegression().fit(value_bins, scores[value_bins], sample_weight=weights[value_bins] + 1e-12).predict(value_bins)
    return out


def boost(codes, y, n_sweeps):
    """Cyclic boosting of bin means: each sweep nudges every shape towards its bins' mean residual."""
    intercept = y.mean()
    scores = [np.zeros(len(c)) for c in counts]
    residual = y - intercept
    for _ in range(n_sweeps):
        for j, bins in enumerate(binner.bins_):
            feature_codes = codes[:, j]
            in_bin = np.bincount(feature_codes, minlength=len(counts[j])).astype(float)
            step = LEARNING_RATE * np.bincount(feature_codes, weights=residual, minlength=len(counts[j])) / np.maximum(in_bin, 1)
            new = scores[j] + step
            if bins.feature in INCREASING:
                new = project_increasing(new, bins, in_bin)
            residual -= (new - scores[j])[feature_codes]
            scores[j] = new
    # Centre every shape on the training data so the intercept carries the mean.
    for j in range(len(scores)):
        shift = np.average(scores[j], weights=counts[j])
        scores[j] = np.where(counts[j] > 0, scores[j] - shift, 0.0)
        intercept += shift
    return intercept, scores


def predict(intercept, scores, codes):
    return intercept + sum(s[c] for s, c in zip(scores, codes.T))


# %% How many sweeps: chosen on a validation part of the training data, never on the test set.
fit_rows, val_rows = train_test_split(np.arange(len(y_train)), test_size=0.25, random_state=0)
validation = {
    n: r2_score(y_train[val_rows], predict(*boost(codes[fit_rows], y_train[fit_rows], n), codes[val_rows]))
    for n in (5, 10, 20, 40, 80)
}
n_sweeps = max(validation, key=validation.get)
intercept, scores = boost(codes, y_train, n_sweeps)
residual = y_train - predict(intercept, scores, codes)
print(f"{n_sweeps} sweeps (validation R^2 by sweeps: { {n: round(v, 3) for n, v in validation.items()} })")


def band(j, scores_j):
    """Rough 95% band of each bin's score: twice the standard error of the residuals in it."""
    n = np.maximum(counts[j], 1)
    spread = np.sqrt(np.bincount(codes[:, j], weights=residual**2, minlength=len(scores_j)) / n)
    return scores_j - 2 * spread / np.sqrt(n), scores_j + 2 * spread / np.sqrt(n)


terms = []
for j, bins in enumerate(binner.bins_):
    lower, upper = band(j, scores[j])
    terms.append(
        ShapeTerm(
            bins=(bins,),
            scores=scores[j],
            lower=lower,
            upper=upper,
            density=counts[j],
            importance=float(np.mean(np.abs(scores[j][codes[:, j]]))),
            constraints=(1 if bins.feature in INCREASING else 0,),
        )
    )
model = ShapeFunctions(
    model="HandMadeGAM",
    feature_names=list(X.columns),
    link=Link("identity"),
    base_value=intercept,
    terms=terms,
)

# %% The explanation is the model: it predicts from raw rows by itself.
by_hand = predict(intercept, scores, binner.transform(X_test))
assert np.allclose(model.decision_function(X_test), by_hand, rtol=1e-12)
print(f"test R^2 of the additive model: {r2_score(y_test, model.predict(X_test)):.3f}\n")
print(model)

# %% Printouts are shortened for reading (long shape tables show their first and
# last bins); to_text takes the limits, None meaning everything, and to_frame()
# has every number, the intercept first.
print(model.to_text(max_bins=None, max_terms=1))
print(model.to_frame()[["term", "bin", "score", "density"]].head(4).to_string())

# %% JSON round trip: exact, and loading runs no code.
text = model.to_json()
restored = glassbox.from_json(text)
assert restored == model
assert np.array_equal(restored.predict(X_test), model.predict(X_test))
print(f"\nJSON: {len(text) / 1024:.1f} KiB, reloads to an identical model")

# %% Local explanation of three patients: contributions add up to the prediction.
rows = X_test.iloc[:3]
local = LocalExplanation(
    model=model.model,
    term_names=model.term_names,
    base_value=model.base_value,
    contributions=model.term_contributions(rows),
    feature_names=model.feature_names,
    feature_values=rows.astype(object).to_numpy(),
    decision=model.decision_function(rows),
    prediction=model.predict(rows),
    link=model.link,
)
assert np.allclose(local.base_value + local.contributions.sum(axis=1), local.decision, rtol=1e-12)
assert LocalExplanation.from_json(local.to_json()) == local
print()
print(local)

# %% Plots: one patient's waterfall, and three shape functions.
waterfall = LocalContributionDisplay.from_explanation(local, row=0, max_terms=6)
waterfall.figure_.set_size_inches(7, 4.5)
waterfall.figure_.savefig(OUTPUT / "plot_explanations_local.png", dpi=100, bbox_inches="tight")

figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
for ax, term in zip(axes, ["bmi", "s5", "sex"]):
    ShapeFunctionDisplay.from_explanation(model, term, ax=ax)
figure.savefig(OUTPUT / "plot_explanations_shapes.png", dpi=100, bbox_inches="tight")
print(f"\nplots written to {OUTPUT.resolve()}")
