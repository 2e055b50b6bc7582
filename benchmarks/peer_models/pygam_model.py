"""pygam (Servén and Brummitt) as a worker module for its own virtual environment.

pygam 0.12 pins scipy below the version glassbox uses, so it runs in
``benchmarks.families.gam.PYGAM`` through ``benchmarks/_venv_worker.py``. This
file is standalone: it imports only numpy, pandas and pygam.

The model is pygam's ``LogisticGAM`` (binary) or ``LinearGAM`` (regression) at
its defaults (20 penalised B-splines per feature, ``lam=0.6``, no grid search):
a spline term ``s(j)`` per numeric feature and a factor term ``f(j)`` per
categorical one. pygam takes no missing values and no strings, so the model
learns on the training part: the median of each numeric column (for its
missing values) and the levels of each categorical column (codes; missing and
unseen levels go to the most frequent level).
"""

import numpy as np

# Imported when the worker loads this file, before any timed fit: pygam's import (about 0.5 s,
# scipy included) is not part of its fit time, as glassbox's and interpret's are not of theirs.
import pygam
from pygam import LinearGAM, LogisticGAM, PoissonGAM, f, s


class PyGAMModel:
    def __init__(self, distribution=None, **params):
        # distribution="poisson": PoissonGAM (log link) for a count target; None: by the target's type
        self.distribution = distribution
        self.params = params

    def _encode(self, X):
        columns = []
        for name in X.columns:
            if name in self.levels_:
                codes = X[name].astype(object).map(self.levels_[name])
                columns.append(codes.fillna(self.fallback_[name]).to_numpy(dtype=float))
            else:
                values = X[name].to_numpy(dtype=float)
                columns.append(np.where(np.isnan(values), self.medians_[name], values))
        return np.column_stack(columns)

    def fit(self, X, y):
        self.levels_, self.fallback_, self.medians_ = {}, {}, {}
        for name in X.columns:
            column = X[name]
            if str(column.dtype) in ("category", "object", "string", "str"):
                counts = column.astype(object).dropna().value_counts()
                self.levels_[name] = {level: code for code, level in enumerate(counts.index)}
                self.fallback_[name] = 0.0  # the most frequent level
            else:
                self.medians_[name] = float(np.nanmedian(column.to_numpy(dtype=float)))
        terms = None
        for j, name in enumerate(X.columns):
            term = f(j) if name in self.levels_ else s(j)
            terms = term if terms is None else terms + term
        y = np.asarray(y)
        # the worker reads classification targets as integers and regression targets as floats
        cls = LogisticGAM if np.issubdtype(y.dtype, np.integer) else LinearGAM
        if self.distribution == "poisson":
            cls = PoissonGAM
        self.model_ = cls(terms, **self.params).fit(self._encode(X), y.astype(float))
        self.classifier_ = cls is LogisticGAM
        return self

    def predict(self, X):
        prediction = self.model_.predict(self._encode(X))
        return np.asarray(prediction, dtype=int if self.classifier_ else float)

    def predict_proba(self, X):
        positive = self.model_.predict_proba(self._encode(X))
        return np.column_stack([1.0 - positive, positive])


def make_model(params):
    return PyGAMModel(**params)


def size(model):
    """Terms (the intercept not counted)."""
    return len(model.model_.terms) - 1


def version():
    return pygam.__version__
