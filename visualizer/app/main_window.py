"""The main window: the J(w, b) surface in the middle, docks around it.

It redraws from the latest snapshot on a 20 ms timer (at most 50 frames a second), the
surface and the weights at most 5 times a second while training, and skips hidden docks.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from .. import storage
from ..atomic import atomic_write
from ..core.stability import lesson_alphas
from ..data import Dataset
from ..settings import RunSettings
from . import preferences
from .dropping import DropDecoder, has_images, read_mime
from .editing import DataEdit, added, moved, relabelled, removed
from .explorer import ExplorerWindow, Job
from .frame import Frame, build_frame
from .lessons import BowlPanel, ConvexityPanel, GraphPanel, ImageVectorPanel, VectorizationPanel
from .loading import DataLoader, LoadReportDialog
from .panels.classify import ClassifyPanel
from .panels.controls import ControlsPanel
from .panels.cost_curve import CostCurvePanel
from .panels.gallery import GalleryPanel
from .panels.notice import NoticeBar
from .panels.sigmoid import SigmoidPanel
from .panels.surface import SurfacePanel, paste_gl
from .panels.weights import WeightsPanel
from .training import TrainingController

FRAME_MS = 20  # at most 50 redraws a second
SLOW_PANELS_S = 0.2  # the surface and the weights: at most 5 redraws a second while training
EDGE_POINTS = 2048  # recorded 2/lambda_max values kept for the plot
GHOST_DELAY_MS = 150  # the ghost is drawn once the alpha slider rests, not at every tick


def png_bytes(image: QImage) -> bytes:
    """A QImage encoded in memory: the file itself is written by the atomic writer, which reports errors."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise storage.StorageError("the image could not be encoded as PNG")
    return bytes(buffer.data())


def scene_bytes(view, kind: str) -> bytes:
    """A pyqtgraph view as PNG (pyqtgraph's exporter) or SVG (Qt's own generator), in memory.

    pyqtgraph's SVG exporter fails on the paths Qt 6 writes, so SVG goes through QSvgGenerator.
    """
    if kind == "png":
        import pyqtgraph.exporters as exporters

        return png_bytes(exporters.ImageExporter(view.scene()).export(toBytes=True))
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    rect = view.scene().sceneRect()
    generator.setSize(QSize(int(rect.width()), int(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle("visualizer: cost curve")
    painter = QPainter()
    if not painter.begin(generator):
        raise storage.StorageError("the SVG could not be drawn")
    view.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    return bytes(buffer.data())


class MainWindow(QMainWindow):
    def __init__(self, train: Dataset, test: Dataset | None, settings: RunSettings | None = None,
                 remember_layout: bool = True):
        super().__init__()
        self.remember_layout = remember_layout
        settings = settings or RunSettings()
        self.controller = TrainingController(train, test, settings)
        self.controls = ControlsPanel(settings.alpha, settings.budget)
        self.cost_curve = CostCurvePanel()
        self.surface = SurfacePanel()
        self.gallery = GalleryPanel()
        self.sigmoid = SigmoidPanel()
        self.weights = WeightsPanel()
        self.classify = ClassifyPanel(train.classes)
        self.notice = NoticeBar()
        self.undo = QUndoStack(self)
        self.ask_before_closing = True
        self._saved_iteration = 0
        self._decoders: list[DropDecoder] = []
        self.edge_history: list[tuple[int, float]] = []
        self.edge: float | None = None
        self.explorer: ExplorerWindow | None = None
        self._ghost_shown = None
        self._ghost_timer = QTimer(self, singleShot=True, interval=GHOST_DELAY_MS)
        self._ghost_timer.timeout.connect(self._draw_ghost)
        self._jobs: list[Job] = []
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
            "classify": self._dock("Classify dropped images", self.classify, R),
            "gallery": self._dock("Examples and their ŷ", self.gallery, B),
        }
        self.lessons = {
            "image-vector": (ImageVectorPanel(), "Lesson: an image becomes a vector"),
            "computation-graph": (GraphPanel(), "Lesson: the computation graph"),
            "vectorization": (VectorizationPanel(), "Lesson: why vectorize"),
            "convexity": (ConvexityPanel(), "Lesson: convexity and the loss"),
            "bowl": (BowlPanel(), "Lesson: J(w, b) with w a single number"),
        }
        for key, (panel, title) in self.lessons.items():
            self.docks[key] = self._dock(title, panel, B)
            self.docks[key].hide()  # opened from the Lessons menu, as a window of its own
        self.tabifyDockWidget(self.docks["sigmoid"], self.docks["classify"])
        self.docks["sigmoid"].raise_()
        self.setAcceptDrops(True)
        self.drop_overlay = QLabel("Drop images or a folder to classify them", self)
        self.drop_overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_overlay.setStyleSheet("background: rgba(31, 119, 180, 40); border: 4px dashed #1f77b4; "
                                        "color: #123c69; font-size: 20pt;")
        self.drop_overlay.hide()
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
        action(file, "Open &session…", None, self.open_session, "A session saved with Save session…")
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        action(file, "&Classify images…", "Ctrl+K", self.classify_files, "Pick photos for the model to judge")
        file.addSeparator()
        action(file, "Save &model…", "Ctrl+S", self.save_model, "w, b and how images are prepared, for "
               "`visualizer predict`")
        action(file, "Save s&ession…", "Ctrl+Shift+S", self.save_session, "Data, edits, settings and the whole run")
        export = file.addMenu("&Export")
        action(export, "Cost curve as PNG…", None, lambda: self.export_cost_plot("png"))
        action(export, "Cost curve as SVG…", None, lambda: self.export_cost_plot("svg"))
        action(export, "Cost history as CSV…", None, self.export_cost_csv)
        action(export, "Surface as PNG…", None, self.export_surface)
        action(export, "Predictions as CSV…", None, self.export_predictions)
        action(file, "Show the last load &report", None, self.show_report)
        file.addSeparator()
        action(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit = self.menuBar().addMenu("&Edit")
        undo = self.undo.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        for a in (undo, redo):
            edit.addAction(a)
            self.addAction(a)
        action(edit, "&Paste image", QKeySequence.StandardKey.Paste, self.paste,
               "Classify the image on the clipboard")
        run = self.menuBar().addMenu("&Run")
        self.train_action = action(run, "Train / Pause", Qt.Key.Key_Space, self.toggle_training)
        self.step_action = action(run, "Step", Qt.Key.Key_Right, lambda: self.step(1))
        self.back_action = action(run, "Step back", Qt.Key.Key_Left, self.step_back)
        self.reset_action = action(run, "Reset", Qt.Key.Key_R, self.reset)
        explore = self.menuBar().addMenu("E&xplore")
        action(explore, "&Compare learning rates…", "Ctrl+L", self.open_explorer,
               "Run several α side by side from the same start, or sweep α on a log scale")
        lessons = self.menuBar().addMenu("&Lessons")
        for key, (_panel, title) in self.lessons.items():
            action(lessons, title.removeprefix("Lesson: ").capitalize(), None,
                   lambda _=False, k=key: self.open_lesson(k))
        view = self.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

    def _connect(self) -> None:
        c, p = self.controller, self.controls
        p.trainToggled.connect(self.toggle_training)
        p.stepRequested.connect(self.step)
        p.resetRequested.connect(self.reset)
        p.alphaChanged.connect(self.set_alpha)
        p.presetChosen.connect(self.choose_preset)
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
        self.gallery.editRequested.connect(self.edit_example)
        self.classify.addRequested.connect(self.add_to_training)
        for label, target in enumerate(self.classify.add_targets):
            target.dropped.connect(lambda mime, label=label: self.classify_mime(mime, label))
        self.undo.cleanChanged.connect(self._clean_changed)  # a method: Qt drops it when the window goes
        self.lesson("computation-graph").checkRequested.connect(self.check_gradient)
        self.lesson("vectorization").runRequested.connect(self.time_vectorization)

    def _show_data(self) -> None:
        c = self.controller
        sets = {"train": (c.train.images, c.train.Y[0], c.train.names, c.train.classes)}
        if c.test is not None:
            sets["test"] = (c.test.images, c.test.Y[0], c.test.names, c.test.classes)
        self.sigmoid.set_labels(c.train.Y[0])
        if self.lesson("bowl").bowl is not None:
            self.lesson("bowl").set_data(c.train.X, c.train.Y)
        self.gallery.set_data(sets)  # switching tabs redraws, so the labels above must be current
        self.classify.set_classes(c.train.classes)
        if self.classify.images and self.classify.images[0].pixels.shape[0] != c.train.n_px:
            self.classify.clear_cards()  # prepared for another image size: drop them again to judge
        self.setWindowTitle(f"visualizer: {c.train.source}[*]")

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
        gd = self.controller.gd
        iteration = max(iteration, gd.replay_from)
        self.view_iteration = None if iteration >= gd.iteration else iteration
        self.refresh(force=True)

    def lesson(self, key: str):
        return self.lessons[key][0]

    def open_lesson(self, key: str) -> None:
        dock = self.docks[key]
        if not dock.isVisible():  # its own window, big enough to read; it can be docked anywhere
            dock.setFloating(True)
            dock.resize(1000, 640)
            dock.move(self.geometry().center() - dock.rect().center())
        dock.show()
        dock.raise_()
        if key == "bowl" and self.lesson("bowl").bowl is None:
            self.lesson("bowl").set_data(self.controller.train.X, self.controller.train.Y)
        self.refresh(force=True)

    def check_gradient(self) -> None:
        from ..core.reference import numerical_gradient, relative_difference, vectorized_gradients

        c = self.controller
        c.pause()
        gd = c.gd
        w, b = gd.w, gd.b
        X, Y = gd.param.X, gd.y
        _, dw, db = vectorized_gradients(w, b, X, Y, gd.loss)
        ndw, ndb = numerical_gradient(w, b, X, Y, gd.loss)
        self.lesson("computation-graph").show_check(relative_difference(np.append(dw, db), np.append(ndw, ndb)))

    def time_vectorization(self) -> None:
        from ..core.lessons import time_vectorization

        panel = self.lesson("vectorization")
        panel.run.setEnabled(False)
        panel.result.setText("Running… (the loop version takes about two seconds)")
        gd, m = self.controller.gd, self.controller.gd.m
        w, b, X, Y = gd.w, gd.b, gd.param.X, gd.y
        job = Job(lambda cancelled: time_vectorization(X, Y, w, b), self)
        job.finished.connect(lambda: job.result is not None and panel.show_timing(job.result, m))
        job.failed.connect(lambda msg: panel.result.setText(f"The timing failed: {msg}"))
        job.finished.connect(lambda: self._jobs.remove(job) if job in self._jobs else None)
        self._jobs.append(job)
        job.start()

    def set_alpha(self, alpha: float) -> None:
        """A new alpha from now on; the old one's path goes on faintly as a ghost."""
        self.controller.set_alpha(alpha)
        self._ghost_timer.start()
        self.controls.show_edge(self.edge)

    def _draw_ghost(self) -> None:
        if self.cost_curve.show_ghost.isChecked():
            self.controller.draw_ghost()
            self.refresh(force=True)

    def choose_preset(self, name: str) -> None:
        if self.edge is None:
            self.notice.show_message("The edge of stability is not known for this data set yet.", "info")
            return
        alpha = float(f"{lesson_alphas(self.edge)[name]:.3g}")
        self.controls.alpha.set_alpha(alpha)
        self.set_alpha(alpha)
        self.notice.show_message(f"α = {alpha:g}: {name} here, where the edge of stability 2/λmax is "
                                 f"{self.edge:.3g}. Press Train to watch.", "info")

    def open_explorer(self) -> None:
        c = self.controller
        if self.explorer is not None:
            self.explorer.close()
        s = c.settings
        self.explorer = ExplorerWindow(c.train, c.test, {"loss": s.loss, "init": s.init, "seed": s.seed}, self)
        self.explorer.show()

    def reset(self, **changes) -> None:
        self.view_iteration = None
        self.edge_history = []
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
        self.controls.show_timeline(frame.iteration, c.latest.iteration, c.gd.replay_from)
        if self.docks["cost"].isVisible():
            self.cost_curve.show_history(c.gd.history, c.latest.iteration, self.view_iteration)
            if c.ghost is not self._ghost_shown:
                self._ghost_shown = c.ghost
                self.cost_curve.show_ghost_costs(0 if c.ghost is None else c.ghost.start,
                                                 [] if c.ghost is None else c.ghost.costs)
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
            ghost = self.controller.ghost
            ghost = ghost.thetas if ghost and ghost.belongs_to(self.controller.gd) and \
                self.cost_curve.show_ghost.isChecked() else None
            self.surface.show_view(frame.surface(self.surface.kind, ghost=ghost))
        self.edge = frame.edge()
        self.controls.show_edge(self.edge)
        if self.edge is not None and frame.iteration == self.controller.latest.iteration and (
                not self.edge_history or self.edge_history[-1][0] < frame.iteration):
            self.edge_history.append((frame.iteration, self.edge))
            if len(self.edge_history) > EDGE_POINTS:  # a long run: keep every other point
                self.edge_history = self.edge_history[::2]
        if self.docks["cost"].isVisible():
            self.cost_curve.show_stability(self.controller.gd.history, self.edge_history, frame.iteration)
        self._draw_lessons(frame)

    def _draw_lessons(self, frame: Frame) -> None:
        set_name, index = self.selected or ("train", 0)
        if self.docks["image-vector"].isVisible():
            pixels, _, name = frame.example(set_name, index)
            c = self.controller
            self.lesson("image-vector").show_example(pixels, name, {
                "x": (c.train.n_x, 1), "X": (c.train.n_x, c.train.m), "Y": (1, c.train.m), "w": (c.train.n_x, 1)})
        if self.docks["computation-graph"].isVisible():
            pixels, y, name = frame.example(set_name, index)
            self.lesson("computation-graph").show_values(frame.graph(set_name, index), pixels.reshape(-1) / 255.0,
                                                         frame.w, float(frame.theta[-1]), y, name.rsplit("/", 1)[-1])
        if self.docks["convexity"].isVisible():
            self.lesson("convexity").show_views([frame.surface("w-direction", 40, loss, extent=6.0)
                                                 for loss in ("cross-entropy", "squared-error")])
        if not self.controller.running:
            self._draw_weights(frame)

    def _draw_weights(self, frame: Frame) -> None:
        self._weights_due = False
        if self.docks["weights"].isVisible():
            self.weights.show_weights(frame.w_image())
        if self.classify.images:
            self.classify.show_verdicts(frame.verdicts(self.classify.images))

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
        path = QFileDialog.getExistingDirectory(self, "Open a folder of images", preferences.folder("data"))
        if path:
            preferences.remember_folder("data", path)
            self.load(path)

    def open_h5(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a course .h5 file", preferences.folder("data"),
                                              "HDF5 files (*.h5 *.hdf5)")
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Load in the background with a cancellable progress bar; the current data stays until it succeeds."""
        if self._loader is not None:
            return
        preferences.add_recent(path)
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

    # ------------------------------------------------------------------ classify and teach
    def dragEnterEvent(self, event) -> None:
        if has_images(event.mimeData()):
            self.drop_overlay.setGeometry(self.rect())
            self.drop_overlay.raise_()
            self.drop_overlay.show()
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self.drop_overlay.hide()

    def dropEvent(self, event) -> None:
        self.drop_overlay.hide()
        self.classify_mime(event.mimeData())
        event.acceptProposedAction()

    def paste(self) -> None:
        mime = QApplication.clipboard().mimeData()
        if mime is None or not has_images(mime):
            self.notice.show_message("The clipboard holds no image or image file to classify.", "info")
            return
        self.classify_mime(mime)

    def classify_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Classify images", preferences.folder("data"), "Images (*)")
        if paths:
            from PySide6.QtCore import QMimeData

            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
            self.classify_mime(mime)

    def classify_mime(self, mime, label: int | None = None) -> None:
        """Decode what was dropped or pasted; show it in Classify, or add it to training as ``label``."""
        dropped = read_mime(mime)  # no file is touched here: listing a big folder happens on the worker
        if dropped.problems:
            more = f" (and {len(dropped.problems) - 3} more)" if len(dropped.problems) > 3 else ""
            self.notice.show_message("Not used: " + "; ".join(dropped.problems[:3]) + more, "warning")
        if not dropped.paths and dropped.image is None:
            return
        decoder = DropDecoder(dropped, self.controller.train.n_px, self)
        self._decoders.append(decoder)
        progress = QProgressDialog("Reading the dropped images…", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        decoder.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        progress.canceled.connect(decoder.cancel)
        decoder.finished.connect(progress.close)
        decoder.finished.connect(progress.deleteLater)
        decoder.decoded.connect(lambda images, bad: self._decoded(images, bad, label))
        decoder.finished.connect(lambda: self._decoders.remove(decoder) if decoder in self._decoders else None)
        decoder.start()

    def _decoded(self, images: list, problems: list, label: int | None) -> None:
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.notice.show_message("Not used: " + "; ".join(problems[:3]) + more, "warning")
        if not images:
            return
        if label is None:
            self.classify.add_images(images)
            self.docks["classify"].show()
            self.docks["classify"].raise_()
            self.refresh(force=True)
        else:
            self.add_to_training(label, images)

    def add_to_training(self, label: int, images: list) -> None:
        train = self.controller.train
        new = added(train, images, label)
        what = f"Add {len(images)} image{'s' if len(images) != 1 else ''} as {train.classes[label]}"
        self.undo.push(DataEdit(self, what, (new, self.controller.test), appended=len(images)))

    def edit_example(self, set_name: str, index: int, action: str) -> None:
        c = self.controller
        train, test = c.train, c.test
        data = train if set_name == "train" else test
        if action == "show":
            path = Path(data.names[index])
            if path.exists():
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
            else:
                self.notice.show_message(f"{data.names[index]} is not a file on this machine.", "info")
            return
        if action == "relabel":
            new = (relabelled(train, index), test) if set_name == "train" else (train, relabelled(test, index))
            text = f"Relabel {Path(data.names[index]).name}"
        elif action == "remove":
            new = (removed(train, index), test) if set_name == "train" else (train, removed(test, index))
            text = f"Remove {Path(data.names[index]).name}"
        else:  # move between train and test
            if set_name == "train":
                src, dst = moved(train, test, index)
                new = (src, dst)
            else:
                src, dst = moved(test, train, index)
                new = (dst, src if src.m else None)
            text = f"Move {Path(data.names[index]).name} to the {'test' if set_name == 'train' else 'training'} set"
        if min(new[0].class_counts()) == 0:
            self.notice.show_message("The training set needs at least one example of each class.", "warning")
            return
        self.undo.push(DataEdit(self, text, new))

    def apply_data(self, train: Dataset, test: Dataset | None, appended: int = 0) -> None:
        """Called by undoable edits: the run goes on from the same (w, b) with the edited data."""
        self.view_iteration = None
        self.selected = None
        self.controller.edit_data(train, test, appended)
        self._show_data()
        self.refresh(force=True)

    # ------------------------------------------------------------------ save and export
    def _ask_path(self, title: str, filters: str, suffix: str, save: bool = True) -> str | None:
        start = preferences.folder("files")
        if save:
            path, _ = QFileDialog.getSaveFileName(self, title, start, filters)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, start, filters)
        if not path:
            return None
        if save and not Path(path).suffix:
            path += suffix
        preferences.remember_folder("files", str(Path(path).parent))
        return path

    def _guarded(self, what: str, fn) -> bool:
        try:
            fn()
        except storage.StorageError as exc:
            self.notice.show_message(f"{what} failed: {exc}", "error")
            return False
        return True

    def save_model(self, path: str | None = None) -> bool:
        path = path or self._ask_path("Save model", "Models (*.npz)", ".npz")
        if not path:
            return False
        c = self.controller
        c.pause()
        gd = c.gd
        return self._guarded("Saving the model", lambda: storage.save_model(
            path, gd.w, gd.b, c.train.n_px, c.train.classes, gd.history.alpha_changes, gd.metrics()))

    def save_session(self, path: str | None = None) -> bool:
        path = path or self._ask_path("Save session", "Sessions (*.vis.npz *.npz)", ".vis.npz")
        if not path:
            return False
        c = self.controller
        c.pause()
        settings = replace(c.settings, alpha=c.gd.alpha, slice=self.surface.kind)
        ok = self._guarded("Saving the session", lambda: storage.save_session(
            path, c.train, c.test, settings, c.gd.history, c.gd.iteration, c.gd.w, c.gd.b))
        if ok:
            self.undo.setClean()
            self._saved_iteration = c.gd.iteration
            preferences.add_recent(path)
        return ok

    def open_session(self, path: str | None = None) -> None:
        path = path or self._ask_path("Open session", "Sessions (*.npz)", "", save=False)
        if not path:
            return
        try:
            session = storage.load_session(path)  # everything is checked before anything changes
        except storage.StorageError as exc:
            self.notice.show_message(f"Could not open the session: {exc}", "error")
            return
        settings = session.settings
        try:  # the new run is built before anything of the current one changes
            self.controller.restore(session.train, session.test, settings, session.w, session.b,
                                    session.iteration, session.history)
        except (ValueError, MemoryError) as exc:
            self.notice.show_message(f"Could not open the session {path}: {exc}", "error")
            return
        self.view_iteration = None
        self.selected = None
        self.edge_history = []
        self.controls.show_settings(settings)
        self.surface.set_kind(settings.slice)
        self.undo.clear()
        self._saved_iteration = session.iteration
        self._show_data()
        self.refresh(force=True)
        preferences.add_recent(path)
        self.notice.show_message(f"Opened the session {path}: iteration {session.iteration}.", "info")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = preferences.recent()
        for path in recent:
            opener = self.open_session if path.endswith(".npz") else self.load
            self.recent_menu.addAction(path, lambda p=path, o=opener: o(p))
        if not recent:
            self.recent_menu.addAction("(nothing yet)").setEnabled(False)

    def export_cost_plot(self, kind: str, path: str | None = None) -> None:
        path = path or self._ask_path(f"Export the cost curve as {kind.upper()}", f"*.{kind}", f".{kind}")
        if path:
            self._guarded("Export", lambda: self._write_bytes(path, scene_bytes(self.cost_curve.view, kind)))

    def export_cost_csv(self, path: str | None = None) -> None:
        path = path or self._ask_path("Export the cost history as CSV", "CSV (*.csv)", ".csv")
        if path:
            self._guarded("Export", lambda: storage.save_cost_csv(path, {"run": self.controller.gd.history}))

    def export_surface(self, path: str | None = None) -> None:
        path = path or self._ask_path("Export the surface as PNG", "PNG (*.png)", ".png")
        if path:
            self._guarded("Export", lambda: self._write_bytes(path, png_bytes(self.surface.grab_with_gl())))

    @staticmethod
    def _write_bytes(path: str, data: bytes) -> None:
        atomic_write(path, lambda f: f.write(data))

    def export_predictions(self, path: str | None = None) -> None:
        path = path or self._ask_path("Export predictions as CSV", "CSV (*.csv)", ".csv")
        if not path:
            return
        frame = build_frame(self.controller, self.view_iteration)
        rows = []
        for set_name, data, yhat in (("train", self.controller.train, frame.yhat_train),
                                     ("test", self.controller.test, frame.yhat_test)):
            if data is None:
                continue
            for name, label, p in zip(data.names, data.Y[0], yhat, strict=True):
                rows.append((set_name, name, data.classes[label], float(p),
                             "yes" if (p > 0.5) == (label == 1) else "no"))
        for verdict, image in zip(frame.verdicts(self.classify.images), self.classify.images, strict=True):
            rows.append(("dropped", image.path or image.name, "", verdict.yhat, ""))
        self._guarded("Export", lambda: storage.save_predictions_csv(path, rows))

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def has_unsaved_work(self) -> bool:
        return not self.undo.isClean() or self.controller.gd.iteration != self._saved_iteration

    # ------------------------------------------------------------------ events
    def _on_stopped(self, reason: str, message: str) -> None:
        self.refresh(force=True)
        if reason in ("diverged", "overflow"):
            self.notice.show_message(message, "warning")

    def _on_failed(self, details: str) -> None:
        self.notice.show_message(f"Training stopped on an error: {details.strip().splitlines()[-1]}", "error")

    def _restore_layout(self) -> None:
        state, geometry = preferences.window_state() if self.remember_layout else (None, None)
        if self.remember_layout:
            alpha = preferences.remembered("alpha")
            self.controls.alpha.set_alpha(alpha)
            self.controller.set_alpha(alpha)
            self.surface.set_kind(preferences.remembered("slice"))
        if state is None or not self.restoreState(state):
            self._laid_out = False
            return
        self._laid_out = True
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
        if self.ask_before_closing and self.has_unsaved_work():
            self.controller.pause()
            answer = QMessageBox.question(
                self, "Unsaved work", "The run or the data set has changed since it was last saved. "
                "Save the session before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save_session()):
                event.ignore()
                return
        self.timer.stop()
        if self.explorer is not None:
            self.explorer.close()
        for job in self._jobs:
            job.wait()
        for panel, _ in self.lessons.values():
            if hasattr(panel, "timer"):
                panel.timer.stop()
        for decoder in list(self._decoders):
            decoder.cancel()
            decoder.wait()
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        self.controller.shutdown()
        self.surface.release_gl()
        if self.remember_layout:
            preferences.remember_window(self.saveState(), self.saveGeometry())
            preferences.remember("alpha", self.controller.gd.alpha)
            preferences.remember("slice", self.surface.kind)
        super().closeEvent(event)
