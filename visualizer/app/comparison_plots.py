"""The race's pictures: every run's full J against iterations, epochs or seconds, and every path on one slice.

A redraw reads each run's rows of full J (a few hundred at most, whatever the run's length), so
a frame costs the same at iteration 10⁶ as at 10. The same widgets export as a titled PNG or SVG,
and the race as CSV (RaceExports), each through the one atomic writer.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from .. import comparison_files
from ..atomic import StorageError, atomic_write
from ..core.race import X_AXES, Race, SharedSlice
from .file_actions import captioned, png_bytes
from .panels.plots import COLORMAP, plain_axes, show_heatmap

# Okabe-Ito, each run also with its own dash pattern: two runs never differ by colour alone.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DASHES = [None, [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 2, 1, 2], [3, 6]]
AXES = dict(zip(X_AXES, ("iteration", "epoch (passes over the m examples)",
                         "seconds of the optimizer's own work"), strict=True))


def run_pen(k: int, width: float = 2) -> pg.QtGui.QPen:
    pen = pg.mkPen(PALETTE[k % len(PALETTE)], width=width)
    dash = DASHES[(k // len(PALETTE) + k) % len(DASHES)]
    if dash:
        pen.setDashPattern(dash)
    return pen


class RacePlots(QSplitter):
    """Cost curves (left) and the shared slice with its note (right)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.curves = pg.PlotWidget()
        self.curves.setLabel("left", "full J, + L2 term if any (train solid, test dashed)")
        self.curves.addLegend(offset=(-10, 10))
        self.slice_plot = pg.PlotWidget()
        self.slice_image = pg.ImageItem(axisOrder="row-major")
        self.slice_image.setColorMap(COLORMAP)
        self.slice_plot.addItem(self.slice_image)
        self.slice_plot.addLegend(offset=(10, 10))
        plain_axes(self.curves, self.slice_plot)
        self.slice_note = QLabel()
        self.slice_note.setWordWrap(True)
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slice_plot, 1)
        layout.addWidget(self.slice_note)
        self.addWidget(self.curves)
        self.addWidget(right)
        self.items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.set_axis("iterations")

    def set_axis(self, axis: str) -> None:
        self.axis = axis
        self.curves.setLabel("bottom", AXES[axis])

    def clear(self) -> None:
        for item in self.curves.listDataItems():
            self.curves.removeItem(item)
        self.curves.plotItem.legend.clear()
        self.items = []
        self.slice_image.clear()
        for item in self.slice_plot.listDataItems():
            self.slice_plot.removeItem(item)
        self.slice_plot.plotItem.legend.clear()
        self.slice_note.setText("")

    def add_run(self, label: str) -> None:
        k = len(self.items)
        train = self.curves.plot([], [], pen=run_pen(k), name=label)
        test = self.curves.plot([], [], pen=pg.mkPen(PALETTE[k % len(PALETTE)], width=1,
                                                     style=Qt.PenStyle.DashLine))
        self.items.append((train, test))

    def draw_curves(self, race: Race) -> None:
        """Each run's rows of full J on the chosen axis: a few hundred points a run, never its whole history."""
        for run, (train, test) in zip(race.runs, self.items, strict=False):
            its, costs = run.rows("train_cost")
            n = min(its.size, costs.size)
            train.setData(run.x(its[:n], self.axis), costs[:n])
            t_its, t_costs = run.rows("test_cost")
            n = min(t_its.size, t_costs.size)
            test.setData(run.x(t_its[:n], self.axis), t_costs[:n])

    def name_runs(self, labels: list[str]) -> None:
        for (train, _), label in zip(self.items, labels, strict=False):
            self.curves.plotItem.legend.getLabel(train).setText(label)

    def draw_slice(self, view: SharedSlice | None, labels: list[str]) -> None:
        for item in self.slice_plot.listDataItems():
            self.slice_plot.removeItem(item)
        self.slice_plot.plotItem.legend.clear()
        if view is None:
            self.slice_image.clear()
            self.slice_note.setText("")
            return
        show_heatmap(self.slice_image, view.J, view.s, view.t)
        notes = []
        for k, (path, label) in enumerate(zip(view.paths, labels, strict=False)):
            if path is None:
                continue
            s, t, distance = path
            self.slice_plot.plot(s, t, pen=run_pen(k), name=label)
            notes.append(f"{label}: up to {float(distance.max()):.3g} off the plane")
        self.slice_plot.setLabel("bottom", view.s_label)
        self.slice_plot.setLabel("left", view.t_label)
        self.slice_note.setText("One fixed plane for all runs, through the common start (J without the L2 term). "
                                + "; ".join(notes) + ".")

    # ------------------------------------------------------------------ exports
    def png(self, title: str) -> bytes:
        """The curves and the slice as they are on screen, with ``title`` above them."""
        return png_bytes(captioned(self.grab().toImage(), title))

    def svg(self, title: str) -> bytes:
        """Both plots as vectors (Qt's SVG generator), side by side under ``title``."""
        from PySide6.QtSvg import QSvgGenerator

        left, right = self.curves.scene().sceneRect(), self.slice_plot.scene().sceneRect()
        band = 28.0
        width, height = left.width() + right.width(), max(left.height(), right.height()) + band
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(int(width), int(height)))
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setTitle(title)
        painter = QPainter()
        if not painter.begin(generator):
            raise StorageError("the SVG could not be drawn")
        painter.setPen(QColor("black"))
        painter.setFont(QFont(painter.font().family(), 11))
        painter.drawText(QRectF(6, 0, width - 12, band), Qt.AlignmentFlag.AlignVCenter, title)
        self.curves.scene().render(painter, QRectF(0, band, left.width(), left.height()), left)
        self.slice_plot.scene().render(painter, QRectF(left.width(), band, right.width(), right.height()), right)
        painter.end()
        return bytes(buffer.data())



class RaceExports:
    """The explorer's exports (mixed into ExplorerWindow): the race as CSV, its pictures as PNG or SVG."""

    def caption(self) -> str:
        race = self.race
        name = Path(self.train.source).name or self.train.source
        runs = " · ".join(r.config.label() for r in race.runs) if race else ""
        return f"Race on {name}, m = {self.train.m}, {race.iterations if race else 0} iterations: {runs}"

    def _ask(self, title: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, "", f"*{suffix}")
        return None if not path else path if Path(path).suffix else path + suffix

    def export_csv(self, path: str | None = None) -> None:
        if self.race is None:
            self.message.setText("Run a race first: there is nothing to export yet.")
            return
        path = path or self._ask("Export the race as CSV", ".csv")
        if path:
            self.pause()
            self._write(path, lambda: comparison_files.save_csv(path, self.race.runs))

    def export_picture(self, kind: str, path: str | None = None) -> None:
        if self.race is None:
            self.message.setText("Run a race first: there is nothing to export yet.")
            return
        path = path or self._ask(f"Export the race as {kind.upper()}", f".{kind}")
        if path:
            data = self.plots.png(self.caption()) if kind == "png" else self.plots.svg(self.caption())
            self._write(path, lambda: atomic_write(path, lambda f: f.write(data)))

    def _write(self, path: str, write) -> None:
        try:
            write()
        except StorageError as exc:
            self.message.setText(f"Export failed: {exc}")
            return
        self.message.setText(f"Exported {path}.")
