"""Animation export: 200 frames of the contour panel at 1280 x 720, rendered and encoded as a GIF.

Goal (issue 15): at least 15 frames per second, replay, drawing and encoding included. The
baseline, measured in the same run, is drawing alone: the same panel redrawn and grabbed at
one iteration, with no replay and no encoding, which no export can beat. Also measured: the
size of a 10 s GIF at 15 fps (150 frames) of the whole window at 1280 x 720 (goal: under 8 MB).
The GUI thread's and the encoder process's CPU time per frame are reported too: on a busy
machine the wall-clock rate says more about the other work than about this code.
Re-runs itself under xvfb-run when there is no display. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZE = (1280, 720)
FRAMES = 200
ITERATIONS = 2000


def timed_export(view: str, frames: int, out: Path) -> tuple[float, int, float, float]:
    """(seconds, bytes, GUI-thread CPU ms a frame, encoder-process CPU ms a frame) of one export of ``frames``
    frames from a freshly trained window. The CPU times do not depend on what else the machine runs."""
    from visualizer.app.export.animation import Animation
    from visualizer.app.export.screenshot import prepared_window
    from visualizer.app.window.main_window import MainWindow
    from visualizer.data import load_data
    from visualizer.formats.animation_frames import frame_iterations
    from visualizer.model.settings import RunSettings

    train, test = load_data(None)
    window = prepared_window(MainWindow, train, test, RunSettings(alpha=0.005), ITERATIONS, SIZE)
    its = frame_iterations(0, ITERATIONS, frames)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.thread_time()
    animation = Animation(window, view, SIZE, str(out), 15, its)
    while animation.step():
        pass
    gui_ms = 1000 * (time.thread_time() - cpu) / frames
    animation.wait()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    encoder_ms = 1000 * (after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime) / frames
    animation.close()
    return seconds, out.stat().st_size, gui_ms, encoder_ms


def drawing_only_fps(frames: int = 60) -> float:
    """The baseline: the contour panel redrawn and grabbed at one iteration, nothing replayed or encoded."""
    from visualizer.app.export.animation import FrameRenderer
    from visualizer.app.export.screenshot import prepared_window
    from visualizer.app.window.main_window import MainWindow
    from visualizer.data import load_data
    from visualizer.model.settings import RunSettings

    train, test = load_data(None)
    window = prepared_window(MainWindow, train, test, RunSettings(alpha=0.005), ITERATIONS, SIZE)
    renderer = FrameRenderer(window, "contours", SIZE)
    started = time.perf_counter()
    for _ in range(frames):
        window.refresh(force=True)
        renderer.frame(ITERATIONS)
    fps = frames / (time.perf_counter() - started)
    renderer.close()
    return fps


def main() -> int:
    if not os.environ.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            print(json.dumps({"benchmark": "animate", "skipped": "no display and no xvfb-run"}))
            return 0
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 +extension GLX +render", sys.executable, *sys.argv]
        return subprocess.call(cmd)
    from visualizer.app.common.application import make_app

    make_app()
    with tempfile.TemporaryDirectory() as tmp:
        seconds, size, gui_ms, encoder_ms = timed_export("contours", FRAMES, Path(tmp) / "contours.gif")
        baseline = drawing_only_fps()
        _, ten_seconds, _, _ = timed_export("window", 150, Path(tmp) / "window.gif")
    print(json.dumps({
        "benchmark": "animate", "view": "contours", "size": f"{SIZE[0]}x{SIZE[1]}", "frames": FRAMES,
        "fps": round(FRAMES / seconds, 1), "fps_goal": 15, "seconds": round(seconds, 2),
        "gif_mb": round(size / 2**20, 2), "baseline_drawing_only_fps": round(baseline, 1),
        "gui_thread_cpu_ms_per_frame": round(gui_ms, 1), "encoder_cpu_ms_per_frame": round(encoder_ms, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "window_10s_15fps_gif_mb": round(ten_seconds / 2**20, 2), "gif_mb_goal": 8,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
