"""What a run remembers of its own past beyond the history: where its path restarted and why, and the edits of
its data made since its last step, so that undoing one gives the run back whole."""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.core import GradientDescent
from visualizer.model.settings import RunSettings

#: Why the iterations before a restart cannot be shown again: the data changed; the session file the run was
#: reopened from kept only their costs (older files); a newer one kept its past from a restart it does not name.
DATA_CHANGED, SESSION_SAVED = "the data was different", "the file it was reopened from kept only their costs"
PAST_SAVED = "the run's path had restarted there before it was saved"


class RunPast:
    def __init__(self, restarts: list[tuple[int, str]] | None = None):
        #: (iteration, why): where the path restarted, and why the iterations before it cannot be replayed.
        self.restarts = list(restarts or [])
        #: (data before, the run before, restarts before) for each edit made at the current iteration.
        self._edits: list[tuple] = []

    def restarted(self, iteration: int, why: str) -> None:
        self.restarts.append((iteration, why))

    def why(self, replay_from: int) -> str | None:
        """Why the iterations before ``replay_from`` (the earliest that can be shown) cannot be; None from 0."""
        if replay_from == 0:
            return None
        whys = [why for it, why in self.restarts if it == replay_from]
        return whys[-1] if whys else "the path was not kept"

    def note(self, replay_from: int) -> str | None:
        """``why``, as the timeline says it."""
        why = self.why(replay_from)
        return None if why is None else f"iterations before {replay_from} cannot be shown: {why}"

    def before_edit(self, data, gd: GradientDescent) -> None:
        """``data`` (a DataSets) is about to be edited at the current iteration of ``gd``."""
        self._edits.append((data, gd.before_edit(), list(self.restarts)))

    def undo_edit(self, data, gd: GradientDescent) -> bool:
        """``data`` is what the last edit replaced and no step was taken since: ``gd`` is given back as it was."""
        if not self._edits:
            return False
        before, run, restarts = self._edits[-1]
        if data.train is not before.train or data.test is not before.test or not gd.undo_edit(run):
            self._edits = []
            return False
        self._edits.pop()
        self.restarts = restarts
        return True

    def stepped(self) -> None:
        """A step makes every saved edit one that cannot be undone whole (and frees what it kept)."""
        self._edits = []


@dataclass(frozen=True)
class KeptRun:
    """A run put aside whole by Reset or a new loss, init or seed, for Ctrl+Z: the run, its past and the
    settings it ran with."""

    gd: GradientDescent
    past: RunPast
    settings: RunSettings
