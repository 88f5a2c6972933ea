"""Undoable commands: data-set edits (adding, removing, relabelling and moving examples), runs replaced, and
the cost curves kept or removed."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QUndoCommand

from visualizer.app.window.safety import reported
from visualizer.data import Dataset
from visualizer.data.dataset import take, with_examples
from visualizer.model.pinned import MAX_PINNED, pinned_curve


class DataEdit(QUndoCommand):
    """Swap (train, test) for an edited pair; undo swaps the old pair back."""

    changes = "the data set"  # what it changes, as the question before closing names it

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


class RunSwap(QUndoCommand):
    """A run that Reset or a new loss, init or seed replaced: undo brings it back whole, redo the new one."""

    changes = "the run"

    def __init__(self, window, kept):
        super().__init__(f"Reset at iteration {kept.gd.iteration}")
        self.window = window
        self.kept = kept
        self.pushed = False  # the reset itself has happened already

    @reported
    def redo(self) -> None:
        if self.pushed:
            self.kept = self.window.controller.swap_run(self.kept)
        self.pushed = True

    @reported
    def undo(self) -> None:
        self.kept = self.window.controller.swap_run(self.kept)


class PinnedEdit(QUndoCommand):
    """The kept cost curves before and after keeping one or removing some: undo gives the old ones back."""

    changes = "the kept curves"

    def __init__(self, state, text: str, new: tuple):
        super().__init__(text)
        self.state, self.old, self.new = state, state.pinned, tuple(new)

    @reported
    def redo(self) -> None:
        self.state.set_pinned(self.new)

    @reported
    def undo(self) -> None:
        self.state.set_pinned(self.old)


def keeping(state, controller) -> PinnedEdit | None:
    """Keeping the run's cost curve, or None when there is nothing to keep or no room (the state says why)."""
    n = controller.latest.iteration
    if n == 0:
        state.tell("Nothing to keep yet: train first, then keep the run.")
    elif len(state.pinned) >= MAX_PINNED:
        state.tell(f"{MAX_PINNED} curves are kept already: remove one first (Kept, below the cost plot).")
    else:
        gd = controller.gd
        curve = pinned_curve(gd.history, n, state.with_alpha(gd.alpha), gd.m, controller.train.source)
        return PinnedEdit(state, "Keep this run", (*state.pinned, curve))
    return None


def removing(state, index: int | None) -> PinnedEdit | None:
    """Removing the kept curve at ``index``, or all of them (None); None when there is no such curve."""
    kept = state.pinned
    if not kept or (index is not None and not 0 <= index < len(kept)):
        return None
    text = "Remove all kept curves" if index is None else f"Remove the kept curve {kept[index].label}"
    return PinnedEdit(state, text, () if index is None else kept[:index] + kept[index + 1:])


def changed_since_clean(stack) -> set[str] | None:
    """What the commands done or undone since ``stack`` was last clean change ("the run", "the data set", "the
    kept curves"); None when that cannot be told (the clean state was dropped with the commands after it)."""
    clean, now = stack.cleanIndex(), stack.index()
    if clean < 0:
        return None
    return {stack.command(i).changes for i in range(min(clean, now), max(clean, now))}


def unsaved_sentence(changed: set[str] | None) -> str:
    """'The kept curves have changed since the session was last saved.', naming what ``changed``."""
    if not changed:
        return "The session has changed since it was last saved."
    names = [name for name in (RunSwap.changes, DataEdit.changes, PinnedEdit.changes) if name in changed]
    said = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    plural = len(names) > 1 or names[0].endswith("curves")
    return f"{said[0].upper()}{said[1:]} {'have' if plural else 'has'} changed since the session was last saved."


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
