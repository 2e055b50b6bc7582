"""Cython extension table for glassbox.

All package metadata lives in ``pyproject.toml``; this file only says which
Cython modules to compile and how.  Environment switches (docs/install.rst):

``GLASSBOX_DEBUG=1``
    bounds checks, wrap-around and initialisation checks turned on, ``-O0 -g``
    (slow, for hunting memory errors in kernels); every .pyx is re-cythonized.
``GLASSBOX_NO_OPENMP=1``
    serial kernels, built without OpenMP.
"""

import os
import platform
import sys
import tempfile
import textwrap

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

# After setuptools, whose import installs its own distutils (the only one from Python 3.12 on):
# the compiler helpers of the OpenMP probe are distutils' API, which that copy keeps.
from distutils.ccompiler import new_compiler  # isort: skip
from distutils.sysconfig import customize_compiler  # isort: skip

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


def cythonize_options(debug=DEBUG, argv=sys.argv):
    """Keyword arguments for ``cythonize``.

    Cython's up-to-date check looks at the .pyx and its dependencies, not at the
    directives, so an existing .c would survive a change of directives: a debug
    build regenerates every file, and so does ``--force`` (the way back).
    """
    return {
        "compiler_directives": {
            "language_level": 3,
            "boundscheck": debug,
            "wraparound": debug,
            "initializedcheck": debug,
            # not nonecheck: a nogil method of a cdef class cannot check ``self`` for None without the GIL
            "nonecheck": False,
            "cdivision": not debug,
            "embedsignature": True,
        },
        "force": debug or "--force" in argv,
    }


# uses the runtime library (omp_get_max_threads) as well as the pragma, so linking is tested too
_OPENMP_PROBE = textwrap.dedent("""
    #include <omp.h>
    #include <stdio.h>
    int main(void) {
        int threads = 0;
        #pragma omp parallel reduction(+:threads)
        threads += 1;
        printf("%d threads, at most %d\\n", threads, omp_get_max_threads());
        return 0;
    }
""")


def openmp_supported(flags):
    """Whether the configured C compiler (``CC``, ``CFLAGS``, ...) compiles and links OpenMP code with ``flags``."""
    compiler = new_compiler()
    customize_compiler(compiler)
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "openmp_probe.c")
        with open(source, "w") as file:
            file.write(_OPENMP_PROBE)
        try:
            objects = compiler.compile([source], output_dir=work, extra_postargs=flags)
            compiler.link_executable(objects, "openmp_probe", output_dir=work, extra_postargs=flags)
        except Exception:  # CompileError, LinkError: the toolchain has no usable OpenMP
            return False
    return True


def openmp_flags():
    """-fopenmp where the toolchain has it, else nothing: the prange loops then compile to serial loops."""
    if os.environ.get("GLASSBOX_NO_OPENMP", "0") not in ("", "0"):
        print("GLASSBOX_NO_OPENMP is set: building serial kernels without OpenMP")
        return []
    # only gcc-style toolchains on Linux are tried; elsewhere the kernels are serial
    if not sys.platform.startswith("linux"):
        return []
    if not openmp_supported(["-fopenmp"]):
        print("WARNING: the C compiler cannot build OpenMP code (-fopenmp); glassbox's kernels will run "
              "on one thread. Install the compiler's OpenMP runtime (e.g. libomp for clang) and rebuild "
              "to use several cores, or set GLASSBOX_NO_OPENMP=1 to silence this.")
        return []
    return ["-fopenmp"]


def _extension(module, openmp, openmp_args):
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
        extra_compile_args=flags + (openmp_args if openmp else []),
        extra_link_args=openmp_args if openmp else [],
    )


if __name__ == "__main__":
    threads = openmp_flags()
    setup(
        ext_modules=cythonize(
            [_extension(module, openmp, threads) for module, openmp in EXTENSIONS],
            **cythonize_options(),
        ),
    )
