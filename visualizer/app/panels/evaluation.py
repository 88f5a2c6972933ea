"""Evaluation: the confusion matrix of train and test, precision, recall and F1, the ROC curve, and the threshold.

Everything follows the iteration the timeline shows (``draw(frame)``). The threshold and the cell shown alone
are the window's state (``WindowState.threshold`` and ``.cell``): the slider and the cells send intents, and the
gallery's ✓/✗ follow the same threshold. The accuracies of the cost panel and the status bar stay the course's,
at 0.5; this panel gives the accuracy at its own threshold.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.accessibility import buddy
from visualizer.app.panels.legend_corners import place_legend, points_of
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.evaluation import COURSE_THRESHOLD, Confusion
from visualizer.model.state import WindowState

#: The slider's steps: thresholds 0.001 to 0.999.
STEPS = 1000
SETS = ("train", "test")
#: The cell the gallery shows alone stands out in either theme, on a projector too.
SHOWN_ALONE = ("QToolButton:checked { background: palette(highlight); color: palette(highlighted-text); "
               "font-weight: bold; }")
#: Okabe-Ito blue and orange with two shapes and two dashes, as the cost panel draws train and test.
STYLE = {"train": ("#0072B2", Qt.PenStyle.SolidLine, "o"), "test": ("#E69F00", Qt.PenStyle.DashLine, "s")}


def rate(value: float | None, digits: int = 3) -> str:
    return "not defined" if value is None else f"{value:.{digits}f}"


class RocPlot(pg.PlotWidget):
    """A plot that asks for little height: the panel's wrapped labels make its scroll area size it by its
    preferred height, and a plot's default one (480 px) had the ROC curve scrolled out of sight."""

    def sizeHint(self) -> QSize:
        return QSize(240, 160)


class MatrixBox(QGroupBox):
    """One set's confusion matrix: rows the label y, columns the model's call; each cell is a button."""

    def __init__(self, name: str, state: WindowState):
        super().__init__(name)
        self.name, self.state = name, state
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setSpacing(2)
        grid.addWidget(QLabel("called:"), 0, 0)
        self.called = [QLabel(), QLabel()]
        self.actual = [QLabel(), QLabel()]
        self.cells: dict[tuple[int, int], QToolButton] = {}
        for said in (0, 1):
            self.called[said].setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(self.called[said], 0, 1 + said)
        for actual in (1, 0):  # the positive class first, as a confusion matrix is usually read
            row = 2 - actual
            grid.addWidget(self.actual[actual], row, 0)
            for said in (0, 1):
                cell = QToolButton()  # a push button is at least 80 px wide: four of them would not fit a dock
                cell.setCheckable(True)
                cell.setStyleSheet(SHOWN_ALONE)
                cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                cell.clicked.connect(lambda _on, a=actual, s=said: self.state.show_cell(self.name, a, s))
                cell.setAccessibleName(f"{name}: y = {actual} called {said}")  # until drawn with the classes
                self.cells[actual, said] = cell
                grid.addWidget(cell, row, 1 + said)
        self.scores = QLabel()
        self.scores.setWordWrap(True)
        grid.addWidget(self.scores, 3, 0, 1, 3)

    def display(self, counts: Confusion | None, classes: tuple[str, str], threshold: float,
                cell: tuple[str, int, int] | None) -> None:
        self.setEnabled(counts is not None)
        for k in (0, 1):
            self.called[k].setText(classes[k])
            self.actual[k].setText(classes[k])
            self.actual[k].setToolTip(f"the examples labelled {classes[k]} (y = {k})")
        if counts is None:
            self.setTitle(f"{self.name}: no test set")
            for button in self.cells.values():
                button.setText("")
            self.scores.setText("")
            return
        self.setTitle(f"{self.name} ({counts.m})")
        for (actual, said), button in self.cells.items():
            n = counts.count(actual, said)
            button.setText(f"{n} {'✓' if actual == said else '✗'}")
            button.setChecked(cell == (self.name, actual, said))
            button.setToolTip(f"{n} {classes[actual]} (y = {actual}) called {classes[said]} "
                              f"(ŷ {'>' if said else '≤'} {threshold:.3f}). Click to show only them in the "
                              "gallery; click again to show all.")
            button.setAccessibleName(f"{self.name}: {classes[actual]} called {classes[said]}")
        accuracy = rate(counts.accuracy, 1) + ("" if counts.accuracy is None else " %")
        pairs = (f"precision {rate(counts.precision)}", f"recall {rate(counts.recall)}", f"F1 {rate(counts.f1)}",
                 f"accuracy {accuracy}")
        self.scores.setText("\u00a0· ".join(p.replace(" ", "\u00a0") for p in pairs))  # wrapped between pairs only


class EvaluationPanel(QWidget):
    """The threshold, both matrices and the ROC curve; it scrolls on a short screen rather than squash them."""

    def __init__(self, state: WindowState):
        super().__init__()
        self.state = state
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, STEPS - 1)
        self.slider.setPageStep(50)
        self.slider.setValue(round(COURSE_THRESHOLD * STEPS))
        self.slider.setToolTip("The model calls an example 1 when ŷ is above this threshold. The course uses 0.5.")
        self.slider.valueChanged.connect(lambda v: self.state.set_threshold(v / STEPS))
        self.value = QLabel()
        self.course = QToolButton()
        self.course.setText("0.5 (course)")
        self.course.setToolTip("Back to the course's threshold, ŷ > 0.5.")
        self.course.clicked.connect(lambda: self.state.set_threshold(COURSE_THRESHOLD))
        head = QHBoxLayout()
        head.addWidget(buddy("Threshold", self.slider))  # no Alt key: its letters are the Controls' and the menus'
        head.addWidget(self.slider, 1)
        head.addWidget(self.value)
        head.addWidget(self.course)
        self.boxes = {name: MatrixBox(name, state) for name in SETS}
        matrices = QHBoxLayout()
        for box in self.boxes.values():
            matrices.addWidget(box, 1)
        self.show_all = QPushButton("Show all examples")
        self.show_all.setToolTip("The gallery shows every example again.")
        self.show_all.clicked.connect(self.state.show_all)
        self.about = QLabel()
        self.about.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(self.about, 1)
        foot.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignTop)
        self.plot = RocPlot()
        self.plot.setLabel("bottom", "false positive rate")
        self.plot.setLabel("left", "true positive rate")
        self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.03)
        self.plot.setMouseEnabled(False, False)
        self.plot.setMinimumHeight(130)
        self.legend = self.plot.addLegend(offset=(-5, -5))
        self.chance = self.plot.plot([0, 1], [0, 1], pen=pg.mkPen("#999", style=Qt.PenStyle.DotLine))
        self.plot.getViewBox().sigResized.connect(self.place_legend)
        self.curves, self.marks = {}, {}
        for name, (colour, dash, symbol) in STYLE.items():
            self.curves[name] = self.plot.plot([], [], pen=pg.mkPen(colour, width=2, style=dash), name=name)
            self.marks[name] = pg.ScatterPlotItem(size=12, symbol=symbol, brush=pg.mkBrush(colour),
                                                  pen=pg.mkPen("k", width=1))
            self.plot.addItem(self.marks[name])
        self.plot.setToolTip("The ROC curve: each point is one threshold, the share of y = 1 called 1 (recall) against "
                             "the share of y = 0 called 1. The markers are the threshold chosen above.")
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(2, 2, 2, 2)
        column.addLayout(head)
        column.addLayout(matrices)
        column.addLayout(foot)
        column.addWidget(self.plot, 1)
        area = self.area = QScrollArea()
        area.setWidget(inner)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # as wide as its content at the normal text size; presentation mode's larger text scrolls, never clips
        area.setMinimumWidth(inner.minimumSizeHint().width())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def shortfall(self) -> tuple[int, int]:
        """How many pixels wider and taller the panel must be to show all of itself, the ROC at its least height,
        without scrolling (presentation mode's larger text made it scroll both ways at 1280 x 800)."""
        inner, have = self.area.widget(), self.area.size()
        width = max(inner.minimumSizeHint().width(), have.width())
        height = max(inner.heightForWidth(width) if inner.hasHeightForWidth() else 0, inner.minimumSizeHint().height())
        return width - have.width(), max(0, height - have.height())  # wrapped text at that width is taller

    def place_legend(self, *_) -> None:
        """The legend in the corner the curves leave free (bottom right, it lay on the test curve)."""
        place_legend(self.plot, self.legend, points_of(self.chance, *self.curves.values(), *self.marks.values()))

    def draw(self, frame: Frame) -> None:
        classes, t = frame.controller.train.classes, frame.threshold
        self.slider.blockSignals(True)  # the state's value, shown: not a new intent
        self.slider.setValue(round(t * STEPS))
        self.slider.blockSignals(False)
        self.value.setText(f"ŷ > {t:.3f}")
        self.course.setEnabled(t != COURSE_THRESHOLD)
        self.show_all.setEnabled(frame.cell is not None)
        areas = []
        for name in SETS:
            counts = frame.confusion(name)
            self.boxes[name].display(counts, classes, t, frame.cell)
            curve = frame.roc(name)
            if counts is None or curve is None or curve.area is None:
                self.curves[name].setData([], [])
                self.marks[name].setData([], [])
                continue
            self.curves[name].setData(curve.fpr, curve.tpr)
            self.marks[name].setData([counts.false_positive_rate], [counts.recall])
            areas.append(f"{name} {curve.area:.3f}")
        for sample, label in self.legend.items:
            name = sample.item.name()
            area = next((a.split()[1] for a in areas if a.startswith(name)), None)
            label.setText(name if area is None else f"{name}: area {area}")
        self.place_legend()
        self.plot.plotItem.setTitle(f"ROC at iteration {frame.iteration:,}; markers: ŷ > {t:.3f}", size="9pt")
        self.about.setText(f"1 is {classes[1]}." + ("" if t == COURSE_THRESHOLD else
                                                    " The cost panel and the status bar keep 0.5, the course's."))
