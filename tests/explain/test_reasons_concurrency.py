"""Predict-time paths never touch the process-wide warning filters.

``warnings.catch_warnings`` saves and restores the process's filter list and is
not thread-safe: two threads that enter it at once can leave an "ignore"
installed for good, after which no warning of the process is shown.  Reason
codes, distilled copies and the local surrogate therefore never enter it:
glassbox's own switches are context variables, local to the calling thread.
"""

import contextlib
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from explain_fixtures import credit_applicants

from glassbox import DistilledClassifier, GAMClassifier, LocalSurrogate
from glassbox.explain import reason_codes
from glassbox.utils.validation import untrained_values_already_warned


@contextlib.contextmanager
def filters_never_swapped():
    """Fail when glassbox uses the process-wide filter list (catch_warnings, simplefilter, filterwarnings) inside."""
    saved = warnings.catch_warnings, warnings.simplefilter, warnings.filterwarnings

    def guarded(original):
        def refuse_from_glassbox(*args, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("glassbox."):
                raise AssertionError(f"{caller} changed the process-wide warning filters")
            return original(*args, **kwargs)
        return refuse_from_glassbox

    warnings.catch_warnings, warnings.simplefilter, warnings.filterwarnings = map(guarded, saved)
    try:
        yield
    finally:
        warnings.catch_warnings, warnings.simplefilter, warnings.filterwarnings = saved


@pytest.fixture(scope="module")
def gam():
    X, y = credit_applicants(n=300)
    return GAMClassifier(interactions=0, outer_bags=2, random_state=0).fit(X, y), X


def test_reason_codes_with_a_reference_leave_the_filters_alone(gam):
    model, X = gam
    reference = model.explain_local(X)
    with filters_never_swapped():
        codes = reason_codes(model, X.iloc[:3], reference=reference, adverse="bad")
    assert codes.ranked.shape[0] == 3


def test_reference_rows_are_not_warned_of_again_but_the_applicant_is(gam):
    model, X = gam
    odd = X.iloc[:40].assign(purpose="boat")  # a level never seen in training
    with pytest.warns(UserWarning, match="not seen in training"):
        reference = model.explain_local(odd)
    applicant = X.iloc[[50]].assign(purpose="yacht")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reason_codes(model, applicant, reference=reference, adverse="bad")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "yacht" in messages[0] and "boat" not in messages[0], messages


def test_the_switch_is_local_to_the_thread_that_set_it(gam):
    model, X = gam
    odd = X.iloc[:5].assign(purpose="boat")
    inside, outside = threading.Event(), threading.Event()

    def quiet():
        with untrained_values_already_warned():
            inside.set()
            outside.wait(10)
            model.predict(odd)

    worker = threading.Thread(target=quiet)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        worker.start()
        inside.wait(10)
        model.predict(odd)  # this thread warns while the other one is inside its quiet block
        outside.set()
        worker.join()
    assert [str(w.message) for w in caught if "boat" in str(w.message)] != []
    assert len([w for w in caught if "boat" in str(w.message)]) == 1


def test_concurrent_reason_codes_never_swap_the_filters_themselves(gam):
    # Not "the filter list is unchanged afterwards": pandas enters catch_warnings itself in some
    # dtype checks (is_extension_array_dtype, pandas_dtype), so under threads the list can still be
    # swapped by pandas; what glassbox controls is that none of its own code does.
    model, X = gam
    reference = model.explain_local(X)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with filters_never_swapped(), ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda i: reason_codes(model, X.iloc[[i % 50]], reference=reference, adverse="bad"),
                                  range(160)))
    finally:
        sys.setswitchinterval(interval)
    assert all(c.ranked.shape[0] == 1 for c in codes)


@pytest.fixture(scope="module")
def distilled():
    X, y = credit_applicants(n=200)
    return DistilledClassifier(student=GAMClassifier(interactions=0, outer_bags=2), random_state=0).fit(X, y), X


def test_a_distilled_copy_warns_of_unnamed_rows_once_naming_itself(distilled):
    copy, X = distilled
    proba = copy.predict_proba(X.iloc[:5])
    recorded = []
    monkey_warn = warnings.warn

    def record(message, category=None, stacklevel=1, **kwargs):
        recorded.append(str(message))

    warnings.warn = record
    try:
        with filters_never_swapped():
            copy.predict_proba(X.iloc[:5].to_numpy(dtype=object))
    finally:
        warnings.warn = monkey_warn
    assert len(recorded) == 1 and "DistilledClassifier" in recorded[0], recorded
    np.testing.assert_array_equal(copy.predict_proba(X.iloc[:5]), proba)


def test_a_student_called_directly_still_checks_its_columns(distilled):
    copy, X = distilled
    copy.predict(X.iloc[:3])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        copy.student_.predict(X.iloc[:3].to_numpy(dtype=object))
    with pytest.raises(ValueError, match="feature names"):
        copy.predict(X.iloc[:3].rename(columns={"age": "years"}))


def test_local_surrogate_fit_on_an_all_missing_column_leaves_the_filters_alone():
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, y = credit_applicants(n=120)
    X = X.drop(columns="purpose").assign(blank=np.nan)
    teacher = make_pipeline(SimpleImputer(keep_empty_features=True), LogisticRegression()).fit(X, y)
    with filters_never_swapped():
        surrogate = LocalSurrogate(teacher, n_samples=200, random_state=0).fit(X)
    assert surrogate.mean_[2] == 0.0 and np.all(np.isfinite(surrogate.scale_))
    with filters_never_swapped():
        weighted = LocalSurrogate(teacher, n_samples=200, random_state=0).fit(X, sample_weight=np.arange(len(X)) % 3)
    assert weighted.mean_[2] == 0.0 and weighted.mean_[0] > 0
