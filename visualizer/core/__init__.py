"""The maths of one sigmoid neuron, in numpy only (a test checks that no Qt gets imported)."""

from visualizer.core.analysis.surface import (
    Plane,
    PlanePoints,
    SurfaceSlice,
    principal_plane,
    view_ranges,
    w_direction_plane,
)
from visualizer.core.engine.gradient_descent import GradientDescent, initial_parameters, validate_alpha
from visualizer.core.engine.losses import LOSSES, CrossEntropy, Loss, SquaredError, get_loss, sigmoid, softplus
from visualizer.core.engine.metrics import accuracy, explain, predict
from visualizer.core.optim.optimizers import Optimizer

__all__ = [
    "LOSSES",
    "CrossEntropy",
    "GradientDescent",
    "Loss",
    "Optimizer",
    "Plane",
    "PlanePoints",
    "SquaredError",
    "SurfaceSlice",
    "accuracy",
    "explain",
    "get_loss",
    "initial_parameters",
    "predict",
    "principal_plane",
    "sigmoid",
    "softplus",
    "validate_alpha",
    "view_ranges",
    "w_direction_plane",
]
