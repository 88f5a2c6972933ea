"""The command line gives BLAS half the cores, as the window does: two OpenBLAS threads on two busy cores made
100 Adam iterations of the course's deep model take 9.7 s instead of 1.4 s."""

import os
import subprocess
import sys

PROBE = """
import contextlib, io
from threadpoolctl import threadpool_info
from visualizer.cli.commands import run_cli
with contextlib.redirect_stdout(io.StringIO()):
    code = run_cli(["train", "planar:flower", "--test-fraction", "0", "--iterations", "1"])
print(code, max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"))
"""


def test_train_runs_with_half_the_cores_for_blas():
    cores = len(os.sched_getaffinity(0))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(2 * cores), "OMP_NUM_THREADS": str(2 * cores)}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    code, threads = out.stdout.split()
    assert code == "0" and int(threads) == max(1, cores // 2), out.stderr
