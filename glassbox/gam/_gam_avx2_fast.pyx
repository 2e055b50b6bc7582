# The kernels of _gam_fast.pyx, compiled a second time with AVX2 instructions (setup.py adds
# -mavx2 on x86_64 for modules named *_avx2_fast): eight lanes of single precision per
# instruction in the gradient loop instead of four, four of double precision around it.
# No fused multiply-add is enabled, so every operation rounds as in the SSE2 build and
# both give the same bits (tests/gam/test_gam_kernels.py checks it).  Importing this
# module runs AVX2 instructions: import it only where _gam_fast.cpu_has_avx2() says so.
include "_gam_fast.pyx"
