"""Bayesian rule lists: glassbox against imodels' ``BayesianRuleListClassifier``.

imodels' BRL needs 0/1 input, so it gets *the same conditions* glassbox mines
from: a :class:`~glassbox.utils.ConditionGenerator` with glassbox's default
``max_thresholds`` is fitted on the training part (untimed ``prepare``) and
its 0/1 matrix is imodels' input.  Both learners run with the same model
settings (Poisson(3) length prior, Poisson(1) width prior, Dirichlet(1, 1),
min support 0.1, rules of at most 2 conditions) and the same point estimate
(Letham et al.'s BRL-point); each runs its own default number of chains
(glassbox 16, imodels 3) of 50,000 iterations.

Both learners are randomized (MCMC), and on several datasets many lists are
about equally probable, so one seed of either is one draw among them.  Every
row is therefore fitted once on each of the same seeds (``SEEDS``, 0-4;
``random_state`` of either learner) and the table shows medians over seeds
(fit time, and each metric's median on its own); the JSON keeps every seed's
fit time, metrics and size under ``seed_results``.  In the standalone mode
(compas, compas_corels, adult, mushroom) imodels' seed-independent
preparation (FP-growth, row sets) runs in its first fit only; for the other
seeds its chains and BRL-point run again on the same prepared data, seeded as
its ``fit`` seeds them, and their fit time is the preparation's plus their own
(the first seed's fit is reproduced exactly this way).  Adult runs seeds 0-2
only, to keep the locked run under about 6 minutes.  Extra glassbox rows: the
MAP list (``point_estimate="map"``) and a list capped at 5 rules (the CORELS
COMPAS comparison: CORELS' published 4-rule list scores about 0.67 test
accuracy on that fold).

On the raw compas file and the CORELS split imodels runs at its defaults
(50,000 iterations x 3 chains), minutes per seed, in the standalone mode.
Earlier rows there ran it shortened (5,000 and 10,000 iterations per chain)
to fit a harness slot; they stay in the JSON under model names that say so
("imodels BRL (same conditions), 5,000 iterations"), historical.  A long
standalone run writes a checkpoint of the seeds done before each further
imodels seed, so stopping it keeps what it measured (its notes say so).

``IMODELS_SKIP`` lists where imodels does not fit in a harness slot.  There
the module's standalone mode measures both learners in one process (run it
under the bench lock), writing its records into ``results/rule_list.json``:
``python -m benchmarks.families.rule_list DATASET WIDTH:N_ITER[:BUDGET_S] ...
[--seeds 0,1,2] [--probe N ...]`` fits glassbox once per seed at its defaults
(and at every other rule width listed), then imodels at each
``maxcardinality:iterations`` on the same seeds, its first fit stopped after
the budget; imodels' predictions come from its fitted list (``d_star``,
``theta``) applied by NumPy exactly as its ``preds_d_t`` does
(``_imodels_list_scores``; its own ``predict`` builds every itemset's row set in
Python, minutes on adult's 16,281 test rows).  Its fit is split into phases by
wrapping the functions it calls (:class:`_ImodelsPhases`).

The figures recorded now (``results/rule_list.json``, medians over seeds,
shown in ``benchmarks/RESULTS.md``): adult (seeds 0-2, run ending 13:58 UTC on
2026-11-22, load 1.2 before, up to 3.1 during imodels' fit): glassbox's default
fit 4.74 s (5.88 / 4.10 / 4.74 s), test AUC 0.8767 (posterior average 0.8886),
imodels at 1,000 iterations 274.3 s, a 16-rule list (median) of AUC 0.8586:
58x.  Mushroom (seeds 0-4, 13:44 UTC, load 1.0-1.4): glassbox's default fit
0.508 s, AUC 1.0000; with rules of one condition for both, glassbox
``max_rule_len=1`` 0.385 s, AUC 0.9912 (posterior average 1.0000), imodels at
5,000 iterations 41.8 s, AUC 0.9957: 109x, the kept list's AUC 0.0045 lower.
Compas, imodels at its defaults (seeds 0-4, 22:59-23:38 UTC, glassbox at load
0.65, imodels at 5.5-7.6): glassbox 0.559 s, AUC 0.6975; imodels 515.1 s
(first fit 174 s CPU), AUC 0.6973: 921x.  compas_corels (seeds 0-4, 01:39-02:47
UTC on 2026-11-23, glassbox at load 1.9, imodels at 2.1-16 with a burst to
123): glassbox 1.100 s, AUC 0.7260; imodels 694.1 s (first fit 256 s CPU), AUC
0.7394: 631x, the kept list's AUC 0.0134 lower.  The record of each imodels
seed keeps its list (``rules`` in ``seed_results``: each rule's condition
columns, in order), so it can be scored under glassbox's posterior.

Earlier measurements (2026-11-22, 11:13-11:46 UTC, seed 0 only), kept for the
breakdown of imodels' time, which the JSON does not hold.  Adult (1,071
itemsets from FP-growth on the 142 condition columns): at 10 iterations x 3
chains (load 10-13; CPU seconds) its fit took 190.9 s CPU, of which FP-growth
9.3 s, building each itemset's set of covered rows (a Python loop over
itemsets x rows) 180.9 s, the MCMC 0.5 s; the MCMC alone took 0.3 s at 2
iterations and 0.9 s at 30.  At 1,000 iterations (``adult 2:1000:540``, load
1.2-1.4): imodels 239.4 s (row sets 194.1, MCMC 35.6, FP-growth 9.1), a
14-rule list of AUC 0.8608, glassbox 3.62 s median (5.9-6.7 s CPU on 2
threads): 66x.  Its default 50,000 iterations would add about 50 x 36 s of
MCMC (an extrapolation, not measured: lists grow as chains run).  Mushroom
(``mushroom 1:5000:240 2:10:300``, load 3.7 before, 1.3 after): FP-growth
yields 11,810 itemsets from the 226 condition columns (glassbox's miner keeps
9,336 candidates); imodels at its default width (2) and 10 iterations did not
finish within a 300 s budget: FP-growth took 164.4 s and the row sets were
still being built at 300 s, while glassbox's default fit in the same run took
1.38 s (so at least 218x); it has not been rerun since.

The row "posterior average" is the same default fit scored by
``predict_proba_posterior``: Letham et al.'s posterior predictive, the
average over about 1,000 thinned draws of the chains.  It is not one rule
list (the interpretable model is the kept list, the default row), so it is
reported next to it, not instead of it.

Nothing is tuned: every setting is fixed here.  CORELS and pysbrl are not
run: neither installs here (``MAX_RULES_5_NOTE`` quotes the errors, and the
note is printed under the table in ``RESULTS.md``).
"""

from dataclasses import replace

from benchmarks.harness import Case

DATASETS = ("compas_corels", "breastcancer", "mammo", "heart", "titanic", "compas", "adult", "mushroom")
#: Datasets where imodels' fit at its defaults does not fit in a harness slot (the standalone mode measures them).
IMODELS_SKIP = {
    "compas": "its default fit (50,000 iterations x 3 chains) takes minutes per seed; measured by the standalone "
    "mode",
    "compas_corels": "its default fit (50,000 iterations x 3 chains) takes minutes per seed; measured by the "
    "standalone mode",
    "mushroom": "FP-growth alone takes 164 s (11,810 itemsets) and 10 iterations did not finish in 300 s; "
    "measured by the standalone mode",
    "adult": "its fit takes minutes (1,000 iterations x 3 chains: 281.7 s) and its predict did not finish in "
    "the rest of a 6-minute slot; measured by the standalone mode",
}
#: The CORELS comparison row; it also says why CORELS and pysbrl themselves have no rows (RESULTS.md prints it).
MAX_RULES_5_NOTE = (
    "max_rules=5 is the CORELS COMPAS comparison (CORELS' published 4-rule list scores about 0.67 test accuracy "
    "on the compas_corels split). CORELS and pysbrl are not run because neither installs here (Python 3.11, "
    "numpy 2.4.6; pip in a fresh venv, 2026-11-22): corels 1.1.29 ships only a source release whose setup.py "
    "fails (\"AttributeError: 'dict' object has no attribute '__NUMPY_SETUP__'\"), and built without isolation "
    "its pre-generated C++ needs a header Python 3.11 removed (\"fatal error: longintrepr.h: No such file or "
    "directory\"); pysbrl 0.4.1 (source only) needs the GSL C library (\"fatal error: gsl/gsl_matrix.h: No such "
    "file or directory\") and its Python code uses np.int and np.bool, removed in numpy 1.24"
)
FAMILY = "rule_list"
SEED = 0
#: Both learners are randomized (MCMC): each is fitted once per seed, on the same seeds.
SEEDS = (0, 1, 2, 3, 4)
PROTOCOL = ("protocol: every row, glassbox and imodels alike, is fitted once on each of the {n} seeds "
            "{seeds} (random_state); the table shows the median over seeds of the fit time and of each "
            "metric (medians taken one by one), the JSON keeps every seed's figures (seed_results)")


def _n_rules(model):
    return len(model.rules_)


def _binarize(dataset):
    """Replace X by glassbox's own candidate conditions as 0/1 columns (fitted on train only)."""
    import pandas as pd

    from glassbox import BayesianRuleListClassifier
    from glassbox.utils import ConditionGenerator

    generator = ConditionGenerator(max_thresholds=BayesianRuleListClassifier().max_thresholds, handle_unknown="ignore")
    generator.fit(dataset.X_train)
    names = [f"c{i}: {name}" for i, name in enumerate(generator.condition_names_)]

    def frame(X):
        return pd.DataFrame(generator.transform(X).astype(int), columns=names, index=X.index)

    return replace(dataset, X_train=frame(dataset.X_train), X_test=frame(dataset.X_test), categorical=())


def _imodels_fit(model, X, y):
    return model.fit(X.to_numpy(), y.to_numpy(), feature_names=list(X.columns))


def _imodels_predict(model, X):
    return model.predict(X.to_numpy())


def _imodels_score(model, X):
    return model.predict_proba(X.to_numpy())[:, 1]


def _imodels_size(model):
    return max(len(model.d_star) - 1, 0) if model.d_star else 0


def _posterior_predict(model, X):
    return model.classes_[model.predict_proba_posterior(X).argmax(axis=1)]


def _posterior_score(model, X):
    return model.predict_proba_posterior(X)[:, 1]


def _make_imodels(dataset, seed=SEED):
    import numpy as np
    from imodels import BayesianRuleListClassifier

    return BayesianRuleListClassifier(
        listlengthprior=3, listwidthprior=1, maxcardinality=2, minsupport=0.1,
        alpha=np.array([1.0, 1.0]), n_chains=3, max_iter=50_000,
        random_state=seed,
    )


def _ours(**params):
    """``make_model(dataset, seed)`` of a glassbox case."""
    from glassbox import BayesianRuleListClassifier

    return lambda ds, seed: BayesianRuleListClassifier(random_state=seed, **params)


def cases(config):
    quick = {"n_iter": 500} if config.quick else {}
    seeds = SEEDS[:2] if config.quick else SEEDS
    protocol = PROTOCOL.format(n=len(seeds), seeds=", ".join(map(str, seeds)))
    for name in config.datasets or DATASETS:
        yield Case(
            family=FAMILY, dataset=name, model_name="BayesianRuleListClassifier", library="glassbox",
            make_model=_ours(**quick), seeds=seeds, size=_n_rules, size_unit="rules",
            notes="defaults: raw features, max_thresholds=5, min_support=0.1, max_rule_len=2, "
            "16 chains x 50,000, BRL-point; " + protocol,
        )
        yield Case(
            family=FAMILY, dataset=name, model_name="BayesianRuleListClassifier posterior average",
            library="glassbox", make_model=_ours(**quick), seeds=seeds,
            predict=_posterior_predict, score=_posterior_score,
            notes="the default fit scored by predict_proba_posterior (average over ~1,000 thinned posterior "
            "draws; not one rule list)",
        )
        yield Case(
            family=FAMILY, dataset=name, model_name="BayesianRuleListClassifier max_rules=5", library="glassbox",
            make_model=_ours(max_rules=5, **quick), seeds=seeds, size=_n_rules, size_unit="rules",
            notes=MAX_RULES_5_NOTE,
        )
        yield Case(
            family=FAMILY, dataset=name, model_name="BayesianRuleListClassifier map", library="glassbox",
            make_model=_ours(point_estimate="map", **quick), seeds=seeds, size=_n_rules, size_unit="rules",
            notes="the polished maximum a posteriori list instead of BRL-point",
        )
        if config.quick or name in IMODELS_SKIP:
            continue
        yield Case(
            family=FAMILY, dataset=name, model_name="imodels BRL (same conditions)", library="imodels",
            make_model=_make_imodels, fit=_imodels_fit, predict=_imodels_predict, score=_imodels_score,
            size=_imodels_size, size_unit="rules", prepare=_binarize, seeds=seeds,
            notes="imodels BayesianRuleListClassifier on glassbox's conditions as 0/1 columns (binarization "
            "untimed), defaults (50,000 iterations x 3 chains)",
        )


def _imodels_list_scores(model, X):
    """imodels' fitted list applied with NumPy: the first rule of ``d_star`` covering a row gives its ``theta``."""
    import numpy as np

    X = X.to_numpy() == 1
    names = list(model.feature_placeholders)
    scores = np.full(len(X), np.nan)
    for position, itemset in enumerate(model.d_star):
        covered = (np.ones(len(X), dtype=bool) if itemset == 0
                   else np.all(X[:, [names.index(n) for n in model.itemsets[itemset]]], axis=1))
        scores[covered & np.isnan(scores)] = model.theta[position]
    return scores


class _ImodelsPhases:
    """Wall time of imodels' fit phases, by wrapping the functions its ``fit`` calls (nothing re-implemented).

    Phases: FP-growth mining (mlxtend), the row sets of every itemset (the Python loop inside
    ``fit`` between mining and the MCMC), the MCMC chains, BRL-point, and the rest.  The MCMC's
    arguments are kept so :meth:`probe_mcmc` can time the chains alone at another iteration count,
    and :meth:`rerun_chains` can run the chains and BRL-point again with another seed.
    """

    def __init__(self):
        import time

        from imodels.rule_list.bayesian_rule_list import bayesian_rule_list as module

        self._module, self.marks, self.mcmc_args = module, {}, None
        # Wall and process CPU time: on a shared machine the CPU time of this single-threaded
        # fit shows what contention added to the wall time.
        self._clock = lambda: (time.perf_counter(), time.process_time())
        self._originals = {n: getattr(module, n) for n in ("extract_fpgrowth", "run_bdl_multichain_serial",
                                                            "get_point_estimate")}
        for name, original in self._originals.items():
            setattr(self._module, name, self._timed(name, original))

    def _timed(self, name, original):
        def wrapper(*args, **kwargs):
            if name == "run_bdl_multichain_serial":
                self.mcmc_args = (args, kwargs)
            if name == "get_point_estimate":
                self.point_args = (args, kwargs)
            self.marks[name + " start"] = self._clock()
            out = original(*args, **kwargs)
            self.marks[name + " end"] = self._clock()
            if name == "extract_fpgrowth":
                self.n_itemsets = len(out)
            return out
        return wrapper

    def restore(self):
        for name, original in self._originals.items():
            setattr(self._module, name, original)

    def start(self):
        self.marks["fit start"] = self._clock()

    def stop(self):
        self.marks["fit end"] = self._clock()
        return self.marks["fit end"][0] - self.marks["fit start"][0]

    def report(self):
        """The phases as 'wall s (CPU s)'."""
        bounds = {
            "fpgrowth": ("extract_fpgrowth start", "extract_fpgrowth end"),
            "row sets": ("extract_fpgrowth end", "run_bdl_multichain_serial start"),
            "mcmc": ("run_bdl_multichain_serial start", "run_bdl_multichain_serial end"),
            "brl-point": ("get_point_estimate start", "get_point_estimate end"),
            "rest": ("get_point_estimate end", "fit end"),
            "whole fit": ("fit start", "fit end"),
        }
        parts = []
        for phase, (begin, end) in bounds.items():
            if begin not in self.marks:
                break
            running = end not in self.marks  # the budget ran out during this phase
            stop = self.marks["fit end"] if running else self.marks[end]
            wall, cpu = (stop[i] - self.marks[begin][i] for i in (0, 1))
            parts.append(f"{phase} {wall:.1f} s (CPU {cpu:.1f} s)" + (" and still running" if running else ""))
            if running:
                break
        mined = f"; {self.n_itemsets} itemsets mined" if hasattr(self, "n_itemsets") else ""
        return ", ".join(parts) + mined

    def probe_mcmc(self, n_iter):
        """Wall time of imodels' chains alone (same data, same 3 chains) at ``n_iter`` iterations."""
        from collections import defaultdict

        from imodels.rule_list.bayesian_rule_list.brl_util import default_permsdic

        args, kwargs = self.mcmc_args
        args = list(args)
        args[0], args[10], args[11] = n_iter, defaultdict(default_permsdic), n_iter // 2
        start = self._clock()
        try:
            self._originals["run_bdl_multichain_serial"](*args, **kwargs)
        except ZeroDivisionError:  # its R-hat needs two kept draws per chain; raised after the chains ran
            pass
        end = self._clock()
        return f"{end[0] - start[0]:.1f} s (CPU {end[1] - start[1]:.1f} s)"


    def preparation_time(self):
        """Wall seconds of the seed-independent part of the fit: from its start to the chains."""
        return self.marks["run_bdl_multichain_serial start"][0] - self.marks["fit start"][0]

    def rerun_chains(self, seed):
        """imodels' chains, merge, BRL-point and rule consequents again on the first fit's prepared
        data (FP-growth and the row sets do not depend on the seed), seeded as its ``fit`` seeds them.

        Returns ``(d_star, theta, wall seconds)``.
        """
        import random
        import time
        from collections import defaultdict

        import numpy as np
        from imodels.rule_list.bayesian_rule_list.brl_util import default_permsdic

        args, kwargs = self.mcmc_args
        args = list(args)
        args[10] = defaultdict(default_permsdic)
        point_args, point_kwargs = self.point_args
        start = time.perf_counter()
        random.seed(seed)
        np.random.seed(seed)
        chains, _ = self._originals["run_bdl_multichain_serial"](*args, **dict(kwargs, seed=seed))
        d_star = self._originals["get_point_estimate"](self._module.merge_chains(chains), *point_args[1:],
                                                       **point_kwargs)
        theta = self._module.get_rule_rhs(args[5], args[6], d_star, args[2], True)[0] if d_star else None
        return d_star, theta, time.perf_counter() - start


class _OverBudget(Exception):
    """Raised (by an alarm) inside imodels' fit when its time budget runs out."""


def _record(dataset, model, library, notes, **fields):
    """A result record in the harness's schema (``benchmarks.harness.run_case``)."""
    from benchmarks.peers import library_version

    record = {
        "family": FAMILY, "dataset": dataset.name, "model": model, "library": library,
        "role": "glassbox" if library == "glassbox" else "peer", "size_unit": "rules", "notes": notes,
        "repeats": 1, "task": dataset.task, "n_train": dataset.n_train, "n_test": dataset.n_test,
        "data_md5": dataset.extra.get("md5"), "warnings": [], "version": library_version(library),
    }
    record.update(fields)
    return record


def _fit_ours(dataset, max_rule_len, n_threads, seeds):
    """One timed fit of glassbox at ``max_rule_len`` per seed: prints them, returns the records (the
    kept list and the posterior average of the same fits), medians over seeds as in the harness."""
    import os
    import time
    import warnings

    from benchmarks.harness import seed_summary
    from glassbox import BayesianRuleListClassifier

    kept, average, cpu = [], [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for seed in seeds:
            start, start_cpu = time.perf_counter(), time.process_time()
            ours = BayesianRuleListClassifier(max_rule_len=max_rule_len, random_state=seed)
            ours.fit(dataset.X_train, dataset.y_train)
            fit_time = time.perf_counter() - start
            cpu.append(time.process_time() - start_cpu)
            start = time.perf_counter()
            predicted = ours.predict(dataset.X_test)
            predict_time = time.perf_counter() - start
            start = time.perf_counter()
            posterior = ours.predict_proba_posterior(dataset.X_test)
            posterior_time = time.perf_counter() - start
            common = {"seed": seed, "fit_time": fit_time}
            kept.append(dict(common, predicted=predicted, scores=ours.predict_proba(dataset.X_test)[:, 1],
                             predict_time=predict_time, size=_n_rules(ours)))
            average.append(dict(common, predicted=ours.classes_[posterior.argmax(axis=1)],
                                scores=posterior[:, 1], predict_time=posterior_time, size=None))
    kept, average = (seed_summary(dataset.task, dataset.y_test, runs) for runs in (kept, average))
    print(f"glassbox max_rule_len={max_rule_len}, seeds {list(seeds)}: fit median {kept['fit_time']:.3f} s "
          f"({', '.join(f'{t:.2f}' for t in kept['fit_times'])}; CPU {', '.join(f'{t:.2f}' for t in cpu)} s on "
          f"{n_threads} threads), test AUC median {kept['metrics']['auc']:.4f} "
          f"({_seed_aucs(kept)}), {kept['size']:g} rules, "
          f"posterior average {average['metrics']['auc']:.4f}; load {os.getloadavg()}", flush=True)
    suffix = "" if max_rule_len == 2 else f" max_rule_len={max_rule_len}"
    warned = list(dict.fromkeys(f"{w.category.__name__}: {str(w.message)[:300]}" for w in caught))
    notes = (f"standalone run (python -m benchmarks.families.rule_list): defaults{suffix and ' except' + suffix}; "
             f"{PROTOCOL.format(n=len(seeds), seeds=', '.join(map(str, seeds)))}; load average "
             f"{os.getloadavg()[0]:.2f} after the fits")
    return [
        _record(dataset, "BayesianRuleListClassifier" + suffix, "glassbox", notes, status="ok",
                repeats=len(seeds), warnings=warned, **kept),
        _record(dataset, "BayesianRuleListClassifier posterior average" + suffix, "glassbox",
                "the same fit scored by predict_proba_posterior", status="ok", repeats=len(seeds),
                warnings=warned, **dict(average, size=None), size_unit=""),
    ]


def _fit_imodels(binary, max_rule_len, n_iter, budget, probes, seeds, checkpoint=None):
    """imodels at ``max_rule_len`` (its maxcardinality) and ``n_iter`` iterations x 3 chains on each
    seed; the first fit is stopped after ``budget`` seconds (None: no limit).  Its seed-independent
    preparation (FP-growth, row sets) runs once, in the first fit; for the other seeds only its chains
    and BRL-point run again, and their fit time is that preparation's plus their own.  Prints phases,
    AUCs and MCMC probes; returns the record (status "error" when the budget ran out).  ``checkpoint``
    (optional) is called with the record of the seeds done so far before each further seed."""
    import os
    import signal

    from benchmarks.harness import seed_summary

    peer = _make_imodels(binary, seeds[0])
    peer.max_iter, peer.burnin, peer.maxcardinality = n_iter, n_iter // 2, max_rule_len
    label = f"imodels maxcardinality={max_rule_len}, {n_iter} iterations x 3 chains"
    model = "imodels BRL (same conditions)" + ("" if max_rule_len == 2 else f" maxcardinality={max_rule_len}")
    phases = _ImodelsPhases()

    def over_budget(signum, frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, over_budget)
    try:
        if budget:
            signal.alarm(int(budget))
        phases.start()
        try:
            _imodels_fit(peer, binary.X_train, binary.y_train)
        except _OverBudget:
            phases.stop()
            text = f"fit NOT finished within its {budget} s budget; reached: {phases.report()}"
            print(f"{label}: {text}; load {os.getloadavg()}", flush=True)
            return _record(binary, model, "imodels", "", status="error",
                           error=f"{label}, standalone run: {text}; load average {os.getloadavg()[0]:.2f}")
        finally:
            signal.alarm(0)
        wall = phases.stop()
        print(f"{label} fit {wall:.1f} s, {_imodels_size(peer)} rules: {phases.report()}; "
              f"load {os.getloadavg()}", flush=True)

        def record_of(runs):
            done = [run["seed"] for run in runs]
            summary = seed_summary(binary.task, binary.y_test, runs)
            for kept, run in zip(summary["seed_results"], runs):  # each seed's list, to score it elsewhere
                kept["rules"] = run["rules"]
            stopped = ("" if len(runs) == len(seeds) else
                       f" (checkpoint written after {len(runs)} of the planned seeds "
                       f"{', '.join(map(str, seeds))})")
            notes = (f"{label} (its default is 50,000 iterations) on glassbox's conditions as 0/1 columns, "
                     f"standalone run, seeds {', '.join(map(str, done))}{stopped}; its seed-independent "
                     f"preparation (FP-growth, row sets) ran in the first fit and is added to the chains' and "
                     f"BRL-point's own time for the other seeds; predictions by its fitted list applied with "
                     f"NumPy; phases of the first fit: {phases.report()}; load average "
                     f"{os.getloadavg()[0]:.2f} after")
            return summary, _record(binary, model, "imodels", notes, status="ok", repeats=len(runs), **summary)

        runs = [_imodels_run(peer, binary, seeds[0], wall)]
        _print_seed(label, runs[-1], binary)
        for seed in seeds[1:]:
            if checkpoint:  # a long run keeps what it measured if it has to be stopped
                checkpoint(record_of(runs)[1])
            peer.d_star, peer.theta, seconds = phases.rerun_chains(seed)
            runs.append(_imodels_run(peer, binary, seed, phases.preparation_time() + seconds))
            _print_seed(label, runs[-1], binary)
        summary, record = record_of(runs)
        print(f"{label}, seeds {list(seeds)}: fit {', '.join(f'{t:.1f}' for t in summary['fit_times'])} s, "
              f"test AUC {_seed_aucs(summary)} "
              f"(median {summary['metrics']['auc']:.4f}); load {os.getloadavg()}", flush=True)
        for probe in probes:
            print(f"imodels MCMC alone at {probe} iterations x 3 chains: {phases.probe_mcmc(probe)}; "
                  f"load {os.getloadavg()}", flush=True)
        return record
    finally:
        signal.signal(signal.SIGALRM, previous)
        phases.restore()


def _print_seed(label, run, binary):
    """One imodels seed's figures and its list (the columns of each rule, in order) as soon as they exist
    (a long run shows its progress; the list, also kept in the record's ``seed_results``, can be scored
    under glassbox's posterior afterwards)."""
    import os

    from sklearn.metrics import roc_auc_score

    print(f"{label}, seed {run['seed']}: fit {run['fit_time']:.1f} s, {run['size']} rules, test AUC "
          f"{roc_auc_score(binary.y_test, run['scores']):.4f}; load {os.getloadavg()}", flush=True)
    print(f"  seed {run['seed']} list: {run['rules']}", flush=True)


def _imodels_rules(peer, binary):
    """imodels' fitted list as the condition columns of each rule, in order (the default rule left out)."""
    placeholders, columns = list(peer.feature_placeholders), binary.X_train.columns
    return [[columns[placeholders.index(item)] for item in peer.itemsets[itemset]]
            for itemset in peer.d_star if itemset != 0]


def _seed_aucs(summary):
    return ", ".join(f"{r['metrics']['auc']:.4f}" for r in summary["seed_results"])


def _imodels_run(peer, binary, seed, fit_time):
    """One seed's fitted imodels list scored on the test part (a per-seed entry for ``seed_summary``)."""
    import time

    start = time.perf_counter()
    scores = _imodels_list_scores(peer, binary.X_test)
    predict_time = time.perf_counter() - start
    return {"seed": seed, "fit_time": fit_time, "predicted": (scores > 0.5).astype(int), "scores": scores,
            "predict_time": predict_time, "size": _imodels_size(peer), "rules": _imodels_rules(peer, binary)}


def _standalone(name, runs, probes=(), seeds=SEEDS, write=True):
    """glassbox and imodels fitted in one process, where imodels' own predict is too slow.

    ``runs``: ``(max_rule_len, n_iter, budget_s or None)`` per imodels fit; glassbox is fitted
    once per seed at its defaults and at every other ``max_rule_len`` listed, imodels once per
    seed (its preparation shared, see :func:`_fit_imodels`).  imodels' fit is
    split into phases (:class:`_ImodelsPhases`); ``probes`` are iteration counts at which the
    MCMC of the first imodels fit is timed alone on the same data (its setup not repeated).
    With ``write`` the records go into ``results/rule_list.json`` (one run: ratios pair them).
    """
    import os
    import sys

    from benchmarks import report
    from benchmarks.datasets import load_dataset
    from benchmarks.harness import BenchConfig
    from glassbox.utils._threads import effective_n_threads

    load_before = os.getloadavg()
    source = report.source_state()  # the code that runs: a standalone run outlives commits landing meanwhile
    print(f"{name}: load average before {load_before}")
    dataset = load_dataset(name)
    records = []
    for max_rule_len in sorted({2} | {run[0] for run in runs}, reverse=True):
        records += _fit_ours(dataset, max_rule_len, effective_n_threads(None), seeds)
    binary = _binarize(dataset)
    print(f"imodels input: {binary.X_train.shape[1]} binary columns", flush=True)
    command = "python -m benchmarks.families.rule_list " + " ".join(sys.argv[1:])

    def save(rows):
        payload = report.build_payload(FAMILY, rows, BenchConfig((name,), len(seeds)), command=command,
                                       load_before=load_before, source=source)
        payload = report.merge_previous(payload, report.read_family_json(FAMILY))
        return report.write_family_json(payload)

    for i, (max_rule_len, n_iter, budget) in enumerate(runs):
        checkpoint = (lambda partial: save(records + [partial])) if write else None
        records.append(_fit_imodels(binary, max_rule_len, n_iter, budget, probes if i == 0 else (), seeds,
                                    checkpoint))
    print(f"load average after {os.getloadavg()}")
    if write:
        print(f"wrote {save(records)}")


def _parse_run(text):
    """``"WIDTH:N_ITER[:BUDGET_S]"`` -> ``(width, n_iter, budget or None)``."""
    parts = [int(p) for p in text.split(":")]
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


if __name__ == "__main__":
    import sys

    # python -m benchmarks.families.rule_list DATASET WIDTH:N_ITER[:BUDGET_S] ... [--seeds 0,1,2] [--probe N ...]
    args = sys.argv[2:]
    chosen = SEEDS
    if "--seeds" in args:
        at = args.index("--seeds")
        chosen = tuple(int(seed) for seed in args[at + 1].split(","))
        del args[at : at + 2]
    cut = args.index("--probe") if "--probe" in args else len(args)
    _standalone(sys.argv[1], [_parse_run(a) for a in args[:cut]], [int(n) for n in args[cut + 1 :]], chosen)
