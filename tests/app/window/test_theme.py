"""Both themes read: every label and plot text meets WCAG 2.1 AA contrast (4.5:1) on its background."""

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from visualizer.app.panels.notice import STYLES


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.1 contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_every_text_meets_aa_contrast(window, qtbot, choice):
    window.step(50)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=5000)
    window.set_theme(choice)
    window.refresh(force=True)
    low = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text():
            continue
        fg = label.palette().color(QPalette.ColorRole.WindowText)
        bg = label.palette().color(QPalette.ColorRole.Window)
        if contrast(fg, bg) < 4.5:
            low.append((label.text()[:30], fg.name(), bg.name(), round(contrast(fg, bg), 2)))
    for view in window.findChildren(pg.GraphicsView):
        bg = view.backgroundBrush().color()
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem) and item.isVisible():
                ratio = contrast(item.textPen().color(), bg)
                if ratio < 4.5:
                    low.append(("axis", item.textPen().color().name(), bg.name(), round(ratio, 2)))
            elif isinstance(item, pg.TextItem) and item.toPlainText().strip():  # the image lesson's "R", "G", "B"
                ratio = contrast(item.color, bg)
                if ratio < 4.5:
                    low.append((item.toPlainText()[:30], item.color.name(), bg.name(), round(ratio, 2)))
    assert low == []
    assert window.theme == choice and window.theme_actions[choice].isChecked()


def test_notices_and_marks_meet_aa_contrast():
    import re

    for style in STYLES.values():
        bg, fg = re.search(r"background:(#\w+)", style)[1], re.search(r"color:(#\w+)", style)[1]
        assert contrast(QColor(fg), QColor(bg)) >= 4.5
    from visualizer.app.panels.gallery import RIGHT, WRONG

    for mark in (RIGHT, WRONG):  # the white tick or cross on its badge
        assert contrast(QColor("white"), mark) >= 3.0  # large graphical mark: WCAG's 3:1 for non-text


@pytest.mark.parametrize("first", ["light", "dark"])
def test_every_race_curve_reads_on_either_plot(qtbot, first):
    """The race's seventh run was drawn black on the dark plot (1.3:1), its eighth yellow on the light one (1.3:1)."""
    from visualizer.app.explorer.comparison_plots import PALETTE, RacePlots
    from visualizer.app.window import theme

    explorer = QWidget()  # as in Compare runs: the theme reaches the plots under the window
    plots = RacePlots(explorer)
    qtbot.addWidget(explorer)
    second = "dark" if first == "light" else "light"
    theme.apply(first, [explorer])
    for k in range(len(PALETTE) // 2):
        plots.add_run(f"run {k}")
    theme.apply(second, [explorer])
    try:
        for k in range(len(PALETTE) // 2, len(PALETTE)):  # runs added after the switch, and runs drawn before
            plots.add_run(f"run {k}")
        background = plots.curves.backgroundBrush().color()
        low = [(k, item.opts["pen"].color().name()) for k, pair in enumerate(plots.items) for item in pair
               if contrast(item.opts["pen"].color(), background) < 3.0]  # WCAG's 3:1 for graphical marks
        assert low == []
        assert len({pair[0].opts["pen"].color().name() for pair in plots.items}) == len(PALETTE)  # all distinct
    finally:
        theme.apply("light", [explorer])


def test_presentation_mode_enlarges_every_text_and_back(window, qtbot):
    from PySide6.QtWidgets import QApplication

    base = QApplication.font().pointSizeF()
    axis = window.cost_curve.plot.getAxis("left")
    window.presentation_action.trigger()
    assert window.presentation and QApplication.font().pointSizeF() >= 1.6 * base - 0.01
    assert window.status.font().pointSizeF() >= 1.6 * base - 0.01
    assert axis.style["tickFont"].pointSizeF() >= 1.6 * base - 0.01
    assert window.cost_curve.train_curve.opts["pen"].widthF() >= 1.6
    window.presentation_action.trigger()
    assert not window.presentation and abs(QApplication.font().pointSizeF() - base) < 0.01
    assert window.cost_curve.train_curve.opts["pen"].widthF() == pytest.approx(1.0)


def test_switching_back_to_light_restores_dark_text(window, qtbot):
    window.set_theme("dark")
    window.set_theme("light")
    note = window.surface.note
    note.setText("x")
    image = note.grab().toImage()
    darkest = min(QColor(image.pixel(x, y)).lightness() for x in range(image.width()) for y in range(image.height()))
    assert darkest < 100  # the note's text is drawn dark again, not in the dark theme's light grey


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_a_disabled_check_box_looks_disabled(window, qtbot, choice):
    window.set_theme(choice)
    qtbot.wait(10)  # the new palette reaches each widget through an event
    box = window.surface.this_batch  # off for batch gradient descent
    assert not box.isEnabled()
    palette = box.palette()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    enabled = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    assert contrast(disabled, background) < contrast(enabled, background) / 1.5


def test_marks_drawn_in_black_follow_the_dark_theme(window):
    """The mini-batch lesson's full-gradient arrow, the bowl's J(w) and the σ(z) plot's selection ring were black or
    dark grey on the dark plot."""
    window.set_theme("dark")
    lesson, bowl = window.lesson("mini-batches"), window.lesson("bowl")
    marks = [(lesson.view, lesson.full_line.opts["pen"].color()),
             (lesson.view, lesson.full_tip.opts["brush"].color()),
             (bowl.view, bowl.cut_curve.opts["pen"].color()),  # J(w) at fixed b: #333 on the dark plot
             (window.sigmoid.plot, window.sigmoid.selected.opts["pen"].color())]
    try:
        for view, colour in marks:
            assert contrast(colour, view.backgroundBrush().color()) >= 3.0  # WCAG's 3:1 for graphical marks
    finally:
        window.set_theme("light")


def test_a_lesson_first_opened_in_dark_presentation_mode_is_dark_and_large(window, qtbot):
    """A lesson's panel is made when first opened: it takes the theme and the text size chosen before."""
    from PySide6.QtWidgets import QApplication

    from visualizer.app.window.theme import PLOT

    base = QApplication.font().pointSizeF()
    window.set_theme("dark")
    window.presentation_action.trigger()
    try:
        window.open_lesson("convexity")
        views = window.lesson("convexity").findChildren(pg.GraphicsView)
        axes = [i for v in views for i in v.scene().items() if isinstance(i, pg.AxisItem) and i.isVisible()]
        assert views and axes
        assert all(v.backgroundBrush().color().name() == PLOT["dark"][0] for v in views)
        assert all(a.textPen().color().name() == PLOT["dark"][1] for a in axes)
        assert all(a.style["tickFont"].pointSizeF() >= 1.6 * base - 0.01 for a in axes)
    finally:
        window.presentation_action.trigger()


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_a_check_box_frame_reaches_3_to_1_on_the_box_and_the_panel(qtbot, choice):
    """In the dark theme "log scale", "old α's ghost" and "mistakes only" were blanks: Fusion drew the frame 1.1:1
    on the box. Measured on the pixels drawn: the frame's column against the panel left of it and the box inside."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    from visualizer.app.window import theme

    theme.apply(choice, [])
    try:
        box = QCheckBox("log scale")
        qtbot.addWidget(box)
        box.resize(box.sizeHint())
        option = QStyleOptionButton()
        box.initStyleOption(option)
        rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = box.grab().toImage()
        y = rect.center().y()
        frame = image.pixelColor(rect.left(), y)
        inside, panel = image.pixelColor(rect.left() + 3, y), box.palette().color(QPalette.ColorRole.Window)
        assert rect.left() == 0 or image.pixelColor(rect.left() - 1, y) == panel
        assert contrast(frame, inside) >= 3.0 and contrast(frame, panel) >= 3.0
    finally:
        theme.apply("light", [])
