"""The glassbox model inside a scikit-learn wrapper that has no explanation of its own."""

__all__ = ["wrapped_model_note"]


def wrapped_model_note(model):
    """Which glassbox model a fitted scikit-learn wrapper holds (a decision threshold's, a calibration's), and
    what its explanation then says; ``""`` for anything else.

    Such wrappers change the model's output after it is computed, so they have
    no explanation of their own; the model inside has, with its own output.
    """
    def explainable(inner):  # a glassbox model, or a Pipeline ending in one
        steps = getattr(inner, "steps", None)
        return hasattr(steps[-1][1] if isinstance(steps, list) and steps else inner, "explain_local")

    inner = getattr(model, "estimator_", None)
    if inner is not None and explainable(inner):
        return (f" This {type(model).__name__} wraps a fitted glassbox model: pass its estimator_ "
                "(model.estimator_). Its explanation is that model's, and so are the labels shown with it "
                "('predicted ...'): its own, not this wrapper's decisions at its threshold.")
    calibrated = getattr(model, "calibrated_classifiers_", None) or []
    if not calibrated or not explainable(calibrated[0].estimator):
        return ""
    if len(calibrated) == 1:
        return (" This CalibratedClassifierCV calibrates one fitted glassbox model: pass "
                "model.calibrated_classifiers_[0].estimator. Its explanation and labels are that model's, before "
                "calibration.")
    return (f" This CalibratedClassifierCV averages {len(calibrated)} glassbox models, one per fold, which no one "
            "model explains: fit it with ensemble=False (one model fitted on every row, calibrated on "
            "out-of-fold predictions) and pass model.calibrated_classifiers_[0].estimator.")
