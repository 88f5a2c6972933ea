"""Files the app needs at run time: the demo set, the icon and the class lessons.

The repository keeps them in its top-level assets/; the wheel carries the same files
inside the package, as visualizer/assets/ (see [tool.setuptools] in pyproject.toml).
So an installed copy looks beside its own modules, and a checkout or an editable
install (whose modules are the checkout's) looks one folder up.
"""

from __future__ import annotations

from pathlib import Path

ICON_SIZES = (16, 32, 48, 64, 128, 256)

_PACKAGE = Path(__file__).resolve().parent.parent  # visualizer/, this file being visualizer/fs/resources.py


def _assets_dir() -> Path:
    installed = _PACKAGE / "assets"
    return installed if installed.is_dir() else _PACKAGE.parent / "assets"


ASSETS_DIR = _assets_dir()
DEMO_DIR = ASSETS_DIR / "demo"
ICON_SVG = ASSETS_DIR / "icon.svg"
#: The shipped lesson files (visualizer.formats.lesson_files), listed in Lessons > Class lessons.
LESSONS_DIR = ASSETS_DIR / "lessons"


def icon_png(size: int) -> Path:
    return ASSETS_DIR / "icons" / f"{size}x{size}.png"
