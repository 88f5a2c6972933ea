"""The cost J on a slice through the current point: a 3-D surface and a 2-D contour map.

The 3-D view is pyqtgraph's GLViewMixin on a QOpenGLWindow inside a window container:
a QOpenGLWidget would make Qt composite the whole main window through OpenGL, which
costs the other panels about two thirds of their frame rate on software renderers.
Where OpenGL cannot start, the 2-D map stays and a note says why.
"""

from __future__ import annotations

import gc
import math
import os

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QOpenGLContext,
    QPainter,
    QSurfaceFormat,
)
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from visualizer.app.common.fitting import LiveLabelBox
from visualizer.app.panels.plots import COLORMAP, plain_axes, show_heatmap
from visualizer.core.analysis.contours import contour_segments
from visualizer.core.analysis.surface import SurfaceView

CONTOUR_LEVELS = 6
#: Pixels a 3-D label keeps from the view's edges.
EDGE = 4
SLICES = [("along w and b", "w-direction", "Through the current point: along w's direction, and along b."),
          ("the path's plane", "principal", "The path's principal plane: the two directions (PCA) along which "
                                            "the trajectory moved most, through the current point.")]
#: A network's planes (core/analysis/landscape.py), all through the current θ; the first where one is undefined.
NETWORK_SLICES = [("random directions", "random", "Two random directions, seeded by the run's seed, each unit's "
                                                  "incoming weights scaled to that unit's own in θ (Li et al., "
                                                  "2018): the plane spans ±1 of θ's per-unit size."),
                  SLICES[1],
                  ("two weights", "weights", "Move the first hidden unit's first two input weights, W1[0, 0] and "
                                             "W1[0, 1], every other parameter held.")]


def opengl_problem() -> str | None:
    """Why 3-D cannot be drawn here, or None when an OpenGL context can be made."""
    if os.environ.get("VISUALIZER_NO_GL"):
        return "3-D is off (VISUALIZER_NO_GL is set)."
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal", "vnc"):
        return f"3-D needs OpenGL, which the '{platform}' display platform does not offer."
    context = QOpenGLContext()
    if not context.create():
        return "3-D needs OpenGL 2.1 or newer, and no OpenGL context could be created on this display."
    version = context.format().version()
    if not context.isOpenGLES() and version < (2, 1):
        return f"3-D needs OpenGL 2.1 or newer; this display offers {version[0]}.{version[1]}."
    return None


def _gl_classes():
    """Imported only when OpenGL is available, so a machine without it never loads PyOpenGL."""
    import pyqtgraph.opengl as gl
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin
    from PySide6.QtOpenGL import QOpenGLWindow

    class SurfaceWindow(GLViewMixin, QOpenGLWindow):
        """A GL view in its own native window, embedded with createWindowContainer."""

        def rect(self):  # GLTextItem asks its view for a widget-style rect()
            return QRect(0, 0, self.width(), self.height())

        def projectionMatrix(self, region, viewport):
            """pyqtgraph's field of view is horizontal, so a wide, short view cut off the bowl's top: a view
            wider than 4:3 sees as much height as a 4:3 one, and more to the sides."""
            stretch = max(1.0, viewport[2] / max(viewport[3], 1) / (4 / 3))
            fov = self.opts["fov"]
            self.opts["fov"] = math.degrees(2 * math.atan(math.tan(math.radians(fov) / 2) * stretch))
            try:
                return super().projectionMatrix(region, viewport)
            finally:
                self.opts["fov"] = fov

    class EdgeText(gl.GLTextItem):
        """A label kept whole inside its view: where its point projects too near an edge (the right axis's
        "random direction 2" in a 285 px dock at 1024 × 768), it moves in just enough to fit."""

        def align_text(self, pos):
            pos = super().align_text(pos)
            size = QFontMetrics(self.font).tightBoundingRect(self.text)
            view = self.view().rect()
            pos.setX(min(max(pos.x(), EDGE), max(view.width() - size.width() - EDGE, EDGE)))
            pos.setY(min(max(pos.y(), size.height() + EDGE), max(view.height() - EDGE, size.height() + EDGE)))
            return pos

    return gl, SurfaceWindow, EdgeText


class Surface3D:
    """The 3-D items, created once and fed with setData. The box is unit-sized: J is rescaled."""

    def __init__(self):
        gl, SurfaceWindow, EdgeText = _gl_classes()
        fmt = QSurfaceFormat()
        fmt.setDepthBufferSize(24)
        # pyqtgraph caches compiled shaders across views, so every view shares one GL context group.
        self.window = SurfaceWindow(QOpenGLContext.globalShareContext())
        self.window.setFormat(fmt)
        self.window.setBackgroundColor("w")
        self.window.setCameraPosition(pos=pg.Vector(0, 0, 0.45), distance=3.6, elevation=32, azimuth=-58)
        self.container = QWidget.createWindowContainer(self.window)
        self.container.setMinimumSize(200, 160)
        self.container.setToolTip("Drag to orbit, scroll to zoom.")
        self.surface = gl.GLSurfacePlotItem(computeNormals=False, smooth=False, glOptions="opaque")
        self.path = gl.GLLinePlotItem(width=2, color=(0.85, 0.1, 0.1, 1), antialias=True, glOptions="opaque")
        self.ghost = gl.GLLinePlotItem(width=1, color=(0.5, 0.5, 0.5, 1), antialias=True, glOptions="opaque")
        self.point = gl.GLScatterPlotItem(size=12, color=(0.85, 0.1, 0.1, 1), glOptions="opaque")
        self.box = gl.GLBoxItem(color=(0.6, 0.6, 0.6, 1))
        self.box.setSize(2, 2, 1.2)
        self.box.translate(-1, -1, 0)
        font = QFont()  # the app's font at creation; presentation mode sets it again (set_text_scale)
        self.labels = [EdgeText(color=(30, 30, 30, 255), font=font) for _ in range(3)]
        for item in (self.surface, self.box, self.path, self.ghost, self.point, *self.labels):
            self.window.addItem(item)

    def set_text_font(self, font) -> None:
        for label in self.labels:
            label.setData(font=font)

    def set_theme(self, background: str, text: str) -> None:
        self.window.setBackgroundColor(background)
        colour = QColor(text)
        for label in self.labels:
            label.setData(color=(colour.red(), colour.green(), colour.blue(), 255))

    def show(self, view: SurfaceView) -> None:
        X, Y = _unit(view.s), _unit(view.t)
        lo, hi = float(view.J.min()), float(np.percentile(view.J, 97))
        height = 1.2 / max(hi - lo, 1e-12)
        Z = np.clip(view.J, lo, hi)
        colors = COLORMAP.map(((Z - lo) / max(hi - lo, 1e-12)).ravel(), mode="float")  # (G*G, 4) per vertex
        self.surface.setData(x=X, y=Y, z=(Z - lo) * height, colors=colors)
        sx, tx = _unit_of(view.s), _unit_of(view.t)
        lift = 0.01
        path = np.column_stack([sx(view.path_s), tx(view.path_t), (np.clip(view.path_J, lo, hi) - lo) * height + lift])
        self.path.setData(pos=path if len(path) > 1 else np.zeros((0, 3)))
        if view.ghost_s is not None and len(view.ghost_s) > 1:
            self.ghost.setData(pos=np.column_stack([sx(view.ghost_s), tx(view.ghost_t),
                                                    (np.clip(view.ghost_J, lo, hi) - lo) * height + lift]))
        else:
            self.ghost.setData(pos=np.zeros((0, 3)))
        s, t, J = view.current
        self.point.setData(pos=np.array([[sx(s), tx(t), (min(max(J, lo), hi) - lo) * height + lift]]))
        self.labels[0].setData(pos=(-0.6, -1.35, 0), text=_short(view.s_label))
        self.labels[1].setData(pos=(1.2, 0, 0), text=_short(view.t_label))
        self.labels[2].setData(pos=(-1.05, -1.05, 1.3), text="J")
        self.window.update()

    def grab(self) -> QImage:
        return self.window.grabFramebuffer()

    def release(self) -> None:
        """Free the GL buffers while their context is current, then the container with its window.

        Left to the garbage collector, the buffers outlive their context and the window
        outlives its container's bookkeeping; either crashes the process at exit.
        """
        self.window.makeCurrent()
        self.window.clear()
        self.surface = self.path = self.ghost = self.point = self.box = None
        self.labels = []
        gc.collect()
        self.window.doneCurrent()
        self.container.setParent(None)
        shiboken6.delete(self.container)  # deletes the embedded window too
        self.window = self.container = None


def contour_lines(view: SurfaceView) -> tuple[np.ndarray, np.ndarray]:
    """The contour map's lines: (x, y) of segment end points in pairs, at quantiles of J on the slice."""
    levels = np.quantile(view.J, np.linspace(0.05, 0.9, CONTOUR_LEVELS))
    return contour_segments(view.J, view.s, view.t, levels)


def _short(label: str) -> str:
    return label.split(" (")[0].replace(" along w's direction", "")


def _unit(v: np.ndarray) -> np.ndarray:
    return _unit_of(v)(v)


def _unit_of(v: np.ndarray):
    mid, half = (v[0] + v[-1]) / 2, max((v[-1] - v[0]) / 2, 1e-300)
    return lambda x: (np.asarray(x) - mid) / half


class ContourMap:
    """J as a heat map with contour lines, the path, the point and the downhill arrow."""

    def __init__(self):
        self.plot = pg.PlotWidget()
        self.plot.setMinimumSize(200, 160)
        plain_axes(self.plot)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(COLORMAP)
        self.plot.addItem(self.image)
        self.contours = self.plot.plot([], [], pen=pg.mkPen((255, 255, 255, 160), width=1), connect="pairs")
        self.path = self.plot.plot([], [], pen=pg.mkPen("#d62728", width=1))
        self.ghost = self.plot.plot([], [], pen=pg.mkPen((230, 230, 230, 200), width=1,
                                                         style=Qt.PenStyle.DashLine))
        self.point = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#d62728"), pen=pg.mkPen("w"))
        self.plot.addItem(self.point)
        self.arrow_line = self.plot.plot([], [], pen=pg.mkPen("#ffdd57", width=1))
        self.arrow = pg.ArrowItem(headLen=12, brush="#ffdd57", pen=pg.mkPen("#7a5c00"))
        self.plot.addItem(self.arrow)
        self.plot.setToolTip("J on the slice (yellow = high). Red: the path and the current point. "
                             "The arrow points downhill: −gradient, projected onto this plane.")

    def show(self, view: SurfaceView, lines: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``lines``: ``contour_lines(view)`` when it was computed already (on a worker, with the slice)."""
        show_heatmap(self.image, view.J, view.s, view.t)
        self.contours.setData(*(contour_lines(view) if lines is None else lines), connect="pairs")
        self.path.setData(view.path_s, view.path_t)
        if view.ghost_s is not None:
            self.ghost.setData(view.ghost_s, view.ghost_t)
        else:
            self.ghost.setData([], [])
        s, t, _ = view.current
        self.point.setData([s], [t])
        gs, gt = view.downhill
        norm = np.hypot(gs / np.ptp(view.s), gt / np.ptp(view.t))
        if norm > 0:
            scale = 0.15 / norm
            tip = (s + gs * scale, t + gt * scale)
            self.arrow_line.setData([s, tip[0]], [t, tip[1]])
            angle = np.degrees(np.arctan2(-(gt * scale) / np.ptp(view.t), (gs * scale) / np.ptp(view.s)))
            self.arrow.setStyle(angle=180 + angle)
            self.arrow.setPos(*tip)
            self.arrow.show()
        else:
            self.arrow_line.setData([], [])
            self.arrow.hide()
        for side, text in (("bottom", view.s_label), ("left", view.t_label)):
            if self.plot.getAxis(side).labelText != text:  # setting it redraws the axis even when unchanged
                self.plot.setLabel(side, text)
        corners = (view.s[0], view.s[-1], view.t[0], view.t[-1])
        if np.isfinite(corners).all():  # never an axis range of NaN or inf
            self.plot.setRange(xRange=corners[:2], yRange=corners[2:], padding=0)


class SurfacePanel(QWidget):
    """Shows a SurfaceView; the slice is the state's setting, chosen here."""

    def __init__(self, state):
        super().__init__()
        self.choice = QComboBox()
        self.state, self.network = state, None
        self.set_model(network=False)
        self.choice.currentIndexChanged.connect(lambda _: state.change_settings(slice=self.choice.currentData()))
        state.setting_events.slice.connect(lambda kind, _: self.set_kind(kind))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(window-text);")
        self.contour = ContourMap()
        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        problem = opengl_problem()
        self.gl: Surface3D | None = None
        if problem is None:
            self.gl = Surface3D()
            splitter.addWidget(self.gl.container)
        else:
            missing = QLabel(f"No 3-D view: {problem}\nThe contour map shows the same slice.")
            missing.setWordWrap(True)
            missing.setAlignment(Qt.AlignmentFlag.AlignCenter)
            missing.setStyleSheet("color:#7a5c00; background:#fff3cd; padding:12px;")
            splitter.addWidget(missing)
        splitter.addWidget(self.contour.plot)
        splitter.setSizes([1, 1])
        self.this_batch = QCheckBox("this batch's &J")
        self.this_batch.setToolTip("With mini-batches, draw the cost of the batch the next step uses instead of the "
                                   "full J: it jumps at every step. That is stochastic gradient descent's noise: each "
                                   "step goes downhill on its own batch's surface, not on the full J.")
        self.this_batch.setEnabled(False)
        head = QHBoxLayout()
        label = QLabel("Sli&ce:")  # Alt+S opens the Lessons menu
        label.setBuddy(self.choice)
        head.addWidget(label)
        head.addWidget(self.choice, 1)
        head.addWidget(self.this_batch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addWidget(LiveLabelBox(self.note))  # it changes with the slice, 5 times a second
        self.view: SurfaceView | None = None

    def resizeEvent(self, event) -> None:
        """Side by side when the panel is wide, one above the other when it is tall."""
        wide = event.size().width() > 1.25 * event.size().height()
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        super().resizeEvent(event)

    @property
    def kind(self) -> str:
        return self.choice.currentData()

    def set_theme(self, background: str, text: str) -> None:
        if self.gl is not None:
            self.gl.set_theme(background, text)

    def set_text_font(self, font) -> None:
        if self.gl is not None:
            self.gl.set_text_font(font)

    def set_model(self, network: bool) -> None:
        """Offer logistic regression's planes or a network's (the setting keeps its kind: an unknown one shows the
        first, which is what the frame draws)."""
        if network == self.network:
            return
        self.network = network
        self.choice.blockSignals(True)
        self.choice.clear()
        for k, (label, kind, explained) in enumerate(NETWORK_SLICES if network else SLICES):
            self.choice.addItem(label, kind)
            self.choice.setItemData(k, explained, Qt.ItemDataRole.ToolTipRole)
        self.choice.blockSignals(False)
        self.choice.setToolTip(("J lives in as many dimensions as θ has numbers" if network else
                                "J lives in n_x + 1 dimensions") + "; we draw it exactly on a 2-D plane through the "
                               "current point. Choose the plane.")
        self.set_kind(self.state.settings.slice)

    def set_kind(self, kind: str) -> None:
        """Show ``kind`` without sending it back as an intent."""
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(max(0, self.choice.findData(kind)))
        self.choice.blockSignals(False)

    def show_view(self, view: SurfaceView, show_3d: bool = True, batch: int | None = None, m: int = 0,
                  lines: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``batch``: the size of the batch whose J is drawn (None: the full J, or no mini-batches); ``lines``: the
        contour map's, computed with the slice (``contour_lines``)."""
        self.view = view
        self.contour.show(view, lines)
        if self.gl is not None and show_3d:
            self.gl.show(view)
        which = (f"This is the J of the next step's batch ({batch} of the m = {m} examples); it jumps at every "
                 "step. " if batch is not None else "")
        self.note.setText(which + view.note + view.distance_note())

    def release_gl(self) -> None:
        if self.gl is not None:
            self.gl.release()
            self.gl = None

    def grab_with_gl(self) -> QImage:
        """The panel as an image, with the GL framebuffer pasted in (grab() leaves it blank)."""
        image = self.grab().toImage()
        paste_gl(image, self, self)
        return image


def paste_gl(image: QImage, widget: QWidget, panel: SurfacePanel) -> None:
    """Paint the panel's 3-D framebuffer into a grab of ``widget`` (an ancestor of the panel)."""
    if panel.gl is None or not panel.gl.container.isVisible():  # hidden with the panel, or by a ModelNote
        return
    painter = QPainter(image)
    painter.drawImage(panel.gl.container.mapTo(widget, panel.gl.container.rect().topLeft()), panel.gl.grab())
    painter.end()
