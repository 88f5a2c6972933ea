"""The window's process: BLAS shares the cores with the GUI and the workers."""

import os

from threadpoolctl import threadpool_info

from visualizer.app.common.application import make_app


def test_blas_gets_half_the_cores_once_the_app_exists(qapp):
    make_app()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(n <= max(1, cores // 2) for n in blas)
