"""Counts as a sparse Poisson GLM: a table of relativities that multiply the expected count.

A rental scheme wants to know what drives its hourly number of bike rentals, in a
form a planner can read and check: a base rate and, for each hour of the day, day of
the week and weather, a factor on it.  :class:`~glassbox.SparseLinearRegressor` with
``loss="poisson"`` fits the log of the expected count as a linear model; its
coefficients are log-relativities and ``exp(coef)`` multiplies the expected count
(per unit of a numeric term, or for the level of a categorical one).  The L1 penalty,
its strength chosen by cross-validation on the held-out Poisson deviance
(:class:`~glassbox.SparseLinearRegressorCV`), keeps only the terms that earn their
place, and a sign constraint keeps the effect of bad weather a discount.  The example
reads the UCI bike-sharing hours next to the repository (``../shared/datasets``);
without them it generates hourly counts in code with the same structure.  It also
shows the exposure idiom (a rate per unit of time at risk) and one hour explained
term by term.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import mean_poisson_deviance  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from glassbox import SparseLinearRegressor, SparseLinearRegressorCV  # noqa: E402
from glassbox.plotting import CoefficientDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)
CATEGORICAL = ["season", "hr", "weekday", "weathersit"]


def hourly_rentals():
    """The bike-sharing hours (``cnt``; ``casual`` and ``registered`` sum to it, so they go), or a stand-in."""
    path = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "bike_sharing_hour.csv"
    if path.exists():
        bikes = pd.read_csv(path)
        X = bikes[["season", "yr", "hr", "holiday", "weekday", "workingday", "weathersit", "temp", "hum", "windspeed"]]
        return X.astype({c: "category" for c in CATEGORICAL}), bikes["cnt"].to_numpy(dtype=float), "bike sharing"
    rng = np.random.RandomState(0)
    n = 17000
    X = pd.DataFrame({"season": rng.randint(1, 5, n), "yr": rng.randint(0, 2, n), "hr": rng.randint(0, 24, n),
                      "holiday": (rng.rand(n) < 0.03).astype(int), "weekday": rng.randint(0, 7, n),
                      "weathersit": rng.choice([1, 2, 3], n, p=[0.65, 0.27, 0.08]), "temp": rng.uniform(0.05, 1, n),
                      "hum": rng.uniform(0.1, 1, n), "windspeed": rng.uniform(0, 0.6, n)})
    X.insert(5, "workingday", ((X["weekday"] % 6 != 0) & (X["holiday"] == 0)).astype(int))
    rush = np.where(X["workingday"] == 1, np.isin(X["hr"], [8, 17, 18]) * 1.1, 0.0)
    log_mean = (2.0 + 0.45 * X["yr"] + 1.8 * X["temp"] - 0.8 * X["hum"] + rush
                + 1.6 * np.sin(np.pi * np.clip(X["hr"] - 6, 0, 16) / 16) - 0.45 * (X["weathersit"] - 1))
    return X.astype({c: "category" for c in CATEGORICAL}), rng.poisson(np.exp(log_mean)).astype(float), "stand-in"


X, y, source = hourly_rentals()
print(f"{source}: {len(y)} hours, {int(y.sum())} rentals")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

# %% The lasso path on the log of the mean, alpha chosen by 3-fold held-out mean Poisson deviance;
# worse weather may only lower the count (humidity and wind take a sign constraint <= 0).
model = SparseLinearRegressorCV(loss="poisson", n_alphas=12, cv=3, monotonic_cst={"hum": -1, "windspeed": -1})
model.fit(X_train, y_train)
table = model.explain_global()
print(table.to_text(max_terms=15))
print(f"alpha {model.alpha_:.3g}: {model.n_nonzero_} of {len(model.terms_)} terms")

# %% Relativities in a table: exp(coefficient) per level, and the base rate exp(intercept).
frame = table.to_frame().set_index("term").drop(index="(intercept)")  # its relativity is the base rate
print(frame.loc[frame["nonzero"], ["coefficient", "relativity"]].sort_values("relativity").tail(6).round(3))
print(f"base rate exp(intercept) = {np.exp(model.intercept_):.2f} rentals an hour")

# %% Test mean Poisson deviance, against a squared-error lasso on the same terms (its predictions floored;
# its alpha is on the scale of squared counts, so it is not the Poisson model's).
squared = SparseLinearRegressor(alpha=1.0).fit(X_train, y_train)
deviance = {
    "poisson, log link": mean_poisson_deviance(y_test, model.predict(X_test)),
    "squared error (floored at 0.1)": mean_poisson_deviance(y_test, np.clip(squared.predict(X_test), 0.1, None)),
}
for name, value in deviance.items():
    print(f"test mean Poisson deviance, {name}: {value:.2f}")

# %% One hour: the contributions add up to the log of its expected count; exp of each is a factor.
local = model.explain_local(X_test.head(1))
print(local)
assert np.isclose(np.exp(local.decision[0]), model.predict(X_test.head(1))[0])

# %% Exposure: counts over unequal periods (here, hours pooled by 1 to 4) are fitted as a rate
# count / exposure with sample_weight=exposure, exactly the Poisson model of the counts with offset log(exposure).
rng = np.random.RandomState(1)
exposure = rng.randint(1, 5, len(y_train)).astype(float)
pooled = rng.poisson(model.predict(X_train) * exposure)
rate_model = SparseLinearRegressor(alpha=model.alpha_, loss="poisson").fit(X_train, pooled / exposure,
                                                                           sample_weight=exposure)
print(f"pooled counts: {int(pooled.sum())} observed, {(rate_model.predict(X_train) * exposure).sum():.1f} expected")

fig, ax = plt.subplots(figsize=(7, 6))
CoefficientDisplay.from_estimator(model, relativity=True, standardized=False, ax=ax, max_terms=20)
fig.tight_layout()
fig.savefig(OUTPUT / "sparse_poisson_relativities.png", dpi=80)
plt.close("all")
