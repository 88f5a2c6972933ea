"""`install-desktop` in a data folder it does not own alone: symlinks, other programs' files, odd install paths.

It writes only fresh files renamed into place (never through a link left where it writes),
removes only files whose content is what it wrote, and refuses an install path a menu
entry cannot hold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer.cli import desktop

REPO = Path(__file__).resolve().parents[2]
ICON_48 = Path("icons/hicolor/48x48/apps/visualizer.png")
ENTRY = Path("applications/visualizer.desktop")


def install(data: Path, *args, program=None):
    command = [str(program)] if program else [sys.executable, "-m", "visualizer"]
    return subprocess.run([*command, "install-desktop", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "XDG_DATA_HOME": str(data)})


def _placed(path: Path, make) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    return path


def test_links_where_it_writes_are_replaced_never_written_through(tmp_path):
    """An icon path linked to a user's file got PNG bytes written into that file; so did the target of a
    leftover .visualizer.desktop.partial link."""
    data = tmp_path / "data"
    mine, precious = tmp_path / "my-photo.png", tmp_path / "precious.txt"
    mine.write_bytes(b"the user's own picture")
    precious.write_text("the user's notes")
    _placed(data / ICON_48, lambda p: p.symlink_to(mine))
    _placed(data / "applications" / ".visualizer.desktop.partial", lambda p: p.symlink_to(precious))
    _placed(data / ENTRY, lambda p: p.symlink_to(precious))
    out = install(data)
    assert out.returncode == 0, out.stderr
    assert mine.read_bytes() == b"the user's own picture" and precious.read_text() == "the user's notes"
    assert not (data / ICON_48).is_symlink() and not (data / ENTRY).is_symlink()
    assert (data / ICON_48).read_bytes() == (REPO / "assets" / "icons" / "48x48.png").read_bytes()
    assert "X-Visualizer-Installed=true" in (data / ENTRY).read_text().splitlines()


def test_uninstall_removes_only_what_install_desktop_wrote(tmp_path):
    """It removed another program's applications/visualizer.desktop and a user's own visualizer.png."""
    data = tmp_path / "data"
    theirs = "[Desktop Entry]\nType=Application\nName=Another visualizer\nExec=/opt/other/visualizer %f\n"
    _placed(data / ENTRY, lambda p: p.write_text(theirs))
    _placed(data / ICON_48, lambda p: p.write_bytes(b"a user's own icon"))
    target = tmp_path / "ours-by-link.png"
    target.write_bytes((REPO / "assets" / "icons" / "32x32.png").read_bytes())
    _placed(data / "icons/hicolor/32x32/apps/visualizer.png", lambda p: p.symlink_to(target))
    out = install(data, "--uninstall")
    assert out.returncode == 0, out.stderr
    assert (data / ENTRY).read_text() == theirs and (data / ICON_48).read_bytes() == b"a user's own icon"
    assert target.is_file() and (data / "icons/hicolor/32x32/apps/visualizer.png").is_symlink()
    assert out.stdout.startswith("nothing to remove")
    assert out.stdout.count("left ") == 3 and "not written by install-desktop" in out.stdout

    assert install(data).returncode == 0  # ours now, in their place
    out = install(data, "--uninstall")
    assert out.returncode == 0 and out.stdout.count("removed ") == 8, out.stdout
    assert not (data / ENTRY).exists() and not (data / ICON_48).exists()


def test_an_entry_written_before_the_marker_is_still_removed(tmp_path):
    data = tmp_path / "data"
    older = desktop.entry_text(["/old/place/visualizer"]).replace(desktop.MARKER + "\n", "")
    _placed(data / ENTRY, lambda p: p.write_text(older))
    out = install(data, "--uninstall")
    assert out.returncode == 0 and out.stdout.startswith("removed ") and not (data / ENTRY).exists(), out.stdout


def test_an_edited_entry_is_still_ours_and_an_edited_icon_is_not(tmp_path):
    data = tmp_path / "data"
    assert install(data).returncode == 0
    entry = data / ENTRY
    entry.write_text(entry.read_text().replace("Terminal=false", "Terminal=true"))  # the user's tweak
    (data / ICON_48).write_bytes(b"redrawn by the user")
    out = install(data, "--uninstall")
    assert out.returncode == 0 and not entry.exists() and (data / ICON_48).read_bytes() == b"redrawn by the user"


@pytest.mark.parametrize("name", ["a\nX-Injected=yes\nName=Evil", "tab\there", "bell\a"])
def test_a_control_character_in_the_install_path_is_refused(tmp_path, name):
    """Installed from a folder holding "\\nX-Injected=yes\\nName=Evil", the Exec= line injected those keys."""
    folder = tmp_path / name
    folder.mkdir()
    program = folder / "visualizer"
    shutil.copy2(Path(sys.executable).parent / "visualizer", program)
    out = install(tmp_path / "data", program=program)
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.count("\n") == 1 and "control character" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "data").exists()
    with pytest.raises(desktop.DesktopError, match="control character"):
        desktop.entry_text([str(program), "-m"])


def test_the_install_paths_are_printed_escaped_one_a_line(tmp_path):
    data = tmp_path / "new\nline"
    out = install(data)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 8 and all(line.startswith('wrote "') and "new\\nline" in line for line in lines)
    out = install(data, "--uninstall")
    assert out.stdout.count("\n") == 8 and all('new\\nline' in line for line in out.stdout.splitlines())
