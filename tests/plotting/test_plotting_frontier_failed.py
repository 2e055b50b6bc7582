"""FidelityFrontierDisplay draws the students that fitted when others of the grid failed."""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression

from glassbox import DecisionSetClassifier, SparseLinearClassifier
from glassbox.surrogate import fidelity_frontier


def test_frontier_plot_skips_a_student_that_failed():
    # Sparse linear students refuse NaN, so on data with missing values the default grid holds
    # failed rows; the plot once joined their unit (None) into the axis label and crashed.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] > 0).astype(int)
    teacher = LogisticRegression().fit(X, y)
    X[::10, 1] = np.nan  # after the teacher's fit: it reads the rows through a wrapper that imputes
    teacher_fn = lambda Z: teacher.predict(np.nan_to_num(Z))  # noqa: E731
    frontier = fidelity_frontier(teacher_fn, X, task="classification", students={
        "linear": SparseLinearClassifier(), "rules": DecisionSetClassifier(random_state=0)})
    assert any(row["complexity"] is None for row in frontier.rows)  # the premise: one student failed
    display = frontier.plot()
    assert "None" not in display.ax_.get_xlabel()
    drawn = [line.get_label() for line in display.ax_.get_lines()]
    assert drawn == ["rules", "target"]
    plt.close("all")
