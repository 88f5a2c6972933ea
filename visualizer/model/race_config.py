"""A race's configurations read from the outside (the explorer's table, a saved comparison), checked
with the run settings' own checks, so a cell and a setting accept the same values."""

from __future__ import annotations

from visualizer.core.analysis.race import COLUMNS, NAMES, RaceConfig
from visualizer.model.settings import CHECKS


def race_config_from_dict(d, m: int | None = None) -> RaceConfig:
    """One configuration from a mapping; ValueError names the key. ``m`` bounds B."""
    if not isinstance(d, dict):
        raise ValueError(f"a configuration must be an object, not {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in COLUMNS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0][:40]!r}")
    values = {}
    for key, value in d.items():
        try:
            values[key] = check_cell(key, value, m)
        except ValueError as exc:
            raise ValueError(f"{key!r}: {exc}") from None
    return RaceConfig(**values)


def check_cell(key: str, raw, m: int | None = None):
    """One cell (text from the table, or a value from a file) checked; ValueError says why.

    B is "all" (or empty, or null) for all m examples, else 1..m."""
    if key == "batch_size" and (raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "all"))):
        return None
    if key == "optimizer" and isinstance(raw, str):
        raw = {v.lower(): k for k, v in NAMES.items()}.get(raw.strip().lower(), raw.strip())
    value = CHECKS[key](raw.strip() if isinstance(raw, str) else raw)
    if key == "batch_size" and m is not None and value > m:
        raise ValueError(f"the batch size must be at most the number of examples m = {m}, not {value}")
    return value
