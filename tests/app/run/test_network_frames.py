"""Frames of a network run, without a window: the output's z for any inputs, the first layer, and replays."""

import numpy as np
import pytest

from visualizer.app.run.frame import build_frame
from visualizer.app.run.training import TrainingController
from visualizer.core.analysis.sharpening import SharpnessProbe
from visualizer.core.models import NetworkRun, cost
from visualizer.core.models.network import output_z
from visualizer.core.models.slices import random_plane
from visualizer.data import load_data
from visualizer.model.state import DataSets, WindowState


@pytest.fixture
def controller(qapp, demo):
    c = TrainingController(WindowState(DataSets(*demo)))
    yield c
    c.shutdown()

ONE_POINT = "The path drawn here is one point: iteration 0, where the run starts."


def test_output_z_is_the_models_for_any_inputs_and_looking_back_replays(controller, qtbot):
    c = controller
    X = c.train.X[:, :7]
    frame = build_frame(c)
    assert frame.output_z(X) == pytest.approx(frame.w @ X + float(frame.theta[-1]))  # logistic: w·X + b
    c.state.change_settings(hidden=(3,), init="random", activation="tanh", alpha=0.01)
    assert isinstance(c.gd, NetworkRun)
    c.step(40)
    qtbot.waitUntil(lambda: not c.running, timeout=10000)
    frame = build_frame(c)
    assert frame.iteration == 40 and np.array_equal(frame.output_z(c.train.X), c.gd.z)
    W1, b1 = frame.first_layer()
    assert W1.shape == (3, c.train.n_x) and b1.shape == (3,) and frame.weight_images().shape == (3, 64, 64, 3)
    assert frame.hidden_view(X).shape == (3, 7)  # the last hidden layer's 3 units see each input
    assert frame.verdicts([]) == [] and frame.edge().reason == "network"
    back = build_frame(c, view_iteration=17)
    twin = NetworkRun(c.train.X, c.train.Y, hidden=(3,), activation="tanh", init="random", seed=c.gd.seed,
                      alpha=0.01)
    twin.step(17)
    assert np.array_equal(back.theta, twin.theta) and np.array_equal(back.z_train, twin.z)
    assert back.output_z(X) == pytest.approx(output_z(c.gd.net, twin.theta, X).reshape(-1))
    c.state.change_settings(hidden=(5, 2))
    view = build_frame(c).hidden_view(X)
    assert view.shape == (2, 7) and np.all(np.abs(view) < 1)  # tanh units
    c.state.change_settings(hidden=(4,))
    assert build_frame(c).hidden_view(X) is None and build_frame(c).first_layer()[0].shape == (4, c.train.n_x)
    c.state.change_settings(hidden=())
    assert build_frame(c).first_layer() is None and build_frame(c).hidden_view(X) is None


def test_a_networks_surface_is_its_exact_j_and_its_edge_the_measured_2_over_lambda_max(qapp, qtbot):
    c = TrainingController(WindowState(DataSets(*load_data("planar:flower", test_fraction=0))))
    try:
        c.state.change_settings(hidden=(4,), activation="tanh", init="random", seed=2, alpha=1.2)
        assert build_frame(c).surface("random", grid=3).distance_note() == ONE_POINT
        c.step(300)
        qtbot.waitUntil(lambda: not c.running, timeout=10000)
        frame, net, X, Y = build_frame(c), c.gd.net, c.train.X, c.train.Y
        view = frame.surface("random", grid=4)
        d1, d2 = random_plane(net, frame.theta, seed=2).d1, random_plane(net, frame.theta, seed=2).d2
        for i, j in ((0, 0), (1, 3), (3, 2)):
            assert view.J[i, j] == pytest.approx(cost(net, frame.theta + view.s[i] * d1 + view.t[j] * d2, X, Y),
                                                 rel=1e-12)
        assert view.path_s[-1] == pytest.approx(0) and view.path_every == c.gd.surface_path(300)[2]
        assert build_frame(c).surface("random", grid=4) is view  # made once per iteration, not at every redraw
        assert frame.surface("principal", grid=3).kind == "principal"
        its, edges = c.gd.history.metric("edge")
        assert list(its) == list(range(0, 301, c.gd.metric_stride)) and np.all(np.isfinite(edges))
        theta = c.gd.full_state_at(int(its[-1]))[0]
        measured = SharpnessProbe(tol=1e-9, budget=500).measure(net, theta, X, Y)["edge"]
        edge = frame.edge()
        assert edge.alpha == edges[-1] and edge.alpha == pytest.approx(measured, rel=1e-3)
        assert edge.measured_at == its[-1] and edge.reason == "network" and edge.formula == "2/λmax"
        c.state.change_settings(hidden=(2000,), activation="tanh")  # 400 × 8,001 parameters: not followed live
        assert not np.isfinite(c.gd.history.metric("edge")[1]).any()
        assert build_frame(c).edge().why.startswith("2/λmax is not recorded for this network: m × parameters")
    finally:
        c.shutdown()
