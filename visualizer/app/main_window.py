"""The main window: docks around the run, redrawn from the latest snapshot at most 60 times a second."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

from ..data import Dataset
from .panels.controls import ControlsPanel
from .panels.cost_curve import CostCurvePanel
from .panels.notice import NoticeBar
from .training import TrainingController, TrainingSettings

FRAME_MS = 16  # at most ~60 redraws a second


class MainWindow(QMainWindow):
    def __init__(self, train: Dataset, test: Dataset | None, settings: TrainingSettings | None = None):
        super().__init__()
        self.setWindowTitle(f"visualizer: {train.source}")
        settings = settings or TrainingSettings()
        self.controller = TrainingController(train, test, settings)
        self.controls = ControlsPanel(settings.alpha, settings.budget)
        self.cost_curve = CostCurvePanel()
        self.notice = NoticeBar()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.notice)
        column.addWidget(self.cost_curve, 1)
        self.setCentralWidget(central)
        self._dock("Controls", self.controls, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self._actions()
        self._connect()
        self._shown_iteration = -1
        self.frames = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh(force=True)

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _actions(self) -> None:
        def action(text, shortcut, slot):
            a = QAction(text, self)
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.train_action = action("Train / Pause", Qt.Key.Key_Space, self.controller.toggle)
        self.step_action = action("Step", Qt.Key.Key_Right, lambda: self.controller.step(1))
        self.reset_action = action("Reset", Qt.Key.Key_R, lambda: self.controller.reset())

    def _connect(self) -> None:
        c, p = self.controller, self.controls
        p.trainToggled.connect(c.toggle)
        p.stepRequested.connect(c.step)
        p.resetRequested.connect(lambda: c.reset())
        p.alphaChanged.connect(c.set_alpha)
        p.budgetChanged.connect(c.set_budget)
        p.speedChanged.connect(c.set_speed)
        p.runSettingsChanged.connect(lambda s: c.reset(**s))
        c.runningChanged.connect(p.show_running)
        c.runningChanged.connect(lambda _: self.refresh(force=True))
        c.reset_done.connect(lambda: self.refresh(force=True))
        c.stopped.connect(self._on_stopped)
        c.failed.connect(self._on_failed)

    def refresh(self, force: bool = False) -> None:
        snap = self.controller.latest
        if not force and snap.iteration == self._shown_iteration:
            return
        self._shown_iteration = snap.iteration
        gd = self.controller.gd
        self.cost_curve.show_history(gd.history, snap.iteration)
        d = self.controller.train
        self.status.setText(
            f"iteration {snap.iteration}   α = {snap.alpha:g}   {d.source}: m = {d.m}, n_x = {d.n_x}"
        )
        self.frames += 1

    def _on_stopped(self, reason: str, message: str) -> None:
        self.refresh(force=True)
        self.statusBar().showMessage(message, 10000)
        if reason in ("diverged", "overflow"):
            self.notice.show_message(message, "warning")

    def _on_failed(self, details: str) -> None:
        self.notice.show_message(f"Training stopped on an error: {details.strip().splitlines()[-1]}", "error")

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.controller.shutdown()
        QSettings().setValue("window/state", self.saveState())
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
