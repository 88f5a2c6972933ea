"""Unlucky and hostile use of the window: each case here once crashed, froze or lied."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack

from tests.app.window.test_drop_and_save import drop, photo, urls
from visualizer.app.window.safety import reported


def _slide_alpha_while_training(window, qtbot, ticks=8):
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.gd.iteration > 100, timeout=5000)
    slider = window.controls.alpha.slider
    for position in range(slider.value() + 1, slider.value() + 1 + ticks):
        slider.setValue(position)
        qtbot.wait(20)
    qtbot.wait(300)  # the ghost is drawn once the slider rests
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)


def test_teaching_after_an_alpha_change_mid_run(window, qtbot, tmp_path):
    """It segfaulted: the old alpha's ghost, in the old Gram coordinates, was drawn after the matrix grew,
    and the numpy error escaping QUndoCommand.redo crashed PySide6."""
    m = window.controller.train.m
    drop(window, urls(*[photo(tmp_path / f"{i}.png", i) for i in range(3)]))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 3, timeout=5000)
    _slide_alpha_while_training(window, qtbot)
    assert window.controller.ghost is not None and window.controller.ghost.belongs_to(window.controller.gd)
    qtbot.mouseClick(window.classify.add_targets[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.train.m == m + 3, timeout=5000)
    assert window.controller.ghost is None  # drawn for the old data: gone with it
    window.refresh(force=True)
    window.step(5)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.undo.undo()
    window.refresh(force=True)
    assert window.controller.train.m == m


def test_a_ghost_from_before_a_reset_is_not_drawn_on_the_new_run(window, qtbot):
    _slide_alpha_while_training(window, qtbot, ticks=1)
    window.set_alpha(0.02)  # a ghost request pending...
    window.reset()  # ...when the run starts again
    qtbot.wait(300)
    assert window.controller.ghost is None
    window.refresh(force=True)
    names = [label.text for _, label in window.cost_curve.plot.legend.items]
    assert "old α (ghost)" not in names and window.cost_curve.plot.vb.viewRange()[1][1] < 1.0


def test_an_exception_in_an_undo_command_is_reported_not_a_crash(qapp, monkeypatch):
    seen = []
    monkeypatch.setattr("sys.excepthook", lambda *info: seen.append(info[1]))

    class Broken(QUndoCommand):
        @reported
        def redo(self):
            np.zeros(3) + np.zeros(4)  # a C-raised numpy error: the kind that crashed shiboken

    QUndoStack().push(Broken("broken"))
    assert len(seen) == 1 and isinstance(seen[0], ValueError)


def test_drawing_a_ten_million_iteration_run_costs_what_a_short_one_does(window, qtbot, monkeypatch):
    """A 3-minute run fell from 25 to 11 frames a second: every frame redrew the whole history."""
    import visualizer.core.analysis.envelope as envelope

    reduced = []
    real_reduce = envelope._reduce
    monkeypatch.setattr(envelope, "_reduce",
                        lambda values, *a: (reduced.append(len(values)), real_reduce(values, *a))[1])
    c = window.controller
    window.step(50)
    qtbot.waitUntil(lambda: not c.running and c.gd.iteration == 50, timeout=5000)
    gd = c.gd
    gd.history.costs.extend(np.linspace(0.69, 0.1, 10_000_000))  # as if it had run that long
    gd.iteration = len(gd.history)
    c.latest = c._snapshot()
    window.refresh(force=True)
    assert gd.history.nbytes < 20e6 and gd.history.thinned
    first_frame = sum(reduced)
    window.state.change_settings(budget=10**7)
    c.start()
    reduced.clear()
    frames = window.frames
    for _ in range(1000):
        qtbot.wait(5)
        window.refresh()
        window.cost_curve.view.repaint()
        if window.frames - frames >= 200:
            break
    c.pause()
    window.refresh(force=True)
    assert window.frames - frames >= 200
    x, _ = window.cost_curve.train_curve.getData()
    assert len(x) <= 2 * window.cost_curve.plot.vb.width() + 4  # about two points per pixel column
    # Each frame reduced what was new and one partial bucket, never the ten million before it.
    assert len(reduced) >= 100 and max(reduced) < first_frame / 50
    window.cost_curve._mouse_moved([window.cost_curve.plot.sceneBoundingRect().center()])
    assert "every" in window.cost_curve.hover.text() and "iteration is kept" in window.cost_curve.hover.text()


def test_a_dropped_folder_is_listed_on_the_worker_not_the_gui_thread(window, qtbot, tmp_path, monkeypatch):
    """Dropping a 100,000-file folder froze the window for 1.2 s while it was listed."""
    import threading

    import visualizer.app.common.dropping as dropping

    listed_on = []
    real_walk = dropping.walk_files
    monkeypatch.setattr(dropping, "walk_files", lambda *a: (listed_on.append(threading.current_thread()),
                                                            real_walk(*a))[1])
    monkeypatch.setattr(dropping, "MAX_IMAGES", 5)
    for i in range(8):
        photo(tmp_path / f"{i}.png", i, (20, 20))
    drop(window, urls(tmp_path))
    qtbot.waitUntil(lambda: len(window.classify._cards) == 5, timeout=10000)
    assert listed_on and all(t is not threading.main_thread() for t in listed_on)
    qtbot.waitUntil(window.notice.isVisible, timeout=3000)
    assert "8 files dropped: only the first 5 are read" in window.notice.label.text()


@pytest.mark.parametrize("lines", [
    ["[settings]", "alpha=abc"], ["[settings]", "alpha=inf"], ["[settings]", "alpha=1e400"],
    ["[settings]", "alpha=-1"], ["[settings]", "slice=abc"], ["[view]", "slice=abc"],
    ["[window]", "state=garbage", "geometry=@ByteArray(nonsense)"], ["[files]", "recent=@Variant(broken"],
    ["[files]", "recent=/one/path.npz"], ["[data]", "last_folder=42"], ["\x00\xff garbage \x01"],
    ["[settings]", "optimizer=sgd", "batch_size=-3", "beta=1", "epsilon=0", "lam=nan"],
    ["[settings]", "decay_kind=exponential", "decay=1"], ["[settings]", "batch_size=1e99"],
])
def test_a_damaged_settings_file_falls_back_to_defaults(qtbot, demo, lines):
    """alpha=abc, inf or 1e400, or slice=abc, in the settings file stopped the app from starting."""
    from PySide6.QtCore import QSettings, QStandardPaths

    from visualizer.app.common.application import make_app
    from visualizer.app.window.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    make_app()
    path = Path(QSettings().fileName())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    try:
        window = MainWindow(*demo, remember_layout=True)
        window.ask_before_closing = False
        qtbot.addWidget(window)
        window.show()
        assert window.controller.gd.alpha == 0.005 or "alpha" not in lines[-1]
        assert window.surface.kind in ("w-direction", "principal")
        s = window.state.settings
        assert (s.optimizer, s.beta, s.epsilon, s.lam) == ("gd", 0.9, 1e-8, 0.0)
        assert s.decay_kind == "inverse" or s.decay < 1
        window._fill_recent()
        window.close()
    finally:
        path.unlink(missing_ok=True)


def test_the_optimizer_settings_are_remembered_for_the_next_window(qtbot, demo):
    from PySide6.QtCore import QSettings, QStandardPaths

    from visualizer.app.common.application import make_app
    from visualizer.app.window.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    make_app()
    path = Path(QSettings().fileName())
    try:
        for expected in ({"optimizer": "adam", "batch_size": 32, "beta2": 0.99, "lam": 0.5, "decay": 0.05,
                          "decay_kind": "exponential"}, {"optimizer": "gd", "batch_size": None}):
            first = MainWindow(*demo, remember_layout=True)
            first.ask_before_closing = False
            qtbot.addWidget(first)
            first.state.change_settings(**expected)
            first.close()
            second = MainWindow(*demo, remember_layout=True)
            second.ask_before_closing = False
            qtbot.addWidget(second)
            assert {k: getattr(second.state.settings, k) for k in expected} == expected
            assert second.controller.gd.optimizer.kind == expected["optimizer"]
            second.close()
    finally:
        path.unlink(missing_ok=True)


def _session_entries(path):
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _settings_variant(**changes):
    import json

    from visualizer.model.settings import RunSettings

    return {"settings": np.array(json.dumps(RunSettings().to_dict() | changes))}


def _small_images_variant(a):
    images = np.zeros((a["train_images"].shape[0], 16, 16, 3), np.uint8)
    return {"train_images": images}


@pytest.mark.parametrize("variant", [
    lambda a: _settings_variant(alpha=-1), lambda a: _settings_variant(alpha=float("nan")),
    lambda a: _settings_variant(loss="hinge"), lambda a: _settings_variant(seed=-3),
    lambda a: {"train_images": np.zeros((a["train_images"].shape[0], 0, 0, 3), np.uint8)},
    _small_images_variant,  # 16-px images with a 12288-value w
    lambda a: {"iteration": np.array(10**6)},
], ids=["alpha -1", "alpha NaN", "loss hinge", "seed -3", "n_px 0", "16 px, 12288 w", "iteration beyond history"])
def test_a_hostile_session_is_refused_and_nothing_changes(window, qtbot, tmp_path, variant):
    trained = tmp_path / "good.vis.npz"
    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 30, timeout=5000)
    assert window.save_session(str(trained))
    entries = _session_entries(trained)
    entries.update(variant(entries))
    hostile = tmp_path / "hostile.vis.npz"
    np.savez(hostile, **entries)
    c = window.controller
    gd, train, alpha, loss = c.gd, c.train, c.gd.alpha, c.settings.loss
    window.open_session(str(hostile))
    assert window.notice.isVisible() and str(hostile) in window.notice.label.text()
    assert c.gd is gd and c.train is train and c.gd.alpha == alpha and c.settings.loss == loss
    window.step(5)  # Train still runs on the data the window shows
    qtbot.waitUntil(lambda: not c.running and c.gd.iteration == 35, timeout=5000)


def test_a_session_brings_back_every_setting(window, qtbot, tmp_path):
    """Only alpha came back; the loss, init, seed, budget, speed and slice were lost, yet Step used some."""
    from visualizer.model.settings import RunSettings

    c = window.controller
    window.controls.loss.setCurrentIndex(window.controls.loss.findData("squared-error"))
    window.controls.init.setCurrentIndex(window.controls.init.findData("random"))
    window.controls.seed.setValue(7)
    window.controls.budget.setValue(500)
    window.controls.speed.setCurrentIndex(window.controls.speed.findData(10.0))
    window.surface.choice.setCurrentIndex(window.surface.choice.findData("principal"))
    window.controls.alpha.field.setText("0.003")
    window.controls.alpha.field.editingFinished.emit()
    window.step(3)
    qtbot.waitUntil(lambda: not c.running and c.gd.iteration == 3, timeout=5000)
    path = tmp_path / "all.vis.npz"
    assert window.save_session(str(path))
    window.state.replace_settings(RunSettings())
    window.open_session(str(path))
    expected = RunSettings(alpha=0.003, loss="squared-error", init="random", seed=7, budget=500, speed=10.0,
                           slice="principal")
    p = window.controls
    shown = RunSettings(alpha=p.alpha.alpha, loss=p.loss.currentData(), init=p.init.currentData(),
                        seed=p.seed.value(), budget=p.budget.value(), speed=p.speed.currentData(),
                        slice=window.surface.kind)
    assert shown == expected and c.settings == expected
    assert c.gd.loss.name == "squared-error" and c.gd.alpha == 0.003 and c.gd.iteration == 3


@pytest.mark.parametrize("export", [lambda w, p: w.exports.cost_plot("png", p),
                                    lambda w, p: w.exports.cost_plot("svg", p),
                                    lambda w, p: w.exports.surface_png(p), lambda w, p: w.exports.cost_csv(p)],
                         ids=["png", "svg", "surface", "csv"])
def test_an_export_on_a_full_disk_says_so_and_leaves_no_file(window, tmp_path, monkeypatch, export):
    """PNG and SVG exports left 0-byte files on a full disk, and said nothing."""
    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("visualizer.fs.atomic.os.fsync", full)
    target = tmp_path / "out.file"
    export(window, str(target))
    assert window.notice.isVisible() and "No space left on device" in window.notice.label.text()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    export(window, str(target))
    assert target.stat().st_size > 50


def test_a_fifo_named_h5_or_npz_is_refused_without_freezing(window, qtbot, tmp_path):
    """Opening a FIFO named *.h5 froze the whole window: h5py holds the GIL inside open()."""
    import os

    for name, opener in (("x.h5", window.load), ("s.vis.npz", window.open_session)):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        window.notice.hide()
        opener(str(fifo))
        qtbot.waitUntil(window.notice.isVisible, timeout=5000)
        assert "named pipe" in window.notice.label.text() and str(fifo) in window.notice.label.text()
    window.notice.hide()
    drop(window, urls(tmp_path / "x.h5"))  # dropped to classify: skipped with the same reason
    qtbot.waitUntil(window.notice.isVisible, timeout=5000)
    assert "x.h5" in window.notice.label.text() and "named pipe" in window.notice.label.text()


def test_exports_are_slide_sized_and_say_what_they_show(window, qtbot, tmp_path):
    from PySide6.QtGui import QImage

    window.step(30)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.exports.cost_plot("png", str(tmp_path / "cost.png"), width=1920)
    image = QImage(str(tmp_path / "cost.png"))
    assert image.width() == 1920
    assert not window.cost_curve.plot.titleLabel.isVisible()  # the title is put on for the export only
    assert not any(sample.item is window.cost_curve.ghost for sample, _ in window.cost_curve.plot.legend.items)
    window.exports.cost_plot("svg", str(tmp_path / "cost.svg"))
    svg = (tmp_path / "cost.svg").read_text()
    assert "cross-entropy" in svg and "iterations 0–30" in svg
    window.exports.surface_png(str(tmp_path / "surface.png"))
    surface = QImage(str(tmp_path / "surface.png"))
    assert surface.height() > window.surface.height()  # a caption band above the panel


def test_exported_legends_sit_beside_the_curves(window, qtbot, tmp_path, monkeypatch):
    import visualizer.app.export.run_exports as fa

    seen, cut = [], []  # legends past the picture's right edge: the run's title had widened the plots
    real = fa.scene_bytes

    def spy(view, kind, width=None):
        legends = [item for item in view.ci.items if type(item).__name__ == "LegendItem"]
        seen.append((len(legends), [p.legend.isVisible() for p in (window.cost_curve.plot, window.cost_curve.acc)]))
        cut.extend(legend.geometry().right() for legend in legends if legend.geometry().right() > view.width() + 1)
        return real(view, kind, width)

    monkeypatch.setattr(fa, "scene_bytes", spy)
    window.exports.cost_plot("png", str(tmp_path / "c.png"), width=800)
    assert seen == [(3, [False, False])] and cut == []
    assert window.cost_curve.plot.legend.isVisible() and not [
        i for i in window.cost_curve.view.ci.items if type(i).__name__ == "LegendItem"]


def test_data_too_wide_for_the_windows_network_is_refused_not_trained(window, qtbot):
    """Hidden 900 is 3,601 parameters on 2-D points; the cat images made it 11 million, built at once (10000,900:
    123 million, gigabytes), where the window refuses such a network when it is asked for."""
    from visualizer.data import load_data

    c = window.controller
    images = (c.train, c.test)
    window._loaded(*load_data("planar:flower", test_fraction=0))
    window.state.change_settings(hidden=(900,))
    points, gd = c.train, c.gd
    window._loaded(*images)
    assert c.train is points and c.gd is gd and window.notice.isVisible()
    assert "a network of 900 hidden units on 12288 inputs" in window.notice.label.text()


def test_a_session_of_fewer_examples_with_other_settings_opens(window, tmp_path, monkeypatch):
    """Its settings were put in force before its data: the σ(z) panel drew its 6 examples' z with the window's
    class members (indices up to 209), and IndexError ended the opening half done."""
    from tests.formats.test_storage import dataset
    from visualizer.core import GradientDescent
    from visualizer.formats.storage import save_session

    seen = []
    monkeypatch.setattr("sys.excepthook", lambda *info: seen.append(info[1]))
    train, test = dataset(6), dataset(4, seed=1, source="t")
    gd = GradientDescent(train.X, train.Y, alpha=0.01)
    gd.step(5)
    path = tmp_path / "small.vis.npz"
    save_session(path, train, test, {"alpha": 0.01}, gd.history, gd.iteration, gd.w, gd.b)
    window.open_session(str(path))
    assert not seen and window.controller.train.m == 6 and window.controller.settings.alpha == 0.01
    assert window.notice.label.text().startswith(f"Opened the session {path}")
