"""Animations: frames drawn from the recorded states equal screenshots at those iterations; the export dialog.

A GIF stores each frame on its one palette, so to check the replay a screenshot is put on
that same palette: equal pixels before give equal pixels after, and any replay error that
moved a pixel's colour shows up as a difference. Whether the palette itself shows every
colour faithfully is checked against the plain screenshot.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel

from visualizer.app.export.animation import FrameRenderer, image_bytes, render_animation
from visualizer.app.export.animation_dialog import AnimationDialog, AnimationExport, ExportChoice
from visualizer.app.export.screenshot import prepared_window, render_screenshot
from visualizer.app.window.main_window import MainWindow
from visualizer.formats.animation_frames import Palette
from visualizer.formats.lesson_files import load_lesson
from visualizer.fs.resources import LESSONS_DIR
from visualizer.model.settings import RunSettings

SIZE = (1280, 800)
N = 300


def decoded(path) -> tuple[list[np.ndarray], Palette]:
    """Every frame as RGB, and the GIF's palette (its 255 colours, without the transparent slot)."""
    with Image.open(path) as gif:
        palette = Palette(np.array(gif.getpalette()[: 3 * 255]))
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB")))
    return frames, palette


def on_gif_palette(image: Image.Image, palette: Palette) -> np.ndarray:
    return palette.colours[palette.indices(image)]


def qimage_rgb(image) -> Image.Image:
    data, w, h, stride = image_bytes(image.convertToFormat(image.Format.Format_RGB32))
    return Image.frombuffer("RGB", (w, h), data, "raw", "BGRX", stride, 1)


def test_frames_of_the_window_equal_screenshots_at_their_iterations(qapp, tmp_path):
    out = tmp_path / "run.gif"
    its = render_animation(MainWindow, str(out), iterations=N, size=SIZE, view="window", frames=8)
    frames, palette = decoded(out)
    assert len(frames) == len(its) == 8 and its[0] == 0 and its[-1] == N
    assert frames[0].shape == (SIZE[1], SIZE[0], 3)
    assert all((a != b).any() for a, b in zip(frames, frames[1:], strict=False))  # the run moved every frame

    render_screenshot(MainWindow, str(tmp_path / "last.png"), iterations=N, size=SIZE, view="window")
    last = on_gif_palette(Image.open(tmp_path / "last.png"), palette)
    assert np.array_equal(frames[-1], last)  # pixel for pixel: the last frame is the run as trained

    # The first frame is iteration 0 seen from iteration N: the cost curve, the timeline and the
    # status bar show the whole run by design; every panel that shows one iteration must match.
    render_screenshot(MainWindow, str(tmp_path / "first.png"), iterations=0, size=SIZE, view="window")
    first = on_gif_palette(Image.open(tmp_path / "first.png"), palette)
    window = prepared_window(MainWindow, *_demo(), RunSettings(alpha=0.005), 0, SIZE)
    try:
        panels = [window.surface, window.weights, window.sigmoid, window.gallery]
        boxes = [(w.mapTo(window, QPoint(0, 0)), w.size()) for w in panels]
    finally:
        window.close()
    for corner, size in boxes:
        box = np.s_[corner.y(): corner.y() + size.height(), corner.x(): corner.x() + size.width()]
        assert size.width() > 100 and np.array_equal(frames[0][box], first[box])
    moved = np.abs(frames[0].astype(int) - frames[-1].astype(int)).max(axis=2) > 0
    corner, size = boxes[0]
    assert moved[corner.y(): corner.y() + size.height(), corner.x(): corner.x() + size.width()].mean() > 0.2


def hue(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's hue in degrees and its chroma (max - min channel)."""
    rgb = rgb.astype(float)
    top, chroma = rgb.max(axis=2), np.ptp(rgb, axis=2)
    r, g, b = np.moveaxis(rgb, 2, 0) / np.maximum(chroma, 1)[None]
    sector = np.where(top == rgb[..., 0], (g - b) % 6, np.where(top == rgb[..., 1], b - r + 2, r - g + 4))
    return 60 * sector, chroma


def test_the_last_frame_shows_the_screenshots_colours_red_and_blue_included(qapp, tmp_path):
    """The whole window of the learning-rate lesson: its red path, marker and weights, its blue
    ones, and the viridis surfaces must all keep their colours (median cut over pixels turned
    the red ones orange, up to 99 of 255 off)."""
    lesson = replace(load_lesson(LESSONS_DIR / "04-learning-rate.toml"), iterations=40)
    render_animation(MainWindow, str(tmp_path / "a.gif"), size=SIZE, frames=3, lesson=lesson)
    render_screenshot(MainWindow, str(tmp_path / "shot.png"), size=SIZE, lesson=lesson)
    frames, _ = decoded(tmp_path / "a.gif")
    shot = np.asarray(Image.open(tmp_path / "shot.png").convert("RGB"))
    assert frames[-1].shape == shot.shape
    error = np.abs(frames[-1].astype(int) - shot).max(axis=2)
    assert np.mean(error <= 24) >= 0.999 and error.max() <= 40, (np.mean(error <= 24), error.max())
    (h_gif, _), (h_shot, chroma) = hue(frames[-1]), hue(shot)
    turned = np.abs((h_gif - h_shot + 180) % 360 - 180)[chroma >= 64]
    assert (chroma >= 64).sum() > 10_000 and turned.max() <= 30  # no red turned orange, no blue purple


def _demo():
    from visualizer.data import load_data

    return load_data()


@pytest.mark.parametrize("view", ["contours", "surface"])
def test_a_panel_alone_equals_the_panel_drawn_after_training_to_that_iteration(qapp, tmp_path, view):
    out = tmp_path / f"{view}.gif"
    its = render_animation(MainWindow, str(out), iterations=N, size=(640, 400), view=view, frames=20, log=True)
    frames, palette = decoded(out)
    assert len(frames) == 20 and frames[0].shape == (400, 640, 3)
    assert its[:4] == [0, 1, 2, 3]  # log spacing: the fast early descent gets its own frames
    for k in (0, -1):
        window = prepared_window(MainWindow, *_demo(), RunSettings(alpha=0.005), its[k], (640, 400))
        renderer = FrameRenderer(window, view, (640, 400))
        try:
            expected = on_gif_palette(qimage_rgb(renderer.frame(its[k])), palette)
        finally:
            renderer.close()
        assert np.array_equal(frames[k], expected), f"frame {k} differs from the panel at iteration {its[k]}"


# ---------------------------------------------------------------- the window's export
def _trained(window, n=200):
    window.controller.gd.step(n)
    window.controller.latest = window.controller._snapshot()
    window.refresh(force=True)


def test_the_dialog_defaults_to_the_timeline_and_names_every_control(window):
    from PySide6.QtGui import QAction

    assert [a for a in window.findChildren(QAction) if a.text() == "&Animation (GIF or MP4)…"]  # File > Export
    _trained(window)
    dialog = AnimationDialog(window)
    assert (dialog.start.value(), dialog.stop.value()) == (0, 200)
    assert len(dialog.iterations()) == 100 and "100 frames of iterations 0 to 200" in dialog.summary.text()
    for label in dialog.findChildren(QLabel):
        control = label.buddy()
        if control is not None:
            assert control.accessibleName() == label.text().replace("&", "").rstrip(":")
            assert control.toolTip()
    dialog.spacing.setCurrentIndex(2)
    dialog.every.setValue(50)
    assert dialog.iterations() == [0, 50, 100, 150, 200] and not dialog.frames.isEnabled()
    dialog.start.setValue(150)
    dialog.stop.setValue(160)
    dialog.spacing.setCurrentIndex(1)
    assert dialog.choice().log and dialog.iterations()[0] == 150 and dialog.iterations()[-1] == 160
    dialog.close()


def _export(window, qtbot, choice, path):
    export = window.animation_export = AnimationExport(window, choice, str(path))
    export.start()
    qtbot.waitUntil(lambda: window.animation_export is None, timeout=60_000)
    return export


def test_export_draws_off_screen_and_leaves_the_window_as_it_was(window, qtbot, tmp_path):
    _trained(window)
    window.look_at(120)
    size, gd = window.size(), window.controller.gd
    choice = ExportChoice("contours", 0, 200, 0, 15, (640, 400), 12, None, False)
    _export(window, qtbot, choice, tmp_path / "a.gif")
    frames, _ = decoded(tmp_path / "a.gif")
    assert len(frames) == 12 and frames[0].shape == (400, 640, 3)
    assert window.view_iteration == 120 and window.size() == size and window.controller.gd is gd
    assert "Wrote" in window.notice.label.text()

    more = ExportChoice("cost", 200, 260, 60, 10, (640, 400), 7, None, False)
    _export(window, qtbot, more, tmp_path / "b.gif")
    assert len(decoded(tmp_path / "b.gif")[0]) == 7
    assert gd.iteration == 200  # the run to come was trained on a copy


def test_cancelling_an_export_writes_nothing(window, qtbot, tmp_path):
    _trained(window)
    export = window.animation_export = AnimationExport(
        window, ExportChoice("window", 0, 200, 0, 15, (1280, 800), 200, None, False), str(tmp_path / "c.gif"))
    export.start()
    qtbot.waitUntil(lambda: export.animation is not None and export.animation.done >= 3, timeout=30_000)
    export.progress.canceled.emit()  # the Cancel button
    qtbot.waitUntil(lambda: window.animation_export is None, timeout=10_000)
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor a temporary file
    assert "cancelled" in window.notice.label.text()
