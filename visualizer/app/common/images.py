"""Pictures as file contents: a QImage as PNG bytes, and a caption above a picture for a slide.

The file itself is written by the atomic writer (visualizer.fs.atomic), which reports errors.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from visualizer.fs.atomic import StorageError


def png_bytes(image: QImage) -> bytes:
    """A QImage encoded in memory."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise StorageError("the image could not be encoded as PNG")
    return bytes(buffer.data())


def captioned(image: QImage, text: str) -> QImage:
    """``image`` with a line of text above it, so a picture on a slide says what it shows."""
    band = 28
    out = QImage(image.width(), image.height() + band, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, band, image)
    painter.setPen(QColor("black"))
    painter.drawText(QRect(6, 0, image.width() - 12, band), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     text)
    painter.end()
    return out
