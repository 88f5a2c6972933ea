"""The models: logistic regression (today's engine) and networks with hidden layers, in numpy only."""

from visualizer.core.models.activations import ACTIVATIONS, Activation, get_activation
from visualizer.core.models.curvature import Sharpness, hessian_vector, sharpness
from visualizer.core.models.descent import NetworkDescent
from visualizer.core.models.network import (
    INITS,
    NAMED_SCALES,
    Network,
    cost,
    descend,
    forward,
    gradient,
    initial_parameters,
    network_accuracy,
    output_z,
)
from visualizer.core.models.network_run import NetworkRun
from visualizer.core.models.optimized import NetworkOptimized, network_trainer
from visualizer.core.models.registry import MODELS, ModelSpec, get_model, model_for, model_of

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "MODELS",
    "NAMED_SCALES",
    "Activation",
    "ModelSpec",
    "Network",
    "NetworkDescent",
    "NetworkOptimized",
    "NetworkRun",
    "Sharpness",
    "cost",
    "descend",
    "forward",
    "get_activation",
    "get_model",
    "gradient",
    "hessian_vector",
    "initial_parameters",
    "model_for",
    "model_of",
    "network_accuracy",
    "network_trainer",
    "output_z",
    "sharpness",
]
