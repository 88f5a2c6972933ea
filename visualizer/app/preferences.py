"""What the app remembers between runs (QSettings), read and written in one place.

The file is the user's, and may be damaged or edited by hand: every value read back is
checked by the same rules as a session's (``RunSettings``), and a bad one quietly falls
back to its default, so the app always starts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..settings import RunSettings
from .theme import THEMES

RECENT_MAX = 8


def _text(value, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _texts(value) -> list[str]:
    """A list of strings: QSettings hands back a one-item list as a bare string."""
    if isinstance(value, str):
        value = [value]
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list | tuple) else []


def remembered(key: str):
    """A run setting remembered from last time ("alpha", "slice"), checked, or its default."""
    return RunSettings.field_or_default(key, QSettings().value(f"settings/{key}"))


def remember(key: str, value) -> None:
    QSettings().setValue(f"settings/{key}", value)


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
