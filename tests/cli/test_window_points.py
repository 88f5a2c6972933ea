"""`visualizer planar:NAME` and `visualizer POINTS.csv` open the window on 2-D points, with --test-fraction F."""

from __future__ import annotations

import pytest

from visualizer.cli.args import Invocation, UsageError, build_parser, route, window_path_problem
from visualizer.cli.commands import _screenshot_lesson


@pytest.mark.parametrize("argv, expected", [
    (["planar:flower"], Invocation(None, "planar:flower")),
    (["planar:flower", "--test-fraction", "0"], Invocation(None, "planar:flower", test_fraction=0.0)),
    (["--test-fraction=0.25", "p.csv"], Invocation(None, "p.csv", test_fraction=0.25)),
    (["-style", "fusion", "x.h5", "--test-fraction", "0.1"],
     Invocation(None, "x.h5", ["-style", "fusion"], test_fraction=0.1)),
    (["--test-fraction", "0", "--", "-odd.csv"], Invocation(None, "-odd.csv", test_fraction=0.0)),
])
def test_the_window_takes_a_test_fraction_with_its_data(argv, expected):
    assert route(argv) == expected


@pytest.mark.parametrize("argv, message", [
    (["planar:flower", "--test-fraction", "1"], "the test fraction must be a number in"),
    (["planar:flower", "--test-fraction"], "expected one argument"),
    (["--test-fraction", "0"], "with one data PATH"),
    (["a.csv", "b.csv", "--test-fraction", "0"], "with one data PATH"),
    (["run.npz", "--test-fraction", "0"], "run.npz: --test-fraction applies to data, not to a session"),
    (["l.toml", "--test-fraction", "0"], "applies to data"),
])
def test_a_test_fraction_the_window_cannot_use_is_one_usage_error(argv, message):
    with pytest.raises(UsageError, match=message):
        route(argv)


def test_a_planar_set_is_named_before_any_window(tmp_path):
    assert window_path_problem("planar:moons") is None
    assert window_path_problem("planar:rose").startswith("planar:rose: no such built-in 2-D set; choose planar:flower")
    (tmp_path / "p.csv").write_text("0,0,1\n")
    assert window_path_problem(str(tmp_path / "p.csv")) is None


@pytest.mark.parametrize("command", ["screenshot", "animate"])
def test_pictures_take_a_test_fraction_for_their_data_but_not_with_a_lesson(command):
    parser = build_parser()
    args = parser.parse_args([command, "o.png", "--data", "planar:flower", "--test-fraction", "0"])
    assert args.test_fraction == 0.0
    assert parser.parse_args([command, "o.png"]).test_fraction is None  # the usual 0.2, left to load_data's caller
    args = parser.parse_args([command, "o.png", "--lesson", "l.toml", "--test-fraction", "0"])
    with pytest.raises(UsageError, match="a lesson names its own test fraction"):
        _screenshot_lesson(args)
