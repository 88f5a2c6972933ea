"""The models registry: what the rest of the app learns about each model from one place."""

import subprocess
import sys

import pytest

from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.models import MODELS, NetworkRun, get_model, model_for


def test_logistic_regression_is_todays_engine_and_convex_with_cross_entropy():
    spec = get_model("logistic")
    assert spec.trainer is GradientDescent
    assert spec.is_convex("cross-entropy") and not spec.is_convex("squared-error")
    assert spec.parameter_shapes(12288) == [("w", (12288,)), ("b", ())]
    assert spec.first_layer_in_span
    with pytest.raises(ValueError, match="no hidden layers"):
        spec.parameter_shapes(3, (4,))


def test_a_network_is_never_convex_and_lists_its_layers():
    spec = get_model("network")
    assert spec.trainer is NetworkRun
    assert not spec.is_convex("cross-entropy") and not spec.is_convex("squared-error")
    assert spec.parameter_shapes(12288, (20, 7, 5)) == [
        ("W1", (20, 12288)), ("b1", (20, 1)), ("W2", (7, 20)), ("b2", (7, 1)),
        ("W3", (5, 7)), ("b3", (5, 1)), ("W4", (1, 5)), ("b4", (1, 1)),
    ]
    assert spec.first_layer_in_span
    with pytest.raises(ValueError, match="logistic regression"):
        spec.parameter_shapes(3, ())


def test_no_hidden_layer_means_logistic_regression():
    assert model_for([]) is MODELS["logistic"]
    assert model_for([4]) is model_for((20, 7, 5)) is MODELS["network"]
    with pytest.raises(ValueError, match="logistic, network"):
        get_model("svm")


def test_models_and_planar_data_import_without_qt():
    code = ("import sys, visualizer.core.models, visualizer.data.planar\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'PySide6', 'shiboken6', 'pyqtgraph', 'OpenGL'})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
