"""Data-set edits as undoable commands: adding, removing, relabelling and moving examples."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QUndoCommand

from visualizer.app.window.safety import reported
from visualizer.data import Dataset
from visualizer.data.dataset import take, with_examples


class DataEdit(QUndoCommand):
    """Swap (train, test) for an edited pair; undo swaps the old pair back."""

    def __init__(self, window, text: str, new: tuple[Dataset, Dataset | None], appended: int = 0):
        super().__init__(text)
        self.window = window
        self.old = (window.controller.train, window.controller.test)
        self.new = new
        self.appended = appended  # examples added at the end of train: the Gram matrix can grow

    @reported
    def redo(self) -> None:
        self.window.apply_data(*self.new, appended=self.appended)

    @reported
    def undo(self) -> None:
        self.window.apply_data(*self.old, appended=0)


def added(train: Dataset, images: list, label: int) -> Dataset:
    pixels = np.stack([im.pixels for im in images])
    return with_examples(train, pixels, np.full(len(images), label), [im.path or im.name for im in images])


def removed(data: Dataset, index: int) -> Dataset:
    return take(data, [i for i in range(data.m) if i != index])


def relabelled(data: Dataset, index: int) -> Dataset:
    labels = data.Y[0].copy()
    labels[index] = 1 - labels[index]
    return take(data, np.arange(data.m), labels)


def moved(source: Dataset, target: Dataset | None, index: int) -> tuple[Dataset, Dataset]:
    """(source without the example, target with it)."""
    one = take(source, [index])
    grown = one if target is None else with_examples(target, one.images, one.Y[0], one.names)
    return removed(source, index), grown
