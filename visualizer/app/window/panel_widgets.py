"""Which widget is each panel of visualizer/model/panels.py: the window builds them all from here.

Each maker takes the window's state (``WindowState``). A panel the window draws at its tier's
pace has ``draw(frame)`` (visualizer/app/run/frame.py); the surface, the cost curve and the
Controls are drawn by the window's own code (visualizer/app/window/rendering.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from visualizer.app.lessons.bowl_lesson import BowlPanel
from visualizer.app.lessons.lesson_graph import GraphPanel
from visualizer.app.lessons.lessons import ConvexityPanel, ImageVectorPanel, VectorizationPanel
from visualizer.app.lessons.minibatch_lesson import MiniBatchPanel
from visualizer.app.panels.boundary import BoundaryPanel
from visualizer.app.panels.classify import ClassifyPanel
from visualizer.app.panels.controls import ControlsPanel
from visualizer.app.panels.cost_curve import CostCurvePanel
from visualizer.app.panels.evaluation import EvaluationPanel
from visualizer.app.panels.gallery import GalleryPanel
from visualizer.app.panels.sigmoid import SigmoidPanel
from visualizer.app.panels.surface import SurfacePanel
from visualizer.app.panels.weights import WeightsPanel
from visualizer.model.panels import LESSON_PANELS


def _alone(widget: Callable[[], QWidget]) -> Callable[[object], QWidget]:
    """A panel that needs nothing of the state to be built."""
    return lambda _state: widget()


#: key -> the panel's widget, made from the window's state.
MAKERS: dict[str, Callable[[object], QWidget]] = {
    "surface": SurfacePanel,
    "controls": ControlsPanel,
    "weights": _alone(WeightsPanel),
    "cost": CostCurvePanel,
    "sigmoid": _alone(SigmoidPanel),
    "classify": lambda state: ClassifyPanel(state.train.classes),
    "boundary": _alone(BoundaryPanel),
    "evaluation": EvaluationPanel,
    "gallery": _alone(GalleryPanel),
    "image-vector": _alone(ImageVectorPanel),
    "computation-graph": _alone(GraphPanel),
    "vectorization": _alone(VectorizationPanel),
    "convexity": _alone(ConvexityPanel),
    "bowl": _alone(BowlPanel),
    "mini-batches": _alone(MiniBatchPanel),
}

class Panels(dict):
    """The window's panels by key: a lesson's is made by ``make_lesson(key)`` the first time it is asked for.

    Made at once, the six lessons took about 0.4 s of a 1.1 s window that most runs never show them in;
    ``key in panels`` and ``panels.values()`` cover only those made so far.
    """

    def __init__(self, panels: dict[str, QWidget], make_lesson: Callable[[str], QWidget]):
        super().__init__(panels)
        self._make_lesson = make_lesson

    def __missing__(self, key: str) -> QWidget:
        if key not in LESSON_PANELS:
            raise KeyError(key)
        return self._make_lesson(key)


#: Taller than a short screen: they scroll instead of setting the window's minimum height.
SCROLLED = ("controls",)
#: Views of a part of a panel: the widget that is grabbed alone.
PARTS: dict[str, Callable[[QWidget], QWidget]] = {"contours": lambda surface: surface.contour.plot}
