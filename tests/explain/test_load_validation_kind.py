"""A model file that is not one is refused with a ValueError, whatever its fields hold.

``glassbox.from_json`` promises a ValueError for any text it cannot read as a
model (docs/inputs.rst), so a loader can ``except ValueError`` to reject a bad
file: a ``kind`` that is no string, or a number too large for its field, must
not escape as a TypeError or OverflowError.
"""

import json

import numpy as np
import pytest

import glassbox
from glassbox.explain import CoefficientTable, GlobalExplanation, LinearTerm, Link


def _payload():
    table = CoefficientTable(model="Demo", feature_names=["x"], link=Link("logit"), classes=np.array([0, 1]),
                             base_value=0.5, terms=[LinearTerm("x")], coefficients=[1.5],
                             standardized_coefficients=[0.9], constraints=[0])
    return table.to_dict()


@pytest.mark.parametrize("kind", [["coefficient_table"], {"name": "coefficient_table"}, 3, True])
def test_a_kind_that_is_no_string_is_refused_naming_the_field(kind):
    payload = _payload()
    payload["kind"] = kind
    with pytest.raises(ValueError, match=r"Not a glassbox model: its 'kind' is .* where a model's JSON names its kind "
                                         "as a string"):
        GlobalExplanation.from_dict(payload)
    with pytest.raises(ValueError, match="its 'kind' is"):
        glassbox.from_json(json.dumps(payload))


def test_an_integer_too_large_for_its_field_is_refused_as_a_damaged_file():
    # the link's scale is read as a float: 10**400 overflows it
    payload = _payload()
    payload["link"]["scale"] = 10**400
    with pytest.raises(ValueError, match="damaged or incomplete: OverflowError"):
        GlobalExplanation.from_dict(payload)
    with pytest.raises(ValueError, match="damaged or incomplete: OverflowError"):
        glassbox.from_json(json.dumps(payload))
