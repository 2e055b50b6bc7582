"""The glassbox checks: the explanation contract, verified on any estimator.

Run them over every registered estimator (``tests/test_common.py`` does) or on
your own::

    from glassbox.utils.checks import check_glassbox_estimator
    check_glassbox_estimator(MyModel())

Each check fits the estimator on small generated data that uses what the
estimator declares it supports (scikit-learn tags ``allow_nan`` and
``categorical``; a ``monotonic_cst`` parameter) and raises ``AssertionError``
when the contract is broken:

- local additivity: ``base_value + contributions.sum(axis=1)`` equals the
  decision function bit for bit, and probabilities / predictions follow from it;
- global completeness: the global explanation alone recomputes every term's
  contribution and the decision function (bit-exact for rules and scorecards,
  ``rtol=1e-12`` otherwise);
- explanation round trip: global and local explanations survive JSON exactly,
  and a model loaded from ``to_json`` predicts exactly like the estimator;
- monotonicity: constrained features move the output in their direction on a
  dense grid, with no tolerance.
"""

import json

import numpy as np
from sklearn.base import clone, is_classifier

from ..explain import GlobalExplanation, LocalExplanation, RuleList, RuleSet, Scorecard

_EXACT_KINDS = (RuleList, RuleSet, Scorecard)


def _tags(estimator):
    return estimator.__sklearn_tags__()


def make_check_data(estimator, n_classes=2, n_samples=160, random_state=0):
    """Small mixed-type data the estimator supports, as ``(X, y)``.

    Four numeric features where the target rises with ``x0`` and falls with
    ``x1``; a categorical column when the estimator takes categories, and
    missing values when it takes them.  A regressor whose target tags say
    ``positive_only`` (e.g. a Poisson or Gamma loss) gets ``exp`` of half the
    score: positive, and still rising with ``x0``.
    """
    import pandas as pd

    rng = np.random.RandomState(random_state)
    numeric = rng.normal(size=(n_samples, 4))
    score = 1.5 * numeric[:, 0] - 1.0 * numeric[:, 1] + 0.5 * np.sin(2 * numeric[:, 2])
    frame = pd.DataFrame(numeric, columns=["x0", "x1", "x2", "x3"])
    tags = _tags(estimator)
    if getattr(tags.input_tags, "categorical", False):
        levels = np.array(["red", "green", "blue"], dtype=object)
        colour = levels[rng.randint(0, 3, size=n_samples)]
        score = score + np.where(colour == "red", 0.8, 0.0)
        frame["colour"] = pd.Categorical(colour)
    if tags.input_tags.allow_nan:
        frame.loc[rng.rand(n_samples) < 0.05, "x3"] = np.nan
    noisy = score + 0.3 * rng.normal(size=n_samples)
    if not is_classifier(estimator):
        return frame, np.exp(0.5 * noisy) if getattr(tags.target_tags, "positive_only", False) else noisy
    cuts = np.quantile(noisy, np.linspace(0, 1, n_classes + 1)[1:-1])
    return frame, np.searchsorted(cuts, noisy)


def _fitted(estimator, n_classes=2):
    X, y = make_check_data(estimator, n_classes=n_classes)
    return clone(estimator).fit(X, y), X, y


def _class_counts(estimator):
    tags = _tags(estimator)
    if is_classifier(estimator) and tags.classifier_tags is not None and tags.classifier_tags.multi_class:
        return (2, 3)
    return (2,)


def _decision(estimator, X):
    """The output the explanations add up to: a classifier's decision function, a regressor's link-scale
    prediction (the prediction itself on an identity link; its log on a log link)."""
    if is_classifier(estimator):
        return estimator.decision_function(X)
    return estimator._decision(X) if hasattr(estimator, "_decision") else estimator.predict(X)


def check_local_additivity(name, estimator):
    """Local contributions add up to the decision function, bit for bit."""
    for n_classes in _class_counts(estimator):
        model, X, _ = _fitted(estimator, n_classes)
        decision = _decision(model, X)
        local = model.explain_local(X)
        assert isinstance(local, LocalExplanation), f"{name}.explain_local must return a LocalExplanation"
        n_terms = len(model.term_names_)
        expected_shape = (len(X), n_terms) + np.shape(local.base_value)
        assert local.contributions.shape == expected_shape, (
            f"{name}: contributions have shape {local.contributions.shape}, expected {expected_shape}"
        )
        assert list(local.term_names) == list(model.term_names_), f"{name}: local term names differ from term_names_"
        total = local.base_value + local.contributions.sum(axis=1)
        np.testing.assert_array_equal(total, decision, err_msg=f"{name}: contributions do not add up to the output")
        if not is_classifier(model):  # a regressor's prediction is its link's inverse of the total (identity: itself)
            np.testing.assert_array_equal(
                local.link.inverse(total), model.predict(X),
                err_msg=f"{name}: contributions do not add up to the output (predict is not the link's inverse of them)",
            )
        np.testing.assert_array_equal(local.decision, decision, err_msg=f"{name}: local decision differs")
        np.testing.assert_array_equal(local.prediction, model.predict(X), err_msg=f"{name}: local prediction differs")
        if is_classifier(model):
            np.testing.assert_array_equal(
                model.predict_proba(X), local.link.inverse(decision), err_msg=f"{name}: predict_proba is not the link of the decision"
            )

        row = local.row(0)
        np.testing.assert_array_equal(row.contributions, local.contributions[:1])


def _tolerance(kind, contributions):
    if isinstance(kind, _EXACT_KINDS):
        return 0.0, 0.0
    scale = max(1.0, float(np.abs(contributions).sum(axis=1).max(initial=0.0)))
    return 1e-12, 1e-12 * scale


def check_global_completeness(name, estimator):
    """The global explanation recomputes every term and the decision function."""
    for n_classes in _class_counts(estimator):
        model, X, _ = _fitted(estimator, n_classes)
        explanation = model.explain_global()
        assert isinstance(explanation, GlobalExplanation), f"{name}.explain_global must return a GlobalExplanation"
        assert list(explanation.term_names) == list(model.term_names_), f"{name}: global term names differ"
        local = model.explain_local(X)
        rtol, atol = _tolerance(explanation, local.contributions)
        np.testing.assert_allclose(
            explanation.term_contributions(X), local.contributions, rtol=rtol, atol=atol,
            err_msg=f"{name}: the global explanation does not recompute the term contributions",
        )
        np.testing.assert_allclose(
            explanation.decision_function(X), _decision(model, X), rtol=rtol, atol=atol,
            err_msg=f"{name}: the global explanation does not recompute the decision function",
        )
        np.testing.assert_array_equal(explanation.base_value, np.asarray(local.base_value))
        if is_classifier(model):
            np.testing.assert_array_equal(explanation.classes, model.classes_)


def check_explanation_round_trip(name, estimator):
    """Explanations survive JSON exactly and render as text, HTML and frames."""
    model, X, _ = _fitted(estimator)
    explanation = model.explain_global()
    payload = json.loads(json.dumps(explanation.to_dict(), allow_nan=False))
    loaded = GlobalExplanation.from_dict(payload)
    assert type(loaded) is type(explanation) and loaded == explanation, f"{name}: global explanation changed in JSON"
    np.testing.assert_array_equal(
        loaded.decision_function(X), explanation.decision_function(X),
        err_msg=f"{name}: global explanation changed in JSON (it recomputes a different model)",
    )
    from .. import from_json

    restored = from_json(model.to_json())
    np.testing.assert_array_equal(restored.predict(X), model.predict(X), err_msg=f"{name}: model loaded from JSON predicts differently")
    local = model.explain_local(X.iloc[:5])
    assert LocalExplanation.from_json(local.to_json()) == local, f"{name}: local explanation changed in JSON"
    for obj in (explanation, local):
        text = str(obj)
        assert type(model).__name__ in text, f"{name}: str() of {type(obj).__name__} does not name the model"
        _check_accessible_html(name, type(obj).__name__, obj._repr_html_())
        assert len(obj.to_frame()) > 0


def _check_accessible_html(name, kind, page):
    """A notebook view is table markup a screen reader can follow (WCAG 1.3.1): every table named by a caption,
    its columns headed by ``<th scope="col">``; not aligned text in a ``<pre>``, read out character by character."""
    n_tables = page.count("<table")
    assert n_tables > 0 and "<pre" not in page, f"{name}: the HTML of {kind} is not a table (a <pre> of text?)"
    assert page.count("<caption") == n_tables, f"{name}: a table in the HTML of {kind} has no <caption>"
    assert page.count("<thead>") == n_tables and '<th scope="col"' in page, (
        f"{name}: a table in the HTML of {kind} has no column headers (<th scope=\"col\">)")


def _monotone_grid(values):
    finite = values[np.isfinite(values)]
    inner = np.quantile(finite, np.linspace(0, 1, 101))
    span = finite.max() - finite.min() + 1.0
    return np.unique(np.concatenate([inner, np.linspace(finite.min() - span, finite.max() + span, 200)]))


def check_monotonicity(name, estimator):
    """Constrained features move the output in their direction, with no tolerance."""
    if "monotonic_cst" not in estimator.get_params():
        return
    constrained = clone(estimator).set_params(monotonic_cst={"x0": 1, "x1": -1})
    model, X, _ = _fitted(constrained)
    rows = X.iloc[np.linspace(0, len(X) - 1, 8).astype(int)]
    for feature, direction in (("x0", 1), ("x1", -1)):
        grid = _monotone_grid(X[feature].to_numpy(dtype=float))
        for _, row in rows.iterrows():
            probe = X.iloc[np.zeros(len(grid), dtype=int)].copy()
            for column in X.columns:
                probe[column] = row[column] if column != feature else grid
            if "colour" in X.columns:
                probe["colour"] = X["colour"].iloc[0]
                probe["colour"] = probe["colour"].astype(X["colour"].dtype)
            output = _decision(model, probe)
            steps = np.diff(output) * direction
            assert np.all(steps >= 0), (
                f"{name}: output is not monotone in {feature} (direction {direction}); "
                f"worst step {steps.min()!r}"
            )


GLASSBOX_CHECKS = (
    check_local_additivity,
    check_global_completeness,
    check_explanation_round_trip,
    check_monotonicity,
)


def check_glassbox_estimator(estimator):
    """Run every glassbox check on ``estimator``; raise ``AssertionError`` on the first failure."""
    name = type(estimator).__name__
    for check in GLASSBOX_CHECKS:
        check(name, estimator)
