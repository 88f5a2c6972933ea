"""The race's two tables: the configurations to run (editable, every cell checked) and the results.

Arrow keys move between cells, typing or F2 edits one, Tab leaves the table: the whole table
is reachable and usable from the keyboard. A cell that fails its check (visualizer.model.settings)
goes back to its last good value and the reason is reported, naming the row and the column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QStyledItemDelegate, QTableWidget, QTableWidgetItem

from visualizer.core.analysis.race import BLANKS, COLUMNS, NAMES, RaceConfig, Summary, hidden_cell
from visualizer.core.analysis.verdicts import SHORT, Verdict
from visualizer.core.optim.registry import users
from visualizer.core.optim.spec import join
from visualizer.model.constraints import RUN
from visualizer.model.race_config import check_cell

KEYS = list(COLUMNS)
GOOD = Qt.ItemDataRole.UserRole


def shown(key: str, value) -> str:
    if key == "optimizer":
        return NAMES[value]
    if value is None:
        return BLANKS[key][-1]
    if key == "hidden":
        return hidden_cell(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class OptimizerDelegate(QStyledItemDelegate):
    """The optimizer cell edits with a list of the registry's optimizers."""

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        box.addItems(list(NAMES.values()))
        box.setAccessibleName("optimizer")
        box.setToolTip(join(NAMES.values(), "or"))
        return box

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data())

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText())


class ConfigTable(QTableWidget):
    """One row per configuration; ``configs()`` reads them back, all checked."""

    problem = Signal(str)  # why the last edit was refused ("" when it was accepted)

    def __init__(self, m: int, parent=None):
        super().__init__(0, len(KEYS), parent)
        self.m = m
        self.setHorizontalHeaderLabels(list(COLUMNS.values()))
        self.setItemDelegateForColumn(0, OptimizerDelegate(self))
        self.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move between cells
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        beta = (f"the β of {join(s.name for s in users('beta'))}, and the β₁ of "
                f"{join(s.name for s in users('beta1'))}")
        self.setToolTip("One run per row, from the same start unless it has a seed. Arrows move, typing or F2 "
                        f"edits a cell. β is {beta}; B is the batch size (all, or 1 to m); λ is L2; "
                        "α decays as α₀ / (1 + decay · epoch); a seed starts the row from that seed's random start; "
                        "hidden layers make the row's own network (none: logistic regression).")
        tips = {"optimizer": join(NAMES.values(), "or"), "alpha": "the learning rate α > 0",
                "beta": f"{beta}, in [0, 1)", "beta2": f"the β₂ of {join(s.name for s in users('beta2'))}, in [0, 1)",
                "batch_size": f"examples per step: all (batch), 1 (stochastic) up to m = {m}",
                "lam": "L2 strength λ ≥ 0: J + (λ/2m)·|w|²", "decay": "α = α₀ / (1 + decay · epoch), decay ≥ 0",
                "seed": "same: the window's start (its init and seed); a seed: that seed's random start and "
                        "shuffles, so rows alike but for the seed race the same model from several starts",
                "hidden": "same: the window's model; none: logistic regression; 4 or 20,7,5: those hidden layers "
                          f"({RUN['hidden'].rule()}), with the window's activation and init, so rows race sizes"}
        for c, key in enumerate(KEYS):
            self.horizontalHeaderItem(c).setToolTip(tips[key])
        self.horizontalHeader().setMinimumSectionSize(56)  # room to type into a cell of "0" or "all"
        self.itemChanged.connect(self._check)

    def configs(self) -> list[RaceConfig]:
        return [RaceConfig(**{key: self.item(r, c).data(GOOD) for c, key in enumerate(KEYS)})
                for r in range(self.rowCount())]

    def set_configs(self, configs) -> None:
        self.setRowCount(0)
        for config in configs:
            self.add_row(config)
        self.resizeColumnsToContents()  # every column whole: at 100 px each, a 1024 px window cut "hidden layers"
        if configs:
            self.setCurrentCell(0, 1)  # shown from its first row (a fifth row had scrolled the first out of view)

    def add_row(self, config: RaceConfig | None = None) -> None:
        """A new row: ``config``, or a copy of the current row to edit (or the course's α)."""
        if config is None:
            current = self.currentRow()
            config = self.configs()[current] if 0 <= current < self.rowCount() else RaceConfig()
        row = self.rowCount()
        self.blockSignals(True)
        self.insertRow(row)
        for c, key in enumerate(KEYS):
            value = getattr(config, key)
            item = QTableWidgetItem(shown(key, value))
            item.setData(GOOD, value)
            self.setItem(row, c, item)
        self.blockSignals(False)
        self.setCurrentCell(row, 1)

    def remove_row(self) -> None:
        row = self.currentRow()
        if 0 <= row < self.rowCount():
            self.removeRow(row)

    def _check(self, item: QTableWidgetItem) -> None:
        key = KEYS[item.column()]
        try:
            value, problem = check_cell(key, item.text(), self.m), ""
        except ValueError as exc:
            value, problem = item.data(GOOD), f"Row {item.row() + 1}, {COLUMNS[key]}: {exc}."
        self.blockSignals(True)  # our own correction of the text is no new edit
        item.setData(GOOD, value)
        item.setText(shown(key, value))
        self.blockSignals(False)
        self.resizeColumnToContents(item.column())  # a longer value ("20,7,5") stays whole
        self.problem.emit(problem)


RESULT_COLUMNS = ["run", "iterations", "epochs", "final J", "train accuracy", "test accuracy",
                  "to target (iterations)", "to target (s)", "time (s)", "what J did"]


def verdict_cell(v: Verdict) -> str:
    """What the run's J did (core.analysis.verdicts), with the peak of an unstable start."""
    if v.kind == "unstable":
        return f"unstable at first: {v.peak:.3g} at iteration {v.peak_at}"
    return SHORT[v.kind]


class ResultsTable(QTableWidget):
    """One row per run of the race: where it ended, when it reached the target, how long it worked."""

    def __init__(self, parent=None):
        super().__init__(0, len(RESULT_COLUMNS), parent)
        self.setHorizontalHeaderLabels(RESULT_COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setToolTip("Final full J and accuracies of each run; the iterations and seconds it took to reach "
                        "the target cost (- if it never did); seconds count the optimizer's own work. What J "
                        "did: it fell at every step, went up and down, was unstable at first (rose above its "
                        "start, then ended below it), or diverged (ended above its start, or stopped being finite).")
        self.resizeColumnsToContents()  # each heading whole before the first race ("to target (iteration")

    def fill(self, rows: list[Summary]) -> None:
        self.setRowCount(len(rows))
        for r, s in enumerate(rows):
            cells = [s.label, str(s.iteration), f"{s.epochs:.4g}", f"{s.final_cost:.6f}", f"{s.train_accuracy:.2f} %",
                     "-" if s.test_accuracy is None else f"{s.test_accuracy:.2f} %",
                     "-" if s.reached_at is None else str(s.reached_at),
                     "-" if s.reached_seconds is None else f"{s.reached_seconds:.3f}", f"{s.seconds:.3f}",
                     verdict_cell(s.verdict)]
            for c, text in enumerate(cells):
                self.setItem(r, c, QTableWidgetItem(text))
        self.resizeColumnsToContents()
