"""`visualizer install-desktop`: a freedesktop.org menu entry and icon for this copy of visualizer.

Only files under the user's data folder (XDG_DATA_HOME, else ~/.local/share) are written:
applications/visualizer.desktop and the icon in the hicolor theme, so no root is needed.
That folder is shared with other programs and the user: each file is written fresh and
renamed into place (the atomic writer), so a link left where it writes is replaced, never
written through; `--uninstall` removes only files whose content is ours (the entry's
MARKER key, the icons' exact bytes) and leaves the rest, saying so. Other systems have
their own menus, so there it says so instead of writing files nobody reads.
"""

from __future__ import annotations

import os
import stat
import sys
import unicodedata
from pathlib import Path

from visualizer.cli.output import quote_path
from visualizer.fs.atomic import atomic_write
from visualizer.fs.resources import ICON_SIZES, ICON_SVG, icon_png

APP_ID = "visualizer"
FREEDESKTOP_PLATFORMS = ("linux", "freebsd", "openbsd", "netbsd")
# Characters that make an Exec argument need quoting (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: The key that marks an entry as install-desktop's own (keys starting X- are the Desktop Entry spec's extensions).
MARKER = "X-Visualizer-Installed=true"
#: An entry larger than this is not one install-desktop wrote.
MAX_ENTRY_BYTES = 64 * 1024


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
    """One Exec argument: quoted when it has reserved characters, then escaped as a desktop-file string.

    A desktop file is UTF-8 text of one key a line, and its strings may hold no control characters:
    a path with a newline would end the Exec line and start keys of its own, so it is refused.
    """
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        raise DesktopError(f"the install path {quote_path(arg, sys.stderr)} is not UTF-8 text, which a menu entry "
                           "cannot hold; install visualizer in a folder whose name is") from None
    if any(unicodedata.category(c) == "Cc" for c in arg):
        raise DesktopError(f"the install path {quote_path(arg, sys.stderr)} holds a control character, which a menu "
                           "entry cannot hold; install visualizer in a folder without one") from None
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
        MARKER,
        "",
    ])


def _check_platform() -> None:
    if not sys.platform.startswith(FREEDESKTOP_PLATFORMS):
        raise DesktopError(f"install-desktop is for Linux desktops (freedesktop.org menus); on {sys.platform} "
                           "start the app with the `visualizer` command")


def install() -> list[Path]:
    """Write the icons and then the menu entry, each a fresh file renamed into place; the paths written."""
    _check_platform()
    text = entry_text(launcher_command())  # an install path the entry cannot hold is refused before any file
    written = []
    for source, target in icon_targets():
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        atomic_write(target, lambda f, data=data: f.write(data))
        written.append(target)
    entry = desktop_file()
    entry.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(entry, lambda f: f.write(text), binary=False)  # menus watch the folder: never half a file
    written.append(entry)
    return written


def _regular(path: Path) -> bool:
    """A file of its own, not a link (install() never writes one) nor a folder or a device."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _ours(path: Path, source: Path | None) -> bool:
    """Whether install() wrote ``path``: the entry holds MARKER (other edits the user made are theirs to
    lose with it) or is an older install's, an icon has exactly the bytes of ``source``."""
    if not _regular(path):
        return False
    try:
        if source is not None:
            return path.stat().st_size == source.stat().st_size and path.read_bytes() == source.read_bytes()
        if path.stat().st_size > MAX_ENTRY_BYTES:
            return False
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return MARKER in lines or _unmarked(lines) == _unmarked(entry_text(["visualizer"]).splitlines())


def _unmarked(lines: list[str]) -> list[str]:
    """An entry's lines but its Exec (which names where it was installed from) and MARKER: an entry written
    before MARKER existed is ours when the rest is what install() writes."""
    return [line for line in lines if line != MARKER and not line.startswith("Exec=")]


def uninstall() -> tuple[list[Path], list[Path]]:
    """Remove what install() wrote (the folders stay: other programs share them): (paths removed, paths left
    because something else is there)."""
    _check_platform()
    removed, left = [], []
    for path, source in [(desktop_file(), None), *((target, source) for source, target in icon_targets())]:
        if _ours(path, source):
            path.unlink()
            removed.append(path)
        elif os.path.lexists(path):
            left.append(path)
    return removed, left
