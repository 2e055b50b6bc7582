"""The demo's first model is one its estimator does not warn against."""

import warnings

import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox.demo import main


def test_demo_rule_list_converges(tmp_path, capsys):
    # At n_iter=5000 with pairs of conditions the demo opened with "the chains disagree" (R-hat 1.387).
    pytest.importorskip("matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["demo", "--only", "BayesianRuleListClassifier", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert not [w for w in caught if issubclass(w.category, ConvergenceWarning)], [str(w.message) for w in caught]
    assert "(at most 1.1: the chains agree)" in printed, printed[:2000]
