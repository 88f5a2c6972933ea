"""Which setting made a step overflow, in one sentence, from what the step measured.

The engine refuses any step after which z, the cost or the optimizer's state would not be finite
(core/engine), and asks here why: a division by √s + ε that ε no longer keeps away from 0 (RMSProp, Adam,
AdaGrad), L2 pulling w past 0 and beyond (α·λ/m > 2 multiplies w by 1 − α·λ/m, less than −1, each step),
or else α itself.
"""

from __future__ import annotations

import numpy as np

#: The divisor √s + ε counts as "ε's doing" when it is at most this many ε: √s had fallen to about 0.
EPSILON_BOUND = 10.0


def _g(x: float) -> str:
    """A figure as a person writes it: 1e-300, 0.999, 1e+06 -> 1e6."""
    text = f"{x:.3g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def divisors(opt, t: int, new: dict) -> np.ndarray | None:
    """√ŝ + ε per coordinate for an optimizer that divides by it (ŝ Adam's bias-corrected s), else None."""
    s = new.get("s")
    if s is None or not hasattr(opt, "epsilon") or opt.kind not in ("rmsprop", "adam", "adagrad"):
        return None
    if opt.kind == "adam":
        with np.errstate(all="ignore"):
            s = s / (1.0 - opt.beta2**t)
    return np.sqrt(s) + opt.epsilon


def explain(opt, alpha: float, m: int, t: int, update: np.ndarray | None, new: dict) -> str:
    """Why the step with ``update`` (what it would add to θ; None: the step was not taken, e.g. plain batch
    descent) and state arrays ``new`` (after it, ``t`` updates counted) left the finite numbers."""
    name = opt.spec.name
    d = divisors(opt, t, new)
    if d is not None and update is not None and update.size:
        with np.errstate(all="ignore"):
            size = np.where(np.isfinite(update), np.abs(update), np.inf)
        j = int(np.argmax(size))
        if d[j] <= EPSILON_BOUND * opt.epsilon:
            beta2 = f" and β₂ = {_g(opt.beta2)}" if opt.kind in ("rmsprop", "adam") else ""
            return f"{name} with ε = {_g(opt.epsilon)}{beta2} divides by √s + ε ≈ {_g(float(d[j]))}"
    if opt.lam and alpha * opt.lam / m > 2:
        return (f"with λ = {_g(opt.lam)} and α = {_g(alpha)}, L2 multiplies w by 1 − α·λ/m = "
                f"{_g(1 - alpha * opt.lam / m)} each step")
    return f"{name} with α = {_g(alpha)} steps too far"
