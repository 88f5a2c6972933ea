"""`animate` and `screenshot` against a user who presses Ctrl+C, asks for too many frames or a long lesson.

Ctrl+C is sent as a terminal sends it: to the whole process group (the GIF encoder's process
too), with stderr a terminal, so the moment can be chosen by the frames the bar has shown.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from visualizer.formats.animation_frames import MAX_FRAMES, AnimationError, frame_count, frame_iterations

ANIMATE = ["animate", "out.gif", "--view", "cost", "--size", "640x480", "--frames", "300"]


class Terminal:
    """``visualizer ARGS`` in a session of its own with stderr on a pseudo-terminal, as from a shell."""

    def __init__(self, args: list[str], cwd: Path):
        master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "visualizer", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=slave, start_new_session=True)
        os.close(slave)
        self.master, self.text = master, ""

    def read_until(self, shown, seconds: float = 120) -> bool:
        """Read the terminal until ``shown(text)`` (or a regular expression) holds: True; False if the program ends."""
        test = shown if callable(shown) else lambda text: re.search(shown, text)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if test(self.text):
                return True
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # EIO: the program ended
                    return False
                if not chunk:
                    return False
                self.text += chunk.decode(errors="replace")
        raise AssertionError(f"{shown!r} did not hold within {seconds} s: {self.text[-300:]!r}")

    def ctrl_c(self, times: int = 1) -> None:
        for _ in range(times):
            os.killpg(self.process.pid, signal.SIGINT)

    def finish(self, seconds: float = 60) -> int:
        try:
            code = self.process.wait(timeout=seconds)
            self._drain()
            return code
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            os.close(self.master)

    def _drain(self) -> None:
        while select.select([self.master], [], [], 0.2)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.text += chunk.decode(errors="replace")


#: Ctrl+C arriving while Qt paints a curve: Python raises KeyboardInterrupt inside pyqtgraph's paint().
CTRL_C_IN_PAINT = """
import os, signal
import pyqtgraph as pg
real, calls = pg.PlotCurveItem._shouldUseDrawLineSegments, [0]
def pressed_while_painting(self, pen):
    calls[0] += 1
    if calls[0] == 400:
        os.kill(os.getpid(), signal.SIGINT)
    return real(self, pen)
pg.PlotCurveItem._shouldUseDrawLineSegments = pressed_while_painting
"""


def test_ctrl_c_inside_a_paint_is_not_swallowed(tmp_path):
    """pyqtgraph's paint() catches every exception ("Ignored exception: KeyboardInterrupt"): the GIF was finished
    and the command said 0. Noted by a flag and acted on between frames, it stops the run wherever it lands."""
    code = f"import sys\n{CTRL_C_IN_PAINT}\nfrom visualizer.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    out = subprocess.run([sys.executable, "-c", code, *ANIMATE], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 130 and out.stderr == "visualizer: interrupted\n", (out.returncode, out.stderr[-800:])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("frame, presses", [(1, 1), (150, 3)])
def test_ctrl_c_while_frames_are_drawn_exits_130_and_writes_nothing(tmp_path, frame, presses):
    """It segfaulted in grab_view (2 of 11 tries), or pyqtgraph swallowed it and the GIF was finished."""
    term = Terminal(ANIMATE, tmp_path)
    assert term.read_until(lambda text: max(map(int, re.findall(r"(\d+)/300", text)), default=0) >= frame), term.text
    term.ctrl_c(presses)
    code = term.finish()
    assert code == 130, (code, term.text)
    assert re.split(r"[\r\n]+", term.text.strip())[-1] == "visualizer: interrupted", term.text  # the bar cleared
    assert "Traceback" not in term.text and "Ignored exception" not in term.text
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor a temporary file


def test_ctrl_c_while_the_run_is_trained_exits_130_and_writes_nothing(tmp_path):
    term = Terminal([*ANIMATE, "--iterations", "1000000000"], tmp_path)
    assert term.read_until(r"visualizer: iteration [\d,]+ of 1,000,000,000"), term.text
    term.ctrl_c()
    assert term.finish() == 130, term.text
    assert "Traceback" not in term.text and list(tmp_path.iterdir()) == []


def test_a_long_lesson_shows_its_progress_and_ctrl_c_stops_it(tmp_path):
    """100,000 Adam iterations on batches of one took about 157 s with nothing on the screen."""
    lesson = tmp_path / "long.toml"
    lesson.write_text('title = "Long"\niterations = 100000\n[settings]\noptimizer = "adam"\nbatch_size = 1\n')
    term = Terminal(["screenshot", "out.png", "--lesson", "long.toml", "--view", "cost", "--size", "640x480"],
                    tmp_path)
    assert term.read_until(r"visualizer: iteration [\d,]+ of 100,000 \(\d+ %\)"), term.text
    term.ctrl_c()
    assert term.finish() == 130, term.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.toml"]


# ---------------------------------------------------------------- one cap on the frame count
def test_every_is_held_to_the_frame_cap_without_building_the_list():
    assert frame_count(0, 25, every=10) == len(frame_iterations(0, 25, every=10)) == 4
    assert frame_count(5, 25, every=10) == 3 and frame_count(0, 2000, frames=50, log=True) == 50
    assert frame_count(0, 5, frames=50) == 6  # fewer iterations than frames: every one
    for start, stop, every in ((0, 20_000, 1), (0, 10**9, 1), (0, 10**9, 10**5 - 1)):
        with pytest.raises(AnimationError, match=f"at most {MAX_FRAMES:,} frames"):
            frame_iterations(start, stop, every=every)
    assert len(frame_iterations(0, MAX_FRAMES - 1, every=1)) == MAX_FRAMES  # the cap itself is allowed


def _animate(*args, limit_gb: float | None = None, timeout: float = 120):
    prelude = ("import resource; resource.setrlimit(resource.RLIMIT_AS, "
               f"({int(limit_gb * 2**30)}, {int(limit_gb * 2**30)}))\n" if limit_gb else "")
    code = f"import sys\n{prelude}from visualizer.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "animate", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("iterations", ["20000", "1000000000"])
def test_animate_every_cannot_get_round_the_frame_cap(tmp_path, iterations):
    """--every 1 on 10^9 iterations built a 36 GB list (MemoryError under a limit); on 20,000 it wrote 20,001
    frames in 259 s though --frames 10001 is refused. Both are one line, before any training."""
    out = tmp_path / "a.gif"
    result = _animate(out, "--iterations", iterations, "--every", "1", "--view", "cost", limit_gb=3, timeout=60)
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.count("\n") == 1 and f"at most {MAX_FRAMES:,} frames" in result.stderr
    assert not out.exists()
