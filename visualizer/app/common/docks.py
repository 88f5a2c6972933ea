"""The Qt dock areas of the areas that visualizer/model/panels.py names."""

from __future__ import annotations

from PySide6.QtCore import Qt

from visualizer.model.panels import BOTTOM, LEFT, RIGHT

QT_AREAS = {LEFT: Qt.DockWidgetArea.LeftDockWidgetArea, RIGHT: Qt.DockWidgetArea.RightDockWidgetArea,
            BOTTOM: Qt.DockWidgetArea.BottomDockWidgetArea}
