"""Multiclass toy data shared by tests in several directories: two features and a noisy score cut into
ordered bands (severity levels, -1/0/1 ratings), whose labels the tests choose."""

import numpy as np
import pandas as pd


def age_amount_score(n_samples, seed, amount_weight, noise):
    """``(X, score)``: columns ``age`` and ``amount`` (standard normal) and ``age + amount_weight * amount``
    plus normal noise of scale ``noise``."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"age": rng.normal(size=n_samples), "amount": rng.normal(size=n_samples)})
    return X, X["age"] + amount_weight * X["amount"] + rng.normal(0, noise, n_samples)


def banded(score, cuts, labels):
    """``labels[k]`` for the scores with ``k`` of the increasing ``cuts`` at or below them."""
    return np.asarray(labels)[np.searchsorted(cuts, np.asarray(score), side="right")]


def ratings(n_samples, seed):
    """``(X, y)``: ratings -1 / 0 / 1 of ``age + 0.5 * amount`` plus noise, cut at -0.5 and 0.5."""
    X, score = age_amount_score(n_samples, seed, amount_weight=0.5, noise=0.5)
    return X, banded(score, [-0.5, 0.5], [-1, 0, 1])
