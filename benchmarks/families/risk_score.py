"""Risk scores: glassbox's RiskScoreClassifier against FasterRisk (k = 5, points -5..5).

FasterRisk pins numpy < 2 and scikit-learn 1.2, so it runs in its own virtual
environment (``benchmarks.peers.FASTERRISK``).  It needs 0/1 features, so it
gets *the same conditions* glassbox searches over: a
:class:`~glassbox.utils.ConditionGenerator` with glassbox's default
``max_thresholds`` fitted on the training part (untimed ``prepare``), as 0/1
columns.  glassbox runs twice: on those same 0/1 columns and on the raw data
(where it binarizes itself, inside the timed fit).  An L1 logistic regression
on the raw data (one-hot categoricals) is the accuracy ceiling: glassbox's
``SparseLinearClassifierCV`` (L1 path, 3-fold CV), chosen over liblinear for speed.

The certified gap (``certify=True``, 60 s) is measured by
``python -m benchmarks.families.risk_score`` (the harness table has no column
for it), which writes ``benchmarks/results/risk_score_certificates.json``.
"""

import time
from dataclasses import replace

from benchmarks.harness import Case, VenvModel

DATASETS = ("mammo", "adult_riskslim", "breastcancer", "heart", "mushroom", "spambase", "bank", "compas")
FAMILY = "risk_score"
K = 5


def _binarize(dataset):
    import pandas as pd

    from glassbox import RiskScoreClassifier
    from glassbox.utils import ConditionGenerator

    generator = ConditionGenerator(max_thresholds=RiskScoreClassifier().max_thresholds, handle_unknown="ignore")
    generator.fit(dataset.X_train)
    names = [f"c{i}" for i in range(len(generator.conditions_))]

    def frame(X):
        return pd.DataFrame(generator.transform(X).astype(float), columns=names, index=X.index)

    return replace(dataset, X_train=frame(dataset.X_train), X_test=frame(dataset.X_test), categorical=())


def _size(model):
    return len(model.points_)


def _l1_ceiling(dataset):
    # glassbox's own L1 path (coordinate descent with warm starts and screening)
    # instead of LogisticRegressionCV(liblinear), which took 573 s on adult under
    # load: the ceiling is about accuracy, and this solver reaches the same
    # objective (benchmarks/results/linear_paths.md) in a fraction of the time.
    # Shuffled folds: bank's rows are in time order, and unshuffled folds are
    # time blocks whose held-out loss picks the empty model (test AUC 0.5).
    from sklearn.model_selection import StratifiedKFold

    from glassbox import SparseLinearClassifierCV

    # it takes no missing values: median / most frequent level first (heart has some)
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    categorical = list(dataset.categorical)
    numeric = [c for c in dataset.X_train.columns if c not in categorical]
    impute = make_column_transformer(
        (SimpleImputer(strategy="median"), numeric), (SimpleImputer(strategy="most_frequent"), categorical),
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    return make_pipeline(impute, SparseLinearClassifierCV(
        penalty="l1", n_alphas=20, cv=folds, tol=1e-5, categorical_features=categorical or "auto"))


def cases(config):
    from benchmarks.peers import FASTERRISK, FASTERRISK_MODULE
    from glassbox import RiskScoreClassifier

    for name in config.datasets or DATASETS:
        yield Case(
            family=FAMILY, dataset=name, model_name="RiskScoreClassifier (raw input)", library="glassbox",
            make_model=lambda ds: RiskScoreClassifier(max_features=K), size=_size, size_unit="conditions",
            notes="defaults: k=5, points -5..5, max_thresholds=10, beam 10, pool 50, 20 multipliers; binarizes inside fit",
        )
        yield Case(
            family=FAMILY, dataset=name, model_name="RiskScoreClassifier (same 0/1 conditions)", library="glassbox",
            make_model=lambda ds: RiskScoreClassifier(max_features=K), size=_size, size_unit="conditions",
            prepare=_binarize,
        )
        if config.quick:
            continue
        yield Case(
            family=FAMILY, dataset=name, model_name="FasterRisk (same 0/1 conditions)", library="fasterrisk",
            make_model=VenvModel(FASTERRISK, str(FASTERRISK_MODULE), {"k": K, "lb": -5, "ub": 5}),
            size_unit="conditions", prepare=_binarize,
            notes="fasterrisk 0.1.10 RiskScoreOptimizer defaults, k=5, lb=-5, ub=5; first model of its pool"
                  "; FasterRisk is imported before the timed fit (until 2026-11-22 14:18 UTC its ~0.8 s import "
                  "was inside it)",
        )
        yield Case(
            family=FAMILY, dataset=name, model_name="L1 logistic regression (ceiling)", library="glassbox.linear",
            make_model=_l1_ceiling, notes="glassbox SparseLinearClassifierCV(l1, 20 alphas, 3 shuffled stratified folds, tol 1e-5) on raw data after median / most-frequent imputation (standardized, one-hot inside)",
        )


def certified_gaps(datasets=("mammo", "adult_riskslim"), time_limit=60.0):
    """Fit with ``certify=True`` on each training split; return the certificates."""
    from benchmarks.datasets import load_dataset
    from glassbox import RiskScoreClassifier

    rows = []
    for name in datasets:
        data = load_dataset(name)
        started = time.perf_counter()
        model = RiskScoreClassifier(max_features=K, certify=True, certify_time_limit=time_limit)
        model.fit(data.X_train, data.y_train)
        rows.append({"dataset": name, "total_fit_seconds": time.perf_counter() - started, **model.certificate_})
    return rows


if __name__ == "__main__":
    import json
    import os
    from pathlib import Path

    rows = certified_gaps()
    for row in rows:
        print(row)
    out = Path(__file__).resolve().parents[1] / "results" / "risk_score_certificates.json"
    out.write_text(json.dumps({"load_average": os.getloadavg(), "rows": rows}, indent=2))
