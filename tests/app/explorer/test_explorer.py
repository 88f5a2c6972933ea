"""The race explorer and the stability marks, driven through the real windows."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication, QScrollArea, QWidget

from tests.formats.test_comparison_files import numpy_costs
from visualizer.app.common import wheel
from visualizer.app.explorer.comparison_plots import RacePlots
from visualizer.app.explorer.explorer import ExplorerWindow, show_explorer
from visualizer.app.explorer.race_table import ResultsTable
from visualizer.app.explorer.sweep_tab import NO_CURVES, NO_SWEEP, SweepTab
from visualizer.core.analysis.race import POINTS, PRESETS, RaceConfig
from visualizer.core.analysis.stability import stable_alpha


@pytest.fixture
def explorer(window, qtbot):
    window.open_explorer()
    ex = window.explorer
    qtbot.waitExposed(ex)
    yield ex
    ex.close()
    assert not (ex.job and ex.job.isRunning()) and not (ex.sweep.job and ex.sweep.job.isRunning())


def slide_size(widget) -> tuple[int, int]:
    """A picture for a slide: 1920 px wide, the widget's proportions, under a caption band grown with it."""
    return 1920, round(widget.height() * 1920 / widget.width()) + round(28 * 1920 / 1200)


def race(ex, qtbot, configs, iterations, timeout=30000):
    ex.config_table.set_configs(configs)
    ex.iterations.setValue(iterations)
    ex.run_race()
    finish(ex, qtbot, timeout)


def finish(ex, qtbot, timeout=30000):
    qtbot.waitUntil(lambda: ex.run_button.isEnabled() and not ex.job.isRunning(), timeout=timeout)


def cell(table, r, c) -> str:
    return table.item(r, c).text()


def test_course_preset_races_three_alphas(explorer, qtbot):
    explorer.apply_preset("Course α")
    finish(explorer, qtbot)
    assert explorer.results.rowCount() == 3
    assert [cell(explorer.results, r, 0) for r in range(3)] == ["GD α=0.01", "GD α=0.001", "GD α=0.0001"]
    for r, run in enumerate(explorer.race.runs):
        assert run.iteration == 1500 and cell(explorer.results, r, 1) == "1500"
        assert cell(explorer.results, r, 4) == f"{run.gd.metrics()['train_accuracy']:.2f} %"
        assert cell(explorer.results, r, 5) == f"{run.gd.metrics()['test_accuracy']:.2f} %"
    assert cell(explorer.results, 0, 6) != "-" and cell(explorer.results, 2, 6) == "-"  # only α = 0.01 reaches 0.3
    assert explorer.plots.slice_image.image is not None and "off the plane" in explorer.plots.slice_note.text()


@pytest.mark.parametrize("name", ["GD vs momentum vs Adam", "Batch vs mini-batch vs stochastic", "L2 from 0 to 10"])
def test_presets_fill_the_table_and_race(explorer, qtbot, name, monkeypatch):
    configs, iterations = PRESETS[name]
    monkeypatch.setitem(PRESETS, name, (configs, 40))  # the preset's rows, fewer iterations
    explorer.apply_preset(name)
    finish(explorer, qtbot)
    assert explorer.config_table.configs() == list(configs) and explorer.iterations.value() == 40
    assert [r.config for r in explorer.race.runs] == list(configs)
    assert explorer.results.rowCount() == len(configs) and all(r.iteration == 40 for r in explorer.race.runs)
    assert iterations >= 1000


def test_cost_against_iterations_epochs_and_seconds(explorer, qtbot):
    race(explorer, qtbot, [RaceConfig(alpha=0.005), RaceConfig(alpha=0.005, batch_size=30)], 300)
    runs, items = explorer.race.runs, explorer.plots.items
    its = [run.rows("train_cost")[0] for run in runs]
    assert np.array_equal(items[0][0].getData()[0], its[0])
    explorer.axis.setCurrentText("epochs")
    assert np.allclose(items[1][0].getData()[0], its[1] / 7)  # 210 examples: 7 batches of 30 an epoch
    assert np.allclose(items[0][0].getData()[0], its[0])  # batch descent: an epoch an iteration
    explorer.axis.setCurrentText("seconds")
    x = items[1][0].getData()[0]
    assert x[-1] == pytest.approx(runs[1].elapsed) and np.all(np.diff(x) >= 0)
    assert "seconds" in explorer.plots.curves.getAxis("bottom").labelText


def test_a_frame_draws_a_few_hundred_points_however_long_the_run(explorer, qtbot):
    race(explorer, qtbot, [RaceConfig(alpha=0.005, batch_size=50)], 20_000, timeout=60000)
    x, _ = explorer.plots.items[0][0].getData()
    assert explorer.race.runs[0].iteration == 20_000 and len(x) <= POINTS + 1


def test_a_run_can_be_added_while_the_others_go_on(explorer, qtbot):
    explorer.config_table.set_configs([RaceConfig(alpha=0.001), RaceConfig(alpha=0.0001)])
    explorer.iterations.setValue(20_000)
    explorer.run_race()
    qtbot.waitUntil(lambda: min(r.iteration for r in explorer.race.runs) > 10, timeout=5000)
    explorer.config_table.add_row(RaceConfig("momentum", 0.003))
    explorer.add_runs()
    first = explorer.race.runs[0]
    assert len(explorer.race.runs) == 3 and first.iteration > 10  # the first runs go on, not again
    qtbot.waitUntil(lambda: explorer.race.runs[2].iteration > 10, timeout=5000)
    explorer.config_table.add_row(RaceConfig(alpha=0.001))  # already racing: no second curve
    explorer.add_runs()
    assert len(explorer.plots.items) == 3 and "Already in the race: row 4 (GD α=0.001)" in explorer.message.text()
    explorer.stop_race()
    finish(explorer, qtbot)
    assert explorer.results.rowCount() == 3 and explorer.race.runs[0].iteration < 20_000  # stopped part way
    assert explorer.plots.slice_image.image is not None


def type_cell(qtbot, table, row, column, text):
    """As a user does: typing on a cell opens its editor, Return commits it."""
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, text[0])
    editor = QApplication.focusWidget()
    assert editor is not table
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)  # the delegate commits the edit from the event loop


def test_cells_are_edited_and_checked_from_the_keyboard(explorer, qtbot):
    wheeled = [w for w in explorer.findChildren(QWidget) if wheel.wheeled(w)]  # the wheel does not change them
    assert len(wheeled) >= 4 and all(w.focusPolicy() == Qt.FocusPolicy.StrongFocus for w in wheeled)
    explorer.activateWindow()
    qtbot.waitUntil(explorer.isActiveWindow, timeout=3000)
    table = explorer.config_table
    table.setFocus()
    type_cell(qtbot, table, 0, 1, "0.02")
    assert table.configs()[0].alpha == 0.02
    type_cell(qtbot, table, 0, 4, "500")
    assert table.configs()[0].batch_size is None and cell(table, 0, 4) == "all"
    assert "Row 1, B" in explorer.message.text() and "m = 210" in explorer.message.text()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.setCurrentText("Adam")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert table.configs()[0].optimizer == "adam" and cell(table, 0, 0) == "Adam"
    type_cell(qtbot, table, 1, 2, "1.0")
    assert table.configs()[1].beta == 0.9
    assert "Row 2, β (β₁): beta must be a number in [0, 1)" in explorer.message.text()
    rows = table.rowCount()
    table.add_row()
    assert table.rowCount() == rows + 1 and table.configs()[-1] == table.configs()[1]  # a copy of the current row
    table.remove_row()
    assert table.rowCount() == rows
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()  # Tab leaves the table; arrows move inside it


def test_an_empty_table_or_a_bad_target_gets_a_message(explorer, qtbot):
    explorer.config_table.set_configs([])
    explorer.run_race()
    assert "Add a row first" in explorer.message.text() and explorer.race is None
    race(explorer, qtbot, [RaceConfig(alpha=0.01)], 20)
    explorer.target.setText("low")
    explorer.target.editingFinished.emit()
    assert "not a number" in explorer.message.text() and cell(explorer.results, 0, 6) == "-"


def test_sweep_is_deterministic_and_points_open_as_runs(explorer, qtbot):
    sweep = explorer.sweep
    sweep.k.setValue(9)
    sweep.iterations.setValue(60)
    results = []
    for _ in range(2):
        sweep.run()
        qtbot.waitUntil(lambda: sweep.button.isEnabled(), timeout=20000)
        results.append([(p.alpha, p.final_cost, p.diverged) for p in sweep.points])
    assert results[0] == results[1] and len(results[0]) == 9
    assert any(d for _, _, d in results[0]) and "Suggested" in sweep.suggestion.text()
    assert all(p.diverged == (p.final_cost > np.log(2)) for p in sweep.points)  # ended above J(0) = ln 2
    explorer.iterations.setValue(50)
    explorer.open_run(results[0][3][0])
    assert RaceConfig(alpha=results[0][3][0]) in [r.config for r in explorer.race.runs]
    finish(explorer, qtbot)


def test_the_race_and_the_sweep_are_kept_with_the_window_and_the_session(window, qtbot, tmp_path):
    ex = show_explorer(window)
    race(ex, qtbot, [RaceConfig(alpha=0.01), RaceConfig("adam", 0.001, batch_size=32)], 60)
    ex.sweep.k.setValue(4)
    ex.sweep.iterations.setValue(20)
    ex.sweep.run()
    qtbot.waitUntil(ex.sweep.button.isEnabled, timeout=20000)
    ex.axis.setCurrentText("epochs")
    ex.close()
    assert show_explorer(window) is ex and len(ex.race.runs) == 2  # closing the explorer loses nothing
    curves = [item[0].getData() for item in ex.plots.items]
    table = [[cell(ex.results, r, c) for c in range(10)] for r in range(2)]
    points = ex.sweep.points
    path = str(tmp_path / "kept.vis.npz")
    assert window.save_session(path)
    ex.close()
    window.open_session(path)
    back = window.explorer
    assert back is not ex and back.isVisible()
    assert back.config_table.configs() == [RaceConfig(alpha=0.01), RaceConfig("adam", 0.001, batch_size=32)]
    assert back.axis.currentText() == "epochs" and back.iterations.value() == 60
    assert [[cell(back.results, r, c) for c in range(10)] for r in range(2)] == table
    for (x, y), item in zip(curves, back.plots.items, strict=True):
        bx, by = item[0].getData()
        assert np.array_equal(bx, x) and np.array_equal(by, y)
    assert back.plots.slice_image.image is not None and back.sweep.points == points
    back.add_runs()  # nothing new, nothing unfinished
    assert "already in the race" in back.message.text()
    back.close()


def test_a_session_whose_comparison_is_damaged_opens_not_at_all(window, qtbot, tmp_path):
    ex = show_explorer(window)
    race(ex, qtbot, [RaceConfig(alpha=0.01)], 20)
    path = tmp_path / "s.vis.npz"
    assert window.save_session(str(path))
    with np.load(path) as z:
        entries = {k: z[k] for k in z.files}
    entries["comparison_values"] = entries["comparison_values"][:-3]
    bad = tmp_path / "bad.npz"
    np.savez(bad, **entries)
    ex.close()
    train, gd = window.controller.train, window.controller.gd
    window.open_session(str(bad))
    assert window.controller.train is train and window.controller.gd is gd and window.explorer is ex
    assert not ex.isVisible() and len(ex.race.runs) == 1
    text = window.notice.label.text()
    assert "Could not open the session" in text and str(bad) in text and "only" in text


def test_exports_csv_png_and_svg(explorer, qtbot, tmp_path):
    explorer.export_csv(str(tmp_path / "none.csv"))
    assert "Run a race first" in explorer.message.text() and not (tmp_path / "none.csv").exists()
    race(explorer, qtbot, [RaceConfig(alpha=0.01), RaceConfig(alpha=0.002, batch_size=16)], 30)
    explorer.export_csv(str(tmp_path / "race.csv"))
    lines = (tmp_path / "race.csv").read_text().splitlines()
    assert lines[0].startswith("run,optimizer,alpha") and len(lines) == 1 + 2 * 31
    explorer.export_picture("png", str(tmp_path / "race.png"))
    image = QImage(str(tmp_path / "race.png"))
    assert (image.width(), image.height()) == slide_size(explorer.plots)
    explorer.export_picture("svg", str(tmp_path / "race.svg"))
    svg = (tmp_path / "race.svg").read_text()
    assert "<svg" in svg and "<title>Race on" in svg and "GD α=0.002 B=16" in svg
    explorer.export_picture("svg", str(tmp_path / "no such folder" / "race.svg"))
    assert "Export failed" in explorer.message.text() and "does not exist" in explorer.message.text()


def sweep_of(ex, qtbot, k=3, lo=-4.0, hi=-2.0, iterations=25):
    ex.tabs.setCurrentWidget(ex.sweep)
    s = ex.sweep
    s.k.setValue(k)
    s.lo.setValue(lo)
    s.hi.setValue(hi)
    s.iterations.setValue(iterations)
    s.run()
    qtbot.waitUntil(lambda: s.button.isEnabled() and not s.job.isRunning(), timeout=20000)
    return s


def drawn(sweep) -> list[tuple[np.ndarray, np.ndarray]]:
    return [item.getData() for item in sweep.curve_plot.listDataItems()]


def test_a_sweep_is_kept_with_its_curves_and_reopens_as_it_was(window, qtbot, tmp_path):
    ex = show_explorer(window)
    sweep = sweep_of(ex, qtbot, iterations=20)
    assert [c.size for c in sweep.curves] == [21] * 3 and len(drawn(sweep)) == 3
    curves, points, lines = [c.copy() for c in sweep.curves], sweep.points, drawn(sweep)
    sweep.iterations.setValue(5)  # the boxes changed after the sweep ran: the session keeps what ran
    path = str(tmp_path / "sweep.vis.npz")
    assert window.save_session(path)
    ex.close()
    window.open_session(path)
    back = window.explorer.sweep
    assert back is not sweep and back.points == points and back.iterations.value() == 20
    assert len(back.curves) == 3 and all(np.array_equal(a, b) for a, b in zip(back.curves, curves, strict=True))
    for (x, y), (bx, by) in zip(lines, drawn(back), strict=True):
        assert np.array_equal(x, bx) and np.array_equal(y, by)
    assert back.exports.csv.isEnabled() and not window.explorer.race_buttons.csv.isEnabled()  # a sweep, no race


def test_a_session_whose_sweep_has_no_curves_opens_and_says_why_there_is_no_csv(window, qtbot, tmp_path):
    ex = show_explorer(window)
    points = sweep_of(ex, qtbot, iterations=10).points
    path = tmp_path / "new.vis.npz"
    assert window.save_session(str(path))
    with np.load(path) as z:
        entries = {k: z[k] for k in z.files}
    head = json.loads(str(entries["comparison"][()]))
    del head["sweep"]["curves"]  # as a session saved before the curves were kept
    entries["comparison"] = np.array(json.dumps(head))
    entries["comparison_values"] = entries["comparison_values"][:-3 * 11]
    old = tmp_path / "old.vis.npz"
    np.savez(old, **entries)
    ex.close()
    window.open_session(str(old))
    back = window.explorer.sweep
    assert back.points == points and back.curves is None and not drawn(back)
    assert not back.exports.csv.isEnabled() and back.exports.csv.toolTip() == NO_CURVES
    assert back.exports.png.isEnabled() and back.exports.svg.isEnabled()
    back.export_picture("png", str(tmp_path / "old.png"))
    assert Image.open(tmp_path / "old.png").size[0] > 0


def test_the_sweep_exports_csv_png_and_svg(explorer, qtbot, tmp_path, monkeypatch):
    sweep = explorer.sweep
    for b in (*sweep.exports.buttons, *explorer.race_buttons.buttons):
        assert not b.isEnabled() and "first: there is nothing to export" in b.toolTip() and b.text()
    sweep.export_csv(str(tmp_path / "none.csv"))
    assert sweep.message.text() == NO_SWEEP and not (tmp_path / "none.csv").exists()
    sweep_of(explorer, qtbot, iterations=25)
    assert all(b.isEnabled() and "sweep" not in b.toolTip() for b in sweep.exports.buttons)
    sweep.export_csv(str(tmp_path / "sweep.csv"))
    text = (tmp_path / "sweep.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.startswith("run,optimizer,alpha") and len(rows) == 3 * 26
    X, Y = explorer.train.X, explorer.train.Y
    for k in (0, 2):
        alpha = sweep.points[k].alpha
        mine = [r for r in rows if r["run"] == str(k + 1)]
        assert [int(r["iteration"]) for r in mine] == list(range(26)) and float(mine[0]["alpha"]) == alpha
        expected = numpy_costs(X, Y, alpha, 25)
        for i in (0, 1, 12, 25):
            assert float(mine[i]["cost"]) == pytest.approx(expected[i], rel=1e-10)

    sweep.export_picture("png", str(tmp_path / "sweep.png"))
    with Image.open(tmp_path / "sweep.png") as image:
        image.verify()
    image = Image.open(tmp_path / "sweep.png").convert("RGB")
    assert image.size == slide_size(sweep.pictures)
    assert len(image.getcolors(1 << 16)) > 20  # curves, axes, the bar: not a blank picture
    title = np.asarray(image)[:28]
    assert (title.min(axis=2) < 100).sum() > 50  # dark text on the white band above the plots
    sweep.export_picture("svg", str(tmp_path / "sweep.svg"))
    root = ET.parse(tmp_path / "sweep.svg").getroot()
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title.startswith("Sweep of α on demo/train, m = 210: 3 learning rates from 0.0001 to 0.01, 25 iterations")

    chosen = str(tmp_path / "chosen")  # the buttons ask where through the race's dialog; the suffix is added
    monkeypatch.setattr("visualizer.app.explorer.comparison_plots.QFileDialog.getSaveFileName", lambda *a: (chosen, ""))
    sweep.exports.svg.click()
    assert ET.parse(chosen + ".svg").getroot().tag.endswith("svg") and sweep.message.text() == f"Exported {chosen}.svg."


def test_the_race_view_of_screenshot_races_the_preset_to_the_end(window, monkeypatch):
    from visualizer.app.explorer.explorer import race_picture

    configs, _ = PRESETS["GD vs momentum vs Adam"]
    monkeypatch.setitem(PRESETS, "GD vs momentum vs Adam", (configs, 30))
    image = race_picture(window, (1000, 760))
    assert (image.width(), image.height()) == (1000, 760) and not image.isNull()
    assert window.explorer is None or not window.explorer.isVisible()  # drawn off the screen, then closed


def test_edge_of_stability_is_marked_and_said_to_be_of_this_point(window, qtbot):
    window.refresh(force=True)
    expected = stable_alpha(window.controller.gd)
    assert window.edge.alpha == pytest.approx(expected)
    assert window.controls.alpha.slider.edge == pytest.approx(expected)
    assert window.controls.edge_label.text() == (
        f"edge of stability 2/λmax ≈ {expected:.3g} at this point (α = 0.005 is above it: along the steepest "
        "direction "
        "here, a step lands farther across the valley than it started)")
    assert "QSlider::handle" in window.controls.alpha.slider.styleSheet()  # amber above the edge


def test_changing_alpha_leaves_a_ghost_of_the_old_path(window, qtbot):
    window.step(40)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 40, timeout=5000)
    window.controls.alpha.field.setText("0.0001")
    window.controls.alpha.field.editingFinished.emit()
    qtbot.waitUntil(lambda: window.controller.ghost is not None, timeout=3000)  # once the slider rests
    window.refresh(force=True)
    x, y = window.cost_curve.ghost.getData()
    assert x[0] == 40 and len(x) == 300 and np.all(np.isfinite(y))
    assert y[0] == pytest.approx(window.controller.gd.cost)
    window.refresh(force=True)
    view = window.surface.view
    assert view.ghost_s is not None and len(view.ghost_s) == 30
    gx, gy = window.surface.contour.ghost.getData()
    assert np.allclose(gx, view.ghost_s) and np.allclose(gy, view.ghost_t)


def test_the_results_headings_are_whole_before_the_first_race(qtbot):
    """At 100 px a column, "to target (iterations)" read "target (iteration" until a race filled the table."""
    table = ResultsTable()
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeFromContents(c).width() for c in range(table.columnCount()))


def test_the_sweeps_suggestion_wraps_instead_of_widening_the_window(qtbot, demo):
    """On one line, "Suggested: α = 0.00178, whose J fell at every step, … not diverged." made the explorer wider
    than a 1280 px screen, with Close and Export SVG… cut off at its right edge."""
    tab = SweepTab(demo[0], {})
    qtbot.addWidget(tab)
    tab.suggestion.setText("Suggested: α = 0.00178, whose J fell at every step, to 0.459, the lowest of those that "
                           "did. α = 0.0178 ended lower, at 0.404, after J rose on the way: not diverged.")
    assert tab.minimumSizeHint().width() < 900


def test_the_race_cost_axis_label_is_whole_on_a_1024_by_768_screen(qtbot):
    """"full J, + L2 term if any (train solid, test dashed)" stood longer than the plot's 320 px: both ends cut."""
    plots = RacePlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 320)  # the race's plots in the explorer on a 1024 x 768 screen
    plots.show()
    qtbot.waitExposed(plots)
    axis = plots.curves.getAxis("left")
    assert axis.label.boundingRect().width() <= axis.geometry().height()


def test_tab_stops_only_at_what_shows_the_focus(qtbot, demo):
    """Tab stopped on the race tab's scroll area and on each plot, where the focus showed nowhere."""
    ex = ExplorerWindow(*demo, {})
    qtbot.addWidget(ex)
    stops = [w for w in ex.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
             and isinstance(w, (QScrollArea, pg.GraphicsView)) and not isinstance(w, QAbstractItemView)]
    assert stops == []
