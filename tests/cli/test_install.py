"""Installed like an app: the wheel carries the demo set and the icon, and runs from a fresh venv.

The fresh venvs get the test venv's packages (numpy, Qt, ...) through a .pth line after
their own site-packages, so nothing is downloaded and the visualizer found is the one
installed in them. Everything is built from a copy of the checkout, so its build/ and
egg-info folders are neither used nor touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(cmd, cwd, env=None, timeout=300):
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    assert out.returncode == 0, f"{cmd}\n{out.stdout}\n{out.stderr}"
    return out


def _source_copy(tmp_path: Path) -> Path:
    junk = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
                                  ".hypothesis")
    return Path(shutil.copytree(REPO, tmp_path / "src", ignore=junk))


def _fresh_venv(path: Path) -> Path:
    """A venv whose own site-packages come first, then the test venv's for the dependencies."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
    python = path / BIN / ("python.exe" if os.name == "nt" else "python")
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], path).stdout.strip()
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(purelib) / "test-venv-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    return python


def _pip_install(python: Path, *args, cwd: Path) -> None:
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
          "--no-build-isolation", *args], cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    setuptools_major = int(version("setuptools").split(".")[0])
    assert setuptools_major >= 77, "the wheel is built without build isolation: pip install -e '.[test]'"
    tmp = tmp_path_factory.mktemp("wheel")
    src = _source_copy(tmp)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp / "dist",
          src], tmp)
    (built,) = (tmp / "dist").glob("visualizer-*.whl")
    return built


def test_every_package_is_listed_for_the_wheel():
    """pyproject.toml lists the packages (the assets mapping needs it): a new one must be added there."""
    tomllib = pytest.importorskip("tomllib")
    from setuptools import find_packages

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    missing = set(find_packages(str(REPO), include=["visualizer*"])) - listed
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"


def test_the_wheel_carries_the_demo_set_and_the_icon(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    demo = sorted(n for n in names if n.startswith("visualizer/assets/demo/"))
    in_repo = sorted((REPO / "assets" / "demo").rglob("*.png"))
    assert len(demo) == len(in_repo) > 200
    assert "visualizer/assets/icon.svg" in names
    assert {f"visualizer/assets/icons/{s}x{s}.png" for s in (16, 32, 48, 64, 128, 256)} <= set(names)
    assert not [n for n in names if not n.startswith(("visualizer/", "visualizer-"))], "files outside the package"
    assert "visualizer/assets/screenshot.png" not in names  # the README's pictures stay out


def test_the_installed_wheel_trains_and_draws_from_anywhere(wheel, tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, wheel, cwd=tmp_path)
    app = tmp_path / "venv" / BIN / "visualizer"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}

    where = _run([python, "-c", "import visualizer.fs.resources as r; print(r.__file__); print(r.DEMO_DIR)"],
                 elsewhere, env).stdout.split()
    assert all(Path(p).is_relative_to(tmp_path / "venv") for p in where), where
    assert _run([app, "--version"], elsewhere, env).stdout == f"visualizer {version('visualizer')}\n"
    out = _run([app, "train", "--iterations", "10"], elsewhere, env)
    assert "Cost after iteration 0: 0.693147" in out.stdout.splitlines()
    _run([app, "screenshot", "out.png", "--iterations", "10"], elsewhere, env)
    from PIL import Image

    with Image.open(elsewhere / "out.png") as img:
        img.load()
        assert img.size == (1280, 800)
    _run([app, "install-desktop"], elsewhere, env)
    entry = (tmp_path / "data" / "applications" / "visualizer.desktop").read_text()
    assert f"Exec={app} %f" in entry.splitlines()
    assert (tmp_path / "data" / "icons" / "hicolor" / "48x48" / "apps" / "visualizer.png").is_file()


def test_an_editable_install_finds_the_checkout_assets(tmp_path):
    """What `make run` does: pip install -e; the assets are the checkout's own."""
    src = _source_copy(tmp_path)
    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, "-e", src, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([python, "-c", "import visualizer.fs.resources as r; print(r.DEMO_DIR)"], elsewhere).stdout.strip()
    assert Path(where) == src / "assets" / "demo"
    out = _run([tmp_path / "venv" / BIN / "visualizer", "train", "--iterations", "10"], elsewhere)
    assert "Cost after iteration 0: 0.693147" in out.stdout.splitlines()


def test_a_checkout_finds_its_assets():
    from visualizer.fs import resources

    assert resources.DEMO_DIR == REPO / "assets" / "demo"
    assert all(resources.icon_png(s).is_file() for s in resources.ICON_SIZES) and resources.ICON_SVG.is_file()


# ---------------------------------------------------------------- visualizer install-desktop
def _desktop(tmp_path, *args):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "visualizer", "install-desktop", *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=60)


def _entry(path: Path) -> dict[str, str]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_install_desktop_writes_a_menu_entry_and_icons_that_uninstall_removes(tmp_path):
    from visualizer.cli import desktop

    data = tmp_path / "data"
    neighbours = [data / "applications" / "other.desktop", data / "icons" / "hicolor" / "48x48" / "apps" / "o.png"]
    for n in neighbours:
        n.parent.mkdir(parents=True)
        n.write_text("not ours")
    out = _desktop(tmp_path)
    assert out.returncode == 0, out.stderr
    entry_file = data / "applications" / "visualizer.desktop"
    icons = [data / "icons" / "hicolor" / f"{s}x{s}" / "apps" / "visualizer.png" for s in (16, 32, 48, 64, 128, 256)]
    icons.append(data / "icons" / "hicolor" / "scalable" / "apps" / "visualizer.svg")
    written = [Path(line.removeprefix("wrote ")) for line in out.stdout.splitlines()]
    assert sorted(written) == sorted([entry_file, *icons])
    assert icons[2].read_bytes() == (REPO / "assets" / "icons" / "48x48.png").read_bytes()
    entry = _entry(entry_file)
    assert entry["Exec"] == f"{desktop._exec_arg(sys.executable)} -m visualizer %f"
    assert {k: entry[k] for k in ("Type", "Name", "Icon", "Terminal", "Categories", "MimeType")} == {
        "Type": "Application", "Name": "visualizer", "Icon": "visualizer", "Terminal": "false",
        "Categories": "Education;Science;", "MimeType": "application/x-hdf5;"}
    assert entry["Comment"] and not list((data / "applications").glob(".*partial"))

    out = _desktop(tmp_path, "--uninstall")
    assert out.returncode == 0, out.stderr
    assert sorted(Path(line.removeprefix("removed ")) for line in out.stdout.splitlines()) == sorted(written)
    assert not any(p.exists() for p in written) and all(n.read_text() == "not ours" for n in neighbours)
    again = _desktop(tmp_path, "--uninstall")
    assert again.returncode == 0 and again.stdout.startswith("nothing to remove")


def test_the_menu_entry_passes_desktop_file_validate(tmp_path):
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    assert _desktop(tmp_path).returncode == 0
    out = subprocess.run([validate, str(tmp_path / "data" / "applications" / "visualizer.desktop")],
                         capture_output=True, text=True, timeout=60)
    # hints pass: Education and Science are both main categories, and the entry names both on purpose
    problems = [line for line in out.stdout.splitlines() if ": hint: " not in line]
    assert out.returncode == 0 and not problems, out.stdout + out.stderr


@pytest.mark.parametrize(
    "arg, written",
    [
        ("/usr/bin/visualizer", "/usr/bin/visualizer"),
        ("/home/me/my apps/visualizer", '"/home/me/my apps/visualizer"'),
        ('/o/$x"`\\y', '"/o/\\\\$x\\\\"\\\\`\\\\\\\\y"'),
        ("/100%/v", "/100%%/v"),
    ],
)
def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says(arg, written):
    from visualizer.cli.desktop import _exec_arg

    assert _exec_arg(arg) == written


def test_install_desktop_elsewhere_says_it_is_for_linux(tmp_path, monkeypatch, capsys):
    from visualizer.cli.commands import run_cli

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert run_cli(["install-desktop"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "for Linux desktops" in err and platform in err
    assert not list(tmp_path.iterdir())


def test_a_relative_xdg_data_home_is_ignored(tmp_path, monkeypatch):
    from visualizer.cli.desktop import desktop_file

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert desktop_file() == tmp_path / ".local" / "share" / "applications" / "visualizer.desktop"
