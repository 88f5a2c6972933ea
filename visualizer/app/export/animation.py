"""Animations of a run: each frame is the window (or one panel) set to a recorded iteration, never the screen.

A window off the screen is set to iteration i through the state's intent ``look_at(i)``
(replayed from the history, as the timeline does) and grabbed exactly as a screenshot is
(``screenshot.grab_view``), at the size asked for: a panel alone is laid out at that size.
Widgets can only be drawn on the GUI thread, so frames are drawn there while an
``Encoder`` on a ``Worker`` packs them: a GIF with one shared palette (Pillow) or an MP4
(imageio-ffmpeg, the optional ``video`` extra). The file goes through the atomic writer.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from visualizer.app.common.application import settle
from visualizer.app.export.screenshot import export_window, grab_view
from visualizer.app.run.worker import Worker
from visualizer.formats.animation_frames import (
    CANCEL,
    END,
    EXIT_CANCELLED,
    FRAME,
    SAMPLE,
    AnimationError,
    Cancelled,
    frame_iterations,
    send_frame,
    video_problem,
)
from visualizer.fs.atomic import StorageError, atomic_write
from visualizer.model.panels import ANIMATED_VIEWS, CENTRE, VIEWS, WINDOW, panel_of
from visualizer.model.settings import RunSettings

#: What an animation can show, by the names `animate --view` uses, with the export dialog's titles.
VIEW_TITLES = {v.key: v.title for v in ANIMATED_VIEWS}


class FrameRenderer:
    """One view of ``window`` at ``size`` pixels, drawn at any iteration the run can replay.

    The whole window is resized; the panel in the window's middle (the surface) has the window
    to itself (the docks hidden); any other panel, or part of one, is moved into a host of its
    own, off the screen, at ``size`` (its dock stays shown, so the window goes on drawing it).
    """

    def __init__(self, window, view: str, size: tuple[int, int]):
        if view not in VIEW_TITLES:
            raise AnimationError(f"unknown view {view!r}; choose one of {', '.join(VIEW_TITLES)}")
        self.window, self.view, self.size = window, view, size
        self.host: QWidget | None = None
        whole = view == WINDOW.key
        panel = None if whole else panel_of(view)
        if whole:
            window.resize(*size)
        else:
            for name, dock in window.docks.items():
                dock.setVisible(name == panel.key)
        if panel is not None and panel.area == CENTRE and view == panel.key:
            # the window around it grows by what the menu and status bars take
            for _ in range(4):
                settle(0.1)
                drawn = window.view_widget(view).size()
                if (drawn.width(), drawn.height()) == size:
                    break
                window.resize(window.width() + size[0] - drawn.width(), window.height() + size[1] - drawn.height())
        elif not whole:
            self.host = QWidget()
            self.host.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            layout = QVBoxLayout(self.host)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(window.view_widget(view))
            self.host.resize(*size)
            self.host.show()
        settle(0.3)
        drawn = (self.window if whole else window.view_widget(view)).size()
        if (drawn.width(), drawn.height()) != tuple(size):
            self.close()
            what = "the whole window" if whole else f"the {view} panel"
            raise AnimationError(f"{what} cannot be drawn at {size[0]}x{size[1]}: it needs at least "
                                 f"{max(drawn.width(), size[0])}x{max(drawn.height(), size[1])}")
        window.refresh(force=True)

    def frame(self, iteration: int) -> QImage:
        """The view at ``iteration``: the state's look_at redraws the window when the iteration changes."""
        self.window.state.look_at(iteration)
        self.window.refresh()  # draws only if look_at did not (the same iteration again)
        self._settle()
        return grab_view(self.window, self.view).convertToFormat(QImage.Format.Format_RGB32)

    def _settle(self) -> None:
        """Let the layouts follow the new content (a note that gains a line moves the plots) and the 3-D view
        paint: its grab reads the framebuffer as last painted, which happens only from the event loop.

        A view without the 3-D one needs only the layouts: the full event loop would also repaint
        the hidden windows, a third of a frame's time for nothing.
        """
        app = QApplication.instance()
        gl = self.window.surface.gl if VIEWS[self.view].gl else None
        for _ in range(2):
            if gl is None:
                app.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            else:
                app.sendPostedEvents()
                app.processEvents()
        if gl is not None:
            QCoreApplication.sendEvent(gl.window, QEvent(QEvent.Type.UpdateRequest))

    def close(self) -> None:
        self.window.close()
        if self.host is not None:
            self.host.close()
            self.host.deleteLater()
        self.window.deleteLater()


def image_bytes(image: QImage) -> tuple[bytes, int, int, int]:
    """(pixels as B, G, R, X bytes, width, height, bytes per line): a copy the encoder's thread may keep."""
    return bytes(image.constBits()), image.width(), image.height(), image.bytesPerLine()


class Encoder:
    """Frames in on the GUI thread, a GIF or MP4 out from a Worker, which writes each frame as it comes.

    ``samples`` (a few frames across the run) give the GIF its one palette. The queue is
    short and the file is written as the frames come, so memory stays flat however long it is.
    The GIF is packed by a process of its own (``animation_frames.encode_gif``) and the MP4 by
    ffmpeg's: Pillow's encoder holds Python's lock, which would stall the drawing.
    """

    def __init__(self, out: str, fps: float, frames: int, samples: list[QImage], parent=None):
        self.out, self.fps, self.frames = out, fps, frames
        self.kind = Path(out).suffix.lower()
        self.samples = [image_bytes(s) for s in samples]
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: Exception | None = None
        self.worker = Worker(self._work, parent, expected=(StorageError, AnimationError, OSError))

    def start(self) -> None:
        self.worker.start()

    def put(self, image: QImage | None) -> None:
        """Hand over one frame (None: the last was handed over); waits while the encoder is 4 frames behind."""
        item = None if image is None else image_bytes(image)
        while not self.worker.isFinished():  # a worker that failed takes no more
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def cancel(self) -> None:
        self.worker.cancel()
        self.worker.wait()

    def _frames(self, cancelled):
        """The frames as they arrive, until the end or a cancel."""
        while not cancelled():
            try:
                frame = self.queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if frame is None:
                return
            yield frame
        raise Cancelled

    def _work(self, cancelled, progress):
        try:
            (self._gif if self.kind == ".gif" else self._mp4)(cancelled, progress)
        except Cancelled:
            return None
        except Exception as exc:
            self.error = exc
            raise
        return self.out

    def _gif(self, cancelled, progress) -> None:
        package = Path(__file__).resolve().parents[2]  # where this copy of visualizer lives, for the child
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))}
        child = subprocess.Popen([sys.executable, "-m", "visualizer.formats.animation_frames", self.out, str(self.fps)],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            for sample in self.samples:
                send_frame(child.stdin, SAMPLE, sample)
            for done, frame in enumerate(self._frames(cancelled), start=1):
                send_frame(child.stdin, FRAME, frame)
                progress(done, self.frames)
            send_frame(child.stdin, END)
        except Cancelled:
            send_frame(child.stdin, CANCEL)
            raise
        except BrokenPipeError:
            pass  # the encoder stopped: its message says why
        finally:
            with contextlib.suppress(BrokenPipeError):
                child.stdin.close()
            error = child.stderr.read().decode(errors="replace").strip()
            child.stderr.close()
            child.wait()
        if child.returncode not in (0, EXIT_CANCELLED):
            raise AnimationError(error.splitlines()[-1] if error else f"the GIF encoder stopped ({child.returncode})")

    def _mp4(self, cancelled, progress) -> None:
        if (problem := video_problem()) is not None:
            raise AnimationError(problem)
        import imageio_ffmpeg

        with tempfile.TemporaryDirectory(prefix="visualizer-") as tmp:
            path = Path(tmp) / "animation.mp4"
            writer = None
            for done, (data, w, h, stride) in enumerate(self._frames(cancelled), start=1):
                pixels = np.frombuffer(data, np.uint8).reshape(h, stride)[:, : w * 4].reshape(h, w, 4)
                if writer is None:  # H.264 in yuv420p wants even sides: an odd last row or column is left out
                    even = (w - w % 2, h - h % 2)
                    writer = imageio_ffmpeg.write_frames(str(path), even, fps=self.fps, codec="libx264",
                                                         pix_fmt_in="bgra", pix_fmt_out="yuv420p", quality=8,
                                                         macro_block_size=1, ffmpeg_log_level="error")
                    writer.send(None)
                writer.send(np.ascontiguousarray(pixels[: even[1], : even[0]]).tobytes())
                progress(done, self.frames)
            if writer is None:
                raise AnimationError("no frames were drawn")
            writer.close()

            def copy(f):
                with open(path, "rb") as src:
                    shutil.copyfileobj(src, f)

            atomic_write(self.out, copy)


class Animation:
    """Draws the frames one ``step()`` at a time on the GUI thread and hands them to an Encoder.

    For a GIF, five frames across the run (the first, the last and three between) are drawn first:
    they choose the palette.
    """

    def __init__(self, window, view: str, size: tuple[int, int], out: str, fps: float, iterations: list[int],
                 parent=None):
        self.iterations, self.done = iterations, 0
        self.renderer = FrameRenderer(window, view, size)
        self.samples: dict[int, QImage] = {}
        if Path(out).suffix.lower() == ".gif":
            last = len(iterations) - 1
            for k in sorted({0, last // 4, last // 2, 3 * last // 4, last}):
                self.samples[k] = self.renderer.frame(iterations[k])
        self.encoder = Encoder(out, fps, len(iterations), list(self.samples.values()), parent)
        self.encoder.start()

    def step(self) -> bool:
        """Draw the next frame and hand it over; False once every frame has been handed over."""
        if self.encoder.worker.isFinished() and self.encoder.error is not None:
            raise self.encoder.error  # the file cannot be written: drawing on is for nothing
        k = self.done
        image = self.samples.pop(k) if k in self.samples else self.renderer.frame(self.iterations[k])
        self.encoder.put(image)
        self.done += 1
        if self.done < len(self.iterations):
            return True
        self.encoder.put(None)
        return False

    def wait(self) -> None:
        """Until the file is written; its error, if any, is raised here."""
        self.encoder.worker.wait()
        if self.encoder.error is not None:
            raise self.encoder.error

    def cancel(self) -> None:
        self.encoder.cancel()

    def close(self) -> None:
        self.renderer.close()


def render_animation(new_window, out: str, data: str | None = None, iterations: int = 2000,
                     settings: RunSettings | None = None,
                     size: tuple[int, int] = (1280, 800), view: str = "window", fps: float = 15,
                     frames: int | None = None, every: int | None = None, log: bool = False,
                     start: int = 0, stop: int | None = None, progress=None, lesson=None, training=None,
                     cancelled=None, test_fraction: float | None = None) -> list[int]:
    """`visualizer animate`: train ``iterations``, then animate start..stop (default: all of it); the iterations drawn.

    ``new_window``: the main window's class. ``settings``: the run's, built and checked by the caller (None: the
    defaults). ``progress(done, total)`` is called after each frame, ``training(done, total)`` as the run is
    trained first. ``lesson`` (a lesson_files.Lesson) sets the window up instead of ``data``, ``iterations``
    and ``settings``, as for a screenshot. ``cancelled()`` is asked between frames and bursts of training:
    once it says so, the encoder is cancelled, nothing is written and Cancelled is raised. Once the last
    frame is handed over, the file is finished whatever comes.
    """
    cancelled = cancelled or (lambda: False)
    app, window = export_window(new_window, data, iterations, settings, size, lesson, training, cancelled,
                                test_fraction)
    try:
        if cancelled():
            raise Cancelled
        trained = window.controller.gd.iteration
        stop = trained if stop is None else stop
        if stop > trained:
            why = window.controller.gd.overflow or f"the run stopped at iteration {trained}"
            raise AnimationError(f"cannot animate up to iteration {stop}: {why}")
        its = frame_iterations(start, stop, frames, every, log)
        animation = Animation(window, view, size, out, fps, its)
    except BaseException:
        window.close()
        raise
    try:
        while True:
            if cancelled():
                raise Cancelled
            more = animation.step()
            if progress:
                progress(animation.done, len(its))
            if not more:
                break
        animation.wait()
    except BaseException as exc:
        animation.cancel()
        if cancelled() and not isinstance(exc, Cancelled):
            raise Cancelled from None  # the encoder's ffmpeg got the same Ctrl+C from the terminal
        raise
    finally:
        animation.close()
        app.processEvents()
    return its
