"""What the documentation says about parameters stays true of the code.

The prose and code of the user guide (``docs/*.rst``), ``README.md``, ``CONTRIBUTING.md``
and the ``examples/`` name parameters, quote their defaults and pass them values.  Code
changes; these tests catch the documentation that did not follow:

- every public estimator's and function's numpydoc ``Parameters`` section lists exactly
  the parameters of its signature, with the default the signature has;
- every call of a public glassbox name in the docs' and examples' code passes keywords
  that exist, and literal values the estimator's parameter constraints accept;
- every ``param=value`` and "``param`` ... (default X)" in prose names a real parameter,
  with a value it accepts and the default it has.
"""

import ast
import dataclasses
import inspect
import re
import warnings
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge

import glassbox
import glassbox.explain
import glassbox.linear
import glassbox.plotting
import glassbox.surrogate
from glassbox.utils._sklearn_shim import validate_parameters

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted((REPO / "docs").glob("*.rst")) + [REPO / "README.md", REPO / "CONTRIBUTING.md"]
EXAMPLES = sorted((REPO / "examples").glob("plot_*.py"))
# ``name=value`` in prose that is not a glassbox parameter by design (a test tolerance, an
# environment variable).
NOT_PARAMETERS = {"rtol", "GLASSBOX_DOCS_RUN_EXAMPLES", "GLASSBOX_DEBUG", "GLASSBOX_EXAMPLES_OUTPUT"}


def _public_callables():
    found = {}
    for module in (glassbox, glassbox.linear, glassbox.surrogate, glassbox.plotting):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not dataclasses.is_dataclass(obj):
                found.setdefault(name, obj)
    return found


PUBLIC = _public_callables()


def _signature_parameters(obj):
    function = obj.__init__ if inspect.isclass(obj) else obj
    parameters = inspect.signature(function).parameters.values()
    return {p.name: p.default for p in parameters if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def _accepts_any_keyword(obj):
    function = obj.__init__ if inspect.isclass(obj) else obj
    return any(p.kind == p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())


def _all_parameter_names():
    """Parameters of every public callable and of the public methods of public classes."""
    names = set()
    for obj in PUBLIC.values():
        names |= set(_signature_parameters(obj))
        if inspect.isclass(obj):
            for attribute in dir(obj):  # inherited public methods too (e.g. from a mixin)
                member = getattr(obj, attribute, None)
                if not attribute.startswith("_") and callable(member):
                    try:
                        names |= set(inspect.signature(member).parameters)
                    except (TypeError, ValueError):
                        pass
    for module in (glassbox, glassbox.explain, glassbox.surrogate):
        for name in module.__all__:
            if dataclasses.is_dataclass(getattr(module, name)):  # ``approximate=True`` states a field
                names |= {field.name for field in dataclasses.fields(getattr(module, name))}
    for explanation in ("GlobalExplanation", "LocalExplanation"):
        for attribute in dir(getattr(glassbox, explanation)):
            member = getattr(getattr(glassbox, explanation), attribute)
            if not attribute.startswith("_") and callable(member):
                names |= set(inspect.signature(member).parameters)
    return names


def _estimator_instance(cls):
    """An unfitted instance with its required arguments filled, to validate parameters on."""
    if cls is glassbox.DistilledClassifier:
        return cls(LogisticRegression(), glassbox.GAMClassifier())
    if cls is glassbox.DistilledRegressor:
        return cls(Ridge(), glassbox.GAMRegressor())
    if cls is glassbox.LocalSurrogate:
        return cls(LogisticRegression())
    return cls()


ESTIMATORS = {name: cls for name, cls in PUBLIC.items() if inspect.isclass(cls) and hasattr(cls, "_parameter_constraints")}


def _rejection(name, parameter, value):
    """Why estimator ``name`` rejects ``parameter=value`` (None when it accepts it)."""
    instance = clone(_estimator_instance(ESTIMATORS[name])).set_params(**{parameter: value})
    try:
        validate_parameters(instance)
    except ValueError as error:
        return str(error)
    return None


def _literal(node_or_text):
    try:
        return True, ast.literal_eval(node_or_text)
    except (ValueError, SyntaxError, TypeError):
        return False, None


# -- numpydoc Parameters sections ------------------------------------------------------

def _documented_parameters(obj):
    from numpydoc.docscrape import ClassDoc, FunctionDoc

    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    documented = {}
    for parameter in doc["Parameters"]:
        for name in parameter.name.split(","):
            if name.strip():
                documented[name.strip()] = parameter.type
    return documented


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_parameters_are_the_signature(name):
    pytest.importorskip("numpydoc")
    obj = PUBLIC[name]
    real = _signature_parameters(obj)
    documented = _documented_parameters(obj)
    documented = {k: v for k, v in documented.items() if not k.startswith("*")}
    if not documented and not inspect.isclass(obj):
        pytest.skip(f"{name} documents its arguments in prose, without a Parameters section")
    assert set(documented) == set(real), (
        f"{name}: documented but not in the signature {sorted(set(documented) - set(real))}, "
        f"in the signature but not documented {sorted(set(real) - set(documented))}"
    )
    for parameter, type_text in documented.items():
        match = re.search(r"default\s*[=:]\s*(.+)$", type_text)
        if match is None:
            continue
        quoted = match.group(1).strip().strip("`")
        parsed, value = _literal(quoted)
        if not parsed:
            continue  # a description ("default=DEFAULT_LIMITS", "default: all"), not a value
        assert value == real[parameter], (
            f"{name}({parameter}=...): the docstring says default={quoted}, the signature has {real[parameter]!r}"
        )


# -- calls in code blocks and examples -------------------------------------------------

def _python_blocks(path):
    """(first line number, source) of each Python code block of a page."""
    text = path.read_text()
    if path.suffix == ".py":
        return [(1, text)]
    if path.suffix == ".md":
        return [(text[: m.start()].count("\n") + 2, m.group(1)) for m in re.finditer(r"```python\n(.*?)```", text, flags=re.S)]
    blocks = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*\.\. code-block:: (python|pycon)\s*$", line):
            body, j = [], i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
                body.append(lines[j])
                j += 1
            source = inspect.cleandoc("\n".join(body))
            if source.startswith(">>>"):
                source = "\n".join(re.sub(r"^(>>> |\.\.\. ?)", "", line) for line in source.splitlines() if line.startswith((">>>", "...")))
            blocks.append((i + 2, source))
    return blocks


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in PUBLIC:
                yield node.lineno, name, node.keywords


def _call_problems(path):
    problems = []
    for first_line, source in _python_blocks(path):
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:  # a block that does not parse would hide its calls from every check
            problems.append(f"{path.relative_to(REPO)}:{first_line + (exc.lineno or 1) - 1}: code block does not parse: {exc.msg}")
            continue
        for lineno, name, keywords in _calls(tree):
            real = _signature_parameters(PUBLIC[name])
            where = f"{path.relative_to(REPO)}:{first_line + lineno - 1}"
            for keyword in keywords:
                if keyword.arg is None:
                    continue
                if keyword.arg not in real and not _accepts_any_keyword(PUBLIC[name]):
                    problems.append(f"{where}: {name} has no parameter {keyword.arg!r}")
                    continue
                parsed, value = _literal(keyword.value)
                if parsed and name in ESTIMATORS and keyword.arg in real:
                    reason = _rejection(name, keyword.arg, value)
                    if reason:
                        problems.append(f"{where}: {name}({keyword.arg}={value!r}) is rejected: {reason}")
    return problems


@pytest.mark.parametrize("path", PAGES + EXAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_code_calls_use_real_parameters_and_values(path):
    problems = _call_problems(path)
    assert not problems, "\n".join(problems)


# -- prose -------------------------------------------------------------------------------

def _estimators_named(text):
    return [name for name in ESTIMATORS if re.search(rf"\b{name}\b", text)]


def _accepting(estimators, parameter, value):
    """The estimators of ``estimators`` that have ``parameter`` and accept ``value`` for it."""
    return [name for name in estimators if parameter in _signature_parameters(ESTIMATORS[name]) and _rejection(name, parameter, value) is None]


# How the pages quote a default: "``max_features`` conditions (default 5)", "``points_range``
# (default ``(-5, 5)``)", "(``max_leaves``, default 4)", "``tune_weights=True`` (the default)".
_DEFAULT_PATTERNS = (
    r"``(\w+)``(?:(?!``)[^.;:]){0,60}?\(default:?\s+(?:``(?P<literal>[^`]+)``|(?P<word>[^`(),]+))[,)]",
    r"``(\w+)``(?:(?!``)[^.;()]){0,40}?,\s+default\s+(?:``(?P<literal>[^`]+)``|(?P<word>[^`(),]+))[,)]",
    r"``(\w+)=(?P<literal>[^`]+)``\s+\(the\s+default\)",
)


def _quoted_defaults(text):
    """(line, parameter, quoted default) of every default the text states."""
    for pattern in _DEFAULT_PATTERNS:
        for match in re.finditer(pattern, text):
            quoted = match.group("literal") or match.group("word").strip()
            yield text[: match.start()].count("\n") + 1, match.group(1), quoted


def _prose_problems(path):
    text = path.read_text()
    named = _estimators_named(text) or list(ESTIMATORS)
    known = _all_parameter_names()
    problems = []
    for match in re.finditer(r"``(\w+)=([^`]+?)``", text):
        parameter, quoted = match.groups()
        where = f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}"
        if parameter in NOT_PARAMETERS:
            continue
        if parameter not in known:
            problems.append(f"{where}: ``{parameter}=...`` names no parameter of a public glassbox object")
            continue
        parsed, value = _literal(quoted)
        having = [name for name in named if parameter in _signature_parameters(ESTIMATORS[name])]
        if parsed and having and not _accepting(having, parameter, value):
            problems.append(f"{where}: no estimator of this page accepts {parameter}={quoted} ({', '.join(having)})")
    for line, parameter, quoted in _quoted_defaults(text):
        where = f"{path.relative_to(REPO)}:{line}"
        having = [name for name in named if parameter in _signature_parameters(ESTIMATORS[name])]
        if not having and parameter in known:
            continue  # a method's or a plot's parameter: its docstring is checked above
        if not having:
            problems.append(f"{where}: a default is quoted for ``{parameter}``, a parameter of no estimator on this page")
            continue
        parsed, value = _literal(quoted)
        defaults = {name: _signature_parameters(ESTIMATORS[name])[parameter] for name in having}
        if parsed and value not in defaults.values():
            problems.append(f"{where}: ``{parameter}`` (default {quoted}), but the defaults are {defaults}")
    return problems


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_prose_names_real_parameters_values_and_defaults(path):
    problems = _prose_problems(path)
    assert not problems, "\n".join(problems)


def test_readme_family_table_names_public_objects():
    readme = (REPO / "README.md").read_text()
    table = [line for line in readme.splitlines() if line.startswith("| ") and "`" in line]
    assert table, "the README's family table is gone"
    for line in table:
        for name in re.findall(r"`(\w+)`", line):
            assert hasattr(glassbox, name) or hasattr(glassbox.plotting, name) or name == "glassbox", (
                f"the README's family table names {name}, which glassbox does not export"
            )
    registered = {name for name, _ in glassbox.all_estimators()}
    in_table = set(re.findall(r"`(\w+)`", "\n".join(table)))
    missing = {name for name in registered if name not in in_table and not name.endswith("CV")}
    assert not missing, f"registered estimators absent from the README's family table: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(name for name, _ in glassbox.all_estimators()))
def test_every_estimator_has_a_guide_page_and_an_example(name):
    # DESIGN.md: each capability has its user-guide page and a runnable example.
    cls = dict(glassbox.all_estimators())[name]
    guide = [p.name for p in (REPO / "docs").glob("*.rst") if p.stem not in ("index", "api") and re.search(rf"\b{name}\b", p.read_text())]
    assert guide, f"no page of the user guide (docs/*.rst) presents {name}"
    family = cls.__module__.split(".")[1]
    family_names = {n for n, c in glassbox.all_estimators() if c.__module__.split(".")[1] == family}
    examples = [p.name for p in EXAMPLES if any(re.search(rf"\b{n}\b", p.read_text()) for n in family_names)]
    assert examples, f"no example in examples/ uses the {family} family of {name}"


def _own_docstrings(name, obj):
    """(where, docstring, signature owner) of a public object and of the methods glassbox defines on it."""
    yield name, obj.__doc__ or "", obj
    if inspect.isclass(obj):
        for attribute in dir(obj):
            member = getattr(obj, attribute, None)
            module = getattr(member, "__module__", "") or ""
            if not attribute.startswith("_") and callable(member) and module.startswith("glassbox"):
                yield f"{name}.{attribute}", member.__doc__ or "", obj


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_prose_names_real_parameters_and_defaults(name):
    known, problems = _all_parameter_names(), []
    for where, text, owner in _own_docstrings(name, PUBLIC[name]):
        real = _signature_parameters(owner)
        for _, parameter, quoted in _quoted_defaults(text):
            parsed, value = _literal(quoted)
            if parameter in real and parsed and real[parameter] != value:
                problems.append(f"{where}: ``{parameter}`` (default {quoted}), but the signature has {real[parameter]!r}")
        for match in re.finditer(r"``(\w+)=([^`]+?)``", text):
            if match.group(1) not in known and match.group(1) not in NOT_PARAMETERS:
                problems.append(f"{where}: ``{match.group(0)}`` names no parameter of a public glassbox object")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def fitted_estimators():
    """Every registered estimator fitted on 200 rows (a few seconds in all)."""
    from sklearn.datasets import load_breast_cancer, load_diabetes

    X_class, y_class = load_breast_cancer(return_X_y=True, as_frame=True)
    X_reg, y_reg = load_diabetes(return_X_y=True, as_frame=True)
    fitted = {}
    for name, cls in glassbox.all_estimators():
        regression = "Regressor" in name
        if name.startswith("Distilled"):
            student = glassbox.GAMRegressor if regression else glassbox.GAMClassifier
            teacher = Ridge() if regression else LogisticRegression(max_iter=1000)
            estimator = cls(teacher, student(**getattr(student, "_test_params", {})))
        else:
            estimator = cls(**getattr(cls, "_test_params", {}))
        X, y = (X_reg.iloc[:200, :5], y_reg.iloc[:200]) if regression else (X_class.iloc[:200, :6], y_class.iloc[:200])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted[name] = estimator.fit(X, y)
    return fitted


def _documented_attributes(cls):
    from numpydoc.docscrape import ClassDoc

    return {a.strip() for p in ClassDoc(cls)["Attributes"] for a in p.name.split(",") if a.strip()}


@pytest.mark.parametrize("name", sorted(name for name, _ in glassbox.all_estimators()))
def test_documented_attributes_exist_after_fit(name, fitted_estimators):
    pytest.importorskip("numpydoc")
    estimator = fitted_estimators[name]
    missing = sorted(a for a in _documented_attributes(type(estimator)) if not hasattr(estimator, a))
    assert not missing, f"{name}'s docstring lists attributes that fit does not set: {missing}"


def test_fitted_attributes_the_docs_name_exist(fitted_estimators):
    # ``model.calibration_``, ``scorecards_``: a fitted attribute the guide or an example names is
    # one that some estimator (or explanation object) has.
    known = set()
    for estimator in fitted_estimators.values():
        known |= {a for a in dir(estimator) if a.endswith("_") and not a.startswith("_")}
    for module in (glassbox, glassbox.explain, glassbox.surrogate, glassbox.plotting):
        for name in module.__all__:
            obj = getattr(module, name)
            if dataclasses.is_dataclass(obj):
                known |= {field.name for field in dataclasses.fields(obj)}
            if inspect.isclass(obj):  # FeatureBinner's bins_, a Display's figure_ and ax_
                known |= {a for a in dir(obj) if a.endswith("_")} | _documented_attributes(obj)
    problems = []
    for path in PAGES + EXAMPLES:
        text = path.read_text()
        named = set(re.findall(r"\.([a-z]\w*_)\b", text)) | set(re.findall(r"``([a-z]\w*_)``", text))
        problems += [f"{path.relative_to(REPO)}: {a}" for a in sorted(named - known)]
    assert not problems, "fitted attributes named in the docs that no estimator has:\n" + "\n".join(problems)


# -- printed models -------------------------------------------------------------------

def _literal_blocks_after(page, marker, count=1):
    """The first ``count`` ``::`` literal blocks after ``marker`` on a docs page, each as its non-blank lines."""
    text = (REPO / "docs" / page).read_text()
    lines = text[text.index(marker):].splitlines()
    blocks, position = [], 0
    while len(blocks) < count:
        position = next(i for i in range(position, len(lines)) if lines[i].rstrip().endswith("::")) + 1
        block = []
        for line in lines[position:]:
            if line.strip() and not line.startswith("    "):
                break
            block.append(line[4:].rstrip())
        blocks.append([line for line in block if line.strip()])
    return blocks


def _literal_block_after(page, marker):
    """The lines of the ``::`` literal block that follows ``marker`` on a docs page."""
    return _literal_blocks_after(page, marker)[0]


def _assert_printed(block, printed):
    """Every line of the page's block (but "...") is a line of the printout, in the same order."""
    printed_lines = [line.rstrip() for line in str(printed).splitlines()]
    position = 0
    for line in block:
        if line.strip() == "...":
            continue
        assert line in printed_lines[position:], f"the page shows {line!r}; the code prints:\n{printed}"
        position = printed_lines.index(line, position) + 1


def test_decision_set_page_shows_what_the_code_prints():
    from sklearn.datasets import load_wine
    from sklearn.model_selection import train_test_split

    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    model = glassbox.DecisionSetClassifier(max_rules=6, random_state=0).fit(X_train, y_train)
    _assert_printed(_literal_block_after("decision_set.rst", "On scikit-learn's wine"), model.explain_global())


def test_risk_score_page_shows_what_the_code_prints():
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    model = glassbox.RiskScoreClassifier(max_features=5).fit(X, y)
    _assert_printed(_literal_block_after("risk_score.rst", "On scikit-learn's breast-cancer"), model.explain_global())


def test_rule_list_page_shows_what_the_code_prints():
    # The opening names a constructor, shows its whole printout (header and R-hat line included) and the
    # ConvergenceWarning fit gives; the code block under it fits that constructor.
    harness = pytest.importorskip("benchmarks.harness")
    datasets = pytest.importorskip("benchmarks.datasets")
    try:
        data = harness.load_dataset("compas")
    except (FileNotFoundError, OSError, datasets.DatasetsUnavailable):
        pytest.skip("the shared datasets are not here")
    from sklearn.exceptions import ConvergenceWarning

    marker = "On the training part of the COMPAS"
    text = (REPO / "docs" / "rule_list.rst").read_text()
    named = re.search(r"``(BayesianRuleListClassifier\([^`]*\))``", text[text.index(marker):]).group(1)
    code = next(source for _, source in _python_blocks(REPO / "docs" / "rule_list.rst")
                if "print(clf.explain_global())" in source)
    assert f"clf = {named}.fit(X_train, y_train)" in code  # the code fits the model the prose names
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = eval(named, {"BayesianRuleListClassifier": glassbox.BayesianRuleListClassifier})
        model.fit(data.X_train, data.y_train)
    printed, shown_warning = _literal_blocks_after("rule_list.rst", marker, 2)
    assert printed == str(model.explain_global()).splitlines()
    emitted = [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert emitted == [" ".join(shown_warning)]
