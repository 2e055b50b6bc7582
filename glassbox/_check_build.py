"""Fail early, with instructions, when the compiled extensions are missing.

Importing glassbox from a source checkout that was never built (or built for
another Python) would otherwise fail deep inside a model module with a bare
``ModuleNotFoundError``.
"""

import importlib
import importlib.util

# Every row of setup.py's EXTENSIONS table (tests/test_build.py keeps the two in step).
_COMPILED = (
    "glassbox.utils._binning_fast",
    "glassbox.utils._conditions_fast",
    "glassbox.utils._openmp_fast",
    "glassbox.scoring._logistic_fast",
    "glassbox.scoring._enumeration_fast",
    "glassbox.linear._cd_objective_fast",
    "glassbox.linear._cd_fast",
    "glassbox.linear._cd_gram_fast",
    "glassbox.linear._cd_sparse_fast",
    "glassbox.rules._mining_fast",
    "glassbox.rules._brl_fast",
    "glassbox.rules._brl_model_fast",
    "glassbox.rules._brl_mcmc_fast",
    "glassbox.rules._brl_polish_fast",
    "glassbox.rules._decision_set_fast",
    "glassbox.gam._gam_fast",
    "glassbox.gam._gam_split_fast",
    "glassbox.gam._gam_terms_fast",
    "glassbox.gam._gam_pairs_fast",
    "glassbox.gam._gam_avx2_fast",
)

_HOW_TO_BUILD = """glassbox's compiled extension {module!r} could not be imported ({error}).

glassbox's hot loops are Cython extensions that must be compiled before use.
From the root of the source tree, run one of:

    pip install .            # regular install
    pip install -e .         # editable install for development
    python setup.py build_ext --inplace   # rebuild after editing a .pyx

This needs a C compiler (gcc or clang) and the Python headers."""


def check_compiled_modules():
    for module in _COMPILED:
        try:
            if module.endswith("_avx2_fast"):
                # importing runs AVX2 instructions, so only find it here; its user checks the CPU first
                if importlib.util.find_spec(module) is None:
                    raise ModuleNotFoundError(f"No module named {module!r}")
                continue
            importlib.import_module(module)
        except ImportError as error:
            raise ImportError(_HOW_TO_BUILD.format(module=module, error=error)) from error


check_compiled_modules()
