"""The scikit-learn release the shim reads, and the estimator-check bugs it excuses by release."""

import pytest
import sklearn

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.utils._sklearn_shim import harness_check_bugs, sklearn_release


@pytest.mark.parametrize("version, release", [
    ("1.7.2", (1, 7, 2)), ("1.8.0rc1", (1, 8, 0)), ("1.9.dev0", (1, 9, 0)), ("1.6", (1, 6, 0)),
])
def test_the_release_has_its_micro_number(monkeypatch, version, release):
    monkeypatch.setattr(sklearn, "__version__", version)
    assert sklearn_release() == release
    assert (sklearn_release() < (1, 7)) == (release[:2] < (1, 7))  # compares with (major, minor) as before


@pytest.mark.parametrize("version, excused", [("1.6.1", True), ("1.7.0", True), ("1.7.1", False), ("1.8.0", False)])
def test_the_positive_only_check_is_excused_before_its_fix_in_1_7_1(monkeypatch, version, excused):
    # measured: SparseLinearClassifier fails scikit-learn 1.7.0's check_positive_only_tag_during_fit and passes 1.7.1's
    monkeypatch.setattr(sklearn, "__version__", version)
    assert ("check_positive_only_tag_during_fit" in harness_check_bugs(SparseLinearClassifier())) == excused
    assert "check_positive_only_tag_during_fit" not in harness_check_bugs(GAMClassifier())  # it reads NaN
