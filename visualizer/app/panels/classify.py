"""Dropped photos, what the model sees of them, its verdict, and why.

Each card shows the original, the n_px image the model actually sees, the verdict in
words ("cat, 93 %"), the breakdown z = sum(w*x) + b and a map of w*x per pixel.
Two drop targets add images to the training set as one class or the other.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.dropping import DroppedImage, has_images
from visualizer.app.panels.gallery import to_qimage
from visualizer.app.run.frame import Frame, Verdict

DIVERGING = pg.colormap.get("CET-D1")
SIDE = 96


def colour_map(values: np.ndarray) -> np.ndarray:
    limit = float(np.max(np.abs(values))) or 1e-12
    rgba = DIVERGING.map(((values / limit + 1) / 2).ravel(), mode="byte")
    return np.ascontiguousarray(rgba[:, :3].reshape(*values.shape, 3))


def _pixmap(rgb: np.ndarray, side: int = SIDE) -> QPixmap:
    return QPixmap.fromImage(to_qimage(rgb)).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.FastTransformation)


class ImageCard(QFrame):
    def __init__(self, image: DroppedImage):
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.image = image
        self.original, self.seen, self.explained = QLabel(), QLabel(), QLabel()
        self.original.setPixmap(_pixmap(image.preview))
        self.original.setToolTip(f"{image.path or image.name}\nas dropped")
        self.seen.setPixmap(_pixmap(image.pixels))
        self.seen.setToolTip("What the model sees: the same centre-crop and resize as the training images.")
        self.explained.setToolTip("w⊙x per pixel (summed over R, G, B). Red pixels push z up, towards the "
                                  "positive class; blue pixels push it down.")
        self.verdict = QLabel()
        self.verdict.setStyleSheet("font-weight:bold; font-size: 120%;")
        self.breakdown = QLabel()
        self.breakdown.setWordWrap(True)
        self.breakdown.setStyleSheet("color: palette(window-text);")
        grid = QGridLayout(self)
        self.chosen = QCheckBox(image.name[:28])
        self.chosen.setChecked(True)
        self.chosen.setToolTip("Checked cards are the ones “Add to training” adds.")
        grid.addWidget(self.chosen, 0, 0, 1, 3)
        for col, (widget, caption) in enumerate(((self.original, "original"), (self.seen, "model's input"),
                                                 (self.explained, "why: w⊙x"))):
            grid.addWidget(widget, 1, col, alignment=Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(QLabel(caption), 2, col, alignment=Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.verdict, 3, 0, 1, 3)
        grid.addWidget(self.breakdown, 4, 0, 1, 3)

    def show_verdict(self, v: Verdict) -> None:
        self.verdict.setText(f"{v.label}, {100 * v.confidence:.0f} %")
        if v.contributions is None:  # a network: z is no sum of per-pixel terms, so there are no reasons to show
            self.breakdown.setText(f"z of the network's output unit = {v.z:.3f}\nŷ = σ(z) = {v.yhat:.3f}\n"
                                   "Per-pixel reasons w⊙x are logistic regression's: a network has none.")
            self.explained.clear()
            self.explained.setText("—")
            return
        self.breakdown.setText(f"z = Σ(w⊙x) + b = {v.z - v.b:.3f} + ({v.b:.3f}) = {v.z:.3f}\nŷ = σ(z) = {v.yhat:.3f}")
        self.explained.setPixmap(_pixmap(colour_map(v.contributions)))


class DropTarget(QPushButton):
    """A button that also takes drops: 'add as cat' and 'add as non-cat'."""

    dropped = Signal(object)  # the QMimeData

    def __init__(self, text: str):
        super().__init__(text)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event):
        if has_images(event.mimeData()):
            self.setStyleSheet("background:#cfe3ff; border:2px dashed #1f77b4;")
            event.acceptProposedAction()

    def dragLeaveEvent(self, event):
        self.setStyleSheet("")

    def dropEvent(self, event):
        self.setStyleSheet("")
        self.dropped.emit(event.mimeData())
        event.acceptProposedAction()


IMAGES_HINT = "Drop photos or a folder anywhere on the window, or paste one (Ctrl+V), and the model says what it sees."
POINTS_HINT = ("The model is trained on 2-D points, so it cannot judge images. To see what it says of a point, "
               "look at the Decision boundary panel; click there to add one.")


class ClassifyPanel(QWidget):
    """Sends ``addRequested(label, images)`` when the learner teaches with dropped images."""

    addRequested = Signal(int, list)

    def __init__(self, classes: tuple[str, str]):
        super().__init__()
        self.hint = QLabel(IMAGES_HINT)
        self.hint.setWordWrap(True)
        self.add_targets = [DropTarget(""), DropTarget("")]
        for label, target in enumerate(self.add_targets):
            target.clicked.connect(lambda _=False, label=label: self._add_all(label))
        self.clear = QPushButton("Clear")
        self.clear.clicked.connect(self.clear_cards)
        row = QHBoxLayout()
        for target in reversed(self.add_targets):
            row.addWidget(target)
        row.addWidget(self.clear)
        self.cards_box = QWidget()
        self.cards = QVBoxLayout(self.cards_box)
        self.cards.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Verdicts")  # a Tab stop: arrows scroll the dropped images' verdicts
        scroll.setWidget(self.cards_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addWidget(scroll, 1)
        self.images: list[DroppedImage] = []
        self._cards: list[ImageCard] = []
        self.set_classes(classes)

    def set_classes(self, classes: tuple[str, str]) -> None:
        for label, target in enumerate(self.add_targets):
            target.setText(f"Add as {classes[label]}")
            target.setAccessibleName(f"Add to training as {classes[label]}")
            target.setToolTip(f"Drop images here, or click to add the checked cards, as y = {label} "
                              f"({classes[label]}). Training goes on with the larger set. Ctrl+Z undoes it.")

    def add_images(self, images: list[DroppedImage]) -> None:
        for image in images:
            card = ImageCard(image)
            self.cards.insertWidget(self.cards.count() - 1, card)
            self._cards.append(card)
            self.images.append(image)
        if images:  # new cards may land below the visible area: show the first of them
            first = self._cards[-len(images)]
            QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(first))

    def draw(self, frame: Frame) -> None:
        points = frame.controller.train.is_points
        self.hint.setText(POINTS_HINT if points else IMAGES_HINT)
        for target in self.add_targets:
            target.setEnabled(not points)
        if self.images and not points:
            self.show_verdicts(frame.verdicts(self.images))

    def show_verdicts(self, verdicts: list[Verdict]) -> None:
        for card, verdict in zip(self._cards, verdicts, strict=True):
            card.show_verdict(verdict)

    def clear_cards(self) -> None:
        for card in self._cards:
            card.deleteLater()
        self._cards, self.images = [], []

    def chosen_images(self) -> list[DroppedImage]:
        return [card.image for card in self._cards if card.chosen.isChecked()]

    def _add_all(self, label: int) -> None:
        chosen = self.chosen_images()
        if chosen:
            self.addRequested.emit(label, chosen)
