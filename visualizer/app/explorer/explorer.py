"""Explore > Compare runs (race): configurations side by side from one start, and a sweep over α.

The race runs on one Worker; the window redraws its curves a few times a second from each run's
few hundred rows. The shared slice and the results table are drawn when the race ends or stops.
The race and the sweep are kept with the window (and in a saved session), so closing the
explorer loses nothing while the data stays the same; each tab has its own CSV, PNG and SVG exports.
"""

from __future__ import annotations

import math
import threading

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common import wheel
from visualizer.app.common.accessibility import buddy, name_by_labels
from visualizer.app.common.application import settle
from visualizer.app.common.fitting import WrappedLabel, fit_window
from visualizer.app.explorer.comparison_plots import RaceExports, RaceNote, RacePlots
from visualizer.app.explorer.race_table import ConfigTable, ResultsTable
from visualizer.app.explorer.sweep_tab import SweepTab
from visualizer.app.run.worker import Worker
from visualizer.core.analysis.race import PRESETS, X_AXES, Race, RaceConfig
from visualizer.data import Dataset
from visualizer.formats.comparison_files import SavedComparison
from visualizer.model.race_config import race_options, trainable

#: Iterations each run goes on between two looks at the stop flags.
CHUNK = 25
#: The size it opens at where the screen has room.
PREFERRED = QSize(1200, 800)


def button(text: str, tip: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b


class ExplorerWindow(RaceExports, QMainWindow):
    """The race (configurations from one start) and the sweep of α, in two tabs."""

    def __init__(self, train: Dataset, test: Dataset | None, options: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Compare runs (race)")
        self.train, self.test, self.options = train, test, dict(options)
        self.race: Race | None = None
        self.job: Worker | None = None
        self._halt = threading.Event()
        self.sweep = SweepTab(train, self.options)
        self.sweep.open_alpha.connect(self.open_run)
        tabs = QTabWidget()
        tabs.addTab(self._race_tab(), "Race")
        tabs.addTab(self.sweep, "Sweep α")
        self.tabs = tabs
        close = button("&Close", "Close the explorer (Esc or Ctrl+W); the race is kept for next time.", self.close)
        tabs.setCornerWidget(close)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence.StandardKey.Close):
            QShortcut(keys, self, self.close)
        self.setCentralWidget(tabs)
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.redraw)
        fit_window(self, PREFERRED)  # Close and the exports on the screen of a 1024 x 768 laptop
        name_by_labels(self)
        for view in self.findChildren(pg.GraphicsView):  # Tab skips plots, which show no focus (the main window's too)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        wheel.guard(self)

    # ------------------------------------------------------------------ layout
    def _race_tab(self) -> QWidget:
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(12)  # its longest name set the window's width (1094 px at 1.6 x text)
        self.preset.setToolTip("Ready-made races: the course's α, batch against mini-batch against stochastic "
                               "descent, GD against momentum against Adam, L2 from 0 to 10, large steps, the window's "
                               "model from seeds 1, 2 and 3, and 1 to 5 hidden units (both at the flower's α 1.2).")
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 1_000_000)
        self.iterations.setValue(1500)
        self.iterations.setToolTip("Iterations (updates) for every run of the race.")
        self.run_button = button("&Run", "Run every configuration from the same start (or its row's seed), in the "
                                 "background.",
                                 self.run_race)
        self.add_button = button("Add to race", "Rows not yet in the race join it while the others go on; "
                                 "unfinished runs go on.", self.add_runs)
        self.stop_button = button("Sto&p", "Stop the race here and draw the slice and the table.", self.stop_race)
        self.stop_button.setEnabled(False)
        head = QHBoxLayout()
        for w in (buddy("Pre&set", self.preset), self.preset,
                  button("&Load preset", "Put the preset's rows in the table and race them.", self.apply_preset),
                  buddy("&Iterations", self.iterations), self.iterations, self.run_button, self.add_button,
                  self.stop_button):
            head.addWidget(w)
        head.addStretch(1)
        self.config_table = ConfigTable(self.train.m)
        self.config_table.problem.connect(lambda text: self.message.setText(text))
        self.config_table.set_configs(PRESETS["Course α"][0])
        self.config_table.setMaximumHeight(140)
        self.config_table.setMinimumHeight(110)  # a preset's three rows
        rows = QVBoxLayout()
        rows.addWidget(button("A&dd row", "A new row, copied from the current one, to edit.",
                              lambda: self.config_table.add_row()))
        rows.addWidget(button("Re&move row", "Remove the current row from the table.", self.config_table.remove_row))
        rows.addStretch(1)
        table_row = QHBoxLayout()
        table_row.addWidget(self.config_table, 1)
        table_row.addLayout(rows)
        self.axis = QComboBox()
        self.axis.addItems(list(X_AXES))
        self.axis.setToolTip("Cost against iterations (updates), epochs (passes over the m examples) or "
                             "seconds of the optimizer's own work.")
        self.axis.currentTextChanged.connect(self.set_axis)
        self.target = QLineEdit("0.3")
        self.target.setToolTip("The table says when each run's full J first reached this cost.")
        self.target.setFixedWidth(80)
        self.target.editingFinished.connect(self._draw_table)
        tools = QHBoxLayout()
        for w in (buddy("&x axis", self.axis), self.axis, buddy("&Target cost", self.target), self.target):
            tools.addWidget(w)
        tools.addStretch(1)
        self.race_buttons = self.race_exports()
        for b in self.race_buttons.buttons:
            tools.addWidget(b)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.plots = RacePlots()
        self.race_note = RaceNote()
        self.results = ResultsTable()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(head)
        caption = QHBoxLayout()
        caption.addWidget(buddy("Con&figurations", self.config_table))
        caption.addWidget(WrappedLabel("(one run per row, all from the same start and of the window's model but for "
                                       "a row's own seed or hidden layers; arrows move, typing or F2 edits a cell)"),
                          1)  # wraps: 1094 px at 1.6 x
        layout.addLayout(caption)
        layout.addLayout(table_row)
        layout.addLayout(tools)
        layout.addWidget(self.message)
        layout.addWidget(self.race_note)
        layout.addWidget(self.plots, 3)
        layout.addWidget(buddy("Res&ults", self.results))
        layout.addWidget(self.results, 1)
        self.plots.setMinimumHeight(240)  # on a 960 x 540 screen they were squeezed to 120 px: the tab scrolls instead
        self.results.setMinimumHeight(110)  # its heading and three runs
        scroll = QScrollArea()  # not ScrolledPanel: at 1.6 x text on 960 px its scroll bar's room widened the window
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: its controls are
        return scroll

    # ------------------------------------------------------------------ racing
    def apply_preset(self, name: str | None = None) -> None:
        name = name or self.preset.currentText()
        self.preset.setCurrentText(name)
        configs, iterations = PRESETS[name]
        self.config_table.set_configs(configs)
        self.iterations.setValue(iterations)
        self.run_race()

    def run_race(self) -> None:
        """A new race of every row of the table, from the same start."""
        configs = self.config_table.configs()
        if not configs:
            self.message.setText("Add a row first: the race runs one configuration per row.")
            return
        self.pause()
        self.message.setText("")
        t = self.test
        self.race = Race(self.train.X, self.train.Y, None if t is None else t.X, None if t is None else t.Y,
                         iterations=self.iterations.value(), **self.options)
        self.plots.clear()
        self.results.setRowCount(0)
        self._join(configs)
        self._start()

    def add_runs(self) -> None:
        """Rows not yet in the race join it; every unfinished run goes on."""
        if self.race is None:
            self.run_race()
            return
        self.pause()
        racing, configs = {r.config for r in self.race.runs}, self.config_table.configs()
        new = [c for c in configs if c not in racing]
        repeated = [f"row {i + 1} ({c.label()})" for i, c in enumerate(configs) if c in configs[:i]]
        self.message.setText(f"Already in the race: {', '.join(repeated)}." if repeated else "")
        self._join(new)
        if not new and not self.race.unfinished():
            self.message.setText("Every row is already in the race, and every run has finished.")
            return
        self._start()

    def open_run(self, alpha: float) -> None:
        """From the sweep: this α as a row of the race (batch gradient descent), joining it."""
        self.tabs.setCurrentIndex(0)
        config = RaceConfig(alpha=alpha)
        if config not in self.config_table.configs():
            self.config_table.add_row(config)
        self.add_runs()

    def _join(self, configs: list[RaceConfig]) -> None:
        problems = []
        for config in configs:
            try:
                self.race.add(trainable(config, self.race.n_x))
            except ValueError as exc:
                problems.append(str(exc))
                continue
            self.plots.add_run(config.label())
        self.race_note.show_for(self.race, self.plots)
        self.allow_race_exports()
        if problems:
            self.message.setText("Not raced: " + "; ".join(dict.fromkeys(problems)) + ".")

    def _start(self) -> None:
        race, halt = self.race, self._halt
        halt.clear()

        def work(cancelled, _progress):
            stop = lambda: cancelled() or halt.is_set()  # noqa: E731
            while not stop() and race.step(CHUNK, cancelled=stop):
                pass
            race.settle()
            if not cancelled():
                race.shared_slice()

        job = self.job = Worker(work, self)
        job.failed.connect(lambda msg: self.message.setText(f"The race stopped: {msg}"))
        job.finished.connect(lambda: job is self.job and self._idle())  # a job paused and replaced says nothing
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.job.start()
        self.timer.start()

    def stop_race(self) -> None:
        """Stop where the runs are; the worker still draws the slice."""
        self._halt.set()

    def pause(self) -> None:
        """Stop the race at once (no slice), e.g. before it is saved; ``add_runs`` goes on from here."""
        if self.job is not None and self.job.isRunning():
            self.job.stop()
            self.race.settle()
            self._idle()

    def _idle(self) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.timer.stop()
        self.redraw(final=True)

    def set_axis(self, axis: str) -> None:
        self.plots.set_axis(axis)
        if self.race is not None:
            self.plots.draw_curves(self.race)
            self.plots.curves.autoRange()

    def redraw(self, final: bool = False) -> None:
        if self.race is None:
            return
        self.plots.draw_curves(self.race)
        if final:
            self._draw_table()
            labels = [r.config.label() for r in self.race.runs]
            self.plots.draw_slice(self.race.slice, labels)
            self.race_note.show_for(self.race, self.plots)

    def target_cost(self) -> float | None:
        try:
            value = float(self.target.text())
        except ValueError:
            return None
        return value if math.isfinite(value) and value >= 0 else None

    def _draw_table(self) -> None:
        if self.race is None:
            return
        target = self.target_cost()
        if target is None:
            self.message.setText(f"Target cost: {self.target.text()[:20]!r} is not a number >= 0.")
        rows = self.race.summaries(target)
        self.results.fill(rows)
        self.plots.name_runs([s.label + {"diverges": " (diverged)", "unstable": " (unstable at first)"}.get(
            s.verdict.kind, "") for s in rows])

    # ------------------------------------------------------------------ keeping
    def saved(self) -> SavedComparison | None:
        """The race and the sweep as they stand, for a session file (None: nothing to keep)."""
        if self.race is None and not self.sweep.points:
            return None
        race = self.race
        return SavedComparison(
            race.iterations if race else self.iterations.value(), self.options.get("loss", "cross-entropy"),
            self.options.get("init", "zeros"), self.options.get("seed", 0), self.target_cost() or 0.0,
            self.plots.axis, list(race.runs) if race else [], race.slice if race else None,
            self.sweep.settings() if self.sweep.points else None, self.sweep.points or None,
            self.sweep.curves if self.sweep.points else None)

    def restore(self, saved: SavedComparison) -> None:
        """Show a kept comparison as it was: its rows, curves, slice, table and sweep."""
        self.stop()
        self.options.update(loss=saved.loss, init=saved.init, seed=saved.seed)
        t = self.test
        self.race = Race(self.train.X, self.train.Y, None if t is None else t.X, None if t is None else t.Y,
                         iterations=saved.iterations, **self.options)
        self.race.runs, self.race.slice = list(saved.runs), saved.slice
        self.iterations.setValue(saved.iterations)
        self.target.setText(f"{saved.target:g}")
        self.axis.setCurrentText(saved.axis)
        if saved.runs:  # a kept sweep alone leaves the table's rows as they are
            self.config_table.set_configs([r.config for r in saved.runs])
        self.plots.clear()
        for run in saved.runs:
            self.plots.add_run(run.config.label())
        self.redraw(final=True)
        self.plots.curves.autoRange()
        self.allow_race_exports()
        if saved.sweep is not None:
            self.sweep.restore(saved.sweep, saved.sweep_points or [], saved.sweep_curves)

    # ------------------------------------------------------------------ closing
    def stop(self) -> None:
        if self.job is not None and self.job.isRunning():
            self.job.stop()
        self.sweep.stop()

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.stop()
        super().closeEvent(event)


def show_explorer(window) -> ExplorerWindow:
    """Explore > Compare runs: the explorer as it was left, race and sweep kept, while the data, the loss and
    the start and the model are the same (a race compares runs of one J from one point)."""
    c, ex = window.controller, window.explorer
    same = race_options(c.settings)
    if ex is None or ex.train is not c.train or ex.test is not c.test or ex.options != same:
        window.open_explorer()
    else:
        ex.show()
        ex.raise_()
        ex.activateWindow()
    return window.explorer


def kept_comparison(window) -> SavedComparison | None:
    """For File > Save session: the explorer's race and sweep when they are about the session's data."""
    ex = window.explorer
    if ex is None or ex.train is not window.controller.train:
        return None
    if ex.job is not None and ex.job.isRunning():
        ex.message.setText("The race was paused to save the session; Add to race goes on from here.")
    ex.pause()
    return ex.saved()


def reopen_comparison(window, saved: SavedComparison) -> None:
    """After File > Open session: its kept comparison in a new explorer, as it was."""
    window.open_explorer()
    window.explorer.restore(saved)


def race_picture(window, size: tuple[int, int], preset: str = "GD vs momentum vs Adam"):
    """`visualizer screenshot --view race`: the preset raced to the end in an explorer off the screen."""
    ex = ExplorerWindow(window.controller.train, window.controller.test, race_options(window.controller.settings),
                        window)
    ex.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    ex.resize(*size)
    ex.show()
    ex.apply_preset(preset)
    while ex.job.isRunning():
        QApplication.processEvents()
        ex.job.wait(50)
    settle(0.3)
    image = ex.grab().toImage()
    ex.close()
    return image
