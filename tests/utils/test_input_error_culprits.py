"""Error messages name only the culprits: the object types that are not numbers, bytes that are not text."""

import decimal

import numpy as np
import pytest

from glassbox.explain._columns import as_float
from glassbox.explain._serialize import parse_json_text
from glassbox.utils.tabular import _object_column


def test_as_float_names_only_the_types_it_cannot_read():
    values = np.array([np.int64(1), None, decimal.Decimal("2.5"), np.float32(3), {"a": 1}], dtype=object)
    with pytest.raises(ValueError, match=r"neither numbers nor missing \(dict\)\.") as info:
        as_float(values, "f")
    for accepted in ("NoneType", "int64", "Decimal", "float32"):
        assert accepted not in str(info.value)


def test_an_object_column_names_only_the_types_it_cannot_read():
    column = np.array([np.int64(1), None, decimal.Decimal("2.5"), np.float32(3), {"a": 1}], dtype=object)
    with pytest.raises(TypeError, match=r"neither numbers nor text \(dict\):"):
        _object_column(column, "f")


@pytest.mark.parametrize("data", [b"\xff\xfe{", bytearray(b"\x80{}")])
def test_bytes_that_are_not_text_get_the_guided_error(data):
    with pytest.raises(ValueError, match="bytes that are not UTF-8, UTF-16 or UTF-32 text .*write it again with "
                                         "to_json") as info:
        parse_json_text(data, "Model.from_json", "Model.from_dict")
    assert isinstance(info.value.__cause__, UnicodeDecodeError)


def test_a_broken_json_counts_bytes_as_bytes_and_text_as_characters():
    with pytest.raises(ValueError, match=r"of 6 bytes\)"):
        parse_json_text(b'{"a": ', "L", "D")
    with pytest.raises(ValueError, match=r"of 6 characters\)"):
        parse_json_text('{"a": ', "L", "D")
