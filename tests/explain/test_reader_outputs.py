"""What a reader of an explanation sees: text, HTML, tables and JSON of every family.

Each test fits real estimators on small pandas frames with awkward columns
(missing values, categorical levels, unicode and markup in names) and checks
the printed, tabulated and serialised forms against the model itself.
"""

import html
import json
import re
import warnings
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.base import clone, is_classifier

import glassbox
from glassbox import all_estimators
from glassbox.explain import (
    CoefficientTable, Condition, FeatureBins, LinearTerm, Link, LocalExplanation, Rule, RuleList, RuleSet,
    Scorecard, ShapeFunctions, ShapeTerm,
)
from glassbox.explain._render import format_number, format_probability, table_decimals

MARKUP = "<b>&hours"
ESTIMATORS = [cls(**getattr(cls, "_test_params", {})) for _, cls in all_estimators()]
NO_MISSING = ("SparseLinear",)  # families that refuse missing values


def _frame(n=240, seed=0, missing=True):
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    work = rng.choice(["private", "état", "self-emp"], n).astype(object)
    hours = rng.integers(10, 70, n).astype(float)
    if missing:
        age[:12] = np.nan
        work[12:20] = None
    X = pd.DataFrame({"âge_ü": age, "workclass": pd.Categorical(work), MARKUP: hours})
    logit = 0.06 * (np.nan_to_num(age, nan=40) - 45) + 0.04 * (hours - 40) + (work == "état")
    y = (logit + rng.logistic(size=n) > 0).astype(int)
    return X, y, 1000.0 * hours + 50.0 * np.nan_to_num(age, nan=40)


def _fit(estimator, task=None):
    missing = not type(estimator).__name__.startswith(NO_MISSING)
    X, y_class, y_value = _frame(missing=missing)
    y = y_class if is_classifier(estimator) else y_value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of short test fits
        return clone(estimator).fit(X, y), X


def _decision(model, X):
    return model.decision_function(X) if is_classifier(model) else model.predict(X)


@pytest.fixture(scope="module")
def fitted():
    return {type(e).__name__: _fit(e) for e in ESTIMATORS}


ids = [type(e).__name__ for e in ESTIMATORS]


# -- numbers ------------------------------------------------------------------
def test_numbers_print_plainly():
    assert format_number(180712.3) == "180712"
    assert format_number(-56140.0, sign=True) == "-56140"
    assert format_number(0.000123456) == "0.0001235"
    assert format_number(-0.0) == "0" and format_number(-0.0, sign=True) == "0"
    assert format_number(2.5, sign=True) == "+2.5"
    assert format_number(3.2e20) == "3.2e+20"
    assert format_number(np.int64(-3), sign=True) == "-3"
    # rounding up to the next power of ten must not switch to an exponent
    assert format_number(9999.6) == "10000" and format_number(-9999.7) == "-10000"
    assert format_number(9999.6, sign=True) == "+10000" and format_number(99999.6) == "100000"
    assert format_probability(0.99996) == ">0.999"
    # exactly one prints as 1.000 only when nothing is left for the other classes
    assert format_probability(1.0) == "1.000" and format_probability(1.0, rest=0.0) == "1.000"
    assert format_probability(1.0, rest=4e-18) == ">0.999"
    assert format_probability(4e-5) == "<0.001" and format_probability(0.0) == "0.000"


def _long_floats(text):
    """Decimal numbers printed with more than six significant digits."""
    numbers = re.findall(r"\d+\.\d+", text)
    return [n for n in numbers if len(n.replace(".", "").lstrip("0")) > 6]


@pytest.mark.parametrize("name", ids)
def test_text_is_readable_and_states_its_units(fitted, name):
    model, X = fitted[name]
    glob, local = model.explain_global(), model.explain_local(X.iloc[:3])
    for text in (str(glob), str(local)):
        assert not _long_floats(text), text
        assert "e+0" not in text and "-0.000" not in text
        assert MARKUP in text and "âge_ü" in text
    text = str(glob)
    if isinstance(glob, (ShapeFunctions, CoefficientTable)):
        assert ("log-odds of 1" in text) if is_classifier(model) else ("units of the target" in text)
    if isinstance(glob, Scorecard):
        assert "risk = 1 / (1 + exp(" in text
    assert ("log-odds of 1" in str(local)) or ("score" in str(local)) or ("prediction" in str(local))


@pytest.mark.parametrize("name", ids)
def test_local_text_adds_up_in_order_of_size(fitted, name):
    model, X = fitted[name]
    local = model.explain_local(X.iloc[:4])
    np.testing.assert_array_equal(local.base_value + local.contributions.sum(axis=1), local.decision)
    np.testing.assert_array_equal(local.decision, _decision(model, X.iloc[:4]))
    row = str(local.row(1)).splitlines()
    table = row[row.index(next(line for line in row if line.strip().startswith("----"))) + 1:]
    shown = [line.strip() for line in table if not line.strip().startswith(("base value", "=", "probabilities", "why", "fidelity"))
             and "at zero, not shown" not in line]
    c = local.contributions[1]
    expected = [local.term_names[j] for j in np.argsort(-np.abs(c), kind="stable") if c[j] != 0]
    assert [line.rsplit("  ", 1)[0].strip() for line in shown] == expected[: len(shown)]


def test_multiclass_local_is_one_table_with_a_column_per_class():
    from glassbox import GAMClassifier

    X, _, _ = _frame()
    y = np.array(["low", "mid", "high"])[np.digitize(X[MARKUP], [30, 50])]
    model = GAMClassifier(interactions=0, random_state=0, outer_bags=2, max_rounds=60).fit(X, y)
    local = model.explain_local(X.iloc[[20]])
    lines = str(local).splitlines()
    assert sum(line.strip().startswith("term") for line in lines) == 1
    header = next(line for line in lines if line.strip().startswith("term"))
    assert all(f"class {c}" in header for c in model.classes_)
    total = next(line for line in lines if line.strip().startswith("= decision"))
    printed = [float(v) for v in total.split()[-3:]]
    np.testing.assert_allclose(printed, local.decision[0], atol=5e-4)
    k = int(np.argmax(local.decision[0]))
    c = local.contributions[0, :, k]
    first = lines[lines.index(header) + 3].strip().split("  ")[0]
    assert first == local.term_names[int(np.argmax(np.abs(c)))]


def test_long_outputs_are_shortened_with_a_way_to_see_everything(fitted):
    glob = fitted["GAMClassifier"][0].explain_global()
    age = next(t for t in glob.terms if t.name == "âge_ü")
    assert age.bins[0].n_value_bins > 25
    short, full = str(glob), glob.to_text(max_bins=None)
    assert "more bins" in short and "to_text(max_bins=None" in short
    assert "more bins" not in full and len(full.splitlines()) > len(short.splitlines())
    assert age.text(glob.classes) in full
    assert "  missing" in short  # the missing bin survives the cut

    n = 45
    table = CoefficientTable(
        model="M", feature_names=[f"x{i}" for i in range(n)], link=Link("identity"), base_value=1.0,
        terms=[LinearTerm(f"x{i}") for i in range(n)], coefficients=np.arange(1.0, n + 1),
        standardized_coefficients=np.arange(1.0, n + 1), constraints=np.zeros(n),
    )
    assert "15 more terms" in str(table) and "to_text(max_terms=None)" in str(table)
    assert "x0 " in table.to_text(max_terms=None) and "more terms" not in table.to_text(max_terms=None)
    local = LocalExplanation(
        model="M", term_names=[f"x{i}" for i in range(n)], base_value=np.array(0.0),
        contributions=np.ones((7, n)), feature_names=[f"x{i}" for i in range(n)], feature_values=np.ones((7, n)),
        decision=np.full(7, float(n)), prediction=np.full(7, float(n)), link=Link("identity"),
    )
    text = str(local)
    assert "33 more terms" in text and "35 more features" in text and "2 more rows" in text
    full = local.to_text(max_rows=None, max_terms=None, max_features=None)
    assert "more" not in full and "x44" in full and "row 6" in full


# -- HTML ---------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("name", ids)
def test_html_escapes_names_and_carries_the_text(fitted, name):
    model, X = fitted[name]
    for explanation in (model.explain_global(), model.explain_local(X.iloc[:2])):
        markup = explanation._repr_html_()
        parser = _Tags()
        parser.feed(markup)
        assert parser.tags.count("b") == 1  # the title only: the feature name's <b> is text
        assert MARKUP not in markup and html.escape(MARKUP) in markup
        text = "".join(parser.text)
        assert MARKUP in text
        if isinstance(explanation, CoefficientTable):
            assert "intercept:" in text and "add up to" in text


def test_rule_set_html_escapes_class_labels_and_shows_the_default():
    rule = Rule(conditions=(Condition("x", ">=", 1.0),), scores=np.array(2.0), predicted_class="<i>yes</i>",
                precision=0.9, support=10)
    default = Rule(conditions=(), scores=np.array(-1.0), probabilities=np.array([0.73, 0.27]),
                   predicted_class="<i>no</i>")
    rules = RuleSet(model="M", feature_names=["x"], link=Link("logit"), classes=np.array(["<i>no</i>", "<i>yes</i>"]),
                    base_value=0.0, rules=(rule,), default=default)
    parser = _Tags()
    parser.feed(rules._repr_html_())
    assert "i" not in parser.tags
    text = "".join(parser.text)
    # quoted as every printout quotes a label holding an operator (class_text)
    assert "Otherwise: '<i>no</i>'" in text and "0.27" in text and "higher-ranked" in text


# -- tables -------------------------------------------------------------------
@pytest.mark.parametrize("name", ids)
def test_frames_recompute_the_model(fitted, name):
    model, X = fitted[name]
    glob, local = model.explain_global(), model.explain_local(X.iloc[:5])
    frame = local.to_frame()
    assert list(frame.columns[:2]) == ["row", "term"] and frame["contribution"].dtype == np.float64
    if local.contributions.ndim == 2:
        sums = frame.groupby("row", sort=True)["contribution"].sum().to_numpy()
        np.testing.assert_allclose(local.base_value + sums, local.decision, rtol=1e-12, atol=1e-12)
    table = glob.to_frame()  # the intercept is its first row: the frame alone has every number
    if isinstance(glob, CoefficientTable):
        design = glob.design(X)
        intercept, coefficients = table["coefficient"].iloc[0], table["coefficient"].iloc[1:].to_numpy()
        assert table["term"].iloc[0] == "(intercept)"
        np.testing.assert_allclose(intercept + design @ coefficients, _decision(model, X), rtol=1e-10, atol=1e-10)
    elif isinstance(glob, Scorecard):
        hits = np.column_stack([Condition.evaluate(c, glassbox.explain._columns.RawColumns(X, glob.feature_names))
                                for c in glob.conditions]) if glob.conditions else np.zeros((len(X), 0))
        assert table["condition"].iloc[0] == "(intercept)" and (table["multiplier"] == glob.multiplier).all()
        np.testing.assert_array_equal(table["points"].iloc[0] + hits @ table["points"].iloc[1:].to_numpy(),
                                      _decision(model, X))
    elif isinstance(glob, ShapeFunctions):
        assert {"term", "bin", "score"} <= set(table.columns) and table["score"].dtype == np.float64
        np.testing.assert_array_equal(table.loc[table["term"] == "(intercept)", "score"],
                                      np.atleast_1d(glob.base_value))
        for term in glob.terms:
            rows = table[table["term"] == term.name]
            np.testing.assert_array_equal(rows["score"].to_numpy(), term.scores.reshape(-1))
    else:
        assert list(table["rule"])[-1] == "default" and len(table) == len(glob.rules) + 1


# -- JSON ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ids)
def test_json_round_trip_of_every_family(fitted, name):
    model, X = fitted[name]
    glob, local = model.explain_global(), model.explain_local(X.iloc[:6])
    back = glassbox.from_json(glob.to_json())
    assert back == glob and str(back) == str(glob) and back._repr_html_() == glob._repr_html_()
    np.testing.assert_array_equal(back.decision_function(X), glob.decision_function(X))
    local_back = LocalExplanation.from_json(local.to_json())
    assert local_back == local and str(local_back) == str(local)


def test_levels_that_read_like_float_markers_stay_strings():
    levels = ["nan", "inf", "-inf", 2, True, "日本"]
    bins = FeatureBins("lvl", "categorical", categories=levels)
    term = ShapeTerm(bins=(bins,), scores=np.arange(len(levels) + 2.0))
    shapes = ShapeFunctions(model="M", feature_names=["lvl"], link=Link("identity"), base_value=0.5, terms=(term,))
    back = glassbox.from_json(shapes.to_json())
    assert list(back.terms[0].bins[0].categories) == levels
    assert [type(v) for v in back.terms[0].bins[0].categories] == [type(v) for v in levels]
    X = pd.DataFrame({"lvl": np.array(["inf", "nan", "日本", None, "other"], dtype=object)})
    np.testing.assert_array_equal(back.decision_function(X), [1.5, 0.5, 5.5, 6.5, 7.5])
    condition = Condition("lvl", "==", "inf")
    assert Condition.from_dict(json.loads(json.dumps(condition.to_dict()))) == condition
    # payloads written before the escape (a float NaN as "nan") still read as floats
    assert np.isnan(Condition.from_dict({"feature": "x", "op": "==", "value": "nan"}).value)


def test_non_finite_and_none_like_values_round_trip():
    local = LocalExplanation(
        model="M", term_names=["a", "b"], base_value=np.array(0.0), contributions=np.array([[np.inf, -1.0]]),
        feature_names=["a", "b"], feature_values=np.array([[None, "nan"]], dtype=object),
        decision=np.array([np.inf]), prediction=np.array([np.inf]), link=Link("identity"),
        fidelity={"mean_r2": 0.1234567891234, "r2": [0.1234567891234, float("nan")]},
    )
    back = LocalExplanation.from_json(local.to_json())
    assert back.feature_values[0, 1] == "nan" and back.feature_values[0, 0] is None
    assert np.isposinf(back.decision[0]) and str(back) == str(local)
    assert "fidelity: mean_r2=0.1235" in str(local)
    assert back.fidelity["r2"][0] == 0.1234567891234 and np.isnan(back.fidelity["r2"][1])


# -- tiny models ----------------------------------------------------------------
def _tiny_explanations():
    link, classes = Link("logit"), np.array([0, 1])
    common = {"model": "Tiny", "feature_names": ["x"], "link": link, "classes": classes, "base_value": -0.25}
    yield ShapeFunctions(**common, terms=())
    yield CoefficientTable(**common, terms=(LinearTerm("x"),), coefficients=np.zeros(1),
                           standardized_coefficients=np.zeros(1), constraints=np.zeros(1))
    yield RuleList(**{**common, "base_value": 0.0}, rules=(),
                   default=Rule(conditions=(), scores=np.array(-0.25), probabilities=link.inverse(np.array([-0.25]))[0]))
    yield RuleSet(**{**common, "base_value": 0.0}, rules=(),
                  default=Rule(conditions=(), scores=np.array(-0.25), predicted_class=0))
    yield Scorecard(**{**common, "base_value": -1, "link": Link("logit", 2.0)}, conditions=(),
                    points=np.zeros(0), risk_scores=np.zeros(1), risk_predicted=expit(np.array([-0.5])),
                    risk_observed=np.array([np.nan]), risk_count=np.array([0.0]))


@pytest.mark.parametrize("explanation", list(_tiny_explanations()), ids=lambda e: type(e).__name__)
def test_tiny_models_print_tabulate_and_round_trip(explanation):
    # linear models refuse missing values; the others send them to a missing bin or condition
    X = pd.DataFrame({"x": [0.0, 1.5 if isinstance(explanation, CoefficientTable) else np.nan, 3.0]})
    text = str(explanation)
    assert "Tiny" in text and not _long_floats(text)
    parser = _Tags()
    parser.feed(explanation._repr_html_())
    frame = explanation.to_frame()
    assert len(frame.columns) >= 2  # an empty model still has its documented columns
    assert glassbox.from_json(explanation.to_json()) == explanation
    decision = explanation.decision_function(X)
    assert decision.shape == (3,) and np.all(decision == decision[0])


def test_an_explanation_can_name_its_output():
    common = dict(model="M", term_names=["a"], base_value=np.array(0.2), contributions=np.array([[0.1]]),
                  feature_names=["a"], feature_values=np.array([[1.0]]), decision=np.array([0.3]),
                  prediction=np.array([0.3]), link=Link("identity"))
    named = LocalExplanation(**common, output_name="P(yes)")
    assert "= P(yes)" in str(named) and "= prediction" in str(LocalExplanation(**common))
    total = next(line.split() for line in str(named).splitlines() if line.strip().startswith("="))
    assert total == ["=", "P(yes)", "0.3"]  # the name alone: "P(yes) [class]" once had a label appended
    per_class = LocalExplanation(**{**common, "classes": np.array(["no", "yes"])}, output_name="P({class})")
    assert per_class._output_name() == "P(class)" and per_class._output_name(1) == "P(yes)"
    back = LocalExplanation.from_json(named.to_json())
    assert back == named and back.output_name == "P(yes)"
    assert "output_name" not in LocalExplanation(**common).to_dict()  # payloads without it read as before
    assert LocalExplanation.from_dict(LocalExplanation(**common).to_dict()).output_name is None
    assert back.row(0).output_name == "P(yes)"


def test_small_pair_terms_print_their_grid_large_ones_their_range():
    age = FeatureBins("age", "numeric", thresholds=[30.0, 50.0])
    housing = FeatureBins("housing", "categorical", categories=["own", "rent"])
    scores = np.zeros((4, 4))
    scores[:3, :2] = [[0.1, -0.1], [0.0, 0.2], [-0.3, 0.3]]
    scores[3, 0] = 0.05  # a missing age scores something: its row is shown; the unseen column is not
    text = ShapeTerm(bins=(age, housing), scores=scores).text()
    lines = [line.split() for line in text.splitlines()]
    assert ["age", "\\", "housing", "own", "rent"] in lines
    assert ["[30,", "50)", "0", "0.2"] in lines and ["missing", "0.05", "0"] in lines
    assert "unseen" not in text
    wide = FeatureBins("hours", "numeric", thresholds=np.arange(1.0, 12.0))
    big = ShapeTerm(bins=(age, wide), scores=np.arange(52.0).reshape(4, 13))
    assert "scores from 0 to 51" in big.text(max_bins=20) and "to_frame()" in big.text(max_bins=20)
    assert "[10, 11)" in big.text(max_bins=None)  # everything, on request


@pytest.mark.parametrize("name", ["GAMClassifier", "RiskScoreClassifier", "SparseLinearRegressor"])
def test_local_frame_with_its_base_recomputes_each_decision(fitted, name):
    model, X = fitted[name]
    local = model.explain_local(X.iloc[:5])
    frame = local.to_frame(include_base=True)
    assert list(frame.columns) == ["row", "term", "contribution"]
    assert (frame.groupby("row")["term"].first() == "base value").all()
    totals = frame.groupby("row", sort=True)["contribution"].sum().to_numpy()
    np.testing.assert_allclose(totals, _decision(model, X.iloc[:5]), rtol=1e-12, atol=1e-9)
    assert len(frame) == len(local.to_frame()) + 5


def test_multiclass_local_frame_with_its_base():
    local = LocalExplanation(
        model="M", term_names=["a"], base_value=np.array([1.0, -1.0, 0.0]),
        contributions=np.array([[[0.5, 0.25, -0.75]]]), feature_names=["a"], feature_values=np.array([[1.0]]),
        decision=np.array([[1.5, -0.75, -0.75]]), prediction=np.array(["x"]), link=Link("softmax"),
        classes=np.array(["x", "y", "z"]),
    )
    frame = local.to_frame(include_base=True)
    assert list(frame.columns) == ["row", "term", "class", "contribution"]
    sums = frame.groupby("class", sort=True)["contribution"].sum().to_numpy()
    np.testing.assert_array_equal(sums, local.decision[0])


def test_missing_inputs_read_as_missing_and_many_classes_are_counted(fitted):
    model, X = fitted["GAMClassifier"]
    text = str(model.explain_local(X.iloc[[0, 15]]))  # a missing age, then a missing workclass
    assert "âge_ü=missing" in text and "workclass=missing" in text and "=nan" not in text and "=None" not in text
    values = np.array([[pd.NA, True, np.int64(3), "x"]], dtype=object)
    local = LocalExplanation(
        model="M", term_names=["a"], base_value=np.array(0.0), contributions=np.zeros((1, 1)),
        feature_names=["a", "b", "c", "d"], feature_values=values, decision=np.zeros(1), prediction=np.zeros(1),
        link=Link("identity"),
    )
    assert "input: a=missing, b=True, c=3, d=x" in str(local)
    classes = np.array([f"c{i}" for i in range(25)])
    shapes = ShapeFunctions(model="M", feature_names=["x"], link=Link("softmax"), classes=classes,
                            base_value=np.zeros(25), terms=())
    assert str(shapes).splitlines()[0] == "M: shape functions (classes: " + ", ".join(classes[:10]) + ", ... 15 more)"


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_local_explanation_of_a_model_without_terms_prints_and_tabulates(n_classes):
    classes = np.arange(n_classes)
    shape = (2, 0) if n_classes == 2 else (2, 0, 3)
    base = np.array(0.5) if n_classes == 2 else np.array([0.5, 0.0, -0.5])
    local = LocalExplanation(
        model="Empty", term_names=[], base_value=base, contributions=np.zeros(shape), feature_names=["a"],
        feature_values=np.zeros((2, 1)), decision=np.broadcast_to(base, (2,) + base.shape).copy(),
        prediction=np.zeros(2, dtype=int), link=Link("logit" if n_classes == 2 else "softmax"), classes=classes,
    )
    text = str(local)
    assert "base value" in text and "probabilities:" in text
    assert len(local.to_frame()) == 0
    frame = local.to_frame(include_base=True)
    np.testing.assert_array_equal(frame.groupby("row")["contribution"].sum(), [0.0, 0.0] if n_classes == 3 else [0.5, 0.5])


def test_row_takes_negative_positions_and_refuses_out_of_range(fitted):
    model, X = fitted[ids[0]]
    local = model.explain_local(X.iloc[:3])
    last = local.row(-1)
    assert len(last) == 1
    np.testing.assert_array_equal(last.contributions, local.contributions[2:3])
    with pytest.raises(IndexError):
        local.row(3)
    with pytest.raises(IndexError):
        local.row(-4)


def _printed_table(text):
    """(base, terms, total) as printed in a one-output local table."""
    lines = [line.strip() for line in text.splitlines()]
    base = float(next(line for line in lines if line.startswith("base value")).split()[-1])
    total = float(next(line for line in lines if line.startswith("= ")).split()[-1])
    start = lines.index(next(line for line in lines if line.startswith("base value")))
    end = lines.index(next(line for line in lines if line.startswith("= ")))
    return base, [float(line.split()[-1]) for line in lines[start + 1:end]], total


@pytest.mark.parametrize("base, terms", [
    (0.3002, [1257.44, 0.61, -0.04]),
    (180712.3, [-56140.25, 12.5, 0.125]),
    (2.0, [3.0, -1.0]),
    (0.0, [9999.6, 0.3]),
])
def test_a_local_table_adds_up_to_its_printed_precision(base, terms):
    terms = np.array(terms)
    local = LocalExplanation(
        model="m", term_names=[f"t{j}" for j in range(len(terms))], base_value=base,
        contributions=terms[None, :], feature_names=["x"], feature_values=[[1.0]],
        decision=[base + terms.sum()], prediction=[base + terms.sum()], link=Link("identity"),
    )
    text = str(local)
    printed_base, printed_terms, printed_total = _printed_table(text)
    decimals = table_decimals(np.r_[base, terms, base + terms.sum()])
    # every line is rounded to the same last decimal, so the sum is off by at most half a unit per line
    tolerance = (len(terms) + 2) * 0.5 * 10.0 ** -decimals + 1e-9
    assert abs(printed_base + sum(printed_terms) - printed_total) <= tolerance
    assert "e+" not in text
    assert len(printed_terms) == len(terms)
    assert abs(printed_total - (base + terms.sum())) <= 0.5 * 10.0 ** -decimals + 1e-9


def test_a_local_table_keeps_four_significant_digits_of_its_largest_number():
    # A rule model's row has one nonzero term: two digits of "the smallest" printed -1.0206 as "-1",
    # and softmax of the printed scores no longer gave the printed probabilities.
    local = LocalExplanation(
        model="m", term_names=["rule 1", "rule 2"], base_value=0.0, contributions=np.array([[-1.0206, 0.0]]),
        feature_names=["x"], feature_values=[[1.0]], decision=[-1.0206], prediction=[-1.0206],
        link=Link("identity"),
    )
    printed_base, printed_terms, printed_total = _printed_table(str(local))
    assert printed_terms == [-1.021] and printed_total == -1.021
    assert table_decimals([0.3002, 12.44, 0.04]) == 3  # the smallest keeps two digits
    assert table_decimals([2.0, 180712.3]) == 0  # the largest never shows more than six


def test_text_prints_summary_fidelity_not_per_row_lists():
    n = 300
    local = LocalExplanation(
        model="m", term_names=["t"], base_value=0.0, contributions=np.ones((n, 1)), feature_names=["x"],
        feature_values=np.zeros((n, 1)), decision=np.ones(n), prediction=np.ones(n), link=Link("identity"),
        approximate=True,
        fidelity={"median_weighted_r2": 0.91, "weighted_r2": [0.9] * n, "holdout_r2": [0.8] * n},
    )
    text = local.to_text()
    fidelity = next(line for line in text.splitlines() if line.startswith("fidelity:"))
    assert fidelity == "fidelity: median_weighted_r2=0.91"
    assert len(text) < 2000
    # row(i) keeps the summaries and row i's own per-row figures, which its printout reads by position
    assert local.row(0).fidelity == {"median_weighted_r2": 0.91, "weighted_r2": [0.9], "holdout_r2": [0.8]}


def test_one_row_of_a_local_surrogate_prints_its_own_model_output():
    """row(i) of an approximate explanation prints its own row's model output and probabilities, not row 0's."""
    n = 3
    local = LocalExplanation(
        model="m", term_names=["t"], base_value=0.0, contributions=np.zeros((n, 1)), feature_names=["x"],
        feature_values=np.zeros((n, 1)), decision=np.array([0.5, -0.25, 1.0]), prediction=np.array([1, 0, 1]),
        link=Link("logit"), classes=np.array([0, 1]), approximate=True,
        fidelity={"median_weighted_r2": 0.9, "model_output": [2.0, -3.5, 1.25], "model_prediction": [1, 0, 1],
                  "weighted_r2": [0.9, 0.8, 0.95]},
    )
    for i in range(n):
        alone = str(local.row(i))
        assert f"model {local.fidelity['model_output'][i]:g}" in alone, alone
        assert [line for line in alone.splitlines() if "model" in line and not line.startswith("row ")] == \
            [line for line in _row_lines(local, i) if "model" in line and not line.startswith("row ")]
        assert f"model predicts {local.fidelity['model_prediction'][i]}; local approximation predicts" in alone


def _row_lines(local, i):
    """The lines of row ``i`` in the printout of every row."""
    text = local.to_text(max_rows=None).splitlines()
    start = next(k for k, line in enumerate(text) if line.startswith(f"row {i}:"))
    end = next((k for k, line in enumerate(text) if k > start and line.startswith("row ")), len(text))
    return text[start:end]



@pytest.mark.parametrize("z", [40.0, -40.0, 800.0])
def test_a_confident_binary_row_keeps_its_small_side(z):
    local = LocalExplanation(
        model="m", term_names=["t"], base_value=0.0, contributions=[[z]], feature_names=["x"],
        feature_values=[[1.0]], decision=[z], prediction=[int(z > 0)], link=Link("logit"), classes=np.array([0, 1]),
    )
    line = next(line for line in str(local).splitlines() if "probabilities" in line)
    small, large = ("P(0)", "P(1)") if z > 0 else ("P(1)", "P(0)")
    assert f"{small}=<0.001" in line and f"{large}=>0.999" in line
