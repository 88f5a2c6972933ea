"""Iterations run ahead of a picture or a lesson, in bursts, so progress shows and Ctrl+C or Cancel is heard."""

from __future__ import annotations

#: Iterations per burst: a progress line or a cancel is never more than a fraction of a second away.
PRE_RUN_CHUNK = 200


def run_ahead(gd, n: int, progress, cancelled) -> None:
    """``n`` iterations of ``gd`` in calls of PRE_RUN_CHUNK, ``progress(done, n)`` after each; fewer when the next
    step would overflow (the students see where it stopped) or once ``cancelled()``, asked before every iteration."""
    target = gd.iteration + n
    while gd.iteration < target and not cancelled():
        want = min(PRE_RUN_CHUNK, target - gd.iteration)
        if gd.step(want, cancelled) < want:
            break
        progress(n - (target - gd.iteration), n)
