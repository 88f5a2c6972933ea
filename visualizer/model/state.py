"""The window's state, in one Qt-free place: data sets, run settings, the iteration shown, the selection.

Panels and the training controller subscribe to ``state.events.<field>`` and send intents
through the methods below, which validate once (with ``visualizer.model.settings``) and then set
the field, so every subscriber hears of the change. No panel pushes into another. Session
files and remembered preferences read and write ``RunSettings``, the same validated object.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace

from psygnal import evented

from visualizer.data import Dataset
from visualizer.model.settings import RunSettings, SettingsError


@dataclass(frozen=True, eq=False)
class DataSets:
    """The training and test sets, changed together.

    ``fresh``: a newly opened data set (a new run starts); otherwise an edit, trained on from the
    same (w, b). ``appended``: examples an edit added at the end of train (the Gram matrix grows).
    """

    train: Dataset
    test: Dataset | None
    appended: int = 0
    fresh: bool = True


@evented(equality_operators={"data": operator.is_})
@dataclass
class WindowState:
    data: DataSets
    settings: RunSettings = field(default_factory=RunSettings)
    #: The iteration the window shows while paused and looking back; None follows the run.
    view_iteration: int | None = None
    #: The example picked in the gallery or on the sigma plot: ("train" or "test", index).
    selected: tuple[str, int] | None = None
    #: () -> (earliest, latest) iteration that can be shown, set by whoever owns the run.
    view_bounds: object = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ intents
    def change_settings(self, **changes) -> RunSettings:
        """Validated as a session's settings are; a bad value raises SettingsError and changes nothing."""
        unknown = set(changes) - set(RunSettings().to_dict())
        if unknown:
            raise SettingsError(f"unknown setting {sorted(unknown)[0]!r}")
        new = RunSettings.from_dict(self.settings.to_dict() | changes, "the window")
        if new != self.settings:
            self.settings = new
        return new

    def replace_settings(self, settings: RunSettings) -> None:
        """A whole RunSettings from a session or a lesson (already validated where it was read)."""
        self.settings = settings

    def set_data(self, train: Dataset, test: Dataset | None, appended: int = 0, fresh: bool = False) -> None:
        self.view_iteration = None
        self.selected = None
        self.data = DataSets(train, test, appended, fresh)

    def look_at(self, iteration: int | None) -> None:
        """Show an earlier iteration; None, or the latest, follows the run. Clamped to what can be replayed."""
        if iteration is not None:
            earliest, latest = self.replayable()
            iteration = None if iteration >= latest else max(int(iteration), earliest)
        self.view_iteration = iteration

    def replayable(self) -> tuple[int, int]:
        """(earliest, latest) iteration the run can show; the training controller provides it."""
        return (0, 0) if self.view_bounds is None else self.view_bounds()

    def select(self, set_name: str, index: int) -> None:
        data = self.data.train if set_name == "train" else self.data.test
        if data is None or not 0 <= index < data.m:
            raise ValueError(f"there is no example {index} in the {set_name} set")
        self.selected = (set_name, int(index))

    @property
    def train(self) -> Dataset:
        return self.data.train

    @property
    def test(self) -> Dataset | None:
        return self.data.test

    def with_alpha(self, alpha: float) -> RunSettings:
        """The settings as they would be saved: the alpha in force (the run's own) included."""
        return replace(self.settings, alpha=alpha)
