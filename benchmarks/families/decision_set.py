"""Decision sets: glassbox's ``DecisionSetClassifier`` against RIPPER and imodels' rule sets.

Peers (binary tasks):

* wittgenstein ``RIPPER`` (defaults, ``random_state=0``) on the raw features,
  learning rules for the **minority** class of the training part (its
  ``pos_class``); other rows get the majority class;
* imodels ``SkopeRulesClassifier`` (defaults) and ``BayesianRuleSetClassifier``
  (Wang et al. 2017; ``maxlen=2``, ``n_rules=200``, ``num_iterations=500``:
  its defaults, ``maxlen=10`` and 5,000 iterations, did not finish on ``heart``
  in 10 minutes) on glassbox's own candidate conditions as 0/1 columns (untimed
  ``prepare``, fitted on the training part), since both want numeric input.
  Bayesian rule sets run once per dataset and only where the training part has
  at most 6,000 rows (pure-Python MCMC); RIPPER runs once on adult and bank.

skope-rules itself (the ``skope-rules`` package) does not import on Python
3.11 (``from collections import Iterable``), so imodels' port stands in for it.

Multiclass (``wine_red_classes``: wine quality 3..8 as six classes): the peers
above are binary-only, so only glassbox and scikit-learn's logistic regression run.

Run: ``python benchmarks/run.py --family decision_set`` (every dataset; the
multiclass wine specification is registered when this module is imported, so
``--datasets`` cannot name it until it moves to ``benchmarks/datasets.py``).

Size is the total number of conditions in the model.  Every setting is fixed
here (glassbox's defaults were chosen by 3-fold CV on training parts, never on a
test part).  The default fit chooses its objective weights, and whether the
majority class gets rules, inside ``fit`` on two folds of the training rows;
that search is part of its timed fit.  The ``untuned`` case is the plain IDS
optimum under the weights as given (the earlier defaults).
"""

from dataclasses import replace

from benchmarks.datasets import SPECS, DatasetSpec
from benchmarks.harness import Case

FAMILY = "decision_set"
SEED = 0
BINARY = ("heart", "breastcancer", "pima", "titanic", "compas", "german_credit", "mammo",
          "telco_churn", "spambase", "mushroom", "bank", "adult")
MULTICLASS = ("wine_red_classes",)
DATASETS = BINARY + MULTICLASS
BRS_MAX_ROWS = 6000
# A larger set for the accuracy / size front: cheaper rules and overlaps, a bigger budget.
LARGE = {"max_rules": 20, "min_support": 0.02, "rule_penalty": 0.002, "condition_penalty": 0.0005,
         "overlap_penalty": 0.05}

# The plain IDS fit, as the defaults were before the weight search became one.
UNTUNED = {"tune_weights": False, "support_scope": "data", "rule_classes": "all"}

# Wine quality as classes is not (yet) a shared specification; it is registered
# here, beside the regression version, from the same file.
SPECS.setdefault("wine_red_classes", DatasetSpec(
    "wine_red_classes", "wine_quality_red.csv", "quality", "multiclass",
    description="UCI Wine Quality, red; quality (3..8) as six classes",
))


def _total_conditions(model):
    return sum(len(rule.conditions) for rule in model.rules_)


class RipperOnMinority:
    """wittgenstein RIPPER learning rules for the training part's minority class."""

    def __init__(self):
        import wittgenstein

        self.model = wittgenstein.RIPPER(random_state=SEED)

    def fit(self, X, y):
        counts = y.value_counts()
        self.positive = counts.idxmin()
        self.negative = counts.idxmax()
        self.model.fit(X, y, pos_class=self.positive)
        return self

    def predict(self, X):
        import numpy as np

        return np.where(self.model.predict(X), self.positive, self.negative)

    def predict_proba(self, X):
        import numpy as np

        p_pos = np.asarray(self.model.predict_proba(X))[:, 1]
        p_one = p_pos if self.positive == 1 else 1.0 - p_pos
        return np.column_stack([1.0 - p_one, p_one])

    def n_conditions(self):
        return sum(len(rule.conds) for rule in self.model.ruleset_.rules)


def _binarize(dataset):
    """glassbox's candidate conditions as 0/1 columns (fitted on the training part only)."""
    import pandas as pd

    from glassbox import DecisionSetClassifier
    from glassbox.utils import ConditionGenerator

    generator = ConditionGenerator(max_thresholds=DecisionSetClassifier().max_thresholds, handle_unknown="ignore")
    generator.fit(dataset.X_train)
    names = [f"c{i}" for i in range(len(generator.conditions_))]

    def frame(X):
        return pd.DataFrame(generator.transform(X).astype(int), columns=names, index=X.index)

    return replace(dataset, X_train=frame(dataset.X_train), X_test=frame(dataset.X_test), categorical=())


def _skope_fit(model, X, y):
    return model.fit(X.to_numpy(), y.to_numpy(), feature_names=list(X.columns))


def _skope_size(model):
    return sum(len(str(rule).split(" and ")) for rule in model.rules_)


def _brs_size(model):
    return sum(len(rule) for rule in model.rules_)


def _labels_as_scores(model, X):
    return model.predict(X)


def _numpy_predict(model, X):
    return model.predict(X.to_numpy())


def _numpy_score(model, X):
    return model.predict_proba(X.to_numpy())[:, 1]


def _glassbox_cases(name, quick):
    from glassbox import DecisionSetClassifier

    extra = {"pool_size": 200, "n_restarts": 1} if quick else {}
    yield Case(
        family=FAMILY, dataset=name, model_name="DecisionSetClassifier", library="glassbox",
        make_model=lambda ds: DecisionSetClassifier(random_state=SEED, **extra),
        size=_total_conditions, size_unit="conditions",
        notes="DecisionSetClassifier defaults: raw features, max_rules=10, max_rule_len=2, min_support=0.05 of "
        "some class (support_scope='class'), max_thresholds=8; tune_weights=True and rule_classes='auto': IDS "
        "weights (scalings of 0.01, 0.002, 0.2, 1, 0.01, 1, 1) and rules for all classes or for the minority "
        "only, chosen by accuracy on 2 folds of the TRAINING part (timed; the test part is never seen), then refit",
    )
    yield Case(
        family=FAMILY, dataset=name, model_name="DecisionSetClassifier max_rules=3", library="glassbox",
        make_model=lambda ds: DecisionSetClassifier(max_rules=3, random_state=SEED, **extra),
        size=_total_conditions, size_unit="conditions", notes="defaults but max_rules=3",
    )
    yield Case(
        family=FAMILY, dataset=name, model_name="DecisionSetClassifier untuned", library="glassbox",
        make_model=lambda ds: DecisionSetClassifier(**UNTUNED, random_state=SEED, **extra),
        size=_total_conditions, size_unit="conditions",
        notes="DecisionSetClassifier untuned (the earlier defaults): the plain IDS optimum under the weights as "
        "given, rules for every class, " + ", ".join(f"{k}={v}" for k, v in UNTUNED.items()),
    )
    yield Case(
        family=FAMILY, dataset=name, model_name="DecisionSetClassifier large", library="glassbox",
        make_model=lambda ds: DecisionSetClassifier(random_state=SEED, **LARGE, **extra),
        size=_total_conditions, size_unit="conditions",
        notes="DecisionSetClassifier large (tuned as the defaults): " + ", ".join(f"{k}={v}" for k, v in LARGE.items()),
    )


def _peer_cases(name, n_train):
    import imodels

    yield Case(
        family=FAMILY, dataset=name, model_name="RIPPER (minority class)", library="wittgenstein",
        make_model=lambda ds: RipperOnMinority(), size=lambda m: m.n_conditions(), size_unit="conditions",
        max_repeats=1 if n_train > 20_000 else None,
        notes="wittgenstein RIPPER defaults on raw features, pos_class = the training part's minority class",
    )
    yield Case(
        family=FAMILY, dataset=name, model_name="imodels SkopeRules", library="imodels",
        make_model=lambda ds: imodels.SkopeRulesClassifier(random_state=SEED),
        fit=_skope_fit, predict=_numpy_predict, score=_numpy_score, size=_skope_size, size_unit="conditions",
        prepare=_binarize,
        notes="imodels SkopeRulesClassifier defaults on glassbox's conditions as 0/1 columns (binarization untimed)",
    )
    if n_train <= BRS_MAX_ROWS:
        yield Case(
            family=FAMILY, dataset=name, model_name="imodels BayesianRuleSet", library="imodels",
            make_model=lambda ds: imodels.BayesianRuleSetClassifier(
                maxlen=2, n_rules=200, num_iterations=500, random_state=SEED),
            score=_labels_as_scores, size=_brs_size, size_unit="conditions", prepare=_binarize, max_repeats=1,
            notes="imodels BayesianRuleSetClassifier maxlen=2, n_rules=200, num_iterations=500 (defaults too slow), "
            "glassbox's conditions as 0/1 columns; one timed fit; it has no predict_proba, so its AUC is that of "
            "its 0/1 predictions",
        )


def cases(config):
    from benchmarks.datasets import load_dataset
    from benchmarks.families.baselines import baseline_cases

    for name in config.datasets or DATASETS:
        yield from _glassbox_cases(name, config.quick)
        if name in MULTICLASS or SPECS[name].task == "multiclass":
            # The linear reference only: HistGradientBoosting is no rule model and is slow on a busy machine.
            yield from (case for case in baseline_cases(name, family=FAMILY) if case.model_name == "LogisticRegression")
            continue
        if config.quick:
            continue
        yield from _peer_cases(name, load_dataset(name).n_train)
