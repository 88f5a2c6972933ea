"""The real window under Xvfb (Mesa's software OpenGL), training at full speed for 10 s.

Goals (issue 4): at least 30 frames drawn per second at 1280 x 800; the 95th percentile
of the delay between posting an input event and its handling at most 50 ms; training at
no less than a third of the bare engine's speed, measured in the same run. Re-runs
itself under xvfb-run when there is no display. Prints one JSON line.

It runs three times on a fresh run and three times on a run with a 20,000-iteration history
(each in its own process) and reports every run and the worst, since a goal holds when the
worst run meets it. ``--seconds 180 --one`` is the long-run soak (issue 10): frames per
second, input delay and RSS for each 20 s window, which should not degrade as the history grows.

``--large`` (the optimizers issue): the window on 20,000 images of 64 px (float32 X, 983 MB, made
in memory) training mini-batches of 64, three runs; goals: input delay p95 at most 50 ms and
training at no less than a third of the bare engine's mini-batch speed, measured in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WINDOW_S = 20.0


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def option(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> int:
    if not os.environ.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            print(json.dumps({"benchmark": "ui", "skipped": "no display and no xvfb-run"}))
            return 0
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 +extension GLX +render", sys.executable, *sys.argv]
        return subprocess.call(cmd)
    large = "--large" in sys.argv
    if "--one" in sys.argv:
        return one_run(option("--seconds", 10.0), int(option("--history", 0)), large)
    summary = {"benchmark": "ui-large" if large else "ui", "frames_goal": 30, "input_delay_goal_ms": 50,
               "ratio_goal": 0.33}
    for history in (0,) if large else (0, 20_000):
        runs = []
        for _ in range(3):
            out = subprocess.run([sys.executable, __file__, "--one", "--history", str(history),
                                  *(["--large"] if large else [])],
                                 capture_output=True, text=True, check=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        summary[f"history_{history}"] = {
            "fps": [r["frames_per_second"] for r in runs], "worst_fps": min(r["frames_per_second"] for r in runs),
            "input_delay_p95_ms": [r["input_delay_p95_ms"] for r in runs],
            "worst_input_delay_p95_ms": max(r["input_delay_p95_ms"] for r in runs),
            "ratio_to_bare": [r["ratio_to_bare"] for r in runs]}
    print(json.dumps(summary))
    return 0


def large_set(m: int = 20_000, n_px: int = 64, seed: int = 0):
    """m random images (two classes of different mean colour), as the data package builds them: float32 X."""
    import numpy as np

    from visualizer.data import Dataset, images_to_x

    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, m)
    images = rng.integers(0, 200, (m, n_px, n_px, 3), dtype=np.uint8)
    images[y == 1, :, :, 0] += 40  # the positive class is a little redder
    X = images_to_x(images, np.float32)
    return Dataset(X, y.reshape(1, m).astype(float), images, [f"{i}.png" for i in range(m)], ("other", "red"),
                   "generated")


def one_run(seconds: float, history: int, large: bool = False) -> int:
    import numpy as np
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStandardPaths

    from visualizer.app.common.application import make_app
    from visualizer.app.window.main_window import MainWindow
    from visualizer.core import GradientDescent
    from visualizer.core.optim.optimizers import Optimizer
    from visualizer.data import load_data
    from visualizer.model.settings import RunSettings

    if large:
        train, test, settings = large_set(), None, RunSettings(alpha=0.001, batch_size=64, speed=None)
    else:
        (train, test), settings = load_data(), RunSettings(speed=None)  # full speed, not the watchable pace
    timed = 2000 if large else 20000
    rates = []
    for _ in range(3):  # one timing of a fifth of a second varied from 69k to 109k it/s: the median of three
        bare = GradientDescent(train.X, train.Y, X_test=None if test is None else test.X,
                               Y_test=None if test is None else test.Y, alpha=settings.alpha,
                               optimizer=Optimizer.from_settings(settings))
        t = time.perf_counter()
        bare.step(timed)
        rates.append(timed / (time.perf_counter() - t))
        del bare
    bare_rate = float(np.median(rates))

    QStandardPaths.setTestModeEnabled(True)
    app = make_app()
    window = MainWindow(train, test, settings, remember_layout=False)
    window.ask_before_closing = False  # a benchmark has nothing to save
    if history:  # a run that has gone on for a while: its curve and history are long
        window.controller.gd.step(history)
        window.controller.latest = window.controller._snapshot()
    window.resize(1280, 800)
    window.show()

    class PaintCounter(QObject):
        def __init__(self):
            super().__init__()
            self.paints = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    class Probe(QObject):
        """Receives posted events and records how long each waited."""

        def __init__(self):
            super().__init__()
            self.delays: list[float] = []

        def event(self, event):
            if event.type() == QEvent.Type.User:
                self.delays.append(time.perf_counter() - event.posted_at)
                return True
            return super().event(event)

    counter, probe = PaintCounter(), Probe()
    window.cost_curve.view.viewport().installEventFilter(counter)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        app.processEvents()
    window.state.change_settings(budget=10**9)
    window.controller.start()
    start_iteration, start_paints, start_frames = window.controller.gd.iteration, counter.paints, window.frames
    started = time.perf_counter()
    next_post = started
    windows, mark = [], (started, counter.paints, window.frames, 0, window.controller.gd.iteration)
    rss_start = rss_mb()
    while (now := time.perf_counter()) - started < seconds:
        if now >= next_post:
            ev = QEvent(QEvent.Type.User)
            ev.posted_at = time.perf_counter()
            QCoreApplication.postEvent(probe, ev)
            next_post = now + 0.02
        app.processEvents()
        time.sleep(0.001)
        if seconds > WINDOW_S and now - mark[0] >= WINDOW_S:
            t0, p0, f0, d0, i0 = mark
            delays = probe.delays[d0:]
            windows.append({"at_s": round(now - started), "fps": round(min(counter.paints - p0, window.frames - f0)
                                                                        / (now - t0), 1),
                            "delay_p95_ms": round(1000 * float(np.percentile(delays, 95)), 1) if delays else None,
                            "rss_mb": round(rss_mb()), "iteration": window.controller.gd.iteration})
            mark = (now, counter.paints, window.frames, len(probe.delays), window.controller.gd.iteration)
    elapsed = time.perf_counter() - started
    iterations = window.controller.gd.iteration - start_iteration
    # A frame counts when the panels were updated and the screen was painted after it.
    drawn = min(counter.paints - start_paints, window.frames - start_frames)
    rss_end = rss_mb()
    window.close()
    app.processEvents()
    result = {
        "benchmark": "ui",
        "history": history,
        **({"m": train.m, "n_x": train.n_x, "batch_size": settings.batch_size} if large else {}),
        "seconds": round(elapsed, 1),
        "frames_per_second": round(drawn / elapsed, 1),
        "frames_goal": 30,
        "input_delay_p95_ms": round(1000 * float(np.percentile(probe.delays, 95)), 1),
        "input_delay_goal_ms": 50,
        "iterations_per_second": round(iterations / elapsed),
        "bare_engine_iterations_per_second": round(bare_rate),
        "ratio_to_bare": round(iterations / elapsed / bare_rate, 2),
        "ratio_goal": 0.33,
        "rss_mb_start_end": [round(rss_start), round(rss_end)],
        **({"windows": windows} if windows else {}),
        "choices": "3-D view on a QOpenGLWindow in a window container (a QOpenGLWidget made Qt composite the "
                   "whole window through GL: ~10 fps); surface and weights redrawn at most 5/s, on alternate "
                   "frames; 2-D panels at most 50/s from the latest snapshot; axes moved in 1-2-5 steps; "
                   "hidden docks skipped; GIL switch interval 1 ms while training",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
