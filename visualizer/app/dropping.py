"""Turning drops and pastes into images: file URLs, folders, raw image data from browsers.

Remote http(s) URLs are never fetched (the app works offline); each gets a message.
Decoding runs on a thread with progress, so a drop of a thousand files never freezes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QThread, Signal
from PySide6.QtGui import QImage

from ..data import ImageError
from ..data.folders import walk_files
from ..data.images import load_image_with_preview


@dataclass(frozen=True)
class Source:
    name: str
    path: str | None = None
    data: bytes | None = None


@dataclass
class DroppedImage:
    name: str
    path: str | None
    pixels: np.ndarray  # (n_px, n_px, 3): exactly what the model sees
    preview: np.ndarray  # the original, scaled down for display


def has_images(mime: QMimeData) -> bool:
    return mime.hasUrls() or mime.hasImage()


def sources_from_mime(mime: QMimeData) -> tuple[list[Source], list[str]]:
    """What a drop or a paste holds, and a message for each thing that cannot be used."""
    sources: list[Source] = []
    problems: list[str] = []
    remote = []
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_dir():
                skipped = []
                sources += [Source(p.name, str(p)) for p in walk_files(path, skipped)]
                problems += [f"{s.path}: {s.reason}" for s in skipped]
            else:
                sources.append(Source(path.name, str(path)))
        elif url.scheme() in ("http", "https"):
            remote.append(url.toString())
        else:
            problems.append(f"{url.toString()}: not a local file")
    if not sources and mime.hasImage():  # a browser's image drag: use its pixels, never its URL
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            sources.append(Source("pasted image" if not remote else remote[0].rsplit("/", 1)[-1] or "web image",
                                  data=bytes(buffer.data())))
            remote = []
    problems += [f"{u}: not fetched, because visualizer works offline. Save the image, then drop the file."
                 for u in remote]
    return sources, problems


def decode(source: Source, n_px: int) -> DroppedImage:
    pixels, preview = load_image_with_preview(source.data if source.data is not None else source.path, n_px)
    return DroppedImage(source.name, source.path, pixels, preview)


class DropDecoder(QThread):
    """Decodes sources in the background; reports progress, results and per-file problems."""

    progressed = Signal(int, int)
    decoded = Signal(list, list)  # (DroppedImage list, problem messages)

    def __init__(self, sources: list[Source], n_px: int, parent=None):
        super().__init__(parent)
        self.sources, self.n_px = sources, n_px
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        images, problems = [], []
        for k, source in enumerate(self.sources):
            if self._cancel.is_set():
                break
            try:
                images.append(decode(source, self.n_px))
            except ImageError as exc:
                problems.append(f"{source.path or source.name}: {exc}")
            except Exception as exc:  # a strange file must not take the window down
                problems.append(f"{source.path or source.name}: could not be read ({type(exc).__name__})")
            self.progressed.emit(k + 1, len(self.sources))
        self.decoded.emit(images, problems)
