"""How many threads BLAS may use: half the cores, for the window and the command line alike.

OpenBLAS gives every call all the cores. With two threads on two cores spinning against each other (the
window's GUI thread and worker, or another program) a demo run under Xvfb went from 22k to 31k iterations a
second and from 32 to 42 frames a second with half; on the command line, 100 Adam iterations of the
course's deep model took 1.4–1.9 s with one thread of two and 2.2–9.7 s with both (the same costs to the
bit), the course's logistic regression 0.37 s against 0.65–0.77 s (costs within 7e-15 of each other).
"""

from __future__ import annotations

import os

from threadpoolctl import threadpool_limits


def share_cores() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    threadpool_limits(max(1, cores // 2), user_api="blas")
