"""The main window: the J(w, b) surface in the middle, docks around it.

It redraws from the latest snapshot on a 20 ms timer (at most 50 frames a second), the
surface and the weights at most 5 times a second while training, and skips hidden docks.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from ..data import Dataset
from .frame import Frame, build_frame
from .loading import DataLoader, LoadReportDialog
from .panels.controls import ControlsPanel
from .panels.cost_curve import CostCurvePanel
from .panels.gallery import GalleryPanel
from .panels.notice import NoticeBar
from .panels.sigmoid import SigmoidPanel
from .panels.surface import SurfacePanel, paste_gl
from .panels.weights import WeightsPanel
from .training import TrainingController, TrainingSettings

FRAME_MS = 20  # at most 50 redraws a second
SLOW_PANELS_S = 0.2  # the surface and the weights: at most 5 redraws a second while training


class MainWindow(QMainWindow):
    def __init__(self, train: Dataset, test: Dataset | None, settings: TrainingSettings | None = None,
                 remember_layout: bool = True):
        super().__init__()
        self.remember_layout = remember_layout
        settings = settings or TrainingSettings()
        self.controller = TrainingController(train, test, settings)
        self.controls = ControlsPanel(settings.alpha, settings.budget)
        self.cost_curve = CostCurvePanel()
        self.surface = SurfacePanel()
        self.gallery = GalleryPanel()
        self.sigmoid = SigmoidPanel()
        self.weights = WeightsPanel()
        self.notice = NoticeBar()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.notice)
        column.addWidget(self.surface, 1)
        self.setCentralWidget(central)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        L, R, B = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.docks = {
            "controls": self._dock("Controls", self.controls, L),
            "weights": self._dock("Weights w as an image", self.weights, L),
            "cost": self._dock("Cost J and accuracy", self.cost_curve, R),
            "sigmoid": self._dock("Every example on σ(z)", self.sigmoid, R),
            "gallery": self._dock("Examples and their ŷ", self.gallery, B),
        }
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status, 1)
        self.view_iteration: int | None = None  # None follows the run
        self.selected: tuple[str, int] | None = None
        self.frames = 0
        self._shown = None
        self._slow_at = 0.0
        self._weights_due = False
        self._rate = (time.monotonic(), 0, 0.0)
        self._loader: DataLoader | None = None
        self._actions()
        self._connect()
        self._show_data()
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._restore_layout()
        self.refresh(force=True)

    # ------------------------------------------------------------------ building
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _actions(self) -> None:
        def action(menu, text, shortcut, slot, tip=""):
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            menu.addAction(a)
            self.addAction(a)
            return a

        file = self.menuBar().addMenu("&File")
        action(file, "Open image &folder…", "Ctrl+O", self.open_folder,
               "A folder with one subfolder per class (cat/, non-cat/), or files named cat.1.jpg, dog.2.jpg…")
        action(file, "Open course .&h5 file…", "Ctrl+Shift+O", self.open_h5, "The course's train_catvnoncat.h5")
        action(file, "Show the last load &report", None, self.show_report)
        file.addSeparator()
        action(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        run = self.menuBar().addMenu("&Run")
        self.train_action = action(run, "Train / Pause", Qt.Key.Key_Space, self.toggle_training)
        self.step_action = action(run, "Step", Qt.Key.Key_Right, lambda: self.step(1))
        self.back_action = action(run, "Step back", Qt.Key.Key_Left, self.step_back)
        self.reset_action = action(run, "Reset", Qt.Key.Key_R, self.reset)
        view = self.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

    def _connect(self) -> None:
        c, p = self.controller, self.controls
        p.trainToggled.connect(self.toggle_training)
        p.stepRequested.connect(self.step)
        p.resetRequested.connect(self.reset)
        p.alphaChanged.connect(c.set_alpha)
        p.budgetChanged.connect(c.set_budget)
        p.speedChanged.connect(c.set_speed)
        p.runSettingsChanged.connect(lambda s: self.reset(**s))
        p.viewIterationChanged.connect(self.look_at)
        c.runningChanged.connect(p.show_running)
        c.runningChanged.connect(lambda _: self.refresh(force=True))
        c.reset_done.connect(lambda: self.refresh(force=True))
        c.stopped.connect(self._on_stopped)
        c.failed.connect(self._on_failed)
        self.surface.sliceChanged.connect(lambda _: self.refresh(force=True))
        self.gallery.exampleSelected.connect(self.select_example)
        self.sigmoid.exampleSelected.connect(self.select_example)
        self.gallery.tabs.currentChanged.connect(lambda _: self.refresh(force=True))

    def _show_data(self) -> None:
        c = self.controller
        sets = {"train": (c.train.images, c.train.Y[0], c.train.names, c.train.classes)}
        if c.test is not None:
            sets["test"] = (c.test.images, c.test.Y[0], c.test.names, c.test.classes)
        self.sigmoid.set_labels(c.train.Y[0])
        self.gallery.set_data(sets)  # switching tabs redraws, so the labels above must be current
        self.setWindowTitle(f"visualizer: {c.train.source}")

    # ------------------------------------------------------------------ intents
    def toggle_training(self) -> None:
        if self.controller.running:
            self.controller.pause()
            return
        self._branch_if_looking_back()
        self.notice.hide()
        self.controller.start()

    def step(self, n: int) -> None:
        if self.controller.running:
            return
        self._branch_if_looking_back()
        self.controller.step(n)

    def step_back(self) -> None:
        self.controller.pause()
        current = self.controller.gd.iteration if self.view_iteration is None else self.view_iteration
        self.look_at(max(0, current - 1))

    def look_at(self, iteration: int) -> None:
        """Show an earlier iteration everywhere (pauses training)."""
        self.controller.pause()
        self.view_iteration = None if iteration >= self.controller.gd.iteration else iteration
        self.refresh(force=True)

    def reset(self, **changes) -> None:
        self.view_iteration = None
        self.notice.hide()
        self.controller.reset(**changes)

    def _branch_if_looking_back(self) -> None:
        if self.view_iteration is not None:
            self.controller.branch_from(self.view_iteration)
            self.view_iteration = None

    def select_example(self, set_name: str, index: int) -> None:
        self.selected = (set_name, index)
        self.gallery.select(set_name, index)
        self.sigmoid.select(index if set_name == "train" else None)
        self.refresh(force=True)

    # ------------------------------------------------------------------ drawing
    def refresh(self, force: bool = False) -> None:
        c = self.controller
        key = (c.latest.iteration, self.view_iteration, c.gd)
        if not force and key == self._shown:
            return
        self._shown = key
        frame = build_frame(c, self.view_iteration)
        self._draw_fast(frame)
        now = time.monotonic()
        if force or not c.running or now - self._slow_at >= SLOW_PANELS_S:
            self._slow_at = now
            self._draw_surface(frame)
            self._weights_due = True
        elif self._weights_due:  # on the next frame, so no single frame carries both
            self._draw_weights(frame)
        self.frames += 1

    def _draw_fast(self, frame: Frame) -> None:
        c = self.controller
        self.controls.show_timeline(frame.iteration, c.latest.iteration)
        if self.docks["cost"].isVisible():
            self.cost_curve.show_history(c.gd.history, c.latest.iteration, self.view_iteration)
        if self.docks["sigmoid"].isVisible():
            self.sigmoid.show_outputs(frame.z_train, frame.yhat_train)
        if self.docks["gallery"].isVisible():
            if self.gallery.tabs.currentIndex() == 0:
                self.gallery.show_outputs("train", frame.yhat_train, frame.loss_train)
            elif frame.yhat_test is not None:
                self.gallery.show_outputs("test", frame.yhat_test, frame.loss_test)
        self._show_status(frame)

    def _draw_surface(self, frame: Frame) -> None:
        if self.surface.isVisible():
            self.surface.show_view(frame.surface(self.surface.kind))
        if not self.controller.running:
            self._draw_weights(frame)

    def _draw_weights(self, frame: Frame) -> None:
        self._weights_due = False
        if self.docks["weights"].isVisible():
            self.weights.show_weights(frame.w_image())

    def _show_status(self, frame: Frame) -> None:
        c = self.controller
        t0, it0, rate = self._rate
        now = time.monotonic()
        if now - t0 >= 0.5:
            rate = (c.latest.iteration - it0) / (now - t0) if c.running else 0.0
            self._rate = (now, c.latest.iteration, rate)
        test = "" if frame.test_accuracy is None else f"   test {frame.test_accuracy:.1f} %"
        d = c.train
        self.status.setText(
            f"iteration {frame.iteration}   J = {frame.cost:.6f}   train {frame.train_accuracy:.1f} %{test}   "
            f"α = {frame.alpha:g}   {rate:,.0f} it/s   {d.source}: m = {d.m}, n_x = {d.n_x}"
        )

    def grab_image(self) -> QImage:
        """The window as an image, 3-D view included (grab() alone leaves it blank)."""
        image = self.grab().toImage()
        paste_gl(image, self, self.surface)
        return image

    # ------------------------------------------------------------------ data
    def open_folder(self) -> None:
        start = QSettings().value("data/last_folder", "")
        path = QFileDialog.getExistingDirectory(self, "Open a folder of images", start)
        if path:
            QSettings().setValue("data/last_folder", path)
            self.load(path)

    def open_h5(self) -> None:
        start = QSettings().value("data/last_folder", "")
        path, _ = QFileDialog.getOpenFileName(self, "Open a course .h5 file", start, "HDF5 files (*.h5 *.hdf5)")
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Load in the background with a cancellable progress bar; the current data stays until it succeeds."""
        if self._loader is not None:
            return
        self.controller.pause()
        progress = QProgressDialog(f"Loading {path}…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Opening a data set")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        loader = self._loader = DataLoader(path, self)
        loader.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        progress.canceled.connect(loader.cancel)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(lambda msg: self.notice.show_message(f"Could not open the data set: {msg}", "error"))
        loader.finished.connect(progress.close)
        loader.finished.connect(self._loader_done)
        loader.start()

    def _loader_done(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader.wait()
            loader.deleteLater()

    def _loaded(self, train: Dataset, test: Dataset | None) -> None:
        self.view_iteration = None
        self.selected = None
        self.controller.set_data(train, test)
        self._show_data()
        self.refresh(force=True)
        self.notice.show_message(f"Loaded {train.m} training" + (f" and {test.m} test" if test else "")
                                 + f" images from {train.source}.", "info")
        if train.skipped or (test is not None and test.skipped):
            self.show_report()

    def show_report(self) -> None:
        LoadReportDialog(self.controller.train, self.controller.test, self).open()

    # ------------------------------------------------------------------ events
    def _on_stopped(self, reason: str, message: str) -> None:
        self.refresh(force=True)
        if reason in ("diverged", "overflow"):
            self.notice.show_message(message, "warning")

    def _on_failed(self, details: str) -> None:
        self.notice.show_message(f"Training stopped on an error: {details.strip().splitlines()[-1]}", "error")

    def _restore_layout(self) -> None:
        settings = QSettings()
        state = settings.value("window/state") if self.remember_layout else None
        if state is None or not self.restoreState(state):
            self._laid_out = False
            return
        self._laid_out = True
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _default_layout(self) -> None:
        d = self.docks
        self.resizeDocks([d["controls"], d["cost"]], [270, 420], Qt.Orientation.Horizontal)
        self.resizeDocks([d["controls"], d["weights"]], [330, 200], Qt.Orientation.Vertical)
        self.resizeDocks([d["cost"], d["sigmoid"]], [300, 230], Qt.Orientation.Vertical)
        self.resizeDocks([d["gallery"]], [180], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._laid_out:  # docks only take sizes once the window has its own
            self._laid_out = True
            self._default_layout()

    def closeEvent(self, event) -> None:
        self.timer.stop()
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        self.controller.shutdown()
        self.surface.release_gl()
        if self.remember_layout:
            settings = QSettings()
            settings.setValue("window/state", self.saveState())
            settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
