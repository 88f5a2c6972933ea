"""File > Export: the cost curve (PNG or SVG), its history and the predictions (CSV), the surface (PNG).

Each picture is titled with the run it shows. A part of the window, not a mixin: it is given
the run, the panels it draws from, and the window's ways to ask for a path and to report a
failed write. Every file goes through the atomic writer.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import pyqtgraph as pg
import pyqtgraph.exporters as exporters
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from visualizer.app.common.images import captioned, png_bytes
from visualizer.app.run.frame import build_frame
from visualizer.formats import exports
from visualizer.fs.atomic import StorageError, atomic_write
from visualizer.model.pinned import data_name


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
        raise StorageError("the SVG could not be drawn")
    view.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    return bytes(buffer.data())


@contextlib.contextmanager
def legends_beside(view, plots, names: dict | None = None):
    """For an export: each plot's legend in a column of its own beside it, never over the curves; ``names``:
    item -> a longer name than the plot's legend has room for (a kept curve's whole label)."""
    outside = []
    names = names or {}
    for row, plot in enumerate(plots):
        inside = plot.legend
        legend = pg.LegendItem()
        # a legend keeps its size when its view zooms: here that left its text a third of the axes' in a 1920 px PNG
        legend.setFlag(legend.GraphicsItemFlag.ItemIgnoresTransformations, False)
        for sample, label in inside.items:
            legend.addItem(sample.item, names.get(sample.item, label.text))
        view.ci.addItem(legend, row=row, col=1)
        inside.hide()
        outside.append((inside, legend))
    size = view.size()
    view.resize(size.width() + 160, size.height())  # room for the column, whatever the dock's width
    view.ci.layout.activate()  # lay it out now: the exporter draws the scene as it stands
    needed = max(view.ci.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).width() + 20,
                 math.ceil(view.ci.minimumSize().width()))  # a kept curve's whole label, or the run's title
    if needed > view.width():  # ... widens the plots: all of the legends in the picture
        view.resize(int(needed), size.height())
        view.ci.layout.activate()
    try:
        yield
    finally:
        for inside, legend in outside:
            view.ci.removeItem(legend)
            inside.show()
        view.resize(size)
        view.ci.layout.activate()


def write_bytes(path: str, data: bytes) -> None:
    atomic_write(path, lambda f: f.write(data))


class RunExports:
    """``ask_path(title, filters, suffix)``: a path chosen by the user, or None; ``guarded(what, write)``:
    runs ``write``, reports a StorageError in the window and says whether it succeeded."""

    def __init__(self, controller, state, panels: dict, ask_path: Callable, guarded: Callable[[str, Callable], bool]):
        self.controller, self.state = controller, state
        self.cost_curve, self.surface, self.classify = panels["cost"], panels["surface"], panels["classify"]
        self.ask_path, self.guarded = ask_path, guarded

    def cost_plot(self, kind: str, path: str | None = None, width: int | None = 1920) -> None:
        """For a slide: titled with the run, ``width`` pixels wide (PNG; SVG scales anyway)."""
        path = path or self.ask_path(f"Export the cost curve as {kind.upper()}", f"*.{kind}", f".{kind}")
        if not path:
            return
        curve = self.cost_curve
        curve.plot.setTitle(self.run_caption())
        try:
            with legends_beside(curve.view, (curve.plot, curve.acc, curve.stability), curve.pinned.labels()):
                self.guarded("Export", lambda: write_bytes(path, scene_bytes(curve.view, kind, width)))
        finally:
            curve.plot.setTitle(None)

    def run_caption(self) -> str:
        """What a picture of this run shows: the data, the loss, the alphas and the iterations."""
        c = self.controller
        alphas = ", ".join(f"{a:g} from {i}" if i else f"{a:g}" for i, a in c.gd.history.alpha_changes)
        return (f"{data_name(c.train.source)}, m = {c.train.m}: {c.settings.loss}, "
                f"α = {alphas}, iterations {c.gd.replay_from}–{c.gd.iteration}")

    def cost_csv(self, path: str | None = None) -> None:
        path = path or self.ask_path("Export the cost history as CSV", "CSV (*.csv)", ".csv")
        if path:
            self.guarded("Export", lambda: exports.save_cost_csv(path, {"run": self.controller.gd.history},
                                                                 self.state.pinned))

    def surface_png(self, path: str | None = None) -> None:
        path = path or self.ask_path("Export the surface as PNG", "PNG (*.png)", ".png")
        if path:
            self.guarded("Export", lambda: write_bytes(path, png_bytes(captioned(
                self.surface.grab_with_gl(), f"J(w, b) on the slice {self.surface.choice.currentText()!r}. "
                + self.run_caption()))))

    def predictions(self, path: str | None = None) -> None:
        """Every example's ŷ at the iteration shown, and the dropped images' verdicts."""
        path = path or self.ask_path("Export predictions as CSV", "CSV (*.csv)", ".csv")
        if not path:
            return
        c = self.controller
        with c.coordinates.reading():  # training may go on meanwhile, and an optimizer switch move the run
            frame = build_frame(c, self.state.view_iteration)
            verdicts = frame.verdicts(self.classify.images)
        rows = []
        for set_name, data, yhat in (("train", c.train, frame.yhat_train), ("test", c.test, frame.yhat_test)):
            if data is None:
                continue
            for name, label, p in zip(data.names, data.Y[0], yhat, strict=True):
                rows.append((set_name, name, data.classes[label], float(p),
                             "yes" if (p > 0.5) == (label == 1) else "no"))
        for verdict, image in zip(verdicts, self.classify.images, strict=True):
            rows.append(("dropped", image.path or image.name, "", verdict.yhat, ""))
        self.guarded("Export", lambda: exports.save_predictions_csv(path, rows))
