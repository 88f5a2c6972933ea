"""What the app remembers between runs (QSettings), read and written in one place.

The file is the user's, and may be damaged or edited by hand: every value read back is
checked by the same rules as a session's (``RunSettings``), and a bad one quietly falls
back to its default, so the app always starts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from visualizer.model.settings import RunSettings, SettingsError
from visualizer.model.themes import THEMES

RECENT_MAX = 8


def _text(value, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _texts(value) -> list[str]:
    """A list of strings: QSettings hands back a one-item list as a bare string."""
    if isinstance(value, str):
        value = [value]
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list | tuple) else []


#: The run settings a new window starts with from last time (loss, init and seed start at the course's).
REMEMBERED = ("alpha", "slice", "optimizer", "batch_size", "beta", "beta1", "beta2", "epsilon", "lam", "decay",
              "decay_kind")


def remembered_settings() -> RunSettings:
    """The settings remembered from last time, each checked (a damaged one is its default), and together."""
    values = {key: RunSettings.field_or_default(key, QSettings().value(f"settings/{key}")) for key in REMEMBERED}
    try:
        return RunSettings.from_dict(values, "the remembered settings")
    except SettingsError:  # e.g. an exponential decay of 1 left by hand in the file
        return RunSettings.from_dict({k: v for k, v in values.items() if not k.startswith("decay")}, "")


class ChosenSettings:
    """The settings the user chose outside a lesson, key by key: what the next window starts with.

    A lesson's settings are its exercise (α = 1e6 and β₂ = 0 to show an overflow, a batch of 32):
    in force while it is open and after it, until the user changes them, but not the user's choice.
    """

    def __init__(self, settings: RunSettings):
        self.values = {key: getattr(settings, key) for key in REMEMBERED}

    def note(self, new: RunSettings, old: RunSettings) -> None:
        """A change of settings made outside a lesson: each key it changed is now the user's."""
        for key in REMEMBERED:
            if getattr(new, key) != getattr(old, key):
                self.values[key] = getattr(new, key)


def remember_settings(chosen: ChosenSettings) -> None:
    """Each key as chosen (read back one by one, and together, by ``remembered_settings``)."""
    store = QSettings()
    for key, value in chosen.values.items():
        store.setValue(f"settings/{key}", "" if value is None else value)  # "" reads back as None (all m)


def theme() -> str:
    """'system', 'light' or 'dark' (View > Theme), or 'system' when the file says anything else."""
    value = QSettings().value("view/theme")
    return value if value in THEMES else "system"


def remember_theme(choice: str) -> None:
    QSettings().setValue("view/theme", choice)


def folder(kind: str) -> str:
    """The last folder used for ``kind`` ("data" or "files"), when it still exists."""
    path = _text(QSettings().value(f"{kind}/last_folder"))
    return path if path and Path(path).is_dir() else str(Path.home())


def remember_folder(kind: str, path: str) -> None:
    QSettings().setValue(f"{kind}/last_folder", path)


def recent() -> list[str]:
    return _texts(QSettings().value("files/recent"))[:RECENT_MAX]


def add_recent(path: str) -> None:
    QSettings().setValue("files/recent", [path, *[p for p in recent() if p != path]][:RECENT_MAX])


def window_state() -> tuple[QByteArray | None, QByteArray | None]:
    """(dock state, geometry), each None when missing or not what Qt wrote."""
    settings = QSettings()
    state, geometry = settings.value("window/state"), settings.value("window/geometry")
    return (state if isinstance(state, QByteArray) else None, geometry if isinstance(geometry, QByteArray) else None)


def remember_window(state: QByteArray, geometry: QByteArray) -> None:
    settings = QSettings()
    settings.setValue("window/state", state)
    settings.setValue("window/geometry", geometry)
