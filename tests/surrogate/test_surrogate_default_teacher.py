"""The default teacher (teacher=None) reads the frames the students read; one-class teachers are named."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.pipeline import Pipeline

from glassbox import DecisionSetClassifier, GAMClassifier, GAMRegressor
from glassbox.surrogate import DistilledClassifier, DistilledRegressor
from glassbox.surrogate._teacher import TeacherEncoder


def _gam(kind):
    settings = {"interactions": 0, "outer_bags": 1, "max_rounds": 100, "random_state": 0}
    return GAMClassifier(**settings) if kind == "classifier" else GAMRegressor(**settings)


def _mixed_frame(n=240, seed=0):
    """Numeric, object, string, category, bool and a numeric column with NaNs."""
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({
        "age": rng.normal(40, 10, n),
        "city": rng.choice(["north", "south", "east"], n).astype(object),
        "plan": pd.array(rng.choice(["basic", "pro"], n), dtype="string"),
        "color": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        "member": rng.rand(n) > 0.5,
        "income": rng.normal(size=n),
    })
    frame.loc[rng.rand(n) < 0.15, "income"] = np.nan
    frame.loc[[3, 7], "city"] = None
    frame.loc[5, "plan"] = pd.NA
    signal = (frame["age"] - 40) / 10 + 1.5 * (frame["city"] == "north") - (frame["color"] == "red").astype(float)
    return frame, signal.to_numpy() + 0.3 * rng.normal(size=n)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_default_teacher_distils_a_mixed_frame_and_reads_unseen_categories_as_missing(kind):
    frame, signal = _mixed_frame()
    if kind == "classifier":
        copy = DistilledClassifier(student=_gam(kind), random_state=0).fit(frame, signal > 0.3)
        assert copy.fidelity_.agreement >= 0.9
        teacher_output = "predict_proba"
    else:
        copy = DistilledRegressor(student=_gam(kind), random_state=0).fit(frame, signal)
        assert copy.fidelity_.r2 >= 0.8
        teacher_output = "predict"
    teacher = copy.teacher_
    assert isinstance(teacher, Pipeline) and type(teacher[-1]).__name__.startswith("HistGradientBoosting")
    # object, string and category columns are the model's categorical inputs; bool and numbers are not
    np.testing.assert_array_equal(teacher[-1].categorical_features, [False, True, True, True, False, False])
    assert "HistGradientBoosting" in str(copy.explain_global().model)

    new_rows = frame.iloc[:6].copy()
    new_rows.loc[new_rows.index[:3], "city"] = "west"  # a level neither teacher nor student has seen
    with pytest.warns(UserWarning, match=r"city.*not seen in training.*\['west'\]"):
        copy.predict(new_rows)
    # the teacher sends an unseen level down the same branch as a missing value
    as_missing = new_rows.copy()
    as_missing.loc[as_missing.index[:3], "city"] = None
    np.testing.assert_array_equal(getattr(teacher, teacher_output)(new_rows),
                                  getattr(teacher, teacher_output)(as_missing))


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_default_teacher_is_unchanged_on_numeric_and_category_frames(kind):
    frame, signal = _mixed_frame()
    weights = np.random.RandomState(1).uniform(0.5, 2.0, len(frame))
    numeric = frame[["age", "income", "member"]]
    with_categories = frame[["age", "income", "color"]]
    for X in (numeric, with_categories):
        if kind == "classifier":
            y = signal > 0.3
            copy = DistilledClassifier(student=_gam(kind), random_state=0).fit(X, y, sample_weight=weights)
            plain = HistGradientBoostingClassifier(random_state=0).fit(X, y, sample_weight=weights)
            ours, reference = copy.teacher_.predict_proba(X), plain.predict_proba(X)
        else:
            copy = DistilledRegressor(student=_gam(kind), random_state=0).fit(X, signal, sample_weight=weights)
            plain = HistGradientBoostingRegressor(random_state=0).fit(X, signal, sample_weight=weights)
            ours, reference = copy.teacher_.predict(X), plain.predict(X)
        assert type(copy.teacher_) is type(plain)  # the model itself, no encoder in front
        np.testing.assert_array_equal(ours, reference)


def test_teacher_encoder_codes_by_frequency_and_maps_missing_and_unseen_to_nan():
    frame = pd.DataFrame({
        "level": np.array(["a"] * 5 + ["b"] * 3 + ["c"] * 2 + ["d"] + [None], dtype=object),
        "gone": np.nan,
        "x": np.arange(12.0),
    })
    encoder = TeacherEncoder(max_categories=3).fit(frame)
    np.testing.assert_array_equal(encoder.kept_, [0, 2])  # the all-missing column is dropped
    assert encoder.get_feature_names_out().tolist() == ["level", "x"]
    np.testing.assert_array_equal(encoder.categorical_mask_, [True, False])
    new = pd.DataFrame({"level": np.array(["a", "b", "c", "d", None, "zzz"], dtype=object),
                        "gone": np.nan, "x": np.arange(6.0)})
    codes = encoder.transform(new)
    # the two rarest levels share the last of the three codes; missing and unseen are NaN
    np.testing.assert_array_equal(codes[:, 0], [0, 1, 2, 2, np.nan, np.nan])
    np.testing.assert_array_equal(codes[:, 1], np.arange(6.0))
    # the codes do not depend on the order of the training rows
    shuffled = TeacherEncoder(max_categories=3).fit(frame.iloc[::-1])
    np.testing.assert_array_equal(shuffled.transform(new), codes)


def test_default_teacher_drops_a_column_missing_in_every_row_and_reads_text_arrays():
    frame, signal = _mixed_frame(n=160)
    frame["empty"] = np.nan
    student = DecisionSetClassifier(max_rules=3, random_state=0)  # rules accept an all-missing column
    copy = DistilledClassifier(student=student, random_state=0).fit(frame, signal > 0.3)
    assert copy.teacher_[-1].n_features_in_ == frame.shape[1] - 1
    assert copy.fidelity_.agreement >= 0.8
    # a GAM student rejects such a column itself, naming it (the teacher is not the one complaining)
    with pytest.raises(ValueError, match="'empty' is missing in every training row"):
        DistilledClassifier(student=_gam("classifier")).fit(frame, signal > 0.3)

    text = frame[["age", "city"]].to_numpy(dtype=object)
    text[[3, 7], 1] = "none"
    copy = DistilledClassifier(student=_gam("classifier"), random_state=0).fit(text, signal > 0.3)
    np.testing.assert_array_equal(copy.teacher_[-1].categorical_features, [False, True])
    assert copy.fidelity_.agreement >= 0.9


def test_default_teacher_reads_a_category_column_with_more_levels_than_max_bins():
    rng = np.random.RandomState(0)
    n = 1500
    levels = pd.Categorical(rng.randint(0, 300, n), categories=range(400))
    many = pd.DataFrame({"x": rng.normal(size=n), "level": levels})
    y = many["x"].to_numpy() + 0.1 * rng.normal(size=n)
    # about 300 levels in the rows: 254 levels keep codes of their own, the rarer share one; the teacher
    # fits, so the error is the student's own (the students take at most 254 levels)
    assert np.nanmax(TeacherEncoder().fit(many).transform(many)[:, 1]) == 254
    with pytest.raises(ValueError, match=r"'level' has 29\d levels.* 254"):  # the student's cap, in either wording
        DistilledRegressor(student=_gam("regressor")).fit(many, y)
    # 400 levels declared but 200 in the rows: the model reads the column itself, as before
    few = many.assign(level=pd.Categorical(rng.randint(0, 200, n), categories=range(400)))
    copy = DistilledRegressor(student=_gam("regressor"), random_state=0).fit(few, y)
    assert isinstance(copy.teacher_, HistGradientBoostingRegressor)


def test_a_given_teacher_that_cannot_read_text_is_named():
    frame, signal = _mixed_frame(n=120)
    frame["empty"] = np.nan
    with pytest.raises(ValueError, match=r"teacher HistGradientBoostingClassifier could not be fitted.*X has text "
                                         r"\(object/string\) columns \['city', 'plan'\] and columns missing in every "
                                         r"row \['empty'\].*Pipeline that encodes X"):
        DistilledClassifier(HistGradientBoostingClassifier(max_iter=5), _gam("classifier")).fit(frame, signal > 0)


def test_a_teacher_that_predicts_one_class_is_named_with_the_fix():
    frame, signal = _mixed_frame(n=120)
    X, y = frame[["age", "income"]], (signal > 0.3).astype(int)
    constant = DummyClassifier(strategy="constant", constant=1).fit(X, y)  # knows classes 0 and 1
    with pytest.raises(ValueError, match=r"teacher DummyClassifier predicts the single class 1 on every.*n_augment"):
        DistilledClassifier(constant, _gam("classifier")).fit(X)
    # a teacher trained with no weight on class 0 predicts class 1 only
    weights = (y == 1).astype(float)
    fitted_without_class_0 = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y, sample_weight=weights)
    with pytest.raises(ValueError, match=r"teacher HistGradientBoostingClassifier predicts the single class 1"):
        DistilledClassifier(fitted_without_class_0, _gam("classifier")).fit(X, y, sample_weight=weights)
    # one to be fitted here learns from the rows of positive weight only, which hold one class: said at once
    with pytest.raises(ValueError, match=r"only one class \(1\) among the rows of positive sample_weight"):
        DistilledClassifier(student=_gam("classifier")).fit(X, y, sample_weight=weights)
    # whichever the student's target: labels, probabilities (all of the weight on one class)
    for target, student in [("labels", DecisionSetClassifier(max_rules=3)), ("probabilities", _gam("classifier"))]:
        with pytest.raises(ValueError, match=r"teacher DummyClassifier predicts the single class 1"):
            DistilledClassifier(constant, student, target=target).fit(X)
    # a teacher unsure between two classes still has two to teach with probabilities
    unsure = DummyClassifier(strategy="prior").fit(X, np.arange(len(y)) % 2)  # 0.5 / 0.5, predicts 0
    copy = DistilledClassifier(unsure, _gam("classifier"), target="probabilities").fit(X)
    np.testing.assert_allclose(copy.predict_proba(X), 0.5, atol=1e-6)


def test_default_teacher_reads_flags_held_as_objects_with_pd_na():
    frame, signal = _mixed_frame(n=200)
    flags = frame[["age", "member"]].assign(member=frame["member"].astype("boolean"))
    flags.loc[::20, "member"] = pd.NA
    objects = flags.astype({"member": object})  # True / False / pd.NA objects: the students read a flag
    copy = DistilledClassifier(student=_gam("classifier"), random_state=0).fit(objects, signal > 0.3)
    assert copy.student_.is_boolean_.tolist() == [False, True]
    assert isinstance(copy.teacher_, Pipeline)  # HistGradientBoosting cannot read pd.NA among objects
    twin = DistilledClassifier(student=_gam("classifier"), random_state=0).fit(flags, signal > 0.3)
    np.testing.assert_array_equal(copy.predict_proba(objects), twin.predict_proba(flags))
