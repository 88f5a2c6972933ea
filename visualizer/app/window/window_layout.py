"""Where the window and its docks go: remembered layout, the default one, and fitting the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QTabBar, QWidget

from visualizer.app.common.fitting import fit_window
from visualizer.app.window import preferences, theme
from visualizer.model.panels import BOTTOM, BY_KEY, LEFT, MAIN_PANELS, RIGHT

#: The compact layout's two columns of tabs: the left area's panels, and the right's with the bottom's.
COMPACT_COLUMNS = ((LEFT,), (RIGHT, BOTTOM))
#: Where Tab goes first: the left docks, the centre (rank 2), the right docks, the bottom ones, then floating ones.
TAB_RANKS = {Qt.DockWidgetArea.LeftDockWidgetArea: 0, Qt.DockWidgetArea.TopDockWidgetArea: 1,
             Qt.DockWidgetArea.RightDockWidgetArea: 3, Qt.DockWidgetArea.BottomDockWidgetArea: 4}


class WindowLayout:
    """Mixed into MainWindow."""

    def _init_theme(self) -> None:
        self.theme_choice = preferences.theme() if self.remember_layout else "system"
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.set_theme(self.theme_choice)

    def set_theme(self, choice: str) -> None:
        """'system', 'light' or 'dark': the whole app, plots included, at once."""
        self.theme_choice = choice
        self.theme = theme.resolve(choice)
        theme.apply(self.theme, [self, self.lessons_window, *([self.explorer] if self.explorer else [])])
        for action in getattr(self, "theme_actions", {}).values():
            action.setChecked(action.data() == choice)
        if self.remember_layout:
            preferences.remember_theme(choice)

    def dress(self, panel) -> None:
        """A panel made after the window (a lesson, on first opening) in its theme and text size."""
        theme.apply(self.theme, [panel])
        if hasattr(panel, "set_theme"):  # apply() themes what is under a root, not the root
            panel.set_theme(*theme.PLOT[self.theme])
        if getattr(self, "presentation", False):
            theme.scale_text(theme.PRESENTATION, [panel])

    def set_presentation(self, on: bool) -> None:
        """For a projector or a screen share: text 1.6 times larger, thicker lines, full screen.

        The docks become tabs when the larger text needs more room than the screen has; leaving gives back
        the window's own place, size and docks (the larger text had widened it past a 1024 px screen)."""
        if on == getattr(self, "presentation", False):
            return
        self.presentation = on
        if on:
            fronts = [d for d in self.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()]
            self._before_presentation = (self.saveGeometry(), self.saveState(), self._compact, fronts)
        theme.scale_text(theme.PRESENTATION if on else 1.0,
                         [self, self.lessons_window, *([self.explorer] if self.explorer else [])])
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # measured below at the new text's size
        self.presentation_action.setChecked(on)
        if on:
            self._fit_presentation()
            self.showFullScreen()
            QTimer.singleShot(0, self, self.room_in_front)  # once full screen has laid the docks out
        else:
            self.showNormal()
            geometry = self._before_presentation[0]
            self.restoreGeometry(geometry)
            self._give_back_docks()
            self.fit_to_screen()
            QTimer.singleShot(0, self, self._give_back_docks)  # again at the size the platform gave back
        for window in (self.lessons_window, self.explorer):
            if window is not None and window.isVisible():
                fit_window(window, window.size())
        self.refresh(force=True)

    def _give_back_docks(self) -> None:
        """The docks as they were before presentation mode, each at its size (the larger text had widened the
        Controls from 360 to 413 px and narrowed the Examples by a card), the tabs in front that were."""
        if self.presentation:
            return
        _, state, compact, fronts = self._before_presentation
        changed = self._compact != compact or self._stacked
        self.restoreState(state)
        for dock in fronts:  # restoreState put Evaluation in front of the cost curve
            dock.raise_()
        if not changed:
            return
        self._compact, self._stacked = compact, False
        for key in MAIN_PANELS:
            self.docks[key].setWindowTitle(BY_KEY[key].short if compact else BY_KEY[key].title)
        titles = {dock.windowTitle() for dock in self.docks.values()}
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if any(bar.tabText(i) not in titles for i in range(bar.count())):
                bar.hide()  # a tab bar of the presentation's layout, which restoreState left on top

    def _fit_presentation(self) -> bool:
        """Tabs, then the two columns of tabs one above the other, instead of a window larger than the screen
        (the larger text made it 1141 px wide, tabbed, on a 1024 x 768 screen). True when it changed the layout."""
        screen = (self.screen() or QApplication.primaryScreen()).geometry()
        hint = self.minimumSizeHint()
        if hint.width() <= screen.width() and hint.height() <= screen.height():
            return False
        if not self._compact:
            self.compact_layout()
        elif hint.width() > screen.width() and not self._stacked:
            self.stack_columns()
        else:
            return False
        QTimer.singleShot(0, self, self._refit_presentation)  # the tabs' smaller minimum counts once laid out
        return True

    def room_in_front(self) -> None:
        """In presentation mode the Examples dock as tall as a row of cards with their captions (at 1280 x 800 it
        stayed 160 px, its captions below the fold), and the Evaluation dock as large as all of it (its matrices,
        buttons and ROC scrolled out of sight): taken from their neighbours, given back on leaving."""
        if not self.presentation:
            return
        for key, lack in (("gallery", lambda: (0, self.gallery.row_shortfall())),
                          ("evaluation", self.panels["evaluation"].shortfall)):
            dock = self.docks[key]
            if dock.isFloating() or dock.visibleRegion().isEmpty():
                continue
            for _ in range(3):  # its text wraps again at its new width: measured again, laid out
                wide, tall = lack()
                if not (wide or tall):
                    break
                self._give_room(dock, wide, tall)
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _give_room(self, dock, wide: int, tall: int) -> None:
        """``dock`` wider and taller by so many pixels; the height from the tallest dock in sight in its column
        (asked alone, Qt gave the Evaluation 26 px of the 99 it lacked)."""
        if wide:
            self.resizeDocks([dock], [dock.width() + wide], Qt.Orientation.Horizontal)
        if tall:
            area = self.dockWidgetArea(dock)
            column = [d for d in self.docks.values() if d is not dock and not d.isFloating()
                      and self.dockWidgetArea(d) == area and not d.visibleRegion().isEmpty()]
            giver = max(column, key=lambda d: d.height(), default=None)
            docks, sizes = [dock], [dock.height() + tall]
            if giver is not None:
                docks, sizes = docks + [giver], sizes + [giver.height() - tall]
            self.resizeDocks(docks, sizes, Qt.Orientation.Vertical)

    def _refit_presentation(self) -> None:
        if self.presentation and not self._fit_presentation():  # no larger than the screen, now that it can be
            screen = (self.screen() or QApplication.primaryScreen()).geometry()
            self.resize(self.size().boundedTo(screen.size()))

    def _system_scheme_changed(self, _scheme) -> None:
        if self.theme_choice == "system":
            self.set_theme("system")

    def _restore_layout(self) -> None:
        self._first_layout = self.saveState()  # where a new window puts the docks: View > Reset layout
        state, geometry = preferences.window_state() if self.remember_layout else (None, None)
        if self.remember_layout:
            last = preferences.remembered_settings()
            self.state.restore_settings(self.state.settings.with_changes(
                "the remembered settings", **{key: getattr(last, key) for key in preferences.REMEMBERED}))
        self._restored_geometry = False
        self._compact = self._stacked = False
        if state is None or not self.restoreState(state):
            self._laid_out = False
            return
        self._laid_out = True
        if geometry is not None:
            self._restored_geometry = self.restoreGeometry(geometry)

    def fit_to_screen(self) -> None:
        """Open within the screen's available area (1280 x 800 where it fits), at any size or scale factor.

        Done again once the event loop has run: a window shown just now reports its true minimum (and,
        once its docks are tabbed, the smaller one) only after its layout has been processed."""
        if not self._fit():
            QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> bool:
        """Size and place the window; True when it tabbed the docks and asked to be run again."""
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        hint = self.minimumSizeHint()
        compacted = (hint.width() > screen.width() or hint.height() > screen.height()) and not self._compact
        if compacted:
            self.compact_layout()
            QTimer.singleShot(0, self, self._fit)  # with the tabs' smaller minimum, once it counts
        if not self._restored_geometry:
            self.resize(min(1280, screen.width()), min(800, screen.height()))
        frame = self.frameGeometry()
        frame.setSize(frame.size().boundedTo(screen.size()))
        self.resize(self.size().boundedTo(screen.size()))
        if not screen.contains(frame):
            frame.moveCenter(screen.center())
            self.move(frame.topLeft())
        return compacted

    def bring_focus_into_view(self, _old, new) -> None:
        """Tab into a panel that is a hidden tab raises it: keyboard focus never goes out of sight."""
        if new is None or not self.isAncestorOf(new):
            return
        for dock in self.docks.values():
            if dock.isAncestorOf(new) and dock.visibleRegion().isEmpty() and self.tabifiedDockWidgets(dock):
                dock.raise_()

    def order_tabs(self) -> None:
        """Tab goes through the window as it reads: the left docks, the centre top to bottom, the right docks, the
        bottom ones, each dock's own controls in their order (Slice, at the top of the centre, came last: the
        centre had joined the window's chain before the docks it comes after)."""
        central = self.centralWidget()
        rows = [central.layout().itemAt(i).widget() for i in range(central.layout().count())]

        def place(widget: QWidget) -> tuple:
            if central.isAncestorOf(widget):
                return 2, next((k for k, row in enumerate(rows) if row is widget or row.isAncestorOf(widget)), 0), 0, 0
            for k, dock in enumerate(self.docks.values()):  # the panels' own order within a group of tabs
                if dock.isAncestorOf(widget):
                    rank = 5 if dock.isFloating() else TAB_RANKS.get(self.dockWidgetArea(dock), 5)
                    group = [dock, *self.tabifiedDockWidgets(dock)]  # a tab behind is moved out of the window
                    front = next((d for d in group if d.isVisible() and self.rect().intersects(d.geometry())), dock)
                    return rank, front.y(), front.x(), k
            return 6, 0, 0, 0  # the docks' tab bars, and what the lessons window holds

        # the window's own widgets in the order they were made (walking nextInFocusChain kept a closed window alive)
        chain = [w for w in self.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.window() is self]
        stops = sorted(chain, key=place)  # stable: each panel keeps its own order
        if stops != chain:
            for first, second in zip(stops, stops[1:], strict=False):
                QWidget.setTabOrder(first, second)

    def compact_layout(self) -> None:
        """Less room than the full layout needs: the lower-priority panels become tabs instead of overflowing."""
        self._compact = True
        d = self.docks
        for key in MAIN_PANELS:  # a tab of a narrow column shows a few words only
            d[key].setWindowTitle(BY_KEY[key].short)
        for areas in COMPACT_COLUMNS:
            first, *rest = (key for key in MAIN_PANELS if BY_KEY[key].area in areas)
            for key in rest:
                if BY_KEY[key].area != BY_KEY[first].area:
                    self.addDockWidget(self.dockWidgetArea(d[first]), d[key])
                self.tabifyDockWidget(d[first], d[key])
            d[first].raise_()

    def reset_layout(self) -> None:
        """View > Reset layout: the docks where a new window puts them, at their first sizes, tabbed if the screen
        is small; an open lesson keeps its Instructions."""
        self.restoreState(self._first_layout)
        for key in MAIN_PANELS:
            self.docks[key].setWindowTitle(BY_KEY[key].title)
        self._compact = False
        self._default_layout()
        if getattr(self, "lesson_file", None) is not None:
            self.docks["instructions"].show()
        self.fit_to_screen()

    def stack_columns(self) -> None:
        """Narrower than the compact layout: the right column's tabs go below the left's, beside the surface."""
        self._stacked = True
        d = self.docks
        left, right = ([key for key in MAIN_PANELS if BY_KEY[key].area in areas] for areas in COMPACT_COLUMNS)
        for key in left + right:  # one below the other (a split beside a tab would only add a tab)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d[key], Qt.Orientation.Vertical)
        for group in (left, right):
            for key in group[1:]:
                self.tabifyDockWidget(d[group[0]], d[key])
        d[left[0]].raise_()
        d[right[0]].raise_()

    def _default_layout(self) -> None:
        d = self.docks
        self.resizeDocks([d["controls"], d["cost"]], [360, 420], Qt.Orientation.Horizontal)
        self.resizeDocks([d["controls"], d["weights"]], [480, 160], Qt.Orientation.Vertical)
        # the cost panel's three plots readable where the column has the room (at 1024 x 768 it showed the cost alone)
        cost = max(300, self.cost_curve.readable_height() + d["cost"].height() - d["cost"].widget().height())
        self.resizeDocks([d["cost"], d["sigmoid"]], [cost, 230], Qt.Orientation.Vertical)
        self.resizeDocks([d["gallery"]], [180], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._laid_out:  # docks only take sizes once the window has its own
            self._laid_out = True
            self._default_layout()
        QTimer.singleShot(0, self, self.order_tabs)  # by where the docks are, now that they are laid out
