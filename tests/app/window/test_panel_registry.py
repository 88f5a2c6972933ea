"""The window's panels come from one list (visualizer/model/panels.py): its docks, menus, layouts and pictures."""

from PySide6.QtWidgets import QDockWidget

from visualizer.app.common.accessibility import plain
from visualizer.app.export.animation_dialog import AnimationDialog
from visualizer.app.export.screenshot import grab_view
from visualizer.app.window.panel_widgets import MAKERS
from visualizer.app.window.rendering import DRAWN_HERE
from visualizer.model.panels import ANIMATED_VIEWS, LESSON_PANELS, LESSONS, MAIN_PANELS, PANELS, SCREENSHOT_VIEWS


def test_every_panel_of_the_list_has_a_widget_and_no_other():
    assert list(MAKERS) == [p.key for p in PANELS]


def test_the_window_makes_a_dock_or_a_lesson_tab_for_each_panel_with_its_title(window):
    assert not any(k in window.panels for k in LESSON_PANELS)  # a lesson's panel is made when first asked for
    for p in PANELS:
        panel = window.panels[p.key]
        if p.docked or p.area == LESSONS:
            assert window.docks[p.key].windowTitle() == p.title and window.docks[p.key].widget() is not None
        if p.area == LESSONS:
            assert window.docks[p.key].widget() is panel is window.lesson(p.key)
        assert p.key in DRAWN_HERE or callable(getattr(panel, "draw", None)), p.key
    assert {k for k, d in window.docks.items() if d.parent() is window and isinstance(d, QDockWidget)} == {
        *MAIN_PANELS, "instructions"}
    behind = [p for p in PANELS if p.behind]
    assert behind and all(window.docks[p.key] in window.tabifiedDockWidgets(window.docks[p.behind])
                          and window.docks[p.key].visibleRegion().isEmpty() for p in behind)


def test_the_lessons_menu_and_the_view_menu_list_the_panels(window):
    menus = {plain(m.title()): m for m in (a.menu() for a in window.menuBar().actions()) if m is not None}
    lessons = [plain(a.text()) for a in menus["Lessons"].actions() if not a.isSeparator()]
    assert lessons[: len(LESSON_PANELS)] == [p.short for p in PANELS if p.area == LESSONS]
    shown = [plain(a.text()) for a in menus["View"].actions()]
    assert all(window.docks[k].windowTitle() in shown for k in MAIN_PANELS + LESSON_PANELS)


def test_the_compact_layout_tabs_each_column_under_short_titles(window):
    window.compact_layout()
    for p in PANELS:
        if p.docked:
            assert window.docks[p.key].windowTitle() == p.short
    left = [k for k in MAIN_PANELS if window.dockWidgetArea(window.docks[k]) == window.dockWidgetArea(
        window.docks["controls"])]
    assert set(left) == {p.key for p in PANELS if p.area == "left"}
    right = {window.docks["cost"], *window.tabifiedDockWidgets(window.docks["cost"])}
    assert right == {window.docks[p.key] for p in PANELS if p.area in ("right", "bottom")}


def test_every_view_of_a_panel_is_grabbed_and_the_animation_dialog_offers_the_animated_ones(window, qtbot):
    for key in LESSON_PANELS:
        window.open_lesson(key)
    for view in SCREENSHOT_VIEWS:
        if view.key != "race":
            image = grab_view(window, view.key)
            assert not image.isNull() and image.width() > 50, view.key
    dialog = AnimationDialog(window)
    assert [dialog.view.itemData(i) for i in range(dialog.view.count())] == [v.key for v in ANIMATED_VIEWS]
    assert [dialog.view.itemText(i) for i in range(dialog.view.count())] == [v.title for v in ANIMATED_VIEWS]
    dialog.close()


def test_a_view_behind_a_tab_is_brought_to_the_front_and_drawn_before_it_is_grabbed(window):
    """`screenshot --view evaluation` gave an empty matrix: the panel sits behind the cost tab, and a panel behind a
    tab is not drawn until it shows."""
    window.docks["cost"].raise_()
    window.refresh(force=True)
    assert window.docks["evaluation"].visibleRegion().isEmpty()
    grab_view(window, "evaluation")
    assert not window.docks["evaluation"].visibleRegion().isEmpty()
    assert window.panels["evaluation"].boxes["train"].scores.text()  # precision, recall, F1 drawn
