"""Global explanations of rule models: ordered rule lists and decision sets."""

from dataclasses import dataclass

import numpy as np

from ._columns import plain_value
from ._render import (class_text, format_number, format_open_probability, html_block, html_lines, html_table,
                      percent_text, text_table)
from ._serialize import (
    decode_array, decode_optional_array, decode_scalar, encode_array, encode_optional_array, encode_scalar,
    frozen_array,
)
from ._checks import require_counts, require_shape, require_shares
from ._class_weight import DescribesEventClass, FittedWithWeightedCounts
from ._equality import label_position, same_fields, same_label
from ._untrained import WarnsOfUntrainedValues
from .base import GlobalExplanation, register_kind
from .terms import Condition

@dataclass(frozen=True)
class Rule:
    """A conjunction of conditions and what the model outputs when it decides.

    Attributes
    ----------
    conditions : tuple of Condition
        All must hold for the rule to cover a row (empty: the default rule).
    scores : ndarray
        The model's decision function when this rule decides (shape ``()``
        for binary models, ``(n_classes,)`` for multiclass).
    probabilities : ndarray of shape (n_classes,) or None
        Class probabilities when this rule decides.
    support : float
        Training weight of the rows this rule decides (or covers, for sets).
    interval_low, interval_high : ndarray of shape (n_classes,) or None
        Credible interval of each class probability.
    predicted_class : object or None
        A decision-set rule's class: the likeliest among the rows it covers
        (its ``precision`` is their share of it).  Rows that higher-ranked
        rules take can leave the rows it decides favouring another class,
        which its ``probabilities`` then give and predict follows; a rule
        that decides all the rows it covers (or none), and the default,
        predicts its own class, and a set read from JSON whose class says
        otherwise is refused.
    precision : float or None
        Weighted share of covered training rows of ``predicted_class``.
    decides : float or None
        Decision sets: training weight of the rows the rule decides (it covers
        them and no higher-ranked rule does); ``probabilities`` are the
        smoothed class frequencies among them.  None for rule lists (whose
        ``support`` is that weight) and in decision sets saved before it was
        recorded (their probabilities describe the covered rows).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 80, 400).astype(float), "smoker": rng.choice(["yes", "no"], 400)})
    >>> y = np.where((X.age >= 50) | (X.smoker == "yes") & (rng.random(400) < 0.8), "ill", "well")
    >>> from glassbox import BayesianRuleListClassifier
    >>> rule_list = BayesianRuleListClassifier(max_rules=2, random_state=0).fit(X, y).explain_global()
    >>> first = rule_list.rules[0]
    >>> print(first)
    age >= 52
    >>> first.conditions
    (Condition(feature='age', op='>=', value=52.0),)
    >>> first.probabilities, first.support  # P(ill), P(well) for the 198 training rows it decides
    (array([0.995, 0.005]), 198.0)
    >>> rule_list.default.conditions, rule_list.default.support  # the default rule: no condition
    ((), 105.0)
    """

    conditions: tuple
    scores: np.ndarray
    probabilities: np.ndarray = None
    support: float = 0.0
    interval_low: np.ndarray = None
    interval_high: np.ndarray = None
    predicted_class: object = None
    precision: float = None
    decides: float = None

    def __post_init__(self):
        object.__setattr__(self, "conditions", tuple(self.conditions))
        object.__setattr__(self, "scores", frozen_array(self.scores, np.float64))
        for name in ("probabilities", "interval_low", "interval_high"):
            object.__setattr__(self, name, frozen_array(getattr(self, name), np.float64))
        object.__setattr__(self, "support", float(self.support))
        for name in ("decides", "precision"):  # printed as numbers: a list or text in a file is refused here
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, (str, bytes)) or not np.isscalar(value):
                raise TypeError(f"the {name} of a rule is {value!r:.80}, where it is a number (or null)")
            object.__setattr__(self, name, float(value))

    def __str__(self):
        if not self.conditions:
            return "default"
        return " AND ".join(str(c) for c in self.conditions)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return same_fields(self, other)

    __hash__ = None

    def covers(self, columns):
        out = np.ones(columns.n_samples, dtype=bool)
        for condition in self.conditions:
            out &= condition.evaluate(columns)
        return out

    def to_dict(self):
        return {
            "conditions": [c.to_dict() for c in self.conditions],
            "scores": encode_array(self.scores),
            "probabilities": encode_optional_array(self.probabilities),
            "support": self.support,
            "interval_low": encode_optional_array(self.interval_low),
            "interval_high": encode_optional_array(self.interval_high),
            "predicted_class": encode_scalar(self.predicted_class),
            "precision": self.precision,
            **({} if self.decides is None else {"decides": self.decides}),
        }

    @classmethod
    def from_dict(cls, payload):
        return cls(
            conditions=tuple(Condition.from_dict(c) for c in payload["conditions"]),
            scores=decode_array(payload["scores"]),
            probabilities=decode_optional_array(payload["probabilities"]),
            support=payload["support"],
            interval_low=decode_optional_array(payload["interval_low"]),
            interval_high=decode_optional_array(payload["interval_high"]),
            predicted_class=decode_scalar(payload["predicted_class"]),
            precision=payload["precision"],
            decides=payload.get("decides"),  # absent in rule lists and in sets saved before it was recorded
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class _DecidingRules(FittedWithWeightedCounts, WarnsOfUntrainedValues, GlobalExplanation):
    """Rules checked in a fixed order; the first that covers a row decides it,
    and ``default`` decides rows no rule covers.  Contributions are one-hot: the
    deciding rule carries the whole decision function, the base value is zero.
    ``training_values`` (see :class:`WarnsOfUntrainedValues`) covers the features the rules read;
    ``class_weights`` (see :class:`FittedWithWeightedCounts`) marks a class-weighted fit."""

    weighted_figures = "probabilities and support"
    counted_figures = "supports"

    rules: tuple
    default: Rule

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "rules", tuple(self.rules))
        n_classes = None if self.classes is None else (len(self.classes),)
        for label, rule in self._labelled_rules():  # other shapes would load, then crash the printout
            require_shape(rule.scores, self.base_value.shape, f"the scores of {label}", "base_value")
            for name in ("probabilities", "interval_low", "interval_high"):
                if n_classes is not None:
                    require_shape(getattr(rule, name), n_classes, f"the {name} of {label}", "classes")

    def _labelled_rules(self):
        """``(label, rule)`` of every rule, the default last: ``("rule 1", ...)``, ..., ``("the default", ...)``."""
        return [(f"rule {i + 1}", rule) for i, rule in enumerate(self.rules)] + [("the default", self.default)]

    def _check_loaded(self):
        super()._check_loaded()
        self._check_loaded_figures_present()
        if np.any(self.base_value != 0):  # it would shift every prediction away from the printed probabilities
            raise ValueError(f"base_value is {self.base_value.tolist()}, where a rule model's is zero: the deciding "
                             "rule's scores carry the whole output, as its printout gives them")
        for label, rule in self._labelled_rules():  # printed figures, which to_json() must be able to write again
            require_counts([rule.support] + ([] if rule.decides is None else [rule.decides]),
                           f"the support of {label}")
            if rule.precision is not None:
                require_shares(rule.precision, f"the precision of {label}")
        # the printout gives the probabilities, predict_proba the link of the scores: a file must not part them
        for label, rule in self._labelled_rules():
            if rule.probabilities is None:
                continue
            implied = self.link.inverse(rule.scores[None])[0]
            if not np.allclose(rule.probabilities, implied, rtol=1e-9, atol=1e-12):
                raise ValueError(f"the probabilities of {label} {rule.probabilities.tolist()} are not those of its "
                                 f"scores, {implied.tolist()}, which the model predicts")

    def _check_loaded_figures_present(self):
        """Refuse a rule whose printed figures are partly null: the printout and the frame would fail on them.

        An interval has both ends or neither, and only beside probabilities;
        a kind whose printout reads a rule's probabilities needs them
        (:meth:`_prints_probabilities`).
        """
        for label, rule in self._labelled_rules():
            if rule.probabilities is None and self._prints_probabilities(rule):
                raise ValueError(f"the probabilities of {label} are null, where its printout gives them; the "
                                 "estimator writes every rule's class probabilities with to_json()")
            ends = {"interval_low": rule.interval_low, "interval_high": rule.interval_high}
            missing = [name for name, end in ends.items() if end is None]
            if len(missing) == 1:
                given = "interval_high" if missing == ["interval_low"] else "interval_low"
                raise ValueError(f"the {missing[0]} of {label} is null while its {given} is given; a credible "
                                 "interval has both ends or neither, as to_json() writes it")
            if not missing and rule.probabilities is None:
                raise ValueError(f"{label} gives a credible interval but no probabilities; an interval bounds "
                                 "the probabilities, as to_json() writes them")

    def _prints_probabilities(self, rule):
        """Whether the printout reads ``rule.probabilities`` (a rule list prints its score without them)."""
        return False

    @property
    def term_names(self):
        return [str(r) for r in self.rules] + ["default"]

    @property
    def event_index(self):
        """Position in ``classes`` of the class whose probability a binary printout gives (``classes[1]``)."""
        return 1

    def coverage(self, X_or_columns):
        """Boolean matrix ``(n_samples, n_rules)``: which rules cover each row."""
        from ._columns import RawColumns

        columns = X_or_columns if isinstance(X_or_columns, RawColumns) else RawColumns(X_or_columns, self.feature_names)
        if not self.rules:
            return np.zeros((columns.n_samples, 0), dtype=bool)
        return np.column_stack([r.covers(columns) for r in self.rules])

    def deciding_rule(self, X_or_columns):
        """Index of the rule that decides each row (``len(rules)`` = default)."""
        covered = self.coverage(X_or_columns)
        first = np.argmax(covered, axis=1) if covered.shape[1] else np.zeros(covered.shape[0], dtype=np.intp)
        return np.where(covered.any(axis=1), first, len(self.rules))

    def _contributions(self, columns):
        decider = self.deciding_rule(columns)
        all_rules = list(self.rules) + [self.default]
        table = np.stack([r.scores for r in all_rules])  # (n_terms[, K])
        out = np.zeros((columns.n_samples, len(all_rules)) + table.shape[1:])
        out[np.arange(columns.n_samples), decider] = table[decider]
        return out

    def _output_numbers(self):
        yield from super()._output_numbers()
        for label, rule in self._labelled_rules():
            yield f"the scores of {label}", rule.scores

    def _payload(self):
        return {"rules": [r.to_dict() for r in self.rules], "default": self.default.to_dict(),
                **self._training_values_payload(), **self._class_weights_payload()}

    @classmethod
    def _from_payload(cls, payload, common):
        return cls(**common, **cls._rules_of_payload(payload))

    @classmethod
    def _rules_of_payload(cls, payload):
        return {
            "rules": tuple(Rule.from_dict(r) for r in payload["rules"]),
            "default": Rule.from_dict(payload["default"]),
            "training_values": cls._training_values_of_payload(payload),
            **cls._class_weights_of_payload(payload),
        }

    def _shown_classes(self):
        """Positions of the classes whose probability a printout gives: the event's, or every class's."""
        return list(range(len(self.classes))) if len(self.classes) > 2 else [self.event_index]

    def _probability_cell(self, rule, k):
        """``0.212 [0.138, 0.297]``: the rule's probability of class ``k`` and its interval, when it has one."""
        text = format_open_probability(rule.probabilities[k])
        if rule.interval_low is not None:
            text += (f" [{format_open_probability(rule.interval_low[k])}, "
                     f"{format_open_probability(rule.interval_high[k])}]")
        return text

    def _probability_text(self, rule):
        if rule.probabilities is None:
            return f"score {self._score_text(rule)}"
        return ", ".join(f"P({class_text(self.classes[k])}) = {self._probability_cell(rule, k)}"
                         for k in self._shown_classes())

    @staticmethod
    def _score_text(rule):
        return format_number(rule.scores.item() if rule.scores.ndim == 0 else rule.scores)

    def _class_columns(self, rule):
        """The frame's ``predicted_class`` and ``precision`` of ``rule``: a decision set's rule's class and the
        share of the rows it covers that are of it."""
        return {"predicted_class": rule.predicted_class, "precision": rule.precision}

    def to_frame(self):
        """One row per rule (default last) with conditions, predicted class, output and support.

        ``rule`` labels each row as the printout and the local explanations
        number it (``"1"``, ``"2"``, ..., ``"default"``), the labels of
        :meth:`~glassbox.explain.LocalExplanation.decision_path_frame`, so the
        two join on it.  ``support`` (and ``decides``) is the training weight of the rows: their
        number when every row weighed 1.  Fitted with ``sample_weight`` or
        ``class_weight``, ``frame.attrs["note"]`` holds the printout's notes on
        the weights.
        """
        import pandas as pd

        records = []
        for i, rule in enumerate(list(self.rules) + [self.default]):
            record = {
                "rule": str(i + 1) if i < len(self.rules) else "default",
                "conditions": str(rule),
                "n_conditions": len(rule.conditions),
                **self._class_columns(rule),
                "support": rule.support,
            }
            if any(r.decides is not None for r in self.rules + (self.default,)):
                record["decides"] = rule.decides
            if rule.probabilities is not None:
                for k, c in enumerate(self.classes):
                    record[f"P({c})"] = float(rule.probabilities[k])
                    if rule.interval_low is not None:
                        record[f"P({c}) low"] = float(rule.interval_low[k])
                        record[f"P({c}) high"] = float(rule.interval_high[k])
            records.append(record)
        frame = pd.DataFrame.from_records(records)
        if self.weight_notes():  # support sums weights: say so where the table goes
            frame.attrs["note"] = "; ".join(self.weight_notes())
        return frame


@register_kind
@dataclass(frozen=True, kw_only=True, eq=False)
class RuleList(DescribesEventClass, _DecidingRules):
    """An ordered IF / ELSE IF / ELSE list with class probabilities per rule.

    A binary list prints the probability of its event class (``pos_label``,
    else ``classes[1]``); its rules' ``scores`` stay the log-odds of
    ``classes[1]`` whichever class that is.

    Attributes
    ----------
    credible_level : float or None
        Posterior mass of each rule's equal-tailed credible interval (None: not
        stated, as in payloads written before it was recorded).
    rhat : float or None
        Convergence diagnostic of the search that found the list (the chains'
        rank-normalised split R-hat; NaN with one chain; None: not recorded).
    pos_label : object or None
        The event class of a binary list (None: ``classes[1]``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 80, 400).astype(float), "smoker": rng.choice(["yes", "no"], 400)})
    >>> y = np.where((X.age >= 50) | (X.smoker == "yes") & (rng.random(400) < 0.8), "ill", "well")
    >>> from glassbox import BayesianRuleListClassifier
    >>> from glassbox.explain import RuleList
    >>> rule_list = BayesianRuleListClassifier(max_rules=2, random_state=0).fit(X, y).explain_global()
    >>> isinstance(rule_list, RuleList)
    True
    >>> print(rule_list)
    BayesianRuleListClassifier: rule list (classes: ill, well)
    P(class) with 95% equal-tailed posterior credible intervals, given this list; chains' R-hat 1.010 (at most 1.1: the chains agree)
    IF age >= 52 THEN P(well) = 0.005 [0.000127, 0.0184]  (support 198)
    ELSE IF smoker == yes THEN P(well) = 0.212 [0.138, 0.297]  (support 97)
    ELSE P(well) = 0.907 [0.845, 0.954]  (support 105)
    >>> rule_list.predict(pd.DataFrame({"age": [60.0, 30.0], "smoker": ["no", "no"]}))
    array(['ill', 'well'], dtype='<U4')
    """

    # the one-line summary, not the dataclass repr of every array (the decorator would write one)
    __repr__ = GlobalExplanation.__repr__

    kind = "rule_list"

    credible_level: float = None
    rhat: float = None

    def _class_columns(self, rule):
        """A rule list's rule predicts the class its probabilities make likeliest, as :meth:`predict` gives
        the rows it decides.  It has no ``precision`` column: its ``P(class)`` columns are the rule's
        posterior class probabilities, not a share of covered rows (a decision set's precision)."""
        return {"predicted_class": self.classes[self.link.predict_index(rule.scores[None])[0]]}

    def __post_init__(self):
        super().__post_init__()
        for name in ("credible_level", "rhat"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, float(getattr(self, name)))
        if self.credible_level is not None and not 0 < self.credible_level < 1:  # printed as a percentage
            raise ValueError(f"credible_level is {self.credible_level!r}, where a credible interval's level is a "
                             "number between 0 and 1")

    def _payload(self):
        payload = super()._payload()
        if self.credible_level is not None:
            payload["credible_level"] = self.credible_level
        if self.rhat is not None:
            payload["rhat"] = encode_scalar(self.rhat)
        return {**payload, **self._event_payload()}

    @classmethod
    def _from_payload(cls, payload, common):
        # Both keys are optional: payloads written before they existed load with None.
        rhat = payload.get("rhat")
        return cls(
            **common,
            **cls._rules_of_payload(payload),
            credible_level=payload.get("credible_level"),
            rhat=None if rhat is None else decode_scalar(rhat),
            pos_label=cls._event_of_payload(payload),
        )

    def _reading_line(self):
        """How to read the probabilities and whether the search converged (None when nothing is recorded)."""
        parts = []
        if self.credible_level is not None and self.classes is not None:
            level = percent_text(self.credible_level)
            parts.append(f"P(class) with {level}% equal-tailed posterior credible intervals, given this list")
        if self.rhat is not None:
            if np.isnan(self.rhat):
                parts.append("chains' R-hat not available (one chain, or fewer than 4 draws after burn-in)")
            else:
                verdict = "over 1.1: the chains disagree" if self.rhat > 1.1 else "at most 1.1: the chains agree"
                parts.append(f"chains' R-hat {self.rhat:.3f} ({verdict})")
        return "; ".join(parts) if parts else None

    def __str__(self):
        lines = [self._header()]
        for line in (*self.weight_notes(), self._reading_line()):
            if line is not None:
                lines.append(line)
        for i, rule in enumerate(self.rules):
            support = format_number(rule.support)
            lines.append(f"{self._keyword(i)} {rule} THEN {self._probability_text(rule)}  (support {support})")
        support = format_number(self.default.support)
        lines.append(f"{self._keyword(len(self.rules))} {self._probability_text(self.default)}  (support {support})")
        return "\n".join(lines)

    def _keyword(self, i):
        """The word opening rule ``i``'s line (the default's at ``i == len(rules)``): IF, ELSE IF, ..., ELSE,
        or ALWAYS when the default stands alone."""
        if i < len(self.rules):
            return "IF" if i == 0 else "ELSE IF"
        return "ELSE" if self.rules else "ALWAYS"

    def _repr_html_(self):
        """The list as a table a screen reader can follow: one row per rule, in order, the default last."""
        rules = list(self.rules) + [self.default]
        with_probabilities = self.classes is not None and all(r.probabilities is not None for r in rules)
        shown = self._shown_classes() if with_probabilities else []
        level = ""
        if all(r.interval_low is not None for r in rules):
            level = (" [interval]" if self.credible_level is None
                     else f" [{percent_text(self.credible_level)}% credible interval]")
        outputs = [f"P({class_text(self.classes[k])}){level}" for k in shown] if with_probabilities else ["output"]
        rows = []
        for i, rule in enumerate(rules):
            keyword = self._keyword(i)
            cells = ([self._probability_cell(rule, k) for k in shown] if with_probabilities
                     else [self._probability_text(rule)])
            rows.append([str(i + 1) if i < len(self.rules) else "default",
                         keyword if not rule.conditions else f"{keyword} {rule}", *cells, format_number(rule.support)])
        table = html_table(["rule", "conditions", *outputs, "support"], rows,
                           caption="Rules, in order: the first that covers a row decides it", row_header=0)
        return html_block(self._header(), html_lines([*self.weight_notes(), self._reading_line()]) + table)


@register_kind
@dataclass(frozen=True, kw_only=True, eq=False)
class RuleSet(DescribesEventClass, _DecidingRules):
    """An unordered set of IF-THEN rules plus a default class.

    ``rules`` are stored in the order used to settle conflicts: when rules of
    different classes cover a row, the first of them in this order decides.
    Each rule's ``precision`` and ``support`` describe the training rows it
    covers; its ``decides`` and ``probabilities`` the rows it decides, so its
    probabilities are the ones a row it decides is given.  A binary set prints
    the probability of its event class (``pos_label``, else ``classes[1]``);
    its rules' ``scores`` stay the log-odds of ``classes[1]``.

    Attributes
    ----------
    pos_label : object or None
        The event class of a binary set (None: ``classes[1]``).
    class_order : tuple of int or None
        Positions in ``classes`` in the order a tie between classes goes when
        the default's class is not among the tied (most training weight, then
        the class whose first training row comes first).  None in sets saved
        before it was recorded: such a tie then goes to the lower position.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 80, 400).astype(float), "smoker": rng.choice(["yes", "no"], 400)})
    >>> y = np.where((X.age >= 50) | (X.smoker == "yes") & (rng.random(400) < 0.8), "ill", "well")
    >>> from glassbox import DecisionSetClassifier
    >>> rule_set = DecisionSetClassifier(max_rules=3, random_state=0).fit(X, y).explain_global()
    >>> [(str(rule), str(rule.predicted_class)) for rule in rule_set.rules]
    [('age < 49 AND smoker == no', 'well')]
    >>> rule_set.predict(pd.DataFrame({"age": [30.0, 30.0], "smoker": ["no", "yes"]}))  # the second row: the default
    array(['well', 'ill'], dtype='<U4')
    """

    # the one-line summary, not the dataclass repr of every array (the decorator would write one)
    __repr__ = GlobalExplanation.__repr__

    kind = "rule_set"
    weighted_figures = "precision, probabilities and support"
    counted_figures = "support and decides"

    class_order: tuple = None

    def __post_init__(self):
        super().__post_init__()
        if self.class_order is not None:
            object.__setattr__(self, "class_order", tuple(int(k) for k in self.class_order))

    def _payload(self):
        order = {} if self.class_order is None else {"class_order": list(self.class_order)}
        return {**super()._payload(), **self._event_payload(), **order}

    @classmethod
    def _from_payload(cls, payload, common):
        # "class_order" is optional: a set saved before it was recorded loads with None.
        order = payload.get("class_order")
        if order is not None and (not isinstance(order, list) or any(type(k) is not int for k in order)):
            raise ValueError(f"class_order must be a list of integer class positions, as to_json() writes it; "
                             f"got {order!r}")
        return cls(**common, **cls._rules_of_payload(payload), pos_label=cls._event_of_payload(payload),
                   class_order=order)

    def _check_loaded(self):
        super()._check_loaded()
        if self.class_order is not None and sorted(self.class_order) != list(range(len(self.classes))):
            raise ValueError(f"class_order {list(self.class_order)} is not an order of the class positions "
                             f"0 to {len(self.classes) - 1}: it must list each of them once, as to_json() writes it")
        for label, rule in self._labelled_rules():
            if not any(same_label(c, rule.predicted_class) for c in self.classes):
                raise ValueError(f"the class of {label}, {rule.predicted_class!r}, is not among the classes "
                                 f"{list(self.classes)}")
        # A rule's class is the likeliest among the rows it covers, its scores those of the rows it decides:
        # the two may part (higher-ranked rules took some of its rows).  Where the rows are the same (it
        # decides all it covers, or none: its scores are then its covered rows'; always for the default),
        # the printed class must be one the scores make likeliest, as predict gives it.
        for label, rule in self._labelled_rules():
            if rule.conditions and rule.decides not in (None, 0.0) and not np.isclose(rule.decides, rule.support,
                                                                                       rtol=1e-9, atol=0.0):
                continue
            probabilities = np.ravel(self.link.inverse(np.asarray(rule.scores)[None]))
            if probabilities.size == 1:  # binary: the probability of classes[1]
                probabilities = np.array([1.0 - probabilities[0], probabilities[0]])
            likeliest = probabilities.max()
            if probabilities[self._class_index(rule.predicted_class)] < likeliest * (1.0 - 1e-9):
                predicted, printed = (plain_value(v) for v in (self.classes[int(np.argmax(probabilities))],
                                                          rule.predicted_class))
                which = "rule decides every row it covers" if rule.conditions else "default decides its rows"
                raise ValueError(
                    f"the class of {label} is {printed!r}, but its scores make {predicted!r} the likeliest "
                    f"(P = {float(likeliest)!r}), the class predict gives the rows it decides; as the {which}, "
                    "its class must be the one its scores make likeliest")

    def predict(self, X):
        """Predictions recomputed from this set; a row whose likeliest classes tie (equal probabilities)
        is given the default's class when it is one of them, else the tied class first in
        ``class_order``, as the estimator predicts it."""
        decision = self.decision_function(X)
        default_index = self._class_index(self.default.predicted_class)
        return self.classes[settle_ties_to_default(self.link, decision, default_index, self.class_order)]

    def _prints_probabilities(self, rule):
        """A set that records the rows each rule decides prints their probability beside every rule."""
        return rule is not self.default and self._records_decisions()

    def _records_decisions(self):
        """False for sets saved before each rule's decided rows were recorded (then P describes the covered rows)."""
        return all(rule.decides is not None for rule in self.rules)

    def _probability_header(self):
        return f"P({class_text(self.event_class)})" if len(self.classes) == 2 else "P(class)"

    def _columns(self):
        columns = ["rank", "class", "IF", "precision", "support"]
        return columns + ["decides", self._probability_header()] if self._records_decisions() else columns

    def _rows(self):
        rows = []
        for i, rule in enumerate(self.rules):
            row = [str(i + 1), class_text(rule.predicted_class), str(rule), format_number(rule.precision, 3),
                   format_number(rule.support)]
            if self._records_decisions():
                k = self.event_index if len(self.classes) == 2 else self._class_index(rule.predicted_class)
                row += [format_number(rule.decides), format_open_probability(rule.probabilities[k])]
            rows.append(row)
        return rows

    def _class_index(self, label):
        return label_position(self.classes, label)

    _READING = "Rules (any order; when rules of different classes cover a row, the higher-ranked one decides):"
    _DECIDED_READING = (
        "Rules (a row is decided by the highest-ranked rule that covers it, else by the default):\n"
        "  precision, support: over the training rows a rule covers;\n"
        "  decides, {p}: the rows it decides (no higher-ranked rule covers them) and their share of {what},\n"
        "  the probability predict_proba gives the rows the rule decides."
    )

    def _reading(self):
        if not self._records_decisions():
            return self._READING
        what = class_text(self.event_class) if len(self.classes) == 2 else "the rule's class"
        return self._DECIDED_READING.format(p=self._probability_header(), what=what)

    def _otherwise(self):
        return f"Otherwise: {class_text(self.default.predicted_class)}  ({self._probability_text(self.default)})"

    def __str__(self):
        lines = [
            self._header(),
            *self.weight_notes(),
            self._reading(),
            text_table(self._columns(), self._rows()),
            self._otherwise(),
        ]
        return "\n".join(lines)

    def _repr_html_(self):
        table = html_table(self._columns(), self._rows(), caption="Rules", row_header=0)
        lines = self.weight_notes() + self._reading().split("\n")
        return html_block(self._header(), html_lines(lines) + table + html_lines([self._otherwise()]))




def settle_ties_to_default(link, decision, default_index, class_order=None):
    """Class positions of ``link.predict_index(decision)``, where a row whose likeliest classes tie goes to
    the class at ``default_index`` when it is one of them, else to the tied class first in ``class_order``.

    ``class_order`` lists class positions in the order ties go (a decision
    set's :func:`~glassbox.rules._decision_set_rules.class_preference`: most
    training weight, then the class met first); None, for a set saved before it
    was recorded, means the positions' own order.  The link alone gives a tie
    to the lower class code, which renaming the labels changes; the default's
    class and ``class_order`` do not change with it.
    """
    decision = np.asarray(decision)
    index = np.array(link.predict_index(decision), dtype=np.intp, copy=True)
    if decision.ndim == 1:  # binary: a tie is a zero log-odds, and the default's class is one of the two
        index[decision == 0] = default_index
        return index
    order = np.arange(decision.shape[1]) if class_order is None else np.asarray(class_order, dtype=np.intp)
    order = np.concatenate([[default_index], order[order != default_index]])
    tied = decision[:, order] == decision.max(axis=1, keepdims=True)
    several = tied.sum(axis=1) > 1
    index[several] = order[np.argmax(tied[several], axis=1)]
    return index
