"""Light and dark: the window follows the system's colour scheme, plots included; View > Theme overrides it.

Widgets take Qt's palette (Fusion style, so the palette is honoured on every platform);
style sheets name palette roles, never fixed greys; pyqtgraph views get the plot colours
below. Every text colour here meets WCAG 2.1 AA (4.5:1) on its background (a test checks).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QWidget

#: (plot background, plot text and axes)
PLOT = {"light": ("#ffffff", "#000000"), "dark": ("#1e1f22", "#e8e8e8")}
DARK = {
    QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#33363a",
    QPalette.ColorRole.Text: "#e8e8e8", QPalette.ColorRole.Button: "#3a3d41",
    QPalette.ColorRole.ButtonText: "#e8e8e8", QPalette.ColorRole.ToolTipBase: "#3a3d41",
    QPalette.ColorRole.ToolTipText: "#e8e8e8", QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.PlaceholderText: "#a0a0a0", QPalette.ColorRole.Mid: "#505357",
    QPalette.ColorRole.BrightText: "#ffffff",
}


#: A check box's frame, 3:1 or more against the box (Base) and the panel (Window) it sits on: Fusion draws it
#: as the Window colour darkened, 1.1:1 on the dark Base and 2.2:1 on the light one ("log scale" was a blank).
CHECK_FRAME = {"light": "#767676", "dark": "#8c8c8c"}


class FramedFusion(QProxyStyle):
    """Fusion, with check boxes whose frame can be seen in either theme."""

    def __init__(self):
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        focused = option.state & QStyle.StateFlag.State_HasFocus and \
            option.state & QStyle.StateFlag.State_KeyboardFocusChange  # Fusion's focus frame stays
        if element != QStyle.PrimitiveElement.PE_IndicatorCheckBox or focused or \
                not option.state & QStyle.StateFlag.State_Enabled:
            return
        dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.translate(0.5, 0.5)  # over Fusion's own frame, as Fusion draws it
        painter.setPen(QColor(CHECK_FRAME["dark" if dark else "light"]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
        painter.restore()


def resolve(choice: str) -> str:
    """'light' or 'dark' for a choice of THEMES ('system' asks Qt)."""
    if choice in ("light", "dark"):
        return choice
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def palette_for(theme: str) -> QPalette:
    palette = QApplication.style().standardPalette()
    if theme == "dark":
        for role, colour in DARK.items():
            palette.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))  # a disabled check box too
    return palette


def apply(theme: str, roots: list[QWidget]) -> None:
    """Switch the whole app, and every plot under ``roots``, to ``theme`` ('light' or 'dark')."""
    app = QApplication.instance()
    if not isinstance(app.style(), FramedFusion):  # each change repolishes every widget of every window
        app.setStyle(FramedFusion())
    palette = palette_for(theme)
    if app.palette() != palette:
        app.setPalette(palette)
    background, text = PLOT[theme]
    pg.setConfigOptions(background=background, foreground=text)
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if "palette(" in widget.styleSheet():  # a style sheet reads the palette only when it is set
                widget.setStyleSheet(widget.styleSheet())
        for view in root.findChildren(pg.GraphicsView):
            view.setBackground(background)
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen(text)
                    item.setTextPen(text)
                elif isinstance(item, pg.LegendItem):
                    item.setLabelTextColor(text)
                elif isinstance(item, pg.LabelItem):
                    item.setText(item.text, color=text)
        for widget in root.findChildren(QWidget):
            if hasattr(widget, "set_theme"):  # views pyqtgraph does not reach, such as the 3-D window
                widget.set_theme(background, text)


PRESENTATION = 1.6


def scale_text(factor: float, roots: list[QWidget]) -> None:
    """Every font in the app, and in every plot under ``roots``, at ``factor`` times its normal size."""
    app = QApplication.instance()
    if not hasattr(app, "_visualizer_font"):
        app._visualizer_font = QFont(app.font())
    font = QFont(app._visualizer_font)
    font.setPointSizeF(app._visualizer_font.pointSizeF() * factor)
    app.setFont(font)
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            widget.setFont(font)
            if hasattr(widget, "set_text_font"):
                widget.set_text_font(font)
        for view in root.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setStyle(tickFont=font)
                    item.label.setFont(font)
                elif isinstance(item, pg.LegendItem):
                    item.setLabelTextSize(f"{font.pointSizeF():.0f}pt")
            for item in view.items():  # thicker lines too, back to their own width at factor 1
                if isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is not None:
                    pen = pg.mkPen(item.opts["pen"])
                    base = item.__dict__.setdefault("_visualizer_width", max(pen.widthF(), 1.0))
                    pen.setWidthF(base * factor)
                    item.setPen(pen)
