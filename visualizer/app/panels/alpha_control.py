"""The learning rate's control: a log-scale slider over the useful span of α and a field that takes any valid
typed value (the constraint table's bound), kept in step with each other."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QDoubleValidator, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QSlider, QWidget

from visualizer.app.common.fitting import NumberField
from visualizer.model.constraints import RUN, parse

#: The slider's span of α (log scale): where learning rates are useful. Typed values go beyond it, up to the
#: largest α any input may give (the constraint table's bound).
SLIDER_MIN, SLIDER_MAX = RUN["alpha"].slider
SLIDER_STEPS = 600  # 100 steps per decade


def alpha_to_slider(alpha: float) -> int:
    alpha = min(max(alpha, SLIDER_MIN), SLIDER_MAX)
    frac = (math.log10(alpha) - math.log10(SLIDER_MIN)) / (math.log10(SLIDER_MAX) - math.log10(SLIDER_MIN))
    return round(frac * SLIDER_STEPS)


def slider_to_alpha(position: int) -> float:
    exponent = math.log10(SLIDER_MIN) + position / SLIDER_STEPS * (math.log10(SLIDER_MAX) - math.log10(SLIDER_MIN))
    return float(f"{10**exponent:.3g}")


#: Shift+drag moves the slider one step (1/100 of a decade) every this many pixels: 200 px a decade, where a
#: plain drag on a 200 px slider covers a decade in 33 px (21 px took α from 0.005 to 0.0776).
FINE_PX_PER_STEP = 2


class AlphaSlider(QSlider):
    """The alpha slider, with a mark at the edge of stability 2/lambda_max; Shift+drag for fine steps."""

    def __init__(self):
        super().__init__(Qt.Orientation.Horizontal)
        self.edge: float | None = None
        self._fine_from: tuple[float, int] | None = None  # (x, value) where the Shift+drag began

    def mousePressEvent(self, event):
        self._fine_from = None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and event.buttons() & Qt.MouseButton.LeftButton:
            x = event.position().x()
            if self._fine_from is None:
                self._fine_from = (x, self.value())
            start_x, start_value = self._fine_from
            self.setValue(start_value + round((x - start_x) / FINE_PX_PER_STEP))
            event.accept()
            return
        self._fine_from = None
        super().mouseMoveEvent(event)

    def paintEvent(self, event):
        super().paintEvent(event)
        if self.edge is None or not SLIDER_MIN <= self.edge <= SLIDER_MAX:
            return
        x = round(8 + (self.width() - 16) * alpha_to_slider(self.edge) / SLIDER_STEPS)
        painter = QPainter(self)
        painter.setPen(QPen(QColor("#d62728"), 2))
        painter.drawLine(x, 0, x, self.height())
        painter.end()


class AlphaControl(QWidget):
    """A log-scale slider over SLIDER_MIN..SLIDER_MAX and a field that takes any valid typed value."""

    alphaChanged = Signal(float)
    refused = Signal(str)  # why a typed value was not taken (the field shows α again)

    def __init__(self, alpha: float):
        super().__init__()
        self.slider = AlphaSlider()
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip(f"Learning rate α (log scale, {SLIDER_MIN:g} to {SLIDER_MAX:g}): how big a step "
                               "gradient descent takes downhill each iteration, w := w − α·dw. Hold Shift while "
                               "dragging for fine steps; the arrow keys move it by 1/100 of a decade.")
        self.field = NumberField()
        # numbers only, in any range: a value out of range must reach Enter to be refused out loud (a ranged
        # validator kept "1e9" or "0" in the field as unfinished, α unchanged, and said nothing)
        validator = QDoubleValidator()
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.field.setValidator(validator)
        self.field.setToolTip(f"Type any learning rate, {RUN['alpha'].rule()}, e.g. 0.005 or 1e-3, then press "
                              "Enter.")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.field)
        self._alpha = alpha
        self._show(alpha)
        self.slider.valueChanged.connect(self._slid)
        self.field.editingFinished.connect(self._typed)

    @property
    def alpha(self) -> float:
        return self._alpha

    def set_alpha(self, alpha: float) -> None:
        self._alpha = alpha
        self._show(alpha)

    def set_edge(self, edge: float | None, alpha: float) -> None:
        """Mark 2/lambda_max on the slider; amber when ``alpha``, the one it was measured with, is above it."""
        self.slider.edge = edge
        above = edge is not None and alpha > edge
        self.slider.setStyleSheet("QSlider::handle:horizontal { background: #f0ad4e; border: 1px solid #b07a1a;"
                                  " width: 12px; margin: -5px 0; border-radius: 6px; }" if above else "")
        self.slider.update()

    def _show(self, alpha: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(alpha_to_slider(alpha))
        self.slider.blockSignals(False)
        self.field.setText(f"{alpha:g}")

    def _slid(self, position: int) -> None:
        self._alpha = slider_to_alpha(position)
        self.field.setText(f"{self._alpha:g}")
        self.alphaChanged.emit(self._alpha)

    def _typed(self) -> None:
        try:
            alpha = parse("alpha", self.field.text())  # the same rule as sessions and the command line
        except ValueError as exc:
            self._show(self._alpha)
            self.refused.emit(str(exc))
            return
        if alpha != self._alpha:
            self.set_alpha(alpha)
            self.alphaChanged.emit(alpha)
