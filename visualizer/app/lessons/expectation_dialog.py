"""Save as lesson: the teacher ticks which of the run's measured facts the lesson states (model.lesson_facts)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class ExpectationDialog(QDialog):
    """One check box per sentence: the lesson's own (ticked) and the run's facts (not ticked)."""

    def __init__(self, kept: list[str], offered: list[str], why_none: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("What the lesson says the learner will see")
        layout = QVBoxLayout(self)
        intro = QLabel("Tick what the lesson states. `visualizer check-lesson` runs the lesson from its start and "
                       "checks each sentence (docs/lessons.md, 'Expectations').")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: list[QCheckBox] = []
        for text, ticked in [(t, True) for t in kept] + [(t, False) for t in offered if t not in kept]:
            box = QCheckBox(text)
            box.setChecked(ticked)
            layout.addWidget(box)
            self.boxes.append(box)
        if why_none is not None:
            note = QLabel(f"Nothing measured on this run is offered: {why_none}.")
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def ticked(self) -> list[str]:
        return [box.text() for box in self.boxes if box.isChecked()]
