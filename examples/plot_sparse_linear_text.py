"""A sparse model of text: TF-IDF words straight into the lasso, never densified.

Short product reviews are turned into a TF-IDF matrix by scikit-learn's
``TfidfVectorizer``: a ``scipy.sparse`` matrix with one column per word, almost
all zeros.  :class:`~glassbox.SparseLinearClassifierCV` fits it as it is (the
standardization stays implicit, so the zeros stay zeros), picks the penalty by
cross-validation and keeps a small share of the words (about 140 of some 3,000
here).  The model reads as a word list
with weights; one review is explained word by word, and its contributions add up
to its log-odds exactly.

A sparse matrix has no column names, so terms are named ``x0, x1, ...`` as for
arrays; the vectorizer's vocabulary turns them back into words.

Data: synthetic reviews (a sentiment word or two among neutral filler), so the
example runs anywhere without a download.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from glassbox import SparseLinearClassifierCV  # noqa: E402

OUTPUT = Path(os.environ.get("GLASSBOX_EXAMPLES_OUTPUT", "glassbox-demo-output"))
OUTPUT.mkdir(parents=True, exist_ok=True)

POSITIVE = ["great", "excellent", "love", "perfect", "sturdy", "recommend"]
NEGATIVE = ["broken", "refund", "poor", "flimsy", "disappointed", "late"]


def synthetic_reviews(n=4000, seed=0):
    """Reviews of 8-20 filler words plus sentiment words; the label follows their balance, with noise."""
    rng = np.random.default_rng(seed)
    filler = [f"w{k}" for k in range(3000)]  # a long tail of neutral words
    texts, labels = [], []
    for _ in range(n):
        words = list(rng.choice(filler, size=rng.integers(8, 21)))
        good, bad = rng.poisson(0.8), rng.poisson(0.8)
        words += list(rng.choice(POSITIVE, size=good)) + list(rng.choice(NEGATIVE, size=bad))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(int(good - bad + rng.normal(scale=0.7) > 0))
    return texts, np.array(labels)


texts, y = synthetic_reviews()
texts_train, texts_test, y_train, y_test = train_test_split(texts, y, test_size=0.25, random_state=0, stratify=y)
vectorizer = TfidfVectorizer()
X_train = vectorizer.fit_transform(texts_train)  # scipy.sparse CSR
X_test = vectorizer.transform(texts_test)
words = vectorizer.get_feature_names_out()
print(f"TF-IDF matrix: {X_train.shape[0]} reviews x {X_train.shape[1]} words, "
      f"{X_train.nnz / np.prod(X_train.shape):.2%} nonzero")

model = SparseLinearClassifierCV(n_alphas=20, cv=3).fit(X_train, y_train)
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
print(f"alpha chosen by cross-validation: {model.alpha_:.4g}; {model.n_nonzero_} words kept; test AUC {auc:.3f}")

# the coefficient table, its terms x{j} named by the vocabulary
table = model.explain_global().to_frame()
table = table[table["nonzero"] & (table["term"] != "(intercept)")].copy()  # the words; the intercept is row 0
table["word"] = [words[int(term[1:])] for term in table["term"]]
table = table.reindex(table["standardized"].abs().sort_values(ascending=False).index)
print(table[["word", "coefficient", "standardized"]].head(12).to_string(index=False))

# one review, word by word: only its nonzero columns contribute
explanation = model.explain_local(X_test[:1])
contributions = explanation.contributions[0]
present = np.flatnonzero(contributions)
print(f"\nreview: {texts_test[0]!r}")
for j in present[np.argsort(-np.abs(contributions[present]))]:
    print(f"  {words[j]:>14s} {contributions[j]:+.3f}")
total = explanation.base_value + contributions.sum()
print(f"  intercept {float(explanation.base_value):+.3f}; log-odds {total:+.3f} "
      f"(decision_function {model.decision_function(X_test[:1])[0]:+.3f})")

fig, ax = plt.subplots(figsize=(6, 4))
top = table.head(12).iloc[::-1]
ax.barh(top["word"], top["standardized"],
        color=np.where(top["standardized"] > 0, "tab:blue", "tab:red"))
ax.set_xlabel("coefficient per standard deviation of the word's TF-IDF")
ax.set_title(f"Lasso on {X_train.shape[1]} TF-IDF words: the {len(top)} strongest kept")
fig.tight_layout()
fig.savefig(OUTPUT / "sparse_linear_text.png", dpi=80)
print(f"figure written to {OUTPUT / 'sparse_linear_text.png'}")
