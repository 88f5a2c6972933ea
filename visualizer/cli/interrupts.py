"""Ctrl+C while Qt draws: noted by a flag and acted on between frames, never raised inside Qt.

Python raises KeyboardInterrupt wherever the main thread is when the handler of SIGINT runs.
While a frame is drawn that is often inside Qt's paint of a pyqtgraph item, called from C++:
pyqtgraph caught it there ("Ignored exception: KeyboardInterrupt") and the GIF was finished
with exit 0, or Qt went on with half-updated items and crashed in grab_view (exit 139). So
while `screenshot` and `animate` run (Qt's own import included: a KeyboardInterrupt there was
a fatal error of shiboken), SIGINT only sets a flag. The work asks it while data loads, between
bursts of 200 iterations and between frames, stops there, writes nothing, and the command
exits 130. Once an animation's last frame is handed over, its file is finished whatever comes.
"""

from __future__ import annotations

import signal
import threading


class CtrlC:
    """``with CtrlC() as pressed:`` SIGINT sets ``pressed()`` instead of raising; the old handler comes back after.

    Only Python's own handler is replaced: a SIGINT that is ignored (a job started in the
    background by a script) stays ignored, and a host's own handler stays its own.
    """

    def __init__(self):
        self.pressed = False
        self._previous = None

    def __call__(self) -> bool:
        return self.pressed

    def _note(self, _signum, _frame) -> None:
        self.pressed = True

    def __enter__(self) -> CtrlC:
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def __exit__(self, *_exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
