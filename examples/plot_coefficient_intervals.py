"""Relativities with confidence intervals: a claim-frequency GLM for a filing.

An actuary files a motor tariff: a base claim rate and, for each rating factor, a
relativity that multiplies it, each with its 95% confidence interval.  The policies
have unequal exposures (part years), so the model fits the claim *rate* with the
exposure as weight (the same fit as a count model with offset ``log(exposure)``).

1. An unpenalized Poisson GLM (``alpha=0``) and its Wald table
   (:func:`glassbox.coefficient_inference`): standard errors from the Fisher
   information, z statistics, p-values, relativities and their intervals.  The
   data are generated in code with known relativities, so the intervals can be
   checked against the truth.
2. A lasso fit (``alpha > 0``) has shrunk coefficients, for which Wald intervals
   would be wrong: the bootstrap refits it on resampled policies and reports the
   spread of its estimates and how often each term is selected.
"""

import os
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from glassbox import SparseLinearRegressor, coefficient_inference  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

rng = np.random.RandomState(0)
n = 20000
policies = pd.DataFrame({
    "driver_age": rng.uniform(18, 80, n).round(),
    "vehicle_power": rng.randint(4, 12, n).astype(float),
    "region": pd.Categorical(rng.choice(["north", "south", "east", "west"], n, p=[0.4, 0.3, 0.2, 0.1])),
    "urban": rng.randint(0, 2, n),
})
exposure = rng.uniform(0.1, 1.0, n)
TRUE_REGION = {"north": 0.0, "south": 0.25, "east": -0.2, "west": 0.4}
log_rate = (-2.3 - 0.012 * (policies["driver_age"] - 45) + 0.05 * policies["vehicle_power"]
            + policies["region"].map(TRUE_REGION).astype(float) + 0.3 * policies["urban"])
claims = rng.poisson(np.exp(log_rate) * exposure)
rate = claims / exposure
print(f"{n} policies, {exposure.sum():.0f} policy years, {claims.sum()} claims")

# 1. The filed GLM: every factor, unpenalized, with Wald intervals
glm = SparseLinearRegressor(alpha=0, loss="poisson").fit(policies, rate, sample_weight=exposure)
wald = coefficient_inference(glm, policies, rate, sample_weight=exposure, weights="variance")
print(wald)

frame = wald.to_frame().set_index("term")
reference = [t for t in wald.dropped_terms if t.startswith("region")][0].split(" == ")[1]
print(f"\nRegion relativities against {reference} (true values in brackets):")
for level, effect in TRUE_REGION.items():
    term = f"region == {level}"
    if term in frame.index:
        row = frame.loc[term]
        truth = np.exp(effect - TRUE_REGION[reference])
        print(f"  {level:6s} {row['relativity']:.3f}  95% [{row['relativity_lower']:.3f}, "
              f"{row['relativity_upper']:.3f}]  (true {truth:.3f})")

# 2. A lasso fit: bootstrap intervals and selection shares
policies["noise"] = rng.normal(size=n)  # a factor with no effect, for the lasso to drop
lasso = SparseLinearRegressor(alpha=1e-3, loss="poisson").fit(policies, rate, sample_weight=exposure)
boot = coefficient_inference(lasso, policies, rate, sample_weight=exposure, method="bootstrap",
                             n_resamples=100, random_state=0)
print()
print(boot)

# Relativities with their intervals, Wald beside bootstrap
shown = [t for t in frame.index if t != "(intercept)"]
boot_frame = boot.to_frame().set_index("term").loc[shown]
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
positions = np.arange(len(shown))
for offset, table, label in ((-0.15, frame.loc[shown], "Wald (alpha=0)"), (0.15, boot_frame, "bootstrap (lasso)")):
    middle = table["relativity"].to_numpy()
    errors = np.vstack([middle - table["relativity_lower"], table["relativity_upper"] - middle])
    ax.errorbar(middle, positions + offset, xerr=errors, fmt="o", capsize=3, label=label)
ax.axvline(1.0, color="grey", linewidth=0.8)
ax.set_yticks(positions, shown)
ax.set_xscale("log")
ticks = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75]  # plain factors, as a tariff reads
ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
ax.set_xlabel("relativity (factor on the claim rate), 95% interval")
ax.legend(loc="lower right")
fig.savefig(OUTPUT / "coefficient_intervals.png")
print(f"\nSaved {OUTPUT / 'coefficient_intervals.png'}")
