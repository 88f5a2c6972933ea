"""The run's settings, derived from the constraint table (visualizer.model.constraints): its fields,
defaults and checks. Sessions, lesson files, the command line, the window and the remembered
preferences all build them through ``from_dict`` (typed values) or ``field_or_default`` (text).
No Qt import, so the CLI and the tests use it without a display.
"""

from __future__ import annotations

from dataclasses import asdict, field, fields, make_dataclass

from visualizer.core.models.network import Network
from visualizer.core.optim.optimizers import Optimizer
from visualizer.model.constraints import RUN, MappingError, check, check_mapping, parse, shown, together_problem

#: A network's θ at most this many numbers (80 MB; the run keeps a few copies): 10,000 units on 64 px images
#: (the table allows that many) would be 123 million, a gigabyte per copy.
NETWORK_MAX_PARAMETERS = 10_000_000


class SettingsError(ValueError):
    """A setting that cannot be used; the message names its source, the key and the value.
    ``key`` and ``reason``: the setting at fault and why, for callers that name it their own way."""

    def __init__(self, message: str, key: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.key, self.reason = key, reason or message


def _refused(source: str, key: str, reason: str) -> SettingsError:
    return SettingsError(f"{source}: setting {key!r}: {reason}", key, reason)


def _checked(d, source: str) -> dict:
    """Every key of ``d`` checked (SettingsError naming the key); a missing key is left out."""
    if not isinstance(d, dict):
        raise SettingsError(f"{source}: the settings must be a JSON object, not {type(d).__name__}")
    try:
        return check_mapping(d, RUN, "setting")
    except MappingError as exc:
        if exc.key is None:
            raise SettingsError(f"{source}: {exc.reason}") from None
        raise _refused(source, exc.key, exc.reason) from None


class _Methods:
    """RunSettings' behaviour; its fields come from the table."""

    @classmethod
    def from_dict(cls, d, source: str) -> RunSettings:
        """Every key checked, strictly typed; a missing key takes its default, an unknown key is refused.

        Refusing unknown keys means a typo ("alhpa") is reported instead of silently
        replaced by the default; files from newer versions are caught by their version.
        """
        values = _checked(d, source)
        problem = together_problem({**asdict(cls()), **values})
        if problem:
            raise _refused(source, *problem)
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)

    def with_changes(self, source: str, **changes) -> RunSettings:
        """These settings with ``changes``, all checked again (together too)."""
        return self.from_dict(self.to_dict() | changes, source)

    @classmethod
    def field_or_default(cls, key: str, raw):
        """``raw`` checked (text, as QSettings gives it back: "abc", "inf", "1e400", "" for none, is parsed
        first), or the default quietly. An unknown ``key`` is a programming error: KeyError."""
        default = RUN[key].default
        try:
            return parse(key, raw) if isinstance(raw, str) else check(key, raw)
        except ValueError:
            return default


def _annotation(c):
    kind = tuple[int, ...] if c.type is tuple else c.type | str if c.words else c.type
    return kind | None if c.none else kind


RunSettings = make_dataclass(
    "RunSettings", [(key, _annotation(c), field(default=c.default)) for key, c in RUN.items()],
    bases=(_Methods,), frozen=True, namespace={"__doc__": "What a run is started with: the table's settings. "
                                               "Build it from outside data with ``from_dict``, never by hand.",
                                               "__module__": __name__})


def run_optimizer(settings: RunSettings, m: int) -> Optimizer:
    """The optimizer a run on m examples takes from ``settings``: B = m is written as all m (None)."""
    opt = Optimizer.from_settings(settings)
    return opt.with_(batch_size=None) if opt.batch_size is not None and opt.batch_size >= m else opt


def model_problem(settings: RunSettings, m: int, n_x: int) -> tuple[str, str] | None:
    """(the setting at fault, why) when the settings ask a network, on m examples of n_x inputs, for more
    parameters than a window holds: the window, sessions and lessons refuse them (every optimizer trains one)."""
    problem = hidden_problem(settings.hidden, n_x)
    return None if problem is None else ("hidden", problem)


def hidden_problem(hidden: tuple[int, ...], n_x: int) -> str | None:
    """Why a network of these hidden layers on n_x inputs is too large to train here (a race's row too), or None."""
    if hidden and (size := Network(n_x, hidden).size) > NETWORK_MAX_PARAMETERS:
        return (f"a network of {', '.join(map(str, hidden))} hidden units on {n_x} inputs has {size:,} parameters; "
                f"at most {NETWORK_MAX_PARAMETERS:,} train here")
    return None


#: An Optimizer's fields by the setting each one is ("kind" is the optimizer setting).
OPTIMIZER_SETTING = {f.name: "optimizer" if f.name == "kind" else f.name for f in fields(Optimizer)}


def optimizer_from_dict(d, source: str) -> Optimizer:
    """An Optimizer read back from a file (``Optimizer.to_dict``'s keys), checked as the settings are."""
    if not isinstance(d, dict):
        raise SettingsError(f"{source}: an optimizer must be an object, not {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in OPTIMIZER_SETTING)
    if unknown:
        raise SettingsError(f"{source}: unknown optimizer setting {shown(unknown[0])}")
    settings = RunSettings.from_dict({OPTIMIZER_SETTING[k]: v for k, v in d.items()}, source)
    return Optimizer.from_settings(settings)

