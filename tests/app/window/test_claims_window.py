"""The window's words against its runs: Show me, the gallery's losses, Save as lesson's expectations."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QStyleOptionViewItem

from visualizer.app.lessons.expectation_dialog import ExpectationDialog
from visualizer.app.panels.gallery import loss_text
from visualizer.core.analysis.verdicts import run_verdict
from visualizer.formats.lesson_files import load_lesson, load_lesson_data
from visualizer.model.lesson_check import check
from visualizer.model.run_setup import new_run


def offered(window, qtbot, name: str) -> str:
    window.choose_preset(name)
    qtbot.waitUntil(lambda: not window.preset_search.busy and "here" in window.notice.label.text()
                    and "Running" not in window.notice.label.text(), timeout=120000)
    return window.notice.label.text()


def test_show_me_offers_an_alpha_whose_own_run_does_what_the_label_says(window, qtbot):
    """"oscillating" and "diverging" were 0.85 and 3 times 2/λmax: J fell at every step, and ended lowest of all."""
    text = offered(window, qtbot, "unstable, then converges")
    alpha = window.controller.gd.alpha
    c = window.controller
    gd = new_run(c.train, c.test, c.settings, edge=False)
    gd.step(2000)
    verdict = run_verdict(gd)
    assert verdict.kind == "unstable" and gd.alpha == alpha
    assert text.startswith(f"α = {alpha:g}: unstable, then converges here. Run from the start for 2000 iterations: "
                           f"unstable at first: J rose from 0.693 to {verdict.peak:.3g} at iteration {verdict.peak_at}")
    text = offered(window, qtbot, "good")  # the search is kept: no second run of the candidates
    gd = new_run(c.train, c.test, c.settings, edge=False)
    gd.step(2000)
    assert run_verdict(gd).kind == "falls" and f"α = {gd.alpha:g}: good here" in text


def test_show_me_says_why_no_alpha_diverges_on_separable_data(window, qtbot):
    before = window.controller.gd.alpha
    text = offered(window, qtbot, "diverging")
    assert window.controller.gd.alpha == before
    assert text.startswith("No α is diverging here. No α from 1e-05 to 10 ends above its start in 2000 iterations")
    assert "reached 100 % training accuracy, so a plane separates the two classes" in text


def test_the_gallery_cards_show_each_examples_loss(window, qtbot, monkeypatch):
    """Lesson 02 asks for the largest loss; the cards showed only ŷ and y."""
    window.step(200)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 200, timeout=5000)
    window.refresh(force=True)
    view, model = window.gallery.lists["train"], window.gallery.models["train"]
    texts = []
    original = QPainter.drawText
    monkeypatch.setattr(QPainter, "drawText", lambda self, *a: (texts.append(a[-1]), original(self, *a))[1])
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 74, 108)
    view.itemDelegate().paint(painter, option, model.index(0, 0))
    painter.end()
    i = model.index(0, 0).data(Qt.ItemDataRole.UserRole)
    assert f"L {loss_text(float(model.loss[i]))}" in texts and model.loss[i] > 0


def test_save_as_lesson_writes_the_ticked_expectations_and_they_hold(window, qtbot, tmp_path, monkeypatch):
    window.step(1000)  # the course's α = 0.005, above the edge at w = 0
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 1000, timeout=9000)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "mine.toml"), ""))
    shown = []

    def tick_all(dialog):
        shown.append([box.text() for box in dialog.boxes])
        for box in dialog.boxes:
            box.setChecked(True)
        return ExpectationDialog.DialogCode.Accepted

    monkeypatch.setattr(ExpectationDialog, "exec", tick_all)
    assert window.save_lesson_file()
    lesson = load_lesson(tmp_path / "mine.toml")
    assert [e.text for e in lesson.expect] == shown[0] and "J in 0..1000 is unstable at first" in shown[0]
    results = check(lesson.expect, *load_lesson_data(lesson), lesson.settings)
    assert all(r.holds for r in results), [r.line() for r in results if not r.holds]
    monkeypatch.setattr(ExpectationDialog, "exec", lambda dialog: ExpectationDialog.DialogCode.Rejected)
    (tmp_path / "mine.toml").unlink()
    assert not window.save_lesson_file() and not (tmp_path / "mine.toml").exists()  # Cancel writes nothing


def test_no_facts_are_offered_for_a_run_whose_alpha_changed(window, qtbot):
    window.step(20)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 20, timeout=5000)
    window.set_alpha(0.001)
    window.step(20)
    qtbot.waitUntil(lambda: not window.controller.running and window.controller.gd.iteration == 40, timeout=5000)
    from visualizer.model.lesson_facts import facts, why_no_facts

    assert facts(window.controller.gd) == [] and "α or the optimizer changed" in why_no_facts(window.controller.gd)
    dialog = ExpectationDialog(["J at 10 < J at 0"], [], why_no_facts(window.controller.gd), window)
    assert dialog.ticked() == ["J at 10 < J at 0"] and np.all([b.isChecked() for b in dialog.boxes])


def test_the_sweep_says_when_an_alpha_ended_lower_after_rising():
    from visualizer.app.explorer.sweep_tab import suggestion_text
    from visualizer.core.analysis.stability import SweepPoint

    points = [SweepPoint(0.001, 0.3236, False, True), SweepPoint(0.1, 0.000744, False, False),
              SweepPoint(5.0, 0.9, True, False)]
    assert suggestion_text(points) == ("Suggested: α = 0.001, whose J fell at every step, to 0.324, the lowest of "
                                       "those that did. α = 0.1 ended lower, at 0.000744, after J rose on the way: "
                                       "not diverged.")
