"""The window's menus and keyboard shortcuts, built once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from visualizer.app.common.mnemonics import give_mnemonics
from visualizer.app.explorer.explorer import show_explorer
from visualizer.app.export.animation_dialog import export_animation
from visualizer.app.lessons.lesson_files_actions import class_lessons
from visualizer.app.panels.pinned_curves import KEEP_TIP, fill_removal_menu
from visualizer.data.planar import PLANAR_SETS, PREFIX
from visualizer.model.panels import BY_KEY, LESSON_PANELS


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
    points = file.addMenu("Open 2-D &points")
    for name, (_, what) in PLANAR_SETS.items():
        action(points, f"{PREFIX}{name}: {what}", None, lambda _=False, n=name: window.load(PREFIX + n, 0.0),
               "Every point trains and is reported on, as the course does with its 2-D sets")
    points.addSeparator()
    action(points, "A CSV of x1,x2,y…", None, window.open_points_csv,
           "One point per line: two coordinates and a label 0 or 1; every point trains, as the course does")
    action(file, "Open &session…", None, window.open_session, "A session saved with Save session…")
    action(file, "Open &lesson…", None, window.open_lesson_file,
           "A lesson file (.toml): instructions, data, settings, panels and locked controls")
    window.recent_menu = file.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(window._fill_recent)
    file.addSeparator()
    action(file, "&Classify images…", "Ctrl+K", window.classify_files, "Pick photos for the model to judge")
    file.addSeparator()
    action(file, "Save &model…", "Ctrl+S", window.save_model, "w and b (a network: each layer's W and b) and how "
           "images are prepared, for `visualizer predict`")
    action(file, "Save sess&ion…", "Ctrl+Shift+S", window.save_session, "Data, edits, settings and the whole run")
    action(file, "Save as lesso&n…", None, window.save_lesson_file,
           "The window as a lesson file: data, settings, panels and iteration, to edit and hand out")
    export = file.addMenu("&Export")
    exports = window.exports
    action(export, "Cost curve as PNG, 1920 px wide…", None, lambda: exports.cost_plot("png", width=1920))
    action(export, "Cost curve as PNG, twice the screen size…", None,
           lambda: exports.cost_plot("png", width=2 * window.cost_curve.view.width()))
    action(export, "Cost curve as SVG…", None, lambda: exports.cost_plot("svg"))
    action(export, "Cost history as CSV…", None, lambda: exports.cost_csv())
    action(export, "Surface as PNG…", None, lambda: exports.surface_png())
    action(export, "Predictions as CSV…", None, lambda: exports.predictions())
    export.addSeparator()
    action(export, "&Animation (GIF or MP4)…", None, lambda: export_animation(window),
           "Any stretch of the run, or the run to come, as the whole window or one panel, frame by frame")
    action(file, "Show the last loa&d report", None, window.show_report)
    cache = action(file, "Clear the image cache", None, window.clear_image_cache,
                   "Decoded images are kept so a folder opens quickly the second time")
    file.aboutToShow.connect(lambda: cache.setText(window.image_cache_label()))
    file.addSeparator()
    action(file, "&Quit", QKeySequence.StandardKey.Quit, window.close)
    edit = window.menuBar().addMenu("&Edit")
    undo = window.undo.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo.createRedoAction(window, "&Redo")
    keys = [QKeySequence("Ctrl+Shift+Z"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
    redo.setShortcuts(list(dict.fromkeys(keys)))  # once each: Ctrl+Shift+Z twice was ambiguous and did nothing
    for a in (undo, redo):
        edit.addAction(a)
        window.addAction(a)
    action(edit, "&Paste image", QKeySequence.StandardKey.Paste, window.paste,
           "Classify the image on the clipboard")
    edit.addSeparator()
    for label in (1, 0):
        action(edit, f"Add checked cards to training as class {label}", f"Ctrl+{label}",
               lambda _=False, label=label: window.classify._add_all(label),
               "The checked cards of the Classify panel join the training set with this label (Ctrl+Z undoes it)")
    action(edit, "Clear the classified cards", None, window.classify.clear_cards)
    run = window.menuBar().addMenu("R&un")  # Alt+R is Reset's
    window.train_action = action(run, "Train / Pause", Qt.Key.Key_Space, window.toggle_training)
    window.step_action = action(run, "Step", Qt.Key.Key_Right, lambda: window.step(1))
    action(run, "Step ×10", "Shift+Right", lambda: window.step(10))
    action(run, "Step ×100", "Ctrl+Shift+Right", lambda: window.step(100))
    window.back_action = action(run, "Step back", Qt.Key.Key_Left, window.step_back)
    window.end_action = action(run, "Back to the &end", Qt.Key.Key_End, window.back_to_end,
                               "Show the run's last iteration again after looking back: training goes on from there, "
                               "and nothing is dropped")
    window.reset_action = action(run, "Reset", Qt.Key.Key_R, window.reset)
    run.addSeparator()
    window.replay_action = action(run, "Re&play the run", Qt.Key.Key_P, window.toggle_replay,
                                  "Play the run again from iteration 0, every panel following, at the pace chosen "
                                  "beside the Replay button; P again stops it")
    window.stop_replay_action = action(run, "Stop the replay", Qt.Key.Key_Escape, window.replayer.stop,
                                       "Stop the replay where it is (also Space)")
    window.stop_replay_action.setEnabled(False)
    window.keep_action = action(run, "&Keep this run", Qt.Key.Key_K, window.keep_run, KEEP_TIP)
    kept = run.addMenu("Remove kept curves")  # K is Keep this run's
    kept.aboutToShow.connect(lambda: fill_removal_menu(kept, window.state.pinned, window.remove_kept))
    explore = window.menuBar().addMenu("E&xplore")
    action(explore, "&Compare runs (race)…", "Ctrl+L", lambda: show_explorer(window),
           "Race optimizers, α, batch sizes, λ, decay, seeds and hidden layers, or sweep α on a log scale")
    lessons = window.menuBar().addMenu("Le&ssons")  # Alt+L is Loss's
    for n, key in enumerate(LESSON_PANELS, start=1):
        action(lessons, BY_KEY[key].short, f"Alt+{n}", lambda _=False, k=key: window.open_lesson(k))
    action(lessons, "Close the lesson", "Ctrl+W", window.close_lesson, "Close the lesson in front (also Esc)")
    action(lessons, "Lea&ve the lesson file", None, window.leave_lesson,
           "Back to your own panels, settings and data, as before the first lesson file opened")
    lessons.addSeparator()
    window.class_lessons_menu = lessons.addMenu("Class &lessons")
    for title, path in class_lessons():
        action(window.class_lessons_menu, title, None, lambda _=False, p=str(path): window.open_lesson_file(p),
               f"The lesson file {path.name}: sets up the window and says what to do")
    view = window.menuBar().addMenu("Vie&w")  # Alt+V is Activation's
    window.presentation_action = action(view, "&Presentation", "F11", lambda on: window.set_presentation(on),
                                        "Large text and thick lines for a projector or a screen share (F11)")
    window.presentation_action.setCheckable(True)
    themes = view.addMenu("&Theme")
    group = QActionGroup(window)
    window.theme_actions = {}
    for choice, text in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
        a = action(themes, text, None, lambda _=False, c=choice: window.set_theme(c))
        a.setCheckable(True)
        a.setData(choice)
        group.addAction(a)
        window.theme_actions[choice] = a
    action(view, "&Reset layout", None, window.reset_layout, "Every panel where a new window puts it")
    view.addSeparator()
    for dock in window.docks.values():
        view.addAction(dock.toggleViewAction())
    for menu in (file, edit, run, explore, lessons, view):  # again as each opens: some are filled then, and a
        give_mnemonics(menu)  # dock's item takes its new title (the compact layout's short ones)
        for each in [menu, *menu.findChildren(QMenu)]:
            each.aboutToShow.connect(lambda m=each: give_mnemonics(m))
