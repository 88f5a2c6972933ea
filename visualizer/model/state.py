"""The window's state, in one Qt-free place: data sets, run settings, the iteration shown, the selection, the notice.

Panels and the training controller subscribe to ``state.events.<field>``, and to one setting at a
time with ``state.setting_events.<name>`` (an alpha tick reaches what follows alpha, not the nine
optimizer fields), and send intents through the methods below, which validate once (with
``visualizer.model.settings``) and then set the field. No panel pushes into another. Session
files and remembered preferences read and write ``RunSettings``, the same validated object.
A notice ends when something it depends on happens (``visualizer.model.notices``).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields, replace

from psygnal import Signal, SignalGroup, evented

from visualizer.core.analysis.evaluation import COURSE_THRESHOLD, cut
from visualizer.data import Dataset
from visualizer.model.constraints import MODEL_SETTINGS, batch_problem
from visualizer.model.notices import USUAL, Happening, Notice
from visualizer.model.pinned import MAX_PINNED, PinnedCurve
from visualizer.model.settings import RunSettings, SettingsError, model_problem

SETTING_NAMES = tuple(f.name for f in fields(RunSettings))
#: One signal per setting, emitted with (new value, old value) when that setting alone is what changed.
SettingEvents = type("SettingEvents", (SignalGroup,), {name: Signal(object, object) for name in SETTING_NAMES})
#: Settings whose change starts a new run: the model's too.
NEW_RUN = ("loss", "init", "seed", *MODEL_SETTINGS)
#: Settings that say how the run is driven or shown, not what it computes.
DRIVING = ("budget", "speed", "slice")
#: The rest, but alpha, make the optimizer (its kind, batch size, hyperparameters, L2, decay).
OPTIMIZER_FIELDS = tuple(name for name in SETTING_NAMES if name not in ("alpha", *NEW_RUN, *DRIVING))


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


@evented(equality_operators={"data": operator.is_, "pinned": operator.is_})
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
    #: What the learner must see now; it ends by itself when what it says may no longer be true.
    notice: Notice | None = None
    #: A batch size the data set made impossible (B > m): the settings say all m instead, and the Controls say why.
    batch_dropped: int | None = None
    #: ŷ above it is called 1, in the gallery's ✓/✗ and the Evaluation panel (the accuracies stay the course's 0.5).
    threshold: float = COURSE_THRESHOLD
    #: The gallery shows one cell of the confusion matrix only: (set name, label y, the model's call), or None.
    cell: tuple[str, int, int] | None = None
    #: Cost curves kept in the cost panel ("Keep this run"); a new run, α, lesson or data set leaves them.
    pinned: tuple[PinnedCurve, ...] = ()

    def __post_init__(self):
        self.settings = self._fitted(self.settings, self.data.train)  # remembered settings may hold B > m
        self.setting_events = SettingEvents()
        # connected first, so a notice ends before any subscriber reacts (and may tell a new one)
        # methods, which psygnal holds weakly: its class-level map of signal groups keeps a group (and every
        # callback it holds) until the state dies, so a callback holding the state would keep it for ever
        self.events.settings.connect(self._settings_changed)
        self.events.data.connect(self._data_changed)

    def close(self) -> None:
        """Its owner is done with it: every subscriber is let go, so the objects whose callbacks they are can be
        collected (psygnal's class-level map holds ``events`` until the state itself is gone)."""
        self.events.disconnect()
        self.setting_events.disconnect()

    def _data_changed(self, *_) -> None:
        self.happened(Happening.DATA)

    def _settings_changed(self, new: RunSettings, old: RunSettings) -> None:
        changed = [name for name in SETTING_NAMES if getattr(new, name) != getattr(old, name)]
        self.happened(*{Happening.ALPHA if name == "alpha" else Happening.RESET if name in NEW_RUN
                        else Happening.OPTIMIZER for name in changed if name not in DRIVING})
        for name in changed:
            self.setting_events[name].emit(getattr(new, name), getattr(old, name))

    # ------------------------------------------------------------------ intents
    def change_settings(self, **changes) -> RunSettings:
        """Validated as a session's settings are; a bad value raises SettingsError and changes nothing."""
        unknown = set(changes) - set(RunSettings().to_dict())
        if unknown:
            raise SettingsError(f"unknown setting {sorted(unknown)[0]!r}")
        new = self.settings.with_changes("the window", **changes)
        if problem := batch_problem(new.batch_size, self.data.train.m):  # refused, as the CLI and lessons do
            raise SettingsError(f"the window: setting 'batch_size': {problem}", "batch_size", problem)
        if problem := model_problem(new, self.data.train.m, self.data.train.n_x):  # too large, or not run (yet)
            raise SettingsError(f"the window: setting {problem[0]!r}: {problem[1]}", *problem)
        self.batch_dropped = None
        if new != self.settings:
            self.settings = new
        return new

    def replace_settings(self, settings: RunSettings) -> None:
        """A whole RunSettings from a session or a lesson (already validated where it was read, B <= m of
        the data it comes with)."""
        self.batch_dropped = None
        self.settings = settings

    def restore_settings(self, settings: RunSettings) -> None:
        """Settings remembered from last time, on this data: a batch size above its m becomes all m, and
        ``batch_dropped`` keeps it for the Controls to say so."""
        self.batch_dropped = None
        self.settings = self._fitted(settings, self.data.train)

    def set_data(self, train: Dataset, test: Dataset | None, appended: int = 0, fresh: bool = False) -> None:
        """New data, or an edit. A batch size above the new m becomes all m first (the run follows it), and
        ``batch_dropped`` keeps it for the Controls to say so."""
        self.view_iteration = None
        self.selected = None
        self.cell = None
        if fresh:
            self.batch_dropped = None
        self.settings = self._fitted(self.settings, train)
        self.data = DataSets(train, test, appended, fresh)

    def _fitted(self, settings: RunSettings, train: Dataset) -> RunSettings:
        """``settings`` with B <= m: a larger B becomes None (all m, valid for any m), kept in batch_dropped."""
        if batch_problem(settings.batch_size, train.m) is None:
            return settings
        self.batch_dropped = settings.batch_size
        return replace(settings, batch_size=None)

    def look_at(self, iteration: int | None) -> None:
        """Show an earlier iteration; None, or the latest, follows the run. Clamped to what can be replayed."""
        if iteration is not None:
            earliest, latest = self.replayable()
            iteration = None if iteration >= latest else max(int(iteration), earliest)
        self.view_iteration = iteration

    def replayable(self) -> tuple[int, int]:
        """(earliest, latest) iteration the run can show; the training controller provides it."""
        return (0, 0) if self.view_bounds is None else self.view_bounds()

    def tell(self, text: str, kind: str = "info", owner: str = "window", ends_on=USUAL) -> None:
        """Show a notice until the learner dismisses it or one of ``ends_on`` happens; told again, it shows again."""
        notice = Notice(text, kind, owner, frozenset(ends_on))
        if notice == self.notice:
            self.notice = None
        self.notice = notice

    def dismiss(self) -> None:
        self.notice = None

    def happened(self, *happenings: Happening) -> None:
        """Something happened to the run or the data: a notice that depended on it ends."""
        if self.notice is not None and self.notice.ends_on.intersection(happenings):
            self.notice = None

    def set_threshold(self, threshold: float) -> None:
        cut(threshold)  # raises ValueError outside (0, 1)
        self.threshold = float(threshold)

    def keep(self, curve: PinnedCurve) -> None:
        """Pin a run's cost curve; ValueError when MAX_PINNED are kept already."""
        if len(self.pinned) >= MAX_PINNED:
            raise ValueError(f"{MAX_PINNED} curves are kept already: remove one first")
        self.pinned = (*self.pinned, curve)

    def unpin(self, index: int | None = None) -> None:
        """Remove the kept curve at ``index``; None removes them all."""
        if index is not None and not 0 <= index < len(self.pinned):
            raise ValueError(f"there is no kept curve {index}")
        self.pinned = () if index is None else self.pinned[:index] + self.pinned[index + 1:]

    def set_pinned(self, curves) -> None:
        """The kept curves of a session, or as they were before an edit that Ctrl+Z takes back."""
        curves = tuple(curves)
        if len(curves) > MAX_PINNED or not all(isinstance(c, PinnedCurve) for c in curves):
            raise ValueError(f"at most {MAX_PINNED} kept curves")
        self.pinned = curves

    def show_cell(self, set_name: str, actual: int, said: int) -> None:
        """Show only that cell's examples in the gallery; asked again, show them all."""
        if (set_name == "test" and self.data.test is None) or actual not in (0, 1) or said not in (0, 1):
            raise ValueError(f"there is no cell ({actual}, {said}) of the {set_name} set")
        self.cell = None if self.cell == (set_name, actual, said) else (set_name, int(actual), int(said))

    def show_all(self) -> None:
        self.cell = None

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
