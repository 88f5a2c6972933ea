"""Turning drops and pastes into images: file URLs, folders, raw image data from browsers.

Remote http(s) URLs are never fetched (the app works offline); each gets a message.
Decoding runs on a thread with progress, so a drop of a thousand files never freezes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QUrl
from PySide6.QtGui import QImage

from visualizer.data import ImageError
from visualizer.data.folders import walk_files
from visualizer.data.images import load_image_with_preview

#: Images one drop may bring in.
MAX_IMAGES = 500


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


@dataclass(frozen=True)
class Dropped:
    """What a drop or paste holds, read from the mime data alone: no file is touched on the GUI thread."""

    paths: tuple[str, ...]
    image: Source | None
    problems: tuple[str, ...]


def local_path(url: QUrl) -> str:
    """The file a file:// URL names, byte for byte: a name that is not UTF-8 (%FF in the URL) is kept as
    os.fsdecode keeps it, where QUrl.toLocalFile made it U+FFFD and then "no such file"."""
    if url.host():
        return url.toLocalFile()
    return os.fsdecode(unquote_to_bytes(url.path(QUrl.ComponentFormattingOption.FullyEncoded)))


def read_mime(mime: QMimeData) -> Dropped:
    """Local paths, a browser's image pixels (never its URL), and a message for each thing not used."""
    paths, problems, remote = [], [], []
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile():
            paths.append(local_path(url))
        elif url.scheme() in ("http", "https"):
            remote.append(url.toString())
        else:
            problems.append(f"{url.toString()}: not a local file")
    image = None
    if not paths and mime.hasImage():
        qimage = mime.imageData()
        if isinstance(qimage, QImage) and not qimage.isNull():
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            qimage.save(buffer, "PNG")
            image = Source("pasted image" if not remote else remote[0].rsplit("/", 1)[-1] or "web image",
                           data=bytes(buffer.data()))
            remote = []
    problems += [f"{u}: not fetched, because visualizer works offline. Save the image, then drop the file."
                 for u in remote]
    return Dropped(tuple(paths), image, tuple(problems))


def list_sources(dropped: Dropped) -> tuple[list[Source], list[str]]:
    """The image files a drop names, folders walked (on the worker: a big folder takes a while)."""
    sources = [] if dropped.image is None else [dropped.image]
    problems: list[str] = []
    for text in dropped.paths:
        path = Path(text)
        if path.is_dir():
            skipped = []
            sources += [Source(p.name, str(p)) for p in walk_files(path, skipped)]
            problems += [f"{s.path}: {s.reason}" for s in skipped]
        else:
            sources.append(Source(path.name, str(path)))
    return sources, problems


def decode(source: Source, n_px: int) -> DroppedImage:
    pixels, preview = load_image_with_preview(source.data if source.data is not None else source.path, n_px)
    return DroppedImage(source.name, source.path, pixels, preview)


def decode_drop(dropped: Dropped, n_px: int, cancelled, progress) -> tuple[list[DroppedImage], list[str]]:
    """Lists and decodes a drop (run it on a Worker); ``progress(0, 0)`` means still listing.

    At most ``MAX_IMAGES`` are decoded: a drop is for a few photos (a whole data set opens
    with File > Open, which keeps memory in check).
    """
    progress(0, 0)
    try:
        sources, problems = list_sources(dropped)
    except OSError as exc:
        return [], [f"the drop could not be read ({exc.strerror or exc})"]
    if len(sources) > MAX_IMAGES:
        problems.insert(0, f"{len(sources):,} files dropped: only the first {MAX_IMAGES} are read. To train on a "
                           "whole folder, open it with File > Open image folder")
        sources = sources[:MAX_IMAGES]
    images = []
    for k, source in enumerate(sources):
        if cancelled():
            break
        try:
            images.append(decode(source, n_px))
        except ImageError as exc:
            problems.append(f"{source.path or source.name}: {exc}")
        except Exception as exc:  # a strange file must not take the window down
            problems.append(f"{source.path or source.name}: could not be read ({type(exc).__name__})")
        progress(k + 1, len(sources))
    return images, problems
