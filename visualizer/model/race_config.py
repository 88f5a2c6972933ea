"""A race's configurations read from the outside, checked by the settings' constraint table, so a cell,
a saved comparison and a setting accept the same values: a file's typed values strictly
(``race_config_from_dict``), the explorer's table's text parsed first (``check_cell``)."""

from __future__ import annotations

from visualizer.core.analysis.race import BLANKS, COLUMNS, NAMES, RaceConfig
from visualizer.model.constraints import MODEL_SETTINGS, MappingError, batch_problem, check_mapping, parse
from visualizer.model.settings import hidden_problem

#: The settings a race takes from the window: its J (the loss), its common start and its model.
RACE_SETTINGS = ("loss", "init", "seed", *MODEL_SETTINGS)


def race_options(settings) -> dict:
    """The window's settings (a RunSettings) as Race's keyword arguments: one race per loss, start and model."""
    return {key: getattr(settings, key) for key in RACE_SETTINGS}


def race_config_from_dict(d, m: int | None = None) -> RaceConfig:
    """One configuration from a file's mapping; ValueError names the key. ``m`` bounds B."""
    try:
        values = check_mapping(d, COLUMNS)
    except MappingError as exc:
        subject = "" if isinstance(d, dict) else "a configuration "
        raise ValueError(f"{subject}{exc.reason}" if exc.key is None else f"{exc.key!r}: {exc.reason}") from None
    values = {key: _against_m(key, value, m) for key, value in values.items()}
    return RaceConfig(**values)


def check_cell(key: str, text: str, m: int | None = None):
    """One cell's text from the table, read and checked; ValueError says why.

    B is "all" (or empty) for all m examples, else 1..m; the seed "same" (or empty) for the common start, else the
    seed's own (the constraint table's seed); the hidden layers "same" (or empty) for the window's model, else the
    constraint table's hidden ("none" is logistic regression, "20,7,5" three layers); the optimizer may be written
    as the table shows it."""
    word = text.strip()
    if word.lower() in BLANKS.get(key, ()):
        return None
    if key == "optimizer":
        word = {v.lower(): k for k, v in NAMES.items()}.get(word.lower(), word)
    return _against_m(key, parse(key, word), m)


def _against_m(key: str, value, m: int | None):
    problem = batch_problem(value, m) if key == "batch_size" and m is not None else None
    if problem:
        raise ValueError(problem)
    return value


def trainable(config: RaceConfig, n_x: int) -> RaceConfig:
    """``config``, if its own hidden layers are not too large to train on n_x inputs; else ValueError says why."""
    problem = hidden_problem(config.hidden or (), n_x)
    if problem:
        raise ValueError(f"{config.label()}: {problem}")
    return config
