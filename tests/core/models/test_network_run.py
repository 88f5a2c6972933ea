"""The network run the window drives: GradientDescent's protocol over NetworkDescent, without a window."""

from dataclasses import replace

import numpy as np
import pytest

from visualizer.core.models import MODELS, NetworkRun, model_of
from visualizer.core.models.network import Network, cost, initial_parameters
from visualizer.core.models.network_run import CANCEL_EVERY
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.planar import flower


def _tiny(**kwargs) -> NetworkRun:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 20)) * 10
    Y = (rng.random(20) > 0.5).astype(float)
    return NetworkRun(X, Y, **({"hidden": (3,), "activation": "relu", "init": "random", "seed": 0, "init_scale": 1.0}
                               | kwargs))


def _flower_run(**kwargs) -> NetworkRun:
    X, Y = flower()
    return NetworkRun(X, Y, **({"hidden": (4,), "activation": "tanh", "init": "random", "seed": 2,
                                "init_scale": 0.01, "alpha": 1.2, "metric_stride": 50} | kwargs))


def test_the_course_flower_figure_through_the_run():
    run = _flower_run()
    while run.iteration < 1001:
        run.step(97)  # in uneven pieces, as the window's batches come
    costs = run.history.costs.values
    assert round(costs[0], 6) == 0.693048 and round(costs[1000], 6) == 0.288083
    its, values = run.history.metric("train_cost")
    assert its[0] == 0 and values[0] == costs[0]
    assert run.metrics()["train_accuracy"] > 85 and run.metrics()["test_accuracy"] is None
    assert model_of(run) is MODELS["network"] and run.param.kind in ("gram", "primal")


def test_replays_reach_the_very_state_stepping_reached_across_alpha_changes():
    run = _flower_run(hidden=(5, 3), activation="relu", init_scale="he", alpha=0.01)
    thetas = {0: run.theta.copy()}
    for alpha, n in ((0.01, 10), (0.5, 40), (0.02, 33)):
        run.alpha = alpha
        for _ in range(n):
            run.step(1)
            thetas[run.iteration] = run.theta.copy()
    for i in (0, 5, 10, 17, 33, 50, 61, 82):
        assert np.array_equal(run.full_state_at(i)[0], thetas[i]), i
    assert np.array_equal(run.theta, thetas[83])  # a replay leaves the run where it was
    run.rewind(33)
    assert run.iteration == 33 and len(run.history.costs) == 33 and np.array_equal(run.theta, thetas[33])
    assert run.alpha == 0.02  # the α in force stays
    with pytest.raises(ValueError, match="outside"):
        run.full_state_at(40)


def test_the_state_and_costs_match_the_reference_maths():
    run = _flower_run(hidden=(3,), alpha=0.5)
    run.step(30)
    net = Network(2, (3,), "tanh")
    assert run.cost == pytest.approx(cost(net, run.theta, run.param.X, run.y), abs=1e-12)
    assert run.history.costs.values[0] == pytest.approx(
        cost(net, initial_parameters(net, "random", 2, 0.01), run.param.X, run.y), abs=1e-12)


def test_an_overflowing_step_halts_at_the_last_finite_state_until_alpha_changes():
    run = _tiny(alpha=1e6)
    ran = run.step(1000)
    assert run.halted and ran == run.iteration < 1000
    assert run.overflow.startswith(f"the step overflowed at iteration {run.iteration}") and "α = 1e6" in run.overflow
    assert np.isfinite(run.cost) and np.isfinite(run.history.costs.values).all()
    assert run.step(10) == 0
    run.alpha = 1e-3
    assert not run.halted and run.step(10) == 10


def test_cancel_is_heard_between_short_pieces():
    run = _flower_run()
    asked = []
    ran = run.step(1000, cancelled=lambda: asked.append(1) or len(asked) > 2)
    assert ran <= 2 * CANCEL_EVERY


def test_a_new_lambda_on_plain_descent_restarts_the_replayable_past():
    run = _flower_run()
    run.step(20)
    theta = run.theta.copy()
    run.optimizer = Optimizer(lam=0.7)
    assert run.replay_from == 20 and np.array_equal(run.theta, theta)
    assert run.cost == pytest.approx(cost(Network(2, (4,), "tanh", lam=0.7), theta, run.param.X, run.y), abs=1e-12)
    run.step(5)
    assert run.full_state_at(20)[0] == pytest.approx(theta, abs=1e-12)


def test_test_set_and_exact_state_for_sessions():
    X, Y = flower()
    run = _flower_run(X_test=X[:, :50], Y_test=Y[:, :50])
    run.step(60)
    metrics = run.metrics()
    assert metrics["test_accuracy"] is not None and metrics["test_cost"] > 0
    exact = run.exact_state()
    again = _flower_run(X_test=X[:, :50], Y_test=Y[:, :50])
    again.restore(None, None, run.iteration, run.history, exact)
    assert np.array_equal(again.theta, run.theta) and again.replay_from == 0  # its past kept (formats/run_past.py)
    older = _flower_run(X_test=X[:, :50], Y_test=Y[:, :50])
    older.restore(None, None, run.iteration, run.history, replace(exact, past=None))  # an older file's
    assert np.array_equal(older.theta, run.theta) and older.replay_from == 60
    run.step(7)
    again.step(7)
    assert np.array_equal(again.theta, run.theta)


def test_the_old_alphas_ghost_is_that_alphas_path_and_leaves_the_run_alone():
    run = _flower_run()
    run.step(50)
    theta = run.theta.copy()
    costs, thetas = run.simulate(theta, 0.3, 35)
    assert np.array_equal(run.theta, theta) and run.iteration == 50 and thetas.shape == (4, run.net.size)
    other = _flower_run(alpha=1.2)
    other.step(50)
    other.alpha = 0.3
    other.step(35)
    assert costs == pytest.approx(other.history.costs.values[50:], abs=1e-12)


def test_checkpoints_keep_to_their_memory_and_replays_stay_exact(monkeypatch):
    monkeypatch.setattr("visualizer.core.models.network_run.CHECKPOINT_BYTES", 8 * 17 * 6)  # six flower states
    run = _flower_run()
    thetas = {}
    for _ in range(40):
        run.step(13)
        thetas[run.iteration] = run.theta.copy()
    assert len(run.trajectory.iterations) <= 6 and run.trajectory.stride > 16
    for i in (13, 260, 507):
        assert np.array_equal(run.full_state_at(i)[0], thetas[i])
