"""Every control can be found by its visible label, as screen readers and UI automation find it."""

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QScrollBar,
    QTabBar,
    QTableView,
    QWidget,
)

from visualizer.app.common.mnemonics import mnemonic
from visualizer.model.panels import LESSON_PANELS

INPUTS = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QListView, QTableView, QTabBar)


def labels(widget: QWidget) -> list[str]:
    """What assistive technology can call it: its labels (the 'label for' relation), its own name.

    A combo box's accessible name is its current item, not a label, so it counts only when set on purpose.
    """
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None:
        return []
    found = [r.text(QAccessible.Text.Name) for r, kind in iface.relations() if kind & QAccessible.RelationFlag.Label]
    own = widget.accessibleName() if isinstance(widget, QComboBox) else iface.text(QAccessible.Text.Name)
    return [t.replace("&", "").strip() for t in [*found, own] if t and t.strip()]


@pytest.fixture
def window(shared_window):
    """These tests only read the window (the explorer and the lessons they open, they close): one for all."""
    return shared_window


def unnamed_inputs(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or isinstance(widget, QScrollBar) or not widget.isVisibleTo(root):
            continue
        if type(widget).__module__.startswith("pyqtgraph"):
            continue  # pyqtgraph's own plot-menu internals
        if isinstance(widget.parent(), QAbstractSpinBox) or (
                isinstance(widget, QAbstractButton) and isinstance(widget.parent(), QTableView)):
            continue  # a spin box's own line edit, a table's corner button
        if not labels(widget):
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}: {widget.toolTip()[:50]!r}")
    return missing


def test_every_input_of_the_main_window_has_a_name(window):
    assert unnamed_inputs(window) == []


@pytest.mark.parametrize("label, kind", [
    ("Learning rate α", QAbstractSlider), ("Loss", QComboBox), ("Initialization", QComboBox),
    ("Seed", QAbstractSpinBox), ("Iterations", QAbstractSpinBox), ("Speed", QComboBox), ("Slice", QComboBox),
])
def test_controls_are_found_by_their_visible_labels(window, label, kind):
    found = [w for w in window.findChildren(kind) if w.isVisibleTo(window) and label in labels(w)]
    assert len(found) == 1, f"{label}: {[labels(w) for w in window.findChildren(kind)]}"


def test_every_input_of_the_explorer_has_a_name(window, qtbot):
    window.open_explorer()
    qtbot.waitExposed(window.explorer)
    assert unnamed_inputs(window.explorer) == []
    window.explorer.close()


def test_every_input_of_the_lessons_has_a_name(window, qtbot):
    for key in LESSON_PANELS:
        window.open_lesson(key)
    try:
        assert unnamed_inputs(window) == [] and all(unnamed_inputs(window.docks[k]) == [] for k in LESSON_PANELS)
    finally:
        window.lessons_window.close()


def test_classes_and_runs_differ_by_more_than_colour(window, qtbot):
    """In a deuteranopia simulation the old right/wrong borders both turned olive; runs 0.001 and 0.0001 merged."""
    neg, pos = window.sigmoid.dots
    assert neg.opts["symbol"] != pos.opts["symbol"]
    from visualizer.core.analysis.race import RaceConfig

    window.open_explorer()
    ex = window.explorer
    ex.config_table.set_configs([RaceConfig(alpha=a) for a in (0.01, 0.005, 0.001, 0.0001)])
    ex.iterations.setValue(5)
    ex.run_race()
    qtbot.waitUntil(lambda: ex.results.rowCount() == 4, timeout=10000)
    styles = [(pen.color().name(), tuple(pen.dashPattern())) for pen in (i[0].opts["pen"] for i in ex.plots.items)]
    assert len({dash for _, dash in styles}) == 4 and len({c for c, _ in styles}) == 4
    ex.close()


def test_gallery_marks_right_and_wrong_with_a_sign(window, qtbot):
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    view = window.gallery.lists["train"]
    delegate, index = view.itemDelegate(), view.model().index(0)
    texts = []

    class Recorder(QPainter):
        def drawText(self, *args):
            texts.append(args[-1])
            super().drawText(*args)

    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(index)
    delegate.paint(painter, option, index)
    painter.end()
    assert any(t in ("✓", "✗") for t in texts)


def test_every_menu_and_item_has_a_mnemonic_of_its_own(window):
    """Alt+F, then a letter: the menus had mnemonics, few of their items did (the Run menu's K was twice)."""
    missing = []
    for top in window.menuBar().actions():
        for menu in [top.menu(), *top.menu().findChildren(QMenu)]:
            menu.aboutToShow.emit()  # the menus filled as they open (recent files, kept curves)
            keys = [(a.text(), mnemonic(a.text())) for a in menu.actions() if not a.isSeparator()]
            missing += [(menu.title(), text) for text, key in keys if key is None]
            used = [key for _, key in keys if key]
            missing += [(menu.title(), f"{key} twice") for key in set(used) if used.count(key) > 1]
    assert missing == []


def test_the_menus_mnemonics_are_no_control_s_mnemonic_or_shortcut(window):
    """Alt+R was both the Run menu and Reset, Alt+L the Lessons menu and Loss: one key, two meanings."""
    menus = [mnemonic(a.text()) for a in window.menuBar().actions()]
    assert None not in menus and len(set(menus)) == len(menus)
    controls = {mnemonic(w.text()): w.text() for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel)
                if mnemonic(w.text() or "") and w.window() is window}  # Compare runs is a window of its own
    assert {key: controls[key] for key in menus if key in controls} == {}
    alt = {s.toString().lower() for a in window.actions() for s in a.shortcuts()}
    assert [key for key in menus if f"alt+{key}" in alt] == []


def test_every_control_s_mnemonic_is_its_own(window):
    """Alt+M was both "Show &me" and "&Model" (Qt then cycles between them and activates neither): each key of the
    window's buttons, check boxes and labels (a label's key focuses its control) means one control."""
    texts = [w.text() for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel)
             if w.window() is window and mnemonic(w.text() or "")]
    keys = [mnemonic(text) for text in texts]
    assert {key: [t for t in texts if mnemonic(t) == key] for key in keys if keys.count(key) > 1} == {}
