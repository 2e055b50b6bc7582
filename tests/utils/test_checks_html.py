"""The glassbox round-trip check holds an explanation's notebook view to accessible table markup."""

import pytest

from glassbox.explain import CoefficientTable
from glassbox.utils.checks import check_explanation_round_trip

from toy_glassbox_models import ToyLinearClassifier


@pytest.mark.parametrize("page, message", [
    ("<pre>term  coefficient\nage   0.5</pre>", "is not a table"),
    ('<table><thead><tr><th scope="col">term</th></tr></thead><tbody></tbody></table>', "has no <caption>"),
    ("<table><caption>Coefficients</caption><tbody><tr><td>age</td></tr></tbody></table>", "no column headers"),
])
def test_the_check_refuses_html_a_screen_reader_cannot_follow(monkeypatch, page, message):
    monkeypatch.setattr(CoefficientTable, "_repr_html_", lambda self: page)
    with pytest.raises(AssertionError, match=message):
        check_explanation_round_trip("ToyLinearClassifier", ToyLinearClassifier())


def test_the_check_passes_the_library_own_tables():
    check_explanation_round_trip("ToyLinearClassifier", ToyLinearClassifier())
