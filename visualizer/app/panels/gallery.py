"""Every example as a thumbnail with its y-hat: a bar, a number, its label, green if right.

A QListView over a small model, painted by a delegate, so only visible items are drawn
and thousands of examples stay cheap.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.accessibility import buddy
from visualizer.app.run.frame import Frame

THUMB = 64
CELL = QSize(THUMB + 10, THUMB + 44)  # the image, ŷ's bar, "ŷ · y" and the loss L under it
# Okabe-Ito bluish green and vermilion, and a mark besides: right and wrong never rest on colour alone.
RIGHT, WRONG = QColor("#009E73"), QColor("#D55E00")
SORTS = [("as loaded", "index"), ("by ŷ", "yhat"), ("by loss (worst first)", "loss"), ("by label", "label")]


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ExamplesModel(QAbstractListModel):
    """Row r shows example ``order[r]``; y-hat and loss arrive every frame from the window."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, names: list[str], classes: tuple[str, str]):
        super().__init__()
        self.thumbs = [to_qimage(img) for img in images]
        self.labels = labels.astype(int)
        self.names, self.classes = names, classes
        self.yhat = np.full(len(names), 0.5)
        self.loss = np.zeros(len(names))
        self.order = np.arange(len(names))

    def rowCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(self.order)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        i = int(self.order[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{self.names[i]}\nlabel: {self.classes[self.labels[i]]} (y = {self.labels[i]})\n"
                    f"ŷ = σ(z) = {self.yhat[i]:.4f}, loss {self.loss[i]:.4f}")
        if role == Qt.ItemDataRole.UserRole:
            return i
        return None

    def set_outputs(self, yhat: np.ndarray, loss: np.ndarray) -> None:
        """New values, read when the cells are painted: the panel repaints the visible ones (a dataChanged over
        20,000 rows took 0.16 s a frame)."""
        self.yhat, self.loss = yhat, loss

    def arrange(self, key: str, mistakes_only: bool) -> None:
        self.beginResetModel()
        idx = np.arange(len(self.names))
        if mistakes_only:
            idx = idx[(self.yhat[idx] > 0.5) != (self.labels[idx] == 1)]
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
        return CELL

    def paint(self, painter: QPainter, option, index):
        model: ExamplesModel = index.model()
        i = index.data(Qt.ItemDataRole.UserRole)
        r = option.rect
        yhat, label = float(model.yhat[i]), int(model.labels[i])
        right = (yhat > 0.5) == (label == 1)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(r, option.palette.highlight())
        img_rect = QRect(r.x() + 5, r.y() + 3, THUMB, THUMB)
        painter.drawImage(img_rect, model.thumbs[i])
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
        font = painter.font()
        font.setPointSizeF(0.85 * QApplication.font().pointSizeF())  # follows presentation mode
        painter.setFont(font)
        # the badge says right or wrong; the caption fits its cell, so neighbours' captions never touch
        painter.drawText(QRect(r.x(), r.y() + THUMB + 12, r.width(), 14), Qt.AlignmentFlag.AlignCenter,
                         f"ŷ {yhat:.2f} · y={label}")
        painter.drawText(QRect(r.x(), r.y() + THUMB + 26, r.width(), 14), Qt.AlignmentFlag.AlignCenter,
                         f"L {float(model.loss[i]):.3g}")
        painter.restore()


class ExampleList(QListView):
    def __init__(self, model: ExamplesModel):
        super().__init__()
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(CELL)
        self.setSpacing(0)
        self.setModel(model)
        self.setItemDelegate(ExampleDelegate(self))


class GalleryPanel(QWidget):
    """Train and test tabs. Sends ``exampleSelected(set_name, index)``."""

    exampleSelected = Signal(str, int)
    editRequested = Signal(str, int, str)  # (set name, example, "relabel" | "remove" | "move" | "show")

    def __init__(self):
        super().__init__()
        self.tabs = QTabWidget()
        self.sort = QComboBox()
        for label, key in SORTS:
            self.sort.addItem(label, key)
        self.sort.setToolTip("Order the examples by the model's output ŷ, by their loss L(ŷ, y), or by label.")
        self.mistakes = QCheckBox("mistakes only")
        self.mistakes.setToolTip("Show only the examples the model gets wrong at threshold 0.5.")
        self.summary = QLabel()
        head = QHBoxLayout()
        head.addWidget(buddy("S&ort", self.sort))
        head.addWidget(self.sort)
        head.addWidget(self.mistakes)
        head.addStretch(1)
        head.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self.models: dict[str, ExamplesModel] = {}
        self.lists: dict[str, ExampleList] = {}
        self.sort.currentIndexChanged.connect(lambda _: self.rearrange())
        self.mistakes.toggled.connect(lambda _: self.rearrange())

    def set_data(self, sets: dict[str, tuple[np.ndarray, np.ndarray, list[str], tuple[str, str]]]) -> None:
        self.tabs.clear()
        self.models, self.lists = {}, {}
        for name, (images, labels, names, classes) in sets.items():
            model = ExamplesModel(images, labels, names, classes)
            view = ExampleList(model)
            view.setAccessibleName(f"{name} examples")
            view.selectionModel().currentChanged.connect(
                lambda cur, _prev, name=name: cur.isValid() and self.exampleSelected.emit(
                    name, cur.data(Qt.ItemDataRole.UserRole)))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, name=name: self._context_menu(name, pos))
            self.models[name], self.lists[name] = model, view
            self.tabs.addTab(view, f"{name} ({len(names)})")

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
        """The outputs of the set whose tab is in front."""
        if self.tabs.currentIndex() == 0:
            self.show_outputs("train", frame.yhat_train, frame.loss_train)
        elif frame.yhat_test is not None:
            self.show_outputs("test", frame.yhat_test, frame.loss_test)

    def show_outputs(self, name: str, yhat: np.ndarray, loss: np.ndarray) -> None:
        model = self.models.get(name)
        if model is None:
            return
        model.set_outputs(yhat, loss)
        if self.sort.currentData() != "index" or self.mistakes.isChecked():
            self.rearrange(name)
        else:
            self.lists[name].viewport().update()

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
