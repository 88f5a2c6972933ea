"""Opening a data set without freezing the window: a worker thread, a progress bar, a report."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from visualizer.app.run.worker import Worker
from visualizer.data import DataError, Dataset, LoadCancelled, load_data
from visualizer.model.constraints import TABLE


def data_loader(path: str, parent=None, test_fraction: float | None = None) -> Worker:
    """A worker running ``load_data(path)``; ``succeeded`` carries (train, test). ``test_fraction``: the part held
    out when the source has no test set (None: the constraint table's default)."""
    fraction = TABLE["test_fraction"].default if test_fraction is None else test_fraction
    return Worker(lambda cancelled, progress: load_data(path, progress=progress, cancelled=cancelled,
                                                        test_fraction=fraction), parent,
                  expected=(DataError,), quiet=(LoadCancelled,))


class LoadReportDialog(QDialog):
    """The files a load skipped, each with its reason."""

    def __init__(self, train: Dataset, test: Dataset | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Load report")
        skipped = train.skipped + (test.skipped if test is not None else [])
        counts = f"{train.m} training" + (f" and {test.m} test" if test is not None else "") + " images loaded"
        summary = QLabel(f"{counts} from {train.source}. "
                         + (f"{len(skipped)} file(s) were skipped:" if skipped else "No file was skipped."))
        summary.setWordWrap(True)
        table = QTableWidget(len(skipped), 2)
        table.setAccessibleName("Skipped files")
        table.setHorizontalHeaderLabels(["File", "Why it was skipped"])
        for row, s in enumerate(skipped):
            table.setItem(row, 0, QTableWidgetItem(s.path))
            table.setItem(row, 1, QTableWidgetItem(s.reason))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.table = table
        self.resize(760, 360)
