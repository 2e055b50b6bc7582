"""The glassbox model inside a scikit-learn wrapper that has no explanation of its own."""

__all__ = ["wrapped_model_note"]


def _explainable(model):
    """Whether ``model`` is a glassbox model, or a Pipeline ending in one."""
    steps = getattr(model, "steps", None)
    return hasattr(steps[-1][1] if isinstance(steps, list) and steps else model, "explain_local")


def wrapped_model_note(model):
    """Which glassbox model a fitted scikit-learn wrapper holds (a decision threshold's, a calibration's, one per
    class or output), and what its explanation then says; ``""`` for anything else.

    Such wrappers change or combine the models' outputs after they are
    computed, so they have no explanation of their own; a model inside has,
    with its own output.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor

    name = type(model).__name__
    if isinstance(model, (FixedThresholdClassifier, TunedThresholdClassifierCV)):
        if not _explainable(getattr(model, "estimator_", None)):
            return ""
        return (f" This {name} wraps a fitted glassbox model: pass its estimator_ (model.estimator_). Its "
                "explanation is that model's, and so are the labels shown with it ('predicted ...'): its own, not "
                "this wrapper's decisions at its threshold.")
    if isinstance(model, (OneVsRestClassifier, MultiOutputClassifier, MultiOutputRegressor)):
        inner = getattr(model, "estimators_", None) or []
        if not inner or not _explainable(inner[0]):
            return ""
        each = "class against the rest" if isinstance(model, OneVsRestClassifier) else "output"
        return (f" This {name} holds one glassbox model per {each}: pass the one to explain, model.estimators_[k] "
                "(its explanation is of its own output, before the wrapper combines them).")
    if not isinstance(model, CalibratedClassifierCV):
        return ""
    calibrated = getattr(model, "calibrated_classifiers_", None) or []
    if not calibrated or not _explainable(calibrated[0].estimator):
        return ""
    if len(calibrated) == 1:
        return (" This CalibratedClassifierCV calibrates one fitted glassbox model: pass "
                "model.calibrated_classifiers_[0].estimator. Its explanation and labels are that model's, before "
                "calibration.")
    return (f" This CalibratedClassifierCV averages {len(calibrated)} glassbox models, one per fold, which no one "
            "model explains: fit it with ensemble=False (one model fitted on every row, calibrated on "
            "out-of-fold predictions) and pass model.calibrated_classifiers_[0].estimator.")
