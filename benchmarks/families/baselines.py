"""Reference points every family can be read against, and a complete plug-in example.

Peers: scikit-learn's ``LogisticRegression`` (``Ridge`` for regression) on
imputed, standardised, one-hot-encoded features, and
``HistGradientBoosting{Classifier,Regressor}`` (the black box to approach) with
native categorical support. ``overview.py`` runs every registered glassbox
estimator against these.

Hyper-parameters are fixed (scikit-learn defaults, ``max_iter`` raised so
L-BFGS converges); nothing is tuned, so nothing can leak from the test split.
"""

from benchmarks.harness import Case

DATASETS = ("breastcancer", "heart")
FAMILY = "baselines"


def _linear_pipeline(dataset, estimator):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore"))
    columns = ColumnTransformer([("numeric", numeric, list(dataset.numeric)),
                                 ("categorical", categorical, list(dataset.categorical))])
    return make_pipeline(columns, estimator)


def make_logistic(dataset):
    from sklearn.linear_model import LogisticRegression

    return _linear_pipeline(dataset, LogisticRegression(max_iter=2000))


def make_ridge(dataset):
    from sklearn.linear_model import Ridge

    return _linear_pipeline(dataset, Ridge())


def make_hgb(dataset):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    cls = (HistGradientBoostingRegressor if dataset.task == "regression"
           else HistGradientBoostingClassifier)
    return cls(categorical_features="from_dtype", random_state=0)


def linear_size(pipeline):
    """Nonzero coefficients of the final linear model (intercepts excluded)."""
    import numpy as np

    return int(np.count_nonzero(pipeline[-1].coef_))


def hgb_size(model):
    """Number of trees (boosting iterations times trees per iteration)."""
    return int(model.n_iter_ * model.n_trees_per_iteration_)


def baseline_cases(name, family=FAMILY):
    """The two scikit-learn reference cases for one dataset (other families reuse them)."""
    from benchmarks.datasets import get_spec

    task = get_spec(name).task
    linear_name, make_linear = (("Ridge", make_ridge) if task == "regression"
                                else ("LogisticRegression", make_logistic))
    linear_note = "scikit-learn defaults" + ("" if task == "regression"
                                             else " except max_iter=2000")
    yield Case(family, name, linear_name, "scikit-learn", make_model=make_linear,
               size=linear_size, size_unit="nonzeros",
               notes=f"{linear_name}: median imputation, standardisation, one-hot "
                     f"categoricals; {linear_note}")
    yield Case(family, name, "HistGradientBoosting", "scikit-learn", make_model=make_hgb,
               size=hgb_size, size_unit="trees",
               notes="HistGradientBoosting: defaults, native categorical support "
                     "(early stopping on an inner 10% of train when n > 10,000)")


def cases(config):
    for name in config.datasets or DATASETS:
        yield from baseline_cases(name)
