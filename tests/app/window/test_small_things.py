"""The α slider's fine drag, the status bar while paused, the names export dialogs offer, slide-sized pictures."""

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from visualizer.app.panels.alpha_control import alpha_to_slider


def drag(slider, dx: int, modifiers) -> None:
    """Press on the handle and move ``dx`` pixels to the right, as the mouse does."""
    slider.setFocus(Qt.FocusReason.MouseFocusReason)
    span = slider.width() - 16
    start = QPointF(8 + span * slider.value() / slider.maximum(), slider.height() / 2)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, x, button, buttons in ((QEvent.Type.MouseButtonPress, 0, left, left),
                                     *((QEvent.Type.MouseMove, k, none, left) for k in range(1, dx + 1)),
                                     (QEvent.Type.MouseButtonRelease, dx, left, none)):
        pos = start + QPointF(x, 0)
        QApplication.sendEvent(slider, QMouseEvent(kind, pos, slider.mapToGlobal(pos), button, buttons, modifiers))


def test_shift_drag_moves_alpha_by_small_steps(window):
    slider = window.controls.alpha.slider
    assert slider.value() == alpha_to_slider(0.005)
    drag(slider, 21, Qt.KeyboardModifier.ShiftModifier)
    assert 0.005 < window.state.settings.alpha < 0.0065  # about a tenth of a decade, not 0.0776


def test_a_plain_drag_still_follows_the_pointer(window):
    drag(window.controls.alpha.slider, 21, Qt.KeyboardModifier.NoModifier)
    assert window.state.settings.alpha > 0.0065


def test_the_status_bar_gives_no_speed_while_paused(window, qtbot):
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 50, timeout=10000)
    if window.controller.running:  # on a busy machine the run may have reached its budget already
        window.toggle_training()  # (toggling again would then start a new run, with its speed)
    window.refresh(force=True)
    assert "it/s" not in window.status.text() and "paused" in window.status.text()


@pytest.mark.parametrize("export, name", [
    (lambda w: w.exports.cost_plot("png"), "demo-cost-curve-0.png"),
    (lambda w: w.exports.cost_csv(), "demo-cost-history-0.csv"),
    (lambda w: w.save_session(), "demo-session-0.vis.npz"),
    (lambda w: w.save_model(), "demo-model-0.npz"),
])
def test_save_dialogs_offer_a_file_name(window, monkeypatch, export, name):
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, start, *a: (offered.append(start), "")[1:]
                        + ("",))
    export(window)
    assert offered and offered[0].endswith("/" + name), offered


def test_the_sweep_fields_read_as_numbers(window, qtbot):
    window.open_explorer()
    sweep = window.explorer.sweep
    assert (sweep.lo.text(), sweep.hi.text()) == ("1e-5", "10")
    box = sweep.lo
    texts = []
    for exponent in (-4.5, 0):
        box.setValue(exponent)
        texts.append(box.text())
    assert texts == ["3.16e-5", "1"]
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "3e-4")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == pytest.approx(-3.523, abs=1e-3)
    window.explorer.close()


def test_the_race_picture_is_slide_sized(window, qtbot, tmp_path):
    window.open_explorer()
    ex = window.explorer
    qtbot.waitExposed(ex)
    data = ex.plots.png("a race")
    path = tmp_path / "race.png"
    path.write_bytes(data)
    with Image.open(path) as image:
        assert image.width == 1920 and image.height > 500
    ex.close()
