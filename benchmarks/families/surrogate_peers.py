"""interpret-community's global surrogates (``MimicExplainer``) as fidelity peers.

interpret-community (Microsoft) distills a black box into an "explainable
model" with ``MimicExplainer``: for a binary teacher it fits a *regressor* to
the teacher's clipped log-odds (``logit(p)`` clipped to [-5, 5]), then reads
the sign as the label.  Its explainable models are a LightGBM model, a
scikit-learn decision tree and a linear model (``LinearRegression``).  Here
the decision-tree mimic gets as many leaves as the glassbox student it is
compared with, the LightGBM and linear mimics their library defaults.

interpret-community pins nothing that clashes with glassbox today (it
installed beside numpy 2.4 / scikit-learn 1.9), but it pulls in shap,
interpret-core and lightgbm, so it lives in its own venv::

    python -m venv benchmarks/.venvs/interpret_community
    benchmarks/.venvs/interpret_community/bin/pip install interpret-community lightgbm

and the fidelity benchmark is run with that interpreter from the repository
root (glassbox is then imported from the checkout).  When the package is
missing, :func:`mimic_available` is False and the peer columns stay empty.
"""

import numpy as np
from sklearn.base import BaseEstimator

MIMIC_MODELS = ("tree", "lightgbm", "linear")


def mimic_available():
    try:
        import interpret_community  # noqa: F401
    except ImportError:
        return False
    return True


def mimic_version():
    from importlib.metadata import version

    return version("interpret-community")


class MimicSurrogate(BaseEstimator):
    """A fitted ``MimicExplainer``'s surrogate, with ``predict`` / ``predict_proba`` for fidelity_report.

    Categorical columns are handed to interpret-community as strings and named
    in ``categorical_features`` (its documented usage: one-hot encoded for the
    tree and linear mimics, native categoricals for LightGBM); the teacher is
    wrapped as a function that turns them back into the training categories.
    """

    def __init__(self, teacher, model="tree", max_leaf_nodes=None):
        self.teacher, self.model, self.max_leaf_nodes = teacher, model, max_leaf_nodes

    def _as_strings(self, X):
        out = X.copy()
        for column in self.categorical_:
            out[column] = out[column].astype(str).astype(object)
        return out

    def _teacher_function(self, X):
        import pandas as pd

        frame = pd.DataFrame(X, columns=self.columns_) if not hasattr(X, "columns") else X.copy()
        for column, dtype in self.dtypes_.items():
            frame[column] = frame[column].astype(str).astype(dtype) if column in self.categorical_ \
                else frame[column].astype(dtype)
        return self.teacher.predict_proba(frame)

    def fit(self, X, y=None):
        from interpret_community.mimic.mimic_explainer import MimicExplainer
        from interpret_community.mimic.models.lightgbm_model import LGBMExplainableModel
        from interpret_community.mimic.models.linear_model import LinearExplainableModel
        from interpret_community.mimic.models.tree_model import DecisionTreeExplainableModel

        self.columns_ = list(X.columns)
        self.dtypes_ = dict(X.dtypes)
        self.categorical_ = [c for c in X.columns if str(X[c].dtype) == "category"]
        self.classes_ = np.asarray(self.teacher.classes_)
        explainable = {"tree": DecisionTreeExplainableModel, "lightgbm": LGBMExplainableModel,
                       "linear": LinearExplainableModel}[self.model]
        args = {"max_leaf_nodes": self.max_leaf_nodes} if self.model == "tree" else {}
        self.explainer_ = MimicExplainer(
            self._teacher_function, self._as_strings(X), explainable, explainable_model_args=args,
            is_function=True, model_task="classification", classes=list(self.classes_),
            categorical_features=self.categorical_, features=self.columns_)
        return self

    def _encoded(self, X):
        # The explainer's own encoders (string index, one-hot), applied the way its explain_local does.
        from ml_wrappers import DatasetWrapper

        data = DatasetWrapper(self._as_strings(X))
        explainer = self.explainer_
        if explainer._column_indexer:
            data.apply_indexer(explainer._column_indexer, bucket_unknown=True)
        if explainer._one_hot_encoder:
            data.apply_one_hot_encoder(explainer._one_hot_encoder)
        return data.dataset

    def decision_function(self, X):
        return np.asarray(self.explainer_.surrogate_model.predict(self._encoded(X)), dtype=float)

    def predict_proba(self, X):
        p1 = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def complexity(self):
        """``(size, unit)``: leaves of the tree mimic, leaves over all LightGBM trees, nonzero linear coefficients."""
        model = self.explainer_.surrogate_model
        if self.model == "tree":
            return self.leaves(), "leaves"
        if self.model == "lightgbm":
            trees = model._lgbm.booster_.dump_model()["tree_info"]
            return int(sum(tree["num_leaves"] for tree in trees)), f"leaves in {len(trees)} trees"
        return int(np.count_nonzero(model._linear.coef_)), "terms"

    def leaves(self):
        """Leaves of the tree mimic (None for the other models)."""
        model = self.explainer_.surrogate_model
        return int(model._tree.get_n_leaves()) if self.model == "tree" else None
