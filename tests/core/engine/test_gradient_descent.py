import numpy as np
import pytest

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.reference.lecture import gradient_descent_reference, numerical_gradient, relative_difference


def test_chooses_gram_when_examples_are_fewer_than_features():
    X, Y = make_problem(50, 10)
    assert GradientDescent(X, Y).method == "gram"
    X, Y = make_problem(5, 40)
    assert GradientDescent(X, Y).method == "primal"


def test_alpha_change_takes_effect_on_the_next_iteration():
    X, Y = make_problem(30, 12, seed=3)
    gd = GradientDescent(X, Y, alpha=0.1)
    gd.step(5)
    gd.alpha = 0.7
    gd.step(5)
    w, b, c1 = gradient_descent_reference(X, Y, 0.1, 5)
    w, b, c2 = gradient_descent_reference(X, Y, 0.7, 5, w0=w, b0=b)
    assert np.allclose(gd.history.costs.values, np.concatenate([c1, c2]), rtol=1e-11)
    assert np.allclose(gd.w, w, rtol=1e-10)
    assert gd.history.alpha_changes == [(0, 0.1), (5, 0.7)]
    assert gd.history.alphas().tolist() == [0.1] * 5 + [0.7] * 5


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_alpha_must_be_positive_and_finite(bad):
    X, Y = make_problem(4, 6)
    with pytest.raises(ValueError, match="learning rate"):
        GradientDescent(X, Y, alpha=bad)


def test_random_init_is_seeded():
    X, Y = make_problem(20, 8)
    a, b, c = (GradientDescent(X, Y, init="random", seed=s) for s in (1, 1, 2))
    assert np.array_equal(a.w, b.w) and not np.array_equal(a.w, c.w)
    assert np.any(a.w != 0)


def test_metrics_at_a_stride_include_the_test_set():
    X, Y = make_problem(20, 30, seed=5)
    gd = GradientDescent(X[:, :20], Y[:, :20], X_test=X[:, 20:], Y_test=Y[:, 20:], metric_stride=10)
    gd.step(35)
    its, test_accuracy = gd.history.metric("test_accuracy")
    assert its.tolist() == [0, 10, 20, 30] and len(test_accuracy) == 4
    assert gd.history.metric("train_cost", 20)[1].tolist() == gd.history.costs.values[[0, 10, 20]].tolist()
    assert len(gd.history) == gd.iteration == 35


def test_a_large_alpha_that_throws_j_up_is_not_flagged_as_diverged():
    """J rose past 10x its start, so the engine called it diverged; it then fell far below the start."""
    X, Y = make_problem(40, 20, seed=2, scale=3.0)
    gd = GradientDescent(X, Y, alpha=50.0)
    gd.step(300)
    assert gd.diverged_at is None and not gd.halted and gd.cost < gd.start_cost
    assert np.all(np.isfinite(gd.history.costs.values))
    assert gd.history.costs.values.max() > 10 * gd.start_cost


def test_overflowing_step_is_rolled_back_to_the_last_finite_state():
    X, Y = make_problem(40, 20, seed=2, scale=10.0)
    gd = GradientDescent(X, Y, alpha=1e307)
    ran = gd.step(50)
    assert ran < 50 and gd.halted and gd.diverged_at == ran + 1  # the first iteration that is not finite
    assert np.all(np.isfinite(gd.history.costs.values)) and np.all(np.isfinite(gd.theta))
    assert len(gd.history) == gd.iteration == ran
    assert np.isfinite(gd.cost)
    gd.alpha = 0.01  # a sensible alpha lets the learner carry on from the last finite state
    assert gd.step(10) == 10


def test_cancel_stops_between_iterations():
    X, Y = make_problem(30, 10)
    gd = GradientDescent(X, Y)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 7

    assert gd.step(100, cancelled=cancelled) == 7
    assert len(gd.history) == gd.iteration == 7
    w, _, costs = gradient_descent_reference(X, Y, 0.005, 7)
    assert np.allclose(gd.history.costs.values, costs)


def test_gradient_check_at_the_current_point():
    X, Y = make_problem(12, 9, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5)
    gd.step(20)
    g = gd.gradient()
    analytic = np.append(gd.param.w(np.append(g[:-1], 0.0)), g[-1])  # theta-coordinates -> (dw, db)
    ndw, ndb = numerical_gradient(gd.w, gd.b, X, Y)
    assert relative_difference(analytic, np.append(ndw, ndb)) < 1e-7


def test_history_of_a_long_run_is_compact():
    X, Y = make_problem(3, 4)
    gd = GradientDescent(X, Y, alpha=0.1)
    gd.step(200_000)
    per_iteration = (gd.history.nbytes + sum(t.nbytes for t in gd.trajectory.thetas)) / 200_000
    assert per_iteration * 1e6 < 50e6
    assert len(gd.trajectory.iterations) <= 257


@pytest.mark.course
def test_reproduces_the_course(course):
    train, test = course
    gd = GradientDescent(train.X, train.Y, alpha=0.005, X_test=test.X, Y_test=test.Y)
    gd.step(2000)
    printed = [round(c, 6) for c in gd.history.costs.values[::100]]
    assert printed == [0.693147, 0.584508, 0.466949, 0.376007, 0.331463, 0.303273, 0.27988, 0.260042, 0.242941,
                       0.228004, 0.21482, 0.203078, 0.192544, 0.183033, 0.174399, 0.166521, 0.159305, 0.152667,
                       0.146542, 0.140872]
    m = gd.metrics()
    assert m["train_accuracy"] == pytest.approx(99.04306220095694, abs=1e-9)
    assert m["test_accuracy"] == pytest.approx(70.0, abs=1e-9)
    w, b, _ = gradient_descent_reference(train.X, train.Y, 0.005, 2000)
    assert relative_difference(gd.w, w) < 1e-9
    assert gd.b == pytest.approx(b, rel=1e-9)


@pytest.mark.course
def test_large_alpha_on_course_data_gives_true_finite_costs(course):
    train, _ = course
    gd = GradientDescent(train.X, train.Y, alpha=0.5)
    gd.step(50)
    costs = gd.history.costs.values
    assert np.all(np.isfinite(costs)) and costs.max() > 50
    assert gd.diverged_at is None


def test_state_at_replays_the_recorded_path():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2)
    gd.step(700)
    gd.alpha = 0.05
    gd.step(300)
    w_ref, b_ref, _ = gradient_descent_reference(X, Y, 0.2, 700)
    w_ref, b_ref, _ = gradient_descent_reference(X, Y, 0.05, 123, w0=w_ref, b0=b_ref)
    theta = gd.state_at(823)
    assert np.allclose(gd.param.w(theta), w_ref, rtol=1e-9) and theta[-1] == pytest.approx(b_ref, rel=1e-9)


def test_rewind_starts_a_new_branch():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2, metric_stride=10)
    gd.step(100)
    cost_at_40 = gd.history.costs.values[40]
    gd.rewind(40)
    assert gd.iteration == len(gd.history) == 40 and gd.cost == pytest.approx(cost_at_40, rel=1e-12)
    assert gd.history.last_metric_iteration == 30
    gd.alpha = 0.01
    gd.step(10)
    w, b, _ = gradient_descent_reference(X, Y, 0.2, 40)
    w, b, _ = gradient_descent_reference(X, Y, 0.01, 10, w0=w, b0=b)
    assert np.allclose(gd.w, w, rtol=1e-9)
    assert gd.history.alpha_changes == [(0, 0.2), (40, 0.01)]


@pytest.mark.parametrize("init", ["zeros", "random"])
def test_adding_examples_extends_the_gram_matrix_and_keeps_w(init):
    X, Y = make_problem(50, 20, seed=9)
    gd = GradientDescent(X[:, :14], Y[:, :14], alpha=0.3, init=init, seed=2)
    gd.step(30)
    w, b = gd.w, gd.b
    gd.add_examples(X[:, 14:], Y[:, 14:])
    assert gd.method == "gram" and gd.m == 20
    assert np.allclose(gd.w, w, rtol=1e-12) and gd.b == b
    fresh = GradientDescent(X, Y, method="gram", init=init, seed=2)
    K = fresh.param.metric[:20, :20]
    assert np.allclose(gd.param.metric[:20, :20], K, rtol=1e-12)
    gd.step(20)
    w_ref, b_ref, _ = gradient_descent_reference(X, Y, 0.3, 20, w0=w, b0=b)
    assert np.allclose(gd.w, w_ref, rtol=1e-9) and gd.b == pytest.approx(b_ref, rel=1e-9)
    assert gd.state_at(gd.iteration - 5) is not None
    with pytest.raises(ValueError, match="outside"):
        gd.state_at(10)


def test_replacing_data_trains_on_from_the_same_point():
    X, Y = make_problem(40, 18, seed=3)
    gd = GradientDescent(X, Y, alpha=0.3)
    gd.step(25)
    w, b = gd.w, gd.b
    keep = np.arange(18) != 4
    Y2 = Y[:, keep].copy()
    Y2[0, 0] = 1 - Y2[0, 0]
    gd.replace_data(X[:, keep], Y2)
    assert np.allclose(gd.w, w) and gd.m == 17
    gd.step(10)
    w_ref, b_ref, _ = gradient_descent_reference(X[:, keep], Y2, 0.3, 10, w0=w, b0=b)
    assert np.allclose(gd.w, w_ref, rtol=1e-9)


def test_simulate_shows_the_path_not_taken_without_changing_the_run():
    X, Y = make_problem(30, 12, seed=8)
    gd = GradientDescent(X, Y, alpha=0.2)
    gd.step(40)
    before = gd.theta.copy()
    ghost, thetas = gd.simulate(gd.theta, 0.2, 30)
    gd.step(30)
    assert np.allclose(ghost, gd.history.costs.values[40:70], rtol=1e-10)
    assert thetas.shape == (3, gd.param.dim) and np.array_equal(thetas[0], before)
    assert not np.array_equal(before, gd.theta)


def test_a_new_alpha_after_an_overflow_carries_on_and_clears_the_mark():
    X, Y = make_problem(40, 20, seed=2, scale=10.0)
    gd = GradientDescent(X, Y, alpha=1e307)
    gd.step(50)
    assert gd.diverged_at is not None
    gd.alpha = 1e-4
    assert gd.step(30) == 30 and gd.diverged_at is None and not gd.halted


def test_a_saved_mark_of_a_rise_is_not_read_back_as_a_step_that_was_not_finite():
    """Files from before kept diverged_at where J passed 10x its start; only a halt's mark is after the end."""
    from dataclasses import replace

    X, Y = make_problem(40, 20, seed=2, scale=3.0)
    gd = GradientDescent(X, Y, alpha=50.0)
    gd.step(30)
    old = replace(gd.exact_state(), diverged_at=2)  # as an older version saved it
    back = GradientDescent(X, Y, alpha=50.0)
    back.restore(gd.w, gd.b, gd.iteration, gd.history, old)
    assert back.diverged_at is None
    halted = GradientDescent(X * 1e150, Y, alpha=1e6)
    halted.step(50)
    again = GradientDescent(X * 1e150, Y, alpha=1e6)
    again.restore(halted.w, halted.b, halted.iteration, halted.history, halted.exact_state())
    assert halted.diverged_at == again.diverged_at == halted.iteration + 1


@pytest.mark.parametrize("loss", ["cross-entropy", "squared-error"])
def test_a_run_is_the_same_however_its_iterations_are_split_and_a_replay_retraces_it(loss):
    """The race steps a few iterations a call, the window as many as the clock allows, the command line 256: far
    above the edge of stability any rounding difference grows, so all must be the same arithmetic, bit for bit."""
    X, Y = make_problem(60, 40, seed=5)
    runs = [GradientDescent(X, Y, alpha=5.0, loss=loss, metric_stride=stride) for stride in (1000, 7, 50)]
    runs[0].step(300)
    for _ in range(300):
        runs[1].step(1)
    while runs[2].iteration < 300:
        runs[2].step(min(31, 300 - runs[2].iteration))
    assert runs[0].method == "gram"
    for gd in runs[1:]:
        assert np.array_equal(gd.history.costs.values, runs[0].history.costs.values)
        assert np.array_equal(gd.theta, runs[0].theta)
    halfway = GradientDescent(X, Y, alpha=5.0, loss=loss)
    halfway.step(123)
    assert np.array_equal(runs[0].state_at(123), halfway.theta)
