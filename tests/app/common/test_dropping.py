"""Dropped file URLs name the file byte for byte, also when its name is not UTF-8 (Linux names are bytes)."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QUrl

from visualizer.app.common.dropping import read_mime


def _mime(*urls: str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl(u) for u in urls])
    return mime


def test_a_file_name_that_is_not_utf8_is_read_as_its_bytes(tmp_path):
    name = os.fsdecode(b"\xff\xfe.png")
    (tmp_path / name).write_bytes(b"x")
    dropped = read_mime(_mime(f"file://{tmp_path}/%FF%FE.png"))
    assert dropped.paths == (str(tmp_path / name),) and os.path.exists(dropped.paths[0])


def test_ordinary_names_are_unchanged():
    url = QUrl.fromLocalFile("/tmp/a b/é #x%.png")
    assert read_mime(_mime(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))).paths == ("/tmp/a b/é #x%.png",)
