"""The input plane's grid and the decision boundary on it (visualizer/core/analysis/boundary.py)."""

import numpy as np
import pytest

from visualizer.core.analysis.boundary import boundary_segments, plane_grid, unit_segments, unit_sentence
from visualizer.core.models.network_run import NetworkRun
from visualizer.data.planar import flower


def _collinear(x: np.ndarray, y: np.ndarray) -> float:
    """The largest distance of a point from the line through the two points farthest apart."""
    P = np.c_[x, y]
    i, j = np.unravel_index(np.argmax(((P[:, None] - P[None]) ** 2).sum(-1)), (len(P), len(P)))
    d = (P[j] - P[i]) / np.linalg.norm(P[j] - P[i])
    rel = P - P[i]
    return float(np.max(np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0])))


def test_the_grid_covers_every_point_with_a_margin_in_one_matrix():
    X, _ = flower()
    xs, ys, G = plane_grid(X, n=50)
    assert G.shape == (2, 2500) and len(xs) == len(ys) == 50
    assert xs[0] < X[0].min() < X[0].max() < xs[-1] and ys[0] < X[1].min() < X[1].max() < ys[-1]
    assert (G[:, 3 * 50 + 7] == (xs[3], ys[7])).all()  # G[:, i·n + j] is (xs[i], ys[j])


def test_one_point_still_has_a_plane():
    xs, ys, _ = plane_grid(np.array([[2.0], [3.0]]))
    assert xs[0] < 2 < xs[-1] and ys[0] < 3 < ys[-1]


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.1])
def test_logistic_regressions_boundary_is_the_straight_line_where_yhat_is_the_threshold(threshold):
    X, _ = flower()
    xs, ys, G = plane_grid(X)
    w, b = np.array([0.7, -1.3]), 0.4
    x, y = boundary_segments(w @ G + b, xs, ys, threshold)
    assert len(x) > 50 and len(x) % 2 == 0
    assert _collinear(x, y) < 1e-9
    z_on_line = w @ np.vstack([x, y]) + b
    np.testing.assert_allclose(1 / (1 + np.exp(-z_on_line)), threshold, atol=1e-9)


def test_no_boundary_when_the_model_says_one_class_everywhere():
    xs, ys, G = plane_grid(np.array([[0.0, 1.0], [0.0, 1.0]]))
    x, _ = boundary_segments(np.full(G.shape[1], 5.0), xs, ys, 0.5)
    assert len(x) == 0


def test_each_units_line_is_clipped_to_the_box_and_a_unit_that_misses_draws_nothing():
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-1, 1, 5)
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    b = np.array([-0.5, 0.0, 0.0, -5.0, 1.0])  # x = 0.5; y = 0; x + y = 0; x = 5 (outside); no line at all
    x, y = unit_segments(W, b, xs, ys)
    assert len(x) == 6
    segments = {tuple(np.round(s, 9)) for s in np.c_[x[0::2], y[0::2], x[1::2], y[1::2]]}
    assert segments == {(0.5, -1.0, 0.5, 1.0), (-1.0, 0.0, 1.0, 0.0), (-1.0, 1.0, 1.0, -1.0)}


def test_the_grid_widens_its_narrower_side_to_fill_a_view_of_the_given_aspect():
    X = np.array([[0.0, 1.0, 2.0], [0.0, 4.0, 1.0]])
    for aspect in (0.25, 1.0, 3.0):
        xs, ys, _ = plane_grid(X, aspect=aspect)
        assert (xs[-1] - xs[0]) / (ys[-1] - ys[0]) == pytest.approx(aspect)
        assert xs[0] < 0 and xs[-1] > 2 and ys[0] < 0 and ys[-1] > 4  # every point still inside
    plain_x, plain_y, _ = plane_grid(X)
    wide_x, wide_y, _ = plane_grid(X, aspect=3.0)
    assert np.array_equal(wide_y, plain_y) and wide_x[0] < plain_x[0]  # only the narrower side grows


def _first_layer_after(steps: int, activation: str, init: str):
    X, Y = flower()
    run = NetworkRun(X, Y, hidden=(4,), activation=activation, init=init, seed=2, init_scale=0.01, alpha=1.2)
    run.step(steps)
    W1, b1 = run.net.split(run.theta)[0]
    return W1, b1.reshape(-1), plane_grid(X)


def test_why_not_zeros_a_zeros_start_keeps_every_units_line_on_one_and_a_random_one_separates_them():
    """Sigmoid units from zeros all get the same gradient: after 300 steps (W1 ~ 1e-14) their four lines are
    one; from seed 2 the same run draws four different lines."""
    W1, b1, (xs, ys, _) = _first_layer_after(300, "sigmoid", "zeros")
    x, y = unit_segments(W1, b1, xs, ys)
    assert x.size == 8 and np.abs(W1).max() > 0
    assert all(np.array_equal(x[k:k + 2], x[:2]) and np.array_equal(y[k:k + 2], y[:2]) for k in (2, 4, 6))
    assert unit_sentence(W1, b1, xs, ys).endswith("the 4 units are equal: one line.")
    W1, b1, (xs, ys, _) = _first_layer_after(300, "sigmoid", "random")
    x, y = unit_segments(W1, b1, xs, ys)
    ends = {(x[k], y[k], x[k + 1], y[k + 1]) for k in range(0, x.size, 2)}
    assert len(ends) == 4 and unit_sentence(W1, b1, xs, ys).endswith("4 units, 4 different lines.")


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_tanh_or_relu_from_zeros_keeps_w1_at_zero_and_draws_no_line_not_an_axis(activation):
    """g(0) = 0 and W2 = 0: no gradient reaches W1. A line 0·x + 0 = 0 is no line: nothing drawn, no NaN."""
    W1, b1, (xs, ys, _) = _first_layer_after(50, activation, "zeros")
    assert not W1.any() and not b1.any()
    x, y = unit_segments(W1, b1, xs, ys)
    assert x.size == y.size == 0
    assert unit_sentence(W1, b1, xs, ys).endswith("W1 = 0 in all 4 units: no line (a unit's z is its b1 "
                                                  "everywhere).")


def test_the_unit_sentence_counts_equal_units_flat_ones_and_lines_off_the_view():
    xs = ys = np.linspace(-1.0, 1.0, 5)
    W = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    b = np.array([0.0, 0.0, 0.5, 9.0])  # unit 4's line y = -9 misses the box
    assert unit_sentence(W, b, xs, ys).endswith(
        "3 units, only 2 different lines (equal units share one); 1 misses the view; 1 more with W1[u] = 0, not drawn.")
