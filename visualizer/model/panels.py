"""The window's panels, one entry each: everything that names a panel derives from this list.

The docks and their titles, the compact layout's short tabs, how often the window redraws a
panel while training, the lesson files' panel names, and the views of `visualizer screenshot`,
`visualizer animate` and File > Export > Animation all read it. It is Qt-free, so lesson files
and the command line read it too; visualizer/app/window/panel_widgets.py says which widget each is.

A new panel is a widget file with ``draw(frame)`` plus one line here and one in panel_widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where a panel sits: the middle of the window, a dock area of it, or a tab of the Lessons window.
CENTRE, LEFT, RIGHT, BOTTOM, LESSONS = "centre", "left", "right", "bottom", "lessons"
DOCK_AREAS = (LEFT, RIGHT, BOTTOM)
#: How often a panel on screen is drawn again while training: at every frame (at most 50 a second),
#: at most 10 times a second, or at most 5 (with the surface). When the run is still, at every change.
FRAME, MEDIUM, SLOW = "frame", "medium", "slow"
#: Panels whose picture is logistic regression's: one neuron's w, its convex J(w, b), its graph and its maths.
LOGISTIC = ("logistic",)
#: Which pictures a panel offers alone: none, a still (`screenshot --view`), or also animations.
NO_VIEW, STILL, ANIMATED = "", "still", "animated"


@dataclass(frozen=True)
class View:
    """A picture by the name `--view` takes; ``animated``: `animate` and File > Export > Animation offer it too;
    ``gl``: it holds the 3-D view, so it needs a display (OpenGL) to be drawn."""

    key: str
    title: str
    animated: bool
    gl: bool = False


@dataclass(frozen=True)
class Panel:
    key: str  #: the name lesson files, `--view` and the window's docks use
    title: str  #: the dock's title; a lesson's is its tab's
    short: str  #: a few words: the tab when docks are tabbed to fit a small screen; a lesson's menu entry
    area: str  #: CENTRE, a dock area, or LESSONS
    tier: str  #: FRAME, MEDIUM or SLOW
    pictured: str = NO_VIEW  #: NO_VIEW, STILL or ANIMATED
    parts: tuple[View, ...] = ()  #: views of a part of it alone
    behind: str | None = None  #: opens as a tab behind this panel
    gl: bool = False  #: draws with OpenGL
    #: The models (core/models/registry.py) its picture means something for; on another it says so instead.
    models: tuple[str, ...] = ("logistic", "network")

    @property
    def docked(self) -> bool:
        """A dock of the main window: a lesson file can show, hide, place and tab it."""
        return self.area in DOCK_AREAS

    @property
    def views(self) -> tuple[View, ...]:
        own = (View(self.key, self.title, self.pictured == ANIMATED, self.gl),) if self.pictured else ()
        return own + self.parts


PANELS = (
    Panel("surface", "Surface: 3-D and contours", "Surface", CENTRE, SLOW, ANIMATED,
          parts=(View("contours", "Contour map", animated=True),), gl=True),
    Panel("controls", "Controls", "Controls", LEFT, FRAME),
    Panel("weights", "Weights w as an image", "Weights w", LEFT, SLOW, ANIMATED),
    Panel("cost", "Cost J and accuracy", "Cost J", RIGHT, FRAME, ANIMATED),
    Panel("sigmoid", "Every example on σ(z)", "σ(z)", RIGHT, FRAME, ANIMATED),
    Panel("classify", "Classify dropped images", "Classify", RIGHT, SLOW, behind="sigmoid"),
    Panel("boundary", "Decision boundary: ŷ over the plane", "Boundary", RIGHT, FRAME, ANIMATED, behind="sigmoid"),
    Panel("evaluation", "Evaluation", "Evaluation", RIGHT, MEDIUM, STILL, behind="cost"),
    Panel("gallery", "Examples and their ŷ", "Examples", BOTTOM, MEDIUM, ANIMATED),
    Panel("image-vector", "Lesson: an image becomes a vector", "An image becomes a vector", LESSONS, SLOW, STILL),
    Panel("computation-graph", "Lesson: the computation graph", "The computation graph", LESSONS, SLOW, STILL,
          models=LOGISTIC),
    Panel("vectorization", "Lesson: why vectorize", "Why vectorize", LESSONS, SLOW, STILL, models=LOGISTIC),
    Panel("convexity", "Lesson: convexity and the loss", "Convexity and the loss", LESSONS, SLOW, STILL,
          models=LOGISTIC),
    Panel("bowl", "Lesson: J(w, b) with w a single number", "J(w, b) with w a single number", LESSONS, SLOW, STILL,
          models=LOGISTIC),
    Panel("mini-batches", "Lesson: why mini-batches", "Why mini-batches", LESSONS, SLOW, STILL, models=LOGISTIC),
)
BY_KEY = {p.key: p for p in PANELS}

#: The main window's docks and the Lessons window's tabs, in the order the window makes them.
MAIN_PANELS = tuple(p.key for p in PANELS if p.docked)
LESSON_PANELS = tuple(p.key for p in PANELS if p.area == LESSONS)

#: Views that are not one panel: the whole window, and a race of Explore > Compare runs.
WINDOW = View("window", "The whole window", animated=True, gl=True)
RACE = View("race", "A race of Explore > Compare runs", animated=False)
#: `visualizer screenshot --view`, and `visualizer animate --view` with File > Export > Animation.
SCREENSHOT_VIEWS = (WINDOW, *(v for p in PANELS for v in p.views), RACE)
ANIMATED_VIEWS = tuple(v for v in SCREENSHOT_VIEWS if v.animated)
VIEWS = {v.key: v for v in SCREENSHOT_VIEWS}


def means(key: str, model: str) -> bool:
    """Whether panel ``key``'s picture means something for ``model``."""
    return model in BY_KEY[key].models


def in_tier(tier: str) -> tuple[str, ...]:
    """The panels drawn again at ``tier``'s pace while training."""
    return tuple(p.key for p in PANELS if p.tier == tier)


def panel_of(view: str) -> Panel | None:
    """The panel a view shows (all or part of); None for the whole window and the race."""
    return next((p for p in PANELS if any(v.key == view for v in p.views)), None)
