"""Mesa's software OpenGL must really draw under Xvfb, or the 3-D views are blank in CI."""

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetrics

from visualizer.app.panels.surface import EDGE, Surface3D


def test_gl_surface_renders_pixels(qtbot):
    view = gl.GLViewWidget()
    qtbot.addWidget(view)
    view.setBackgroundColor("w")
    view.resize(320, 240)
    x = np.linspace(-2, 2, 25)
    z = np.add.outer(x**2, x**2)
    colors = pg.colormap.get("viridis").map((z - z.min()) / np.ptp(z), mode="float").reshape(25, 25, 4)
    view.addItem(gl.GLSurfacePlotItem(x=x, y=x, z=z, colors=colors, computeNormals=False))
    view.show()
    qtbot.waitExposed(view)
    image = view.grabFramebuffer().convertToFormat(pg.QtGui.QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    pixels = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    not_white = np.any(pixels < 240, axis=2)
    assert not_white.mean() > 0.05, "the surface did not render"


def test_a_wide_surface_view_sees_as_much_height_as_a_four_by_three_one(window):
    gl_view = window.surface.gl
    assert gl_view is not None, "no 3-D view under Xvfb"
    height_of = {}
    for w, h in ((400, 300), (800, 200), (300, 300)):
        m = gl_view.window.projectionMatrix((0, 0, w, h), (0, 0, w, h))
        height_of[(w, h)] = m.row(1).y()  # 2n / (top - bottom): larger is a narrower vertical view
    assert abs(height_of[(800, 200)] - height_of[(400, 300)]) < 1e-6 * height_of[(400, 300)]
    assert height_of[(300, 300)] < height_of[(400, 300)]  # a squarer view sees more height, as before


def test_the_3d_views_right_axis_label_stays_whole_in_a_narrow_dock(qtbot):
    """In the Surface dock of a 1024 × 768 window (285 px) "random direction 2" ran off the view's right edge."""
    view = Surface3D()
    try:
        qtbot.addWidget(view.container)
        view.container.resize(285, 300)
        view.container.show()
        qtbot.waitExposed(view.container)
        label = view.labels[1]
        label.setData(pos=(1.2, 0, 0), text="random direction 2")
        kept, seen = label.align_text, []

        def spy(pos):  # where pyqtgraph would put the text, and where it goes
            seen.append((gl.GLTextItem.align_text(label, QPointF(pos)).x(), kept(pos).x()))
            return kept(pos)

        label.align_text = spy
        view.window.update()
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)  # the next frame paints the labels
        width, text = view.window.width(), QFontMetrics(label.font).tightBoundingRect(label.text).width()
        (raw, x), *_ = seen
        assert width <= 300 and raw + text > width  # it was cut at the edge
        assert x >= EDGE and x + text <= width - EDGE
    finally:
        view.release()
