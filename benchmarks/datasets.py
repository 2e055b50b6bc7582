"""Benchmark datasets: one documented specification and one fixed split per file.

The CSV files live outside the repository, in ``../shared/datasets`` relative to
the repository root (override with the ``GLASSBOX_DATASETS`` environment
variable). Their provenance is in that folder's ``README.md``. This module encodes,
for every file, what a fair benchmark must know and that the README states in
prose: the target column and the positive class, the task, which columns are
categorical, which columns must be dropped (identifiers, leaks, model outputs),
and the train/test split.

Split policy (fixed, never tuned):

* a file that carries its own split (``adult``: UCI ``adult.data`` / ``adult.test``;
  ``compas_corels_binary``: the CORELS fold) uses it, and the ``split`` column is
  dropped from the features;
* every other classification file uses a stratified 70/30 split with seed 0;
* every regression file uses a shuffled 70/30 split with seed 0.

Any tuning a benchmark case does (early stopping, regularisation paths, ...) must
use an inner split of the *training* part; the test part is only scored once.

Binary targets are encoded as ``0``/``1`` with ``1`` = the positive class named in
the README (``Dataset.target_names`` keeps the original labels).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
SPLIT_SEED = 0
TEST_FRACTION = 0.3


# md5 of each shared file as documented in ../shared/datasets/README.md. compas.csv
# differs from the README's md5 of the ProPublica original because the shared copy
# had the personal-identifier columns (name, first, last, dob) removed, as that
# README's closing note says; this is the md5 of the shared copy.
EXPECTED_MD5 = {
    "adult.csv": "0b53f4f62471edcad156ab0eb774603c",
    "adult_riskslim.csv": "9a783cd0b70c029891b4db8d1fd8370b",
    "bank.csv": "a9daa58b9883f91ada35aa0b9b35eb1e",
    "bike_sharing_hour.csv": "b971c662bf92579f8a6aaa35f82d6106",
    "breastcancer.csv": "529fc8fd9b337aa45d3722e031d0940d",
    "compas.csv": "8311ace4e43df5900940855647c1b96a",
    "compas_corels_binary.csv": "7581b48c18b52cdfcce51fbd4fbba92e",
    "compas_pycorels_binary.csv": "1116a78f67b10adb1a56f7e412d20b68",
    "german_credit.csv": "72b4b7b0c56f0cdd7f83aced7d6a3909",
    "heart.csv": "1a86660557b8e6958df4bd63d176c2d0",
    "mammo.csv": "9328a4e2ab69e2474ccf2a95c0ed2850",
    "mushroom.csv": "ba754c446c99872d30641506f3b99249",
    "pima.csv": "824e3943d07e8a824a3da761c1617184",
    "spambase.csv": "18281c2ce4eb401127bd2e869432e796",
    "telco_churn.csv": "8cac3095fcf1fdc5d276164ba877e721",
    "titanic.csv": "c8251715227bc0b38fe3f97c5236a493",
    "wine_quality_red.csv": "3cf155301bed008015c5a4ca76332175",
    "wine_quality_white.csv": "bec951b4815a2cd3e5a8c2f53fc36ce0",
}


class DatasetsUnavailable(RuntimeError):
    """Raised when the shared dataset folder (or one file in it) is absent."""


@dataclass(frozen=True)
class DatasetSpec:
    """How to read one shared CSV file into a benchmark task.

    Attributes
    ----------
    name : str
        Short name used on the command line (``--datasets adult,heart``).
    file : str
        CSV file name inside the datasets folder (``None`` for a dataset that
        ships with scikit-learn).
    target : str
        Target column.
    task : {"binary", "multiclass", "regression"}
    positive : object
        Label of the positive class (binary only), as it appears in the file.
    categorical : tuple of str
        Columns that are nominal; they are given the pandas ``category`` dtype.
    drop : tuple of str
        Identifiers and other non-features (not leaks).
    leaks : tuple of str
        Columns that leak the target and must never be features.
    features : tuple of str or None
        If given, the only feature columns kept (a whitelist, used for the raw
        COMPAS file, which also contains COMPAS's own scores and outcomes).
    split_column : str or None
        Column holding ``"train"`` / ``"test"`` when the file has its own split.
    numeric_coerce : tuple of str
        Columns stored as text that are numbers with blanks for missing values.
    description : str
        One-line description shown in reports.
    """

    name: str
    file: str | None
    target: str
    task: str
    description: str
    positive: object = None
    categorical: tuple = ()
    drop: tuple = ()
    leaks: tuple = ()
    features: tuple | None = None
    split_column: str | None = None
    numeric_coerce: tuple = ()

    @property
    def split_note(self):
        """Human-readable statement of the split this dataset uses."""
        if self.split_column is not None:
            return f"the file's own split (column {self.split_column!r})"
        if self.task == "regression":
            return f"shuffled {1 - TEST_FRACTION:.0%}/{TEST_FRACTION:.0%}, seed {SPLIT_SEED}"
        return f"stratified {1 - TEST_FRACTION:.0%}/{TEST_FRACTION:.0%}, seed {SPLIT_SEED}"


@dataclass
class Dataset:
    """A loaded benchmark task with its fixed train/test split.

    ``X_*`` are pandas DataFrames (categorical columns have the ``category``
    dtype, with categories taken from the whole file so train and test agree);
    ``y_*`` are pandas Series (``0``/``1`` for binary tasks).
    """

    name: str
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    task: str
    categorical: tuple
    description: str
    split_note: str
    target_names: tuple = ()
    extra: dict = field(default_factory=dict)

    @property
    def n_train(self):
        return len(self.X_train)

    @property
    def n_test(self):
        return len(self.X_test)

    @property
    def numeric(self):
        """Names of the non-categorical feature columns."""
        return tuple(c for c in self.X_train.columns if c not in self.categorical)

    def summary(self):
        return (
            f"{self.name}: {self.task}, {self.n_train} train / {self.n_test} test rows, "
            f"{self.X_train.shape[1]} features ({len(self.categorical)} categorical); "
            f"split: {self.split_note}"
        )


_ADULT_CATEGORICAL = (
    "workclass", "education", "marital_status", "occupation", "relationship",
    "race", "sex", "native_country",
)
_BANK_CATEGORICAL = (
    "job", "marital", "education", "default", "housing", "loan", "contact",
    "month", "poutcome",
)
_TELCO_CATEGORICAL = (
    "gender", "Partner", "Dependents", "PhoneService", "MultipleLines",
    "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection",
    "TechSupport", "StreamingTV", "StreamingMovies", "Contract",
    "PaperlessBilling", "PaymentMethod",
)

SPECS = {
    spec.name: spec
    for spec in [
        DatasetSpec(
            "adult", "adult.csv", "income", "binary", positive=">50K",
            categorical=_ADULT_CATEGORICAL, split_column="split",
            description="UCI Adult census income, raw features (48,842 rows)",
        ),
        DatasetSpec(
            "adult_riskslim", "adult_riskslim.csv", "Over50K", "binary", positive=1,
            description="UCI Adult pre-binarized by RiskSLIM (36 binary features)",
        ),
        DatasetSpec(
            "bank", "bank.csv", "subscription", "binary", positive="yes",
            categorical=_BANK_CATEGORICAL, leaks=("duration",),
            description="UCI Bank Marketing bank-full; call `duration` dropped (leak)",
        ),
        DatasetSpec(
            "bike_sharing", "bike_sharing_hour.csv", "cnt", "regression",
            drop=("instant", "dteday"), leaks=("casual", "registered"),
            description="UCI Bike Sharing hourly counts; casual/registered dropped (sum to target)",
        ),
        DatasetSpec(
            "breastcancer", "breastcancer.csv", "Benign", "binary", positive=1,
            description="Original Wisconsin breast cancer (683 rows); target 1 = malignant",
        ),
        DatasetSpec(
            "breast_cancer_sklearn", None, "target", "binary", positive=1,
            description="Wisconsin Diagnostic (sklearn bundled, 569 rows); 1 = benign",
        ),
        DatasetSpec(
            "compas", "compas.csv", "two_year_recid", "binary", positive=1,
            categorical=("sex", "c_charge_degree"),
            features=("sex", "age", "juv_fel_count", "juv_misd_count",
                      "juv_other_count", "priors_count", "c_charge_degree"),
            description="ProPublica COMPAS two-year recidivism, Dressel & Farid style "
                        "features (no COMPAS scores, no race)",
        ),
        DatasetSpec(
            "compas_corels", "compas_corels_binary.csv",
            "recidivate-within-two-years:1", "binary", positive=1, split_column="split",
            description="COMPAS binarized by CORELS (14 binary features), CORELS fold",
        ),
        DatasetSpec(
            "compas_pycorels", "compas_pycorels_binary.csv",
            "Recidivate-Within-Two-Years", "binary", positive=1,
            description="COMPAS binarized for the CORELS web demo / pycorels (27 features)",
        ),
        DatasetSpec(
            "german_credit", "german_credit.csv", "good", "binary", positive=1,
            description="Statlog German credit, one-hot encoded by imodels; 1 = good",
        ),
        DatasetSpec(
            "heart", "heart.csv", "heart_disease", "binary", positive=1,
            categorical=("cp", "restecg", "slope", "thal"),
            description="UCI Heart Disease Cleveland (303 rows); 1 = num > 0",
        ),
        DatasetSpec(
            "mammo", "mammo.csv", "Malignant", "binary", positive=1,
            description="Mammographic mass (RiskSLIM binarization)",
        ),
        DatasetSpec(
            "mushroom", "mushroom.csv", "poisonous", "binary", positive=1,
            description="UCI Mushroom, 113 binary features (RiskSLIM binarization)",
        ),
        DatasetSpec(
            "pima", "pima.csv", "diabetes", "binary", positive=1,
            description="Pima Indians diabetes; zeros mark missing values, kept as in UCI",
        ),
        DatasetSpec(
            "spambase", "spambase.csv", "Spam", "binary", positive=1,
            description="UCI Spambase, 57 numeric features",
        ),
        DatasetSpec(
            "telco_churn", "telco_churn.csv", "Churn", "binary", positive="Yes",
            categorical=_TELCO_CATEGORICAL, drop=("customerID",),
            numeric_coerce=("TotalCharges",),
            description="IBM Telco customer churn",
        ),
        DatasetSpec(
            "titanic", "titanic.csv", "survived", "binary", positive=1,
            categorical=("sex", "embarked"), drop=("name", "ticket", "cabin"),
            description="Titanic (Kaggle train split); name/ticket/cabin dropped",
        ),
        DatasetSpec(
            "wine_red", "wine_quality_red.csv", "quality", "regression",
            description="UCI Wine Quality, red (quality as a regression target)",
        ),
        DatasetSpec(
            "wine_white", "wine_quality_white.csv", "quality", "regression",
            description="UCI Wine Quality, white (quality as a regression target)",
        ),
    ]
}


def datasets_dir():
    """The shared dataset folder: ``$GLASSBOX_DATASETS`` or ``<repo>/../shared/datasets``."""
    override = os.environ.get("GLASSBOX_DATASETS")
    if override:
        return Path(override).expanduser().resolve()
    return (REPO_ROOT.parent / "shared" / "datasets").resolve()


def datasets_available(names=None):
    """True when the files for ``names`` exist (``names=None``: the folder exists).

    Datasets bundled with scikit-learn are always available.
    """
    folder = datasets_dir()
    if names is None:
        return folder.is_dir()
    files = [get_spec(name).file for name in names]
    return all(file is None or (folder / file).is_file() for file in files)


def get_spec(name):
    """The :class:`DatasetSpec` called ``name`` (``ValueError`` listing the names otherwise)."""
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(
            f"unknown dataset {name!r}; known datasets: {', '.join(sorted(SPECS))}"
        ) from None


def file_md5(path):
    """md5 hex digest of a file (recorded with results so a run names its data)."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_frame(spec):
    """(frame, md5 or None) for one spec."""
    if spec.file is None:
        from sklearn.datasets import load_breast_cancer

        return load_breast_cancer(as_frame=True).frame, None
    path = datasets_dir() / spec.file
    if not path.is_file():
        raise DatasetsUnavailable(
            f"dataset file {path} is missing; put the shared datasets in "
            f"{datasets_dir()} or set GLASSBOX_DATASETS to their folder"
        )
    md5 = file_md5(path)
    if md5 != EXPECTED_MD5.get(spec.file):
        warnings.warn(f"{path} has md5 {md5}, not the documented "
                      f"{EXPECTED_MD5.get(spec.file)}: results are not comparable with "
                      "earlier runs", UserWarning, stacklevel=3)
    # keep_default_na=False + explicit na_values: only empty cells are missing, so a
    # category literally called "NA" or "None" stays a category.
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""], low_memory=False)
    return frame, md5


def _features_and_target(spec, frame):
    for column in spec.numeric_coerce:
        frame[column] = pd.to_numeric(frame[column].astype(str).str.strip().replace("", np.nan))
    y = frame[spec.target]
    if spec.features is not None:
        X = frame.loc[:, list(spec.features)].copy()
    else:
        excluded = {spec.target, spec.split_column, *spec.drop, *spec.leaks}
        X = frame.loc[:, [c for c in frame.columns if c not in excluded]].copy()
    for column in spec.categorical:
        # categories from the whole file so train and test share one encoding
        X[column] = X[column].astype("category")
    if spec.task == "binary":
        labels = tuple(str(v) for v in sorted(pd.unique(y.dropna()), key=str))
        positive = spec.positive
        if positive not in set(y):
            raise ValueError(f"{spec.name}: positive class {positive!r} not in {labels}")
        negatives = [label for label in labels if label != str(positive)]
        y = (y == positive).astype(np.int64)
        target_names = (negatives[0] if len(negatives) == 1 else "rest", str(positive))
    elif spec.task == "multiclass":
        target_names = tuple(str(v) for v in sorted(pd.unique(y)))
    else:
        y = y.astype(np.float64)
        target_names = ()
    return X, y.rename(spec.target), target_names


def split_indices(n_rows, y=None, task="binary", split_labels=None):
    """Fixed train/test row indices (sorted) for one dataset.

    Parameters
    ----------
    n_rows : int
    y : array-like or None
        Targets, used to stratify classification splits.
    task : str
    split_labels : array-like of {"train", "test"} or None
        The file's own split; used as is when given.
    """
    if split_labels is not None:
        labels = np.asarray(split_labels, dtype=object)
        unknown = set(labels) - {"train", "test"}
        if unknown:
            raise ValueError(f"split column holds {sorted(unknown)}; expected train/test")
        return np.flatnonzero(labels == "train"), np.flatnonzero(labels == "test")
    from sklearn.model_selection import train_test_split

    stratify = None if task == "regression" or y is None else np.asarray(y)
    train, test = train_test_split(
        np.arange(n_rows), test_size=TEST_FRACTION, random_state=SPLIT_SEED,
        shuffle=True, stratify=stratify,
    )
    return np.sort(train), np.sort(test)


def load_dataset(name):
    """Load one benchmark dataset with its fixed, documented train/test split.

    Raises :class:`DatasetsUnavailable` if the shared files are absent.

    Examples
    --------
    >>> ds = load_dataset("heart")                       # doctest: +SKIP
    >>> ds.X_train.shape, ds.task                        # doctest: +SKIP
    ((212, 13), 'binary')
    """
    spec = get_spec(name)
    frame, md5 = _read_frame(spec)
    X, y, target_names = _features_and_target(spec, frame)
    split_labels = frame[spec.split_column] if spec.split_column else None
    train, test = split_indices(len(frame), y, spec.task, split_labels)
    return Dataset(
        name=spec.name,
        X_train=X.iloc[train].reset_index(drop=True),
        X_test=X.iloc[test].reset_index(drop=True),
        y_train=y.iloc[train].reset_index(drop=True),
        y_test=y.iloc[test].reset_index(drop=True),
        task=spec.task,
        categorical=tuple(c for c in spec.categorical if c in X.columns),
        description=spec.description,
        split_note=spec.split_note,
        target_names=target_names,
        extra={"file": spec.file, "md5": md5},
    )
