"""ShapeFunctionDisplay with X: rows of levels unseen in training are said, not silently left out of the shares."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from glassbox import GAMClassifier
from glassbox.plotting import ShapeFunctionDisplay


@pytest.fixture(scope="module")
def model_and_rows():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"plan": pd.Categorical(rng.choice(["basic", "plus", "pro"], 400)), "age": rng.normal(size=400)})
    y = (rng.random(400) < np.where(X["plan"] == "pro", 0.6, 0.3)).astype(int)
    model = GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y)
    new = X.iloc[:50].copy()
    new["plan"] = new["plan"].cat.add_categories(["enterprise"])
    new.iloc[:10, 0] = "enterprise"  # 20% of the rows in a level the model never saw
    return model, new


def test_unseen_share_is_written_on_the_strip_and_in_the_alt_text(model_and_rows):
    model, new = model_and_rows
    display = ShapeFunctionDisplay.from_estimator(model, new, term="plan")
    bars = display.ax_density_.patches
    drawn = sum(bar.get_height() for bar in bars)
    assert drawn == pytest.approx(0.8)  # the seen levels' shares
    notes = [text.get_text() for text in display.density_notes_]
    assert notes == ["unseen levels: 20.0%"]
    assert "Levels not seen in training: 20.0% of the rows (not drawn)" in display.alt_text_
    plt.close("all")


def test_no_unseen_note_for_training_density_or_seen_rows(model_and_rows):
    model, new = model_and_rows
    for X in (None, new.iloc[10:]):
        display = ShapeFunctionDisplay.from_estimator(model, X, term="plan")
        assert display.density_notes_ == []
        assert "not seen in training" not in display.alt_text_
    plt.close("all")


def test_the_unseen_note_clears_the_share_bars(model_and_rows):
    model, new = model_and_rows
    rows = new.copy()
    rows.iloc[10:, 0] = "pro"  # the last level holds most rows: its bar reaches the top of the strip
    display = ShapeFunctionDisplay.from_estimator(model, rows, term="plan")
    display.figure_.canvas.draw()
    renderer = display.figure_.canvas.get_renderer()
    note = display.density_notes_[0].get_window_extent(renderer)
    for bar in display.ax_density_.patches:
        assert not note.overlaps(bar.get_window_extent(renderer)), bar
    plt.close("all")
