"""Drops, teaching, undo, saving and exports, driven through the real window."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from visualizer.core import sigmoid
from visualizer.data import load_image


def drop(window, mime):
    pos = window.rect().center()
    QApplication.sendEvent(window, QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                                   Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(window, QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def urls(*paths):
    mime = QMimeData()
    mime.setUrls([QUrl(p) if str(p).startswith("http") else QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def photo(path, seed=0, size=(300, 200)):
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(path)
    return path


def model_says(window, pixels):
    gd = window.controller.gd
    return float(sigmoid(np.array(gd.w @ (pixels.reshape(-1) / 255.0) + gd.b)))


def trained(window, qtbot, n=200):
    window.step(n)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == n, timeout=5000)


def test_dropped_files_are_classified_with_the_engines_numbers(window, qtbot, tmp_path):
    trained(window, qtbot)
    path = photo(tmp_path / "holiday.jpg")
    drop(window, urls(path))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 1, timeout=5000)
    window.refresh(force=True)
    card = window.classify._cards[0]
    expected = model_says(window, load_image(path, 64))
    assert np.array_equal(card.image.pixels, load_image(path, 64))
    label = window.controller.train.classes[int(expected > 0.5)]
    confidence = expected if expected > 0.5 else 1 - expected
    assert card.verdict.text() == f"{label}, {100 * confidence:.0f} %"
    assert f"ŷ = σ(z) = {expected:.3f}" in card.breakdown.text()
    assert card.breakdown.text().startswith("z = Σ(w⊙x) + b = ")


def test_raw_image_data_from_a_browser_is_classified(window, qtbot):
    mime = QMimeData()
    image = QImage(120, 80, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.darkGreen)
    mime.setImageData(image)
    mime.setUrls([QUrl("https://example.org/cat.jpg")])  # browsers send both: the pixels win
    drop(window, mime)
    qtbot.waitUntil(lambda: len(window.classify._cards) == 1, timeout=5000)
    assert tuple(window.classify._cards[0].image.pixels[10, 10]) == (0, 128, 0)


def test_remote_urls_and_non_images_get_clear_messages(window, qtbot, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    drop(window, urls("https://example.org/cat.jpg"))
    assert "not fetched" in window.notice.label.text() and "offline" in window.notice.label.text()
    drop(window, urls(notes))
    qtbot.waitUntil(lambda: "notes.txt" in window.notice.label.text(), timeout=5000)
    assert "not an image" in window.notice.label.text()
    assert not window.classify._cards


def test_a_dropped_folder_with_many_files_does_not_freeze(window, qtbot, tmp_path):
    for i in range(60):
        photo(tmp_path / f"{i}.png", i, (40, 30))
    drop(window, urls(tmp_path))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 60, timeout=20000)


def test_add_by_drop_then_undo_gives_back_the_same_data(window, qtbot, tmp_path):
    trained(window, qtbot, 50)
    before = window.controller.train
    X, Y = before.X.copy(), before.Y.copy()
    w = window.controller.gd.w
    paths = [photo(tmp_path / f"{i}.png", i) for i in range(3)]
    window.classify.add_targets[1].dropped.emit(urls(*paths))
    qtbot.waitUntil(lambda: window.controller.train.m == before.m + 3, timeout=5000)
    assert window.isWindowModified()
    gd = window.controller.gd
    assert gd.m == before.m + 3 and np.allclose(gd.w, w) and gd.y[-3:].tolist() == [1, 1, 1]
    trained_more = gd.iteration
    window.step(5)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == trained_more + 5, timeout=5000)
    window.undo.undo()
    after = window.controller.train
    assert np.array_equal(after.X, X) and np.array_equal(after.Y, Y)
    window.undo.redo()
    assert window.controller.train.m == before.m + 3


def test_undoing_a_teach_takes_its_notice_and_the_timeline_note_with_it(window, qtbot, tmp_path):
    """After Ctrl+Z the notice still said "Added to training as cat" and the Controls "before 30 the data was
    different"."""
    trained(window, qtbot, 30)
    window.classify.add_targets[1].dropped.emit(urls(photo(tmp_path / "mycat.png", 1)))
    qtbot.waitUntil(lambda: window.controller.train.m == 211, timeout=5000)
    window.refresh(force=True)
    assert window.notice.isVisible() and "Added to training as cat: mycat.png" in window.notice.label.text()
    assert "iterations before 30 cannot be shown: the data was different" in window.controls.timeline_label.text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.train.m == 210
    window.refresh(force=True)
    assert not window.notice.isVisible() and window.controls.timeline_label.text() == "iteration 30"
    window.look_at(5)  # the whole run can be looked at again
    assert window.view_iteration == 5


def test_gallery_edits_are_undoable(window, qtbot):
    train = window.controller.train
    y0 = int(train.Y[0, 0])
    window.edit_example("train", 0, "relabel")
    assert int(window.controller.train.Y[0, 0]) == 1 - y0
    window.edit_example("train", 1, "move")
    assert window.controller.train.m == train.m - 1 and window.controller.test.m == 51
    window.undo.undo()
    window.undo.undo()
    assert np.array_equal(window.controller.train.Y, train.Y) and window.controller.test.m == 50


def test_model_round_trip_predicts_the_same(window, qtbot, tmp_path):
    trained(window, qtbot)
    path = tmp_path / "model.npz"
    assert window.save_model(str(path))
    image = photo(tmp_path / "x.png", 5)
    out = subprocess.run([sys.executable, "-m", "visualizer", "predict", str(path), str(image)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    _, yhat, label = out.stdout.strip().split("\t")
    assert float(yhat) == pytest.approx(model_says(window, load_image(image, 64)), abs=1e-6)


def test_session_round_trip_restores_the_run(window, qtbot, tmp_path):
    trained(window, qtbot, 120)
    window.edit_example("train", 3, "relabel")
    path = tmp_path / "s.vis.npz"
    assert window.save_session(str(path))
    assert not window.isWindowModified()
    gd = window.controller.gd
    yhat = sigmoid(gd.z).copy()
    costs = gd.history.costs.values.copy()
    labels = window.controller.train.Y.copy()
    window.reset()
    window.open_session(str(path))
    gd2 = window.controller.gd
    assert np.array_equal(sigmoid(gd2.z), yhat)
    assert np.array_equal(gd2.history.costs.values, costs) and gd2.iteration == gd.iteration
    assert np.array_equal(window.controller.train.Y, labels)
    window.refresh(force=True)  # it said "iteration 120; before 120 the data was different"
    assert window.controls.timeline_label.text() == ("iteration 120; iterations before 120 cannot be shown: the data "
                                                   "was different")  # as before saving
    trained_on = gd2.iteration
    window.step(3)
    qtbot.waitUntil(lambda: window.controller.gd.iteration == trained_on + 3, timeout=5000)


def test_a_truncated_session_leaves_the_window_unchanged(window, qtbot, tmp_path):
    path = tmp_path / "s.vis.npz"
    trained(window, qtbot, 20)
    window.save_session(str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = (window.controller.train, window.controller.gd)
    window.open_session(str(path))
    assert (window.controller.train, window.controller.gd) == before
    assert "Could not open the session" in window.notice.label.text()


def test_a_hostile_npz_is_refused_without_running_anything(window, tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.npz"
    np.savez(path, format=np.array("visualizer-session"), version=np.array(1), w=np.array([Evil()], dtype=object))
    window.open_session(str(path))
    assert not marker.exists()
    assert "refused" in window.notice.label.text() or "Could not open" in window.notice.label.text()
    from visualizer.formats.model_files import load_model
    from visualizer.formats.storage import StorageError

    with pytest.raises(StorageError, match="refused|not a model"):
        load_model(path)
    assert not marker.exists()


def test_exports_write_files_without_nan(window, qtbot, tmp_path):
    window.controls.alpha.field.setText("50")
    window.controls.alpha.field.editingFinished.emit()
    trained(window, qtbot, 30)
    window.exports.cost_csv(str(tmp_path / "cost.csv"))
    text = (tmp_path / "cost.csv").read_text()
    assert text.splitlines()[0] == "run,iteration,cost,test_cost,train_accuracy,test_accuracy,alpha"
    assert len(text.splitlines()) == 31 and "nan" not in text.lower() and "inf" not in text.lower()
    window.exports.cost_plot("png", str(tmp_path / "cost.png"))
    window.exports.cost_plot("svg", str(tmp_path / "cost.svg"))
    window.exports.surface_png(str(tmp_path / "surface.png"))
    window.exports.predictions(str(tmp_path / "pred.csv"))
    assert Image.open(tmp_path / "cost.png").size[0] > 100 and Image.open(tmp_path / "surface.png").size[0] > 100
    assert (tmp_path / "cost.svg").read_text().lstrip().startswith("<?xml")
    rows = (tmp_path / "pred.csv").read_text().splitlines()
    assert rows[0] == "set,path,label,yhat,correct" and len(rows) == 1 + 210 + 50


def test_closing_with_unsaved_work_asks(window, qtbot, monkeypatch):
    trained(window, qtbot, 5)
    window.ask_before_closing = True
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(1) or QMessageBox.StandardButton.Cancel)
    window.close()
    assert asked and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible()


def test_settings_json_is_plain(tmp_path, window, qtbot):
    trained(window, qtbot, 5)
    path = tmp_path / "s.npz"
    window.save_session(str(path))
    with np.load(path, allow_pickle=False) as z:
        assert json.loads(str(z["settings"]))["alpha"] == 0.005


def test_scrubbing_stops_at_a_data_edit(window, qtbot, tmp_path):
    trained(window, qtbot, 30)
    window.classify.add_targets[0].dropped.emit(urls(photo(tmp_path / "a.png", 1)))
    qtbot.waitUntil(lambda: window.controller.train.m == 211, timeout=5000)
    window.step(10)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 40, timeout=5000)
    window.look_at(5)  # before the edit: the earliest iteration that can be replayed is shown
    assert window.view_iteration == 30 and window.controls.timeline.value() == 30
    assert "iterations before 30 cannot be shown: the data was different" in window.controls.timeline_label.text()
    window.step_back()
    assert window.view_iteration == 30
