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
   spread of its estimates and how often each term is selected.  The exposures
   are precisions, not copies of policies, so both calls pass
   ``weights="variance"``: the bootstrap then draws policies that keep their
   exposures (read as frequency weights, each resample would draw as many
   policies as there are policy years, about half of them, and the intervals
   would be about 1.4 times too wide).
3. Both as forest plots (:class:`glassbox.plotting.CoefficientIntervalDisplay`):
   each relativity a point, its interval a line, on a log axis of factors.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from glassbox import SparseLinearRegressor, coefficient_inference  # noqa: E402
from glassbox.plotting import CoefficientIntervalDisplay  # noqa: E402

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
reference = wald.reference_levels["region"]  # the level the others are read against
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
boot = coefficient_inference(lasso, policies, rate, sample_weight=exposure, weights="variance",
                             method="bootstrap", n_resamples=100, random_state=0)
print()
print(boot)

# Relativities with their intervals, Wald beside bootstrap: one forest plot each
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained", sharex=True)
CoefficientIntervalDisplay.from_explanation(wald, relativity=True, ax=left)
CoefficientIntervalDisplay.from_explanation(boot, relativity=True, ax=right)
fig.savefig(OUTPUT / "coefficient_intervals.png")
print(f"\nSaved {OUTPUT / 'coefficient_intervals.png'}")
