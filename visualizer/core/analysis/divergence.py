"""Why a run blew up, in one sentence built only from what its history recorded.

The cost is judged from where the last change took effect (a new α, or a switch of optimizer),
so the sentence blames that change and counts from it. It says α is above the edge of stability
only where an edge was measured (``History.metric("edge")``), and says where.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.analysis.run_axes import describe_change
from visualizer.core.engine.history import History


def _last_change(changes: list, k: int) -> int:
    """Index of the last (iteration, value) change at or before iteration k."""
    return max((i for i, (it, _) in enumerate(changes) if it <= k), default=0)


def explain_divergence(history: History, k: int, m: int) -> str:
    """The cost rose tenfold by iteration ``k`` (``m`` examples): what changed last before it, and by how much."""
    alphas, optimizers = history.alpha_changes, history.optimizer_changes
    alpha_since = alphas[_last_change(alphas, k)][0]
    j = _last_change(optimizers, k)
    since = max(alpha_since, optimizers[j][0])
    costs = history.costs
    n = k - since
    rise = (f"the cost rose from {costs.at(since)[1]:.2g} to {costs.at(min(k, len(costs) - 1))[1]:.3g} "
            f"in {n} iteration{'s' if n != 1 else ''}")
    alpha = history.alpha_at(k)
    if j > 0 and optimizers[j][0] == since:
        old, new = optimizers[j - 1][1], optimizers[j][1]
        what = "switch" if new.kind != old.kind else "change"
        return f"After the {what} to {describe_change(old, new, m)} at iteration {since} (α = {alpha:g}), {rise}."
    its, edges = history.metric("edge", since)
    measured = [(int(it), float(e)) for it, e in zip(its, edges, strict=True) if np.isfinite(e)]
    start = f" from iteration {since}" if since else ""
    if not measured:
        return f"With α = {alpha:g}{start}, {rise}. Lower α to go on."
    at, edge = measured[-1]
    if alpha > edge:
        return (f"α = {alpha:g} is above the edge of stability ≈ {edge:.3g} measured at iteration {at}: {rise}. "
                "Lower α to go on.")
    return f"With α = {alpha:g}{start}, {rise}, though the edge of stability measured at iteration {at} was ≈ " \
           f"{edge:.3g}, above α."
