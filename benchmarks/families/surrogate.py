"""Surrogate benchmarks: how faithful are distilled copies, and how fast is LocalSurrogate?

Two parts.

``cases(config)`` (run by ``python -m benchmarks.run --family surrogate``):
the harness's accuracy comparison on the true labels: a GAM distilled from a
HistGradientBoosting teacher, against the teacher itself and against a
decision-tree surrogate of the same teacher.

``python -m benchmarks.families.surrogate [--quick]`` measures *fidelity*,
which the harness does not: on each dataset's fixed test split, the agreement
(and balanced agreement, log-odds R²) of glassbox students with a
HistGradientBoosting teacher, against a decision-tree surrogate with as many
leaves as the student has terms; and ``LocalSurrogate`` against the ``lime``
package (``LimeTabularExplainer``, continuous features not discretised,
sampling around the instance, the same number of samples and features, both
with lime's default kernel ``sqrt(exp(-d²/w²))``, ``w = 0.75 sqrt(p)``): time
per explanation (after the model's and each explainer's one-time costs are paid by
untimed calls; LocalSurrogate the median of three passes), the kernel-weighted local R² on each explainer's own
perturbations (lime's ``score``), and the R² of every local model on one
shared fresh neighbourhood per row (a paired comparison).  lime runs when importable
(``benchmarks/.venvs/lime``: ``python -m venv --system-site-packages
benchmarks/.venvs/lime && benchmarks/.venvs/lime/bin/pip install lime``, then run
this module with that interpreter).  interpret-community's global surrogates
(``MimicExplainer``: a same-leaves tree mimic next to every student, LightGBM
and linear mimics as reference rows) run when importable: run the fidelity
part with ``benchmarks/.venvs/interpret_community/bin/python`` (see
``surrogate_peers.py``).  Results go to
``benchmarks/results/surrogate_fidelity.{json,md}``.

Rerun (each under the shared lock, one dataset per run)::

    flock /tmp/glassbox-bench.lock benchmarks/.venvs/interpret_community/bin/python \
        -m benchmarks.families.surrogate --part fidelity --datasets compas --teacher hgb,rf,mlp
    flock /tmp/glassbox-bench.lock benchmarks/.venvs/lime/bin/python \
        -m benchmarks.families.surrogate --part local --datasets adult --teacher hgb,rf,mlp

``--part inner`` repeats the student-vs-tree comparison on several 75/25 splits of
the training part (``--seeds``; teacher refitted on each 75%), to tell a shortfall
on the one test split from that split's luck; results go to
``benchmarks/results/surrogate_inner.{json,md}``::

    flock /tmp/glassbox-bench.lock python -m benchmarks.families.surrogate --part inner \
        --datasets telco_churn --teacher rf --students "L0 (5)" --seeds 0,1,2,3,4,5,6,7,8
"""

import argparse
import functools
import json
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from benchmarks.harness import Case

FAMILY = "surrogate"
DATASETS = ("adult",)
RESULTS = Path(__file__).resolve().parent.parent / "results"


def _teacher(dataset, kind="hgb"):
    """The black box: HistGradientBoosting, or a RandomForest / MLP behind a column encoder."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    if kind == "hgb":
        return HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    categorical = make_column_selector(dtype_include="category")
    numeric = make_column_selector(dtype_exclude="category")
    if kind == "rf":
        encoder = make_column_transformer((OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
                                          remainder="passthrough")
        return make_pipeline(encoder, RandomForestClassifier(n_estimators=200, min_samples_leaf=2, n_jobs=2, random_state=0))
    encoder = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), categorical), (StandardScaler(), numeric))
    return make_pipeline(encoder, MLPClassifier(hidden_layer_sizes=(64, 32), early_stopping=True, max_iter=200, random_state=0))


TEACHERS = {"hgb": "HistGradientBoosting", "rf": "RandomForest", "mlp": "MLP"}


def _numeric_teacher(kind):
    """The teachers of ``_teacher`` for an all-numeric (ordinal-coded) array, the input lime explains."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if kind == "hgb":
        return HistGradientBoostingClassifier(random_state=0)
    if kind == "rf":
        return RandomForestClassifier(n_estimators=200, min_samples_leaf=2, n_jobs=2, random_state=0)
    return make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64, 32), early_stopping=True,
                                                         max_iter=200, random_state=0))


def _ordinal(X):
    """Numeric copy of ``X`` (category codes, missing as -1) for trees and lime."""
    out = X.copy()
    for column in out.columns:
        if str(out[column].dtype) == "category":
            out[column] = out[column].cat.codes.astype(float)
    return out.to_numpy(dtype=float)


class TreeSurrogate(BaseEstimator):
    """A decision tree fitted to the teacher's labels (the classic global surrogate).

    With ``n_augment`` (a multiple of the training rows) the tree also sees the
    teacher-labelled rows a ``DistilledClassifier`` with the same ``n_augment``
    and ``random_state=0`` draws (same method, same seed, hence the same rows),
    so an augmented student is compared with a tree trained on the same data.
    """

    def __init__(self, teacher, max_leaf_nodes, n_augment=0.0, out_of_bag=False):
        self.teacher, self.max_leaf_nodes, self.n_augment = teacher, max_leaf_nodes, n_augment
        self.out_of_bag = out_of_bag

    def fit(self, X, y=None):
        from sklearn.tree import DecisionTreeClassifier

        from glassbox.surrogate._augment import augment, concatenate_rows
        from glassbox.surrogate._out_of_bag import out_of_bag_proba
        from glassbox.utils.tabular import validate_tabular

        self.teacher_ = self.teacher.fit(X, y) if y is not None else self.teacher
        # with out_of_bag the tree learns the forest's out-of-bag labels, as the student does
        labels_fit = (self.teacher_.classes_[np.argmax(out_of_bag_proba(self.teacher_, X), axis=1)]
                      if self.out_of_bag else None)
        if self.n_augment:
            table = validate_tabular(self, X, reset=True)
            extra = augment(X, table, int(round(self.n_augment * len(X))), "copula", np.random.RandomState(0))
            X = concatenate_rows(X, extra)
        self.tree_ = DecisionTreeClassifier(max_leaf_nodes=self.max_leaf_nodes, random_state=0)
        labels = self.teacher_.predict(X)
        if labels_fit is not None:
            labels[:len(labels_fit)] = labels_fit
        self.tree_.fit(_ordinal(X), labels)
        self.classes_ = self.tree_.classes_
        return self

    def predict(self, X):
        return self.tree_.predict(_ordinal(X))

    def predict_proba(self, X):
        return self.tree_.predict_proba(_ordinal(X))


def _missing_as_level(X):
    X = X.copy()
    for column in X.columns:
        if str(X[column].dtype) == "category" and X[column].isna().any():
            X[column] = X[column].cat.add_categories(["(missing)"]).fillna("(missing)")
    return X


def _distilled_gam(dataset):
    from glassbox import GAMClassifier
    from glassbox.surrogate import DistilledClassifier

    return DistilledClassifier(_teacher(dataset), GAMClassifier(random_state=0), random_state=0)


def cases(config):
    for name in config.datasets or DATASETS:
        yield Case(FAMILY, name, "DistilledClassifier(HGB -> GAM)", "glassbox", _distilled_gam,
                   size=lambda m: len(m.term_names_), size_unit="terms",
                   notes="GAM student (defaults) learns the teacher's probabilities sharpened to temperature 0.25 on the "
                         "training rows, intercept aligned with the teacher's labels. This table scores each model on "
                         "the true labels; the 16-leaf tree here is smaller than the GAM (size ratio > 1), so it is "
                         "not the equal-complexity comparison: fidelity to the teacher (agreement, balanced "
                         "agreement, trees with as many leaves as the student has terms, other students and "
                         "teachers) and LocalSurrogate vs lime: benchmarks/results/surrogate_fidelity.md")
        yield Case(FAMILY, name, "HistGradientBoosting (teacher)", "scikit-learn", _teacher)
        yield Case(FAMILY, name, "DecisionTree surrogate of HGB (16 leaves)", "scikit-learn",
                   lambda d: TreeSurrogate(_teacher(d), 16), size=lambda m: m.tree_.get_n_leaves(),
                   size_unit="leaves")


# -- fidelity -------------------------------------------------------------------------
# Training sets smaller than this also get students that learn from teacher-labelled
# copula rows (twice as many as the training rows), with trees trained on the same rows.
AUGMENT_BELOW = 20_000


def _students(quick, n_train=None, teacher_kind=None):
    """``[(label, student, n_augment), ...]``; for the options labels with ``out-of-bag`` ask for see ``_out_of_bag``."""
    from glassbox import GAMClassifier
    from glassbox.surrogate import distillation_student

    students = [("GAMClassifier (10 pairs)", GAMClassifier(random_state=0)),
                ("GAMClassifier (mains)", GAMClassifier(interactions=0, random_state=0))]
    if n_train is not None and n_train < AUGMENT_BELOW:
        students += [("GAMClassifier (10 pairs, augmented x2)", GAMClassifier(random_state=0)),
                     ("GAMClassifier (mains, augmented x2)", GAMClassifier(interactions=0, random_state=0))]
    if teacher_kind == "rf":  # DistilledClassifier(out_of_bag=True); their trees learn the same labels
        students += [("GAMClassifier (10 pairs, out-of-bag)", GAMClassifier(random_state=0)),
                     ("GAMClassifier (mains, out-of-bag)", GAMClassifier(interactions=0, random_state=0)),
                     # DistilledClassifier(align_intercept="out-of-bag"): in-sample targets, intercept placed by
                     # the forest's out-of-bag votes; their trees learn the in-sample labels as usual
                     ("GAMClassifier (10 pairs, out-of-bag intercept)", GAMClassifier(random_state=0)),
                     ("GAMClassifier (mains, out-of-bag intercept)", GAMClassifier(interactions=0, random_state=0))]
    for k in ((5,) if quick else (3, 5, 10)):
        # The distillation settings: steps of numeric features as candidate terms, kept only when the
        # stepped model agrees more with the teacher on the training rows than its plain twin.
        students.append((f"SparseLinear L0 ({k})", distillation_student("SparseLinearClassifier", penalty="l0",
                                                                         alpha=0.0, max_features=k)))
    students += [
        ("RiskScore (5 features)", distillation_student("RiskScoreClassifier", max_features=5)),
        ("DecisionSet (max 10 rules)", distillation_student("DecisionSetClassifier", max_rules=10, random_state=0)),
        # The distillation settings (finer thresholds, lower support; glassbox.surrogate.DISTILLATION_SETTINGS);
        # DistilledClassifier then replaces and prunes its rules for agreement with the teacher's labels.
        ("BayesianRuleList", distillation_student("BayesianRuleListClassifier", n_iter=10000, random_state=0)),
    ]
    return [(label, student, 2.0 if "augmented" in label else 0) for label, student in students]


def _out_of_bag(label):
    """DistilledClassifier's out-of-bag options for a student label (and its tree's: out-of-bag labels or not)."""
    if "out-of-bag intercept" in label:
        return {"align_intercept": "out-of-bag"}, False
    if "out-of-bag" in label:
        return {"out_of_bag": True}, True
    return {}, False


def fidelity_rows(name, quick, teacher_kind="hgb", only=None):
    from benchmarks.datasets import load_dataset
    from glassbox.surrogate import DistilledClassifier, complexity_of, fidelity_report

    data = load_dataset(name)
    # Sparse linear students reject missing values: give missing categories a level of
    # their own, for the teacher and every student alike.
    X_train, X_test = _missing_as_level(data.X_train), _missing_as_level(data.X_test)
    # ... and missing numbers the training median (telco_churn's TotalCharges of new customers).
    medians = X_train.median(numeric_only=True)
    X_train, X_test = X_train.fillna(medians), X_test.fillna(medians)
    if quick:
        X_train, y_train = X_train.iloc[:4000], data.y_train.iloc[:4000]
    else:
        y_train = data.y_train
    teacher = _teacher(data, teacher_kind).fit(X_train, y_train)
    rows = []
    for label, student, n_augment in _students(quick, len(X_train), teacher_kind):
        options, oob = _out_of_bag(label)
        if only and not any(word.lower() in label.lower() for word in only):
            continue
        if getattr(student, "max_features", None) and student.max_features > _n_terms(X_train):
            continue  # more features than the data has: the same student as a smaller one
        start = time.perf_counter()
        copy = DistilledClassifier(teacher, student, n_augment=n_augment, random_state=0, **options).fit(X_train)
        seconds = time.perf_counter() - start
        size, unit = complexity_of(copy.student_)
        unit += _steps_note(copy.student_)
        report = copy.fidelity_report(X_test)
        tree = TreeSurrogate(teacher, max(2, size), n_augment=n_augment, out_of_bag=oob).fit(X_train)
        tree_report = fidelity_report(teacher, tree, X_test)
        rows.append({
            "dataset": name, "teacher": TEACHERS[teacher_kind], "n_train": len(X_train), "student": label,
            "target": _target_label(copy), "complexity": size, "unit": unit, "fit_seconds": seconds,
            "agreement": report.agreement, "balanced_agreement": report.balanced_agreement,
            "logit_r2": report.logit_r2, "rank_auc": report.rank_auc,
            "tree_leaves": int(tree.tree_.get_n_leaves()), "tree_agreement": tree_report.agreement,
            "tree_balanced_agreement": tree_report.balanced_agreement,
            **_mimic_tree_columns(teacher, max(2, size), X_train, X_test, n_augment or options),
            "load_average": _load(), "commit": _commit(),
        })
        print(rows[-1], flush=True)
        yield rows[-1]
    if not only or any(word.lower() in "interpret-community mimic" for word in only):
        yield from _mimic_rows(name, teacher_kind, teacher, X_train, X_test)


# -- fidelity on inner splits of the training part -------------------------------------
# One test split decides a student-vs-tree row by a few rows (telco_churn: 2,113 test rows; one row is
# 0.0005).  The inner part repeats the comparison on several 75/25 splits of the *training* part (teacher
# refitted on each 75%, student and same-leaves tree fitted on it, agreement with that teacher on the 25%),
# so a shortfall can be told from the luck of one split.  Test rows are not used.
INNER_HOLDOUT = 0.25


def inner_split_rows(name, teacher_kind, only, seeds):
    from benchmarks.datasets import load_dataset
    from glassbox.surrogate import DistilledClassifier, complexity_of

    data = load_dataset(name)
    X = _missing_as_level(data.X_train)
    X = X.fillna(X.median(numeric_only=True))
    for seed in seeds:
        held_out = np.random.RandomState(seed).random_sample(len(X)) < INNER_HOLDOUT
        X_fit, X_check = X[~held_out], X[held_out]
        teacher = _teacher(data, teacher_kind).fit(X_fit, data.y_train[~held_out])
        teacher_labels = teacher.predict(X_check)
        for label, student, n_augment in _students(False, len(X_fit), teacher_kind):
            if only and not any(word.lower() in label.lower() for word in only):
                continue
            options, oob = _out_of_bag(label)
            copy = DistilledClassifier(teacher, student, n_augment=n_augment, random_state=0, **options).fit(X_fit)
            size, unit = complexity_of(copy.student_)
            tree = TreeSurrogate(teacher, max(2, size), n_augment=n_augment, out_of_bag=oob).fit(X_fit)
            row = {"dataset": name, "teacher": TEACHERS[teacher_kind], "student": label, "seed": seed,
                   "n_check": int(held_out.sum()), "complexity": size, "unit": unit + _steps_note(copy.student_),
                   "agreement": float(np.mean(copy.predict(X_check) == teacher_labels)),
                   "tree_agreement": float(np.mean(tree.predict(X_check) == teacher_labels)),
                   "load_average": _load()}
            print(row, flush=True)
            yield row


def _inner_markdown(rows):
    lines = ["## Surrogates: student vs same-leaves tree on inner splits of the training part", "",
             "Each seed splits the training part 75/25; the teacher is refitted on the 75%, the student (defaults of "
             "the fidelity table) and a decision tree with as many leaves as the student's complexity are fitted on "
             "the same 75%, and both are scored by agreement with that teacher on the 25%.  No test row is used.  "
             "Rerun: `python -m benchmarks.families.surrogate --part inner --datasets D --teacher T --students S "
             "--seeds 0,1,...`.", "",
             "| dataset | teacher | student | seeds | student ahead or level | median margin | margins (student - tree) "
             "| load |", "|---|---|---|---|---|---|---|---|"]
    groups = {}
    for r in rows:
        groups.setdefault((r["dataset"], r["teacher"], r["student"]), []).append(r)
    for (dataset, teacher, student), group in groups.items():
        group = sorted(group, key=lambda r: r["seed"])
        margins = [r["agreement"] - r["tree_agreement"] for r in group]
        shown = ", ".join(f"{r['seed']}: {m:+.4f} ({r['complexity']} {r['unit']})" for r, m in zip(group, margins))
        loads = [r["load_average"] for r in group]
        lines.append(f"| {dataset} | {teacher} | {student} | {len(group)} | {sum(m >= 0 for m in margins)} of "
                     f"{len(group)} | {float(np.median(margins)):+.4f} | {shown} | {min(loads)}-{max(loads)} |")
    return "\n".join(lines) + "\n"


def _save_inner(rows):
    path = RESULTS / "surrogate_inner.json"
    old = json.loads(path.read_text()) if path.exists() else []
    rows = _merge(old, rows, ("dataset", "teacher", "student", "seed"))
    path.write_text(json.dumps(rows, indent=1))
    (RESULTS / "surrogate_inner.md").write_text(_inner_markdown(rows))


def _steps_note(student):
    """`` (k steps)`` when ``k`` of a sparse linear student's nonzero terms are steps ``x >= t``."""
    terms, coef = getattr(student, "terms_", None), getattr(student, "coef_", None)
    if terms is None or coef is None or not any(getattr(t, "threshold", None) is not None for t in terms):
        return ""
    nonzero = np.any(np.atleast_2d(coef) != 0, axis=0)
    return f" ({sum(t.threshold is not None for t, used in zip(terms, nonzero) if used)} steps)"


def _target_label(copy):
    """The student's target, with the soft labels' temperature when it is not 1."""
    temperature = getattr(copy, "temperature_", 1.0)
    return copy.target_ if temperature == 1.0 else f"{copy.target_} (T={temperature:g})"


def _mimic_tree_columns(teacher, leaves, X_train, X_test, skip):
    """interpret-community's tree mimic with ``leaves`` leaves; ``skip`` (augmented or out-of-bag students) gives none.

    The mimic sees neither extra rows nor out-of-bag votes, so it is paired with plain students only.
    """
    from glassbox.surrogate import fidelity_report

    from .surrogate_peers import MimicSurrogate, mimic_available

    if not mimic_available() or skip:
        return {}
    mimic = MimicSurrogate(teacher, "tree", leaves).fit(X_train)
    report = fidelity_report(teacher, mimic, X_test)
    return {"mimic_tree_leaves": mimic.leaves(), "mimic_tree_agreement": report.agreement,
            "mimic_tree_balanced_agreement": report.balanced_agreement}


def _mimic_rows(name, teacher_kind, teacher, X_train, X_test):
    """interpret-community's LightGBM and linear mimics at their defaults (reference rows, no tree pairing)."""
    from glassbox.surrogate import fidelity_report

    from .surrogate_peers import MimicSurrogate, mimic_available, mimic_version

    if not mimic_available():
        return
    for model, label in (("lightgbm", "LightGBM"), ("linear", "linear")):
        start = time.perf_counter()
        mimic = MimicSurrogate(teacher, model).fit(X_train)
        seconds = time.perf_counter() - start
        report = fidelity_report(teacher, mimic, X_test)
        size, unit = mimic.complexity()
        row = {"dataset": name, "teacher": TEACHERS[teacher_kind], "n_train": len(X_train),
               "student": f"interpret-community {mimic_version()} mimic {label} (defaults)", "target": "log-odds",
               "complexity": size, "unit": unit, "fit_seconds": seconds, "agreement": report.agreement,
               "balanced_agreement": report.balanced_agreement, "logit_r2": report.logit_r2,
               "rank_auc": report.rank_auc, "load_average": _load()}
        print(row, flush=True)
        yield row


def _n_terms(X):
    """Terms of a sparse linear model on ``X``: one per numeric column, one per category level."""
    return sum(len(X[c].cat.categories) if str(X[c].dtype) == "category" else 1 for c in X.columns)


@functools.cache
def _commit():
    """The checkout's commit (short hash), with ``+`` when the tree has uncommitted changes.

    Read once per run, at its first row: the run's code is imported then, and later commits or
    edits in the tree do not change what the running process measures.
    """
    import subprocess

    root = Path(__file__).resolve().parents[2]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    # the results files are written by these runs themselves (one dataset per run): they do not make the code dirty
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks/results"],
                           cwd=root, capture_output=True, text=True).stdout.strip()
    return head + ("+" if dirty else "")


def _load():
    import os

    return round(os.getloadavg()[0], 2)


# -- local ----------------------------------------------------------------------------
def _common_neighbourhood_r2(model, X_train, row, explanations, n_samples, rng):
    """Kernel-weighted R² of several local models on one fresh neighbourhood of ``row``.

    The neighbourhood is lime's (sample around the instance, Gaussian noise of
    one training standard deviation, kernel ``sqrt(exp(-d²/w²))`` with
    ``w = 0.75 sqrt(p)``) but drawn here, independently of both explainers, so
    every local model is scored on the same points.  ``explanations`` maps a
    name to ``(intercept, slopes)`` on the training-standardised scale.
    """
    from sklearn.metrics import r2_score

    mean, scale = X_train.mean(axis=0), X_train.std(axis=0)
    scale[scale == 0] = 1.0
    z = rng.standard_normal((n_samples, X_train.shape[1]))
    z[0] = 0.0
    points = row + z * scale
    target = model.predict_proba(points)[:, 1]
    width = 0.75 * np.sqrt(X_train.shape[1])
    weights = np.sqrt(np.exp(-np.sum(z**2, axis=1) / width**2))
    standardised = (points - mean) / scale
    return {name: r2_score(target, intercept + standardised @ slopes, sample_weight=weights)
            for name, (intercept, slopes) in explanations.items()}


def local_rows(name, n_rows, n_samples, n_features, teacher_kind="hgb"):
    """LocalSurrogate vs lime on the same neighbourhood definition (lime's kernel and width, no discretisation).

    Both explainers ask the model about ``n_samples`` perturbed rows per
    explanation, so the teacher's own prediction time is a floor common to
    both (the row "model predict_proba alone"): each teacher gets its rows.
    """
    from benchmarks.datasets import load_dataset
    from glassbox.surrogate import LocalSurrogate

    data = load_dataset(name)
    X_train, X_test = _ordinal(data.X_train), _ordinal(data.X_test)[:n_rows]
    model = _numeric_teacher(teacher_kind).fit(X_train, data.y_train)
    teacher = TEACHERS[teacher_kind]
    scale = X_train.std(axis=0)
    scale[scale == 0] = 1.0
    rows, fitted = [], {}
    # The model's first large calls pay one-time costs (BLAS threads, first touch of their buffers: an MLP's
    # first three products on 100,000 rows took 95, 55 and 13 ms), which would fall on whichever explainer is
    # timed first: three calls of a LocalSurrogate batch's size warm it.
    for _ in range(3):
        model.predict_proba(np.repeat(X_test[:1], 100_000, axis=0))
    for selection in ("l0", "forward"):
        # Default kernel: lime's sqrt(exp(-d^2 / w^2)) with lime's default width.
        explainer = LocalSurrogate(model, max_features=n_features, selection=selection, n_samples=n_samples,
                                   n_holdout=0, output="probability", random_state=0).fit(X_train)
        # the median of three timed passes over the rows: the first pass in a process also pays one-time costs
        # (first touch of the batches' buffers) that a pass of 100 rows does not amortise
        passes = []
        for _ in range(3):
            start = time.perf_counter()
            fits = explainer.local_fits(X_test)
            passes.append(time.perf_counter() - start)
        seconds = statistics.median(passes) / n_rows
        label = f"LocalSurrogate ({selection})"
        # Back to lime's scale: intercept at the training mean, slopes per training standard deviation.
        fitted[label] = [(fits.intercepts[i], fits.coefficients[i] * scale) for i in range(n_rows)]
        rows.append({"dataset": name, "teacher": teacher, "explainer": label, "ms_per_row": 1000 * seconds,
                     "n_rows": n_rows,
                     "scores": [float(v) for v in fits.weighted_r2], "load_average": _load()})
        print({k: v for k, v in rows[-1].items() if k != "scores"}, flush=True)
    # The floor both explainers share: the model's own predictions on n_samples perturbed rows per
    # explanation (perturbed like both explainers do: identical rows would flatter a tree ensemble).
    noise = np.random.default_rng(0).standard_normal((n_rows * n_samples, X_train.shape[1]))
    perturbed = np.repeat(X_test, n_samples, axis=0) + noise * scale
    start = time.perf_counter()
    model.predict_proba(perturbed)
    rows.append({"dataset": name, "teacher": teacher, "explainer": f"(model predict_proba alone, {n_samples} rows)",
                 "ms_per_row": 1000 * (time.perf_counter() - start) / n_rows, "n_rows": n_rows, "scores": None,
                 "load_average": _load()})
    try:
        from lime.lime_tabular import LimeTabularExplainer
    except ImportError:
        rows.append({"dataset": name, "teacher": teacher, "explainer": "lime (not installed)", "ms_per_row": None,
                     "scores": None})
        return _with_summaries(rows)
    import lime

    explainer = LimeTabularExplainer(X_train, mode="classification", discretize_continuous=False,
                                     sample_around_instance=True, random_state=0)
    scores, times, fitted["lime"] = [], [], []
    warm = LimeTabularExplainer(X_train, mode="classification", discretize_continuous=False,
                                sample_around_instance=True, random_state=1)
    for row in X_test[:5]:  # untimed, by another instance: lime's first explanations pay its one-time costs
        warm.explain_instance(row, model.predict_proba, num_features=n_features, num_samples=n_samples, labels=(1,))
    for row in X_test:
        start = time.perf_counter()
        explanation = explainer.explain_instance(row, model.predict_proba, num_features=n_features,
                                                 num_samples=n_samples, labels=(1,))
        times.append(time.perf_counter() - start)
        scores.append(float(explanation.score[1] if isinstance(explanation.score, dict) else explanation.score))
        slopes = np.zeros(X_train.shape[1])
        for j, value in explanation.local_exp[1]:
            slopes[j] = value
        fitted["lime"].append((explanation.intercept[1], slopes))
    version = getattr(lime, "__version__", "")
    rows.append({"dataset": name, "teacher": teacher, "explainer": f"lime {version}".strip(),
                 "ms_per_row": 1000 * statistics.mean(times),
                 "n_rows": n_rows, "scores": scores, "load_average": _load()})
    # Every local model scored on one shared fresh neighbourhood per row: a paired comparison
    # free of each explainer's own sampling luck.
    rng = np.random.default_rng(12345)
    common = [_common_neighbourhood_r2(model, X_train, X_test[i], {k: v[i] for k, v in fitted.items()},
                                       n_samples, rng) for i in range(n_rows)]
    lime_label = rows[-1]["explainer"]
    for r in rows:
        key = "lime" if r["explainer"] == lime_label else r["explainer"]
        if key in fitted:
            r["common_scores"] = [float(c[key]) for c in common]
            r["common_at_least_lime"] = float(np.mean([c[key] >= c["lime"] for c in common]))
    return _with_summaries(rows)


def _with_summaries(rows):
    for r in rows:
        for key, out in (("scores", "median_local_r2"), ("common_scores", "median_common_r2")):
            values = r.get(key)
            r[out] = None if not values else float(np.median(values))
            r[out.replace("median", "mean")] = None if not values else float(np.mean(values))
        print({k: v for k, v in r.items() if "scores" not in k}, flush=True)
    return rows


def _markdown(fidelity, local):
    lines = ["## Surrogates", "", "### Distilled students vs their teacher (test split)", "",
             "Each student learns the teacher's outputs on the training rows with DistilledClassifier's default "
             "target (`target` column; GAM, sparse linear and risk score: probabilities as soft labels, for GAM and "
             "sparse linear sharpened to temperature T = 0.25 and the intercept then aligned with the teacher's "
             "labels on the training rows; sparse linear students are built by `distillation_student`: steps `x >= t` "
             "of numeric features as candidate terms, kept only when they agree more with the teacher on a held-out "
             "quarter of the training rows than the plain model with as many terms (complexity `10 terms (4 steps)`: "
             "ten nonzero coefficients, four of them steps); rule lists "
             "and decision sets: labels; chosen by measured fidelity, see docs/surrogate.rst).  Complexity per "
             "family: GAM and sparse linear, terms with a nonzero shape or coefficient; rule lists and decision "
             "sets, rules including the default rule (each rule is one region of the input space, like a leaf); "
             "risk scores, conditions with nonzero points.  The tree is a DecisionTree fitted to the teacher's "
             "labels with as many leaves as the student's complexity (for a risk score of k conditions the tree "
             "of k leaves asks k - 1 questions).  Students marked *augmented x2* (training sets under 20,000 rows) also "
             "learn from twice as many teacher-labelled rows drawn by DistilledClassifier's Gaussian copula "
             "(`n_augment=2.0`), and their tree is trained on the same rows.  Students marked *out-of-bag* (forest "
             "teacher) learn on each training row the votes of the trees that did not draw it "
             "(`out_of_bag=True`), and their tree learns the same out-of-bag labels.  Students marked *out-of-bag "
             "intercept* learn the in-sample votes and place only their intercept by the out-of-bag votes "
             "(`align_intercept=\"out-of-bag\"`); their tree learns the in-sample labels, as a plain tree does.", "",
             "*interpret-community mimic tree*: interpret-community's `MimicExplainer` with its "
             "`DecisionTreeExplainableModel` (a regression tree on the teacher's clipped log-odds, categoricals "
             "one-hot) with the same number of leaves; its LightGBM and linear mimics at their defaults are reference "
             "rows (benchmarks/families/surrogate_peers.py).  ° mimic tree measured by an earlier run of the same "
             "row (same teacher, same leaf count; a run without interpret-community installed keeps it).", "",
             "| dataset | teacher | train rows | student | target | complexity | agreement | balanced agr. | "
             "logit R² | tree (same leaves) agreement | tree balanced | mimic tree agreement / balanced | load | commit |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for r in fidelity:
        tree = "n/a" if r.get("tree_agreement") is None else f"{r['tree_agreement']:.4f} ({r['tree_leaves']} leaves)"
        tree_balanced = "n/a" if r.get("tree_balanced_agreement") is None else f"{r['tree_balanced_agreement']:.4f}"
        mimic = ("n/a" if r.get("mimic_tree_agreement") is None else
                 f"{r['mimic_tree_agreement']:.4f} / {r['mimic_tree_balanced_agreement']:.4f}"
                 + (" °" if r.get("mimic_tree_earlier_run") else ""))
        lines.append(f"| {r['dataset']} | {r.get('teacher', 'HistGradientBoosting')} | {r.get('n_train', 4000)} | "
                     f"{r['student']} | {r.get('target', '')} | {r['complexity']} {r['unit']} | {r['agreement']:.4f} | "
                     f"{r['balanced_agreement']:.4f} | {r['logit_r2']:.3f}{_note_mark(r, notes)} | {tree} | "
                     f"{tree_balanced} | {mimic} | {r.get('load_average', '')} | {r.get('commit', 'n/a')} |")
    lines += [""] + [f"{'†' * (i + 1)} {text}" for i, text in enumerate(notes)] if notes else []
    lines += ["", "### LocalSurrogate vs lime (probability of the positive class, same samples and features)", "",
              "Same neighbourhood for both: Gaussian perturbations around the row (one training standard deviation, "
              "no discretisation), lime's kernel sqrt(exp(-d²/w²)) with its default width 0.75 √p; local R² as lime's "
              "`score` (kernel-weighted R² of the local model on its own perturbations). *Common*: every explainer's "
              "local model scored on one fresh neighbourhood per row drawn by the benchmark (paired comparison).", "",
              "| dataset | teacher | explainer | rows | ms per explanation | local R² median / mean | "
              "common R² median / mean | rows with common R² ≥ lime's | load |", "|---|---|---|---|---|---|---|---|---|"]
    for r in local:
        ms = "n/a" if r["ms_per_row"] is None else f"{r['ms_per_row']:.1f}"
        r2 = "n/a" if r.get("median_local_r2") is None else f"{r['median_local_r2']:.3f} / {r.get('mean_local_r2', float('nan')):.3f}"
        common = "n/a" if r.get("median_common_r2") is None else f"{r['median_common_r2']:.3f} / {r['mean_common_r2']:.3f}"
        wins = "n/a" if r.get("common_at_least_lime") is None else f"{r['common_at_least_lime']:.2f}"
        lines.append(f"| {r['dataset']} | {r.get('teacher', 'HistGradientBoosting')} | {r['explainer']} | "
                     f"{r.get('n_rows', 50)} | {ms} | {r2} | {common} | {wins} | "
                     f"{r.get('load_average', '')} |")
    return "\n".join(lines) + "\n"


def _note_mark(row, notes):
    """Daggers after a figure whose row carries a ``note`` (the same note, the same mark); each note is listed once."""
    if not row.get("note"):
        return ""
    if row["note"] not in notes:
        notes.append(row["note"])
    return " " + "†" * (notes.index(row["note"]) + 1)


def _merge(old, new, key):
    def identity(row):
        return tuple(row.get(k, {"teacher": "HistGradientBoosting", "n_train": 4000}.get(k)) for k in key)

    replaced = {identity(row) for row in new}
    return [row for row in old if identity(row) not in replaced] + new


MIMIC_TREE_COLUMNS = ("mimic_tree_leaves", "mimic_tree_agreement", "mimic_tree_balanced_agreement")


def _keep_mimic_tree(old, new, key):
    """New rows measured without interpret-community keep the earlier run's mimic-tree columns.

    The mimic tree depends on the teacher and the leaf count only (not on glassbox's code), so a
    row whose student has the same complexity keeps them, marked ``mimic_tree_earlier_run``; a
    row whose complexity changed gets none.
    """
    earlier = {tuple(row.get(k) for k in key): row for row in old}
    for row in new:
        previous = earlier.get(tuple(row.get(k) for k in key), {})
        if ("mimic_tree_agreement" not in row and previous.get("mimic_tree_agreement") is not None
                and previous.get("complexity") == row.get("complexity")):
            row.update({c: previous[c] for c in MIMIC_TREE_COLUMNS}, mimic_tree_earlier_run=True)
    return new


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4000 training rows, fewer students, 20 local rows")
    parser.add_argument("--datasets", default="adult")
    parser.add_argument("--part", choices=("all", "fidelity", "local", "inner"), default="all")
    parser.add_argument("--teacher", default="hgb", help="comma-separated: " + ", ".join(TEACHERS))
    parser.add_argument("--students", default="", help="comma-separated words; only students whose name has one")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="inner part: seeds of the 75/25 training splits")
    args = parser.parse_args(argv)
    names = args.datasets.split(",")
    only = [w for w in args.students.split(",") if w]
    if args.part == "inner":
        seeds = [int(s) for s in args.seeds.split(",")]
        for name in names:
            for teacher in args.teacher.split(","):
                for row in inner_split_rows(name, teacher, only, seeds):
                    _save_inner([row])
        print((RESULTS / "surrogate_inner.md").read_text())
        return
    if args.part != "local":
        for name in names:
            for teacher in args.teacher.split(","):
                for row in fidelity_rows(name, args.quick, teacher, only):
                    _save([row], [])  # saved row by row: a run cut short keeps what it measured
    if args.part != "fidelity":
        for name in names:
            for teacher in args.teacher.split(","):
                _save([], local_rows(name, 20 if args.quick else 100, 5000, 5, teacher))
    print((RESULTS / "surrogate_fidelity.md").read_text())


def _save(fidelity, local):
    """Merge new rows into ``surrogate_fidelity.{json,md}`` (rows of other runs are kept)."""
    RESULTS.mkdir(exist_ok=True)
    previous = RESULTS / "surrogate_fidelity.json"
    if previous.exists():
        old = json.loads(previous.read_text())
        key = ("dataset", "teacher", "n_train", "student")
        fidelity = _merge(old.get("fidelity", []), _keep_mimic_tree(old.get("fidelity", []), fidelity, key), key)
        local = _merge(old.get("local", []), local, ("dataset", "teacher", "explainer"))
    previous.write_text(json.dumps({"fidelity": fidelity, "local": local}, indent=1))
    (RESULTS / "surrogate_fidelity.md").write_text(_markdown(fidelity, local))


if __name__ == "__main__":
    main()
