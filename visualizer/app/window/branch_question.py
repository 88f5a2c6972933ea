"""Training on from an iteration looked back at drops the iterations after it, which nothing brings back:
so Train asks first, as Quit does, and offers to go on from the run's end instead."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

#: The answers: train from the iteration looked at (dropping the later ones), or from the run's end.
BRANCH, FROM_END = "branch", "end"


def branch_text(at: int, end: int) -> str:
    """The question, with the run's own iterations."""
    dropped = f"iteration {end:,}" if end == at + 1 else f"iterations {at + 1:,}–{end:,}"
    return (f"You are looking back at iteration {at:,} of {end:,}. Training on from here starts a new branch: "
            f"{dropped} will be dropped, and Ctrl+Z cannot bring them back.")


def ask_where_to_train(parent: QWidget, at: int, end: int) -> str | None:
    """BRANCH, FROM_END, or None when the learner cancels; going on from the end is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, "Train from an earlier iteration?", branch_text(at, end),
                      QMessageBox.StandardButton.Cancel, parent)
    branch = box.addButton(f"&Branch from {at:,}", QMessageBox.ButtonRole.DestructiveRole)
    from_end = box.addButton(f"Go on from the &end ({end:,})", QMessageBox.ButtonRole.AcceptRole)
    branch.setToolTip(f"Train from iteration {at:,}; the iterations after it are dropped")
    from_end.setToolTip("Show the run's end again and train on from there: nothing is dropped")
    box.setDefaultButton(from_end)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return BRANCH if clicked is branch else FROM_END if clicked is from_end else None


def settle_looking_back(parent: QWidget, state, controller) -> bool:
    """Before training: while looking back, branch from there or go on from the end, as the learner answers;
    False when they cancel."""
    at = state.view_iteration
    if at is None:
        return True
    answer = ask_where_to_train(parent, at, controller.gd.iteration)
    if answer == BRANCH:
        controller.branch_from(at)
    if answer is not None:
        state.look_at(None)
    return answer is not None
