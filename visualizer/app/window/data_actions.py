"""Data in the window: opening data sets, drops and pastes to classify, teaching, and gallery edits.

Every change of the data goes through the state (``state.set_data``); edits are undoable commands.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QProgressDialog

from visualizer.app.common.dropping import decode_drop, has_images, read_mime
from visualizer.app.run.loading import LoadReportDialog, data_loader
from visualizer.app.run.worker import Worker
from visualizer.app.window import preferences
from visualizer.app.window.editing import DataEdit, added, moved, relabelled, removed
from visualizer.app.window.safety import reported
from visualizer.data import Dataset, cache_dir, cache_size, clear_cache
from visualizer.data.planar import with_point
from visualizer.model.settings import model_problem


class DataActions:
    """Mixed into MainWindow."""

    def _init_data_actions(self) -> None:
        self._decoders: list[Worker] = []
        self._loader: Worker | None = None
        self._points_shown = False  # the data shown are 2-D points: the decision boundary is the tab in front
        self.setAcceptDrops(True)
        self.drop_overlay = QLabel("Drop images or a folder to classify them", self)
        self.drop_overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_overlay.setStyleSheet("background: rgba(31, 119, 180, 40); border: 4px dashed #1f77b4; "
                                        "color: #123c69; font-size: 20pt;")
        self.drop_overlay.hide()

    def _stop_workers(self) -> None:
        for worker in [*self._jobs, *self._decoders, *([self._loader] if self._loader else [])]:
            worker.stop()

    def open_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a folder of images", preferences.folder("data"))
        if path:
            preferences.remember_folder("data", path)
            self.load(path)

    def open_h5(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a course .h5 file", preferences.folder("data"),
                                              "HDF5 files (*.h5 *.hdf5)")
        if path:
            self.load(path)

    def open_points_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open 2-D points (x1,x2,y)", preferences.folder("data"),
                                              "CSV files (*.csv);;All files (*)")
        if path:
            self.load(path, 0.0)

    def load(self, path: str, test_fraction: float | None = None) -> None:
        """Load in the background with a cancellable progress bar; the current data stays until it succeeds.
        ``test_fraction``: the part held out when the source has no test set (None: the usual 0.2)."""
        if self._loader is not None:
            return
        preferences.add_recent(path)
        self.controller.pause()
        progress = QProgressDialog(f"Loading {path}…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Opening a data set")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        loader = self._loader = data_loader(path, self, test_fraction)
        loader.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        progress.canceled.connect(loader.cancel)
        loader.succeeded.connect(lambda pair: self._loaded(*pair))
        loader.failed.connect(lambda msg: self.notice.show_message(f"Could not open the data set: {msg}", "error"))
        loader.finished.connect(progress.close)
        loader.finished.connect(self._loader_done)
        loader.start()

    def _loader_done(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader.wait()
            loader.deleteLater()

    def _loaded(self, train: Dataset, test: Dataset | None) -> None:
        if problem := model_problem(self.state.settings, train.m, train.n_x):  # hidden 10000,900 fit 2-D points
            self.notice.show_message(f"Could not open the data set {train.source}: {problem[1]}. Choose fewer "
                                     "hidden units first.", "error")
            return
        self.undo.clear()  # edits of the previous data set cannot be undone into this one
        self.state.set_data(train, test, fresh=True)
        what = "points" if train.is_points else "images"
        self.notice.show_message(f"Loaded {train.m} training" + (f" and {test.m} test" if test else "")
                                 + f" {what} from {train.source}.", "info", owner="data")
        if train.skipped or (test is not None and test.skipped):
            self.show_report()

    def image_cache_label(self) -> str:
        return f"Clear the image cache ({cache_size() / 2**20:,.0f} MB)"

    def clear_image_cache(self) -> None:
        freed = clear_cache()
        self.notice.show_message(f"Freed {freed / 2**20:,.1f} MB of decoded images in {cache_dir()}; folders "
                                 "are decoded again the next time they open.", "info")

    def show_report(self) -> None:
        LoadReportDialog(self.controller.train, self.controller.test, self).open()

    # ------------------------------------------------------------------ classify and teach
    @reported
    def dragEnterEvent(self, event) -> None:
        if has_images(event.mimeData()):
            self.drop_overlay.setGeometry(self.rect())
            self.drop_overlay.raise_()
            self.drop_overlay.show()
            event.acceptProposedAction()

    @reported
    def dragLeaveEvent(self, event) -> None:
        self.drop_overlay.hide()

    @reported
    def dropEvent(self, event) -> None:
        self.drop_overlay.hide()
        self.classify_mime(event.mimeData())
        event.acceptProposedAction()

    def paste(self) -> None:
        mime = QApplication.clipboard().mimeData()
        if mime is None or not has_images(mime):
            self.notice.show_message("The clipboard holds no image or image file to classify.", "info")
            return
        self.classify_mime(mime)

    def classify_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Classify images", preferences.folder("data"), "Images (*)")
        if paths:
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
            self.classify_mime(mime)

    def classify_mime(self, mime, label: int | None = None) -> None:
        """Decode what was dropped or pasted; show it in Classify, or add it to training as ``label``."""
        dropped = read_mime(mime)  # no file is touched here: listing a big folder happens on the worker
        if dropped.problems:
            more = f" (and {len(dropped.problems) - 3} more)" if len(dropped.problems) > 3 else ""
            self.notice.show_message("Not used: " + "; ".join(dropped.problems[:3]) + more, "warning")
        if not dropped.paths and dropped.image is None:
            return
        if self.controller.train.is_points:
            self.notice.show_message("The model is trained on 2-D points, so it cannot judge images: open images "
                                     "first (File > Open…), or click on the Decision boundary panel to add a point.",
                                     "info")
            return
        n_px = self.controller.train.n_px
        decoder = Worker(lambda cancelled, progress: decode_drop(dropped, n_px, cancelled, progress), self)
        self._decoders.append(decoder)
        progress = QProgressDialog("Reading the dropped images…", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        decoder.progressed.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        progress.canceled.connect(decoder.cancel)
        decoder.finished.connect(progress.close)
        decoder.finished.connect(progress.deleteLater)
        decoder.succeeded.connect(lambda result: self._decoded(*result, label))
        decoder.failed.connect(lambda msg: self.notice.show_message(f"The drop could not be read: {msg}", "error"))
        decoder.finished.connect(lambda: self._decoders.remove(decoder) if decoder in self._decoders else None)
        decoder.start()

    def _decoded(self, images: list, problems: list, label: int | None) -> None:
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.notice.show_message("Not used: " + "; ".join(problems[:3]) + more, "warning")
        if not images:
            return
        if label is None:
            self.classify.add_images(images)
            self.docks["classify"].show()
            self.docks["classify"].raise_()
            self.refresh(force=True)
        else:
            self.add_to_training(label, images)

    def add_to_training(self, label: int, images: list) -> None:
        train = self.controller.train
        new = added(train, images, label)
        what = f"Add {len(images)} image{'s' if len(images) != 1 else ''} as {train.classes[label]}"
        self.undo.push(DataEdit(self, what, (new, self.controller.test), appended=len(images)))
        names = ", ".join(im.name for im in images[:3]) + (f" and {len(images) - 3} more" if len(images) > 3 else "")
        self.notice.show_message(f"Added to training as {train.classes[label]}: {names}. The training set now has "
                                 f"{new.m} examples; Ctrl+Z undoes it.", "info", owner="data")  # until it changes

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """A point clicked on the decision boundary panel joins the training set; Ctrl+Z takes it away."""
        train = self.controller.train
        new = with_point(train, x1, x2, label)
        self.undo.push(DataEdit(self, f"Add the point ({x1:.3g}, {x2:.3g}) as {train.classes[label]}",
                                (new, self.controller.test), appended=1))
        self.notice.show_message(f"Added the point ({x1:.3g}, {x2:.3g}) to training as {train.classes[label]} "
                                 f"(y = {label}). The training set now has {new.m} points; Ctrl+Z undoes it.",
                                 "info", owner="data")

    def edit_example(self, set_name: str, index: int, action: str) -> None:
        c = self.controller
        train, test = c.train, c.test
        data = train if set_name == "train" else test
        if action == "show":
            path = Path(data.names[index])
            if path.exists():
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
            else:
                self.notice.show_message(f"{data.names[index]} is not a file on this machine.", "info")
            return
        if action == "relabel":
            new = (relabelled(train, index), test) if set_name == "train" else (train, relabelled(test, index))
            text = f"Relabel {Path(data.names[index]).name}"
        elif action == "remove":
            new = (removed(train, index), test) if set_name == "train" else (train, removed(test, index))
            text = f"Remove {Path(data.names[index]).name}"
        else:  # move between train and test
            if set_name == "train":
                src, dst = moved(train, test, index)
                new = (src, dst)
            else:
                src, dst = moved(test, train, index)
                new = (dst, src if src.m else None)
            text = f"Move {Path(data.names[index]).name} to the {'test' if set_name == 'train' else 'training'} set"
        if min(new[0].class_counts()) == 0:
            self.notice.show_message("The training set needs at least one example of each class.", "warning")
            return
        self.undo.push(DataEdit(self, text, new))

    def apply_data(self, train: Dataset, test: Dataset | None, appended: int = 0) -> None:
        """Called by undoable edits: the run goes on from the same (w, b) with the edited data."""
        self.state.set_data(train, test, appended)


    def _show_data(self) -> None:
        c = self.controller
        sets = {name: (d.images, d.Y[0], d.names, d.classes, *([d.X] if d.is_points else []))
                for name, d in (("train", c.train), ("test", c.test)) if d is not None}
        self.sigmoid.set_labels(c.train.Y[0])
        if "bowl" in self.panels and self.lesson("bowl").bowl is not None:  # a lesson not made yet has no data
            self.lesson("bowl").set_data(c.train.X, c.train.Y)
        if "vectorization" in self.panels:
            self.lesson("vectorization").forget()  # its timing was of the data before
        self.gallery.set_data(sets)  # switching tabs redraws, so the labels above must be current
        self.classify.set_classes(c.train.classes)
        if self.classify.images and self.classify.images[0].pixels.shape[0] != c.train.n_px:
            self.classify.clear_cards()  # prepared for another image size: drop them again to judge
        self.setWindowTitle(f"visualizer: {c.train.source}[*]")
        if c.train.is_points != self._points_shown:  # 2-D points came or went: their view in front
            self._points_shown = c.train.is_points
            self.docks["boundary" if c.train.is_points else "sigmoid"].raise_()
