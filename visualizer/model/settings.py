"""The run's settings, validated in one place for the CLI, session files and saved preferences.

Every check accepts what the outside world hands over: a number from JSON, a string from
the command line or from QSettings. ``True`` is not 1 here: a bool is refused as a number.
No Qt import, so the CLI and the tests use it without a display.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, fields

from visualizer.core import LOSSES
from visualizer.core.optim.optimizers import DECAY_KINDS, KINDS

INITS = ("zeros", "random")
#: The surface panel's slices (visualizer/core/analysis/surface.py's plane kinds).
SLICE_KINDS = ("w-direction", "principal")
#: Far beyond any useful learning rate; larger ones overflow on the first step anyway.
ALPHA_MAX = 1e6
#: numpy's default_rng takes any non-negative int; the window's seed box holds up to 2**31 - 1.
SEED_LIMIT = 2**31
BUDGET_MAX = 10**9


class SettingsError(ValueError):
    """A setting that cannot be used; the message names its source, the key and the value."""


def _shown(raw) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _real(raw, what: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real | str):
        raise ValueError(f"{what} must be a number, not {_shown(raw)}")
    try:
        return float(raw)
    except (ValueError, OverflowError):
        raise ValueError(f"{what} must be a number, not {_shown(raw)}") from None


def _whole(raw, what: str) -> int:
    """An int from an int, an integral float or a string such as "12" or "1e6"."""
    if isinstance(raw, numbers.Integral) and not isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            pass
    try:
        value = _real(raw, what)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not value.is_integer():
        raise ValueError(f"{what} must be a whole number, not {_shown(raw)}")
    return int(value)


def check_alpha(raw) -> float:
    value = _real(raw, "the learning rate")
    if not (math.isfinite(value) and 0 < value <= ALPHA_MAX):
        raise ValueError(f"the learning rate must be a positive number at most {ALPHA_MAX:g}, not {_shown(raw)}")
    return value


def _choice(raw, what: str, options) -> str:
    if not isinstance(raw, str) or raw not in options:
        raise ValueError(f"{what} must be one of {', '.join(options)}, not {_shown(raw)}")
    return raw


def check_loss(raw) -> str:
    return _choice(raw, "the loss", tuple(LOSSES))


def check_init(raw) -> str:
    return _choice(raw, "the initialization", INITS)


def check_slice(raw) -> str:
    return _choice(raw, "the surface slice", SLICE_KINDS)


def check_seed(raw) -> int:
    value = _whole(raw, "the seed")
    if not 0 <= value < SEED_LIMIT:
        raise ValueError(f"the seed must be between 0 and {SEED_LIMIT - 1}, not {value}")
    return value


def check_budget(raw) -> int:
    value = _whole(raw, "the number of iterations")
    if not 0 <= value <= BUDGET_MAX:
        raise ValueError(f"the number of iterations must be between 0 and {BUDGET_MAX}, not {value}")
    return value


def check_speed(raw) -> float | None:
    """Iterations per second; None (or JSON null) is as fast as possible."""
    if raw is None:
        return None
    value = _real(raw, "the speed")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"the speed must be a positive number of iterations per second, not {_shown(raw)}")
    return value


def check_optimizer(raw) -> str:
    return _choice(raw, "the optimizer", KINDS)


def check_batch_size(raw) -> int | None:
    """None (or JSON null) is all m examples: batch gradient descent. B <= m is checked where m is known."""
    if raw is None:
        return None
    value = _whole(raw, "the batch size")
    if not 1 <= value <= BUDGET_MAX:  # far above any m; a bigger int overflowed Qt's 64-bit settings (a crash)
        raise ValueError(f"the batch size must be between 1 and {BUDGET_MAX}, not {_shown(value)}")
    return value


def _beta(what: str):
    def check(raw) -> float:
        value = _real(raw, what)
        if not 0 <= value < 1:
            raise ValueError(f"{what} must be in [0, 1), not {_shown(raw)}")
        return value

    return check


def check_epsilon(raw) -> float:
    value = _real(raw, "epsilon")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"epsilon must be a positive number, not {_shown(raw)}")
    return value


def _at_least_zero(what: str):
    def check(raw) -> float:
        value = _real(raw, what)
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{what} must be a number >= 0, not {_shown(raw)}")
        return value

    return check


check_beta, check_beta1, check_beta2 = _beta("beta"), _beta("beta1"), _beta("beta2")
check_lambda = _at_least_zero("lambda (L2)")
check_decay = _at_least_zero("the decay")


def check_decay_kind(raw) -> str:
    return _choice(raw, "the decay kind", DECAY_KINDS)


CHECKS = {"alpha": check_alpha, "loss": check_loss, "init": check_init, "seed": check_seed,
          "budget": check_budget, "speed": check_speed, "slice": check_slice,
          "optimizer": check_optimizer, "batch_size": check_batch_size, "beta": check_beta, "beta1": check_beta1,
          "beta2": check_beta2, "epsilon": check_epsilon, "lam": check_lambda, "decay": check_decay,
          "decay_kind": check_decay_kind}


def check_together(values: dict) -> None:
    """What one field cannot say alone: an exponential decay keeps alpha0 * (1 - decay)^epoch positive."""
    if values.get("decay_kind") == "exponential" and values.get("decay", 0.0) >= 1:
        raise ValueError(f"the exponential decay (alpha = alpha0 * (1 - decay)^epoch) must be below 1, "
                         f"not {_shown(values['decay'])}")


@dataclass(frozen=True)
class RunSettings:
    """What a run is started with. Build it from outside data with ``from_dict``, never by hand."""

    alpha: float = 0.005
    loss: str = "cross-entropy"
    init: str = "zeros"
    seed: int = 0
    budget: int = 2000  # iterations per press of Train; 0 means until the cost stops falling
    speed: float | None = None  # iterations per second; None is as fast as possible
    slice: str = "w-direction"
    # How each iteration steps (visualizer.core.optim.optimizers.Optimizer.from_settings); the defaults are
    # the course's batch gradient descent, to the last bit.
    optimizer: str = "gd"  # a kind of visualizer.core.optim.registry.SPECS
    batch_size: int | None = None  # None: all m examples
    beta: float = 0.9  # momentum
    beta1: float = 0.9  # Adam
    beta2: float = 0.999  # RMSProp and Adam
    epsilon: float = 1e-8
    lam: float = 0.0  # L2: J + (lam / 2m) |w|^2
    decay: float = 0.0  # alpha decay per epoch, 0 for none
    decay_kind: str = "inverse"  # alpha0 / (1 + decay * epoch), or exponential: alpha0 * (1 - decay)^epoch

    @classmethod
    def from_dict(cls, d, source: str) -> RunSettings:
        """Every key checked; a missing key takes its default, an unknown key is refused.

        Refusing unknown keys means a typo ("alhpa") is reported instead of silently
        replaced by the default; files from newer versions are caught by their version.
        """
        if not isinstance(d, dict):
            raise SettingsError(f"{source}: the settings must be a JSON object, not {type(d).__name__}")
        unknown = sorted(str(k) for k in d if k not in CHECKS)
        if unknown:
            raise SettingsError(f"{source}: unknown setting {_shown(unknown[0])}")
        values = {}
        for key, value in d.items():
            try:
                values[key] = CHECKS[key](value)
            except ValueError as exc:
                raise SettingsError(f"{source}: setting {key!r}: {exc}") from None
        try:
            check_together({**asdict(cls()), **values})
        except ValueError as exc:
            raise SettingsError(f"{source}: setting 'decay': {exc}") from None
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_or_default(cls, key: str, raw):
        """``raw`` (as QSettings gives it back: "abc", "inf", "1e400", None) checked, or the default quietly.

        An unknown ``key`` is a programming error: KeyError.
        """
        default = {f.name: f.default for f in fields(cls)}[key]
        try:
            return CHECKS[key](raw)
        except ValueError:
            return default
