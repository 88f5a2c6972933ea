"""The one way long work leaves the GUI thread: training, loading, decoding drops, comparisons, timings.

``work(cancelled, progress)`` runs on a QThread. It polls ``cancelled()`` and may call
``progress(done, total)``; its result, or the reason it failed, comes back as a signal
on the GUI thread. A worker is a child of its owner, so closing the owner can wait for it. What a worker
changes while others read it is guarded by a ``ReadWriteLock``.
"""

from __future__ import annotations

import contextlib
import threading
import traceback

from PySide6.QtCore import QThread, Signal


class Worker(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work, parent=None, expected: tuple[type[Exception], ...] = (), quiet=()):
        """``expected``: errors whose message is for the user as it is; ``quiet``: errors that mean 'cancelled'."""
        super().__init__(parent)
        self.work, self.expected, self.quiet = work, expected, tuple(quiet)
        self._cancel = threading.Event()
        self.result = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            self.result = self.work(self._cancel.is_set, self.progressed.emit)
        except self.quiet:
            return
        except self.expected as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # an unforeseen error must reach the user, never kill the thread silently
            traceback.print_exc()  # and the developer
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.succeeded.emit(self.result)

    def stop(self) -> None:
        """Ask it to stop and wait until it has (closing a window must not leave a thread behind)."""
        self.cancel()
        self.wait()


class ReadWriteLock:
    """Many readers at once, or one writer: readers never wait for one another, and a reader may read again
    inside its own read (a writer waits for every reader to finish)."""

    def __init__(self):
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextlib.contextmanager
    def reading(self):
        with self._changed:
            self._changed.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def writing(self):
        with self._changed:
            self._changed.wait_for(lambda: not self._writing and not self._readers)
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()
