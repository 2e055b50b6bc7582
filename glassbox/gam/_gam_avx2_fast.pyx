# The kernels of _gam_fast.pyx (the row passes and the boosting loop, with the inline losses of
# _gam_losses.pxd), compiled a second time with AVX2 instructions (setup.py adds -mavx2 on x86_64
# for modules named *_avx2_fast): eight lanes of single precision per instruction in the gradient
# loop instead of four, four of double precision around it.  The per-term updates it cimports
# (_gam_terms_fast, _gam_split_fast) run over bins, not rows, and are shared with the SSE2 build.
# No fused multiply-add is enabled, so every operation rounds as in the SSE2 build and
# both give the same bits (tests/gam/test_gam_kernels.py checks it).  Importing this
# module runs AVX2 instructions: import it only where _gam_fast.cpu_has_avx2() says so.
include "_gam_fast.pyx"
