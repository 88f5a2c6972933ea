"""The cost curves kept with "Keep this run" (visualizer.model.pinned), drawn in the cost plot beside the run.

Each kept curve keeps its colour while it is kept (removing another does not repaint it), is placed
on the x-axis in the unit chosen as its own run went (epochs and examples follow its batch sizes),
is named in the plot's legend in a few words and listed below the plot with its whole label and a
button that removes it. The window keeps and removes curves through its undo stack (Ctrl+Z).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.panels.curve_parts import dot_if_lone

#: Colours no other curve of the cost panel uses (train blue, test orange, α purple, edge red, ghost grey).
COLOURS = ("#2ca02c", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939")
KEEP_TIP = ("Keep this run's cost curve in the plot, labelled with its settings, to compare with the runs that "
            "follow (K). Reset, a new α, a lesson or a new data set leave it there until you remove it.")
KEPT_TIP = "Remove one kept curve or all of them (Ctrl+Z brings them back)"


def fill_removal_menu(menu: QMenu, curves, remove) -> None:
    """One entry per kept curve, then one for all: ``remove(index)``, ``remove(None)`` for all."""
    menu.clear()
    for k, curve in enumerate(curves):
        menu.addAction(f"Remove “{curve.label.replace('&', '&&')}”", lambda k=k: remove(k))
    if curves:
        menu.addSeparator()
        menu.addAction("Remove all kept curves", lambda: remove(None))
    else:
        menu.addAction("(no curve kept)").setEnabled(False)


class PinnedCurves(QWidget):
    """The list of kept curves below the plot; their plot items; the Keep and Kept buttons (``buttons``)."""

    keepRequested = Signal()
    removeRequested = Signal(object)  # the index of one curve, or None for all

    def __init__(self, plot):
        super().__init__()
        self.plot = plot
        self.curves: tuple = ()
        self.items: list[pg.PlotDataItem] = []
        self._colours: dict[object, str] = {}  # kept curve -> its colour, while it is kept
        self.rows = QGridLayout(self)
        self.rows.setContentsMargins(2, 0, 2, 0)
        self.rows.setVerticalSpacing(0)
        self.rows.setColumnStretch(1, 1)
        self.keep = QPushButton("Keep this run")
        self.keep.setAccessibleName("Keep this run")
        self.keep.setToolTip(KEEP_TIP)
        self.keep.clicked.connect(self.keepRequested)
        self.kept = QToolButton()
        self.kept.setText("Kept")
        self.kept.setAccessibleName("Kept curves")
        self.kept.setToolTip(KEPT_TIP)
        self.kept.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kept.setMenu(QMenu(self.kept))
        self.kept.menu().aboutToShow.connect(
            lambda: fill_removal_menu(self.kept.menu(), self.curves, self.removeRequested.emit))
        self.kept.setEnabled(False)
        self.buttons = (self.keep, self.kept)
        self.hide()

    def show_curves(self, curves, unit: str) -> None:
        """Draw ``curves`` on an axis in ``unit`` and list them; the legend is the panel's (``entries``)."""
        listed = tuple(curves) != self.curves
        self.curves = tuple(curves)
        self._colours = {c: self._colours[c] for c in self.curves if c in self._colours}
        for curve in self.curves:
            if curve not in self._colours:
                self._colours[curve] = next(c for c in COLOURS if c not in self._colours.values())
        while len(self.items) < len(self.curves):
            item = self.plot.plot([], [])
            item.setClipToView(True)
            self.items.append(item)
        for item, curve in zip(self.items, self.curves, strict=False):
            item.setPen(pg.mkPen(self._colours[curve], width=1.5))
            dot_if_lone(item, curve.costs.size)
            item.setData(curve.x(unit), curve.costs)
        for item in self.items[len(self.curves):]:
            item.setData([], [])
        self.kept.setEnabled(bool(self.curves))
        self.kept.setText(f"Kept ({len(self.curves)})" if self.curves else "Kept")
        if listed:
            self._list()

    def _list(self) -> None:
        """One row per kept curve: its colour, its whole label, a button that removes it."""
        while self.rows.count():
            old = self.rows.takeAt(0).widget()
            old.hide()  # now: deleteLater waits for an event loop, which a picture drawn off the screen never runs
            old.deleteLater()
        for k, curve in enumerate(self.curves):
            swatch = QLabel(f"<span style='color:{self._colours[curve]}; font-weight:bold'>━━</span>")
            label = WrappedLabel(curve.label)
            label.setTextFormat(Qt.TextFormat.PlainText)  # a data set's name is shown as it is
            remove = QToolButton()
            remove.setText("×")
            remove.setAutoRaise(True)
            remove.setAccessibleName(f"Remove the kept curve {curve.short}")
            remove.setToolTip(f"Remove the kept curve {curve.label} (Ctrl+Z brings it back)")
            remove.clicked.connect(lambda _=False, k=k: self.removeRequested.emit(k))
            for column, widget in enumerate((swatch, label, remove)):
                self.rows.addWidget(widget, k, column)
                widget.show()  # now, as the old rows go (the layout shows it only from the event loop)
        self.setVisible(bool(self.curves))

    def entries(self) -> list:
        """(item, a few words) of each kept curve, for the plot's legend."""
        return list(zip(self.items, (c.short for c in self.curves), strict=False))

    def labels(self) -> dict:
        """item -> the whole label, for a legend with room for it (an exported picture's)."""
        return {item: c.label for item, c in zip(self.items, self.curves, strict=False)}

    def top(self) -> float:
        """The highest J of the kept curves (0 with none), for the cost axis."""
        return max((float(np.max(c.costs[np.isfinite(c.costs)], initial=0.0)) for c in self.curves), default=0.0)

    def x_max(self, unit: str) -> float:
        """The rightmost point of the kept curves on an axis in ``unit`` (0 with none)."""
        return max((float(c.x(unit)[-1]) for c in self.curves if c.costs.size), default=0.0)
