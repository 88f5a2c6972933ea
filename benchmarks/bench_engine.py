"""Engine speed against the course's own code, measured side by side in one run.

Goals (issue 2): the course run (2000 iterations at alpha = 0.005, set-up included) at
least 40x faster than the course's reference implementation; a 100 x 100 slice of J for
m = 209 in 10 ms or less. Prints one JSON line. Skips when ../shared has no course data.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.core import GradientDescent, SurfaceSlice, w_direction_plane  # noqa: E402
from visualizer.core.reference.lecture import course_reference_model  # noqa: E402
from visualizer.data import read_course_h5  # noqa: E402

COURSE = ROOT.parent / "shared" / "datasets" / "catvnoncat"


def best_of(repeats: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> int:
    train_file, test_file = COURSE / "train_catvnoncat.h5", COURSE / "test_catvnoncat.h5"
    if not (train_file.is_file() and test_file.is_file()):
        print(json.dumps({"benchmark": "engine", "skipped": f"no course data at {COURSE}"}))
        return 0
    train, test = read_course_h5(train_file), read_course_h5(test_file)

    def ours():
        gd = GradientDescent(train.X, train.Y, alpha=0.005, X_test=test.X, Y_test=test.Y, metric_stride=2000)
        gd.step(2000)
        return gd.metrics()

    def reference():
        return course_reference_model(train.X, train.Y, test.X, test.Y, 2000, 0.005)

    ours_s, ours_m = best_of(5, ours)
    ref_s, ref_m = best_of(3, reference)
    assert abs(ours_m["train_accuracy"] - ref_m["train_accuracy"]) < 1e-9

    gd = GradientDescent(train.X, train.Y)
    gd.step(300)
    sl = SurfaceSlice(gd.param, gd.loss, gd.y, w_direction_plane(gd.param, gd.theta, gd.gradient()))
    S, T = np.linspace(-1, 2, 100), np.linspace(-1, 1, 100)
    grid_s, _ = best_of(20, lambda: sl.grid(S, T))

    result = {
        "benchmark": "engine",
        "course_run_reference_s": round(ref_s, 4),
        "course_run_ours_s": round(ours_s, 4),
        "speedup": round(ref_s / ours_s, 1),
        "speedup_goal": 40,
        "method": gd.method,
        "slice_100x100_ms": round(grid_s * 1000, 2),
        "slice_goal_ms": 10,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
