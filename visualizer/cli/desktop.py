"""`visualizer install-desktop`: a freedesktop.org menu entry and icon for this copy of visualizer.

Only files under the user's data folder (XDG_DATA_HOME, else ~/.local/share) are written:
applications/visualizer.desktop and the icon in the hicolor theme, so no root is needed
and `--uninstall` removes exactly that list. Other systems have their own menus, so
there it says so instead of writing files nobody reads.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from visualizer.fs.resources import ICON_SIZES, ICON_SVG, icon_png

APP_ID = "visualizer"
FREEDESKTOP_PLATFORMS = ("linux", "freebsd", "openbsd", "netbsd")
# Characters that make an Exec argument need quoting (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class DesktopError(Exception):
    """install-desktop cannot run here; the message says why in one line."""


def data_home() -> Path:
    """XDG_DATA_HOME when it is an absolute path (the spec ignores relative ones), else ~/.local/share."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    return Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"


def desktop_file() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def icon_targets() -> list[tuple[Path, Path]]:
    """(source, destination) for every icon file: the PNG sizes and the SVG, in the hicolor theme."""
    hicolor = data_home() / "icons" / "hicolor"
    pairs = [(icon_png(s), hicolor / f"{s}x{s}" / "apps" / f"{APP_ID}.png") for s in ICON_SIZES]
    return [*pairs, (ICON_SVG, hicolor / "scalable" / "apps" / f"{APP_ID}.svg")]


def launcher_command() -> list[str]:
    """How the menu starts this copy: the console script running now, else this interpreter with -m.

    The script's path is kept as given, not resolved, so a pipx link keeps working after upgrades.
    """
    script = Path(sys.argv[0])
    if script.name in (APP_ID, f"{APP_ID}.exe") and script.is_file():
        return [str(script.absolute())]
    return [sys.executable, "-m", APP_ID]


def _exec_arg(arg: str) -> str:
    """One Exec argument: quoted when it has reserved characters, then escaped as a desktop-file string."""
    arg = arg.replace("%", "%%")
    if _RESERVED & set(arg):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\")


def entry_text(command: list[str]) -> str:
    exec_line = " ".join(_exec_arg(a) for a in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",  # the newest version desktop-file-validate 0.26 knows
        f"Name={APP_ID}",
        "GenericName=Logistic regression visualizer",
        "Comment=Watch gradient descent train a one-neuron network on images of cats",
        f"Exec={exec_line} %f",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;Science;",
        "Keywords=machine learning;logistic regression;gradient descent;neural network;",
        "MimeType=application/x-hdf5;",
        "",
    ])


def _check_platform() -> None:
    if not sys.platform.startswith(FREEDESKTOP_PLATFORMS):
        raise DesktopError(f"install-desktop is for Linux desktops (freedesktop.org menus); on {sys.platform} "
                           "start the app with the `visualizer` command")


def install() -> list[Path]:
    """Write the menu entry and the icons; the paths written, in order."""
    _check_platform()
    written = []
    for source, target in icon_targets():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    entry = desktop_file()
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(f".{entry.name}.partial")  # menus watch the folder: never show half a file
    partial.write_text(entry_text(launcher_command()), encoding="utf-8")
    partial.replace(entry)
    written.append(entry)
    return written


def uninstall() -> list[Path]:
    """Remove what install() writes (the folders stay: other programs share them); the paths removed."""
    _check_platform()
    removed = []
    for path in [desktop_file(), *(target for _, target in icon_targets())]:
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
