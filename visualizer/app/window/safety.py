"""Python code that Qt calls from C++ must not let an exception escape.

Qt calls our overrides of its virtual methods (``QUndoCommand.redo``, event handlers)
from C++. PySide6 6.11 can crash while reporting an exception that escapes one: numpy
raises its errors unnormalized, and shiboken's ``PepException_GetArgs`` dereferences
them (a segfault, seen with QUndoStack.push). So such methods report through
``sys.excepthook`` (the window shows it, pytest-qt fails the test) and return normally.
"""

from __future__ import annotations

import functools
import sys


def reported(method):
    """Wrap a Qt override: an exception goes to ``sys.excepthook`` instead of back into C++."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception:
            sys.excepthook(*sys.exc_info())
            return None

    return wrapper
