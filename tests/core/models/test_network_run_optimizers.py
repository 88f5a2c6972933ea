"""NetworkRun with every optimizer network_trainer runs: the same steps, exact replays across switches, sessions."""

import numpy as np
import pytest

from visualizer.core.models import NetworkRun
from visualizer.core.models.network import Network, initial_parameters
from visualizer.core.models.optimized import network_trainer
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data.planar import flower

ADAM = Optimizer(kind="adam", batch_size=16, decay=0.05, lam=0.1)


def _data(m: int = 120):
    X, Y = flower()
    return X[:, :m], Y[:, :m]


def _run(optimizer: Optimizer, **kwargs) -> NetworkRun:
    X, Y = _data()
    return NetworkRun(X, Y, **({"hidden": (4,), "activation": "tanh", "seed": 2, "init_scale": 0.5, "alpha": 0.02,
                                "metric_stride": 10, "optimizer": optimizer} | kwargs))


def test_adam_with_batches_decay_and_l2_steps_as_network_trainer_does():
    run = _run(ADAM)
    X, Y = _data()
    net = Network(2, (4,), "tanh", lam=ADAM.lam)
    reference = network_trainer(net, X, Y, initial_parameters(net, "random", 2, 0.5), alpha=0.02, optimizer=ADAM,
                                seed=2)
    for piece in (7, 1, 30, 3):  # uneven pieces, as the window's batches come
        run.step(piece)
        reference.step(piece)
        assert np.array_equal(run.theta, reference.theta)
    assert np.array_equal(run.history.costs.values, reference.costs)
    assert run.opt_state.t == 41 and run.opt_state.epoch == 41 * 16 // 120
    assert run.metrics()["train_cost"] == reference.cost()


def _same(a, b) -> bool:
    (theta_a, state_a), (theta_b, state_b) = a, b
    return (np.array_equal(theta_a, theta_b) and state_a.arrays.keys() == state_b.arrays.keys()
            and all(np.array_equal(state_a.arrays[k], state_b.arrays[k]) for k in state_a.arrays)
            and (state_a.t, state_a.epoch, state_a.position) == (state_b.t, state_b.epoch, state_b.position))


@pytest.mark.parametrize("then", [Optimizer(kind="rmsprop", batch_size=16),  # on θ itself: in place
                                  Optimizer(kind="momentum", batch_size=32, lam=0.2)])  # a new β and B in place
def test_replays_are_exact_across_an_optimizer_switch_mid_run(then):
    run = _run(Optimizer(kind="adam" if then.kind == "rmsprop" else "momentum", batch_size=16), alpha=0.01)
    stepped = {}
    for i in range(60):
        if i == 23:
            run.optimizer = then
        if i == 40:
            run.alpha = 0.005
        stepped[run.iteration] = (run.theta.copy(), run.opt_state.copy())
        run.step(1)
    assert run.replay_from == 0  # the same stepper followed
    for i in (0, 5, 22, 24, 31, 39, 41, 59):
        assert _same(run.full_state_at(i), stepped[i]), i
    now = (run.theta.copy(), run.opt_state.copy())
    assert _same((run.theta, run.opt_state), now)  # replays leave the run as it was
    run.rewind(30)
    assert _same((run.theta, run.opt_state), stepped[30])


def test_plain_descent_to_adam_goes_on_from_theta_and_replays_exactly_after():
    run = _run(Optimizer())
    run.step(20)
    theta = run.theta.copy()
    run.optimizer = Optimizer(kind="adam", batch_size=16)
    assert run.replay_from == 20 and np.array_equal(run.theta, theta) and "adam" in run.restart_why
    stepped = {}
    for _ in range(30):
        stepped[run.iteration] = (run.theta.copy(), run.opt_state.copy())
        run.step(1)
    assert all(_same(run.full_state_at(i), stepped[i]) for i in (20, 33, 49))
    run.optimizer = Optimizer()  # back to the fast loop
    run.step(5)
    assert run.method in ("gram", "primal") and run.iteration == 55


def test_a_session_of_an_adam_run_goes_on_bit_for_bit():
    run = _run(ADAM)
    run.step(37)  # mid-epoch: the position and the moments must come back too
    exact = run.exact_state()
    again = _run(ADAM)
    again.restore(None, float(run.theta[-1]), run.iteration, run.history, exact)
    assert _same((again.theta, again.opt_state), (run.theta, run.opt_state))
    run.step(25)
    again.step(25)
    assert np.array_equal(again.theta, run.theta)


def test_an_overflowing_momentum_step_halts_at_the_last_finite_state_until_alpha_changes():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 20)) * 10, (rng.random(20) > 0.5).astype(float)
    run = NetworkRun(X, Y, hidden=(3,), activation="relu", seed=0, init_scale=1.0, alpha=1e5, metric_stride=10,
                     optimizer=Optimizer(kind="momentum"))
    ran = [run.step(1) for _ in range(60)]  # one at a time: the step into J = inf is taken back in the next call
    costs = run.history.costs.values
    assert run.halted and "momentum with α = 1e5" in run.overflow and min(ran) == 0
    assert costs.size == run.iteration == sum(ran) - 1  # the last step counted went where J is not finite
    assert np.isfinite(costs).all() and np.isfinite(run.cost)
    assert run.history.metrics["iteration"].values[-1] <= run.iteration
    run.alpha = 1e-4
    assert run.step(5) == 5 and not run.halted


def test_two_switches_at_one_iteration_leave_the_state_one_switch_from_where_it_was():
    run = _run(Optimizer(kind="adam", batch_size=16))
    run.step(10)
    moments = run.opt_state.copy()
    run.optimizer = Optimizer(kind="rmsprop", batch_size=16)  # its own moments from zero...
    assert run.opt_state.arrays == {}
    run.optimizer = Optimizer(kind="adam", batch_size=16)  # ...and back before a step: Adam's are as they were
    assert _same((run.theta, run.opt_state), (run.theta, moments)) and len(run.history.optimizer_changes) == 1
    stepped = (run.step(5), run.theta.copy(), run.opt_state.copy())[1:]
    run.step(3)
    assert _same(run.full_state_at(15), stepped)


def test_a_session_of_plain_descent_after_adam_keeps_the_epoch_it_reached():
    run = _run(Optimizer(kind="adam", batch_size=60))
    run.step(4)  # two epochs of 120 examples
    run.optimizer = Optimizer()
    run.step(3)
    assert run.opt_state.epoch == 5
    again = _run(Optimizer())
    again.restore(None, float(run.theta[-1]), run.iteration, run.history, run.exact_state())
    assert again.opt_state.epoch == 5 and np.array_equal(again.theta, run.theta)
