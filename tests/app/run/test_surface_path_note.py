"""The Surface panel's sentence about the path is true of what it draws and of the run: looking back to an iteration
before the second kept point, and after reopening a session (issue: it said "one point so far: where the run is now"
at iteration 2 of a 1,100-iteration run, whose path there has three points, and after reopening)."""

import numpy as np

from tests.app.run.test_training import controller, steps  # noqa: F401 (the fixture)
from visualizer.app.run.frame import build_frame
from visualizer.formats import storage


def _note(c, view_iteration=None) -> str:
    return build_frame(c, view_iteration=view_iteration).surface("w-direction", grid=3).distance_note()


def test_the_path_sentence_says_what_is_drawn_looking_back_and_after_reopening(controller, qtbot, tmp_path):  # noqa: F811
    c = controller
    assert _note(c) == "The path drawn here is one point: iteration 0, where the run starts."
    steps(c, qtbot, 1100)
    assert c.gd.trajectory.stride == 8  # 256 points at most: one every 8 iterations by now
    assert _note(c, 2) == ("Points of the path are kept every 8 iterations: the next after iteration 0 is at 8, so "
                           "the path drawn joins iteration 0 straight to the point shown (iteration 2).")
    assert _note(c, 1) == "The whole path lies on this plane."  # iterations 0 and 1: the whole path there
    assert _note(c, 100).startswith("The path, at the points kept every 8 iterations,")
    path = tmp_path / "run.vis.npz"
    gd = c.gd
    storage.save_session(path, c.train, c.test, c.settings, gd.history, gd.iteration, gd.w, gd.b, gd.exact_state())
    with np.load(path) as a:
        older = {k: a[k] for k in a.files if not k.startswith("past_")}  # as files saved before their past
    np.savez(path, **older)
    c.restore(storage.load_session(path))
    assert _note(c) == "The path drawn here is one point: iteration 1100, the earliest this run can show."
