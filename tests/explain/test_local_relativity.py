"""Local explanations of log-link models read as a rating engine reads a quote: base rate x relativities."""

import numpy as np
import pandas as pd
import pytest

from glassbox import GAMRegressor, SparseLinearRegressor


def _book(n=600, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"age": rng.uniform(18, 80, n), "zone": rng.choice(["A", "B", "C"], n)})
    rate = np.exp(-1.0 + 0.02 * (X["age"] - 50) + 0.4 * (X["zone"] == "A"))
    return X, rng.poisson(rate).astype(float)


@pytest.fixture(scope="module", params=["gam", "linear"])
def poisson_explanation(request):
    X, y = _book()
    model = (GAMRegressor(loss="poisson", interactions=0, random_state=0) if request.param == "gam"
             else SparseLinearRegressor(alpha=0, loss="poisson")).fit(X, y)
    return model, X.iloc[:4], model.explain_local(X.iloc[:4])


def test_to_frame_has_relativities_that_multiply_out_to_the_prediction(poisson_explanation):
    model, rows, explanation = poisson_explanation
    frame = explanation.to_frame(include_base=True)
    assert list(frame.columns) == ["row", "term", "contribution", "relativity"]
    np.testing.assert_array_equal(frame["relativity"], np.exp(frame["contribution"]))
    product = frame.groupby("row")["relativity"].prod().to_numpy()
    np.testing.assert_allclose(product, model.predict(rows), rtol=1e-12)
    base = frame[frame["term"] == "base value"]["relativity"].to_numpy()
    np.testing.assert_allclose(base, np.exp(explanation.base_value), rtol=1e-15)
    assert "relativity" in explanation.to_frame().columns  # without the base row too


def test_the_printout_gives_each_term_s_factor_and_the_base_rate(poisson_explanation):
    model, rows, explanation = poisson_explanation
    text = explanation.row(0).to_text()
    header = next(line for line in text.splitlines() if line.strip().startswith("term"))
    assert header.split() == ["term", "contribution", "relativity"]
    base_line = next(line for line in text.splitlines() if line.strip().startswith("base value"))
    base_rate = float(np.exp(explanation.base_value))
    assert f"{base_rate:.4g}" in base_line
    factors = [float(part[1:]) for line in text.splitlines() for part in line.split() if part.startswith("x")
               and part[1:2].isdigit()]
    assert len(factors) == np.count_nonzero(explanation.contributions[0])
    # the printed factors (4 significant digits) multiply out to the printed prediction
    assert base_rate * np.prod(factors) == pytest.approx(model.predict(rows.iloc[[0]])[0], rel=5e-3)
    assert f"= base rate {base_rate:.4g} x the relativities" in text


def test_other_links_get_no_relativity():
    X, y = _book()
    explanation = SparseLinearRegressor(alpha=0).fit(X, y).explain_local(X.iloc[:2])
    assert "relativity" not in explanation.to_frame().columns
    assert "relativity" not in str(explanation) and not explanation.has_relativities
