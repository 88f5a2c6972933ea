"""Lesson files in the window: open one (data, settings, panels, locks, iterations), save the window as one.

A lesson is read and checked in full, and its data loaded on a worker, before anything of the
window changes: a bad lesson is a message box naming the file, the line and the key, and the
window stays as it was. Opening a data set or a session (a fresh data set in the state) ends
the lesson and unlocks every control; a lesson's own data edits keep it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog

from visualizer.app.common.docks import QT_AREAS
from visualizer.app.common.placing import KeepClear
from visualizer.app.explorer.explorer import PREFERRED as EXPLORER_SIZE
from visualizer.app.explorer.explorer import show_explorer
from visualizer.app.lessons.expectation_dialog import ExpectationDialog
from visualizer.app.panels.instructions import InstructionsPanel
from visualizer.app.run.ahead import run_ahead
from visualizer.app.run.worker import Worker
from visualizer.data import DEMO_DIR, Dataset, LoadCancelled
from visualizer.data.course_h5 import default_test_file
from visualizer.data.planar import is_planar
from visualizer.formats.lesson_files import (
    AREAS,
    CONTROLS,
    COURSE_TRAIN,
    LESSON_PANELS,
    MAIN_PANELS,
    MAX_ITERATIONS,
    Lesson,
    LessonData,
    LessonError,
    load_lesson,
    load_lesson_data,
)
from visualizer.formats.lesson_writer import save_lesson
from visualizer.fs.resources import LESSONS_DIR
from visualizer.model.expectations import parse
from visualizer.model.lesson_facts import facts, why_no_facts


def class_lessons() -> list[tuple[str, Path]]:
    """(title, path) of each shipped lesson, in file-name order; a broken one is left out of the menu."""
    found = []
    for path in sorted(LESSONS_DIR.glob("*.toml")):
        try:
            found.append((load_lesson(path).title, path))
        except LessonError:
            continue
    return found


def data_source_of(train: Dataset, lesson_path: Path) -> str:
    """What a saved lesson writes for the window's data: "demo", a built-in planar:NAME set as it is named, or
    its path relative to the lesson."""
    if is_planar(train.source):
        return train.source
    source = Path(train.source)
    if source.resolve() in (DEMO_DIR.resolve(), (DEMO_DIR / "train").resolve()):
        return "demo"
    if source.name == "train" and (source.parent / "test").is_dir():
        source = source.parent  # a folder split into train/ and test/ opens as the folder
    try:
        return os.path.relpath(source.resolve(), lesson_path.resolve().parent)
    except ValueError:  # another drive (Windows)
        return str(source.resolve())


def source_of_lesson(current: Lesson | None, train: Dataset, lesson_path: Path) -> str:
    """``data_source_of``, except that a lesson on the course's files keeps "course": a path to them on the
    teacher's machine would not be found on a student's."""
    if current is not None and current.data.source == "course" and Path(train.source).name == COURSE_TRAIN:
        return "course"
    return data_source_of(train, lesson_path)


def test_source_of(train: Dataset, test: Dataset | None, lesson_path: Path) -> str | None:
    """What a saved lesson writes for the test set: None when the source gives it by itself
    (held out, a test/ beside train/, the course's test file), else its path as for the data."""
    if test is None or test.source.startswith(f"{train.source} (held out"):
        return None
    own = Path(train.source)
    defaults = [own.parent / "test"] if own.name == "train" else []
    if own.suffix.lower() in (".h5", ".hdf5"):
        defaults.append(default_test_file(own))
    if any(Path(test.source).resolve() == d.resolve() for d in defaults if d is not None):
        return None
    return data_source_of(test, lesson_path)


class LessonFileActions:
    """Mixed into MainWindow."""

    def _init_lesson_files(self) -> None:
        self.lesson_file: Lesson | None = None
        self.lesson_error: QMessageBox | None = None
        self._lesson_job: Worker | None = None
        self._applying_lesson = False
        self._own = None  # (dock layout, settings, train, test) of the window before its first lesson
        self.instructions = InstructionsPanel()
        self.docks["instructions"] = self._dock("Instructions", self.instructions,
                                                Qt.DockWidgetArea.RightDockWidgetArea)
        self.docks["instructions"].hide()
        self.state.events.data.connect(self._lesson_data_changed)
        self.state.events.settings.connect(self._lesson_settings_changed)
        self.controller.runningChanged.connect(self._lesson_running_changed)

    # ------------------------------------------------------------------ opening
    def open_lesson_file(self, path: str | None = None) -> None:
        path = path or self._ask_path("Open a lesson", "Lessons (*.toml)", "", save=False)
        if not path or self._lesson_job is not None:
            return
        try:
            lesson = load_lesson(path)  # every value checked before anything changes
        except LessonError as exc:
            self._refuse_lesson(str(exc))
            return
        if not self.save_first("opening the lesson"):  # as Quit asks: the lesson replaces the run and the data
            return
        progress = QProgressDialog(f"Opening the lesson {lesson.title}…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Opening a lesson")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        job = self._lesson_job = Worker(lambda cancelled, step: load_lesson_data(lesson, step, cancelled), self,
                                        expected=(LessonError,), quiet=(LoadCancelled,))
        job.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        progress.canceled.connect(job.cancel)
        job.succeeded.connect(lambda pair: self.apply_lesson(lesson, *pair) if not job.cancelled else None)
        job.failed.connect(self._refuse_lesson)
        job.finished.connect(progress.close)
        job.finished.connect(lambda: self._lesson_job_done(job))
        self._jobs.append(job)  # closing the window waits for it
        job.start()

    def _lesson_job_done(self, job: Worker) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        if self._lesson_job is job:
            self._lesson_job = None
        job.wait()
        job.deleteLater()

    def _refuse_lesson(self, message: str) -> None:
        """Non-blocking, so the window (and a test) goes on; nothing has changed."""
        self.lesson_error = QMessageBox(QMessageBox.Icon.Warning, "The lesson cannot be opened", message,
                                        QMessageBox.StandardButton.Ok, self)
        self.lesson_error.open()

    def apply_lesson(self, lesson: Lesson, train: Dataset, test: Dataset | None, wait: bool = False,
                     progress=None, cancelled=None) -> None:
        """The lesson's settings and data, panels, locks, then its first iterations (``wait``: before returning,
        calling ``progress(done, n)`` as they go and stopping early when ``cancelled()``)."""
        self.controller.pause()
        self.state.look_at(None)
        if self.lesson_file is None:  # what leaving the lessons goes back to
            self._own = (self.saveState(), self.state.settings, self.controller.train, self.controller.test)
        self.undo.clear()  # edits of the previous data cannot be undone into the lesson's
        self._applying_lesson = True
        try:
            self.controller.start_on(train, test, lesson.settings)
        finally:
            self._applying_lesson = False
        self.lesson_file = lesson
        self.instructions.show_lesson(lesson)
        self._arrange_panels(lesson)
        self._apply_controls()
        self._saved_iteration = 0
        if lesson.iterations:
            self._pre_run(lesson.iterations, wait, progress or (lambda *_: None), cancelled or (lambda: False))
        if lesson.race is not None and not self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):
            show_explorer(self).apply_preset(lesson.race)  # beside a window the user sees, not a screenshot's
            self._place_explorer()
        elif self.explorer is not None:
            self.explorer.close()  # it compared runs of the data the lesson replaced
        self.notice.show_message(f"Lesson: {lesson.title}. The Instructions panel says what to do.", "info")
        self.controller.tell_overflow()  # its first iterations stopped where the next step overflows
        self.refresh(force=True)

    def _place_explorer(self) -> None:
        """A lesson's race beside its Instructions, not over them (at 1280 x 800 it opened on top of them)."""
        ex = self.explorer
        if ex is not None and ex.isVisible():  # and off them again when they take their room
            (ex.findChild(KeepClear) or KeepClear(ex, self.docks["instructions"], EXPLORER_SIZE)).place()

    def _pre_run(self, n: int, wait: bool, progress, cancelled) -> None:
        """The lesson's first iterations, on a worker with a progress bar (the window is modal meanwhile)."""
        gd = self.controller.gd

        def work(cancelled, progress) -> None:
            run_ahead(gd, n, progress, cancelled)

        def done() -> None:
            if self.controller.gd is gd:
                self.controller.latest = self.controller._snapshot()
                self._saved_iteration = gd.iteration
                self.controller.tell_overflow()
            self.refresh(force=True)

        if wait:
            work(cancelled, progress)
            done()
            return
        progress = QProgressDialog(f"Running the lesson's first {n:,} iterations…", "Cancel", 0, n, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        job = self._lesson_job = Worker(work, self)
        job.progressed.connect(lambda k, total: progress.setValue(k))
        progress.canceled.connect(job.cancel)
        job.finished.connect(progress.close)
        job.finished.connect(done)
        job.finished.connect(lambda: self._lesson_job_done(job))
        self._jobs.append(job)
        job.start()

    @property
    def lesson_running(self) -> bool:
        """True while a lesson loads its data or runs its first iterations."""
        return self._lesson_job is not None

    def _arrange_panels(self, lesson: Lesson) -> None:
        d = self.docks
        for area in AREAS:
            names = getattr(lesson, area)
            for k, name in enumerate(names):
                if k == 0:
                    self.addDockWidget(QT_AREAS[area], d[name])
                else:
                    self.splitDockWidget(d[names[k - 1]], d[name], Qt.Orientation.Horizontal if area == "bottom"
                                         else Qt.Orientation.Vertical)
        for group in lesson.tabs:
            for name in group[1:]:
                self.tabifyDockWidget(d[group[0]], d[name])
        for name in MAIN_PANELS:
            d[name].setVisible(name in lesson.show)
        for group in lesson.tabs:
            d[group[0]].raise_()
        if self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):  # a screenshot's: its lessons stay off too
            self.lessons_window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        for name in LESSON_PANELS:
            if name in lesson.show:
                self.open_lesson(name)
            elif d[name].isVisible():
                d[name].hide()
        if not d["instructions"].isVisible():
            d["instructions"].show()
            QTimer.singleShot(0, self._size_instructions)  # once shown, it can take its room
        d["instructions"].raise_()
        QTimer.singleShot(0, lambda: self._size_lesson_panels(lesson))  # after the instructions took their room

    def _size_instructions(self) -> None:
        """Room to read: two fifths of its column's height (it opens below the panels of its area)."""
        self.resizeDocks([self.docks["instructions"]], [self.height() * 2 // 5], Qt.Orientation.Vertical)

    def _size_lesson_panels(self, lesson: Lesson) -> None:
        """Room to see: a panel the lesson puts under the surface nearly half the centre column, and the cost
        panel its three plots where its column has it (at 1024 x 768 lessons 15 to 19 showed the cost alone)."""
        below = [self.docks[name] for name in lesson.bottom if self.docks[name].isVisible()]
        if below:
            share = (self.centralWidget().height() + below[0].height()) * 9 // 20
            self.resizeDocks(below, [share] * len(below), Qt.Orientation.Vertical)
        cost = self.docks["cost"]
        if cost.isVisible() and not self.tabifiedDockWidgets(cost) and not cost.isFloating():
            frame = cost.height() - cost.widget().height()  # its title bar
            need = self.cost_curve.readable_height() + frame
            if cost.height() < need:
                self.resizeDocks([cost], [need], Qt.Orientation.Vertical)

    # ------------------------------------------------------------------ locks
    def _control_widgets(self, key: str) -> list:
        if key == "slice":  # the surface's own control, above the plot
            choice = self.surface.choice
            return [choice, *(label for label in self.surface.findChildren(QLabel) if label.buddy() is choice)]
        return self.controls.setting_widgets(key)

    def _lesson_actions(self) -> dict[str, list]:
        """The menu items (and so the shortcuts) that do what a locked or hidden control does."""
        steps = [a for a in self.actions() if a.text().startswith("Step ×")]  # the Run menu's ×10 and ×100
        return {"train": [self.train_action], "step": [self.step_action, *steps], "reset": [self.reset_action],
                "timeline": [self.back_action, self.end_action, self.replay_action]}

    def _apply_controls(self) -> None:
        """Lock and hide what the lesson says (nothing without one); called again whenever a panel re-enables."""
        lesson = self.lesson_file
        locked = set(lesson.locked) if lesson else set()
        hidden = set(lesson.hidden) if lesson else set()
        optimizer, model = self.controls.optimizer, self.controls.model
        optimizer.set_hidden(hidden & set(optimizer.rows))  # it shows only the rows its optimizer uses
        model.set_hidden(hidden & set(model.rows))  # and the model's only for a network
        for key in CONTROLS:
            for widget in self._control_widgets(key):
                widget.setEnabled(key not in locked and not (key == "step" and self.controller.running))
                if key not in optimizer.rows and key not in model.rows:
                    widget.setVisible(key not in hidden)
        for key, actions in self._lesson_actions().items():
            for action in actions:
                action.setEnabled(key not in locked | hidden)  # a hidden control's keys do nothing either

    def _lesson_running_changed(self, _running: bool) -> None:
        QTimer.singleShot(0, self._apply_controls)  # after the Controls panel has re-enabled its step buttons

    def _lesson_settings_changed(self, *_args) -> None:
        if self.lesson_file is not None:
            self._apply_controls()

    def _lesson_data_changed(self, data, _old) -> None:
        """A data set or a session opened: the lesson ends, every control is the students' again and the docks
        are where they were before the lesson."""
        if data.fresh and not self._applying_lesson and self.lesson_file is not None:
            self.lesson_file = None
            self.instructions.show_lesson(None)
            self._apply_controls()
            if self._own is not None:
                self.restoreState(self._own[0])
                self._own = None
            self.docks["instructions"].hide()

    def leave_lesson(self) -> None:
        """Lessons > Leave the lesson: the window as it was before the first lesson, its layout, settings and data
        (a new run on them), asking first as Quit does when the lesson's run changed."""
        if self.lesson_file is None or self._own is None or not self.save_first("leaving the lesson"):
            return
        _layout, settings, train, test = self._own
        self.controller.pause()
        self.controller.start_on(train, test, settings)  # its data ends the lesson and puts the docks back
        self.undo.clear()
        self._saved_iteration = 0
        self.notice.show_message("Left the lesson: your own panels, settings and data are back, from iteration 0.",
                                 "info")

    # ------------------------------------------------------------------ saving
    def lesson_from_window(self, path: str | os.PathLike) -> Lesson:
        """The window as a lesson: its data, settings, panels and iteration, and the open lesson's text and locks."""
        c, d, current = self.controller, self.docks, self.lesson_file
        train = c.train
        shown = [n for n in MAIN_PANELS if d[n].isVisible()] + [n for n in LESSON_PANELS if d[n].isVisible()]
        areas = {area: [] for area in AREAS}
        for name in shown:
            if name in MAIN_PANELS and not d[name].isFloating():
                area = next((a for a, q in QT_AREAS.items() if self.dockWidgetArea(d[name]) == q), None)
                if area is not None:
                    areas[area].append(name)
        for area, names in areas.items():
            names.sort(key=lambda n: d[n].x() if area == "bottom" else d[n].y())
        groups = []
        for name in shown:
            if name in MAIN_PANELS and not any(name in g for g in groups):
                tabbed = [t for t in self.tabifiedDockWidgets(d[name]) if t in [d[n] for n in MAIN_PANELS]]
                if tabbed:
                    group = [n for n in MAIN_PANELS if d[n] in (d[name], *tabbed)]
                    group.sort(key=lambda n: d[n].visibleRegion().isEmpty())  # the tab in front first
                    groups.append(group)
        data = current.data if current is not None and current.path is not None else LessonData()
        return Lesson(
            title=current.title if current else f"{Path(train.source).name or train.source}: a lesson",
            instructions=current.instructions if current else "",
            data=LessonData(source_of_lesson(current, train, Path(path)), test_source_of(train, c.test, Path(path)),
                            None if train.is_points else train.n_px, train.classes[1],
                            0.0 if c.test is None else data.test_fraction, data.contradictions),
            settings=self.state.with_alpha(c.gd.alpha), show=tuple(shown),
            tabs=tuple(tuple(g) for g in groups), locked=current.locked if current else (),
            hidden=current.hidden if current else (), iterations=min(c.gd.iteration, MAX_ITERATIONS),
            race=current.race if current else None, expect=current.expect if current else (),
            path=Path(path), **{a: tuple(n) for a, n in areas.items()})

    def save_lesson_file(self, path: str | None = None, expect: list[str] | None = None) -> bool:
        """``expect``: the sentences the lesson states; asked for (the open lesson's, and the run's measured facts
        to tick) when the path is asked for, else the open lesson's."""
        asked = not path  # None, or the menu action's "checked" False
        path = path or self._ask_path("Save as lesson", "Lessons (*.toml)", ".toml")
        if not path:
            return False
        self.controller.pause()
        lesson = self.lesson_from_window(path)
        if expect is None and asked:
            dialog = ExpectationDialog([e.text for e in lesson.expect], facts(self.controller.gd),
                                       why_no_facts(self.controller.gd), self)
            if dialog.exec() != ExpectationDialog.DialogCode.Accepted:
                return False
            expect = dialog.ticked()
        if expect is not None:
            lesson = replace(lesson, expect=tuple(parse(text) for text in expect))
        if not self._guarded("Saving the lesson", lambda: save_lesson(path, lesson)):
            return False
        edited = "" if self.undo.count() == 0 else " Edits of the data set are not part of a lesson."
        self.notice.show_message(f"Saved the lesson {path}: edit its title and instructions in any text editor."
                                 + edited, "info")
        return True

