"""A race's configurations read from the outside, checked by the settings' constraint table, so a cell,
a saved comparison and a setting accept the same values: a file's typed values strictly
(``race_config_from_dict``), the explorer's table's text parsed first (``check_cell``)."""

from __future__ import annotations

from visualizer.core.analysis.race import COLUMNS, NAMES, RaceConfig
from visualizer.model.constraints import batch_problem, check, parse, shown


def race_config_from_dict(d, m: int | None = None) -> RaceConfig:
    """One configuration from a file's mapping; ValueError names the key. ``m`` bounds B."""
    if not isinstance(d, dict):
        raise ValueError(f"a configuration must be an object, not {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in COLUMNS)
    if unknown:
        raise ValueError(f"unknown key {shown(unknown[0])}")
    values = {}
    for key, value in d.items():
        try:
            values[key] = _against_m(key, check(key, value), m)
        except ValueError as exc:
            raise ValueError(f"{key!r}: {exc}") from None
    return RaceConfig(**values)


def check_cell(key: str, text: str, m: int | None = None):
    """One cell's text from the table, read and checked; ValueError says why.

    B is "all" (or empty) for all m examples, else 1..m; the optimizer may be written as the table shows it."""
    word = text.strip()
    if key == "batch_size" and word.lower() in ("", "all"):
        return None
    if key == "optimizer":
        word = {v.lower(): k for k, v in NAMES.items()}.get(word.lower(), word)
    return _against_m(key, parse(key, word), m)


def _against_m(key: str, value, m: int | None):
    problem = batch_problem(value, m) if key == "batch_size" and m is not None else None
    if problem:
        raise ValueError(problem)
    return value
