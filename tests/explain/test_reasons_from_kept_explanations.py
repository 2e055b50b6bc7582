"""Reason codes read from explanations already computed (``local.reason_codes(reference_local)``) are those
read with the model (``reason_codes(model, X, reference=X_train)``): the explanation carries what each term reads."""

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from explain_fixtures import GLASSBOX_FAMILIES

from glassbox import DecisionSetClassifier, GAMClassifier, RiskScoreClassifier
from glassbox.explain import Link, LocalExplanation, reason_codes
from glassbox.explain.scorecard import points_text

FAMILIES = GLASSBOX_FAMILIES


@pytest.fixture(scope="module")
def heart(read_shared_csv):
    frame = read_shared_csv("heart.csv")
    return frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()


@pytest.fixture(scope="module", params=list(FAMILIES))
def fitted(request, heart):
    X, y = heart
    if request.param == "sparse linear":  # the one family that takes no missing values
        keep = X.notna().all(axis=1).to_numpy()
        X, y = X[keep], y[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        return request.param, FAMILIES[request.param]().fit(X, y), X


def _both_ways(model, X, rows, **options):
    with_model = reason_codes(model, rows, reference=X, adverse=1, **options)
    kept = model.explain_local(rows).reason_codes(model.explain_local(X), adverse=1, **options)
    return with_model, kept


def test_kept_explanations_give_the_reasons_the_model_gives(fitted):
    name, model, X = fitted
    rows = pd.concat([X.iloc[:40], X[X.isna().any(axis=1)]])  # and the rows that miss ca or thal (but linear's)
    with_model, kept = _both_ways(model, X, rows)
    pd.testing.assert_frame_equal(kept.to_frame(), with_model.to_frame())
    assert kept.features == with_model.features and kept == with_model
    if name in ("rule list", "decision set"):
        reasons = with_model.to_frame()["reason"]
        # a named rule decided most of these rows: the kept path named them all "default" before
        assert reasons.str.startswith("rule ").sum() > len(reasons) / 2
    assert kept.to_text(max_rows=None) == with_model.to_text(max_rows=None)
    assert kept._repr_html_(max_rows=None) == with_model._repr_html_(max_rows=None)


def test_kept_explanations_show_the_values_of_conditions_pairs_and_rules(fitted):
    name, model, X = fitted
    with_model, kept = _both_ways(model, X, X.iloc[:40])
    frame = kept.to_frame()
    multi = frame[~frame["reason"].isin(model.feature_names_in_) & (frame["reason"] != "default (no rule decided)")]
    if name == "sparse linear":  # its terms are features or levels of one (``cp == 4``)
        assert (multi["features"] != "").all()
        return
    assert len(multi) and (multi["value"] != "").all() and (multi["features"] != "").all()
    text = kept.to_text(max_rows=None)
    first = multi.iloc[0]
    assert f"{first['reason'].split(': ', 1)[-1]} (" in text  # the reason, then the row's values


def test_kept_explanations_group_by_feature_as_the_model_does(fitted):
    name, model, X = fitted
    with_model, kept = _both_ways(model, X, X.iloc[:40], by="feature")
    pd.testing.assert_frame_equal(kept.to_frame(), with_model.to_frame())


def test_an_explanation_read_back_from_json_keeps_what_its_terms_read(fitted):
    name, model, X = fitted
    local = model.explain_local(X.iloc[:40])
    again = LocalExplanation.from_json(local.to_json())
    assert again.term_features == local.term_features and again == local
    reference = model.explain_local(X)
    np.testing.assert_array_equal(again.reason_codes(reference, adverse=1).ranked,
                                  local.reason_codes(reference, adverse=1).ranked)
    assert str(again.reason_codes(reference, adverse=1)) == str(local.reason_codes(reference, adverse=1))
    assert local.row(3).term_features == local.term_features


def test_a_rule_models_default_is_named_by_its_place_not_by_reading_no_feature():
    # an explanation written before it carried term_features: a rule's features are read from its decision path
    X = pd.DataFrame({"age": np.arange(100.0)})
    y = (X["age"] >= 50).to_numpy().astype(int)
    model = DecisionSetClassifier(random_state=0).fit(X, y)
    payload = model.explain_local(X).to_dict()
    del payload["term_features"]
    old = LocalExplanation.from_dict(payload)
    assert old.term_features == tuple((("age",),) * (len(old.term_names) - 1)) + ((),)
    codes = old.reason_codes(old, adverse=1)
    fired = old.decision_path.fired[codes.to_frame()["row"].to_numpy()]
    expected = [f"rule {j + 1}: {old.term_names[j]}" if j < len(old.term_names) - 1 else "default (no rule decided)"
                for j in fired]
    assert codes.to_frame()["reason"].tolist() == expected and any(name.startswith("rule ") for name in expected)
    assert codes.to_frame().equals(model.explain_local(X).reason_codes(model.explain_local(X), adverse=1).to_frame())


def test_a_local_surrogates_offset_read_from_an_older_payload_is_never_a_reason():
    # an explanation written before it carried term_features: the offset reads no feature, as it did when written
    from sklearn.ensemble import RandomForestClassifier

    from glassbox.surrogate import LocalSurrogate

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    y = (X["a"] + X["b"] * X["c"] + rng.logistic(size=200) > 0).astype(int).to_numpy()
    forest = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    local = LocalSurrogate(forest, random_state=0).fit(X).explain_local(X.iloc[:30])
    payload = local.to_dict()
    del payload["term_features"]
    old = LocalExplanation.from_dict(payload)
    assert old.term_features == local.term_features == (("a",), ("b",), ("c",), ())
    codes = old.reason_codes(old, adverse=0, allow_approximate=True)
    assert local.term_names[-1] not in codes.to_frame()["reason"].tolist()
    assert codes == local.reason_codes(local, adverse=0, allow_approximate=True)


def test_grouping_by_feature_without_term_features_says_how_to_get_them(heart):
    X, y = heart
    model = GAMClassifier(interactions=2, random_state=0).fit(X, y)
    local = model.explain_local(X.iloc[:20])
    payload = local.to_dict()
    del payload["term_features"]  # written before explanations kept them: a pair's features are not known
    old = LocalExplanation.from_dict(payload)
    with pytest.raises(ValueError, match=r"explain the rows again with the model \(model.explain_local\(X\).*"
                                         r"dataclasses.replace\(explanation, term_features=\.\.\.\)"):
        old.reason_codes(old, adverse=1, by="feature")
    rebuilt = dataclasses.replace(old, term_features=local.term_features)  # what the message says, followed
    assert rebuilt.reason_codes(rebuilt, adverse=1, by="feature") == local.reason_codes(local, adverse=1, by="feature")


def test_term_features_must_match_the_terms():
    with pytest.raises(ValueError, match="term_features has 1 entries for 2 terms"):
        LocalExplanation(
            model="Toy", term_names=("a", "b"), base_value=0.0, contributions=np.zeros((1, 2)),
            feature_names=("a", "b"), feature_values=np.zeros((1, 2)), decision=np.zeros(1),
            prediction=np.zeros(1), link=Link("identity"),
            term_features=(("a",),),
        )


def test_a_risk_scores_kept_explanation_names_the_conditions_a_missing_value_left_unearned(heart):
    X, y = heart
    card = RiskScoreClassifier().fit(X, y)
    rows = X.loc[[166, 302, 0]]  # ca is missing in the first two
    local = card.explain_local(rows)
    assert [len(entries) for entries in local.unearned_missing] == [1, 1, 0]
    condition, feature, points = local.unearned_missing[0][0]
    assert feature == "ca" and f"{condition} ({points_text(points)}) not earned" in local.notes[0]
    again = LocalExplanation.from_json(local.to_json())
    assert again.unearned_missing == local.unearned_missing
    assert again.row(1).unearned_missing == (local.unearned_missing[1],)
    text = str(again.reason_codes(card.explain_local(X), adverse=1))
    assert "ca is missing: scored as not ca >= 1" in text
    assert text == str(reason_codes(card, rows, reference=X, adverse=1))


def test_reason_codes_keep_a_cards_unearned_conditions_once_in_their_explanation(heart):
    from glassbox.explain import ReasonCodes

    X, y = heart
    card = RiskScoreClassifier().fit(X, y)
    codes = reason_codes(card, X.loc[[166, 302, 0]], reference=X, adverse=1)
    assert codes.unearned_missing is codes.explanation.unearned_missing and any(codes.unearned_missing)
    payload = codes.to_dict()
    assert "unearned_missing" not in payload and codes.to_json().count('"unearned_missing"') == 1
    # a payload written when the reason codes, not their explanation, held them
    payload["unearned_missing"] = payload["explanation"].pop("unearned_missing")
    old = ReasonCodes.from_dict(payload)
    assert old.unearned_missing == codes.unearned_missing and old == codes
    assert "ca is missing: scored as not ca >= 1" in str(old) and str(old) == str(codes)
