"""A model file of another format version is refused before anything else is read, saying how to load it."""

import json

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import SparseLinearClassifier
from glassbox.explain.base import FORMAT_VERSION


@pytest.fixture(scope="module")
def payload():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    return json.loads(SparseLinearClassifier().fit(X, (X["a"] > 0).astype(int)).to_json())


def test_a_newer_file_says_to_upgrade_even_with_a_kind_this_release_lacks(payload):
    for edit in ({"format_version": FORMAT_VERSION + 1},
                 {"format_version": FORMAT_VERSION + 1, "kind": "oblique_tree"}):
        with pytest.raises(ValueError, match=rf"format version {FORMAT_VERSION + 1}, written by a newer glassbox; "
                                             rf"this release reads format version {FORMAT_VERSION} only\. Upgrade "
                                             r"glassbox .* or write the JSON again with to_json\(\)"):
            glassbox.from_json(json.dumps({**payload, **edit}))


@pytest.mark.parametrize("version", sorted({FORMAT_VERSION - 1, 0}))
def test_an_older_file_says_to_load_it_with_the_release_that_wrote_it(payload, version):
    with pytest.raises(ValueError, match=rf"format version {version}, written by an older glassbox; this release "
                                         rf"reads format version {FORMAT_VERSION} only\. Load it with the glassbox "
                                         r"release that wrote it and fit the model again with this release, whose "
                                         rf"to_json\(\) writes format version {FORMAT_VERSION}\."):
        glassbox.from_json(json.dumps({**payload, "format_version": version}))


@pytest.mark.parametrize("version", [True, 1.0, "1", None])
def test_a_version_that_is_not_the_integer_is_refused(payload, version):
    # True == 1 and 1.0 == 1 in Python; to_json() writes the integer, so anything else is a damaged file
    with pytest.raises(ValueError, match=rf"damaged or incomplete: its format_version is {version!r} .*the integer "
                                         rf"{FORMAT_VERSION}"):
        glassbox.from_json(json.dumps({**payload, "format_version": version}))


def test_the_written_version_loads(payload):
    assert type(payload["format_version"]) is int
    assert glassbox.from_json(json.dumps(payload)).to_dict() == payload
