"""fidelity_report refuses counts that would quietly change the report, naming the parameter."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import fidelity_report


@pytest.fixture(scope="module")
def models():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 0).astype(int)
    return LogisticRegression().fit(X, y), LogisticRegression(C=0.001).fit(X, y), X


@pytest.mark.parametrize("keyword, value, fragment", [
    ("n_worst", -1, "n_worst (how many worst rows to keep) must be an int >= 0, got -1"),
    ("n_worst", 2.5, "n_worst (how many worst rows to keep) must be an int >= 0, got 2.5"),
    ("n_bins", 0, "n_bins (quantile bins per numeric feature for the segment table) must be an int from 1 to 255"),
    ("n_bins", 300, "must be an int from 1 to 255, got 300"),
    ("n_bins", True, "must be an int from 1 to 255, got True"),
    ("min_segment_rows", 0, "min_segment_rows (the fewest rows a segment may have, or None) must be an int >= 1"),
])
def test_bad_counts_are_refused(models, keyword, value, fragment):
    teacher, student, X = models
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        fidelity_report(teacher, student, X, **{keyword: value})


def test_good_counts_are_read(models):
    teacher, student, X = models
    report = fidelity_report(teacher, student, X, n_bins=2, min_segment_rows=1, n_worst=0)
    assert report.worst_rows == ()
    assert len([segment for segment in report.segments if segment[0] == "x0"]) == 2  # two bins, one cut
    assert len(fidelity_report(teacher, student, X, n_worst=3).worst_rows) == 3
    assert fidelity_report(teacher, student, X, n_worst=np.int64(2), min_segment_rows=None).n_samples == 300
