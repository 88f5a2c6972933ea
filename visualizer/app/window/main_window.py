"""The main window: the J(w, b) surface in the middle, docks around it, wired to one WindowState.

Panels send intents to the state (``visualizer.model.state``) and draw from it and the latest
snapshot; the training controller follows it. This file builds the docks and menus and
connects them; drawing, data and file handling live in the mixins beside it.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common import wheel
from visualizer.app.common.accessibility import name_by_labels
from visualizer.app.common.docks import QT_AREAS
from visualizer.app.common.fitting import ElidedLabel, LiveLabelBox, ScrolledPanel
from visualizer.app.explorer.explorer import ExplorerWindow
from visualizer.app.export.run_exports import RunExports
from visualizer.app.lessons.lesson_files_actions import LessonFileActions
from visualizer.app.lessons.lessons_window import LessonsWindow
from visualizer.app.panels.notice import NoticeBar
from visualizer.app.run.preset_search import PresetSearcher
from visualizer.app.run.replay import Replayer
from visualizer.app.run.training import TrainingController
from visualizer.app.window import preferences
from visualizer.app.window.branch_question import settle_looking_back
from visualizer.app.window.data_actions import DataActions
from visualizer.app.window.editing import RunSwap, keeping, removing
from visualizer.app.window.file_actions import FileActions
from visualizer.app.window.keys import FocusedWidgetFirst
from visualizer.app.window.menus import build_menus
from visualizer.app.window.panel_widgets import MAKERS, PARTS, SCROLLED, Panels
from visualizer.app.window.rendering import FRAME_MS, GHOST_DELAY_MS, Rendering
from visualizer.app.window.window_layout import WindowLayout
from visualizer.data import Dataset
from visualizer.model.notices import USUAL, Happening
from visualizer.model.panels import LESSON_PANELS, LESSONS, PANELS, panel_of
from visualizer.model.race_config import race_options
from visualizer.model.settings import RunSettings
from visualizer.model.state import DataSets, WindowState

#: A "Show me" notice is about this α (or, with none found, these settings) on this data.
SHOW_ME = USUAL | {Happening.ALPHA, Happening.OPTIMIZER}


def compact_combos(root: QWidget) -> None:
    """Long item texts must not set the window's minimum width; a combo caches that width on first asking."""
    for box in root.findChildren(QComboBox):
        natural = box.sizeHint().width()
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(10)
        if box.sizeHint().width() > natural:  # a short combo keeps its own width
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow)


class MainWindow(WindowLayout, Rendering, DataActions, FileActions, LessonFileActions, QMainWindow):
    def __init__(self, train: Dataset, test: Dataset | None, settings: RunSettings | None = None,
                 remember_layout: bool = True):
        super().__init__()
        self.remember_layout = remember_layout
        self.state = WindowState(DataSets(train, test), settings or RunSettings())
        # a child: Qt holds the window's lambdas connected to its signals until the window is deleted with it
        self.controller = TrainingController(self.state, self)
        self.replayer = Replayer(self.state, self)
        self.panels = Panels({p.key: MAKERS[p.key](self.state) for p in PANELS if p.area != LESSONS}, self._make_lesson)
        # the panels the window's own code wires and draws by name; any other is reached through self.panels
        self.controls, self.cost_curve, self.surface = (self.panels[k] for k in ("controls", "cost", "surface"))
        self.gallery, self.sigmoid, self.weights, self.classify = (
            self.panels[k] for k in ("gallery", "sigmoid", "weights", "classify"))
        self.notice = NoticeBar(self.state)
        self.preset_search = PresetSearcher(self.state, self)
        self.preset_search.found.connect(self._offer_preset)
        self.preset_search.searching.connect(lambda text: self.notice.show_message(text, "info", "show me", SHOW_ME))
        for panel in self.panels.values():
            compact_combos(panel)  # before the docks measure them
        self.undo = QUndoStack(self)
        self.ask_before_closing = True
        self._saved_iteration = 0
        self.explorer: ExplorerWindow | None = None
        self.exports = RunExports(self.controller, self.state, self.panels, self._ask_path, self._guarded)
        self._init_rendering()
        self._init_data_actions()
        self._ghost_timer = QTimer(self, singleShot=True, interval=GHOST_DELAY_MS)
        self._ghost_timer.timeout.connect(self._draw_ghost)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.notice)
        column.addWidget(self.surface, 1)
        self.setCentralWidget(central)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.lessons_window = LessonsWindow(self)
        self.docks: dict[str, QDockWidget] = {}
        for p in PANELS:
            if p.docked:
                panel = self.panels[p.key]
                self.docks[p.key] = self._dock(p.title, ScrolledPanel(panel) if p.key in SCROLLED else panel,
                                               QT_AREAS[p.area])
            elif p.area == LESSONS:  # its panel is made when it is first opened (_make_lesson)
                self.docks[p.key] = self.lessons_window.add(p.title)
                self.docks[p.key].visibilityChanged.connect(lambda shown, key=p.key: shown and self.lesson(key))
        for p in PANELS:
            if p.behind is not None:
                self.tabifyDockWidget(self.docks[p.behind], self.docks[p.key])
                self.docks[p.behind].raise_()
        self._init_lesson_files()  # the Instructions dock, before the View menu lists the docks
        self.status = ElidedLabel()
        self.status.setAccessibleName("Status")
        self.statusBar().addPermanentWidget(LiveLabelBox(self.status), 1)  # it changes at every frame
        build_menus(self)
        self.lessons_window.watch(self.docks["instructions"])  # a lesson never covers its instructions
        self.lessons_window.share_shortcuts(self.actions())  # Alt+2 works while a lesson has the focus
        self._init_theme()
        self._keys = FocusedWidgetFirst(self)
        QApplication.instance().focusChanged.connect(self.bring_focus_into_view)
        self._follows_focus = True
        self._connect()
        self._show_data()
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._restore_layout()
        self.chosen_settings = preferences.ChosenSettings(self.state.settings)
        events = self.state.events
        events.settings.connect(lambda new, old: None if self.lesson_file is not None or self._applying_lesson
                                else self.chosen_settings.note(new, old))
        name_by_labels(self)
        wheel.guard(self)  # the lessons window's panels too: it is a child of this one
        for view in self.findChildren(pg.GraphicsView):  # Tab skips plots, which show no focus
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._keys.watch(self)
        compact_combos(self)
        self.order_tabs()
        self.controls.train_button.setFocus()  # Space right after launch trains (the first focus went to Slice)
        self.refresh(force=True)

    def _make_lesson(self, key: str) -> QWidget:
        """A lesson's panel, made, placed and wired as the window's own panels were when it was built."""
        panel = self.panels[key] = MAKERS[key](self.state)
        panel.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys reach it (Esc closes it) once opened
        compact_combos(panel)
        self.docks[key].setWidget(panel)
        panel.setAccessibleName(panel.accessibleName() or self.docks[key].windowTitle())  # read out when focused
        if key == "computation-graph":
            panel.checkRequested.connect(self.check_gradient)
        elif key == "vectorization":
            panel.runRequested.connect(self.time_vectorization)
        self.dress(panel)
        name_by_labels(panel)
        for view in panel.findChildren(pg.GraphicsView):
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        wheel.guard(panel)
        self._keys.watch(panel)
        return panel

    def view_widget(self, view: str) -> QWidget:
        """The widget a view of one panel (visualizer/model/panels.py) grabs: the panel, or a part of it."""
        panel = self.panels[panel_of(view).key]
        return PARTS[view](panel) if view in PARTS else panel

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        # a tab brought to the front shows the iteration of the moment, not the one it was hidden at
        dock.visibilityChanged.connect(lambda on: on and self.redraw_soon())
        dock.visibilityChanged.connect(  # a tab brought to the front in presentation mode gets room for all of it
            lambda on: on and getattr(self, "presentation", False) and QTimer.singleShot(0, self.room_in_front))
        for moved in (dock.dockLocationChanged, dock.topLevelChanged):  # Tab follows it where it goes
            moved.connect(lambda *_: QTimer.singleShot(0, self, self.order_tabs))
        return dock

    def _connect(self) -> None:
        c, p, events = self.controller, self.controls, self.state.events
        p.trainToggled.connect(self.press_train)
        p.replayRequested.connect(self.toggle_replay)
        p.replaySpeedChosen.connect(lambda speed: setattr(self.replayer, "speed", speed))
        self.replayer.playingChanged.connect(p.show_replaying)
        self.replayer.playingChanged.connect(self.stop_replay_action.setEnabled)
        self.replayer.playingChanged.connect(lambda _: self.refresh(force=True))  # the status says "replaying"
        p.stepRequested.connect(self.step)
        p.resetRequested.connect(self.reset)
        p.presetChosen.connect(self.choose_preset)
        events.settings.connect(self._settings_changed)
        events.data.connect(self._data_changed)
        events.view_iteration.connect(self._view_changed)
        events.selected.connect(self._selection_changed)
        events.threshold.connect(lambda *_: self.refresh(force=True))  # the ✓/✗ and the Evaluation panel
        events.cell.connect(lambda *_: self.refresh(force=True))
        c.runningChanged.connect(p.show_running)
        c.runningChanged.connect(lambda _: self.refresh(force=True))
        c.reset_done.connect(lambda: self.refresh(force=True))
        c.discarded.connect(self._run_discarded)
        c.stopped.connect(self._on_stopped)
        c.failed.connect(self._on_failed)
        self.gallery.exampleSelected.connect(self.select_example)
        self.sigmoid.exampleSelected.connect(self.select_example)
        self.gallery.tabs.currentChanged.connect(lambda _: self.refresh(force=True))
        self.gallery.editRequested.connect(self.edit_example)
        self.gallery.showAllRequested.connect(self.state.show_all)
        self.classify.addRequested.connect(self.add_to_training)
        self.panels["boundary"].pointAdded.connect(self.add_point)
        self.cost_curve.pinned.keepRequested.connect(self.keep_run)
        self.cost_curve.pinned.removeRequested.connect(self.remove_kept)
        for label, target in enumerate(self.classify.add_targets):
            target.dropped.connect(lambda mime, label=label: self.classify_mime(mime, label))
        self.undo.cleanChanged.connect(self._clean_changed)  # a method: Qt drops it when the window goes

    # ------------------------------------------------------------------ the state
    @property
    def view_iteration(self) -> int | None:
        return self.state.view_iteration

    @property
    def selected(self) -> tuple[str, int] | None:
        return self.state.selected

    def _settings_changed(self, new: RunSettings, old: RunSettings) -> None:
        if new.alpha != old.alpha:
            self._ghost_timer.start()  # the old alpha's ghost, once the slider rests
        self.refresh(force=True)

    def _data_changed(self, data, old) -> None:
        self._show_data()
        self.refresh(force=True)

    def _view_changed(self, iteration: int | None) -> None:
        """Show an earlier iteration everywhere (the state has clamped it to what can be replayed)."""
        if iteration is not None:
            self.controller.pause()
        self.refresh(force=True)

    def _selection_changed(self, selected) -> None:
        if selected is not None:
            self.gallery.select(*selected)
        self.sigmoid.select(selected[1] if selected and selected[0] == "train" else None)
        self.refresh(force=True)

    # ------------------------------------------------------------------ intents
    def toggle_training(self) -> None:
        """Space: Train or Pause; during a replay it stops the replay."""
        if self.replayer.playing:
            self.replayer.stop()
            return
        if self.controller.running:
            self.controller.pause()
            return
        if settle_looking_back(self, self.state, self.controller):
            self.controller.start()

    def press_train(self) -> None:
        """The Train button; during a replay it stops the replay and trains on from the run's end."""
        if self.replayer.playing:
            self._end_replay()
        self.toggle_training()

    def toggle_replay(self) -> None:
        """Play the run again from its start (pausing it first), or stop the replay."""
        if self.replayer.playing:
            self.replayer.stop()
            return
        self.controller.pause()
        if not self.replayer.play():
            note = self.controller.replay_note()
            self.statusBar().showMessage(f"Nothing to replay. {note[0].upper()}{note[1:]}." if note else
                                         "Nothing to replay yet: train or step first.", 8000)

    def _end_replay(self) -> None:
        """Back to the run's end, as if the replay had played to it."""
        self.replayer.stop()
        self.state.look_at(None)

    def back_to_end(self) -> None:
        """End: the run's last iteration again, after looking back or a replay; nothing is dropped."""
        self._end_replay()

    def step(self, n: int) -> None:
        """n more iterations; while looking back, the view moves n on along the run (nothing is dropped)."""
        if self.controller.running:
            return
        if self.replayer.playing:
            self._end_replay()  # a step during a replay is one more step of the run, not a branch from the replay
        elif self.view_iteration is not None:
            ahead = self.view_iteration + n
            self.state.look_at(None if ahead >= self.controller.gd.iteration else ahead)
            return
        self.controller.step(n)

    def step_back(self) -> None:
        """←: one iteration back; at the earliest the run can show, the status bar says why there is no further."""
        self.controller.pause()
        current = self.controller.gd.iteration if self.view_iteration is None else self.view_iteration
        if current <= self.controller.gd.replay_from and (note := self.controller.replay_note()):
            self.statusBar().showMessage(f"{note[0].upper()}{note[1:]}.", 8000)
        self.look_at(max(0, current - 1))

    def look_at(self, iteration: int) -> None:
        self.state.look_at(iteration)

    def select_example(self, set_name: str, index: int) -> None:
        self.state.select(set_name, index)

    def set_alpha(self, alpha: float) -> None:
        """A new alpha from now on; the old one's path goes on faintly as a ghost."""
        self.state.change_settings(alpha=alpha)

    def choose_preset(self, name: str) -> None:
        """The α whose run does what ``name`` says, found by running candidates (app/run/preset_search.py)."""
        self.preset_search.choose(name)

    def _offer_preset(self, name: str, preset) -> None:
        if preset.alpha is None:
            self.notice.show_message(f"No α is {name} here. {preset.why}", "info", "show me", SHOW_ME)
            return
        self.set_alpha(preset.alpha)  # told after: the new α does not end the notice about it
        then = "Press Train" if self.controller.gd.iteration == 0 else "Press Reset, then Train,"
        self.notice.show_message(f"α = {preset.alpha:g}: {name} here. Run from the start for "
                                 f"{self.preset_search.result.iterations} iterations: {preset.why} {then} to watch.",
                                 "info", "show me", SHOW_ME)

    def reset(self) -> None:
        self.state.look_at(None)
        self.controller.reset()

    def keep_run(self) -> None:
        """Run > Keep this run: its cost curve stays in the cost panel, labelled with its settings, until removed
        (Ctrl+Z takes it back)."""
        if (edit := keeping(self.state, self.controller)) is not None:
            self.undo.push(edit)

    def remove_kept(self, index: int | None) -> None:
        """Remove the kept curve at ``index``, or all of them (None); Ctrl+Z brings them back."""
        if (edit := removing(self.state, index)) is not None:
            self.undo.push(edit)

    def open_explorer(self) -> None:
        c = self.controller
        if self.explorer is not None:
            self.explorer.close()
        self.explorer = ExplorerWindow(c.train, c.test, race_options(c.settings), self)
        self.explorer.show()

    # ------------------------------------------------------------------ events
    def _run_discarded(self, kept) -> None:
        """Reset, or a new loss, init or seed, replaced a run: Ctrl+Z brings it back (a lesson's own start is not)."""
        if self._applying_lesson:
            return
        self.undo.push(RunSwap(self, kept))
        self.state.tell(f"A new run from iteration 0. The run of {kept.gd.iteration} iterations is put aside: "
                        "Ctrl+Z brings it back.")

    def _on_stopped(self, reason: str, message: str) -> None:
        """What J did, when it did not fall at every step, is the run's notice (the controller tells it while true)."""
        self.refresh(force=True)
        self.statusBar().showMessage(message, 8000)

    def _on_failed(self, details: str) -> None:
        self.notice.show_message(f"Training stopped on an error: {details.strip().splitlines()[-1]}", "error")

    def closeEvent(self, event) -> None:
        if not self.save_first("closing"):
            event.ignore()
            return
        self.timer.stop()
        self.replayer.stop()
        self._keys.stop()
        if self._follows_focus:  # a second close must not disconnect again
            self._follows_focus = False
            QApplication.instance().focusChanged.disconnect(self.bring_focus_into_view)
        if self.explorer is not None:
            self.explorer.close()
        for key in LESSON_PANELS:
            if key in self.panels and hasattr(self.panels[key], "timer"):  # made, and with a timer
                self.panels[key].timer.stop()
        self._stop_workers()
        self.preset_search.stop()
        self.controller.shutdown()
        self.surface.release_gl()
        self.state.close()  # the panels' callbacks on it hold the window: psygnal would keep it for ever
        if self.remember_layout:
            preferences.remember_window(self.saveState(), self.saveGeometry())
            preferences.remember_settings(self.chosen_settings)  # a lesson's own settings are not the user's
        super().closeEvent(event)
