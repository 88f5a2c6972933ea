"""What the training controller tells the learner when a run stops: the engine's overflow sentence, or, at the end
of a press of Train, what J did (``run_verdict``), blaming the α or the optimizer that took over."""

from __future__ import annotations

from visualizer.core.analysis.verdicts import run_sentence, run_verdict


def overflow_message(overflow: str) -> str:
    """The engine's sentence (which setting made the step overflow) as the window tells it."""
    return f"{overflow[0].upper()}{overflow[1:]}. Change that setting to go on."


def stop_notice(gd, reason: str, message: str) -> tuple[str, str] | None:
    """(text, kind) of the notice for a stop, or None: a halt, or a run that did not fall at every step."""
    if reason == "overflow":
        return message, "warning"
    if reason in ("budget", "converged") and (verdict := run_verdict(gd)).kind != "falls":
        return run_sentence(gd), "warning" if verdict.diverged else "info"
    return None
