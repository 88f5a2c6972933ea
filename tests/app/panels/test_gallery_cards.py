"""The gallery's cards hold their captions at any text size: presentation mode cut "ŷ 0.87 · y=1" and "L 0.139"."""

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from visualizer.app.panels.gallery import THUMB, WIDEST_CAPTION, caption_font, cell_size


def test_a_card_holds_both_caption_lines_at_normal_and_presentation_text_size(qapp):
    normal = QFont(QApplication.font())
    try:
        for factor in (1.0, 1.6):  # theme.PRESENTATION
            font = QFont(normal)
            font.setPointSizeF(normal.pointSizeF() * factor)
            QApplication.setFont(font)
            metrics, cell = QFontMetrics(caption_font()), cell_size()
            assert metrics.horizontalAdvance(WIDEST_CAPTION) < cell.width()
            assert cell.height() >= THUMB + 12 + 2 * metrics.height()
    finally:
        QApplication.setFont(normal)
