"""A notice: a sentence the learner must see, with an owner and a lifetime.

What a notice says is true of the run or the data when it is told; it goes as soon as that may no
longer be so. Each notice names the happenings that end it (``ends_on``); the window's state ends
it when one of them happens (an undo changes the data, Reset starts a new run, α moves on...).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Happening(StrEnum):
    """Things that happen to the run or the data, after which a notice may no longer be true."""

    TRAIN = "train"  # Train was pressed: the learner has moved on
    RESET = "reset"  # a new run from the start (Reset, or a new loss, init or seed)
    BRANCH = "branch"  # the run went back to an earlier iteration
    DATA = "data"  # new data, an edit, or an undone edit
    SESSION = "session"  # a saved session or a lesson replaced run, data and settings
    ALPHA = "alpha"
    OPTIMIZER = "optimizer"  # the optimizer, its batch size, hyperparameters, L2 or decay


#: What ends most notices: the learner trains, starts again, or the data or session changes.
USUAL = frozenset({Happening.TRAIN, Happening.RESET, Happening.DATA, Happening.SESSION})
#: What ends a notice about how the run went: any of those, or a change of what it blamed.
ABOUT_THE_RUN = USUAL | {Happening.BRANCH, Happening.ALPHA, Happening.OPTIMIZER}


@dataclass(frozen=True)
class Notice:
    text: str
    kind: str = "info"  # info, warning or error
    #: Who told it: "window", "data", "file", "run", "lesson"...
    owner: str = "window"
    ends_on: frozenset[Happening] = USUAL
