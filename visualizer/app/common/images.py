"""Pictures as file contents: a QImage as PNG bytes, and a caption above a picture for a slide.

The file itself is written by the atomic writer (visualizer.fs.atomic), which reports errors.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from visualizer.fs.atomic import StorageError


def png_bytes(image: QImage) -> bytes:
    """A QImage encoded in memory."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise StorageError("the image could not be encoded as PNG")
    return bytes(buffer.data())


#: The width of a picture for a slide, as File > Export's cost curve (1920 px).
SLIDE_WIDTH = 1920


def captioned(image: QImage, text: str) -> QImage:
    """``image`` with a line of text above it, so a picture on a slide says what it shows (the text grows with
    the picture: readable on a 1920 px slide too)."""
    scale = max(1.0, image.width() / 1200)
    band = round(28 * scale)
    out = QImage(image.width(), image.height() + band, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, band, image)
    painter.setPen(QColor("black"))
    font = painter.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    painter.setFont(font)
    painter.drawText(QRect(round(6 * scale), 0, image.width() - round(12 * scale), band),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    painter.end()
    return out


def slide_image(widget: QWidget, width: int = SLIDE_WIDTH) -> QImage:
    """``widget`` drawn ``width`` pixels wide (the height in proportion), its plots redrawn at that size rather
    than a screen grab blown up: a race grabbed from the screen was 1180 × 392."""
    scale = width / max(1, widget.width())
    image = QImage(width, round(widget.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    widget.render(painter, QPoint(0, 0))
    painter.end()
    return image
