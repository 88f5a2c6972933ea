"""The race's pictures: every run's full J against iterations, epochs or seconds, and every path on one slice.

A redraw reads each run's rows of full J (a few hundred at most, whatever the run's length), so
a frame costs the same at iteration 10⁶ as at 10. The same widgets export as a titled PNG or SVG,
and the race as CSV (RaceExports), each through the one atomic writer; the sweep's exports use the
same dialog, writer and buttons (ExportButtons).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from visualizer.app.common.colours import readable
from visualizer.app.common.file_names import suggested_name
from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.common.images import captioned, png_bytes, slide_image
from visualizer.app.panels.plots import COLORMAP, plain_axes, show_heatmap
from visualizer.core.analysis.race import X_AXES, Race, SharedSlice
from visualizer.core.analysis.race_seeds import seed_groups
from visualizer.formats import comparison_files
from visualizer.fs.atomic import StorageError, atomic_write
from visualizer.model.pinned import data_name

# Okabe-Ito, each run also with its own dash pattern: two runs never differ by colour alone. None is Okabe-Ito's
# black, drawn in the plot's text colour; each colour is moved towards it where it would not reach 3:1 on the plot.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", None, "#F0E442"]
DASHES = [None, [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 2, 1, 2], [3, 6]]
AXES = dict(zip(X_AXES, ("iteration", "epoch (passes over the m examples)",
                         "seconds of the optimizer's own work"), strict=True))


def run_colour(k: int, text, background) -> QColor:
    """Run ``k``'s colour on a plot of ``background`` whose text is drawn in ``text``."""
    colour = PALETTE[k % len(PALETTE)]
    text = pg.mkColor(text)
    return text if colour is None else readable(pg.mkColor(colour), pg.mkColor(background), text)


def run_pen(k: int, text, background, width: float = 2) -> pg.QtGui.QPen:
    pen = pg.mkPen(run_colour(k, text, background), width=width)
    dash = DASHES[(k // len(PALETTE) + k) % len(DASHES)]
    if dash:
        pen.setDashPattern(dash)
    return pen


class RaceNote(WrappedLabel):
    """What the race's seeds did (from its rows, once they have run) and why it has no shared slice."""

    def __init__(self):
        super().__init__("")
        self.setToolTip("Runs alike but for their seed, judged from their measured J: one minimum when their final J "
                        "agree, different minima when they differ by over 10 times what any run still moved over its "
                        "last tenth of iterations.")
        self.hide()

    def show_for(self, race: Race, plots: RacePlots) -> None:
        """Its words for ``race``; the slice's pane hidden when the race has no slice, so the curves take the room."""
        sentences = [group.sentence() for group in seed_groups(race)]
        notes = [f"What the seeds did: {' '.join(sentences)}"] if sentences else []
        absent = race.no_slice_why()
        notes += [absent] if absent else []
        self.setText(" ".join(notes))
        self.setVisible(bool(notes))
        plots.slice_pane.setVisible(absent is None)


class RacePlots(QSplitter):
    """Cost curves (left) and the shared slice with its note (right)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.curves = pg.PlotWidget()
        self.curves.setLabel("left", "full J, + L2 term if any")  # the line styles made it longer than the axis
        self.curves.setTitle("each run's train J solid, test J dashed")
        self.curves.addLegend(offset=(-10, 10))
        self.slice_plot = pg.PlotWidget()
        self.slice_image = pg.ImageItem(axisOrder="row-major")
        self.slice_image.setColorMap(COLORMAP)
        self.slice_plot.addItem(self.slice_image)
        self.slice_plot.addLegend(offset=(10, 10))
        plain_axes(self.curves, self.slice_plot)
        self.slice_note = WrappedLabel()  # as tall as its lines: the plot above had covered them on a short screen
        right = self.slice_pane = QWidget()  # hidden for a race that has no shared slice: the curves take the room
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slice_plot, 1)
        layout.addWidget(self.slice_note)
        self.addWidget(self.curves)
        self.addWidget(right)
        self.items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.paths: list[tuple[int, pg.PlotDataItem]] = []  # (run, its path on the slice)
        # the theme's, set before the window was made
        self.text, self.background = (pg.mkColor(pg.getConfigOption(k)) for k in ("foreground", "background"))
        self.set_axis("iterations")

    def set_theme(self, background, text) -> None:
        """The runs' colours follow the theme."""
        self.text, self.background = pg.mkColor(text), pg.mkColor(background)
        for k, (train, test) in enumerate(self.items):
            train.setPen(run_pen(k, self.text, self.background))
            test.setPen(self._test_pen(k))
        for k, path in self.paths:
            path.setPen(run_pen(k, self.text, self.background))

    def _test_pen(self, k: int) -> pg.QtGui.QPen:
        return pg.mkPen(run_colour(k, self.text, self.background), width=1, style=Qt.PenStyle.DashLine)

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
        self.paths = []
        self.slice_plot.plotItem.legend.clear()
        self.slice_note.setText("")

    def add_run(self, label: str) -> None:
        k = len(self.items)
        train = self.curves.plot([], [], pen=run_pen(k, self.text, self.background), name=label)
        test = self.curves.plot([], [], pen=self._test_pen(k))
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
        self.paths = []
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
            self.paths.append((k, self.slice_plot.plot(s, t, pen=run_pen(k, self.text, self.background), name=label)))
            notes.append(f"{label}: its points kept along the way are up to {float(distance.max()):.3g} off the plane")
        self.slice_plot.setLabel("bottom", view.s_label)
        self.slice_plot.setLabel("left", view.t_label)
        self.slice_note.setText("One fixed plane for all runs, through the common start (J without the L2 term). "
                                + "; ".join(notes) + ".")

    # ------------------------------------------------------------------ exports
    def png(self, title: str) -> bytes:
        """The curves and the slice as they are on screen, with ``title`` above them."""
        return png_bytes(captioned(slide_image(self), title))

    def svg(self, title: str) -> bytes:
        """Both plots as vectors, side by side under ``title``."""
        return svg_bytes(title, self.curves, self.slice_plot)


def svg_bytes(title: str, *plots: pg.PlotWidget) -> bytes:
    """The plots as vectors (Qt's SVG generator: pyqtgraph's fails on Qt 6 paths), side by side under ``title``."""
    rects = [plot.scene().sceneRect() for plot in plots]
    band = 28.0
    width, height = sum(r.width() for r in rects), max(r.height() for r in rects) + band
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
    left = 0.0
    for plot, rect in zip(plots, rects, strict=True):
        plot.scene().render(painter, QRectF(left, band, rect.width(), rect.height()), rect)
        left += rect.width()
    painter.end()
    return bytes(buffer.data())


def ask_path(parent: QWidget, title: str, suffix: str) -> str | None:
    """Where to export: the save dialog, the suffix added when the name has none."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested_name(title, suffix), f"*{suffix}")
    return None if not path else path if Path(path).suffix else path + suffix


def write_export(message: QLabel, path: str, write) -> None:
    """Run ``write`` (bytes made and written through the atomic writer); say on ``message`` how it went."""
    try:
        write()
    except StorageError as exc:
        message.setText(f"Export failed: {exc}")
        return
    message.setText(f"Exported {path}.")


class ExportButtons:
    """Export CSV…, PNG… and SVG… for one subject; disabled, with a tooltip saying why, when there is nothing."""

    def __init__(self, tips: tuple[str, str, str], csv, picture, why_not: str):
        """``why_not``: why there is nothing to export yet (the buttons start disabled)."""
        self.tips = tips
        self.csv, self.png, self.svg = (QPushButton(t) for t in ("Export CSV…", "Export PNG…", "Export SVG…"))
        self.csv.clicked.connect(lambda: csv())
        self.png.clicked.connect(lambda: picture("png"))
        self.svg.clicked.connect(lambda: picture("svg"))
        self.allow(why_not, why_not)

    @property
    def buttons(self) -> tuple[QPushButton, QPushButton, QPushButton]:
        return self.csv, self.png, self.svg

    def allow(self, csv_why_not: str | None, picture_why_not: str | None) -> None:
        """None: exportable; a text: why not, as the disabled button's tooltip."""
        for b, tip, reason in zip(self.buttons, self.tips, (csv_why_not, picture_why_not, picture_why_not),
                                  strict=True):
            b.setEnabled(reason is None)
            b.setToolTip(tip if reason is None else reason)


NO_RACE = "Run a race first: there is nothing to export yet."


class RaceExports:
    """The explorer's exports (mixed into ExplorerWindow): the race as CSV, its pictures as PNG or SVG."""

    def caption(self) -> str:
        race = self.race
        name = data_name(self.train.source)
        runs = " · ".join(r.config.label() for r in race.runs) if race else ""
        return f"Race on {name}, m = {self.train.m}, {race.iterations if race else 0} iterations: {runs}"

    def race_exports(self) -> ExportButtons:
        return ExportButtons(("Every run's costs, one row per run and iteration.",
                              "The curves and the slice, titled.", "The curves and the slice as vectors, titled."),
                             self.export_csv, self.export_picture, NO_RACE)

    def allow_race_exports(self) -> None:
        why_not = None if self.race is not None and self.race.runs else NO_RACE
        self.race_buttons.allow(why_not, why_not)

    def export_csv(self, path: str | None = None) -> None:
        if self.race is None or not self.race.runs:
            self.message.setText(NO_RACE)
            return
        path = path or ask_path(self, "Export the race as CSV", ".csv")
        if path:
            self.pause()
            write_export(self.message, path, lambda: comparison_files.save_csv(path, self.race.runs))

    def export_picture(self, kind: str, path: str | None = None) -> None:
        if self.race is None or not self.race.runs:
            self.message.setText(NO_RACE)
            return
        path = path or ask_path(self, f"Export the race as {kind.upper()}", f".{kind}")
        if path:
            draw = self.plots.png if kind == "png" else self.plots.svg
            title = self.caption()
            write_export(self.message, path, lambda: atomic_write(path, lambda f: f.write(draw(title))))
