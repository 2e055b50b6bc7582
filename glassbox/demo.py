"""``python -m glassbox demo``: fit every glass box on bundled data and show its explanations.

Uses scikit-learn's bundled datasets only (no network, no ``../shared``):
breast cancer (binary classification, with a few values blanked out and a
categorical column derived from the data, so models that take raw mixed input
show it) and diabetes (regression).  For each registered estimator it prints
the global explanation, a local explanation of one test row and the test score,
and writes plots to a folder it names.  Some estimators also run in a variant
(``VARIANTS``): the GAM regressor with a Gamma loss, whose log link makes every
term a factor on the predicted (positive) disease progression.
"""

import argparse
import time
import traceback
from pathlib import Path

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import train_test_split

from .utils.registry import all_estimators

MAX_LINES = 40
#: estimator name -> (variant name, extra parameters): run after the estimator itself, under ``--only`` too
VARIANTS = {"GAMRegressor": [("GAMRegressor_gamma", {"loss": "gamma"})]}


def demo_data(task, random_state=0):
    """Train/test split of bundled data for ``task`` ("classification" or "regression")."""
    from sklearn.datasets import load_breast_cancer, load_diabetes

    if task == "classification":
        data = load_breast_cancer(as_frame=True)
        X = data.data.iloc[:, :10].copy()
        X.columns = [c.replace("mean ", "") for c in X.columns]
        y = data.target.map({0: "malignant", 1: "benign"})
    else:
        data = load_diabetes(as_frame=True, scaled=False)
        X, y = data.data.copy(), data.target
    return train_test_split(X, y, test_size=0.3, random_state=random_state, stratify=y if task == "classification" else None)


def _mixed_version(X, supports_categorical, supports_missing):
    """Add what the estimator can take natively: a categorical column and missing values."""
    import pandas as pd

    X = X.copy()
    if supports_categorical and "radius" in X.columns:
        X["size class"] = pd.Categorical(
            pd.cut(X["radius"], [0, 12, 16, np.inf], labels=["small", "medium", "large"]).astype(str)
        )
    if supports_missing:
        X.loc[X.index[::17], X.columns[1]] = np.nan
    return X


def _shorten(text, path):
    lines = text.splitlines()
    if len(lines) <= MAX_LINES:
        return text
    return "\n".join(lines[:MAX_LINES] + [f"... {len(lines) - MAX_LINES} more lines in {path}"])


def _plots(model, X_row, out_dir, name):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .plotting import LocalContributionDisplay, ShapeFunctionDisplay
    except ImportError as error:
        return [f"(plots skipped: {error}; install the 'plot' extra)"]
    written = []
    display = LocalContributionDisplay.from_estimator(model, X_row)
    path = out_dir / f"{name}_local.png"
    display.figure_.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(display.figure_)
    written.append(str(path))
    explanation = model.explain_global()
    if explanation.kind == "shape_functions" and explanation.terms:
        top = int(np.argmax(explanation.importances))
        display = ShapeFunctionDisplay.from_explanation(explanation, term=top)
        path = out_dir / f"{name}_shape.png"
        display.figure_.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(display.figure_)
        written.append(str(path))
    return written


def run_one(name, cls, out_dir, params=None):
    """Fit one estimator (with ``params`` over its demo parameters) on demo data and print its explanations."""
    estimator = cls(**{**getattr(cls, "_demo_params", {}), **(params or {})})
    task = "classification" if is_classifier(estimator) else "regression"
    X_train, X_test, y_train, y_test = demo_data(task)
    tags = estimator.__sklearn_tags__()
    X_train = _mixed_version(X_train, tags.input_tags.categorical, tags.input_tags.allow_nan)
    X_test = _mixed_version(X_test, tags.input_tags.categorical, tags.input_tags.allow_nan)
    start = time.perf_counter()
    model = clone(estimator).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    print(f"\n{'=' * 78}\n{name}  (fitted in {seconds:.2f} s on {len(X_train)} rows)\n{'=' * 78}")
    global_text = str(model.explain_global())
    global_path = out_dir / f"{name}_global.txt"
    global_path.write_text(global_text + "\n")
    print(_shorten(global_text, global_path))
    print()
    print(model.explain_local(X_test.iloc[:1]))
    if task == "classification":
        proba = model.predict_proba(X_test)
        auc = roc_auc_score(y_test, proba[:, 1]) if proba.shape[1] == 2 else float("nan")
        print(f"\ntest accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}, test ROC AUC {auc:.3f}")
    else:
        print(f"\ntest R^2 {r2_score(y_test, model.predict(X_test)):.3f}")
    model_path = out_dir / f"{name}.json"
    model_path.write_text(model.to_json())
    for line in _plots(model, X_test.iloc[:1], out_dir, name):
        print(f"wrote {line}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m glassbox", description="glassbox command line")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="fit every glass box on bundled data and show its explanations")
    demo.add_argument("--out", default="glassbox-demo-output", help="folder for plots and saved models")
    demo.add_argument("--only", default=None, help="comma-separated estimator names to run")
    args = parser.parse_args(argv)

    estimators = all_estimators()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        known = [n for n, _ in estimators]
        unknown = sorted(wanted.difference(known))
        if unknown or not wanted:
            # A misspelt name would otherwise run nothing and still exit 0.
            demo.error(
                f"--only: unknown estimator name(s) {', '.join(unknown) or repr(args.only)}; "
                f"choose from: {', '.join(known)}"
            )
        estimators = [(n, c) for n, c in estimators if n in wanted]
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"glassbox demo: {len(estimators)} estimators; plots, explanations and models go to {out_dir}")
    failures = []
    runs = [(name, cls, None) for name, cls in estimators]
    runs += [(variant, cls, params) for name, cls in estimators for variant, params in VARIANTS.get(name, [])]
    for name, cls, params in runs:
        try:
            run_one(name, cls, out_dir, params)
        except Exception:  # report and go on: one broken family must not hide the others
            failures.append(name)
            traceback.print_exc()
    print(f"\nDone. Output folder: {out_dir}")
    if failures:
        print(f"FAILED: {', '.join(failures)}")
        return 1
    return 0
