"""Show me: each offered α's own run does what its label says, or the preset says why no α does."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.core import GradientDescent
from visualizer.core.analysis.presets import LABELS, find_presets, grid, search_iterations
from visualizer.core.analysis.verdicts import run_verdict
from visualizer.data import load_data
from visualizer.data.contradictions import with_contradictions


@pytest.fixture(scope="module")
def demo():
    return load_data()[0]


def search(data, iterations=2000):
    first = []

    def make(alpha):
        gd = GradientDescent(data.X, data.Y, alpha=alpha, share_with=first[0] if first else None)
        first.append(gd)
        return gd

    return find_presets(make, iterations)


def rerun(data, alpha, iterations=2000):
    gd = GradientDescent(data.X, data.Y, alpha=alpha)
    gd.step(iterations)
    return run_verdict(gd)


@pytest.fixture(scope="module")
def demo_presets(demo):
    return search(demo)


def test_each_offered_alpha_does_what_its_label_says_on_the_demo_set(demo, demo_presets):
    """The old presets (2/λmax × 1/200, 0.45, 0.85, 3) called 0.00202 "oscillating" and 0.00712 "diverging": J fell
    at every step for the one and ended at 0.0836, the lowest of the four, for the other."""
    p = demo_presets.presets
    assert list(p) == list(LABELS)
    good, small, unstable = (rerun(demo, p[k].alpha) for k in ("good", "too small", "unstable, then converges"))
    assert good.kind == small.kind == "falls"
    assert (small.start - small.end) <= (good.start - good.end) / 3
    falling = [t.verdict.end for t in demo_presets.tried if t.verdict.kind == "falls"]
    assert good.end == pytest.approx(min(falling), rel=1e-6)
    assert unstable.kind == "unstable" and unstable.peak >= 2 * unstable.start and unstable.end < good.end
    assert p["good"].why == good.sentence()[:-1] + (f": the lowest J of the {len(falling)} α's tried that fall at "
                                                   "every step.")


def test_where_no_alpha_shows_a_behaviour_the_preset_says_so_and_why(demo_presets):
    p = demo_presets.presets
    assert p["diverging"].alpha is None and p["oscillating"].alpha is None
    assert p["diverging"].why.startswith("No α from 1e-05 to 10 ends above its start in 2000 iterations")
    assert "reached 100 % training accuracy, so a plane separates the two classes" in p["diverging"].why
    assert not any(t.verdict.diverged for t in demo_presets.tried)  # every α tried: the claim is measured
    assert not any(t.verdict.kind == "oscillates" for t in demo_presets.tried)
    low = max(t.alpha for t in demo_presets.tried if t.verdict.kind == "falls")
    high = min(t.alpha for t in demo_presets.tried if t.alpha > low)
    assert high / low < 1.03  # the edge between the two was bisected down to a few per cent
    assert f"α = {low:g} falls at every step, and α = {high:g}, {high / low:.3g} times larger, is unstable at first" \
        in p["oscillating"].why


def test_on_data_no_plane_separates_a_large_alpha_is_offered_as_diverging(demo):
    data = with_contradictions(demo, 20)
    found = search(data, 600)
    diverging = found.presets["diverging"]
    assert diverging.alpha is not None
    v = rerun(data, diverging.alpha, 600)
    assert v.diverged and v.end > v.start
    assert diverging.why == v.sentence()


def test_the_search_is_bounded_and_cancellable(demo):
    assert search_iterations(2000, 19, 210 * 210) == 2000
    assert search_iterations(0, 19, 210 * 210) == 2000  # "until J stops falling": the window's first 2000
    assert search_iterations(2000, 19, 2 * 20000 * 12288) < 10  # 20,000 images on the primal path
    calls = []
    found = find_presets(lambda a: calls.append(a) or GradientDescent(demo.X, demo.Y, alpha=a), 10,
                         cancelled=lambda: len(calls) >= 3)
    assert found is None and len(calls) == 3
    assert grid()[0] == 1e-5 and grid()[-1] == 10.0 and np.all(np.diff(grid()) > 0)
