"""A run from data and settings: the one recipe the window, the lesson checker, the "Show me" search and
`visualizer train` (logistic regression) use, so what they say about a run is said about the run the window makes.
The race builds its rows with the same trainer and start in core (it cannot import this layer); the engine's
arithmetic does not depend on how a caller splits the iterations, so all of them get the same numbers."""

from __future__ import annotations

import math

from visualizer.core import GradientDescent
from visualizer.core.analysis.sharpening import LiveSharpness
from visualizer.core.analysis.stability import EdgeProbe
from visualizer.core.models.registry import model_for, model_of
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import Dataset
from visualizer.model.settings import RunSettings, run_optimizer

#: Test cost and accuracies every this many iterations: fine enough to draw, and each
#: record ends a chunk of the engine's fast loop, so a finer stride costs training speed.
METRIC_STRIDE = 50


def metric_stride(gd: GradientDescent, optimizer: Optimizer) -> int:
    """Iterations between two records of the full J, test J and accuracies: METRIC_STRIDE, or more when a step
    sees few examples, so that one record (a pass over train and test) costs at most a tenth of the steps between."""
    examples = gd.m + (0 if gd.test is None else gd.test.m)
    stride = max(METRIC_STRIDE, math.ceil(10 * examples / optimizer.batch(gd.m)))
    return int(next(k * 10**e for e in range(12) for k in (1, 2, 5) if k * 10**e >= stride))


def new_run(train: Dataset, test: Dataset | None, settings: RunSettings, *, alpha: float | None = None,
            share_with: GradientDescent | None = None, edge: bool = True) -> GradientDescent:
    """A fresh run of the model the settings say (the registry's trainer: no hidden layer is logistic regression),
    from their start (``alpha`` in place of theirs), its iteration 0 recorded.

    ``edge``: 2/λmax recorded with the metrics (EdgeProbe, logistic regression's; LiveSharpness, a network's
    measured λmax where affordable); ``share_with``: a run whose Gram matrix fits."""
    optimizer = run_optimizer(settings, train.m)
    model = model_for(settings.hidden)
    gd = model.trainer(
        train.X, train.Y, alpha=settings.alpha if alpha is None else alpha, loss=settings.loss, init=settings.init,
        seed=settings.seed, X_test=None if test is None else test.X, Y_test=None if test is None else test.Y,
        metric_stride=METRIC_STRIDE, optimizer=optimizer, share_with=share_with,
        **{key: getattr(settings, key) for key in model.options},
    )
    if edge:
        gd.probe = LiveSharpness() if model.has_hidden else EdgeProbe()
    gd.metric_stride = metric_stride(gd, optimizer)
    gd.step(0)  # records iteration 0's metrics: the test J, accuracies and edge are there before any step
    return gd


def built_with(gd) -> dict:
    """The settings that made a run what it is, its model's included: a new value of one starts a new run."""
    return {"loss": gd.loss.name, "init": gd.init, "seed": gd.seed, "hidden": (),
            **{key: getattr(gd, key) for key in model_of(gd).options}}
