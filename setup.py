"""Cython extension table for glassbox.

All package metadata lives in ``pyproject.toml``; this file only says which
Cython modules to compile and how.  Set ``GLASSBOX_DEBUG=1`` in the environment
to build with bounds checks, wrap-around and initialisation checks turned on
(slow, for hunting memory errors in kernels).
"""

import os
import platform
import sys

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

# One row per compiled module: (dotted module name, uses OpenMP threads).
EXTENSIONS = [
    ("glassbox.utils._binning_fast", True),
    ("glassbox.utils._conditions_fast", True),
    ("glassbox.utils._openmp_fast", True),
    ("glassbox.scoring._logistic_fast", True),
    ("glassbox.scoring._enumeration_fast", False),
    ("glassbox.linear._cd_objective_fast", False),
    ("glassbox.linear._cd_fast", False),
    ("glassbox.linear._cd_gram_fast", False),
    ("glassbox.linear._cd_sparse_fast", False),
    ("glassbox.rules._mining_fast", False),
    ("glassbox.rules._brl_fast", True),
    ("glassbox.rules._brl_model_fast", False),
    ("glassbox.rules._brl_mcmc_fast", False),
    ("glassbox.rules._brl_polish_fast", True),
    ("glassbox.rules._decision_set_fast", True),
    ("glassbox.gam._gam_fast", True),
    ("glassbox.gam._gam_split_fast", False),
    ("glassbox.gam._gam_terms_fast", False),
    ("glassbox.gam._gam_pairs_fast", True),
    ("glassbox.gam._gam_avx2_fast", True),
]

DEBUG = os.environ.get("GLASSBOX_DEBUG", "0") not in ("", "0")

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "nonecheck": DEBUG,
    "cdivision": not DEBUG,
    "embedsignature": True,
}

# OpenMP is only requested where the toolchain is known to ship it (gcc on
# Linux); elsewhere the prange loops compile to serial loops.
OPENMP_FLAGS = ["-fopenmp"] if sys.platform.startswith("linux") else []


def _extension(module, openmp):
    flags = ["-O0", "-g"] if DEBUG else ["-O3"]
    # Hardware popcount for the bitset kernels (every x86_64 CPU since 2008 has it).
    flags += ["-mpopcnt"] if platform.machine().lower() in ("x86_64", "amd64") and sys.platform != "win32" else []
    # *_avx2_fast: the same kernels built for AVX2, imported only after a CPU check (see glassbox/gam/_boosting.py)
    flags += ["-mavx2"] if module.endswith("_avx2_fast") and "-mpopcnt" in flags else []
    return Extension(
        module,
        sources=[module.replace(".", "/") + ".pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=flags + (OPENMP_FLAGS if openmp else []),
        extra_link_args=OPENMP_FLAGS if openmp else [],
    )


setup(
    ext_modules=cythonize(
        [_extension(module, openmp) for module, openmp in EXTENSIONS],
        compiler_directives=COMPILER_DIRECTIVES,
    ),
)
