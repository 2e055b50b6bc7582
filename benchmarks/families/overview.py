"""Every registered glassbox estimator against the scikit-learn baselines.

A quick cross-family overview: each estimator in ``glassbox.utils.registry``
runs with its ``_demo_params`` (its defaults otherwise) beside
``LogisticRegression`` / ``Ridge`` and ``HistGradientBoosting`` from
``baselines.py``. The families' own modules hold the comparisons with their
real peers and tuned settings. Nothing is tuned here.
"""

import sys

from benchmarks.families.baselines import baseline_cases
from benchmarks.harness import Case

DATASETS = ("breastcancer", "heart", "adult", "bike_sharing")
FAMILY = "overview"


def glassbox_size(model):
    """Terms of a fitted glassbox estimator (every family sets ``term_names_``)."""
    return len(model.term_names_)


def registered_estimators(task):
    """``[(name, class)]`` of registered estimators for a task; [] if the registry breaks."""
    from glassbox.utils.registry import all_estimators

    wanted = "regressor" if task == "regression" else "classifier"
    try:
        return all_estimators(type_filter=wanted)
    except Exception as exc:  # noqa: BLE001 - a broken family must not hide the others
        print(f"[overview] glassbox registry failed to load, glassbox rows skipped: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return []


def cases(config):
    from benchmarks.datasets import get_spec

    for name in config.datasets or DATASETS:
        yield from baseline_cases(name, family=FAMILY)
        for class_name, cls in registered_estimators(get_spec(name).task):
            params = dict(getattr(cls, "_demo_params", {}))
            yield Case(FAMILY, name, class_name, "glassbox",
                       make_model=lambda ds, cls=cls, params=params: cls(**params),
                       size=glassbox_size, size_unit="terms",
                       notes=f"{class_name}: demo parameters {params or '(defaults)'}")
