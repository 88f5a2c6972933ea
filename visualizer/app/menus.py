"""The window's menus and keyboard shortcuts, built once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def build_menus(window) -> None:
    def action(menu, text, shortcut, slot, tip=""):
        a = QAction(text, window)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        window.addAction(a)
        return a

    file = window.menuBar().addMenu("&File")
    action(file, "Open image &folder…", "Ctrl+O", window.open_folder,
           "A folder with one subfolder per class (cat/, non-cat/), or files named cat.1.jpg, dog.2.jpg…")
    action(file, "Open course .&h5 file…", "Ctrl+Shift+O", window.open_h5, "The course's train_catvnoncat.h5")
    action(file, "Open &session…", None, window.open_session, "A session saved with Save session…")
    window.recent_menu = file.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(window._fill_recent)
    file.addSeparator()
    action(file, "&Classify images…", "Ctrl+K", window.classify_files, "Pick photos for the model to judge")
    file.addSeparator()
    action(file, "Save &model…", "Ctrl+S", window.save_model, "w, b and how images are prepared, for "
           "`visualizer predict`")
    action(file, "Save s&ession…", "Ctrl+Shift+S", window.save_session, "Data, edits, settings and the whole run")
    export = file.addMenu("&Export")
    action(export, "Cost curve as PNG…", None, lambda: window.export_cost_plot("png"))
    action(export, "Cost curve as SVG…", None, lambda: window.export_cost_plot("svg"))
    action(export, "Cost history as CSV…", None, window.export_cost_csv)
    action(export, "Surface as PNG…", None, window.export_surface)
    action(export, "Predictions as CSV…", None, window.export_predictions)
    action(file, "Show the last load &report", None, window.show_report)
    file.addSeparator()
    action(file, "&Quit", QKeySequence.StandardKey.Quit, window.close)
    edit = window.menuBar().addMenu("&Edit")
    undo = window.undo.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
    for a in (undo, redo):
        edit.addAction(a)
        window.addAction(a)
    action(edit, "&Paste image", QKeySequence.StandardKey.Paste, window.paste,
           "Classify the image on the clipboard")
    run = window.menuBar().addMenu("&Run")
    window.train_action = action(run, "Train / Pause", Qt.Key.Key_Space, window.toggle_training)
    window.step_action = action(run, "Step", Qt.Key.Key_Right, lambda: window.step(1))
    window.back_action = action(run, "Step back", Qt.Key.Key_Left, window.step_back)
    window.reset_action = action(run, "Reset", Qt.Key.Key_R, window.reset)
    explore = window.menuBar().addMenu("E&xplore")
    action(explore, "&Compare learning rates…", "Ctrl+L", window.open_explorer,
           "Run several α side by side from the same start, or sweep α on a log scale")
    lessons = window.menuBar().addMenu("&Lessons")
    for key, (_panel, title) in window.lessons.items():
        action(lessons, title.removeprefix("Lesson: ").capitalize(), None,
               lambda _=False, k=key: window.open_lesson(k))
    view = window.menuBar().addMenu("&View")
    for dock in window.docks.values():
        view.addAction(dock.toggleViewAction())
