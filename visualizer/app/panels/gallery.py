"""Every example as a thumbnail with its y-hat: a bar, a number, its label and its loss, green if right.

A QListView over a small model, painted by a delegate, so only visible items are drawn
and thousands of examples stay cheap.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.accessibility import buddy
from visualizer.app.run.frame import Frame
from visualizer.core.analysis.evaluation import COURSE_THRESHOLD, predicted

THUMB = 64
#: The captions' size, as a share of the application's font (presentation mode makes that 1.6 times larger).
CAPTION_SCALE = 0.85
WIDEST_CAPTION = "ŷ 0.00 · y=0"


def caption_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(CAPTION_SCALE * font.pointSizeF())
    return font


def cell_size() -> QSize:
    """A card: the thumbnail, its ŷ bar and two lines of caption in the captions' font, so neither a caption
    nor a neighbour's is cut when the text grows (presentation mode)."""
    metrics = QFontMetrics(caption_font())
    return QSize(max(THUMB + 10, metrics.horizontalAdvance(WIDEST_CAPTION) + 8), THUMB + 16 + 2 * metrics.height())
# Okabe-Ito bluish green and vermilion, and a mark besides: right and wrong never rest on colour alone.
RIGHT, WRONG = QColor("#009E73"), QColor("#D55E00")
#: A point's card: a light tint of its class's colour (the σ(z) panel's Okabe-Ito blue for 0, orange for 1).
POINT_FILL = (QColor("#b2d4e8"), QColor("#f7e2b2"))
SORTS = [("as loaded", "index"), ("by ŷ", "yhat"), ("by loss (worst first)", "loss"), ("by label", "label")]


def loss_text(loss: float) -> str:
    """A loss in a card's few characters: three decimals, one from 10 up (a confident mistake costs tens)."""
    return f"{loss:.3f}" if loss < 10 else f"{loss:.1f}"


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ElidedLabel(QLabel):
    """One line that ends in … where the panel is too narrow for it, never widening the window; whole in its tooltip."""

    def __init__(self):
        super().__init__()
        self.full = ""
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_text(self, text: str, tip: str) -> None:
        self.full = text
        self.setToolTip(f"{text}\n{tip}")
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, self.width()))


class ExamplesModel(QAbstractListModel):
    """Row r shows example ``order[r]``; z, y-hat and loss arrive every frame from the window, with the
    threshold that says right or wrong and the confusion matrix cell shown alone (``cell``: (label, call))."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, names: list[str], classes: tuple[str, str],
                 points: np.ndarray | None = None):
        super().__init__()
        self.points = points  # 2-D data: X (2, m), each card says its point instead of a picture
        self.thumbs = [] if points is not None else [to_qimage(img) for img in images]
        self.labels = labels.astype(int)
        self.names, self.classes = names, classes
        self.yhat = np.full(len(names), 0.5)
        self.loss = np.zeros(len(names))
        self.z = np.zeros(len(names))
        self.said = np.zeros(len(names), int)  # the model's call for each example at the threshold
        self.threshold = COURSE_THRESHOLD
        self.loss_name = "cross-entropy"
        self.cell: tuple[int, int] | None = None
        self.order = np.arange(len(names))

    def rowCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(self.order)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        i = int(self.order[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            point = "" if self.points is None else f"x = ({self.points[0, i]:.4g}, {self.points[1, i]:.4g})\n"
            return (f"{self.names[i]}\n{point}label: {self.classes[self.labels[i]]} (y = {self.labels[i]})\n"
                    f"z = {self.z[i]:.4f}, ŷ = σ(z) = {self.yhat[i]:.4f}\n"
                    f"loss L(ŷ, y) = {self.loss[i]:.4f} ({self.loss_name})\n"
                    f"called {self.classes[self.said[i]]} (ŷ {'>' if self.said[i] else '≤'} {self.threshold:g})")
        if role == Qt.ItemDataRole.UserRole:
            return i
        return None

    def set_outputs(self, yhat: np.ndarray, loss: np.ndarray, z: np.ndarray, threshold: float = COURSE_THRESHOLD,
                    loss_name: str = "cross-entropy") -> None:
        """New values, read when the cells are painted: the panel repaints the visible ones (a dataChanged over
        20,000 rows took 0.16 s a frame)."""
        self.z, self.yhat, self.loss, self.loss_name = z, yhat, loss, loss_name
        self.threshold, self.said = threshold, predicted(z, threshold)

    def right(self, i: int) -> bool:
        return bool(self.said[i] == self.labels[i])

    def arrange(self, key: str, mistakes_only: bool) -> None:
        self.beginResetModel()
        idx = np.arange(len(self.names))
        if self.cell is not None:
            idx = idx[(self.labels == self.cell[0]) & (self.said == self.cell[1])]
        if mistakes_only:
            idx = idx[self.said[idx] != self.labels[idx]]
        if key == "yhat":
            idx = idx[np.argsort(self.yhat[idx], kind="stable")]
        elif key == "loss":
            idx = idx[np.argsort(-self.loss[idx], kind="stable")]
        elif key == "label":
            idx = idx[np.argsort(-self.labels[idx], kind="stable")]
        self.order = idx
        self.endResetModel()

    def row_of(self, example: int) -> int | None:
        rows = np.flatnonzero(self.order == example)
        return int(rows[0]) if rows.size else None


class ExampleDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index):
        return cell_size()

    def paint(self, painter: QPainter, option, index):
        model: ExamplesModel = index.model()
        i = index.data(Qt.ItemDataRole.UserRole)
        r = option.rect
        yhat, label = float(model.yhat[i]), int(model.labels[i])
        right = model.right(i)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(r, option.palette.highlight())
        img_rect = QRect(r.x() + 5, r.y() + 3, THUMB, THUMB)
        if model.points is None:
            painter.drawImage(img_rect, model.thumbs[i])
        else:  # a point has no picture: its coordinates, on its class's colour
            painter.fillRect(img_rect, POINT_FILL[label])
            painter.setPen(QColor("black"))
            painter.drawText(img_rect, Qt.AlignmentFlag.AlignCenter,
                             f"x₁ {model.points[0, i]:.3g}\nx₂ {model.points[1, i]:.3g}")
        painter.setPen(QPen(RIGHT if right else WRONG, 3))
        painter.drawRect(img_rect.adjusted(-1, -1, 1, 1))
        badge = QRect(img_rect.right() - 15, img_rect.y() + 1, 15, 15)
        painter.fillRect(badge, RIGHT if right else WRONG)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "✓" if right else "✗")
        bar = QRect(r.x() + 5, r.y() + THUMB + 6, THUMB, 6)
        painter.fillRect(bar, option.palette.mid())
        painter.fillRect(QRect(bar.x(), bar.y(), round(THUMB * yhat), 6), QColor("#1f77b4"))
        painter.setPen(option.palette.highlightedText().color() if option.state & QStyle.StateFlag.State_Selected
                       else option.palette.text().color())
        font = caption_font()  # follows presentation mode, as the cell's size does
        painter.setFont(font)
        line = QFontMetrics(font).height()
        # the badge says right or wrong; the caption fits its cell, so neighbours' captions never touch
        painter.drawText(QRect(r.x(), r.y() + THUMB + 12, r.width(), line), Qt.AlignmentFlag.AlignCenter,
                         f"ŷ {yhat:.2f} · y={label}")
        painter.drawText(QRect(r.x(), r.y() + THUMB + 12 + line, r.width(), line),
                         Qt.AlignmentFlag.AlignCenter, f"L {loss_text(float(model.loss[i]))}")
        painter.restore()


class ExampleList(QListView):
    def __init__(self, model: ExamplesModel):
        super().__init__()
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(cell_size())
        self.setSpacing(0)
        self.setModel(model)
        self.setItemDelegate(ExampleDelegate(self))

    def changeEvent(self, event) -> None:
        """A new font (presentation mode): cards sized for its captions."""
        if event.type() == QEvent.Type.FontChange:
            self.setGridSize(cell_size())
        super().changeEvent(event)


class GalleryPanel(QWidget):
    """Train and test tabs. Sends ``exampleSelected(set_name, index)``."""

    exampleSelected = Signal(str, int)
    editRequested = Signal(str, int, str)  # (set name, example, "relabel" | "remove" | "move" | "show")
    showAllRequested = Signal()

    def __init__(self):
        super().__init__()
        self.tabs = QTabWidget()
        self.sort = QComboBox()
        for label, key in SORTS:
            self.sort.addItem(label, key)
        self.sort.setToolTip("Order the examples by the model's output ŷ, by their loss L(ŷ, y), or by label.")
        self.mistakes = QCheckBox("mistakes only")
        self.mistakes.setToolTip("Show only the examples the model gets wrong at the threshold "
                                 "(0.5, the course's, unless the Evaluation panel moves it).")
        self.summary = ElidedLabel()
        # a cell of the confusion matrix filters the cards: the way back sits where the cards are
        self.show_all = QPushButton("Show all")
        self.show_all.setToolTip("Show every example again (a cell of the Evaluation panel's matrix chose these).")
        self.show_all.clicked.connect(self.showAllRequested)
        self.show_all.hide()
        head = QHBoxLayout()
        head.addWidget(buddy("Sort", self.sort))  # no Alt key: its letters are the Controls' and the menus'
        head.addWidget(self.sort)
        head.addWidget(self.mistakes)
        head.addWidget(self.summary, 1)
        head.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self.models: dict[str, ExamplesModel] = {}
        self.lists: dict[str, ExampleList] = {}
        self.sort.currentIndexChanged.connect(lambda _: self.rearrange())
        self.mistakes.toggled.connect(lambda _: self.rearrange())

    def set_data(self, sets: dict[str, tuple]) -> None:
        """name -> (images, labels, names, classes) of each set, and X (2, m) after them when the data are 2-D
        points, whose cards say the point instead of showing a picture."""
        self.tabs.clear()
        self.models, self.lists = {}, {}
        for name, (images, labels, names, classes, *points) in sets.items():
            model = ExamplesModel(images, labels, names, classes, *points)
            view = ExampleList(model)
            view.setAccessibleName(f"{name} examples")
            view.selectionModel().currentChanged.connect(
                lambda cur, _prev, name=name: cur.isValid() and self.exampleSelected.emit(
                    name, cur.data(Qt.ItemDataRole.UserRole)))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, name=name: self._context_menu(name, pos))
            self.models[name], self.lists[name] = model, view
            self.tabs.addTab(view, f"{name} ({len(names)})")

    def row_shortfall(self) -> int:
        """How many pixels the list in front lacks to show one whole row of cards, captions included."""
        view = self.tabs.currentWidget()
        return max(0, cell_size().height() - view.viewport().height()) if view is not None else 0

    def _context_menu(self, name: str, pos) -> None:
        view, model = self.lists[name], self.models[name]
        index = view.indexAt(pos)
        if not index.isValid():
            return
        example = index.data(Qt.ItemDataRole.UserRole)
        other = model.classes[1 - model.labels[example]]
        menu = QMenu(self)
        for text, action in ((f"Relabel as {other}", "relabel"), ("Remove from the data set", "remove"),
                             (f"Move to the {'test' if name == 'train' else 'training'} set", "move"),
                             ("Show the file", "show")):
            menu.addAction(text, lambda a=action: self.editRequested.emit(name, example, a))
        menu.popup(view.viewport().mapToGlobal(pos))

    def draw(self, frame: Frame) -> None:
        """The outputs of the set whose tab is in front; a confusion matrix cell shown alone brings its set's."""
        if frame.cell is not None and frame.cell[0] in self.lists:
            self.tabs.blockSignals(True)  # drawn just below: no second redraw of the window
            self.tabs.setCurrentWidget(self.lists[frame.cell[0]])
            self.tabs.blockSignals(False)
        for name, model in self.models.items():
            model.cell = frame.cell[1:] if frame.cell is not None and frame.cell[0] == name else None
            self._title(name)
        self.show_all.setVisible(frame.cell is not None)
        loss = frame.gd.loss.name
        if self.tabs.currentIndex() == 0:
            self.show_outputs("train", frame.yhat_train, frame.loss_train, frame.z_train, frame.threshold, loss)
        elif frame.yhat_test is not None:
            self.show_outputs("test", frame.yhat_test, frame.loss_test, frame.z_test, frame.threshold, loss)

    def show_outputs(self, name: str, yhat: np.ndarray, loss: np.ndarray, z: np.ndarray,
                     threshold: float = COURSE_THRESHOLD, loss_name: str = "cross-entropy") -> None:
        model = self.models.get(name)
        if model is None:
            return
        model.set_outputs(yhat, loss, z, threshold, loss_name)
        if self.sort.currentData() != "index" or self.mistakes.isChecked() or model.cell is not None \
                or model.rowCount() != len(model.names):
            self.rearrange(name)
        else:
            self.lists[name].viewport().update()
        self._title(name)
        self.summary.show_text(self._summary(model), f"L is the {model.loss_name} loss L(ŷ, y) of each example"
                               + ("" if model.cell is None else "; a cell of the Evaluation panel's matrix chose "
                                  f"which are shown, at ŷ {'>' if model.cell[1] else '≤'} {model.threshold:.3f}"))

    def _title(self, name: str) -> None:
        """The tab says how many cards it shows when a cell of the matrix filters them."""
        model = self.models[name]
        m, index = len(model.names), self.tabs.indexOf(self.lists[name])
        title = f"{name} ({m})" if model.cell is None else f"{name} ({len(model.order)} of {m})"
        if self.tabs.tabText(index) != title:  # drawn every frame: a new text lays the tab bar out again
            self.tabs.setTabText(index, title)

    @staticmethod
    def _summary(model: ExamplesModel) -> str:
        """Which loss L is, and which examples are shown when a cell of the confusion matrix filters them."""
        text = f"L: {model.loss_name}"
        if model.cell is not None:
            actual, said = model.cell
            text = (f"{len(model.order)} of {len(model.names)}: {model.classes[actual]} called "
                    f"{model.classes[said]} · {text}")
        return text

    def rearrange(self, only: str | None = None) -> None:
        for name, model in self.models.items():
            if only is None or name == only:
                model.arrange(self.sort.currentData(), self.mistakes.isChecked())

    def select(self, name: str, example: int) -> None:
        model, view = self.models.get(name), self.lists.get(name)
        if model is None:
            return
        self.tabs.setCurrentWidget(view)
        row = model.row_of(example)
        if row is not None:
            view.blockSignals(True)
            view.setCurrentIndex(model.index(row))
            view.scrollTo(model.index(row))
            view.blockSignals(False)
