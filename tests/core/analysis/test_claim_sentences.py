"""Sentences the core builds from numbers, checked against what they describe."""

from __future__ import annotations

import numpy as np

from tests.conftest import make_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.surface import surface_view, w_direction_plane


def off_plane(gd, view_origin, d1, d2, thetas) -> np.ndarray:
    """|θ − (origin + s d1 + t d2)| in (w, b) space, with s and t the projections: computed here afresh."""
    W = np.array([np.append(gd.param.w(t), t[-1]) for t in thetas])
    o = np.append(gd.param.w(view_origin), view_origin[-1])
    a, b = np.append(gd.param.w(d1), d1[-1]), np.append(gd.param.w(d2), d2[-1])
    D = W - o
    return np.linalg.norm(D - np.outer(D @ a, a) - np.outer(D @ b, b), axis=1)


def test_the_leaves_the_plane_note_is_the_largest_distance_of_the_points_it_names():
    X, Y = make_problem(12, 30, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5, method="primal")
    gd.step(600)
    path = np.array(gd.trajectory.thetas)
    every = int(np.max(np.diff(gd.trajectory.iterations)))
    view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), path, "w-direction", path_every=every)
    plane = w_direction_plane(gd.param, gd.theta, gd.gradient())
    far = off_plane(gd, plane.origin, plane.d1, plane.d2, path).max()
    span = max(np.ptp(view.s), np.ptp(view.t))
    assert every > 1 and far > 1e-3
    assert view.distance_note() == (f"The path, at the points kept every {every} iterations, leaves the plane by up "
                                    f"to {far:.3g} (the plane shown is {span:.3g} across); it is drawn at its "
                                    "projection.")


def test_a_path_on_the_plane_is_said_to_lie_on_it():
    """Two kept points and the current one span the principal plane: nothing is off it."""
    X, Y = make_problem(12, 30, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5, method="primal")
    gd.step(2)
    assert gd.trajectory.iterations == [0, 1]
    view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), np.array(gd.trajectory.thetas),
                        "principal")
    assert view.distance_note() == "The whole path lies on this plane."


def test_a_path_of_one_point_is_not_said_to_lie_on_the_plane():
    """A reopened session keeps only the costs before it: its surface said "The whole path lies on this plane"."""
    X, Y = make_problem(12, 30, seed=4)
    gd = GradientDescent(X, Y, alpha=0.5, method="primal")
    view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), np.array([gd.theta]), "w-direction")
    assert view.distance_note() == "The path drawn here is one point: where the run is shown."


def test_the_principal_plane_sizes_its_second_axis_to_the_path_so_a_zig_zag_can_be_seen():
    """Lesson 04 asked about a zig-zag the surface drew as a straight line: the second axis kept a width of 0.5."""
    from visualizer.core.analysis.zigzag import reversals, step_components
    from visualizer.data import load_data

    train, _ = load_data()
    gd = GradientDescent(train.X, train.Y, alpha=0.0025)  # lesson 04's "good": J falls at every step
    assert reversals(step_components(gd, 30)) >= 15  # yet the path zig-zags across the valley
    view = surface_view(gd.param, gd.loss, gd.y, gd.theta, gd.gradient(), np.array(gd.trajectory.thetas),
                        "principal")
    t_path = np.ptp(view.path_t)
    assert 0 < t_path < 0.05 and np.ptp(view.t) < 4 * t_path  # the zig-zag spans a quarter of the plot at least
    assert view.t[0] <= view.path_t.min() and view.path_t.max() <= view.t[-1]
