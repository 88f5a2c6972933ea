"""Colours that read on their background: WCAG 2.1's contrast ratio, and a hue kept but moved towards the
text colour until a line drawn in it reaches 3:1 (Okabe-Ito's yellow is 1.3:1 on white, its black 1.3:1 on
the dark plot)."""

from __future__ import annotations

from PySide6.QtGui import QColor

#: WCAG 2.1's ratio for graphical marks such as plotted lines.
MARKS = 3.0


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: QColor, background: QColor, text: QColor, ratio: float = MARKS) -> QColor:
    """``colour`` mixed with ``text`` (which reads on ``background``) in tenths until it reaches ``ratio``."""
    for tenth in range(11):
        t = tenth / 10
        mixed = QColor.fromRgbF(*(((1 - t) * getattr(colour, ch)() + t * getattr(text, ch)())
                                  for ch in ("redF", "greenF", "blueF")))
        if contrast(mixed, background) >= ratio:
            return mixed
    return QColor(text)
