"""Files in the window: models and sessions, recent files, and asking for a path. Every write goes through the
atomic writer; File > Export is visualizer/app/export/run_exports.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from visualizer.app.common.file_names import suggested_name
from visualizer.app.explorer.explorer import kept_comparison, reopen_comparison
from visualizer.app.window import preferences
from visualizer.app.window.editing import RunSwap, changed_since_clean, unsaved_sentence
from visualizer.core.models.registry import model_of
from visualizer.formats import model_files, storage
from visualizer.formats.storage import session_weights as weights_of


class FileActions:
    """Mixed into MainWindow."""

    def _ask_path(self, title: str, filters: str, suffix: str, save: bool = True) -> str | None:
        start = preferences.folder("files")
        if save:
            c = self.controller
            name = suggested_name(title, suffix, c.train.source, c.gd.iteration)
            path, _ = QFileDialog.getSaveFileName(self, title, str(Path(start) / name), filters)
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
        if self.controller.train.is_points:  # `visualizer predict` reads images; a model of points would be refused
            self.notice.show_message("Save model is for `visualizer predict`, which classifies images; this model "
                                     "is of 2-D points. Save the session instead (File > Save session…).", "info")
            return False
        path = path or self._ask_path("Save model", "Models (*.npz)", ".npz")
        if not path:
            return False
        c = self.controller
        c.pause()
        gd = c.gd
        if model_of(gd).has_hidden:  # its layers, activation and every W_l, b_l
            return self._guarded("Saving the model", lambda: model_files.save_network_model(
                path, gd.net, gd.theta, c.train.n_px, c.train.classes, gd.history.alpha_changes, gd.metrics()))
        return self._guarded("Saving the model", lambda: model_files.save_model(
            path, gd.w, gd.b, c.train.n_px, c.train.classes, gd.history.alpha_changes, gd.metrics()))

    def save_session(self, path: str | None = None) -> bool:
        path = path or self._ask_path("Save session", "Sessions (*.vis.npz *.npz)", ".vis.npz")
        if not path:
            return False
        c = self.controller
        c.pause()
        settings, comparison = self.state.with_alpha(c.gd.alpha), kept_comparison(self)
        ok = self._guarded("Saving the session", lambda: storage.save_session(
            path, c.train, c.test, settings, c.gd.history, c.gd.iteration, *weights_of(c.gd), c.gd.exact_state(),
            comparison, self.state.threshold, self.state.pinned, c.past.why(c.gd.replay_from) or ""))
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
        try:  # the new run is built before anything of the current one changes
            self.controller.restore(session)
        except (ValueError, MemoryError) as exc:
            self.notice.show_message(f"Could not open the session {path}: {exc}", "error")
            return
        self.state.set_threshold(session.threshold)
        self.state.set_pinned(session.pinned)
        if session.comparison is not None:
            reopen_comparison(self, session.comparison)
        self.undo.clear()
        self._saved_iteration = session.iteration
        preferences.add_recent(path)
        self.notice.show_message(f"Opened the session {path}: iteration {session.iteration}.", "info", owner="file")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = preferences.recent()
        for path in recent:
            opener = self.open_session if path.endswith(".npz") else self.load
            self.recent_menu.addAction(path.replace("&", "&&"), lambda p=path, o=opener: o(p))
        if not recent:
            self.recent_menu.addAction("(nothing yet)").setEnabled(False)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def save_first(self, before: str) -> bool:
        """Ask, as Quit does, when the run, the data set or the kept curves changed since the session was last saved,
        naming which: save it, throw it away, or cancel (False)."""
        if not (self.ask_before_closing and self.has_unsaved_work()):
            return True
        self.controller.pause()
        buttons = QMessageBox.StandardButton
        changed = changed_since_clean(self.undo)
        if changed is not None and self.controller.gd.iteration != self._saved_iteration:
            changed.add(RunSwap.changes)  # trained on (or back) since
        answer = QMessageBox.question(
            self, "Unsaved work", f"{unsaved_sentence(changed)} Save the session before {before}?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return answer == buttons.Discard or (answer == buttons.Save and self.save_session())

    def has_unsaved_work(self) -> bool:
        return not self.undo.isClean() or self.controller.gd.iteration != self._saved_iteration
