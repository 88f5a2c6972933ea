"""Files in the window: models and sessions, exports, recent files. Every write goes through the atomic writer."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as exporters
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog

from visualizer.app.common.images import captioned, png_bytes
from visualizer.app.explorer.explorer import kept_comparison, reopen_comparison
from visualizer.app.run.frame import build_frame
from visualizer.app.window import preferences
from visualizer.formats import exports, storage
from visualizer.fs.atomic import atomic_write


def scene_bytes(view, kind: str, width: int | None = None) -> bytes:
    """A pyqtgraph view as PNG (pyqtgraph's exporter, ``width`` pixels wide) or SVG (Qt's own generator).

    pyqtgraph's SVG exporter fails on the paths Qt 6 writes, so SVG goes through QSvgGenerator.
    """
    if kind == "png":
        exporter = exporters.ImageExporter(view.scene())
        if width:
            exporter.parameters()["width"] = width  # the height follows the view's proportions
        return png_bytes(exporter.export(toBytes=True))
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


@contextlib.contextmanager
def legends_beside(view, plots):
    """For an export: each plot's legend in a column of its own beside it, never over the curves."""
    outside = []
    for row, plot in enumerate(plots):
        inside = plot.legend
        legend = pg.LegendItem()
        for sample, label in inside.items:
            legend.addItem(sample.item, label.text)
        view.ci.addItem(legend, row=row, col=1)
        inside.hide()
        outside.append((inside, legend))
    size = view.size()
    view.resize(size.width() + 160, size.height())  # room for the column, whatever the dock's width
    view.ci.layout.activate()  # lay it out now: the exporter draws the scene as it stands
    try:
        yield
    finally:
        for inside, legend in outside:
            view.ci.removeItem(legend)
            inside.show()
        view.resize(size)
        view.ci.layout.activate()


class FileActions:
    """Mixed into MainWindow."""

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
        settings, comparison = self.state.with_alpha(c.gd.alpha), kept_comparison(self)
        ok = self._guarded("Saving the session", lambda: storage.save_session(
            path, c.train, c.test, settings, c.gd.history, c.gd.iteration, c.gd.w, c.gd.b, c.gd.exact_state(),
            comparison))
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
        if session.comparison is not None:
            reopen_comparison(self, session.comparison)
        self.undo.clear()
        self._saved_iteration = session.iteration
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

    def export_cost_plot(self, kind: str, path: str | None = None, width: int | None = 1920) -> None:
        """For a slide: titled with the run, ``width`` pixels wide (PNG; SVG scales anyway)."""
        path = path or self._ask_path(f"Export the cost curve as {kind.upper()}", f"*.{kind}", f".{kind}")
        if not path:
            return
        plot = self.cost_curve.plot
        plot.setTitle(self.run_caption())
        try:
            with legends_beside(self.cost_curve.view, (plot, self.cost_curve.acc, self.cost_curve.stability)):
                self._guarded("Export", lambda: self._write_bytes(path, scene_bytes(self.cost_curve.view, kind, width)))
        finally:
            plot.setTitle(None)

    def run_caption(self) -> str:
        """What a picture of this run shows: the data, the loss, the alphas and the iterations."""
        c = self.controller
        alphas = ", ".join(f"{a:g} from {i}" if i else f"{a:g}" for i, a in c.gd.history.alpha_changes)
        return (f"{Path(c.train.source).name or c.train.source}, m = {c.train.m}: {c.settings.loss}, "
                f"α = {alphas}, iterations {c.gd.replay_from}–{c.gd.iteration}")

    def export_cost_csv(self, path: str | None = None) -> None:
        path = path or self._ask_path("Export the cost history as CSV", "CSV (*.csv)", ".csv")
        if path:
            self._guarded("Export", lambda: exports.save_cost_csv(path, {"run": self.controller.gd.history}))

    def export_surface(self, path: str | None = None) -> None:
        path = path or self._ask_path("Export the surface as PNG", "PNG (*.png)", ".png")
        if path:
            self._guarded("Export", lambda: self._write_bytes(path, png_bytes(captioned(
                self.surface.grab_with_gl(), f"J(w, b) on the slice {self.surface.choice.currentText()!r}. "
                + self.run_caption()))))

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
        self._guarded("Export", lambda: exports.save_predictions_csv(path, rows))

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def has_unsaved_work(self) -> bool:
        return not self.undo.isClean() or self.controller.gd.iteration != self._saved_iteration
