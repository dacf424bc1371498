"""Pharos: self-hosted, multi-channel customer support for a cryptocurrency exchange."""

import os

# numpy's BLAS would start a thread per core for each matrix product, and those threads spin
# waiting for cores that other requests hold: one bot question then took 50 ms instead of
# 1 ms of matrix work. A web server parallelises over requests, not inside one.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Where more threads are asked for (the bot's evaluation, an idle machine), OpenMP's workers
# wait briefly for work, then sleep, instead of spinning for their whole time slice.
os.environ.setdefault("GOMP_SPINCOUNT", "10000")
