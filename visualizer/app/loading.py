"""Opening a data set without freezing the window: a worker thread, a progress bar, a report."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..data import DataError, Dataset, LoadCancelled, load_data


class DataLoader(QThread):
    """Runs ``load_data`` off the GUI thread; progress and outcome arrive as signals."""

    progressed = Signal(int, int)
    loaded = Signal(object, object)
    failed = Signal(str)

    def __init__(self, path: str, parent=None):
        super().__init__(parent)
        self.path = path
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            train, test = load_data(self.path, progress=self.progressed.emit, cancelled=self._cancel.is_set)
        except LoadCancelled:
            return
        except DataError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # an unforeseen file must not take the window down
            self.failed.emit(f"{self.path}: could not be loaded ({type(exc).__name__}: {exc})")
            return
        self.loaded.emit(train, test)


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
