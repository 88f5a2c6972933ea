"""File > Export > Animation…: what to draw, which stretch of the run, how fast and how big.

The frames are drawn in a second window that is never shown, on the same run (or on a copy
of it that trains the run to come), so the visible window does not move. Qt draws widgets
only on the GUI thread, so a QTimer draws one frame per tick behind a progress dialog that
can cancel, while the Encoder's Worker packs them into the file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

from visualizer.app.common import wheel
from visualizer.app.common.accessibility import buddy, name_by_labels
from visualizer.app.export.animation import VIEW_TITLES, Animation
from visualizer.app.export.screenshot import prepared_window, take_look_of
from visualizer.app.run.worker import Worker
from visualizer.formats.animation_frames import (
    MAX_FRAMES,
    MAX_GIF_FPS,
    AnimationError,
    format_problem,
    frame_count,
    frame_iterations,
    video_problem,
)
from visualizer.fs.atomic import StorageError

MAX_MORE = 1_000_000


@dataclass(frozen=True)
class ExportChoice:
    view: str
    start: int
    stop: int
    more: int  # > 0: train this many iterations on a copy of the run and animate them instead
    fps: int
    size: tuple[int, int]
    frames: int | None
    every: int | None
    log: bool


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(min(max(value, low), high))
    box.setToolTip(tip)
    box.setGroupSeparatorShown(True)
    return box


class AnimationDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Export an animation")
        gd = window.controller.gd
        earliest, latest = gd.replay_from, gd.iteration
        self.view = QComboBox()
        for key, title in VIEW_TITLES.items():
            self.view.addItem(title, key)
        self.view.setToolTip("The whole window, or one panel alone at the size below")
        self.stretch = QComboBox()
        self.stretch.addItem("Iterations already run (the timeline)", "done")
        self.stretch.addItem("The run to come (trained for the animation)", "more")
        self.stretch.setToolTip("A stretch of the run so far, replayed; or new iterations from where the run is now, "
                                "trained on a copy (the window's own run does not move)")
        self.start = _spin(earliest, max(latest - 1, earliest), earliest, "The first iteration drawn")
        self.stop = _spin(earliest + 1, max(latest, earliest + 1), latest, "The last iteration drawn")
        self.more = _spin(1, MAX_MORE, window.state.settings.budget or 2000, "How many iterations to train and draw")
        self.fps = _spin(1, MAX_GIF_FPS, 15, "Frames per second when it plays (a GIF plays at most 50)")
        self.width = _spin(320, 3840, 1280, "Width of each frame in pixels")
        self.height = _spin(240, 2160, 720, "Height of each frame in pixels")
        self.spacing = QComboBox()
        self.spacing.addItem("A number of frames, evenly spaced", "even")
        self.spacing.addItem("A number of frames, log-spaced (more early on)", "log")
        self.spacing.addItem("One frame every N iterations", "every")
        self.spacing.setToolTip("The cost falls fastest early: log spacing gives those iterations more frames")
        self.frames = _spin(2, MAX_FRAMES, 100, "How many frames")
        self.every = _spin(1, 10**9, 10, "Iterations from one frame to the next")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        if latest <= earliest:  # nothing to replay yet: only the run to come
            self.stretch.setCurrentIndex(1)
            self.stretch.setEnabled(False)
        size = QWidget()
        row = QHBoxLayout(size)
        row.setContentsMargins(0, 0, 0, 0)
        for text, box in (("&Width", self.width), ("&Height", self.height)):
            row.addWidget(buddy(text, box))
            row.addWidget(box, 1)
        form = QFormLayout(self)
        form.addRow(buddy("&Draw:", self.view), self.view)
        form.addRow(buddy("&Stretch:", self.stretch), self.stretch)
        form.addRow(buddy("&From iteration:", self.start), self.start)
        form.addRow(buddy("&To iteration:", self.stop), self.stop)
        form.addRow(buddy("&Iterations to run:", self.more), self.more)
        form.addRow(buddy("Frames per s&econd:", self.fps), self.fps)
        form.addRow(QLabel("Size in pixels:"), size)
        form.addRow(buddy("S&pacing:", self.spacing), self.spacing)
        form.addRow(buddy("Fra&mes:", self.frames), self.frames)
        form.addRow(buddy("Iterations per f&rame:", self.every), self.every)
        form.addRow(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._latest = latest
        for box in (self.start, self.stop, self.more, self.fps, self.frames, self.every):
            box.valueChanged.connect(self._update)
        for combo in (self.stretch, self.spacing):
            combo.currentIndexChanged.connect(self._update)
        name_by_labels(self)
        wheel.guard(self)
        self._update()

    def _stretch(self) -> tuple[int, int]:
        if self.stretch.currentData() == "more":
            return self._latest, self._latest + self.more.value()
        return self.start.value(), self.stop.value()

    def _update(self) -> None:
        more = self.stretch.currentData() == "more"
        for box, on in ((self.start, not more), (self.stop, not more), (self.more, more),
                        (self.frames, self.spacing.currentData() != "every"),
                        (self.every, self.spacing.currentData() == "every")):
            box.setEnabled(on)
        try:
            c = self.choice()
            count = frame_count(c.start, c.stop, c.frames, c.every, c.log)
        except AnimationError as exc:
            self.summary.setText(str(exc).capitalize() + ".")
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        start, stop = self._stretch()
        self.summary.setText(f"{count} frames of iterations {start:,} to {stop:,}: {count / self.fps.value():.1f} s "
                             f"at {self.fps.value()} frames per second.")

    def iterations(self) -> list[int]:
        c = self.choice()
        return frame_iterations(c.start, c.stop, c.frames, c.every, c.log)

    def choice(self) -> ExportChoice:
        start, stop = self._stretch()
        every = self.spacing.currentData() == "every"
        return ExportChoice(self.view.currentData(), start, stop,
                            self.more.value() if self.stretch.currentData() == "more" else 0, self.fps.value(),
                            (self.width.value(), self.height.value()), None if every else self.frames.value(),
                            self.every.value() if every else None, self.spacing.currentData() == "log")


def export_animation(window) -> None:
    """File > Export > Animation…: the dialog, then where to save, then the export behind a progress dialog."""
    dialog = AnimationDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    choice = dialog.choice()
    path = window._ask_path("Export an animation", "Animated GIF (*.gif);;MP4 video (*.mp4)", ".gif")
    if not path:
        return
    problem = format_problem(path, choice.fps) or (video_problem() if path.lower().endswith(".mp4") else None)
    if problem:
        window.notice.show_message(f"The animation was not exported: {problem}", "error")
        return
    window.animation_export = AnimationExport(window, choice, path)
    window.animation_export.start()


class AnimationExport(QObject):
    """One export in progress: (train the run to come,) draw each frame on a timer tick, wait for the file."""

    def __init__(self, window, choice: ExportChoice, path: str):
        super().__init__(window)
        self.window, self.choice, self.path = window, choice, path
        self.animation: Animation | None = None
        self.trainer: Worker | None = None
        self.cancelled = self._busy = False
        self.progress = QProgressDialog("Preparing the frames…", "Cancel", 0, 0, window)
        self.progress.setWindowTitle("Exporting an animation")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self.cancel)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.window.controller.pause()  # the run must hold still while it is replayed
        gd = self.window.controller.gd
        if not self.choice.more:
            self._draw(gd)
            return
        run = copy.deepcopy(gd)  # the run to come is trained on a copy: the window's own run stays where it is
        self.progress.setLabelText(f"Training {self.choice.more:,} iterations…")
        job = self.trainer = Worker(lambda cancelled, _progress: run.step(self.choice.more, cancelled=cancelled),
                                    self.window)
        job.finished.connect(lambda: None if self.cancelled else self._draw(run))
        job.start()

    def _draw(self, run) -> None:
        c, s = self.choice, self.window.state
        try:
            its = frame_iterations(c.start, min(c.stop, run.iteration), c.frames, c.every, c.log)
        except AnimationError as exc:
            self._finish(f"The animation was not exported: {exc}", "error")
            return
        self.progress.setRange(0, len(its))
        self.progress.setLabelText(f"Drawing {len(its)} frames…")
        # a window of the visible one's own class, off the screen: this package is below the window's
        hidden = prepared_window(type(self.window), s.train, s.test, s.settings, 0, c.size, run=run,
                                 theme=self.window.theme_choice)
        if c.view == "window":
            take_look_of(hidden, self.window, c.size)
        if self.cancelled:  # Cancel was pressed while the window was laid out
            hidden.close()
            return
        try:
            animation = Animation(hidden, c.view, c.size, self.path, c.fps, its, parent=self.window)
        except AnimationError as exc:
            self._finish(f"The animation was not exported: {exc}", "error")
            return
        if self.cancelled:
            animation.cancel()
            animation.close()
            return
        self.animation = animation
        worker = self.animation.encoder.worker
        self.window._jobs.append(worker)  # closing the window stops it
        worker.finished.connect(self._written)
        self.timer.start()

    def _tick(self) -> None:
        if self.animation is None or self.cancelled or self._busy:
            return  # a frame of the 3-D view runs the event loop, which may tick again meanwhile
        self._busy = True
        try:
            more = self.animation.step()
        except (AnimationError, StorageError, OSError) as exc:  # the encoder failed: no use drawing on
            self._finish(f"The animation was not exported: {exc}", "error")
            return
        finally:
            self._busy = False
        if self.animation is None:  # cancelled meanwhile
            return
        self.progress.setValue(self.animation.done)
        if not more:
            self.timer.stop()
            self.progress.setLabelText("Writing the file…")

    def _written(self) -> None:
        if self.cancelled or self.animation is None:
            return
        error = self.animation.encoder.error
        if self.animation.encoder.worker.cancelled:  # the window closed under it
            self._finish("The animation export was cancelled; nothing was written.", "info")
        elif error is not None:
            self._finish(f"The animation was not exported: {error}", "error")
        else:
            size = Path(self.path).stat().st_size / 2**20
            self._finish(f"Wrote {self.path}: {len(self.animation.iterations)} frames, {size:.1f} MB.", "info")

    def cancel(self) -> None:
        """Stop drawing and packing: nothing is written, the visible window is as it was."""
        self.cancelled = True
        self.timer.stop()
        if self.trainer is not None:
            self.trainer.stop()
        if self.animation is not None:
            self.animation.cancel()
        self._finish("The animation export was cancelled; nothing was written.", "info")

    def _finish(self, message: str, kind: str) -> None:
        self.timer.stop()
        self.progress.close()
        if self.animation is not None:
            if self.animation.encoder.worker in self.window._jobs:
                self.window._jobs.remove(self.animation.encoder.worker)
            self.animation.close()
            self.animation = None
        self.window.notice.show_message(message, kind)
        if getattr(self.window, "animation_export", None) is self:
            self.window.animation_export = None
        self.deleteLater()

