"""Claim counts with exposure: a Poisson GAM whose terms multiply the claim rate.

An insurer prices motor policies by their expected number of claims per policy
year.  Policies are in force for different times (the *exposure*), so the model
learns the claim *rate*: :class:`~glassbox.GAMRegressor` with ``loss="poisson"``
is fitted to ``claims / exposure`` with ``sample_weight=exposure``, which is the
Poisson likelihood of the counts with an offset ``log(exposure)``.  The model is
additive on the log of the rate, so each term is a factor on the rate
(``exp(score)``), and its explanation adds up exactly to that log.  The example
checks the fit against the counts, keeps the rate monotone in the bonus-malus
level, compares the Poisson deviance with a squared-error GAM (whose rates
can fall to zero or below), and plots the shapes and one policy's contributions.  When the
UCI bike-sharing data are next to the repository (``../shared/datasets``), it
also fits the hourly rental counts.
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

from glassbox import GAMRegressor  # noqa: E402
from glassbox.plotting import LocalContributionDisplay, ShapeFunctionDisplay  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% Data: motor policies generated in code, each with its exposure (years in force) and claim count.
rng = np.random.RandomState(0)
n = 30000
policies = pd.DataFrame(
    {
        "driver_age": rng.uniform(18, 85, n).round(),
        "vehicle_power": rng.randint(4, 15, n).astype(float),
        "bonus_malus": rng.choice(np.arange(50, 151, 5), n).astype(float),
        "area": pd.Categorical(rng.choice(["rural", "suburban", "urban", "city centre"], n, p=[0.3, 0.35, 0.25, 0.1])),
    }
)
exposure = rng.uniform(0.05, 1.0, n)
log_rate = (
    -2.6
    + 0.0009 * (policies["driver_age"] - 45) ** 2 / 3
    + 0.04 * (policies["vehicle_power"] - 6).clip(0)
    + 0.012 * (policies["bonus_malus"] - 50)
    + policies["area"].map({"rural": -0.2, "suburban": 0.0, "urban": 0.15, "city centre": 0.35}).astype(float)
)
claims = rng.poisson(np.exp(log_rate) * exposure)
print(f"{n} policies, {exposure.sum():.0f} policy years, {claims.sum()} claims")

X_train, X_test, c_train, c_test, e_train, e_test = train_test_split(
    policies, claims, exposure, test_size=0.3, random_state=0
)

# %% Fit the rate claims / exposure weighted by exposure; the rate may only rise with the bonus-malus level.
model = GAMRegressor(loss="poisson", interactions=2, monotonic_cst={"bonus_malus": 1}, random_state=0)
model.fit(X_train, c_train / e_train, sample_weight=e_train)
print(model.explain_global())

# %% The expected claims of a policy are its rate times its exposure.  Summed over the training policies they equal
# the claims observed: a log-link fit ends by setting its intercept so that they do (early-stopped bags, averaged on
# the log scale, fell 0.4% short here; see "Balance" in the GAM guide).  On the test part they differ by chance.
expected_train = model.predict(X_train) * e_train
expected_test = model.predict(X_test) * e_test
print(f"training: {c_train.sum()} claims, {expected_train.sum():.1f} expected")
print(f"test:     {c_test.sum()} claims, {expected_test.sum():.1f} expected")

# %% Against a squared-error GAM of the same rates: the Poisson deviance of the test rates (weighted by exposure).
squared = GAMRegressor(interactions=2, random_state=0).fit(X_train, c_train / e_train, sample_weight=e_train)
rates_squared = squared.predict(X_test)
print(f"squared error predicts {np.count_nonzero(rates_squared <= 0)} non-positive rates on the test part")
deviance = {
    "poisson": mean_poisson_deviance(c_test / e_test, model.predict(X_test), sample_weight=e_test),
    "squared error (rates floored at 1e-4)": mean_poisson_deviance(
        c_test / e_test, np.clip(rates_squared, 1e-4, None), sample_weight=e_test
    ),
}
for name, value in deviance.items():
    print(f"test mean Poisson deviance, {name}: {value:.4f}")

# %% The rate never falls with the bonus-malus level: exact, on a dense grid, with no tolerance.
grid = pd.DataFrame({"driver_age": 40.0, "vehicle_power": 7.0, "bonus_malus": np.linspace(40, 160, 1000),
                     "area": pd.Categorical(["urban"] * 1000, categories=policies["area"].cat.categories)})
assert np.all(np.diff(model.predict(grid)) >= 0)

# %% One policy: the contributions add up to the log of its rate; exp of each is a factor on the rate.
local = model.explain_local(X_test.head(1))
print(local)
factors = np.exp(local.contributions[0])
print("factors on the rate:", ", ".join(f"{name} x{factor:.3f}" for name, factor in zip(local.term_names, factors)))
assert np.isclose(np.exp(local.base_value) * factors.prod(), model.predict(X_test.head(1))[0])

fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for ax, term in zip(axes, ["driver_age", "bonus_malus", "area"]):
    ShapeFunctionDisplay.from_estimator(model, term=term, ax=ax)
fig.tight_layout()
fig.savefig(OUTPUT / "gam_claim_counts_shapes.png", dpi=80)
display = LocalContributionDisplay.from_estimator(model, X_test, row=0)
display.figure_.savefig(OUTPUT / "gam_claim_counts_policy.png", dpi=80)
plt.close("all")

# %% Hourly bike rentals (a count target), when the shared datasets are present.
bikes_file = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "bike_sharing_hour.csv"
if bikes_file.exists():
    bikes = pd.read_csv(bikes_file)
    y = bikes["cnt"].to_numpy(dtype=float)
    X = bikes.drop(columns=["instant", "dteday", "casual", "registered", "cnt"])  # casual + registered = cnt
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    for loss in ["poisson", "squared_error"]:
        fitted = GAMRegressor(loss=loss, interactions=0, outer_bags=2, random_state=0).fit(X_train, y_train)
        predicted = np.clip(fitted.predict(X_test), 1e-3, None)
        print(f"bike sharing, mains only, loss={loss}: test mean Poisson deviance "
              f"{mean_poisson_deviance(y_test, predicted):.2f}")
else:
    print(f"{bikes_file} not found: the bike-sharing part is skipped")
