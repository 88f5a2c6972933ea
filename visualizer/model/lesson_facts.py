"""What a run did, as expectations a teacher can tick when saving it as a lesson (model.expectations).

Each sentence is measured on the run and stated with room to spare where the arithmetic may differ: the window
steps in batches of its own, and far above the edge of stability rounding grows, so a rerun's accuracy or peak
is near, not equal. Only a run that kept one α and one optimizer from iteration 0 is offered any: a lesson
starts from its settings, and a check runs them from the start.
"""

from __future__ import annotations

import math

from visualizer.core.analysis.stability import edge_of_stability
from visualizer.core.analysis.verdicts import SHORT, run_verdict

#: Accuracies are stated this many points below what was measured.
ACCURACY_MARGIN = 2.0
#: The edge is compared with α only when one is this many times the other.
EDGE_MARGIN = 1.25


def why_no_facts(gd) -> str | None:
    """Why the run cannot be described from its lesson's start, or None."""
    h = gd.history
    if gd.iteration == 0:
        return "the run has not taken a step yet"
    if len(h.alpha_changes) > 1 or len(h.optimizer_changes) > 1:
        return "α or the optimizer changed during the run, and a lesson starts from one of each"
    if gd.replay_from > 0:
        return "the data changed during the run"
    return None


def facts(gd) -> list[str]:
    """Sentences that hold for this run from iteration 0 to where it is (none when ``why_no_facts``)."""
    if why_no_facts(gd) is not None:
        return []
    n = gd.iteration
    verdict = run_verdict(gd, since=0)
    batch = gd.optimizer.batch(gd.m) >= gd.m  # mini-batches: J is checked after every step, not at the rows
    out = [f"J in 0..{n} is {SHORT[verdict.kind]}"] if batch else []
    if verdict.kind in ("falls", "oscillates", "unstable"):
        out.append(f"J at {n} < J at 0")
    if batch and verdict.kind == "unstable" and verdict.peak > 2 * verdict.start:
        out.append(f"max J in 0..{n} > {math.floor(verdict.peak / verdict.start)} * J at 0")
    metrics = gd.metrics()
    for name in ("train", "test"):
        value = metrics[f"{name}_accuracy"]
        if value is not None:
            out.append(f"{name} accuracy at {n} >= {max(0.0, math.floor(value - ACCURACY_MARGIN)):g}")
    edge = edge_of_stability(gd).alpha
    if edge is not None and (edge > EDGE_MARGIN * gd.alpha or gd.alpha > EDGE_MARGIN * edge):
        out.append(f"edge at {n} {'>' if edge > gd.alpha else '<'} alpha")
    return out
