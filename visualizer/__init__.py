"""visualizer: logistic regression as a one-neuron network, trained where you can watch it."""

__version__ = "0.1.0"
